from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypedDict, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Direction, User
from common.forms import StrictFormMixin
from common.uploads import check_size
from surveys.answers import LONG_TEXT_MAX, SHORT_TEXT_MAX, Value, is_visible, missing_required, parse, required_error
from surveys.models import SCALE_POINTS, Campaign, Question, Questionnaire, Section

# Words of the surveys' own addresses, which a campaign's slug may not take.
RESERVED_SLUGS = {"r", "nouvelle", "questionnaires"}


class CampaignForm(StrictFormMixin, forms.ModelForm):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    class Meta:
        model = Campaign
        fields = ["questionnaire", "title", "slug", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 4})}

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("Cet identifiant est réservé : choisissez-en un autre."))
        return slug


class InviteForm(StrictFormMixin, forms.Form):
    """Invites accounts, whole directions and e-mail addresses of people without an account."""

    emails = forms.CharField(
        label=gettext_lazy("Adresses e-mail"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Une adresse par ligne, ou séparées par des virgules ou des points-virgules."),
    )
    users = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Comptes du portail"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=gettext_lazy("Ctrl ou Cmd + clic pour en choisir plusieurs."),
    )
    directions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Tous les membres des directions"),
        queryset=Direction.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = cast("forms.ModelMultipleChoiceField[User]", self.fields["users"])
        users.queryset = User.objects.filter(is_active=True).order_by("last_name", "first_name")
        cast(
            "forms.ModelMultipleChoiceField[Direction]", self.fields["directions"]
        ).queryset = Direction.objects.filter(is_active=True)

    def clean_emails(self) -> list[str]:
        addresses = [a for a in re.split(r"[\s,;]+", self.cleaned_data["emails"]) if a]
        invalid = []
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                invalid.append(address)
        if invalid:
            raise ValidationError(_("Adresses invalides : %(addresses)s.") % {"addresses": ", ".join(invalid)})
        return addresses

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("emails") or cleaned.get("users") or cleaned.get("directions")):
            raise ValidationError(_("Indiquez au moins une personne, une direction ou une adresse e-mail."))
        return cleaned

    def people(self) -> list[User]:
        users = set(self.cleaned_data["users"])
        users.update(User.objects.filter(is_active=True, direction__in=self.cleaned_data["directions"]))
        return sorted(users, key=lambda user: user.pk)


