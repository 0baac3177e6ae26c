"""Which campaign steering (dashboards, reports) uses: explicit, never one with fewer than 5 complete responses."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from surveys import summaries
from surveys.models import Campaign
from tests.surveys.builders import add_responses

PARIS = ZoneInfo("Europe/Paris")


def opened(questionnaire, dgs, slug: str, when: datetime.datetime | None, status: str = "closed") -> Campaign:
    return Campaign.objects.create(
        questionnaire=questionnaire, title=slug.title(), slug=slug, status=status, opened_at=when, created_by=dgs
    )


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def campaigns(questionnaire, dgs):
    """2025: 6 complete; spring 2026: 5 complete and 2 partial; autumn 2026 (open): 4 complete, 10 partial."""
    c2025 = opened(questionnaire, dgs, "cadres-2025", at(2025, 3, 1))
    spring = opened(questionnaire, dgs, "printemps-2026", at(2026, 4, 2))
    autumn = opened(questionnaire, dgs, "automne-2026", at(2026, 10, 5), status="open")
    opened(questionnaire, dgs, "brouillon", None, status="draft")
    add_responses(c2025, 6)
    add_responses(spring, 5)
    add_responses(spring, 2, complete=False)
    add_responses(autumn, 4)
    add_responses(autumn, 10, complete=False)
    for campaign in (c2025, spring, autumn):  # answered the week the campaign opened
        sent = campaign.opened_at + datetime.timedelta(days=7)
        campaign.responses.update(started_at=sent)
        campaign.responses.filter(status="submitted").update(submitted_at=sent)
    return c2025, spring, autumn


def test_steering_campaigns_are_the_opened_ones_newest_first_with_their_counts(campaigns):
    c2025, spring, autumn = campaigns
    choices = summaries.steering_campaigns()
    assert [(c.campaign, c.responses, c.complete) for c in choices] == [
        (autumn, 14, 4),
        (spring, 7, 5),
        (c2025, 6, 6),
    ]


def test_steering_campaigns_until_a_date_leave_out_those_opened_later(campaigns):
    c2025, spring, _autumn = campaigns
    assert [c.campaign for c in summaries.steering_campaigns(until=datetime.date(2026, 6, 30))] == [spring, c2025]
    assert summaries.steering_campaigns(until=datetime.date(2025, 2, 28)) == []


def test_the_until_date_is_a_local_date(questionnaire, dgs):
    late_evening = opened(questionnaire, dgs, "soir", at(2026, 6, 30, 23, 30))  # 21:30 UTC
    after_midnight = opened(questionnaire, dgs, "nuit", at(2026, 7, 1, 0, 30))  # still 30 June in UTC
    quarter_end = [c.campaign for c in summaries.steering_campaigns(until=datetime.date(2026, 6, 30))]
    assert late_evening in quarter_end and after_midnight not in quarter_end


def test_steering_campaigns_take_one_query_whatever_their_number(questionnaire, dgs, django_assert_num_queries):
    for i in range(12):
        campaign = opened(questionnaire, dgs, f"c-{i}", at(2026, 1, 1 + i))
        add_responses(campaign, 2)
    with django_assert_num_queries(1):
        choices = summaries.steering_campaigns()
        titles = [str(choice.campaign.questionnaire) for choice in choices]
    assert len(titles) == 12 and choices[0].campaign.slug == "c-11" and choices[0].responses == 2


def test_the_default_is_the_most_recent_campaign_with_five_complete_responses(campaigns):
    _c2025, spring, _autumn = campaigns
    choice = summaries.default_steering_campaign()
    assert (choice.campaign, choice.responses, choice.complete) == (spring, 7, 5)


def test_the_default_until_a_date_is_the_one_open_at_that_date(campaigns):
    c2025, _spring, _autumn = campaigns
    assert summaries.default_steering_campaign(until=datetime.date(2026, 3, 31)).campaign == c2025


def test_counts_until_a_date_leave_out_responses_sent_later(campaigns):
    _c2025, spring, _autumn = campaigns
    late = spring.responses.filter(status="submitted").first()
    spring.responses.filter(pk=late.pk).update(submitted_at=at(2026, 7, 2))
    by_june = {c.campaign: c for c in summaries.steering_campaigns(until=datetime.date(2026, 6, 30))}
    assert (by_june[spring].responses, by_june[spring].complete) == (7, 4)
    assert summaries.default_steering_campaign(until=datetime.date(2026, 6, 30)).campaign.slug == "cadres-2025"


def test_no_default_when_no_campaign_has_five_complete_responses(questionnaire, dgs):
    small = opened(questionnaire, dgs, "petite", at(2026, 5, 1))
    add_responses(small, 4)
    add_responses(small, 20, complete=False)
    assert summaries.default_steering_campaign() is None
    assert [c.campaign for c in summaries.steering_campaigns()] == [small]


def test_the_latest_campaign_is_still_the_one_opened_last(campaigns):
    assert summaries.latest_campaign() == campaigns[2]


def test_a_campaign_summary_hides_the_families_fewer_than_five_scored(campaign):
    add_responses(campaign, 5, {"F1": 2, "G1": 4})
    add_responses(campaign, 4, {"H1": 5})
    summary = summaries.campaign_summary(campaign)
    families = {f.section.code: (f.base, f.suppressed, f.mean) for f in summary.families}
    assert families == {"F": (5, False, 2.0), "G": (5, False, 4.0), "H": (4, True, None)}
