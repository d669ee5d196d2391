"""The IMAP poller against a real IMAP server: Debian's Dovecot, started on loopback for the test.

Needs `dovecot-imapd` installed (CI: `apt-get install -y dovecot-imapd`) and root, so that Dovecot can hand the
mailbox to an unprivileged user; otherwise the tests are skipped and say why.
"""

import imaplib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from inbound.models import InboundMessage, InboundStatus
from inbound.tasks import imap_poll_task
from tickets.models import Ticket

from .conftest import eml

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
pytestmark = [
    pytest.mark.skipif(DOVECOT is None, reason="Dovecot is not installed (apt-get install -y dovecot-imapd)"),
    pytest.mark.skipif(
        hasattr(os, "geteuid") and os.geteuid() != 0,
        reason="Dovecot is started as root here, to run the mailbox as the unprivileged user nobody",
    ),
    pytest.mark.django_db,
]
PASSWORD = "imap-test-password"
CONFIG = """
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:{root}/%u/Maildir
first_valid_uid = 1
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/%u
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, server: subprocess.Popen, root: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"Dovecot exited: {(root / 'dovecot.log').read_text(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        except OSError:
            time.sleep(0.1)
        else:
            return
    pytest.fail("Dovecot did not open its IMAP port within 15 s")


@pytest.fixture
def imap_server(settings):
    """A throw-away Dovecot with one mailbox, `support`; the settings point the poller at it."""
    root = Path(tempfile.mkdtemp(prefix="dovecot-test-"))
    root.chmod(0o755)  # the mailbox user (nobody) must reach its home below this directory
    home = root / "support"
    home.mkdir()
    shutil.chown(home, "nobody", "nogroup")
    (root / "users").write_text(f"support:{{PLAIN}}{PASSWORD}\n")
    port = free_port()
    config = root / "dovecot.conf"
    config.write_text(CONFIG.format(root=root, port=port))
    command = [DOVECOT, "-F", "-c", str(config)]  # a fixed program and our own config file, no shell
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    try:
        wait_for_port(port, server, root)
        settings.IMAP_HOST, settings.IMAP_PORT, settings.IMAP_SSL = "127.0.0.1", port, False
        settings.IMAP_USER, settings.IMAP_PASSWORD, settings.IMAP_MAILBOX = "support", PASSWORD, "INBOX"
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def deliver(port: int, *raws: bytes) -> None:
    with imaplib.IMAP4("127.0.0.1", port) as client:
        client.login("support", PASSWORD)
        for raw in raws:
            client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)


def unseen(port: int) -> list[bytes]:
    with imaplib.IMAP4("127.0.0.1", port) as client:
        client.login("support", PASSWORD)
        client.select("INBOX", readonly=True)
        return client.uid("SEARCH", None, "UNSEEN")[1][0].split()


def test_the_poller_ingests_unread_mail_and_marks_it_seen(imap_server, funded, anna):
    deliver(imap_server, eml("new_request_alternative.eml"), eml("unknown_sender.eml"), eml("auto_reply.eml"))

    assert imap_poll_task() == 3
    assert Ticket.objects.get().title == "Export to Excel stops at 50%"
    assert sorted(InboundMessage.objects.values_list("status", flat=True)) == sorted(
        [InboundStatus.PROCESSED, InboundStatus.UNKNOWN_SENDER, InboundStatus.IGNORED]
    )
    assert unseen(imap_server) == []
    assert imap_poll_task() == 0


def test_the_same_message_delivered_twice_is_stored_once(imap_server, funded, anna):
    deliver(imap_server, eml("new_request_alternative.eml"), eml("new_request_alternative.eml"))
    assert imap_poll_task() == 2
    assert Ticket.objects.count() == 1 and InboundMessage.objects.count() == 1
