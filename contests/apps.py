from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("Concours d'innovation")
    role_permissions = {
        Role.DGS: [
            "contests.add_contest",
            "contests.change_contest",
            "contests.view_contest",
            "contests.moderate_contest",
            "contests.view_idea",
        ],
    }
