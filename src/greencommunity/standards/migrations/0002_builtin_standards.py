"""The built-in standards (national, Tianjin, Huantai, Sichuan), checked against the seeds by
tests/standards/test_builtin_data.py."""

from types import SimpleNamespace

from django.db import migrations

from greencommunity.standards.builtin import BUILTIN
from greencommunity.standards.loader import standard_load


def forwards(apps, schema_editor):
    models = SimpleNamespace(
        **{name: apps.get_model("standards", name)
           for name in ("Standard", "Area", "Criterion", "SubCondition")},
        Indicator=apps.get_model("regions", "Indicator"),
    )  # fmt: skip
    for data in BUILTIN:
        standard_load(data, models)


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial"), ("regions", "0003_indicator_catalogue")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
