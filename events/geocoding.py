"""The one module that touches the network: an address in, a point (or nothing) out; and
`download`, which fetches an open-data file (boundaries, population) with the same HTTP client.

The provider is chosen by settings.GEOCODER: "fake" (offline, for tests and demos), "none", or
any geopy geocoder by service name or class name ("nominatim", "arcgis", "GoogleV3", ...) with
settings.GEOCODER_OPTIONS passed to it. Every call has a hard deadline, so a geocoder that is
down, slow or hanging never blocks or loses a submission (the caller flags the event for staff
instead); calls are spaced by geopy's RateLimiter (Nominatim's policy is one request a second);
answers are cached, so the same address is never asked twice.
"""

import hashlib
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

# Threads outlive a hung call, so a small shared pool bounds how many can pile up.
_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="geocoder")
CACHE_PREFIX = "geocode:v1:"
_NOT_FOUND = "not-found"


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


class GeocoderUnavailable(Exception):
    """The geocoder failed or did not answer in time; the address is not known to be wrong."""


def in_city_extent(latitude: float, longitude: float) -> bool:
    from events.city import in_city_extent as inside

    return inside(latitude, longitude)


class FakeGeocoder:
    """Offline and deterministic, for tests and demos: knows a few places, never the network.

    An address containing "unavailable" or "timeout" raises GeocoderUnavailable.
    """

    cacheable = False  # tests patch it to hang or fail; nothing to save by caching

    PLACES = {
        "city hall": Point(41.8837, -87.6319),
        "121 n lasalle": Point(41.8837, -87.6319),
        "hyde park": Point(41.7943, -87.5907),
        "5801 s ellis": Point(41.7886, -87.5987),
        "wrigley": Point(41.9484, -87.6553),
        "1060 w addison": Point(41.9484, -87.6553),
        "englewood": Point(41.7798, -87.6446),
        "pilsen": Point(41.8565, -87.6620),
        "milwaukee": Point(43.0389, -87.9065),
        "springfield": Point(39.7817, -89.6501),
    }

    def geocode(self, address: str) -> Point | None:
        text = address.lower()
        if "unavailable" in text or "timeout" in text:
            raise GeocoderUnavailable("fake geocoder told to fail")
        for key, point in self.PLACES.items():
            if key in text:
                return point
        return None


class NoGeocoder:
    """Geocoding switched off: every address waits for staff to place it."""

    cacheable = False

    def geocode(self, address: str) -> Point | None:
        raise GeocoderUnavailable("geocoding is switched off")


def geopy_class(name: str):
    """A geopy geocoder class from its service name ("nominatim") or class name ("ArcGIS")."""
    from geopy import geocoders
    from geopy.exc import GeocoderNotFound
    from geopy.geocoders.base import Geocoder

    found = getattr(geocoders, name, None)
    if isinstance(found, type) and issubclass(found, Geocoder):
        return found
    try:
        return geocoders.get_geocoder_for_service(name)
    except GeocoderNotFound:
        raise ImproperlyConfigured(
            f"GEOCODER must be fake, none or a geopy geocoder (nominatim, arcgis, GoogleV3, ...), "
            f"not {name!r}."
        ) from None


class GeopyGeocoder:
    """Any geopy provider, its calls spaced by geopy's RateLimiter and bounded to the city."""

    cacheable = True

    def __init__(self, name: str):
        from geopy.extra.rate_limiter import RateLimiter

        cls = geopy_class(name)
        options = {"timeout": settings.GEOCODER_TIMEOUT, **settings.GEOCODER_OPTIONS}
        if cls.__name__ == "Nominatim":
            options.setdefault("user_agent", settings.GEOCODER_USER_AGENT)
        try:
            self._provider = cls(**options)
        except TypeError as exc:
            raise ImproperlyConfigured(f"GEOCODER_OPTIONS do not suit {cls.__name__}: {exc}") from None
        self.name = cls.__name__
        # One spacer per process; with N app servers the provider sees at most N calls a second.
        self._geocode = RateLimiter(
            self._provider.geocode, min_delay_seconds=settings.GEOCODER_MIN_DELAY_SECONDS,
            max_retries=0, swallow_exceptions=False,
        )

    def geocode(self, address: str) -> Point | None:
        from geopy.exc import GeopyError

        query = address if settings.CAMPAIGN_CITY.lower() in address.lower() else (
            f"{address}, {settings.CAMPAIGN_CITY}"
        )
        kwargs = {"exactly_one": True}
        if self.name == "Nominatim":
            from events.city import city_bbox

            bbox = city_bbox()
            if bbox is not None:
                min_lon, min_lat, max_lon, max_lat = bbox
                kwargs.update(viewbox=[(min_lat, min_lon), (max_lat, max_lon)], bounded=False)
            if settings.GEOCODER_COUNTRY:
                kwargs["country_codes"] = settings.GEOCODER_COUNTRY
        try:
            location = self._geocode(query, **kwargs)
        except (GeopyError, OSError) as exc:
            raise GeocoderUnavailable(type(exc).__name__) from exc
        if location is None:
            return None
        return Point(float(location.latitude), float(location.longitude))


