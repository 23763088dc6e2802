"""Title settings of the built-in jurisdictions: Sichuan numbers its certificates
SC-LSSQ-2022-0001 (issue 5); the demonstration quota window keeps its defaults (2020-2022)."""

from django.db import migrations

BUILTIN = [("510000000000", "SC-{kind}-{year}-{seq:04d}")]


def forwards(apps, schema_editor):
    TitleConfig = apps.get_model("reviews", "TitleConfig")
    for code, pattern in BUILTIN:
        TitleConfig.objects.get_or_create(
            region_code=code, defaults={"certificate_pattern": pattern}
        )


def backwards(apps, schema_editor):
    TitleConfig = apps.get_model("reviews", "TitleConfig")
    TitleConfig.objects.filter(
        region_code__in=[code for code, _ in BUILTIN],
        certificate_pattern__in=[pattern for _, pattern in BUILTIN],
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial"), ("reviews", "0002_builtin_chains")]
    operations = [migrations.RunPython(forwards, backwards)]
