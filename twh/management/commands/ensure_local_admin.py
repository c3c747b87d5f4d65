"""Create (or reuse) a local admin login for development and print how to sign in."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

PASSWORD_FILE = Path(settings.BASE_DIR) / ".admin-password"
USERNAME = "admin"


class Command(BaseCommand):
    help = "Development only: make sure a local superuser exists and print the URL and login."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")

    def handle(self, *args, port, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_local_admin is for local development (DEBUG on) only.")
        if PASSWORD_FILE.exists():
            password = PASSWORD_FILE.read_text().strip()
        else:
            password = secrets.token_urlsafe(12)
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
        User = get_user_model()
        user, _ = User.objects.get_or_create(username=USERNAME, defaults={"email": "admin@example.org"})
        user.is_staff = user.is_superuser = True
        # Setting the same password again would change its hash (a new salt) and sign out every
        # session of this user: `make run` restarts must keep staff signed in.
        if not user.check_password(password):
            user.set_password(password)
        user.save()
        base = f"http://127.0.0.1:{port}"
        self.stdout.write(self.style.SUCCESS(
            f"\nTogether We Heal is starting at {base}/\n"
            f"Staff admin: {base}/admin/  user: {USERNAME}  password: {password}\n"
        ))
