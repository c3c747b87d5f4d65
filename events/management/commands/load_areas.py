"""Load neighbourhood boundaries (GeoJSON) into the community areas."""

from django.core.management.base import BaseCommand, CommandError

from events.boundaries import CHICAGO_AREAS_URL, BoundaryError, default_source, load_areas


class Command(BaseCommand):
    help = (
        "Load community area boundaries from a GeoJSON file or URL (default: BOUNDARIES_PATH, "
        "else the City of Chicago Data Portal's export). Checks every feature first and loads "
        "all or nothing; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "source", nargs="?", default=None,
            help=f"A GeoJSON file path or http(s) URL (default: $BOUNDARIES_PATH or {CHICAGO_AREAS_URL}).",
        )
        parser.add_argument("--name-field", default=None,
                            help="The feature property holding the area's name (default: community, name).")
        parser.add_argument("--number-field", default=None,
                            help="The feature property holding the area's number "
                                 "(default: area_numbe, area_number, number).")
        parser.add_argument("--expect", type=int, default=77,
                            help="How many areas the file must have (default 77, Chicago's; 0 to skip).")
        parser.add_argument("--repair", action="store_true",
                            help="Repair invalid polygons (self-intersections) instead of refusing them.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")
        parser.add_argument(
            "--if-possible", action="store_true",
            help="For `make run`: if the boundaries cannot be loaded, print a one-line warning and "
                 "exit successfully, so the site runs without them.",
        )

    def handle(self, *args, source, name_field, number_field, expect, repair, dry_run, if_possible, **options):
        if expect < 0:
            raise CommandError("--expect must be zero or more.")
        source = source or default_source()
        try:
            report = load_areas(source, name_field=name_field, number_field=number_field,
                                expect=expect or None, repair=repair, dry_run=dry_run)
        except BoundaryError as exc:
            if if_possible:
                first = exc.errors[0] if exc.errors else str(exc)
                self.stderr.write(self.style.WARNING(
                    f"Boundaries not loaded ({first}); the site runs without the coverage map."
                ))
                return
            raise CommandError(f"Nothing was loaded. Problems in {source}:\n{exc}") from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
