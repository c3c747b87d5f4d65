"""Whole-page caching of public pages for anonymous visitors, until public data changes.

A launch-day spike is mostly anonymous people reading the same few pages. Those pages are
cached whole, keyed on the public-data version (a database row bumped in the same transaction
as every moderation decision or edit, and read on each request, see twh/core/publication.py), the
language, the host and the full path, so a decision is visible at once on every worker and
nothing personal is ever stored:

- only GET/HEAD from visitors without a session or flash-message cookie are served from it;
- only a plain 200 that sets no cookie and used no CSP nonce is stored (a nonce must be new
  on every response, so pages with an inline script are simply rendered each time; the
  Healing Map starts from a static script reading data-* attributes, so it is cached).

A page is stored gzipped, once, and sent as stored to clients that accept gzip (decompressed
for the rare one that does not), so a hit costs no compression. GZipMiddleware's BREACH padding
is not needed there: a stored page carries no secret (no session, no CSRF token, no nonce).

Each process also keeps the pages it served last for MEMO_SECONDS: their keys hold the version
read from the database on this request, so a decision still shows at once everywhere; what the
memo saves is the shared cache's round trip, the one cost a hit had beyond `/healthz`'s. (Only
a flushed shared cache is seen up to MEMO_SECONDS late.)
"""

import gzip
import hashlib
import time
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from twh.core.publication import public_version

PERSONAL_COOKIES = {settings.SESSION_COOKIE_NAME, "messages"}
KEPT_HEADERS = ("Content-Type",)
MEMO_SECONDS = 5.0
MEMO_SIZE = 64

_memo: OrderedDict[str, tuple[float, tuple]] = OrderedDict()  # key -> (when kept, stored value)


def _remembered(key: str) -> tuple | None:
    kept = _memo.get(key)
    return kept[1] if kept is not None and time.monotonic() - kept[0] < MEMO_SECONDS else None


def _remember(key: str, value: tuple) -> None:
    _memo[key] = (time.monotonic(), value)
    while len(_memo) > MEMO_SIZE:
        try:
            _memo.popitem(last=False)
        except KeyError:  # another thread emptied it first
            break


def forget_pages() -> None:
    """Empty this process's memo (tests do, with the shared cache: their database restarts
    the version series)."""
    _memo.clear()


def _cacheable_request(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not PERSONAL_COOKIES.intersection(request.COOKIES)
    )


def _cacheable_response(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.cookies
        and not getattr(response, "streaming", False)
        and not isinstance(getattr(request, "_csp_nonce", None), str)
    )


def _key(request) -> str:
    where = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()[:24]
    # "gz": entries are stored gzipped; one stored plainly by an older release is never read as gzip.
    return f"page:gz:{public_version()}:{get_language()}:{where}"


def _from_cache(request, gzipped: bytes, headers) -> HttpResponse:
    if re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(gzipped)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(gzipped))
    patch_vary_headers(response, ("Accept-Encoding",))
    for name, value in headers:
        response[name] = value
    return response


def cache_public_page(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        cached = _remembered(key)
        if cached is None:
            cached = cache.get(key)
            if cached is not None:
                _remember(key, cached)
        if cached is not None:
            return _from_cache(request, *cached)
        response = view(request, *args, **kwargs)
        if _cacheable_response(request, response):
            headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
            stored = (gzip.compress(response.content, 6, mtime=0), headers)
            cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
            _remember(key, stored)
        return response

    return wrapped
