from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

READERS = ["reports.view_dashboards", "reports.download_report", "reports.request_report", "reports.view_report"]


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Tableaux de bord et rapports")
    role_permissions = {Role.DGS: READERS, Role.COPIL: READERS}

    def ready(self) -> None:
        from reports import rendering  # noqa: F401 - connects the warm chart renderer to worker processes
