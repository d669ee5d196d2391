from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list_page, name="list"),
    path("read/", views.notification_read, name="read_all"),
    path("<id:pk>/read/", views.notification_read, name="read"),
    path("preferences/", views.preferences, name="preferences"),
]
