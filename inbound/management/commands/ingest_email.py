"""Ingest one e-mail from standard input, for a mail server's pipe (e.g. Postfix: `|manage.py ingest_email`)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from inbound.services import inbound_email_ingest


class Command(BaseCommand):
    help = "Read one RFC 822 message from standard input and turn it into a ticket or a comment."

    def handle(self, *args, **options):
        raw = sys.stdin.buffer.read()
        if not raw.strip():
            raise CommandError("No message on standard input.")
        record = inbound_email_ingest(raw=raw)
        ticket = f" ticket {record.ticket.number}" if record.ticket_id else ""
        self.stdout.write(f"{record.message_id}: {record.status}{ticket} {record.reason}".rstrip())
