from django.urls import path

from . import views

app_name = "tickets"
urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("new/", views.ticket_new, name="new"),
    path("phone/", views.phone_bug, name="phone"),
    path("queue/", views.queue, name="queue"),
    path("queue/accept/", views.queue_accept, name="queue_accept"),
    path("<id:ticket_id>/", views.ticket_detail, name="detail"),
    path("<id:ticket_id>/comments/", views.comment_add, name="comment"),
    path("<id:ticket_id>/time/", views.time_add, name="time"),
    path("<id:ticket_id>/parts/<id:part_id>/", views.part_update, name="part"),
    path("<id:ticket_id>/rating/", views.rating_add, name="rating"),
    path("<id:ticket_id>/actions/<slug:name>/", views.ticket_action, name="action"),
    path("<id:ticket_id>/attachments/<id:attachment_id>/", views.attachment_download, name="attachment"),
]
