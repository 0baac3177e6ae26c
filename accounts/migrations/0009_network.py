import django.db.models.deletion
from django.db import migrations, models

import accounts.models


def attach_to_the_collectivite(apps, schema_editor):
    """Rows written before collectivités were several belong to the one there was (created if missing)."""
    Organisation = apps.get_model("accounts", "Organisation")
    Model = apps.get_model("accounts", "User")
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
        ("accounts", "0008_english_labels"),
    ]

    operations = [
        migrations.CreateModel(
            name="Network",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200, verbose_name="nom")),
                ("slug", models.SlugField(max_length=80, unique=True, verbose_name="adresse")),
            ],
            options={
                "verbose_name": "réseau de collectivités",
                "verbose_name_plural": "réseaux de collectivités",
                "ordering": ["name"],
            },
        ),
        migrations.AlterModelOptions(
            name="organisation",
            options={"ordering": ["name"], "verbose_name": "collectivité", "verbose_name_plural": "collectivités"},
        ),
        migrations.AlterModelManagers(
            name="user",
            managers=[
                ("objects", accounts.models.ScopedUserManager()),
            ],
        ),
        migrations.RemoveConstraint(
            model_name="organisation",
            name="single_organisation",
        ),
        migrations.AddField(
            model_name="organisation",
            name="population",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Population légale ; elle place la collectivité dans sa strate.",
                null=True,
                verbose_name="population",
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="slug",
            field=models.SlugField(blank=True, max_length=80, null=True, unique=True, verbose_name="adresse"),
        ),
        migrations.AddField(
            model_name="user",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                help_text="Vide pour l'animateur d'un réseau, qui ne voit que les agrégats du réseau.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="people",
                to="accounts.organisation",
                verbose_name="collectivité",
            ),
        ),
        migrations.AlterField(
            model_name="direction",
            name="code",
            field=models.CharField(
                help_text="Court et stable, en majuscules (ex. DRH) : il sert dans les exports et les rapports.",
                max_length=20,
                verbose_name="code",
            ),
        ),
        migrations.AlterField(
            model_name="direction",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="directions",
                to="accounts.organisation",
                verbose_name="collectivité",
            ),
        ),
        migrations.AddConstraint(
            model_name="direction",
            constraint=models.UniqueConstraint(
                models.F("organisation"),
                models.F("code"),
                name="unique_direction_code",
                violation_error_message="Une direction de la collectivité porte déjà ce code.",
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="network",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="members",
                to="accounts.network",
                verbose_name="réseau",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="network",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="animateurs",
                to="accounts.network",
                verbose_name="réseau animé",
            ),
        ),
        # Last: on PostgreSQL, rows changed before an ALTER TABLE in the same transaction would stop it.
        migrations.RunPython(attach_to_the_collectivite, migrations.RunPython.noop),
    ]
