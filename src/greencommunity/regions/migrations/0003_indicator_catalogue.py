from django.db import migrations

from greencommunity.regions.indicators import CATALOGUE


def forwards(apps, schema_editor):
    Indicator = apps.get_model("regions", "Indicator")
    for position, (code, name, unit, required, computed) in enumerate(CATALOGUE, start=1):
        Indicator.objects.update_or_create(
            code=code,
            defaults={"name": name, "unit": unit, "required_for_survey": required,
                      "computed": computed, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("regions", "0002_registry")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
