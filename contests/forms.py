from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.selectors import active_people
from common.forms import DateInput, StrictFormMixin
from common.uploads import ACCEPTED_EXTENSIONS, document_help_text, validate_document
from common.validators import no_html
from common.widgets import PeoplePicker
from contests.models import Contest, Criterion, Idea
from contests.selectors import weight_shares
from contests.services import IDEA_FIELDS, MAX_CRITERIA
from portfolio.models import InnovationObject, Project


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
            "jury": PeoplePicker,
            "description": forms.Textarea(attrs={"rows": 4}),
            "rules": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "slug": gettext_lazy(
                "Lettres minuscules, chiffres et tirets ; elle figure dans l'adresse. "
                "Laissée vide, elle est faite à partir du titre."
            )
        }
        error_messages = {"slug": {"unique": gettext_lazy("Un autre concours utilise déjà cette adresse.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelMultipleChoiceField[User]", self.fields["jury"]).queryset = active_people()
        if self.instance.pk and self.instance.state != Contest.State.DRAFT:
            del self.fields["slug"]
        else:
            self.fields["slug"].required = False  # contests.services.contest_save proposes one from the title
            self.fields["slug"].widget.attrs["data-slug-from"] = self["title"].auto_id

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("La clôture ne peut pas précéder l'ouverture."))
        return cleaned


class CriterionForm(forms.ModelForm):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    share: int | None = None  # the weight's share of the total, in percent (BaseCriterionFormSet.shares)

    class Meta:
        model = Criterion
        fields = ["name", "description", "weight", "scale_max"]
        help_texts = {"weight": gettext_lazy("Nombre entier de 1 à 100 ; sa part dans le score est calculée.")}

    def weight_typed(self) -> int:
        """The weight as typed; 0 when blank or invalid, or when the criterion has no name or is being removed."""
        raw = str(self["weight"].value() or "").strip()
        removed = self.is_bound and self.data.get(self.add_prefix("DELETE"))
        named = str(self["name"].value() or "").strip()
        return int(raw) if raw.isdigit() and named and not removed else 0


class BaseCriterionFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]  # not subscriptable at run time
    """The grid: one form per criterion, in order; "Ajouter un critère" sends it back with one more empty form."""

    default_error_messages = {
        "too_few_forms": gettext_lazy("La grille d'évaluation doit compter au moins un critère."),
        "too_many_forms": gettext_lazy("La grille compte au plus %(num)d critères."),
    }

    def __init__(self, *args: Any, add: bool = False, **kwargs: Any) -> None:
        data = kwargs.get("data", args[0] if args else None)
        if add and data is not None:
            data = data.copy()
            prefix = kwargs.get("prefix", "criteria")
            key = f"{prefix}-TOTAL_FORMS"
            total = int(data.get(key) or 0) if str(data.get(key) or "").isdigit() else 0
            data[key] = str(min(total + 1, MAX_CRITERIA))
            for name in ("weight", "scale_max"):  # the new form starts from the defaults, as an unbound one
                default = cast("models.Field[Any, Any]", Criterion._meta.get_field(name)).default  # concrete fields
                data.setdefault(f"{prefix}-{total}-{name}", str(default))
            if args:
                args = (data, *args[1:])
            else:
                kwargs["data"] = data
        super().__init__(*args, **kwargs)

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:  # only the saved criteria have the box (can_delete_extra=False)
            form.fields["DELETE"].label = gettext_lazy("Retirer ce critère de la grille")
            form.fields["DELETE"].widget.attrs["aria-describedby"] = f"{form.prefix}-title"

    def clear_errors(self) -> None:
        """Validates once and drops the messages: the grid shown again as typed, after "Ajouter un critère"."""
        for form in self.forms:
            form.errors.clear()
        self.non_form_errors().clear()

    @property
    def can_add(self) -> bool:
        return self.total_form_count() < MAX_CRITERIA

    def shares(self) -> None:
        """Each form's ``share``: its weight's part of the total of the weights typed, in whole percents summing
        to 100 (contests.selectors.weight_shares); none for an empty or removed criterion."""
        weights = [form.weight_typed() for form in self.forms]
        for form, share in zip(self.forms, weight_shares(weights), strict=True):
            form.share = share if form.weight_typed() else None

    def grid(self) -> list[dict[str, Any]]:
        """The criteria kept, in order, for contests.services.contest_save (``id`` for an existing one)."""
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        return [
            {**{name: form.cleaned_data[name] for name in CriterionForm.Meta.fields}, "id": form.instance.pk}
            for form in kept
        ]


CriterionFormSet = forms.inlineformset_factory(
    Contest,
    Criterion,
    form=CriterionForm,
    formset=BaseCriterionFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    min_num=1,
    validate_min=True,
    max_num=MAX_CRITERIA,
    validate_max=True,
)


class IdeaForm(StrictFormMixin, forms.ModelForm):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    attachment = forms.FileField(label=gettext_lazy("Pièce jointe (facultative)"), required=False)
    co_authors = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Co-auteurs"),
        queryset=User.objects.none(),
        required=False,
        widget=PeoplePicker,
        help_text=gettext_lazy("Les collègues qui ont construit l'idée avec vous : cochez-les."),
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
