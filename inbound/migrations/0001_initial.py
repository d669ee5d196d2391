# The inbound e-mail log, moved from `notifications` (whose migration 0003 renamed the table): state only.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("tickets", "0003_default_calendar_and_policies"),
        ("notifications", "0003_move_inboundmessage"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="InboundMessage",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("message_id", models.CharField(max_length=255, unique=True)),
                        ("sender", models.CharField(max_length=320, verbose_name="sender")),
                        ("subject", models.CharField(blank=True, max_length=500, verbose_name="subject")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("processed", "Processed"),
                                    ("ignored", "Ignored (automatic reply or bounce)"),
                                    ("unknown_sender", "Unknown sender"),
                                    ("rejected", "Rejected"),
                                ],
                                max_length=20,
                                verbose_name="status",
                            ),
                        ),
                        ("reason", models.TextField(blank=True, verbose_name="reason")),
                        ("received_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "comment",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="tickets.comment",
                            ),
                        ),
                        (
                            "ticket",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="inbound_messages",
                                to="tickets.ticket",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-received_at", "-id"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("status", "processed"), _negated=True),
                                    ("ticket__isnull", False),
                                    _connector="OR",
                                ),
                                name="inbound_processed_has_ticket",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
