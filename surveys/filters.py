"""The filters of the results page: respondent profile (A1, A2), completeness, comparison."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from common.forms import ScopedChoicesForm
from surveys.answers import Structure
from surveys.models import Answer, Campaign, Response, Tally

# Filter name in the URL -> question code of the profile it reads.
PROFILE_FILTERS = {"type": "A1", "fonction": "A2"}


def _unchanged(queryset: QuerySet[Response], name: str, value: object) -> QuerySet[Response]:
    return queryset


class ResultsFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter has no type information
    """Narrows the responses behind the results; the French names make bookmarkable URLs."""

    type = django_filters.ChoiceFilter(label=_("Type de collectivité"), method="by_profile", empty_label=_("Tous"))
    fonction = django_filters.ChoiceFilter(
        label=_("Fonction du répondant"), method="by_profile", empty_label=_("Toutes")
    )
    reponses = django_filters.ChoiceFilter(
        label=_("Réponses prises en compte"),
        choices=[("completes", _("Complètes seulement"))],
        empty_label=_("Complètes et partielles"),
        method="by_status",
    )
    # Not a filter of the responses: the campaign whose results are shown beside.
    comparer = django_filters.ModelChoiceFilter(
        label=_("Comparer avec la campagne"),
        queryset=Campaign.objects.none(),
        to_field_name="slug",
        empty_label=_("Aucune"),
        method=_unchanged,
    )

    class Meta:
        model = Response
        form = ScopedChoicesForm  # the choices of the collectivité in scope only
        fields: list[str] = []

    def __init__(
        self,
        *args: Any,
        structure: Structure,
        comparable: QuerySet[Campaign],
        answered: Structure | None = None,
        **kwargs: Any,
    ) -> None:
        """``structure`` gives the choices offered; ``answered``, the questionnaire the filtered
        responses answered when it is another edition (a compared campaign): profiles match by code."""
        super().__init__(*args, **kwargs)
        self.structure = structure
        self.answered = answered or structure
        for name, code in PROFILE_FILTERS.items():
            question = structure.questions.get(code)
            if question is None:
                del self.filters[name]
            else:
                self.filters[name].extra["choices"] = [(c.code, c.localized_label) for c in question.choice_list]
        self.filters["comparer"].queryset = comparable.order_by("-created_at")

    def by_profile(self, queryset: QuerySet[Response], name: str, value: str) -> QuerySet[Response]:
        # Matched by codes in the questionnaire answered (the same filter applies to a campaign of
        # another edition), then a semi-join on the index of (question, choice): ``IN`` the
        # respondents who gave that profile, which the database runs once, not per response.
        question = self.answered.questions.get(PROFILE_FILTERS[name])
        choice = next((c for c in question.choice_list if c.code == value), None) if question else None
        if choice is None:  # an edition without that profile: nobody has it
            return queryset.none()
        profile = Answer.objects.filter(question_id=choice.question_id, choice_id=choice.pk)
        return queryset.filter(pk__in=profile.values("response_id"))

    def by_status(self, queryset: QuerySet[Response], name: str, value: str) -> QuerySet[Response]:
        return queryset.filter(status=Response.Status.SUBMITTED)

    def cells(self, counts: QuerySet[Tally]) -> QuerySet[Tally]:
        """The same selection over a campaign's kept counts (``Tally``): the cells of the profile and
        completeness chosen, matched by codes in the questionnaire answered. A filter whose value is
        not valid is left out, as ``qs`` leaves it out."""
        self.errors  # noqa: B018 (validates the form, as ``qs`` does)
        data = getattr(self.form, "cleaned_data", {})
        for name, column in (("type", "profile_type"), ("fonction", "profile_function")):
            if not data.get(name):
                continue
            question = self.answered.questions.get(PROFILE_FILTERS[name])
            choice = next((c for c in question.choice_list if c.code == data[name]), None) if question else None
            if choice is None:  # an edition without that profile: nobody has it
                return counts.none()
            counts = counts.filter(**{column: choice.pk})
        if data.get("reponses"):
            counts = counts.filter(submitted=True)
        return counts

    @property
    def compared(self) -> Campaign | None:
        if not self.form.is_valid():
            return None
        campaign: Campaign | None = self.form.cleaned_data.get("comparer")
        return campaign

    @property
    def profile_selected(self) -> bool:
        """Whether the selection is a group narrower than all respondents."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return any(data.get(name) for name in (*PROFILE_FILTERS, "reponses"))
