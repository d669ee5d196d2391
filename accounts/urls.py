from django.contrib.auth import views as auth_views
from django.urls import path

from . import passport_views, two_factor_views, views

urlpatterns = [
    path("login/", views.ThrottledLoginView.as_view(), name="login"),
    path("login/code/", two_factor_views.login_code, name="login_code"),
    path("security/two-factor/", two_factor_views.two_factor_setup, name="two_factor_setup"),
    path("security/two-factor/qr.svg", two_factor_views.two_factor_qr, name="two_factor_qr"),
    path("security/two-factor/recovery-codes/", two_factor_views.recovery_codes_new, name="recovery_codes_new"),
    path("security/two-factor/off/", two_factor_views.two_factor_off, name="two_factor_off"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("preferences/", views.preferences, name="preferences"),
    path("preferences/language/", views.language, name="language"),
    path("team/", views.team, name="team"),
    path("team/<id:user_id>/access/", views.team_access, name="team_access"),
    path(
        "team/invitations/<id:invitation_id>/withdraw/",
        views.team_invitation_withdraw_view,
        name="team_invitation_withdraw",
    ),
    path("password-reset/", views.ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("security/", views.security, name="security"),
    path("security/<slug:kind>/<id:item_id>/end/", views.security_end, name="security_end"),
    path("security/everywhere-else/", views.security_end_everywhere_else, name="security_everywhere_else"),
    path("passports/", views.passports, name="passports"),
    path("passports/<id:project_id>/", passport_views.passport, name="passport"),
]
