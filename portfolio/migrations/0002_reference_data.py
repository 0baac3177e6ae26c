"""Seeds the reference lists of docs/domain.md (portfolio/reference.py); all stay editable."""

from django.db import migrations

from portfolio.reference import seed_reference_data


def seed(apps, schema_editor):
    seed_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
