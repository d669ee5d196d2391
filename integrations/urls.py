from django.urls import path

from . import views

app_name = "integrations"
urlpatterns = [
    path("", views.index, name="index"),
    path("tokens/<id:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("webhooks/<id:endpoint_id>/", views.webhook_change, name="webhook_change"),
    path("webhooks/<id:endpoint_id>/remove/", views.webhook_remove, name="webhook_remove"),
]
