"""The roles of docs/domain.md, kept as Django groups named by their code."""

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DGS = "dgs", _("Direction générale (DGS, DGA)")
    PROJECT_LEAD = "project_lead", _("Chef de projet")
    AGENT = "agent", _("Agent")
    JURY = "jury", _("Membre du jury")
    COPIL = "copil", _("Comité de pilotage")


def sync_role_groups(sender: AppConfig, apps: Apps = global_apps, using: str = "default", **kwargs: object) -> None:
    """post_migrate: the role groups exist and hold the permissions the apps grant them.

    Each app declares ``role_permissions = {Role.X: ["app_label.codename", ...]}``
    on its AppConfig; the grant runs right after Django created that app's
    permissions. It only adds: a permission an administrator gives a role stays.
    ``flush`` (between transactional tests) sends the signal without ``apps``.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    groups = {role: Group.objects.using(using).get_or_create(name=role.value)[0] for role in Role}
    for role, dotted_names in getattr(sender, "role_permissions", {}).items():
        for dotted in dotted_names:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.using(using).get(content_type__app_label=app_label, codename=codename)
            groups[role].permissions.add(permission)
