from django.urls import path

from . import views

app_name = "billing"
urlpatterns = [
    path("", views.account, name="account"),
    path("statement.csv", views.statement_csv, name="statement_csv"),
    path("invoices/", views.invoices, name="invoices"),
    path("invoices/<int:pk>/", views.invoice, name="invoice"),
    path("invoices/<int:pk>/pay/", views.invoice_pay, name="invoice_pay"),
    path("invoices/<int:pk>/cancel/", views.invoice_withdraw, name="invoice_cancel"),
]
