from django.urls import path

from . import views

app_name = "tickets"
urlpatterns = [
    path("<int:ticket_id>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
]
