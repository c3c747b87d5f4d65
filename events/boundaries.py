"""Loading neighbourhood boundaries from GeoJSON into the community areas, all or nothing.

Every feature is checked before anything is written: a Polygon or MultiPolygon in
longitude/latitude, a number (a positive whole number, each once) and a name. Then, in one
transaction, areas are matched by number: an existing area gets its boundary, a display
outline and a centroid; a number the database does not know creates an area (another city's
neighbourhoods). Loading the same file twice changes nothing the second time.
"""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from events.geometry import (
    GeometryError,
    boundaries_changed,
    clear_area_index,
    display_geometry,
    full_geometry,
    inside_centre,
    polygon_from_geojson,
)
from events.models import CommunityArea
from twh.core.publication import public_data_changed

# The City of Chicago Data Portal's GeoJSON export of "Boundaries - Community Areas (current)".
CHICAGO_AREAS_URL = "https://data.cityofchicago.org/api/geospatial/igwz-8jzy?method=export&format=GeoJSON"
# A simplified copy of that export ships with the code (events/data/SOURCE.md), so a Chicago
# install, and every first `make run`, has the coverage map without reaching the network.
EMBEDDED_AREAS_PATH = Path(__file__).resolve().parent / "data" / "chicago-community-areas.geojson"
# Field names tried when none is given: the portal's export, its tidier copies, generic names.
NAME_FIELDS = ("community", "name", "NAME", "Name")
NUMBER_FIELDS = ("area_numbe", "area_number", "area_num_1", "number", "NUMBER", "id")
MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024
URL_TIMEOUT_SECONDS = 20
MAX_REPORTED_ERRORS = 20
NAME_MAX_LENGTH = CommunityArea._meta.get_field("official_name").max_length


class BoundaryError(Exception):
    """The file cannot be loaded; `errors` lists every problem found (nothing was written)."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        shown = errors[:MAX_REPORTED_ERRORS]
        more = len(errors) - len(shown)
        super().__init__("\n".join(shown + ([f"... and {more} more problem(s)"] if more else [])))


@dataclass
class ParsedArea:
    number: int
    name: str
    geometry: object  # a shapely Polygon or MultiPolygon


@dataclass
class LoadReport:
    source: str
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    not_in_file: list[int] = field(default_factory=list)
    repaired: list[int] = field(default_factory=list)
    dry_run: bool = False

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)

    def summary(self) -> str:
        verb = "Would load" if self.dry_run else "Loaded"
        lines = [
            f"{verb} {self.total} area boundaries from {self.source}: {len(self.created)} created, "
            f"{len(self.updated)} updated, {len(self.unchanged)} unchanged."
        ]
        if self.repaired:
            lines.append(f"Repaired invalid geometry for area(s) {_numbers(self.repaired)}.")
        if self.not_in_file:
            lines.append(f"Area(s) in the database but not in the file, left as they were: "
                         f"{_numbers(self.not_in_file)}.")
        return "\n".join(lines)


def _numbers(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in sorted(numbers))


def read_source(source: str) -> object:
    """The parsed JSON of a file path or an http(s) URL; BoundaryError with the reason if not."""
    try:
        if source.startswith(("http://", "https://")):
            request = urllib.request.Request(source, headers={"User-Agent": settings.GEOCODER_USER_AGENT})
            with urllib.request.urlopen(request, timeout=URL_TIMEOUT_SECONDS) as response:  # noqa: S310
                raw = response.read(MAX_DOWNLOAD_BYTES + 1)
        else:
            path = Path(source)
            if path.stat().st_size > MAX_DOWNLOAD_BYTES:
                raise BoundaryError([f"{source} is larger than {MAX_DOWNLOAD_BYTES // 2**20} MB."])
            raw = path.read_bytes()
    except BoundaryError:
        raise
    except OSError as exc:  # missing file, network down, timeout, HTTP error
        raise BoundaryError([f"Cannot read {source}: {exc}"]) from exc
    if len(raw) > MAX_DOWNLOAD_BYTES:
        raise BoundaryError([f"{source} is larger than {MAX_DOWNLOAD_BYTES // 2**20} MB."])
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryError([f"{source} is not valid JSON: {exc}"]) from exc


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
    """Check a GeoJSON FeatureCollection; returns (areas, numbers repaired) or BoundaryError.

    Every problem is collected, so one run shows the whole list to fix.
    """
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


def load_areas(
    source: str,
    *,
    name_field: str | None = None,
    number_field: str | None = None,
    expect: int | None = None,
    repair: bool = False,
    dry_run: bool = False,
) -> LoadReport:
    """Read, check and store the boundaries in `source`; all or nothing. Raises BoundaryError."""
    document = read_source(source)
    areas, repaired = parse_areas(
        document, name_field=name_field, number_field=number_field, expect=expect, repair=repair
    )
    report = LoadReport(source=source, repaired=repaired, dry_run=dry_run)
    with transaction.atomic():
        existing = {area.number: area for area in CommunityArea.objects.select_for_update()}
        for parsed in sorted(areas, key=lambda a: a.number):
            boundary = full_geometry(parsed.geometry)
            latitude, longitude = inside_centre(parsed.geometry)
            values = {
                "official_name": parsed.name,
                "boundary": boundary,
                "display_boundary": display_geometry(parsed.geometry),
                "centroid_latitude": latitude,
                "centroid_longitude": longitude,
            }
            area = existing.get(parsed.number)
            if area is None:
                report.created.append(parsed.number)
                if not dry_run:
                    CommunityArea.objects.create(number=parsed.number, name=display_name(parsed.name), **values)
                continue
            changed = [name for name, value in values.items() if getattr(area, name) != value]
            if not changed:
                report.unchanged.append(parsed.number)
                continue
            report.updated.append(parsed.number)
            if not dry_run:
                for name in changed:
                    setattr(area, name, values[name])
                area.save(update_fields=changed)
        loaded = {a.number for a in areas}
        report.not_in_file = sorted(set(existing) - loaded)
        if not dry_run and (report.created or report.updated):
            public_data_changed()
            clear_area_index()  # this process sees the new polygons at once, even before commit
            transaction.on_commit(boundaries_changed)
    return report


def default_source() -> str:
    """Where `load_areas` reads by default: BOUNDARIES_PATH if set, else the embedded copy of
    the City's community areas (no network)."""
    return getattr(settings, "BOUNDARIES_PATH", "") or str(EMBEDDED_AREAS_PATH)


