import os

from django.conf import settings
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partner_support.settings")
application = get_asgi_application()
# Fail at start, not at the first request, when the production key is missing (Django refuses an empty one).
settings.SECRET_KEY  # noqa: B018
