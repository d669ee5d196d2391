from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from tickets.tasks import EVENT_LISTENERS

        from .events import handle_ticket_event

        if handle_ticket_event not in EVENT_LISTENERS:
            EVENT_LISTENERS.append(handle_ticket_event)
