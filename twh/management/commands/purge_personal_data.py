"""Remove contact details from submissions older than a date, keeping the statistics."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from twh.retention import purge_personal_data


class Command(BaseCommand):
    help = (
        "Remove contact details (emails, phones, private names, individuals' addresses and "
        "precise points, report photos and intake notes, stored emails) from events, messages, summit registrations and "
        "reflections older than DATE. Public and statistical fields stay."
    )

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="A date, YYYY-MM-DD: purge what is older.")
        parser.add_argument("--dry-run", action="store_true", help="Count what would be purged; change nothing.")

    def handle(self, *args, before, dry_run, **options):
        try:
            cutoff = date.fromisoformat(before)
        except ValueError as exc:
            raise CommandError(f"--before must be a date like 2027-06-30, not {before!r}.") from exc
        counts = purge_personal_data(before=cutoff, dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        details = ", ".join(f"{what}: {count}" for what, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"{verb} contact details older than {cutoff}: {details}."))
