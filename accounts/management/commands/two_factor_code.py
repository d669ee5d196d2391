"""`manage.py two_factor_code EMAIL`: the code a user's authenticator shows now, on a development server only, so
that the demo's manager and administrator log in without a phone."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current two-factor code of a user (DEBUG only; the authenticator being set up counts)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        if not settings.DEBUG:
            raise CommandError("Only on a development server (DEBUG=1): elsewhere the code is on the user's phone.")
        device = TOTPDevice.objects.filter(user__email__iexact=email.strip()).order_by("-confirmed", "-id").first()
        if device is None:
            raise CommandError(f"{email} has no authenticator: log in once, the set-up page makes one.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
