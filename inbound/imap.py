"""The IMAP poller: unread messages of the configured mailbox are ingested, then flagged as seen.

Configured by IMAP_HOST, IMAP_PORT, IMAP_USER, IMAP_PASSWORD, IMAP_SSL and IMAP_MAILBOX in the settings; with no
IMAP_HOST it does nothing. A message that fails unexpectedly stays unread and is tried again on the next poll;
ingestion is idempotent by Message-ID, so a message fetched twice is stored once.
"""

import imaplib
import logging

from django.conf import settings

from .services import inbound_email_ingest

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 30


def _connect() -> imaplib.IMAP4:
    host = settings.IMAP_HOST
    use_ssl = getattr(settings, "IMAP_SSL", True)
    port = int(getattr(settings, "IMAP_PORT", 0) or (993 if use_ssl else 143))
    if use_ssl:
        return imaplib.IMAP4_SSL(host, port, timeout=TIMEOUT_SECONDS)
    return imaplib.IMAP4(host, port, timeout=TIMEOUT_SECONDS)


def imap_poll() -> int:
    """Ingest every unread message of the mailbox; returns how many were ingested."""
    if not getattr(settings, "IMAP_HOST", ""):
        return 0
    ingested = 0
    with _connect() as client:
        client.login(getattr(settings, "IMAP_USER", ""), getattr(settings, "IMAP_PASSWORD", ""))
        client.select(getattr(settings, "IMAP_MAILBOX", "") or "INBOX")
        _status, data = client.uid("SEARCH", None, "UNSEEN")
        for uid in data[0].split() if data and data[0] else []:
            _status, fetched = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((item[1] for item in fetched if isinstance(item, tuple)), None)
            if raw is None:
                continue
            try:
                inbound_email_ingest(raw=raw)
            except Exception:
                logger.exception("Inbound e-mail with IMAP UID %s could not be ingested; left unread", uid)
                continue
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            ingested += 1
        client.close()
    return ingested
