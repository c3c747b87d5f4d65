"""Load each community area's residents from a CSV file or URL (for the per-resident rates)."""

from django.core.management.base import BaseCommand, CommandError

from events.models import CommunityArea
from events.population import (
    EMBEDDED_POPULATION_PATH,
    PopulationError,
    load_embedded_population,
    load_population,
)


class Command(BaseCommand):
    help = (
        "Load each area's residents from a CSV file or http(s) URL: the 2020 census counts "
        "(area_number,name,population_2020) or the City of Chicago's ACS export by community area. "
        "The area column may hold numbers or names. Checks every row first and loads all or "
        "nothing; areas the file does not name lose their count. Without a source, loads the "
        "embedded 2020 census counts for Chicago (no network)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", default=None,
                            help=f"A CSV file path or http(s) URL (default: {EMBEDDED_POPULATION_PATH.name} "
                                 "in events/data/, with its own fields and year).")
        parser.add_argument("--area-field", default=None,
                            help="The column holding the area's number or name (e.g. area_number, "
                                 "\"Community Area\").")
        parser.add_argument("--population-field", default=None,
                            help="The column holding the number of residents (e.g. population_2020, "
                                 "\"Total Population\").")
        parser.add_argument("--year", type=int, default=None,
                            help="The year the counts refer to; in a file with a year column (the "
                                 "City's ACS export has \"ACS Year\"), the rows of that year are read "
                                 "(default: the file's only year, else a year in the population "
                                 "field's name, e.g. population_2020, else none).")
        parser.add_argument("--source-label", default="",
                            help="Where the counts come from, shown on the coverage page (e.g. "
                                 "\"American Community Survey 2018-2022\"; default: the file's name).")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")
        parser.add_argument(
            "--if-possible", action="store_true",
            help="For `make run`: do nothing when any area already has a count; if the counts "
                 "cannot be loaded (another city's areas), print a one-line warning and exit "
                 "successfully, so the site runs with counts only.",
        )

    def handle(self, *args, source, area_field, population_field, year, source_label, dry_run,
               if_possible, **options):
        if year is not None and not 1800 <= year <= 2200:
            raise CommandError("--year must be between 1800 and 2200.")
        if if_possible and CommunityArea.objects.filter(population__isnull=False).exists():
            return  # loaded before (perhaps from another source): keep it
        try:
            if source is None:
                if area_field or population_field:
                    raise CommandError("--area-field and --population-field go with a source file.")
                report = load_embedded_population(dry_run=dry_run)
                source = str(EMBEDDED_POPULATION_PATH)
            else:
                if not (area_field and population_field):
                    raise CommandError("Give --area-field and --population-field: the columns holding "
                                       "the area (number or name) and its residents.")
                report = load_population(source, area_field=area_field, population_field=population_field,
                                         year=year, source_label=source_label or _file_name(source),
                                         dry_run=dry_run)
        except PopulationError as exc:
            if if_possible:
                first = exc.errors[0] if exc.errors else str(exc)
                self.stderr.write(self.style.WARNING(
                    f"Residents not loaded ({first}); the coverage page shows counts without rates."))
                return
            raise CommandError(f"Nothing was loaded. Problems in {source}:\n{exc}") from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))


def _file_name(source: str) -> str:
    """The last part of a path or URL, without a query: what the page names as the source."""
    return source.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] or source
