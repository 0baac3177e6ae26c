"""Times the survey results against one hand-written SQL GROUP BY over the same answers, in one run.

    .venv/bin/python bench/survey_results.py                      # SQLite, in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_results .venv/bin/python bench/survey_results.py
    … bench/survey_results.py --verifier     # also times the recount check (check_survey_tallies)

The database is migrated, then a campaign of 100,000 responses (about 40 answers each, one in
five partial, deterministic: the loader of ``bench/data.py``) and a compared campaign of 25,000
are created once and reused by later runs. Five cases are measured: no filter, a type of
collectivité, a function, a function with complete responses only, a comparison. For each, the
reference (the floor) is the GROUP BY (question, choice, number) a person would write by hand
over the answers of the selected responses (the faster of a join and an ``IN``); the results are
timed cold (cache emptied before every run: nothing computed earlier helps), as the selector
alone and with the ``resultats.csv`` file written from it. Every timing is the best of several
warm runs of the database; the ratios are to the reference measured in the same run.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovation_portal.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'innovation_bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.data import survey_campaign  # noqa: E402
from surveys.answers import Structure  # noqa: E402
from surveys.exports import results_csv  # noqa: E402
from surveys.models import Answer, Campaign  # noqa: E402
from surveys.results import campaign_results  # noqa: E402
from surveys.tallies import tally_check  # noqa: E402

RESPONSES = int(os.environ.get("BENCH_RESPONSES", "100000"))
RUNS = 5
SLUG = "bench-100k"
# The campaign compared with (the same questionnaire, an earlier wave): smaller, to load faster.
COMPARED = int(os.environ.get("BENCH_COMPARED", "25000"))
COMPARED_SLUG = "bench-compared"

# The GROUP BY a person would write by hand over the answers the results read, two ways (a join,
# or IN): the faster one is the reference. {where} selects the responses (campaign, filters),
# {by} adds the campaign when two are counted side by side (a comparison).
HAND_WRITTEN = {
    "JOIN": """
        SELECT {by} a.question_id, a.choice_id, a.number, COUNT(*)
        FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id
        WHERE {where}
        GROUP BY {by} a.question_id, a.choice_id, a.number
    """,
    "IN (SELECT …)": """
        SELECT {by} a.question_id, a.choice_id, a.number, COUNT(*)
        FROM surveys_answer a JOIN (SELECT id, campaign_id FROM surveys_response r WHERE {where}) r
            ON r.id = a.response_id
        GROUP BY {by} a.question_id, a.choice_id, a.number
    """,
}
PROFILE = "r.id IN (SELECT response_id FROM surveys_answer WHERE question_id = %s AND choice_id = %s)"


def _best(function: object, *, before: object = None) -> float:
    times = []
    for _run in range(RUNS):
        if before:
            before()
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def _hand_written(sql: str, params: list) -> object:
    def run() -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def _choice(structure: Structure, question: str, code: str) -> list[int]:
    found = structure.questions[question]
    return [found.pk, next(c.pk for c in found.choice_list if c.code == code)]


def _scenarios(campaign: Campaign, compared: Campaign, structure: Structure) -> list[tuple]:
    """(name, the page's filters, the reference's WHERE, its parameters, whether it counts two campaigns)."""
    return [
        ("sans filtre", {}, "r.campaign_id = %s", [campaign.pk], False),
        (
            "type = commune",
            {"type": "commune"},
            f"r.campaign_id = %s AND {PROFILE}",
            [campaign.pk, *_choice(structure, "A1", "commune")],
            False,
        ),
        (
            "fonction = directeur",
            {"fonction": "directeur"},
            f"r.campaign_id = %s AND {PROFILE}",
            [campaign.pk, *_choice(structure, "A2", "directeur")],
            False,
        ),
        (
            "fonction = directeur, complètes",
            {"fonction": "directeur", "reponses": "completes"},
            f"r.campaign_id = %s AND r.status = 'submitted' AND {PROFILE}",
            [campaign.pk, *_choice(structure, "A2", "directeur")],
            False,
        ),
        (
            "comparée à une campagne",
            {"comparer": compared.slug},
            "r.campaign_id IN (%s, %s)",
            [campaign.pk, compared.pk],
            True,
        ),
    ]


def _check(results: object, rows: list) -> None:
    """The selector's counts are those of the hand-written query (for the campaign shown)."""
    raw = {
        (q, c): n for *_campaign, q, c, _number, n in rows if c is not None and _campaign in ([], [results.campaign.pk])
    }
    for section in results.sections:
        for result in section.questions:
            for row, choice in zip(result.rows, result.question.choice_list, strict=False):
                assert raw.get((result.question.pk, choice.pk), 0) == row.count, "the selector and the SQL disagree"


def _measure(campaign: Campaign, structure: Structure, scenario: tuple) -> None:
    name, params, where, sql_params, two = scenario

    def selector() -> object:
        return campaign_results(
            campaign=campaign, structure=structure, params=params, comparable=Campaign.objects.all()
        )

    def with_csv() -> object:
        return results_csv(selector(), "resultats.csv")

    cache.clear()
    reset_queries()  # DEBUG keeps a bounded log of queries: start from an empty one
    with CaptureQueriesContext(connection) as queries:
        results = selector()
    sql_times = {}
    for variant, sql in HAND_WRITTEN.items():
        query = _hand_written(sql.format(where=where, by="r.campaign_id," if two else ""), sql_params)
        if variant == "JOIN":
            _check(results, query())
        sql_times[variant] = _best(query)
    reference = min(sql_times.values())
    ours = _best(selector, before=cache.clear)
    csv = _best(with_csv, before=cache.clear)
    print(f"\n{name} — {results.total} réponses" + (f" et {results.compare_total} comparées" if two else ""))
    print(f"  GROUP BY écrit à la main (le plus rapide) : {reference * 1000:8.1f} ms")
    print(
        f"  résultats (cache vide)                    : {ours * 1000:8.1f} ms, "
        f"{len(queries)} requêtes, rapport {ours / reference:.2f}"
    )
    print(f"  résultats et resultats.csv (cache vide)   : {csv * 1000:8.1f} ms, rapport {csv / reference:.2f}")


def _verify(campaign: Campaign) -> None:
    """The recount check of the nightly task, timed once."""
    started = time.perf_counter()
    differences = tally_check(campaign=campaign)
    print(f"\nVérification par recompte : {time.perf_counter() - started:.1f} s, {len(differences)} différence(s)")


def main() -> None:
    call_command("migrate", verbosity=0)
    campaign, structure = survey_campaign(SLUG, RESPONSES)
    compared, _structure = survey_campaign(COMPARED_SLUG, COMPARED)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    answers = Answer.objects.filter(response__campaign=campaign).count()
    print(f"Base : {connection.vendor} — {RESPONSES} réponses, {answers} réponses aux questions ; meilleur de {RUNS}")
    for scenario in _scenarios(campaign, compared, structure):
        _measure(campaign, structure, scenario)
    if "--verifier" in sys.argv:
        _verify(campaign)


if __name__ == "__main__":
    main()
