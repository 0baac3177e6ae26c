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
            *[f"portfolio.{action}_{model}" for model in TAXONOMIES for action in ("view", "add", "change")],
        ],
        Role.PROJECT_LEAD: ["portfolio.add_project"],
    }
