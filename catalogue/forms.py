from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import StrictFormMixin
from common.validators import no_html
from portfolio.models import Project

INCLUDE_CHOICES = [
    ("results", _("Résultats observés")),
    ("indicators", _("Indicateurs et leur dernière mesure")),
    ("lessons", _("Enseignements")),
    ("directions", _("Directions concernées")),
    ("contact", _("Contact (nom et adresse e-mail ci-dessous)")),
]


class PublishForm(StrictFormMixin, forms.Form):
    """What a collectivité shows of a project to its network: always a title and a summary, then its choice."""

    title = forms.CharField(label=_("Titre publié"), max_length=200, validators=[no_html])
    summary = forms.CharField(
        label=_("Résumé publié"),
        max_length=400,
        validators=[no_html],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("400 caractères au plus : ce que les autres collectivités liront en premier."),
    )
    include = forms.MultipleChoiceField(
        label=_("Publier aussi"),
        choices=INCLUDE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Relisez ces textes avant de publier : ils seront lus par toutes les collectivités du réseau."),
    )
    contact_name = forms.CharField(label=_("Nom du contact (facultatif)"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Adresse e-mail du contact (facultatif)"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "contact" in cleaned.get("include", []) and not (
            cleaned.get("contact_name") or cleaned.get("contact_email")
        ):
            self.add_error("contact_name", _("Indiquez un nom ou une adresse e-mail, ou ne publiez pas de contact."))
        return cleaned


class ReplicateForm(StrictFormMixin, forms.ModelForm):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    """The new project of the collectivité that replicates a publication: its first words, the rest on its page."""

    class Meta:
        model = Project
        fields = ["title", "summary", "nature", "origin"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "title": _("Prérempli avec le titre du projet d'origine : adaptez-le à votre collectivité."),
            "origin": _("Qui, chez vous, porte l'idée de reprendre ce projet."),
        }
