from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.documents, name="list"),
    path("requisites/", views.requisites, name="requisites"),
    path("invoices/<id:pk>.pdf", views.invoice_download, name="invoice_pdf"),
    path("acts/<id:pk>.pdf", views.act_download, name="act_pdf"),
    path("report/", views.report, name="report"),
    path("report.pdf", views.report_download, name="report_pdf"),
]
