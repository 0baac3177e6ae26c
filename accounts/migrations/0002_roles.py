"""Creates one group per role of docs/domain.md.

The permissions of each role are granted after every migrate by
``accounts.roles.sync_role_groups``, from the ``role_permissions`` of each app.
"""

from django.db import migrations

ROLES = ["dgs", "project_lead", "agent", "jury", "copil"]


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
