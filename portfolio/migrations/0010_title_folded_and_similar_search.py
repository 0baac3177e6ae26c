"""The folded title of projects and, on PostgreSQL, what the similar-title suggestions need (common/similar.py):
the unaccent and pg_trgm extensions, a French text search configuration that removes accents, and GIN indexes."""

import unicodedata

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models

CONFIGURATION = """
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END $$;
"""


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()[:200]


def fill_title_folded(apps, schema_editor):
    Project = apps.get_model("portfolio", "Project")
    for project in Project.objects.only("title").iterator(chunk_size=2000):
        project.title_folded = fold(project.title)
        project.save(update_fields=["title_folded"])


def search_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CONFIGURATION)
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS project_title_trgm_idx ON portfolio_project "
            "USING gin (title_folded gin_trgm_ops)"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS project_title_fts_idx ON portfolio_project "
            "USING gin (to_tsvector('french_unaccent'::regconfig, COALESCE(title, '')))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS project_title_trgm_idx")
        schema_editor.execute("DROP INDEX IF EXISTS project_title_fts_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0009_period_indexes"),
    ]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.AddField(
            model_name="project",
            name="title_folded",
            field=models.CharField(default="", editable=False, max_length=200),
        ),
        migrations.RunPython(fill_title_folded, migrations.RunPython.noop),
        migrations.RunPython(search_configuration, drop_indexes),
    ]
