import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def attach_to_the_collectivite(apps, schema_editor):
    """Rows written before collectivités were several belong to the one there was (created if missing)."""
    Organisation = apps.get_model("accounts", "Organisation")
    Model = apps.get_model("surveys", "Campaign")
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
        ("surveys", "0010_english_questionnaire"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
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
            model_name="campaign",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="collectivité",
            ),
        ),
        migrations.AlterField(
            model_name="campaign",
            name="slug",
            field=models.SlugField(
                help_text="Court, en minuscules et tirets : il apparaît dans les adresses et les imports.",
                max_length=60,
                verbose_name="identifiant d'adresse",
            ),
        ),
        migrations.AddConstraint(
            model_name="campaign",
            constraint=models.UniqueConstraint(
                models.F("organisation"),
                models.F("slug"),
                name="unique_campaign_slug",
                violation_error_message="Une campagne de la collectivité utilise déjà cet identifiant.",
            ),
        ),
    ]
