from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Journal des actions")
    role_permissions = {Role.DGS: ["audit.view_auditentry"]}

    def ready(self) -> None:
        from django.contrib import admin

        from audit import signals

        signals.connect()
        # "Delete selected" logs its deletions in one bulk insert, which sends no signal and would escape the
        # journal: deletions in the administration go one object at a time, each one journaled.
        admin.site.disable_action("delete_selected")
