"""The full-text search of tickets on PostgreSQL: a stored, generated `search_vector` column and its GIN index.

The column is PostgreSQL's own (GENERATED ALWAYS ... STORED: kept up to date by the database on every insert and
update of the title or description) and not a field of the model, so no query reads it unless it asks for it
(tickets.selectors.search_document); elsewhere search reads the title and description themselves. Adding the
column rewrites the table once; the index is then built concurrently, so that tickets can be filed meanwhile.
"""

from django.db import migrations

ADD_COLUMN = (
    "ALTER TABLE tickets_ticket ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple'::regconfig, COALESCE(title, '') || ' ' || COALESCE(description, ''))) STORED"
)
CREATE_INDEX = "CREATE INDEX CONCURRENTLY IF NOT EXISTS ticket_search ON tickets_ticket USING gin (search_vector)"
DROP_INDEX = "DROP INDEX CONCURRENTLY IF EXISTS ticket_search"
DROP_COLUMN = "ALTER TABLE tickets_ticket DROP COLUMN IF EXISTS search_vector"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD_COLUMN)
        schema_editor.execute(CREATE_INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)
        schema_editor.execute(DROP_COLUMN)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("tickets", "0005_fill_working_minutes")]

    operations = [migrations.RunPython(create, drop)]
