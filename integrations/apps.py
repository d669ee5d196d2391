from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "API tokens and webhooks"

    def ready(self) -> None:
        from tickets.tasks import EVENT_LISTENERS

        from .webhooks import handle_ticket_event

        if handle_ticket_event not in EVENT_LISTENERS:
            EVENT_LISTENERS.append(handle_ticket_event)
