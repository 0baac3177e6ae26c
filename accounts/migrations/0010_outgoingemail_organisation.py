import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    """The messages already written belong to their person's collectivité, else to the deployment's first."""
    OutgoingEmail = apps.get_model("accounts", "OutgoingEmail")
    Organisation = apps.get_model("accounts", "Organisation")
    User = apps.get_model("accounts", "User")
    person = User.objects.filter(pk=OuterRef("user_id")).values("organisation_id")[:1]
    OutgoingEmail.objects.filter(user__isnull=False).update(organisation_id=Subquery(person))
    first = Organisation.objects.order_by("pk").values_list("pk", flat=True).first()
    if first is not None:
        OutgoingEmail.objects.filter(organisation__isnull=True).update(organisation_id=first)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_network"),
    ]

    operations = [
        migrations.AddField(
            model_name="outgoingemail",
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
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
