"""Enrol a staff member for two-factor sign-in: print the authenticator link and a QR code."""

import qrcode
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Create a TOTP authenticator for a staff member and print its otpauth:// link and a QR "
        "code to scan with an authenticator app. Run it on the server; never send the link by email."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--replace", action="store_true",
            help="Remove the user's existing authenticators first (a lost phone).",
        )
        parser.add_argument("--no-qr", action="store_true", help="Print only the link.")

    def handle(self, *args, username, replace, no_qr, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}.")
        if not user.is_staff:
            raise CommandError(f"{username!r} is not staff; only staff sign in to the admin.")
        existing = TOTPDevice.objects.filter(user=user)
        if existing.exists() and not replace:
            raise CommandError(
                f"{username!r} already has an authenticator. Use --replace if it was lost."
            )
        existing.delete()
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        url = device.config_url
        if not no_qr:
            code = qrcode.QRCode(border=1)
            code.add_data(url)
            code.print_ascii(out=self.stdout._out, invert=True)
        self.stdout.write(url)
        self.stdout.write(self.style.SUCCESS(
            f"Scan this with an authenticator app; {username} now signs in with the 6-digit code."
        ))
