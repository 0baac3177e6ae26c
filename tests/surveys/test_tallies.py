"""The results' counts kept in the database: equal to a recount of the answers after every kind of
write (a page saved, a submission, an import, an erasure, two submissions at once), checked and
repaired on demand, and read in the same number of queries whatever the number of responses."""

from __future__ import annotations

import io
import logging
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import close_old_connections, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.answers import Value
from surveys.imports import responses_import
from surveys.models import Campaign, Invitation, Tally
from surveys.results import campaign_results
from surveys.services import respondent_erase, response_save_section, response_submit
from surveys.tallies import tally_check
from surveys.tasks import check_survey_tallies
from tests.surveys.builders import REQUIRED, add_responses
from tests.surveys.test_import_export import REQUIRED as IMPORT_ROW
from tests.surveys.test_import_export import csv_bytes
from tests.surveys.test_results_recount import FILTERS, _assert_same, _recount, _selected

NONE = Campaign.objects.none()


def _answer_all(invitation: Invitation, structure, answers: dict | None = None) -> None:
    """Saves every page of the questionnaire with the given choice codes and scores, as a respondent does."""
    given = {**REQUIRED, **(answers or {})}
    for step, section in enumerate(structure.sections, start=1):
        values = {}
        for question in section.question_list:
            if question.code not in given:
                continue
            wanted = given[question.code]
            if isinstance(wanted, int):
                values[question.code] = Value(number=wanted)
            else:
                codes = wanted if isinstance(wanted, list) else [wanted]
                values[question.code] = Value(choices=tuple(c for c in question.choice_list if c.code in codes))
        response_save_section(invitation=invitation, structure=structure, section=section, step=step, values=values)


def _invite(campaign: Campaign, name: str) -> Invitation:
    return Invitation.objects.create(campaign=campaign, email=f"{name}@exemple.fr", token=f"jeton-{name}-" + "x" * 30)


def _assert_equal_to_a_recount(campaign: Campaign, structure) -> None:
    assert tally_check(campaign=campaign) == []
    for params in FILTERS:
        results = campaign_results(
            campaign=campaign, structure=structure, params=params, comparable=Campaign.objects.none()
        )
        chosen = _selected(campaign, params)
        assert (results.total, results.complete) == (len(chosen), sum(r.is_submitted for r in chosen)), params
        if not results.suppressed:
            _assert_same(results, _recount(chosen))


def test_saved_pages_submissions_imports_and_erasures_keep_the_counts_equal_to_a_recount(campaign, structure):
    add_responses(campaign, 6, {"D1": 4})
    invitations = [_invite(campaign, f"cadre{i}") for i in range(4)]
    for i, invitation in enumerate(invitations):
        _answer_all(invitation, structure, {"A1": "epci" if i % 2 else "commune", "D1": 1 + i, "D2": 5})
    _assert_equal_to_a_recount(campaign, structure)  # four partial responses, counted as soon as saved

    for invitation in invitations[:3]:
        response_submit(invitation=invitation, structure=structure)
    _answer_all(invitations[3], structure, {"A1": "commune", "A2": "chef_projet", "D1": 2})  # a profile changed
    _assert_equal_to_a_recount(campaign, structure)

    rows = [{"statut": "complete", **IMPORT_ROW, "A2": "chef_projet", "D1": str(1 + i % 5)} for i in range(7)]
    assert responses_import(campaign=campaign, structure=structure, data=csv_bytes(rows)).created == 7
    _assert_equal_to_a_recount(campaign, structure)

    respondent_erase(invitation=invitations[0])
    respondent_erase(invitation=invitations[3])
    _assert_equal_to_a_recount(campaign, structure)
    assert (
        campaign_results(campaign=campaign, structure=structure, params={}, comparable=Campaign.objects.none()).total
        == 15
    )


