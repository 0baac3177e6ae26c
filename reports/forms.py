from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Direction
from common.forms import StrictFormMixin
from reports.quarters import Quarter, recent_quarters
from surveys.models import Campaign


def _quarter_choices() -> list[tuple[str, str]]:
    today = timezone.localdate()
    current = Quarter.containing(today)
    return [(q.code, q.label() + (" " + str(_("(en cours)")) if q == current else "")) for q in recent_quarters(today)]


class ScopeForm(StrictFormMixin, forms.Form):
    """The filters of the dashboards (GET) and the scope of a report request (POST)."""

    trimestre = forms.ChoiceField(label=_("Trimestre"), choices=_quarter_choices, required=False)
    direction = forms.ModelChoiceField(
        label=_("Périmètre"),
        queryset=Direction.objects.filter(is_active=True),
        to_field_name="code",
        required=False,
        empty_label=_("Toute la collectivité"),
    )
    enquete = forms.ModelChoiceField(
        label=_("Enquête de comparaison"),
        queryset=Campaign.objects.exclude(status=Campaign.Status.DRAFT).order_by("-opened_at", "-pk"),
        required=False,
        empty_label=_("La plus récente avec au moins 5 réponses complètes"),
    )

    def quarter(self) -> Quarter:
        """The chosen quarter; by default the last complete one (a quarter in progress is chosen explicitly)."""
        code = self.cleaned_data.get("trimestre") if self.is_valid() else None
        return Quarter.parse(code) if code else Quarter.containing(timezone.localdate()).previous()


class DashboardForm(ScopeForm):
    seuil = forms.IntegerField(
        label=_("Projets sans mouvement après (jours)"), min_value=1, max_value=3650, required=False
    )
