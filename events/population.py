"""Loading each area's residents from a CSV, all or nothing, for the per-resident coverage rates.

Two shapes are read the same way: the 2020 census counts shipped in events/data/
(`area_number,name,population_2020`) and the City of Chicago's "ACS 5 Year Data by Community
Area" export (upper-case names such as `LAKE VIEW` or `OHARE`). The area column may hold the
area's number or its name; a name is matched after normalising (case, accents, punctuation and
spaces ignored) against the area's name and the City's official name. Every row is checked
before anything is written: an unknown area, an area given twice, a count that is not a whole
number, or a missing column stops the load with every problem listed and changes nothing. The
ACS export holds one row per area for each survey year (its `ACS Year` column): `--year` says
which year to read.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from events.data_files import DataFileError, read_bytes
from events.models import CommunityArea
from twh.core.publication import public_data_changed

# Chicago's 2020 census counts per community area (events/data/SOURCE.md): the default source.
EMBEDDED_POPULATION_PATH = Path(__file__).resolve().parent / "data" / "chicago-community-areas-population-2020.csv"
EMBEDDED_AREA_FIELD = "area_number"
EMBEDDED_POPULATION_FIELD = "population_2020"
EMBEDDED_YEAR = 2020
EMBEDDED_SOURCE = "U.S. Census"
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
URL_TIMEOUT_SECONDS = 20
MAX_POPULATION = 2_000_000_000
SOURCE_MAX_LENGTH = CommunityArea._meta.get_field("population_source").max_length
_COUNT = re.compile(r"\d{1,3}(,\d{3})+|\d+")


class PopulationError(DataFileError):
    """The residents file cannot be loaded; `errors` lists every problem (nothing was written)."""


@dataclass
class PopulationReport:
    source: str
    year: int | None
    loaded: dict[int, int] = field(default_factory=dict)  # area number -> residents
    changed: list[int] = field(default_factory=list)
    cleared: list[int] = field(default_factory=list)  # areas not in the file: no count now
    dry_run: bool = False

    def summary(self) -> str:
        verb = "Would load" if self.dry_run else "Loaded"
        year = f" ({self.year})" if self.year else ""
        lines = [f"{verb} the residents of {len(self.loaded)} areas{year} from {self.source}: "
                 f"{sum(self.loaded.values()):,} people, {len(self.changed)} areas changed."]
        if self.cleared:
            lines.append("Not in the file, so shown without a rate: area(s) "
                         + ", ".join(str(n) for n in sorted(self.cleared)) + ".")
        return "\n".join(lines)


def normalise_name(name: str) -> str:
    """`O'Hare`, `OHARE` and `o hare` alike: letters and digits only, accents dropped, casefolded."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).casefold()


def read_text(source: str) -> str:
    """The text of a file path or an http(s) URL (events.data_files); PopulationError if not."""
    raw = read_bytes(source, max_bytes=MAX_DOWNLOAD_BYTES, timeout=URL_TIMEOUT_SECONDS, error=PopulationError)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PopulationError([f"{source} is not UTF-8 text: {exc}"]) from exc


def _count(raw: str) -> int | None:
    """A whole number of residents: `2567`, `2,567` or `2567.0`; None for anything else."""
    text = raw.strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not _COUNT.fullmatch(text):
        return None
    value = int(text.replace(",", ""))
    return value if value <= MAX_POPULATION else None


def _year_of(value: str) -> int | None:
    """2022 from `2022` or `2018-2022` (an ACS period is named for its last year)."""
    years = re.findall(r"(?<!\d)(1[89]\d\d|2[01]\d\d)(?!\d)", value or "")
    return int(years[-1]) if years else None


def year_column(columns: list[str]) -> str | None:
    """The column that says which year a row counts (the City's ACS export has `ACS Year`)."""
    return next((c for c in columns if normalise_name(c) in ("year", "acsyear", "censusyear")), None)


