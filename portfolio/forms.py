from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Direction, User
from accounts.selectors import active_people
from common.forms import DateInput, StrictFormMixin
from common.uploads import ACCEPTED_EXTENSIONS, document_help_text, validate_document
from common.validators import plausible_date
from common.widgets import PeoplePicker
from portfolio.models import AdoptionActor, GateDecision, Indicator, Measurement, Phase, Project, SuccessFactor, Tag
from portfolio.selectors import APPROPRIATION, has_passed_adoption

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
    "adoption_actors",
    "partners",
    "start_date",
    "expected_end_date",
    "estimated_cost",
    "actual_cost",
    "perimeter",
    "people_concerned",
    "scope",
    "visibility",
    "open_data",
    "tags",
    "expected_value",
    "value_rating",
    "value_rationale",
    "risk_rating",
    "observed_results",
    "expost_rating",
    "lessons_learned",
]


class ProjectForm(StrictFormMixin, forms.ModelForm):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    """Create and edit a project. Phase and status only change through gate decisions;
    only the DGS reassigns the lead of an existing project."""

    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        widgets = {
            "objects_of_innovation": forms.CheckboxSelectMultiple,
            "directions": forms.CheckboxSelectMultiple,
            "tags": forms.CheckboxSelectMultiple,
            "adoption_actors": forms.CheckboxSelectMultiple,
            "co_leads": PeoplePicker,
            "team": PeoplePicker,
            "start_date": DateInput(),
            "expected_end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 6}),
            "partners": forms.Textarea(attrs={"rows": 2}),
            "expected_value": forms.Textarea(attrs={"rows": 4}),
            "observed_results": forms.Textarea(attrs={"rows": 4}),
            "lessons_learned": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = active_people()
        for name in ("lead", "co_leads", "team"):
            cast("forms.ModelChoiceField[User]", self.fields[name]).queryset = people
        cast("forms.ModelMultipleChoiceField[Tag]", self.fields["tags"]).queryset = Tag.objects.select_related(
            "tag_set"
        )
        cast(
            "forms.ModelMultipleChoiceField[Direction]", self.fields["directions"]
        ).queryset = Direction.objects.filter(is_active=True)
        if not user.has_perm("portfolio.publish_open_data"):
            del self.fields["open_data"]  # the direction générale decides what the collectivité publishes
        if self.instance.pk and not user.has_perm("portfolio.change_project"):
            del self.fields["lead"]
        elif not self.instance.pk:
            self.fields["lead"].initial = user.pk
        if not self.instance.pk or not has_passed_adoption(self.instance):
            del self.fields["adoption_actors"]  # asked once the project has passed the Adoption gate
        if not self.instance.pk:
            self._ask_current_phase()
        if not _evaluated_afterwards(self.instance):
            del self.fields["expost_rating"]  # asked once the innovation is appropriated or completed

    def _ask_current_phase(self) -> None:
        """A project already under way before the portal is registered at its current phase."""
        phases = Phase.objects.order_by("order")
        self.fields["current_phase"] = forms.ModelChoiceField(
            label=_("Phase actuelle"),
            queryset=phases,
            initial=phases.first(),
            required=False,  # the first phase when not given
            empty_label=None,
            help_text=_(
                "Un nouveau projet commence en première phase. Pour un projet déjà engagé avant le portail, "
                "choisissez sa phase actuelle : les passages antérieurs seront enregistrés comme « reprise de "
                "l'existant », sans compter parmi les décisions prises ici."
            ),
        )
        self.fields["phase_since"] = forms.DateField(
            label=_("Dans cette phase depuis le"),
            required=False,
            widget=DateInput(),
            validators=[plausible_date],
            help_text=_(
                "Aujourd'hui si vous laissez vide. Ne peut ni être dans le futur ni précéder la date de début."
            ),
        )
        order = [name for name in self.fields if name not in ("current_phase", "phase_since")]
        after = order.index("expected_end_date") + 1
        self.order_fields([*order[:after], "current_phase", "phase_since", *order[after:]])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        since, start = cleaned.get("phase_since"), cleaned.get("start_date")
        if since and since > timezone.localdate():
            self.add_error("phase_since", _("La date d'entrée dans la phase ne peut pas être dans le futur."))
        elif since and start and since < start:
            self.add_error(
                "phase_since", _("La date d'entrée dans la phase ne peut pas précéder la date de début du projet.")
            )
        return cleaned


def _evaluated_afterwards(project: Project) -> bool:
    """Whether the ex-post rating is asked: in the Appropriation phase or once completed."""
    if not project.pk:
        return False
    return project.phase.code == APPROPRIATION or project.status == Project.Status.COMPLETED


class GateDecisionForm(StrictFormMixin, forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Décision"), choices=GateDecision.Decision.choices)
    to_phase = forms.ModelChoiceField(
        label=gettext_lazy("Phase visée (passage à la phase suivante)"),
        queryset=Phase.objects.all(),
        required=False,
        empty_label=gettext_lazy("La phase suivante"),
    )
    decided_on = forms.DateField(
        label=gettext_lazy("Date de la décision"), widget=DateInput(), validators=[plausible_date]
    )
    rationale = forms.CharField(label=gettext_lazy("Motivation"), widget=forms.Textarea(attrs={"rows": 3}))
    value_rating = forms.TypedChoiceField(
        label=gettext_lazy("Valeur attendue revue (1 à 5)"),
        choices=[("", gettext_lazy("Inchangée")), *[(n, str(n)) for n in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=gettext_lazy("La valeur attendue se revoit à chaque passage : l'historique garde chaque note."),
    )
    value_rationale = forms.CharField(label=gettext_lazy("Justification de la valeur"), max_length=400, required=False)
    # The latest decision shown on the page: a decision recorded meanwhile makes this one refused, not added.
    last_decision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["last_decision"].initial = project.last_decision_pk()
        self.fields["decided_on"].initial = timezone.localdate()
        next_phase = project.phase.next_phase()
        self.fields["to_phase"].initial = next_phase.pk if next_phase else None
        cast("forms.ModelChoiceField[Phase]", self.fields["to_phase"]).queryset = Phase.objects.filter(
            order__gt=project.phase.order
        )
        self.fields["to_phase"].help_text = _("Seulement pour un passage de phase : une seule phase à la fois.")
        self.fields["value_rating"].initial = project.value_rating or ""
        self.fields["value_rationale"].initial = project.value_rationale
        if project.phase.code == Phase.ADOPTION and project.status == Project.Status.ACTIVE:  # a "go" is possible
            self.fields["adoption_actors"] = forms.ModelMultipleChoiceField(
                label=_("Acteurs ayant joué un rôle positif dans l'adoption"),
                queryset=AdoptionActor.objects.order_by("order"),
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=list(project.adoption_actors.values_list("pk", flat=True)),
                help_text=_(
                    "Au moins un pour un passage à la phase suivante ; plusieurs réponses possibles. "
                    "Même question que l'enquête nationale (question C1)."
                ),
            )

    def show_decisions_as_they_are(self, project: Project) -> None:
        """After a refusal, the form shown again answers the decisions the page now shows."""
        data = cast(QueryDict, self.data).copy()  # a bound form holds the request's QueryDict
        data["last_decision"] = str(project.last_decision_pk())
        self.data = data

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "adoption_actors" not in self.fields:  # not asked: the project is not in the Adoption phase
            return cleaned
        if cleaned.get("decision") != GateDecision.Decision.GO:
            cleaned["adoption_actors"] = None  # only asked when the project leaves the Adoption phase
        elif "adoption_actors" in cleaned and not cleaned["adoption_actors"]:
            self.add_error(
                "adoption_actors",
                _("Cochez au moins un acteur ayant joué un rôle positif dans l'adoption."),
            )
        return cleaned


class DecisionRequestForm(StrictFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Message à la direction générale (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce qui est prêt, ce que vous proposez de décider : 2 000 caractères au plus."),
    )


class IndicatorForm(StrictFormMixin, forms.ModelForm):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    class Meta:
        model = Indicator
        fields = ["name", "unit", "baseline", "target"]


class MeasurementForm(StrictFormMixin, forms.ModelForm):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    class Meta:
        model = Measurement
        fields = ["measured_on", "value", "comment"]
        widgets = {"measured_on": DateInput()}

    def clean_measured_on(self) -> object:
        measured_on = self.cleaned_data["measured_on"]
        if measured_on > timezone.localdate():
            raise forms.ValidationError(_("Une mesure ne peut pas être datée dans le futur."))
        return measured_on


class AttachmentForm(StrictFormMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("Document"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = document_help_text()
        self.fields["file"].widget.attrs["accept"] = ",".join(ACCEPTED_EXTENSIONS)
        self.content_type = ""

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        self.content_type = validate_document(upload)
        return upload


class ScorecardForm(StrictFormMixin, forms.Form):
    """One 1–5 choice per success factor, grouped by family on the page."""

    SCALE = [("", "—"), *[(str(n), str(n)) for n in range(1, 6)]]

    def __init__(self, *args: Any, factors: list[SuccessFactor], initial_scores: dict[int, int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.factors = factors
        for factor in factors:
            self.fields[f"factor_{factor.pk}"] = forms.TypedChoiceField(
                label=factor.localized_label,
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
