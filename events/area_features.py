"""Checking a boundaries GeoJSON: every feature a polygon in longitude/latitude, with a number
(a positive whole number, each once) and a name; every problem collected, so one run shows the
whole list to fix."""

from __future__ import annotations

from dataclasses import dataclass

from events.area_files import BoundaryError
from events.geometry import GeometryError, polygon_from_geojson
from events.models import CommunityArea

# Field names tried when none is given: the portal's export, its tidier copies, generic names.
NAME_FIELDS = ("community", "name", "NAME", "Name")
NUMBER_FIELDS = ("area_numbe", "area_number", "area_num_1", "number", "NUMBER", "id")
NAME_MAX_LENGTH = CommunityArea._meta.get_field("official_name").max_length


@dataclass
class ParsedArea:
    number: int
    name: str
    geometry: object  # a shapely Polygon or MultiPolygon


def _pick_field(properties: dict, given: str | None, candidates: tuple[str, ...]) -> str | None:
    if given:
        return given
    return next((name for name in candidates if name in properties), None)


def _parse_number(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and 1 <= value <= 32767:
        return value
    return None


def parse_areas(
    document: object,
    *,
    name_field: str | None = None,
    number_field: str | None = None,
    expect: int | None = None,
    repair: bool = False,
) -> tuple[list[ParsedArea], list[int]]:
    """Check a GeoJSON FeatureCollection; returns (areas, numbers repaired) or BoundaryError."""
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise BoundaryError(["The file is not a GeoJSON FeatureCollection."])
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryError(["The FeatureCollection has no features."])
    errors: list[str] = []
    areas: list[ParsedArea] = []
    repaired: list[int] = []
    seen: dict[int, int] = {}
    for position, feature in enumerate(features, start=1):
        where = f"Feature {position}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.append(f"{where}: not a GeoJSON Feature.")
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            errors.append(f"{where}: its properties are not an object.")
            continue
        number_key = _pick_field(properties, number_field, NUMBER_FIELDS)
        name_key = _pick_field(properties, name_field, NAME_FIELDS)
        number = _parse_number(properties.get(number_key)) if number_key else None
        if number is None:
            shown = repr(properties.get(number_key)) if number_key in properties else "missing"
            hint = number_key or "/".join(NUMBER_FIELDS)
            errors.append(f"{where}: the number ({hint}) is {shown}; expected a whole number "
                          f"from 1 (use --number-field to choose the field).")
        else:
            where = f"Feature {position} (number {number})"
            if number in seen:
                errors.append(f"{where}: number {number} is also used by feature {seen[number]}.")
            else:
                seen[number] = position
        raw_name = properties.get(name_key) if name_key else None
        name = " ".join(str(raw_name).split()) if isinstance(raw_name, (str, int)) else ""
        if not name:
            hint = name_key or "/".join(NAME_FIELDS)
            errors.append(f"{where}: the name ({hint}) is missing or empty (use --name-field to "
                          f"choose the field).")
        elif len(name) > NAME_MAX_LENGTH:
            errors.append(f"{where}: the name is longer than {NAME_MAX_LENGTH} characters.")
        try:
            geometry = polygon_from_geojson(feature.get("geometry"), repair=repair)
        except GeometryError as exc:
            errors.append(f"{where}: {exc}.")
            continue
        if repair and number is not None and not _is_valid(feature.get("geometry")):
            repaired.append(number)
        if number is not None and name:
            areas.append(ParsedArea(number=number, name=name, geometry=geometry))
    if expect and not errors and len(areas) != expect:
        errors.append(f"The file has {len(areas)} areas; {expect} were expected "
                      f"(use --expect to change this, or --expect 0 to skip the check).")
    if errors:
        raise BoundaryError(errors)
    return areas, repaired


def _is_valid(geometry: dict) -> bool:
    try:
        polygon_from_geojson(geometry)
    except GeometryError:
        return False
    return True


def display_name(official_name: str) -> str:
    """A readable name for a new area: the City writes names in capitals ("ROGERS PARK")."""
    return official_name.title() if official_name.isupper() else official_name
