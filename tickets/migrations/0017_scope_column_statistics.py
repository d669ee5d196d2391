"""PostgreSQL keeps the frequency of up to 1,000 values of the columns a manager's scope filters on (project and
assignee), where it kept 100: with more projects than that, a small project was estimated at the average of the
others. At a million tickets over 400 projects a manager of two small projects (1,000 tickets) was estimated at
5,000, so the planner walked the whole table's filing order for the first 25 (25,000 rows fetched, 129 ms) instead
of reading the scope's 1,000 from the project index and keeping the newest 25 (4.5 ms). ANALYZE reads a sample of
300,000 rows for it, instead of 30,000."""

from django.db import migrations

COLUMNS = ("project_id", "assignee_id")
TARGET = 1000


def widen(apps, schema_editor):
    _set(schema_editor, TARGET)


def restore(apps, schema_editor):
    _set(schema_editor, -1)  # the server's default_statistics_target


def _set(schema_editor, target: int) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"ALTER TABLE tickets_ticket ALTER COLUMN {column} SET STATISTICS {target}")
    schema_editor.execute(f"ANALYZE tickets_ticket ({', '.join(COLUMNS)})")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0016_breach_flags_in_stats_indexes")]

    operations = [migrations.RunPython(widen, restore)]
