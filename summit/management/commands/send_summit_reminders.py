"""Email the reminder (with the meeting link) to every confirmed registrant, once."""

from django.core.management.base import BaseCommand, CommandError

from summit.models import Summit
from summit.services import send_reminders, summits_due_for_reminder


class Command(BaseCommand):
    help = ("Remind confirmed registrants of summits starting within SUMMIT_REMINDER_HOURS_BEFORE. "
            "Each person is reminded once, however often this runs.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List who would be reminded; send nothing.")
        parser.add_argument("--summit", type=int, help="Remind for this summit (its id), whenever it starts.")

    def handle(self, *args, dry_run, summit, **options):
        if summit is not None:
            summits = Summit.objects.filter(pk=summit)
            if not summits:
                raise CommandError(f"There is no summit with id {summit}.")
        else:
            summits = summits_due_for_reminder()
        total = 0
        for one in summits:
            registrations = send_reminders(summit=one, dry_run=dry_run)
            total += len(registrations)
            verb = "Would remind" if dry_run else "Reminded"
            self.stdout.write(f"{one}: {verb.lower()} {len(registrations)} registrant(s).")
            if dry_run:
                for registration in registrations:
                    self.stdout.write(f"  {registration.name} <{registration.email}>")
        if not summits:
            self.stdout.write("No summit starts soon: nothing to send.")
        self.stdout.write(self.style.SUCCESS(
            f"{'Dry run: would remind' if dry_run else 'Reminded'} {total} registrant(s)."
        ))
