from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Journal des actions")
    role_permissions = {Role.DGS: ["audit.view_auditentry"]}

    def ready(self) -> None:
        from audit import signals

        signals.connect()
