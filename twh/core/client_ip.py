"""The client's address, for rate limits: the peer, or the right-most untrusted forwarded hop.

settings.RATELIMIT_IP_META_KEY points django-ratelimit here. With TRUSTED_PROXY_COUNT = N
(0 by default) the last N hops (the peer and the addresses it appended to X-Forwarded-For)
are our own proxies, and the hop before them is the client. The left part of the header is
whatever the client chose to send, so it is never read. A header that is missing, too short
or holds something that is not an address falls back to the peer address: never an error.
"""

import ipaddress

from django.conf import settings


def _address(text: str) -> str | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.9:443
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_ip(request) -> str:
    peer = request.META.get("REMOTE_ADDR") or "0.0.0.0"
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return peer
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in header.split(",") if hop.strip()][:100] + [peer]
    if len(hops) <= trusted:
        return peer  # fewer hops than proxies: not through all of them
    return _address(hops[-(trusted + 1)]) or peer
