"""E-mail on a developer's machine (`make run`): each message is written to a file under EMAIL_FILE_PATH and the
server's log gets one line saying to whom, what and where, instead of the whole message."""

import logging

from django.core.mail.backends.filebased import EmailBackend

logger = logging.getLogger(__name__)


class LoggedFileEmailBackend(EmailBackend):
    def send_messages(self, email_messages) -> int:
        sent = super().send_messages(email_messages)
        for message in email_messages or ():
            logger.info(
                "E-mail to %s: %s (in %s)", ", ".join(message.recipients()), message.subject, self._get_filename()
            )
        return sent