def parse_population(text: str, *, area_field: str, population_field: str, areas: list[CommunityArea],
                     year: int | None = None) -> tuple[dict[int, int], int | None]:
    """({area pk: residents}, the year) from the CSV's text; PopulationError listing every problem.

    A file with a year column (several years of the ACS, one row per area each) is read for
    `year` only; without one, a file holding a single year gives that year.
    """
    reader = csv.DictReader(io.StringIO(text))
    columns = reader.fieldnames or []
    missing = [name for name in (area_field, population_field) if name not in columns]
    if missing:
        raise PopulationError([
            f"No column {name!r} in the file (its columns: {', '.join(columns) or 'none'})." for name in missing
        ])
    rows = [(line, row) for line, row in enumerate(reader, start=2)
            if any((value or "").strip() for value in row.values() if isinstance(value, str))]
    years_column = year_column(columns)
    if years_column:
        years = sorted({y for _, row in rows if (y := _year_of(row.get(years_column))) is not None})
        if year is None and len(years) > 1:
            raise PopulationError([f"The file holds several years in column {years_column!r} "
                                   f"({', '.join(map(str, years))}): choose one with --year."])
        if year is None and years:
            year = years[0]
        elif years and year not in years:
            raise PopulationError([f"No rows for {year} in column {years_column!r} "
                                   f"(it holds {', '.join(map(str, years))})."])
        if years:
            rows = [(line, row) for line, row in rows if _year_of(row.get(years_column)) == year]
    by_number = {a.number: a for a in areas}
    by_name: dict[str, CommunityArea] = {}
    for a in areas:
        for name in (a.name, a.official_name):
            by_name.setdefault(normalise_name(name), a)
    errors: list[str] = []
    found: dict[int, int] = {}
    first_row: dict[int, int] = {}
    for line, row in rows:
        key = (row.get(area_field) or "").strip()
        area = by_number.get(int(key)) if key.isdigit() else by_name.get(normalise_name(key))
        if area is None:
            errors.append(f"Line {line}: no area {key!r} (give its number or its name)." if key
                          else f"Line {line}: the {area_field!r} column is empty.")
            continue
        residents = _count(row.get(population_field) or "")
        if residents is None:
            errors.append(f"Line {line}: {area.name}: {population_field} {row.get(population_field)!r} "
                          "is not a whole number of residents.")
            continue
        if area.pk in first_row:
            errors.append(f"Line {line}: {area.name} is given twice (first on line {first_row[area.pk]}).")
            continue
        first_row[area.pk] = line
        found[area.pk] = residents
    if not rows:
        errors.append("The file has no rows.")
    if errors:
        raise PopulationError(errors)
    return found, year


def year_from_field(population_field: str) -> int | None:
    """2020 from `population_2020`: the year a field name gives, if it gives one."""
    return _year_of(population_field)


def load_population(source: str, *, area_field: str, population_field: str, year: int | None = None,
                    source_label: str = "", dry_run: bool = False) -> PopulationReport:
    """Store each area's residents from the CSV at `source`, all or nothing.

    `year` picks the rows of that year from a file with a year column (the ACS export), and is
    what the page says the counts refer to; without it, the file's one year or a year in the
    population field's name (`population_2020`). Areas the file does not name lose their count
    (a rate from another year or source beside these would mislead); nothing is written when
    any row is wrong.
    """
    label = " ".join((source_label or "").split())[:SOURCE_MAX_LENGTH]
    text = read_text(source)
    areas = list(CommunityArea.objects.all())
    found, year = parse_population(text, area_field=area_field, population_field=population_field,
                                   areas=areas, year=year)
    if year is None:
        year = year_from_field(population_field)
    report = PopulationReport(source=source, year=year, dry_run=dry_run)
    changed = []
    for area in areas:
        new = (found.get(area.pk), year if area.pk in found else None, label if area.pk in found else "")
        if area.pk in found:
            report.loaded[area.number] = found[area.pk]
        elif area.population is not None:
            report.cleared.append(area.number)
        if (area.population, area.population_year, area.population_source) != new:
            area.population, area.population_year, area.population_source = new
            changed.append(area)
            report.changed.append(area.number)
    if dry_run or not changed:
        return report
    with transaction.atomic():
        CommunityArea.objects.bulk_update(changed, ["population", "population_year", "population_source"])
        public_data_changed()
    return report


def load_embedded_population(*, dry_run: bool = False) -> PopulationReport:
    """Chicago's 2020 census counts from events/data/, read with no network."""
    return load_population(str(EMBEDDED_POPULATION_PATH), area_field=EMBEDDED_AREA_FIELD,
                           population_field=EMBEDDED_POPULATION_FIELD, year=EMBEDDED_YEAR,
                           source_label=EMBEDDED_SOURCE, dry_run=dry_run)
