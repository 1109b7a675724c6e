"""The shared cache's table (rate limits and lockouts, counted once for every worker process),
when the cache is the database (the default; see CACHE_URL)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [('core', '0004_countries_of_origin_and_documents_for_foreigners')]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
