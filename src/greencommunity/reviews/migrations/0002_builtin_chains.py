from django.db import migrations

from greencommunity.reviews.builtin_chains import builtin_chains_ensure


def forwards(apps, schema_editor):
    builtin_chains_ensure(
        apps.get_model("reviews", "ReviewChain"),
        apps.get_model("reviews", "ReviewStep"),
        apps.get_model("reviews", "ChainAssignment"),
    )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
