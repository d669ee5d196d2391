from django.urls import path
from django.views.generic import RedirectView

from . import checklist_views, views

app_name = "staff"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="staff:audit"), name="index"),
    path("sla/", views.audit, name="audit"),
    path("sla/breaches.csv", views.audit_csv, name="audit_csv"),
    path("sla/checklists/", checklist_views.checklists, name="checklists"),
    path("sla/<id:breach_id>/review/", views.review, name="review"),
    path("workload/", views.workload, name="workload"),
    path("changes/", views.changes, name="changes"),
    path("projects/<id:project_id>/assign/", views.assign, name="assign"),
]
