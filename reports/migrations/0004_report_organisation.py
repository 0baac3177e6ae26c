import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def attach_to_the_collectivite(apps, schema_editor):
    """Rows written before collectivités were several belong to the one there was (created if missing)."""
    Organisation = apps.get_model("accounts", "Organisation")
    Model = apps.get_model("reports", "Report")
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
        ("reports", "0003_report_lease"),
        ("surveys", "0011_campaign_organisation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="report",
            name="one_report_version_per_quarter_and_direction",
        ),
        migrations.RemoveConstraint(
            model_name="report",
            name="one_report_version_per_quarter",
        ),
        migrations.AddField(
            model_name="report",
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
            model_name="report",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="collectivité",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                fields=("organisation", "quarter", "direction", "version"),
                name="one_report_version_per_quarter_and_direction",
                violation_error_message="Cette version du rapport existe déjà.",
            ),
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.UniqueConstraint(
                condition=models.Q(("direction__isnull", True)),
                fields=("organisation", "quarter", "version"),
                name="one_report_version_per_quarter",
                violation_error_message="Cette version du rapport existe déjà.",
            ),
        ),
    ]
