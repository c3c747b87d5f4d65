"""Retry emails that could not be sent when they were queued (safe to run from cron)."""

from django.core.management.base import BaseCommand

from twh.core.outbox import send_pending_emails


class Command(BaseCommand):
    help = "Send every queued email that has not gone out yet. Never sends one twice."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="How many to try in this run.")

    def handle(self, *args, limit, **options):
        sent, failed = send_pending_emails(limit=limit)
        self.stdout.write(f"Sent {sent} email(s); {failed} still waiting for the mail server.")
