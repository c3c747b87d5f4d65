"""Where an event is mapped, decided in one place: the pin, else the geocoded address, else
"needs location" for staff to place it.

Called by the write functions in events/services.py before their transaction opens, so no
database transaction ever waits on the geocoder (which is bounded by its own deadline).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from events import geocoding


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
    if not geocoding.in_city_extent(point.latitude, point.longitude):
        raise AddressOutsideCity()
    return Location(point.latitude, point.longitude, needs_location=False)
