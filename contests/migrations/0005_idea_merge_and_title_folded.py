"""Ideas merged into another (a duplicate kept for the record) and the folded title of ideas, with its GIN indexes
on PostgreSQL for the similar-title suggestions (common/similar.py; the extensions and the text search
configuration come from portfolio 0010)."""

import unicodedata

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()[:200]


def fill_title_folded(apps, schema_editor):
    Idea = apps.get_model("contests", "Idea")
    for idea in Idea.objects.only("title").iterator(chunk_size=2000):
        idea.title_folded = fold(idea.title)
        idea.save(update_fields=["title_folded"])


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS idea_title_trgm_idx ON contests_idea USING gin (title_folded gin_trgm_ops)"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS idea_title_fts_idx ON contests_idea "
            "USING gin (to_tsvector('french_unaccent'::regconfig, COALESCE(title, '')))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS idea_title_trgm_idx")
        schema_editor.execute("DROP INDEX IF EXISTS idea_title_fts_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_lockout"),
        ("contests", "0004_backfill_state_times"),
        ("portfolio", "0010_title_folded_and_similar_search"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="idea",
            name="merged_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="fusionnée le"),
        ),
        migrations.AddField(
            model_name="idea",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="merged_ideas",
                to="contests.idea",
                verbose_name="fusionnée dans",
            ),
        ),
        migrations.AddField(
            model_name="idea",
            name="title_folded",
            field=models.CharField(default="", editable=False, max_length=200),
        ),
        migrations.AlterField(
            model_name="idea",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Brouillon"),
                    ("submitted", "Déposée"),
                    ("under_review", "En cours d'examen"),
                    ("shortlisted", "Présélectionnée"),
                    ("selected", "Retenue"),
                    ("not_retained", "Non retenue"),
                    ("merged", "Fusionnée"),
                ],
                default="draft",
                max_length=20,
                verbose_name="statut",
            ),
        ),
        migrations.AddConstraint(
            model_name="idea",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("merged_into__isnull", False), ("status", "merged")),
                    models.Q(models.Q(("status", "merged"), _negated=True), ("merged_into__isnull", True)),
                    _connector="OR",
                ),
                name="idea_merged_into_when_merged",
            ),
        ),
        migrations.AddConstraint(
            model_name="idea",
            constraint=models.CheckConstraint(
                condition=models.Q(("merged_into", models.F("pk")), _negated=True), name="idea_not_merged_into_itself"
            ),
        ),
        migrations.RunPython(fill_title_folded, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
