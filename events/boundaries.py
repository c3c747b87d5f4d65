"""Storing neighbourhood boundaries in the areas, all or nothing.

The file is read (events/area_files.py) and every feature checked (events/area_features.py)
before anything is written. Then, in one transaction, areas are matched by number: an existing
area gets its boundary, a display outline (events/geometry.py) and a centroid; a number the
database does not know creates an area. With `replace`, the file is the whole set: areas not in
it are retired (kept, with their events, but never offered, counted or used to place a point),
and a retired area in the file comes back. Loading the same file twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from events.area_features import ParsedArea, display_name, parse_areas
from events.area_files import BoundaryError, read_source
from events.geometry import (
    boundaries_changed,
    clear_area_index,
    display_geometry,
    full_geometry,
    inside_centre,
)
from events.models import CommunityArea
from twh.core.publication import public_data_changed

__all__ = ["BoundaryError", "EMBEDDED_AREAS_PATH", "LoadReport", "boundaries_loaded", "default_source",
           "load_areas", "parse_areas", "read_source"]

# The City of Chicago Data Portal's GeoJSON export of "Boundaries - Community Areas (current)".
CHICAGO_AREAS_URL = "https://data.cityofchicago.org/api/geospatial/igwz-8jzy?method=export&format=GeoJSON"
# A simplified copy of that export ships with the code (events/data/SOURCE.md), so a Chicago
# install, and every first `make run`, has the coverage map without reaching the network.
EMBEDDED_AREAS_PATH = Path(__file__).resolve().parent / "data" / "chicago-community-areas.geojson"
EMBEDDED_AREAS_COUNT = 77


@dataclass
class LoadReport:
    source: str
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    not_in_file: list[int] = field(default_factory=list)
    retired: list[int] = field(default_factory=list)
    repaired: list[int] = field(default_factory=list)
    dry_run: bool = False

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.retired)

    def summary(self) -> str:
        verb = "Would load" if self.dry_run else "Loaded"
        lines = [
            f"{verb} {self.total} area boundaries from {self.source}: {len(self.created)} created, "
            f"{len(self.updated)} updated, {len(self.unchanged)} unchanged."
        ]
        if self.repaired:
            lines.append(f"Repaired invalid geometry for area(s) {_numbers(self.repaired)}.")
        if self.retired:
            lines.append(f"{'Would retire' if self.dry_run else 'Retired'} area(s) no longer in the "
                         f"file (kept with their events): {_numbers(self.retired)}.")
        if self.not_in_file:
            lines.append(f"Area(s) in the database but not in the file, left as they were: "
                         f"{_numbers(self.not_in_file)} (--replace retires them).")
        return "\n".join(lines)


def _numbers(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in sorted(numbers))


def _values(parsed: ParsedArea) -> dict:
    latitude, longitude = inside_centre(parsed.geometry)
    return {
        "official_name": parsed.name,
        "boundary": full_geometry(parsed.geometry),
        "display_boundary": display_geometry(parsed.geometry),
        "centroid_latitude": latitude,
        "centroid_longitude": longitude,
    }


def load_areas(
    source: str,
    *,
    name_field: str | None = None,
    number_field: str | None = None,
    expect: int | None = None,
    repair: bool = False,
    dry_run: bool = False,
    replace: bool = False,
) -> LoadReport:
    """Read, check and store the boundaries in `source`; all or nothing. Raises BoundaryError.

    `replace`: the file becomes the whole set of areas; the others are retired, never deleted.
    """
    document = read_source(source)
    areas, repaired = parse_areas(
        document, name_field=name_field, number_field=number_field, expect=expect, repair=repair
    )
    report = LoadReport(source=source, repaired=repaired, dry_run=dry_run)
    with transaction.atomic():
        existing = {area.number: area for area in CommunityArea.all_objects.select_for_update()}
        for parsed in sorted(areas, key=lambda a: a.number):
            values = _values(parsed)
            area = existing.get(parsed.number)
            if area is None:
                report.created.append(parsed.number)
                if not dry_run:
                    CommunityArea.all_objects.create(number=parsed.number, name=display_name(parsed.name), **values)
                continue
            if replace:
                values["retired"] = False
                if area.official_name != parsed.name:  # another area under that number now
                    values["name"] = display_name(parsed.name)
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
        missing = sorted(number for number, area in existing.items() if number not in loaded and not area.retired)
        if replace:
            report.retired = missing
            if not dry_run and missing:
                CommunityArea.all_objects.filter(number__in=missing).update(retired=True)
        else:
            report.not_in_file = missing
        if not dry_run and report.changed:
            public_data_changed()
            clear_area_index()  # this process sees the new polygons at once, even before commit
            transaction.on_commit(boundaries_changed)
    return report


def default_source() -> str:
    """Where `load_areas` reads by default: BOUNDARIES_PATH if set, else the embedded copy of
    Chicago's community areas (no network)."""
    return getattr(settings, "BOUNDARIES_PATH", "") or str(EMBEDDED_AREAS_PATH)


def boundaries_loaded() -> bool:
    """True once any current area has a boundary: the coverage map can be drawn."""
    return CommunityArea.objects.filter(boundary__isnull=False).exists()
