from __future__ import annotations

import magic
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from common.forms import DateInput, StrictFormMixin
from portfolio.models import GateDecision, Indicator, Measurement, Phase, Project, SuccessFactor

PROJECT_FIELDS = [
    "title",
    "summary",
    "description",
    "nature",
    "objects_of_innovation",
    "domain",
    "origin",
    "directions",
    "lead",
    "co_leads",
    "team",
    "partners",
    "start_date",
    "expected_end_date",
    "estimated_cost",
    "actual_cost",
    "perimeter",
    "people_concerned",
    "scope",
    "visibility",
    "tags",
    "expected_value",
    "observed_results",
    "lessons_learned",
]


class ProjectForm(StrictFormMixin, forms.ModelForm):
    """Create and edit a project. Phase and status only change through gate decisions;
    only the DGS reassigns the lead of an existing project."""

    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        widgets = {
            "objects_of_innovation": forms.CheckboxSelectMultiple,
            "directions": forms.CheckboxSelectMultiple,
            "tags": forms.CheckboxSelectMultiple,
            "start_date": DateInput(),
            "expected_end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 6}),
            "partners": forms.Textarea(attrs={"rows": 2}),
            "expected_value": forms.Textarea(attrs={"rows": 4}),
            "observed_results": forms.Textarea(attrs={"rows": 4}),
            "lessons_learned": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        people = User.objects.filter(is_active=True).order_by("last_name", "first_name")
        for name in ("lead", "co_leads", "team"):
            self.fields[name].queryset = people
        self.fields["tags"].queryset = self.fields["tags"].queryset.select_related("tag_set")
        self.fields["directions"].queryset = self.fields["directions"].queryset.filter(is_active=True)
        if self.instance.pk and not user.has_perm("portfolio.change_project"):
            del self.fields["lead"]
        elif not self.instance.pk:
            self.fields["lead"].initial = user.pk

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("expected_end_date")
        if start and end and end < start:
            self.add_error("expected_end_date", _("La date de fin prévue ne peut pas précéder la date de début."))
        return cleaned


class GateDecisionForm(StrictFormMixin, forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Décision"), choices=GateDecision.Decision.choices)
    to_phase = forms.ModelChoiceField(
        label=gettext_lazy("Phase visée (passage à la phase suivante)"),
        queryset=Phase.objects.all(),
        required=False,
        empty_label=gettext_lazy("La phase suivante"),
    )
    decided_on = forms.DateField(label=gettext_lazy("Date de la décision"), widget=DateInput())
    rationale = forms.CharField(label=gettext_lazy("Motivation"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: object, project: Project, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()
        next_phase = project.phase.next_phase()
        self.fields["to_phase"].initial = next_phase.pk if next_phase else None


class IndicatorForm(StrictFormMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "baseline", "target"]


class MeasurementForm(StrictFormMixin, forms.ModelForm):
    class Meta:
        model = Measurement
        fields = ["measured_on", "value", "comment"]
        widgets = {"measured_on": DateInput()}

    def clean_measured_on(self) -> object:
        measured_on = self.cleaned_data["measured_on"]
        if measured_on > timezone.localdate():
            raise forms.ValidationError(_("Une mesure ne peut pas être datée dans le futur."))
        return measured_on


# Types accepted for documents, as read from the bytes by libmagic, with the extensions they may carry.
ACCEPTED_TYPES: dict[str, set[str]] = {
    "application/pdf": {".pdf"},
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/gif": {".gif"},
    "image/webp": {".webp"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {".xlsx"},
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": {".pptx"},
    "application/vnd.oasis.opendocument.text": {".odt"},
    "application/vnd.oasis.opendocument.spreadsheet": {".ods"},
    "application/vnd.oasis.opendocument.presentation": {".odp"},
    "application/msword": {".doc"},
    "application/vnd.ms-excel": {".xls"},
    "application/vnd.ms-powerpoint": {".ppt"},
    "text/csv": {".csv"},
    "text/plain": {".txt", ".csv"},
}
ACCEPTED_EXTENSIONS = sorted({ext for extensions in ACCEPTED_TYPES.values() for ext in extensions})


def detect_content_type(upload: object) -> str:
    """The type libmagic reads from the file's bytes, whatever its name or the browser says."""
    upload.seek(0)
    head = upload.read(min(upload.size, 4 * 1024 * 1024))
    upload.seek(0)
    return magic.from_buffer(head, mime=True)


class AttachmentForm(StrictFormMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("Document"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, documents bureautiques ou images ; %(size)s au plus.") % {
            "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES)
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(ACCEPTED_EXTENSIONS)
        self.content_type = ""

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > settings.ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(
                _("Ce fichier pèse %(size)s : la limite est de %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
            )
        content_type = detect_content_type(upload)
        extension = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if content_type not in ACCEPTED_TYPES:
            raise forms.ValidationError(
                _("Ce type de fichier n'est pas accepté. Formats acceptés : %(formats)s.")
                % {"formats": ", ".join(ACCEPTED_EXTENSIONS)}
            )
        if extension not in ACCEPTED_TYPES[content_type]:
            raise forms.ValidationError(
                _("Le contenu du fichier ne correspond pas à son extension « %(extension)s ».")
                % {"extension": extension or "—"}
            )
        self.content_type = content_type
        return upload


class ScorecardForm(StrictFormMixin, forms.Form):
    """One 1–5 choice per success factor, grouped by family on the page."""

    SCALE = [("", "—"), *[(str(n), str(n)) for n in range(1, 6)]]

    def __init__(self, *args: object, factors: list[SuccessFactor], initial_scores: dict[int, int], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.factors = factors
        for factor in factors:
            self.fields[f"factor_{factor.pk}"] = forms.TypedChoiceField(
                label=factor.label,
                choices=self.SCALE,
                coerce=int,
                empty_value=None,
                required=False,
                initial=initial_scores.get(factor.pk),
            )

    def scores(self) -> dict[SuccessFactor, int | None]:
        return {factor: self.cleaned_data[f"factor_{factor.pk}"] for factor in self.factors}

    def families(self) -> list[tuple[str, list[forms.BoundField]]]:
        groups: dict[str, list[forms.BoundField]] = {}
        for factor in self.factors:
            groups.setdefault(factor.get_family_display(), []).append(self[f"factor_{factor.pk}"])
        return list(groups.items())
