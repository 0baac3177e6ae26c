import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def attach_to_the_collectivite(apps, schema_editor):
    """Rows written before collectivités were several belong to the one there was (created if missing)."""
    Organisation = apps.get_model("accounts", "Organisation")
    Model = apps.get_model("audit", "AuditEntry")
    if not Model.objects.filter(organisation__isnull=True).exists():
        return
    organisation = Organisation.objects.order_by("pk").first() or Organisation.objects.create(
        name="Ma collectivité", kind="autre"
    )
    # The trail is append-only (a trigger refuses UPDATE on PostgreSQL): this one filling is let through.
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
    Model.objects.filter(organisation__isnull=True).update(organisation=organisation)
    if postgres:
        schema_editor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")
    if schema_editor.connection.vendor == "postgresql":
        # The rows' deferred foreign-key checks now, so that the ALTER TABLE that follows finds none pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_network"),
        ("audit", "0006_new_actions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="collectivité",
            ),
        ),
        migrations.RunPython(attach_to_the_collectivite, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["organisation", "-at", "-id"], name="audit_organisation_at_idx"),
        ),
    ]
