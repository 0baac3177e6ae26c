from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Direction
from common.forms import StrictFormMixin
from reports.quarters import Quarter, recent_quarters


def _quarter_choices() -> list[tuple[str, str]]:
    return [(q.code, q.label()) for q in recent_quarters(timezone.localdate())]


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

    def quarter(self) -> Quarter:
        code = self.cleaned_data.get("trimestre") if self.is_valid() else None
        return Quarter.parse(code) if code else Quarter.containing(timezone.localdate())


class DashboardForm(ScopeForm):
    seuil = forms.IntegerField(label=_("Projets à l'arrêt après (jours)"), min_value=1, max_value=3650, required=False)
