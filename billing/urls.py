from django.urls import path

from . import views

app_name = "billing"
urlpatterns = [
    path("", views.account, name="account"),
    path("statement.csv", views.statement_csv, name="statement_csv"),
    path("invoices/", views.invoices, name="invoices"),
    path("invoices/<id:pk>/", views.invoice, name="invoice"),
    path("invoices/<id:pk>/pay/", views.invoice_pay, name="invoice_pay"),
    path("invoices/<id:pk>/cancel/", views.invoice_withdraw, name="invoice_cancel"),
]
