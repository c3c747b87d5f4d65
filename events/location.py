"""Where an event is mapped, decided in one place: the pin, else the geocoded address, else
"needs location" for staff to place it; and what follows from the point (its community area
and its public point).

decide_location() is called by the write functions in events/services.py before their
transaction opens, so no database transaction ever waits on the geocoder (which is bounded by
its own deadline); apply_location() by the same functions on every save. Forms only ask
in_city() of a pin, which never touches the network.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from events import geocoding
from events.geometry import area_for_point
from events.privacy import apply_public_point


class AddressOutsideCity(ValidationError):
    """The geocoder placed the address outside the city: the submitter should check it."""

    def __init__(self):
        super().__init__(
            _("This address seems to be outside the city. The campaign maps events in %(city)s: "
              "please check it."),
            code="outside_city", params={"city": settings.CAMPAIGN_CITY},
        )


@dataclass(frozen=True)
class Location:
    latitude: float | None
    longitude: float | None
    needs_location: bool


def in_city(latitude: float, longitude: float) -> bool:
    """Whether a point lies within the city's extent (a pin's check: no network)."""
    return geocoding.in_city_extent(latitude, longitude)


def decide_location(*, latitude: float | None, longitude: float | None, address: str) -> Location:
    """A pin placed on the map wins; otherwise the address is geocoded.

    A geocoder that is down, slow or does not know the address flags the event for staff
    instead of failing. Raises AddressOutsideCity when the address is found outside the city.
    (The form has already refused a pin outside the city and a form with neither.)
    """
    if latitude is not None and longitude is not None:
        return Location(latitude, longitude, needs_location=False)
    address = (address or "").strip()
    if not address:
        return Location(None, None, needs_location=True)
    try:
        point = geocoding.geocode(address)
    except geocoding.GeocoderUnavailable:
        return Location(None, None, needs_location=True)
    if point is None:
        return Location(None, None, needs_location=True)
    if not in_city(point.latitude, point.longitude):
        raise AddressOutsideCity()
    return Location(point.latitude, point.longitude, needs_location=False)


def apply_location(event) -> None:
    """Set what follows from the event's precise point (not saved): with boundaries loaded, the
    point decides the community area (otherwise the submitter's choice stays); the public point
    follows the privacy rule; a placed event no longer needs a location."""
    area_id = area_for_point(event.latitude, event.longitude)
    if area_id is not None:
        event.community_area_id = area_id
    apply_public_point(event)
    if event.latitude is not None:
        event.needs_location = False
