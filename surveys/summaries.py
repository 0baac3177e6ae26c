"""What other apps (the dashboards and reports) read of the surveys: aggregated figures only,
never identities, with the same small-group rule as the results page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.db.models import Count, F, Max, Q

# The small-group rule, read from here by the dashboards and reports (explicit re-exports).
from surveys.charts import RADAR_MIN_AXES as RADAR_MIN_AXES
from surveys.models import Campaign, ReferenceValue, Response
from surveys.national import EDITION, SERIES
from surveys.results import MIN_GROUP as MIN_GROUP
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
    # percent__isnull=False above: every percent is a Decimal.
    return {choice: float(cast(Decimal, percent)) for choice, percent in references}


def latest_campaign() -> Campaign | None:
    """The campaign opened last (open or closed), if any."""
    return (
        Campaign.objects.exclude(status=Campaign.Status.DRAFT)
        .select_related("questionnaire")
        .order_by("-opened_at", "-pk")
        .first()
    )


@dataclass
class CampaignChoice:
    """A campaign steering may use, with its numbers of responses (all, and complete)."""

    campaign: Campaign
    responses: int
    complete: int

    @property
    def qualifies(self) -> bool:
        """Enough complete responses to be used by default (the small-group rule)."""
        return self.complete >= MIN_GROUP


def steering_campaigns(*, until: datetime.date | None = None) -> list[CampaignChoice]:
    """Campaigns dashboards and reports may use: not in preparation, opened on or before ``until``
    (a local date, e.g. a quarter's last day; every one when None), newest first.

    One query whatever the number of campaigns; with ``until``, the counts are those of that day's end:
    responses started by then, complete responses sent by then.
    """
    campaigns = Campaign.objects.exclude(status=Campaign.Status.DRAFT)
    started, complete = Q(), Q(responses__status=Response.Status.SUBMITTED)
    if until is not None:
        campaigns = campaigns.filter(opened_at__date__lte=until)
        # A response counts as started by then if it was started or sent by then (an imported one may carry
        # an earlier sending date than its import).
        started = Q(responses__started_at__date__lte=until) | Q(
            responses__status=Response.Status.SUBMITTED, responses__submitted_at__date__lte=until
        )
        complete &= Q(responses__submitted_at__date__lte=until)
    campaigns = (
        campaigns.select_related("questionnaire")
        .annotate(
            response_count=Count("responses", filter=started),
            complete_count=Count("responses", filter=complete),
        )
        .order_by(F("opened_at").desc(nulls_last=True), "-pk")
    )
    return [CampaignChoice(c, c.response_count, c.complete_count) for c in campaigns]


def default_steering_campaign(*, until: datetime.date | None = None) -> CampaignChoice | None:
    """The campaign steering uses unless the DGS chooses another: the most recent of
    ``steering_campaigns(until=until)`` with at least ``MIN_GROUP`` complete responses, or None."""
    return next((choice for choice in steering_campaigns(until=until) if choice.qualifies), None)


def campaign_summary(campaign: Campaign, *, submitted_by: datetime.date | None = None) -> Results:
    """The results of a whole campaign (no filter), as the results page computes them:
    a question, section or family of determinants answered by fewer than ``MIN_GROUP``
    respondents carries no figure (see ``SectionResult.base`` and ``suppressed``).

    With ``submitted_by``, only the complete responses sent by the end of that day: what steering
    documents dated that day may show, whatever arrives later."""
    structure = questionnaire_structure(campaign.questionnaire)
    return campaign_results(
        campaign=campaign,
        structure=structure,
        params={},
        comparable=Campaign.objects.none(),
        submitted_by=submitted_by,
    )


def data_version() -> tuple[object, ...]:
    """A fingerprint of what the steering figures read of the surveys (campaigns and their responses)."""
    campaigns = Campaign.objects.aggregate(n=Count("pk"), opened=Max("opened_at"), last=Max("pk"))
    responses = Response.objects.aggregate(n=Count("pk"), changed=Max("updated_at"))
    return (*campaigns.values(), *responses.values())
