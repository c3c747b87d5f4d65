"""The Redis cache backend keeps one client object per connection pool (twh/core/redis_cache.py)."""

from twh.core.redis_cache import RedisCache


def test_one_client_per_pool_not_one_per_operation():
    cache = RedisCache("redis://127.0.0.1:1/0;redis://127.0.0.1:2/0", {})  # no connection is made
    writer = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is writer
    assert writer.connection_pool is cache._cache._get_connection_pool(True)
    reader = cache._cache.get_client()
    assert cache._cache.get_client() is reader
