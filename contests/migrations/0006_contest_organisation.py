import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def attach_to_the_collectivite(apps, schema_editor):
    """Rows written before collectivités were several belong to the one there was (created if missing)."""
    Organisation = apps.get_model("accounts", "Organisation")
    Model = apps.get_model("contests", "Contest")
    if not Model.objects.filter(organisation__isnull=True).exists():
        return
    organisation = Organisation.objects.order_by("pk").first() or Organisation.objects.create(
        name="Ma collectivité", kind="autre"
    )
    Model.objects.filter(organisation__isnull=True).update(organisation=organisation)
    if schema_editor.connection.vendor == "postgresql":
        # The rows' deferred foreign-key checks now, so that the ALTER TABLE that follows finds none pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_network"),
        ("contests", "0005_idea_merge_and_title_folded"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="contest",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="collectivité",
            ),
        ),
        migrations.RunPython(attach_to_the_collectivite, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="contest",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="collectivité",
            ),
        ),
        migrations.AlterField(
            model_name="contest",
            name="slug",
            field=models.SlugField(max_length=80, verbose_name="adresse"),
        ),
        migrations.AddConstraint(
            model_name="contest",
            constraint=models.UniqueConstraint(
                models.F("organisation"),
                models.F("slug"),
                name="unique_contest_slug",
                violation_error_message="Un autre concours utilise déjà cette adresse.",
            ),
        ),
    ]
