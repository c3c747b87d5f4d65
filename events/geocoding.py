"""The one module that talks to a geocoder: an address in, a point (or nothing) out.

The provider is chosen by settings.GEOCODER. Every call has a hard deadline, so a geocoder that
is down, slow or hanging never blocks or loses a submission: the caller saves the event and
flags it for staff instead.
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

# Threads outlive a hung call, so a small shared pool bounds how many can pile up.
_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="geocoder")


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


class GeocoderUnavailable(Exception):
    """The geocoder failed or did not answer in time; the address is not known to be wrong."""


def in_city_extent(latitude: float, longitude: float) -> bool:
    min_lon, min_lat, max_lon, max_lat = settings.CITY_BBOX
    return min_lat <= latitude <= max_lat and min_lon <= longitude <= max_lon


class FakeGeocoder:
    """Offline and deterministic, for tests and demos: knows a few places, never the network.

    An address containing "unavailable" or "timeout" raises GeocoderUnavailable.
    """

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


class NominatimGeocoder:
    """OpenStreetMap's Nominatim through geopy, bounded to the city's extent."""

    def __init__(self):
        from geopy.geocoders import Nominatim

        self._geocoder = Nominatim(
            user_agent=settings.GEOCODER_USER_AGENT, timeout=settings.GEOCODER_TIMEOUT
        )

    def geocode(self, address: str) -> Point | None:
        from geopy.exc import GeopyError

        min_lon, min_lat, max_lon, max_lat = settings.CITY_BBOX
        query = address if settings.CAMPAIGN_CITY.lower() in address.lower() else (
            f"{address}, {settings.CAMPAIGN_CITY}"
        )
        try:
            location = self._geocoder.geocode(
                query, exactly_one=True, viewbox=[(min_lat, min_lon), (max_lat, max_lon)], bounded=False
            )
        except (GeopyError, OSError) as exc:
            raise GeocoderUnavailable(type(exc).__name__) from exc
        if location is None:
            return None
        return Point(location.latitude, location.longitude)


class NoGeocoder:
    """Geocoding switched off: every address waits for staff to place it."""

    def geocode(self, address: str) -> Point | None:
        raise GeocoderUnavailable("geocoding is switched off")


PROVIDERS = {"fake": FakeGeocoder, "nominatim": NominatimGeocoder, "none": NoGeocoder}


def get_geocoder():
    try:
        return PROVIDERS[settings.GEOCODER]()
    except KeyError:
        raise ImproperlyConfigured(
            f"GEOCODER must be one of {', '.join(PROVIDERS)}, not {settings.GEOCODER!r}."
        ) from None


def geocode(address: str) -> Point | None:
    """The address's point; None when the geocoder knows no such place.

    Raises GeocoderUnavailable when the geocoder fails or misses the deadline
    (settings.GEOCODER_TIMEOUT, at most 3 seconds by default).
    """
    geocoder = get_geocoder()
    future = _pool.submit(geocoder.geocode, address)
    try:
        return future.result(timeout=settings.GEOCODER_TIMEOUT)
    except FutureTimeout:
        future.cancel()
        logger.warning("Geocoder missed its %ss deadline", settings.GEOCODER_TIMEOUT)
        raise GeocoderUnavailable("timeout") from None
    except GeocoderUnavailable:
        raise
    except Exception as exc:  # a provider bug must not lose a submission either
        logger.warning("Geocoder failed: %s", type(exc).__name__)
        raise GeocoderUnavailable(type(exc).__name__) from exc
