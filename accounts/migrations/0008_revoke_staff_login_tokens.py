from django.db import migrations
from django.utils import timezone


def revoke_staff_login_tokens(apps, schema_editor):
    """Login tokens of managers and administrators issued before two-factor authentication was required: each
    refresh would have made a new one without the second factor."""
    LoginToken = apps.get_model("accounts", "LoginToken")
    live = LoginToken.objects.filter(revoked_at__isnull=True, user__role__in=["manager", "admin"])
    live.update(revoked_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_invitations"),
    ]

    operations = [
        migrations.RunPython(revoke_staff_login_tokens, migrations.RunPython.noop),
    ]