def test_an_import_refused_for_one_wrong_line_counts_nobody(campaign, structure):
    add_responses(campaign, 5)
    before = sorted(Tally.objects.filter(campaign=campaign).values_list("kind", "target", "value", "count"))
    rows = [{"statut": "complete", **IMPORT_ROW}, {"statut": "complete", **IMPORT_ROW, "A1": "inconnu"}]
    assert responses_import(campaign=campaign, structure=structure, data=csv_bytes(rows)).errors
    assert sorted(Tally.objects.filter(campaign=campaign).values_list("kind", "target", "value", "count")) == before


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_submissions_at_once_both_count(campaign, structure):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    first, second = _invite(campaign, "premier"), _invite(campaign, "second")
    for invitation in (first, second):
        _answer_all(invitation, structure, {"D1": 3})
    submitted, release, errors = threading.Event(), threading.Event(), []

    def submit(invitation: Invitation, hold: bool) -> None:
        try:
            with transaction.atomic():
                response_submit(invitation=invitation, structure=structure)
                if hold:  # the first submission keeps its transaction open until the second one waits
                    submitted.set()
                    assert release.wait(30)
        except Exception as error:  # noqa: BLE001 (reported by the test below)
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    holder = threading.Thread(target=submit, args=(first, True))
    holder.start()
    assert submitted.wait(30)
    other = threading.Thread(target=submit, args=(second, False))
    other.start()
    waited = False
    for _attempt in range(3000):  # until the second submission waits on the first one's counts
        waited = _waiting_for_a_lock()
        if waited or not other.is_alive():
            break
        threading.Event().wait(0.01)
    release.set()
    holder.join(30)
    other.join(30)
    assert errors == []
    assert waited, "the second submission should have waited for the first one's transaction"
    results = campaign_results(campaign=campaign, structure=structure, params={}, comparable=Campaign.objects.none())
    assert (results.total, results.complete) == (2, 2)
    assert tally_check(campaign=campaign) == []


def test_the_check_reports_a_wrong_count_and_the_repair_puts_it_right(campaign, structure, caplog):
    add_responses(campaign, 8, {"D1": 2})
    Tally.objects.filter(campaign=campaign, kind=Tally.Kind.PEOPLE).update(count=3)
    out = io.StringIO()
    with pytest.raises(CommandError, match="--repair"):
        call_command("check_survey_tallies", campaign.slug, stdout=out)
    assert "gardé 3, recompté 8" in out.getvalue()
    with caplog.at_level(logging.ERROR, logger="surveys.tallies"):
        assert check_survey_tallies() == 1
    assert "gardé 3, recompté 8" in caplog.text

    call_command("check_survey_tallies", campaign.slug, "--repair", stdout=io.StringIO())
    out = io.StringIO()
    call_command("check_survey_tallies", stdout=out)
    assert f"{campaign.slug} : décomptes exacts." in out.getvalue()
    results = campaign_results(campaign=campaign, structure=structure, params={}, comparable=Campaign.objects.none())
    assert results.total == 8


def test_the_check_of_an_unknown_campaign_says_so(db):
    with pytest.raises(CommandError, match="Aucune campagne"):
        call_command("check_survey_tallies", "inconnue", stdout=io.StringIO())


def _results_page_queries(client, campaign: Campaign, params: dict) -> tuple[list[str], object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("surveys:results", args=[campaign.slug]), params)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries], response.context["results"]


@pytest.mark.parametrize("params", [{}, {"type": "commune", "reponses": "completes"}])
def test_the_results_page_reads_as_many_queries_for_10_as_for_10000_responses(client, dgs, campaign, params):
    client.force_login(dgs)
    texts = {"B4": "Un tiers-lieu", "A4": 120}
    add_responses(campaign, 10, texts)
    small, results = _results_page_queries(client, campaign, params)
    assert results.total == 10
    add_responses(campaign, 9_990, texts)
    large, results = _results_page_queries(client, campaign, params)
    assert results.total == 10_000
    assert len(large) == len(small)
    # The answers are read only for the latest free texts, a few rows each.
    reading_answers = [sql for sql in large if '"surveys_answer"' in sql and "LIMIT 5" not in sql]
    assert reading_answers == []
