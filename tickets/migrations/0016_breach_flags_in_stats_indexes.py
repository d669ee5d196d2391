"""The SLA statistics' covering indexes also hold the breach flags (tickets.0015), so that the audit reads them from
the index alone. On PostgreSQL they are dropped and built concurrently, so that tickets are filed and read
meanwhile; SQLite has no CONCURRENTLY and builds them as usual."""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class AddIndexOnline(AddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class RemoveIndexOnline(RemoveIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.RemoveIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.RemoveIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


ACCEPTED = models.Q(("accepted_at__isnull", False))


class Migration(migrations.Migration):
    atomic = False  # CREATE and DROP INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("tickets", "0015_breach_flags")]

    operations = [
        RemoveIndexOnline(model_name="ticket", name="ticket_accepted"),
        AddIndexOnline(
            model_name="ticket",
            index=models.Index(
                condition=ACCEPTED,
                fields=["accepted_at"],
                include=(
                    "id",
                    "assignee",
                    "accept_working_minutes",
                    "resolve_working_minutes",
                    "acceptance_breached",
                    "resolution_breached",
                    "partner",
                ),
                name="ticket_accepted",
            ),
        ),
        RemoveIndexOnline(model_name="ticket", name="ticket_assignee_accepted"),
        AddIndexOnline(
            model_name="ticket",
            index=models.Index(
                condition=ACCEPTED,
                fields=["assignee", "accepted_at"],
                include=(
                    "id",
                    "accept_working_minutes",
                    "resolve_working_minutes",
                    "acceptance_breached",
                    "resolution_breached",
                ),
                name="ticket_assignee_accepted",
            ),
        ),
    ]
