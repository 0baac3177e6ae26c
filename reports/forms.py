from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Direction
from common.forms import StrictFormMixin
from reports.quarters import Quarter, recent_quarters
from surveys.models import Campaign
from surveys.summaries import MIN_GROUP


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
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Campaign]", self.fields["enquete"]).empty_label = gettext(
            "La plus récente avec au moins %(min)s réponses complètes"
        ) % {"min": MIN_GROUP}

    def quarter(self) -> Quarter:
        """The chosen quarter; by default the last complete one (a quarter in progress is chosen explicitly)."""
        code = None
        if self.is_bound:
            self.is_valid()  # fills cleaned_data with the fields that are valid
            code = self.cleaned_data.get("trimestre")
        return Quarter.parse(code) if code else Quarter.containing(timezone.localdate()).previous()

    def applied_filters(self) -> dict[str, Any]:
        """The valid filters, which are applied; an invalid one is left out (and reported by the page), and the
        form shows what is applied instead of the refused value, so that "Afficher" keeps the same view."""
        if not self.is_bound or self.is_valid():
            return self.cleaned_data if self.is_bound else {}
        shown = cast(QueryDict, self.data).copy()  # a bound form holds the request's QueryDict
        for name in self.errors:
            if name in shown:
                del shown[name]
        shown["trimestre"] = self.quarter().code
        self.data = shown
        return self.cleaned_data


class DashboardForm(ScopeForm):
    seuil = forms.IntegerField(
        label=_("Sans mouvement depuis plus de (jours)"), min_value=1, max_value=3650, required=False
    )
