"""Times the survey results selector against one hand-written SQL GROUP BY over the same answers.

    .venv/bin/python bench/survey_results.py                      # SQLite, in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_results .venv/bin/python bench/survey_results.py

The database is migrated, then a campaign of 100,000 responses (about 40 answers each, one in
five partial, deterministic) and a compared campaign of 25,000 are created once and reused by
later runs. Four cases are measured: no filter, a type of collectivité, a function with complete
responses only, a comparison. For each, the reference is the GROUP BY (question, choice, number)
a person would write by hand over the answers of the selected responses (the faster of a join
and an ``IN``), and the selector is timed twice: recounting (cache emptied before each run: the
first read after any change to the campaign's responses) and reading its kept tally (responses
unchanged). Every timing is the best of several warm runs; the ratios are to the reference.
"""

from __future__ import annotations

import os
import random
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
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from surveys.answers import Structure  # noqa: E402
from surveys.models import Answer, Campaign, Question, Questionnaire, Response  # noqa: E402
from surveys.national import EDITION, SERIES  # noqa: E402
from surveys.results import campaign_results  # noqa: E402
from surveys.selectors import questionnaire_structure  # noqa: E402

RESPONSES = int(os.environ.get("BENCH_RESPONSES", "100000"))
CHUNK = 5_000
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


def _answers(response: Response, structure: Structure, rng: random.Random) -> list[Answer]:
    """About 40 answers: every choice and score; a partial response stops after section D; a few
    numbers and free texts."""
    rows = []
    for question in structure.questions.values():
        if not response.is_submitted and question.code > "E":  # codes start with their section
            break
        if question.kind == Question.Kind.NUMBER and rng.random() < 0.5:
            rows.append(Answer(response=response, question=question, number=rng.randint(1, 5000)))
        elif question.is_text and rng.random() < 0.1:
            rows.append(Answer(response=response, question=question, text=f"Texte {rng.randint(1, 1000)}"))
        elif question.kind == Question.Kind.SINGLE:
            rows.append(Answer(response=response, question=question, choice=rng.choice(question.choice_list)))
        elif question.kind == Question.Kind.MULTIPLE:
            picked = rng.sample(question.choice_list, rng.randint(1, min(3, len(question.choice_list))))
            rows += [Answer(response=response, question=question, choice=choice) for choice in picked]
        elif question.kind == Question.Kind.SCALE:
            rows.append(Answer(response=response, question=question, number=rng.randint(1, 5)))
    return rows


def _response(campaign: Campaign, rng: random.Random, now: object) -> Response:
    if rng.random() < 0.2:  # one response in five is partial
        return Response(campaign=campaign, origin="import")
    return Response(campaign=campaign, origin="import", status="submitted", submitted_at=now)


def _populate(campaign: Campaign, structure: Structure, count: int) -> None:
    rng = random.Random(campaign.slug)
    now = timezone.now()
    started = time.perf_counter()
    for offset in range(0, count, CHUNK):
        size = min(CHUNK, count - offset)
        with transaction.atomic():
            responses = Response.objects.bulk_create(_response(campaign, rng, now) for _ in range(size))
            rows = [row for response in responses for row in _answers(response, structure, rng)]
            Answer.objects.bulk_create(rows, batch_size=CHUNK)
        print(f"  {offset + size:>7} réponses écrites", end="\r", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"\n  données créées en {time.perf_counter() - started:.0f} s")


def _campaign(slug: str, count: int) -> tuple[Campaign, Structure]:
    questionnaire = Questionnaire.objects.get(series=SERIES, edition=EDITION)
    structure = questionnaire_structure(questionnaire)
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign and campaign.responses.count() == count:
        return campaign, structure
    if campaign:
        campaign.delete()
    owner, _created = User.objects.get_or_create(username="bench")
    campaign = Campaign.objects.create(
        questionnaire=questionnaire, title=f"Banc d'essai {slug}", slug=slug, status="closed", created_by=owner
    )
    print(f"Création de {count} réponses ({slug})…")
    _populate(campaign, structure, count)
    return campaign, structure


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

    cache.clear()
    reset_queries()  # DEBUG keeps a bounded log of queries: start from an empty one
    with CaptureQueriesContext(connection) as queries:
        results = selector()
    with CaptureQueriesContext(connection) as kept_queries:
        selector()
    sql_times = {}
    for variant, sql in HAND_WRITTEN.items():
        query = _hand_written(sql.format(where=where, by="r.campaign_id," if two else ""), sql_params)
        if variant == "JOIN":
            _check(results, query())
        sql_times[variant] = _best(query)
    reference = min(sql_times.values())
    recount = _best(selector, before=cache.clear)
    kept = _best(selector)
    print(f"\n{name} — {results.total} réponses" + (f" et {results.compare_total} comparées" if two else ""))
    print(f"  GROUP BY écrit à la main (le plus rapide)   : {reference * 1000:8.1f} ms")
    print(
        f"  sélecteur, recompte (cache vide)            : {recount * 1000:8.1f} ms, "
        f"{len(queries)} requêtes, rapport {recount / reference:.2f}"
    )
    print(
        f"  sélecteur, agrégats gardés (réponses inchangées) : {kept * 1000:8.1f} ms, "
        f"{len(kept_queries)} requêtes, rapport {kept / reference:.2f}"
    )


def main() -> None:
    call_command("migrate", verbosity=0)
    campaign, structure = _campaign(SLUG, RESPONSES)
    compared, _structure = _campaign(COMPARED_SLUG, COMPARED)
    answers = Answer.objects.filter(response__campaign=campaign).count()
    print(f"Base : {connection.vendor} — {RESPONSES} réponses, {answers} réponses aux questions ; meilleur de {RUNS}")
    for scenario in _scenarios(campaign, compared, structure):
        _measure(campaign, structure, scenario)


if __name__ == "__main__":
    main()
