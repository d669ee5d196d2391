"""Create the demo accounts of the README (idempotent: running it again changes nothing)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from staff.demo import seed_demo


class Command(BaseCommand):
    help = "Create the demo partners, projects and accounts (password: partner-support-demo)."

    def handle(self, *args, **options):
        with transaction.atomic():
            created = seed_demo(today=timezone.localdate())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new accounts)."))
