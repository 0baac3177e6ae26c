"""Loads the national questionnaire (surveys/national.py); it stays editable."""

from django.db import migrations

from surveys.national import seed_national_questionnaire


def seed(apps, schema_editor):
    seed_national_questionnaire(apps)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
