"""Email each host, once, a private link to report back after their approved event is over."""

from django.core.management.base import BaseCommand

from events.reports import events_due_for_report, request_due_reports


class Command(BaseCommand):
    help = ("Email the host of every approved event that is over (its end, or its start when it "
            "has no end, has passed; within REPORT_REQUEST_MAX_AGE_DAYS) a private link to report "
            "back. Each host is asked once per event, however often this runs: run it hourly.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count who would be asked; send nothing.")

    def handle(self, *args, dry_run, **options):
        if dry_run:
            self.stdout.write(f"Would ask {events_due_for_report().count()} host(s) to report back.")
            return
        asked = request_due_reports()
        self.stdout.write(self.style.SUCCESS(f"Asked {asked} host(s) to report back."))
