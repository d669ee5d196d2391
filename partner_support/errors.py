"""The one hierarchy of business errors; the API maps each to an HTTP status once, pages to a message."""

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """A business rule refused the operation; `message` is meant for the user."""

    http_status = 400
    default_message = _("The operation was refused.")

    def __init__(self, message: str | None = None, *, extra: dict | None = None):
        self.message = str(message or self.default_message)
        self.extra = extra or {}
        super().__init__(self.message)


class PermissionDenied(ApplicationError):
    http_status = 403
    default_message = _("You are not allowed to do this.")


class NotFound(ApplicationError):
    http_status = 404
    default_message = _("Not found.")


class InvalidInput(ApplicationError):
    http_status = 400
    default_message = _("The input is not valid.")


class TransitionNotAllowed(ApplicationError):
    http_status = 409
    default_message = _("This action is not allowed in the current state.")


class InsufficientDeposit(ApplicationError):
    http_status = 402
    default_message = _("The available deposit does not cover this request.")


class CapacityExceeded(ApplicationError):
    http_status = 409
    default_message = _("The manager already serves the maximum number of projects.")


class TooManyAttempts(ApplicationError):
    """Slowed down (password guessing): `retry_after` seconds until the next attempt is allowed."""

    http_status = 429
    default_message = _("Too many attempts. Try again later.")

    def __init__(self, message: str | None = None, *, retry_after: int = 0, extra: dict | None = None):
        super().__init__(message, extra=extra)
        self.retry_after = retry_after
