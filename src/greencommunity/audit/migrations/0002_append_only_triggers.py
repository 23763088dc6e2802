"""Database-level guard: UPDATE and DELETE on audit events are refused by triggers."""

from django.db import migrations

from greencommunity.audit.guard import guard_install, guard_remove


def forwards(apps, schema_editor):
    guard_install(schema_editor.connection)


def backwards(apps, schema_editor):
    guard_remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
