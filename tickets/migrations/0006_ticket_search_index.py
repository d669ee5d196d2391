"""The full-text index of tickets (PostgreSQL only; elsewhere search reads the table).

Built on exactly the expression tickets.selectors.search_document() compiles to, so that the planner uses it;
concurrently, so that filing and updating tickets go on while it is built on a large table.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS ticket_search ON tickets_ticket USING gin "
    "(to_tsvector('simple'::regconfig, COALESCE(title, '') || ' ' || COALESCE(description, '')))"
)
DROP = "DROP INDEX CONCURRENTLY IF EXISTS ticket_search"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("tickets", "0005_fill_working_minutes")]

    operations = [migrations.RunPython(create, drop)]
