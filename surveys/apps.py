from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

QUESTIONNAIRE_MODELS = ["questionnaire", "section", "question", "choice", "referencevalue"]


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Enquêtes")
    # The DGS runs campaigns and is the only one to see who answered; the steering
    # committee reads aggregated results only.
    role_permissions = {
        Role.DGS: [
            "surveys.view_campaign",
            "surveys.add_campaign",
            "surveys.change_campaign",
            "surveys.view_results",
            "surveys.view_respondents",
            "surveys.add_response",
            "surveys.delete_response",
            # The questionnaire is data the DGS may correct in the administration.
            *[f"surveys.{action}_{model}" for model in QUESTIONNAIRE_MODELS for action in ("view", "add", "change")],
        ],
        Role.COPIL: ["surveys.view_results", "surveys.view_questionnaire"],
    }

    def ready(self) -> None:
        from accounts.outbox import email_sent
        from surveys.services import record_link_sent

        email_sent.connect(record_link_sent, dispatch_uid="surveys.record_link_sent")
