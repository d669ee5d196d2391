"""Set up Django against a throwaway PostgreSQL database for a benchmark, and drop it afterwards."""

import os
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partner_support.settings")
os.environ.setdefault("DEBUG", "1")
# Notifications enqueued by the code under test go nowhere instead of into a development broker.
os.environ["CELERY_BROKER_URL"] = "memory://localhost/"


@contextmanager
def throwaway_postgres(name: str, *, keep: bool = False):
    """Yield after migrating a fresh database `name` on the server of DATABASE_URL; None if that is not PostgreSQL.
    Dropped afterwards, unless `keep` (to look into it: its name is printed)."""
    import dj_database_url
    import psycopg2

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("skipped: set DATABASE_URL to a PostgreSQL server (the benchmark creates and drops its own database)")
        yield None
        return
    server = dj_database_url.parse(url)
    admin = psycopg2.connect(
        dbname="postgres", user=server["USER"], password=server["PASSWORD"], host=server["HOST"], port=server["PORT"]
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    try:
        yield True
    finally:
        connections.close_all()
        if keep:
            print(f"kept the database {name}")
        else:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()
