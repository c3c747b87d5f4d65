"""Deployment checks (`manage.py check --deploy`): state that must be shared across workers."""

from django.conf import settings
from django.core import checks

# Cache backends whose counters are per process, or not atomic across processes.
NOT_SHARED_OR_ATOMIC = {
    "django.core.cache.backends.locmem.LocMemCache": "lives in each process",
    "django.core.cache.backends.dummy.DummyCache": "stores nothing",
    "django.core.cache.backends.filebased.FileBasedCache": "does not count atomically",
    "django.core.cache.backends.db.DatabaseCache": "does not count atomically",
}


@checks.register(checks.Tags.caches, deploy=True)
def check_rate_limit_cache(app_configs, **kwargs):
    """Form and sign-in limits must count across every worker on every machine (issue 10)."""
    alias = getattr(settings, "RATELIMIT_USE_CACHE", "default")
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    reason = NOT_SHARED_OR_ATOMIC.get(backend)
    if reason is None:
        return []
    return [checks.Error(
        f"Rate limits (public forms, admin sign-in) are counted in the {alias!r} cache, whose "
        f"backend {backend} {reason}: with several workers each one counts on its own.",
        hint="Set REDIS_URL=redis://host:6379/0 (Debian's redis-server); `make serve` starts a "
             "local Redis of its own when REDIS_URL is empty.",
        id="twh.E001",
    )]


@checks.register(deploy=True)
def check_task_backend(app_configs, **kwargs):
    """Emails are sent by the task worker; an in-process backend would send them in requests."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if backend == "django_tasks_db.DatabaseBackend":
        return []
    return [checks.Warning(
        f"The task backend is {backend}: emails would be sent inside requests, and a slow mail "
        "server would slow the site.",
        hint='Use TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}} and run '
             "`manage.py db_worker`.",
        id="twh.W002",
    )]
