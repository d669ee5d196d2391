from django.urls import path

from . import views
from .views import checklists, cover, replies

app_name = "tickets"
urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("new/", views.ticket_new, name="new"),
    path("phone/", views.phone_bug, name="phone"),
    path("queue/", views.queue, name="queue"),
    path("absences/", cover.absences, name="absences"),
    path("absences/new/", cover.absence_new, name="absence_new"),
    path("absences/deputy/", cover.deputy_change, name="deputy"),
    path("absences/handover/", cover.handover, name="handover"),
    path("absences/<id:absence_id>/cancel/", cover.absence_end, name="absence_cancel"),
    path("absences/<id:absence_id>/substitute/", cover.substitute_change, name="substitute"),
    path("replies/", replies.replies, name="replies"),
    path("replies/<id:reply_id>/", replies.reply_edit, name="reply"),
    path("replies/<id:reply_id>/delete/", replies.reply_delete, name="reply_delete"),
    path("queue/accept/", views.queue_accept, name="queue_accept"),
    path("<id:ticket_id>/", views.ticket_detail, name="detail"),
    path("<id:ticket_id>/comments/", views.comment_add, name="comment"),
    path("<id:ticket_id>/time/", views.time_add, name="time"),
    path("<id:ticket_id>/parts/<id:part_id>/", views.part_update, name="part"),
    path("<id:ticket_id>/rating/", views.rating_add, name="rating"),
    path("<id:ticket_id>/checklist/<id:step_id>/", checklists.checklist_step, name="checklist"),
    path("<id:ticket_id>/actions/<slug:name>/", views.ticket_action, name="action"),
    path("<id:ticket_id>/attachments/<id:attachment_id>/", views.attachment_download, name="attachment"),
]
