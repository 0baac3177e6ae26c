from django import forms
from django.utils.translation import gettext_lazy as _

from api.services import LIFETIMES
from common.forms import StrictFormMixin


class TokenForm(StrictFormMixin, forms.Form):
    name = forms.CharField(label=_("Nom du jeton"), max_length=80, help_text=_("Par exemple : Power BI de la DSI."))
    days = forms.TypedChoiceField(
        label=_("Valide pendant"),
        coerce=int,
        choices=[(days, _("%(days)s jours") % {"days": days}) for days in LIFETIMES],
        initial=90,
    )
