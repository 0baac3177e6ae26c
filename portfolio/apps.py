from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

TAXONOMIES = ["phase", "domain", "innovationobject", "tagset", "tag", "successfactor"]


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Portefeuille de projets")
    role_permissions = {
        Role.DGS: [
            "portfolio.add_project",
            "portfolio.change_project",
            "portfolio.view_project",
            "portfolio.decide_gate",
            "portfolio.view_all_projects",
            "portfolio.view_project_history",
            "portfolio.publish_open_data",
            *[f"portfolio.{action}_{model}" for model in TAXONOMIES for action in ("view", "add", "change")],
            "portfolio.view_effortrule",
            "portfolio.change_effortrule",
        ],
        Role.PROJECT_LEAD: ["portfolio.add_project"],
    }

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from simple_history.signals import post_create_historical_record, pre_create_historical_record

        from portfolio import periods
        from portfolio.models import GateDecision, Project

        # The dated states are kept whatever writes the decisions and the history (see portfolio/periods.py).
        post_save.connect(periods.decision_changed, sender=GateDecision, dispatch_uid="portfolio.periods.saved")
        post_delete.connect(periods.decision_changed, sender=GateDecision, dispatch_uid="portfolio.periods.deleted")
        pre_create_historical_record.connect(
            periods.state_recording, sender=Project.history.model, dispatch_uid="portfolio.periods.history_began"
        )
        post_create_historical_record.connect(
            periods.state_recorded, sender=Project.history.model, dispatch_uid="portfolio.periods.history"
        )
