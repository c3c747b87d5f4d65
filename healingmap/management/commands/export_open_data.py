"""manage.py export_open_data --edition SLUG [--output PATH]: an edition's open-data zip."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from healingmap.open_data import build_archive
from twh.core.editions import Edition


class Command(BaseCommand):
    help = ("Write an edition's archive snapshot (GeoJSON, CSV, data dictionary, README with the "
            "licence) as a zip for the city's open-data portal.")

    def add_arguments(self, parser):
        parser.add_argument("--edition", required=True, help="The edition's slug, e.g. 2020-21.")
        parser.add_argument("--output", help="Where to write the zip (default: twh-open-data-SLUG.zip here).")

    def handle(self, *args, edition, output=None, **options):
        found = Edition.objects.filter(slug=edition).first()
        if found is None:
            known = ", ".join(Edition.objects.order_by("starts_on").values_list("slug", flat=True)) or "none"
            raise CommandError(f"No edition {edition!r}. Known editions: {known}.")
        path = Path(output or f"twh-open-data-{found.slug}.zip")
        data = build_archive(found)
        try:
            path.write_bytes(data)
        except OSError as problem:
            raise CommandError(f"Could not write {path}: {problem}") from None
        self.stdout.write(f"Wrote {path} ({len(data):,} bytes).")