class EditionForm(StrictFormMixin, forms.Form):
    edition = forms.CharField(
        label=gettext_lazy("Nom de la nouvelle édition"), max_length=40, help_text=gettext_lazy("Par exemple « 2026 ».")
    )
    year = forms.IntegerField(label=gettext_lazy("Année"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=gettext_lazy("Titre"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Laissez vide pour garder le titre de l'édition copiée."),
    )

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire

    def clean_edition(self) -> str:
        edition: str = self.cleaned_data["edition"].strip()
        if Questionnaire.objects.filter(series=self.questionnaire.series, edition=edition).exists():
            raise ValidationError(_("Cette édition existe déjà."))
        return edition


class ImportForm(StrictFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier des réponses"),
        help_text=gettext_lazy("CSV ou XLSX : une ligne par répondant, une colonne par code de question."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,text/csv"

    def clean_file(self) -> bytes:
        upload: UploadedFile = self.cleaned_data["file"]
        check_size(upload, settings.SURVEY_IMPORT_MAX_BYTES)
        content: bytes = upload.read()
        return content


class ConfirmForm(StrictFormMixin, forms.Form):
    """A confirmation: nothing but the button."""


# Answer pages ---------------------------------------------------------------------------


class MultipleValuesField(forms.Field):
    """The ticked codes as they came; their validity is checked by ``surveys.answers``."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value: object) -> list[str]:
        if not value:
            return []
        return [str(item) for item in value] if isinstance(value, (list, tuple)) else [str(value)]


class RadioButtons(forms.RadioSelect):
    """A tampered form may send one radio group twice: both values are kept, so that the check refuses them."""

    def value_from_datadict(self, data: Mapping[str, Any], files: Mapping[str, Any], name: str) -> object:
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return values if len(values) > 1 else next(iter(values), None)


def _scale_choices(question: Question) -> list[tuple[str, str]]:
    labels = {1: question.localized_scale_low_label, 5: question.localized_scale_high_label}
    return [(str(p), f"{p} — {labels[p]}" if labels.get(p) else str(p)) for p in SCALE_POINTS]


class _FieldOptions(TypedDict):
    required: bool
    label: str
    help_text: str


def question_field(question: Question) -> forms.Field:
    """A lenient field per question: the checks are those of ``surveys.answers.parse``, which name the question."""
    options: _FieldOptions = {
        "required": False,
        "label": f"{question.code}. {question.localized_text}",
        "help_text": str(question.localized_help_text),
    }
    choices = [(c.code, c.localized_label) for c in getattr(question, "choice_list", [])]
    if question.kind == Question.Kind.MULTIPLE:
        return MultipleValuesField(widget=forms.CheckboxSelectMultiple(choices=choices), **options)
    if question.kind == Question.Kind.SINGLE:
        return forms.Field(widget=RadioButtons(choices=choices), **options)
    if question.kind == Question.Kind.SCALE:
        return forms.Field(widget=RadioButtons(choices=_scale_choices(question)), **options)
    if question.kind == Question.Kind.NUMBER:
        attrs = {"step": 1, "inputmode": "numeric", "min": question.min_value, "max": question.max_value}
        return forms.CharField(
            widget=forms.NumberInput(attrs={k: v for k, v in attrs.items() if v is not None}), **options
        )
    if question.kind == Question.Kind.SHORT_TEXT:
        return forms.CharField(widget=forms.TextInput(attrs={"maxlength": SHORT_TEXT_MAX}), **options)
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 5, "maxlength": LONG_TEXT_MAX}), **options)


def _initial(question: Question, values: set[str]) -> object:
    if question.kind == Question.Kind.MULTIPLE:
        return sorted(values)
    return next(iter(values), None)


class SectionAnswersForm(StrictFormMixin, forms.Form):
    """One page of the questionnaire. Required answers are demanded when ``require`` is set
    (going on), not when the respondent saves to come back later."""

    def __init__(
        self, *args: Any, section: Section, given: dict[str, set[str]], require: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.section, self.given, self.require = section, given, require
        self.values: dict[str, Value | None] = {}
        # A question whose condition sits on an earlier page is only shown when it applies;
        # one that depends on this page is shown with its condition written beside it.
        self.questions = [
            q
            for q in section.question_list
            if q.condition_question is None or q.condition_question.section_id == section.pk or is_visible(q, given)
        ]
        for question in self.questions:
            self.fields[question.code] = question_field(question)
            self.fields[question.code].initial = _initial(question, given.get(question.code, set()))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for question in self.questions:
            try:
                self.values[question.code] = parse(question, cleaned.get(question.code))
            except ValidationError as error:
                self.add_error(question.code, error)
        given = {code: values for code, values in self.given.items() if code not in self.fields}
        given.update({code: value.as_given() for code, value in self.values.items() if value is not None})
        if self.require:
            for question in missing_required(self.questions, given):
                if question.code not in self.errors:
                    self.add_error(question.code, required_error(question))
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        # Each field with an error points to its message, for screen readers.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                described = [f"id_{name}_helptext"] if self.fields[name].help_text else []
                widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": " ".join([*described, f"id_{name}_error"])}
                )

    def blocks(self) -> list[dict[str, object]]:
        """What the template draws for each question: its field, whether it is a group, its condition."""
        return [
            {
                "field": self[q.code],
                "question": q,
                "group": q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.SCALE),
                "condition": q.condition_question if q.condition_question_id else None,
                "condition_label": _condition_label(q),
            }
            for q in self.questions
        ]


def _condition_label(question: Question) -> str:
    """The label of the expected choice, e.g. « Oui » rather than the code ``oui``."""
    condition = question.condition_question
    if condition is None:
        return ""
    labels: dict[str, str] = {c.code: c.localized_label for c in getattr(condition, "choice_list", [])}
    return labels.get(question.condition_value, question.condition_value)
