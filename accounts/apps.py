from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People, partners and projects"

    def ready(self) -> None:
        # Registers the permission rules with django-rules.
        from . import permissions  # noqa: F401
