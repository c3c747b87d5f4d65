"""Load realistic, deterministic demo events and messages (idempotent)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from events.demo import seed_demo


class Command(BaseCommand):
    help = "Create demo healing events and messages across all community areas. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=200, help="How many events (default 200).")
        parser.add_argument("--messages", type=int, default=None, help="How many messages (default events/4).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same data.")

    def handle(self, *args, events, messages, seed, **options):
        if events < 0 or (messages is not None and messages < 0):
            raise CommandError("--events and --messages must be zero or more.")
        messages = events // 4 if messages is None else messages
        show = sys.stdout.isatty() or events >= 1000

        def progress(done, total):
            if show and (done == total or done % max(total // 50, 1) == 0):
                filled = int(30 * done / total)
                self.stdout.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", ending="")
                if done == total:
                    self.stdout.write("")

        created_events, created_messages = seed_demo(
            events=events, messages=messages, seed=seed, progress=progress
        )
        self.stdout.write(self.style.SUCCESS(
            f"Demo data: {created_events} new event(s), {created_messages} new message(s) "
            f"(asked for {events} events and {messages} messages with seed {seed})."
        ))
