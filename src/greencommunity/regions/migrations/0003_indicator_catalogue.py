from django.db import migrations

from greencommunity.regions.indicators import catalogue_ensure


def forwards(apps, schema_editor):
    catalogue_ensure(apps.get_model("regions", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0002_registry")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
