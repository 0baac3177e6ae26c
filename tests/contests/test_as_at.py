"""Contest figures as at a past date: a quarter's report reads the states and decisions of its
quarter's end, not today's."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from contests import selectors, services
from contests.models import Contest, Idea
from tests.factories import ContestFactory, DirectionFactory, IdeaFactory

Q1_END, Q2_END, Q3_END, Q4_END = (datetime.date(2026, m, d) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31)))


def local(day, hour=10, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def clock(monkeypatch):
    """Moves "now" for the services and auto_now_add fields: clock(date) → that day at 10:00, Paris time."""

    def move(day, hour=10):
        moment = local(day, hour)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return move


@pytest.fixture
def year_2026(clock, dgs, juror, author, make_user):
    """A contest prepared in April, open in Q2, evaluated in Q3, published in Q4, run through the services."""
    clock(datetime.date(2026, 4, 1))
    contest = ContestFactory(
        state="draft", opens_on=datetime.date(2026, 4, 10), closes_on=datetime.date(2026, 6, 20), created_by=dgs
    )
    contest.jury.add(juror)
    clock(datetime.date(2026, 4, 10))
    services.contest_advance(contest=contest, by=dgs)
    first = IdeaFactory(contest=contest, author=author, title="Vélos", submitted_at=local(datetime.date(2026, 4, 20)))
    other = make_user(username="autre")
    second = IdeaFactory(contest=contest, author=other, title="Écrans", submitted_at=local(datetime.date(2026, 6, 15)))
    clock(datetime.date(2026, 7, 1))
    services.contest_advance(contest=contest, by=dgs)
    clock(datetime.date(2026, 9, 15))
    services.idea_set_outcome(idea=first, by=dgs, status="selected")
    clock(datetime.date(2026, 10, 5))
    services.idea_set_outcome(idea=second, by=dgs, status="not_retained")
    clock(datetime.date(2026, 10, 10))
    services.contest_advance(contest=contest, by=dgs)
    clock(datetime.date(2026, 10, 20))
    services.idea_to_project(idea=first, by=dgs, lead=dgs, nature="societal", objects=[])
    clock(datetime.date(2026, 12, 15))
    contest.refresh_from_db()
    return contest


def figures(until, direction_id=None):
    return [
        {key: row[key] for key in ("state", "state_label", "submitted", "selected", "projects")}
        for row in selectors.contests_conversion(direction_id, until=until)
    ]


def test_the_services_record_when_each_state_began(year_2026):
    assert timezone.localdate(year_2026.opened_at) == datetime.date(2026, 4, 10)
    assert timezone.localdate(year_2026.evaluation_started_at) == datetime.date(2026, 7, 1)
    assert timezone.localdate(year_2026.results_published_at) == datetime.date(2026, 10, 10)


def test_a_contest_reads_as_it_was_at_the_end_of_each_day(year_2026):
    assert year_2026.state_on(datetime.date(2026, 3, 31)) is None  # not created yet
    assert year_2026.state_on(datetime.date(2026, 4, 9)) == Contest.State.DRAFT
    assert year_2026.state_on(datetime.date(2026, 4, 10)) == Contest.State.OPEN
    assert year_2026.state_on(Q2_END) == Contest.State.OPEN
    assert year_2026.state_on(Q3_END) == Contest.State.EVALUATION
    assert year_2026.state_on(datetime.date(2026, 10, 10)) == Contest.State.PUBLISHED


def test_the_report_of_each_quarter_shows_that_quarter_s_state_and_decisions(year_2026):
    assert figures(Q1_END) == []
    assert figures(Q2_END) == [
        {"state": "open", "state_label": "Ouvert aux idées", "submitted": 2, "selected": 0, "projects": 0}
    ]
    assert figures(Q3_END) == [
        {"state": "evaluation", "state_label": "En évaluation", "submitted": 2, "selected": 1, "projects": 0}
    ]
    assert figures(Q4_END) == [
        {"state": "published", "state_label": "Résultats publiés", "submitted": 2, "selected": 1, "projects": 1}
    ]
    assert figures(None) == figures(Q4_END)


def test_a_decision_taken_today_does_not_change_a_past_quarter(year_2026, clock, dgs, make_user):
    late = IdeaFactory(
        contest=year_2026,
        author=make_user(username="tardif"),
        status="under_review",
        submitted_at=local(datetime.date(2026, 6, 1)),
    )
    before = figures(Q3_END)
    clock(datetime.date(2026, 12, 16))
    services.idea_set_outcome(idea=late, by=dgs, status="selected")
    assert figures(Q3_END) == before
    assert figures(datetime.date(2026, 12, 16))[0]["selected"] == 2


def test_a_new_message_does_not_re_date_a_decision(year_2026, clock, dgs):
    idea = Idea.objects.get(title="Écrans")
    clock(datetime.date(2026, 12, 1))
    services.idea_set_outcome(idea=idea, by=dgs, status="not_retained", message="Merci pour votre idée.")
    idea.refresh_from_db()
    assert timezone.localdate(idea.decided_at) == datetime.date(2026, 10, 5)


def test_the_status_of_an_idea_as_at_a_date(year_2026):
    first, second = Idea.objects.get(title="Vélos"), Idea.objects.get(title="Écrans")
    assert first.status_on(datetime.date(2026, 4, 19)) is None
    assert first.status_on(Q2_END) == Idea.Status.SUBMITTED
    assert first.status_on(Q3_END) == Idea.Status.SELECTED
    assert second.status_on(Q3_END) == Idea.Status.UNDER_REVIEW
    assert second.status_on(Q4_END) == Idea.Status.NOT_RETAINED


def test_with_a_direction_only_its_ideas_count(year_2026):
    direction = DirectionFactory(code="DST")
    Idea.objects.filter(title="Écrans").update(direction=direction)
    assert figures(Q3_END, direction.pk) == [
        {"state": "evaluation", "state_label": "En évaluation", "submitted": 1, "selected": 0, "projects": 0}
    ]


def test_no_contest_gives_no_row(db):
    assert selectors.contests_conversion(until=Q2_END) == []
    assert selectors.contests_conversion() == []


def test_a_contest_without_ideas_gives_zeros_and_a_draft_is_left_out(dgs):
    ContestFactory(state="draft", title="Brouillon", created_by=dgs)
    ContestFactory(state="open", title="Sans idée", created_by=dgs)
    rows = selectors.contests_conversion(until=timezone.localdate())
    assert [(row["contest"].title, row["submitted"], row["selected"], row["projects"]) for row in rows] == [
        ("Sans idée", 0, 0, 0)
    ]


def test_ideas_submitted_between_takes_whole_local_days_and_no_draft(contest, author):
    late_evening = IdeaFactory(contest=contest, author=author, submitted_at=local(Q2_END, 23, 30))
    IdeaFactory(contest=contest, author=author, submitted_at=local(datetime.date(2026, 7, 1), 0, 30))
    IdeaFactory(contest=contest, author=author, status="draft", submitted_at=None)
    first_morning = IdeaFactory(contest=contest, author=author, submitted_at=local(datetime.date(2026, 4, 1), 0, 10))
    ideas = selectors.ideas_submitted_between(datetime.date(2026, 4, 1), Q2_END)
    assert list(ideas) == [first_morning, late_evening]


def test_ideas_submitted_between_keeps_the_ideas_of_one_direction(contest, author):
    direction = DirectionFactory(code="DSOL")
    mine = IdeaFactory(contest=contest, author=author, direction=direction, submitted_at=local(Q2_END))
    IdeaFactory(contest=contest, author=author, submitted_at=local(Q2_END))
    assert list(selectors.ideas_submitted_between(Q1_END, Q2_END, direction.pk)) == [mine]


def test_the_backfill_dates_existing_contests_and_decisions(dgs, author):
    backfill = importlib.import_module("contests.migrations.0004_backfill_state_times").backfill
    published = ContestFactory(
        state="published", opens_on=datetime.date(2025, 3, 1), closes_on=datetime.date(2025, 4, 30), created_by=dgs
    )
    Contest.objects.filter(pk=published.pk).update(created_at=local(datetime.date(2025, 2, 1)))
    idea = IdeaFactory(
        contest=published, author=author, status="selected", submitted_at=local(datetime.date(2025, 3, 5))
    )
    Idea.objects.filter(pk=idea.pk).update(updated_at=local(datetime.date(2025, 5, 20)), decided_at=None)
    draft = ContestFactory(state="draft", created_by=dgs)
    backfill(apps, None)
    published.refresh_from_db()
    idea.refresh_from_db()
    draft.refresh_from_db()
    assert timezone.localdate(idea.decided_at) == datetime.date(2025, 5, 20)
    assert timezone.localdate(published.opened_at) == datetime.date(2025, 3, 1)
    assert timezone.localdate(published.evaluation_started_at) == datetime.date(2025, 5, 1)
    assert timezone.localdate(published.results_published_at) == datetime.date(2025, 5, 20)
    assert published.state_on(datetime.date(2025, 4, 30)) == Contest.State.OPEN
    assert (draft.opened_at, draft.evaluation_started_at, draft.results_published_at) == (None, None, None)


def test_the_demo_contests_read_as_they_were_a_year_ago(db, settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo")
    a_year_ago = timezone.localdate() - datetime.timedelta(days=400)
    rows = {row["contest"].slug: row for row in selectors.contests_conversion(until=a_year_ago)}
    assert set(rows) == {"concours-2025"}
    assert (rows["concours-2025"]["state"], rows["concours-2025"]["selected"]) == ("open", 0)
    today = {row["contest"].slug: row for row in selectors.contests_conversion(until=timezone.localdate())}
    assert today["concours-2025"]["selected"] == 3 and today["concours-2025"]["projects"] == 3


def test_an_idea_decided_outside_the_services_counts_as_decided_when_saved(contest, author):
    idea = IdeaFactory(contest=contest, author=author, status="selected")
    assert idea.decided_at is not None
    rows = selectors.contests_conversion(until=timezone.localdate())
    assert rows[0]["selected"] == 1
