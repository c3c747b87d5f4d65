"""Load neighbourhood boundaries (GeoJSON) into the city's areas."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from events.boundaries import (
    CHICAGO_AREAS_URL,
    EMBEDDED_AREAS_COUNT,
    EMBEDDED_AREAS_PATH,
    BoundaryError,
    boundaries_loaded,
    default_source,
    load_areas,
)


class Command(BaseCommand):
    help = (
        "Load area boundaries from a GeoJSON file or URL (default: BOUNDARIES_PATH, else the copy "
        "of the City of Chicago's community areas in events/data/, read with no network). Checks "
        "every feature first and loads all or nothing; safe to run again. --replace makes the "
        "file the whole set of areas (the others are retired, never deleted)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "source", nargs="?", default=None,
            help="A GeoJSON file path or http(s) URL (default: $BOUNDARIES_PATH, else the embedded "
                 f"events/data/chicago-community-areas.geojson; the City's live export is {CHICAGO_AREAS_URL}).",
        )
        parser.add_argument("--name-field", default=None,
                            help="The feature property holding the area's name (default: community, name).")
        parser.add_argument("--number-field", default=None,
                            help="The feature property holding the area's number "
                                 "(default: area_numbe, area_number, number).")
        parser.add_argument("--expect", type=int, default=None,
                            help=f"How many areas the file must have (default: {EMBEDDED_AREAS_COUNT} on a "
                                 "Chicago install (DEFAULT_AREAS=chicago) or for the embedded file, else no "
                                 "check; 0 to skip).")
        parser.add_argument("--replace", action="store_true",
                            help="The file is the whole set of areas: areas not in it are retired (kept "
                                 "with their events, never offered, counted or used to place a point).")
        parser.add_argument("--repair", action="store_true",
                            help="Repair invalid polygons (self-intersections) instead of refusing them.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")
        parser.add_argument(
            "--if-possible", action="store_true",
            help="For `make run`: say nothing when the boundaries are already loaded and unchanged; "
                 "if they cannot be loaded, print a one-line warning (none when some are already "
                 "loaded) and exit successfully, so the site runs without them.",
        )

    def handle(self, *args, source, name_field, number_field, expect, repair, dry_run, if_possible,
               replace, **options):
        if expect is not None and expect < 0:
            raise CommandError("--expect must be zero or more.")
        source = source or default_source()
        if expect is None and (source == str(EMBEDDED_AREAS_PATH) or settings.DEFAULT_AREAS == "chicago"):
            expect = EMBEDDED_AREAS_COUNT  # a Chicago install expects its 77 community areas
        try:
            report = load_areas(source, name_field=name_field, number_field=number_field,
                                expect=expect or None, repair=repair, dry_run=dry_run, replace=replace)
        except BoundaryError as exc:
            if if_possible:
                first = exc.errors[0] if exc.errors else str(exc)
                if boundaries_loaded():
                    # The map already works with the boundaries loaded earlier: nothing to say.
                    if options["verbosity"] > 1:
                        self.stderr.write(f"Boundaries kept as loaded ({first}).")
                    return
                self.stderr.write(self.style.WARNING(
                    f"Boundaries not loaded ({first}); the site runs without the coverage map."
                ))
                return
            raise CommandError(f"Nothing was loaded. Problems in {source}:\n{exc}") from exc
        if if_possible and not report.changed and options["verbosity"] < 2:
            return  # reported when they were loaded; a rerun of `make run` stays quiet
        self.stdout.write(self.style.SUCCESS(report.summary()))
