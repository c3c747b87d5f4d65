"""Create the demo summit, its agenda, prompts and a few approved reflections (idempotent)."""

from django.core.management.base import BaseCommand

from summit.demo import seed_summit


class Command(BaseCommand):
    help = "Create a current demo summit at the end of the campaign's January. Safe to run twice."

    def handle(self, *args, **options):
        summit, created = seed_summit()
        state = "created" if created else "already there"
        self.stdout.write(self.style.SUCCESS(f"Demo summit {state}: {summit}."))
