from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.selectors import active_people
from common.forms import DateInput, StrictFormMixin
from common.uploads import ACCEPTED_EXTENSIONS, document_help_text, validate_document
from common.validators import no_html
from contests.models import Contest, Criterion, Idea
from contests.services import IDEA_FIELDS
from portfolio.models import InnovationObject, Project

RESERVED_SLUGS = {"nouveau", "mes-idees"}  # addresses of the contests' own pages (contests/urls.py)


class ContestForm(StrictFormMixin, forms.ModelForm):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    class Meta:
        model = Contest
        fields = [
            "title",
            "slug",
            "theme",
            "description",
            "rules",
            "opens_on",
            "closes_on",
            "eligible_directions",
            "jury",
            "blind_evaluation",
        ]
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "eligible_directions": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "rules": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"slug": gettext_lazy("Lettres minuscules, chiffres et tirets ; elle figure dans l'adresse.")}
        error_messages = {"slug": {"unique": gettext_lazy("Un autre concours utilise déjà cette adresse.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelMultipleChoiceField[User]", self.fields["jury"]).queryset = active_people()
        if self.instance.pk and self.instance.state != Contest.State.DRAFT:
            del self.fields["slug"]

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("Cette adresse est réservée par le portail : choisissez-en une autre."))
        return slug

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("La clôture ne peut pas précéder l'ouverture."))
        return cleaned


class CriterionForm(forms.ModelForm):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    class Meta:
        model = Criterion
        fields = ["name", "description", "weight", "scale_max", "order"]


class BaseCriterionFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    default_error_messages = {
        "too_few_forms": gettext_lazy("La grille d'évaluation doit compter au moins un critère."),
    }


CriterionFormSet = forms.inlineformset_factory(
    Contest,
    Criterion,
    form=CriterionForm,
    formset=BaseCriterionFormSet,
    extra=2,
    can_delete=True,
    min_num=1,
    validate_min=True,
)


class IdeaForm(StrictFormMixin, forms.ModelForm):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    attachment = forms.FileField(label=gettext_lazy("Pièce jointe (facultative)"), required=False)
    co_authors = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Co-auteurs"),
        queryset=User.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "Les collègues qui ont construit l'idée avec vous (Ctrl ou Cmd pour en choisir plusieurs)."
        ),
    )

    class Meta:
        model = Idea
        fields = IDEA_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("problem", "proposal", "benefits_users", "benefits_organisation")
        }

    def __init__(self, *args: Any, author: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelMultipleChoiceField[User]", self.fields["co_authors"]).queryset = active_people().exclude(
            pk=author.pk
        )
        if self.instance.pk:
            self.fields["co_authors"].initial = list(self.instance.co_authors.values_list("pk", flat=True))
        else:
            self.fields["direction"].initial = author.direction_id
        self.fields["attachment"].help_text = document_help_text()
        self.fields["attachment"].widget.attrs["accept"] = ",".join(ACCEPTED_EXTENSIONS)
        self.attachment_type = ""

    def clean_attachment(self) -> object:
        upload = self.cleaned_data.get("attachment")
        if upload:
            self.attachment_type = validate_document(upload)
        return upload


class CommentForm(StrictFormMixin, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Votre commentaire"),
        max_length=2000,
        validators=[no_html],
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HideForm(StrictFormMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("Motif (communiqué à l'auteur)"), max_length=300, validators=[no_html])


class ScoreForm(StrictFormMixin, forms.Form):
    """One score (1 to the criterion's maximum) and an optional comment per criterion."""

    def __init__(
        self, *args: Any, criteria: list[Criterion], initial_scores: dict[int, tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            value, comment = initial_scores.get(criterion.pk, (None, ""))
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=escape(criterion.description),
                coerce=int,
                initial=value,
                choices=[(n, str(n)) for n in range(1, criterion.scale_max + 1)],
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _("La note doit être comprise entre 1 et %(max)s.") % {"max": criterion.scale_max}
                },
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Commentaire sur « %(criterion)s »") % {"criterion": criterion.name},
                required=False,
                initial=comment,
                validators=[no_html],
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self) -> dict[Criterion, tuple[int, str]]:
        return {c: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"]) for c in self.criteria}

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]


class OutcomeForm(StrictFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Décision"),
        choices=[(s.value, s.label) for s in (Idea.Status.SHORTLISTED, Idea.Status.SELECTED, Idea.Status.NOT_RETAINED)],
    )
    message = forms.CharField(
        label=gettext_lazy("Message aux auteurs"),
        required=False,
        validators=[no_html],
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProjectFromIdeaForm(StrictFormMixin, forms.Form):
    lead = forms.ModelChoiceField(label=gettext_lazy("Chef de projet"), queryset=User.objects.none())
    nature = forms.ChoiceField(label=gettext_lazy("Nature"), choices=Project.Nature.choices)
    objects = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Objets de l'innovation"),
        queryset=InnovationObject.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, idea: Idea, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["lead"]).queryset = active_people()
        self.fields["lead"].initial = idea.author_id


class MergeForm(StrictFormMixin, forms.Form):
    cible = forms.ModelChoiceField(
        label=gettext_lazy("Fusionner dans l'idée"),
        queryset=Idea.objects.none(),
        empty_label=gettext_lazy("Choisissez l'idée qui reste"),
        error_messages={
            "required": gettext_lazy("Choisissez l'idée dans laquelle fusionner celle-ci."),
            "invalid_choice": gettext_lazy(
                "Cette idée ne peut pas recevoir la fusion : choisissez une idée déposée du même concours."
            ),
        },
    )

    def __init__(self, *args: Any, targets: QuerySet[Idea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Idea]", self.fields["cible"]).queryset = targets