_providers: dict[tuple, object] = {}
_providers_lock = threading.Lock()


def get_geocoder():
    """The configured provider; geopy ones are kept per process so their RateLimiter is shared."""
    name = settings.GEOCODER
    if name == "fake":
        return FakeGeocoder()
    if name == "none":
        return NoGeocoder()
    key = (name, repr(sorted(settings.GEOCODER_OPTIONS.items())), settings.GEOCODER_TIMEOUT,
           settings.GEOCODER_MIN_DELAY_SECONDS)
    with _providers_lock:
        if key not in _providers:
            _providers[key] = GeopyGeocoder(name)
        return _providers[key]


def _cache_key(address: str) -> str:
    text = " ".join(address.lower().split())
    digest = hashlib.sha256(f"{settings.GEOCODER}|{settings.CAMPAIGN_CITY}|{text}".encode()).hexdigest()
    return CACHE_PREFIX + digest


def geocode(address: str) -> Point | None:
    """The address's point; None when the geocoder knows no such place.

    Raises GeocoderUnavailable when the geocoder fails or misses the deadline
    (settings.GEOCODER_TIMEOUT, 3 seconds by default). Answers (found or not) are cached for
    GEOCODER_CACHE_SECONDS; failures are not, so the next try asks again.
    """
    geocoder = get_geocoder()
    key = _cache_key(address) if geocoder.cacheable else None
    if key is not None:
        cached = cache.get(key)
        if cached == _NOT_FOUND:
            return None
        if cached is not None:
            return Point(*cached)
    future = _pool.submit(geocoder.geocode, address)
    try:
        point = future.result(timeout=settings.GEOCODER_TIMEOUT)
    except FutureTimeout:
        future.cancel()
        logger.warning("Geocoder missed its %ss deadline", settings.GEOCODER_TIMEOUT)
        raise GeocoderUnavailable("timeout") from None
    except GeocoderUnavailable:
        raise
    except Exception as exc:  # a provider bug must not lose a submission either
        logger.warning("Geocoder failed: %s", type(exc).__name__)
        raise GeocoderUnavailable(type(exc).__name__) from exc
    if key is not None:
        value = _NOT_FOUND if point is None else (point.latitude, point.longitude)
        cache.set(key, value, settings.GEOCODER_CACHE_SECONDS)
    return point


def download(url: str, *, timeout: float, max_bytes: int) -> bytes:
    """The body of an http(s) URL (an open-data file: boundaries, population), through geopy's
    HTTP adapter, the same client the geocoder uses, with our user agent. Raises OSError (the
    network, an HTTP error, a timeout) or ValueError (larger than `max_bytes`)."""
    from geopy.exc import GeopyError
    from geopy.geocoders import options

    adapter = options.default_adapter_factory(proxies=None, ssl_context=options.default_ssl_context)
    try:
        text = adapter.get_text(url, timeout=timeout, headers={"User-Agent": settings.GEOCODER_USER_AGENT})
    except GeopyError as exc:  # geopy wraps timeouts, refusals and HTTP errors
        raise OSError(str(exc) or type(exc).__name__) from exc
    body = text.encode()
    if len(body) > max_bytes:
        raise ValueError(f"larger than {max_bytes // 2**20} MB")
    return body
