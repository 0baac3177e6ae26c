"""The French ICU collation the project list sorts titles with on PostgreSQL (common/collation.py), and an
index on the titles in that order so a page of the sorted list walks the index. Nothing on SQLite."""

from django.contrib.postgres.operations import CreateCollation
from django.db import migrations

INDEX = 'CREATE INDEX IF NOT EXISTS project_title_fr_idx ON portfolio_project ((title COLLATE "fr_portail"), id)'


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS project_title_fr_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0011_stalled_digest"),
    ]

    operations = [
        # French rules; "kn" compares the digits by their value: "Lot 2" comes before "Lot 10".
        CreateCollation("fr_portail", locale="fr-u-kn-true", provider="icu"),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
