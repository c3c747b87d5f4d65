"""Re-derive every event's community area from its point and the loaded boundaries."""

import sys

from django.core.management.base import BaseCommand, CommandError

from events.area_assignment import assign_areas


class Command(BaseCommand):
    help = ("Set each event's community area from its precise point, using the loaded "
            "boundaries. Events without a point, or outside every area, keep theirs.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count the changes; write nothing.")

    def handle(self, *args, dry_run, **options):
        show = sys.stdout.isatty() or options.get("verbosity", 1) >= 2

        def progress(done, total):
            if show and total and (done == total or done % max(total // 50, 1) == 0):
                filled = int(30 * done / total)
                self.stdout.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", ending="")
                if done == total:
                    self.stdout.write("")

        result = assign_areas(dry_run=dry_run, progress=progress)
        if result is None:
            raise CommandError("No boundaries are loaded: run `manage.py load_areas` first.")
        verb = "would change" if dry_run else "changed"
        self.stdout.write(self.style.SUCCESS(
            f"{result.checked} event(s) with a point checked: {verb} {result.changed}, "
            f"{result.outside} outside every area (kept as they were); "
            f"{result.without_point} without a point (kept)."
        ))