def boundaries_loaded() -> bool:
    """True once any community area has a boundary: the coverage map can be drawn."""
    return CommunityArea.objects.filter(boundary__isnull=False).exists()


@dataclass
class AssignResult:
    checked: int = 0
    changed: int = 0
    outside: int = 0
    without_point: int = 0


ASSIGN_BATCH = 1000


def assign_areas(*, dry_run: bool = False, progress=None) -> AssignResult | None:
    """Re-derive every event's community area from its precise point; None without boundaries.

    Events without a point, or whose point is outside every loaded area, keep the area the
    submitter chose. One transaction; the public caches are invalidated if anything moved.
    """
    from events.geometry import build_area_index
    from events.models import HealingEvent

    index = build_area_index()
    if index is None:
        return None
    result = AssignResult()
    events = HealingEvent.objects.filter(latitude__isnull=False, longitude__isnull=False)
    result.without_point = HealingEvent.objects.count() - events.count()
    rows = list(events.order_by("pk").values_list("pk", "latitude", "longitude", "community_area_id"))
    total = len(rows)
    with transaction.atomic():
        for start in range(0, total, ASSIGN_BATCH):
            batch = rows[start:start + ASSIGN_BATCH]
            found = index.locate_many([r[2] for r in batch], [r[1] for r in batch])
            moves: dict[int, list[int]] = {}
            for (pk, _lat, _lon, current), area_id in zip(batch, found, strict=True):
                result.checked += 1
                if area_id is None:
                    result.outside += 1
                elif area_id != current:
                    moves.setdefault(area_id, []).append(pk)
            result.changed += sum(len(pks) for pks in moves.values())
            if not dry_run:
                for area_id, pks in moves.items():
                    HealingEvent.objects.filter(pk__in=pks).update(community_area_id=area_id)
            if progress:
                progress(min(start + ASSIGN_BATCH, total), total)
        if result.changed and not dry_run:
            public_data_changed()
    return result
