"""An edition's open-data archive: one zip of the public GeoJSON and CSV, their data dictionary
and a README stating the licence, ready for the city's open-data portal.

Built only from the allow-listed public builders (healingmap/geojson.py through
healingmap/documents.py): the same bytes the map's downloads serve, so no contact detail, precise
private point or unpublished message can reach it.
"""

import io
import zipfile

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone, translation

from healingmap import documents, geojson
from healingmap.filters import MapFilterForm
from twh.core.editions import Edition

DATA_DICTIONARY_NAME = "data-dictionary.csv"


def _form(edition: Edition) -> MapFilterForm:
    form = MapFilterForm(QueryDict(f"edition={edition.slug}"))
    if not form.is_valid():  # the edition exists, so only a bug gets here
        raise ValueError(form.errors.as_text())
    return form


def _data_dictionary() -> bytes:
    buffer = io.StringIO()
    import csv

    writer = csv.writer(buffer)
    writer.writerow(["column", "description"])
    for name in geojson.CSV_COLUMNS:
        writer.writerow([name, str(geojson.COLUMN_DESCRIPTIONS[name])])
    return buffer.getvalue().encode()


def _readme(edition: Edition, names: dict[str, str], totals: dict) -> bytes:
    state = (f"closed on {timezone.localtime(edition.closed_at):%Y-%m-%d}" if edition.is_closed
             else "still open: this is a snapshot")
    lines = [
        f"{settings.CAMPAIGN_NAME} - {settings.CAMPAIGN_CITY}: healing events, edition {edition.name}",
        "",
        f"Campaign dates: {edition.starts_on:%Y-%m-%d} to {edition.ends_on:%Y-%m-%d} ({state}).",
        f"Exported: {timezone.localtime():%Y-%m-%d %H:%M %Z}. Approved events: {totals.get('events', 0)}.",
        "",
        "Files:",
        f"- {names['geojson']}: the mapped events as GeoJSON (RFC 7946), one public point each.",
        f"- {names['csv']}: every approved event of the edition, one row each (UTF-8).",
        f"- {DATA_DICTIONARY_NAME}: what each column means.",
        "",
        "Privacy: only the public fields the Healing Map shows. Points are approximate unless an",
        "organization chose to publish its own; no contact details are included.",
        f"Areas with fewer than {settings.MAP_SMALL_COUNT_K} events hosted by residents are shown as",
        "one point at the area's centre.",
        "",
        "Licence:",
        settings.OPEN_DATA_LICENCE,
        "",
    ]
    return "\n".join(lines).encode()


def build_archive(edition: Edition, *, origin: str = "") -> bytes:
    """The zip's bytes for this edition (English text, as open-data portals expect)."""
    origin = origin or settings.SITE_URL
    with translation.override("en"):
        form = _form(edition)
        geo = documents.build_geojson(form)
        table = b"".join(documents.csv_chunks(form, origin))
        names = {"geojson": f"healing-events-{edition.slug}.geojson", "csv": f"healing-events-{edition.slug}.csv"}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("README.txt", _readme(edition, names, geo.totals))
            archive.writestr(names["geojson"], geo.body)
            archive.writestr(names["csv"], table)
            archive.writestr(DATA_DICTIONARY_NAME, _data_dictionary())
    return buffer.getvalue()
