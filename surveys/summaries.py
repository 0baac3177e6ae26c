"""What other apps (the dashboards and reports) read of the surveys: aggregated figures only,
never identities, with the same small-group rule as the results page."""

from __future__ import annotations

from surveys.models import Campaign, ReferenceValue
from surveys.national import EDITION, SERIES
from surveys.results import Results, campaign_results
from surveys.selectors import questionnaire_structure


def national_percentages(code: str) -> dict[str, float]:
    """The published national percentages of a question of the national questionnaire, by choice code.

    Choices for which only a rank was published are absent: no percentage is made up.
    """
    references = ReferenceValue.objects.filter(
        question__questionnaire__series=SERIES,
        question__questionnaire__edition=EDITION,
        question__code=code,
        choice__isnull=False,
        percent__isnull=False,
    ).values_list("choice__code", "percent")
    return {choice: float(percent) for choice, percent in references}


def latest_campaign() -> Campaign | None:
    """The campaign opened last (open or closed), if any."""
    return (
        Campaign.objects.exclude(status=Campaign.Status.DRAFT)
        .select_related("questionnaire")
        .order_by("-opened_at", "-pk")
        .first()
    )


def campaign_summary(campaign: Campaign) -> Results:
    """The results of a whole campaign (no filter), as the results page computes them."""
    structure = questionnaire_structure(campaign.questionnaire)
    return campaign_results(campaign=campaign, structure=structure, params={}, comparable=Campaign.objects.none())
