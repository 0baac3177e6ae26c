import django.db.models.deletion
from django.db import migrations, models


def attach_to_the_collectivite(apps, schema_editor):
    """Rows written before collectivités were several belong to the one there was (created if missing)."""
    Organisation = apps.get_model("accounts", "Organisation")
    Model = apps.get_model("portfolio", "Project")
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
        ("portfolio", "0019_seed_effort_rule"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalproject",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="accounts.organisation",
                verbose_name="collectivité",
            ),
        ),
        migrations.AddField(
            model_name="project",
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
            model_name="project",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="collectivité",
            ),
        ),
    ]
