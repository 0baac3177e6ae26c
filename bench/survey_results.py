"""Times the survey results aggregation against one hand-written SQL GROUP BY.

    .venv/bin/python bench/survey_results.py                      # SQLite, in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/innovation_bench .venv/bin/python bench/survey_results.py

The database is migrated, then a campaign of 100,000 responses (about 40 answers each,
deterministic) is created once and reused by later runs. Both timings are the best of
several warm runs; the ratio says what the results page's selector costs compared with
the single GROUP BY a person would write by hand over the same rows.
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

# The same GROUP BY written two ways; the faster one is the reference of the ratio.
HAND_WRITTEN = {
    "JOIN": """
        SELECT a.question_id, a.choice_id, a.number, COUNT(*)
        FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id
        WHERE r.campaign_id = %s
        GROUP BY a.question_id, a.choice_id, a.number
    """,
    "IN (SELECT …)": """
        SELECT a.question_id, a.choice_id, a.number, COUNT(*)
        FROM surveys_answer a
        WHERE a.response_id IN (SELECT id FROM surveys_response WHERE campaign_id = %s)
        GROUP BY a.question_id, a.choice_id, a.number
    """,
}


def _answers(response: Response, structure: Structure, rng: random.Random) -> list[Answer]:
    rows = []
    for question in structure.questions.values():
        if question.kind == Question.Kind.SINGLE:
            rows.append(Answer(response=response, question=question, choice=rng.choice(question.choice_list)))
        elif question.kind == Question.Kind.MULTIPLE:
            picked = rng.sample(question.choice_list, rng.randint(1, min(3, len(question.choice_list))))
            rows += [Answer(response=response, question=question, choice=choice) for choice in picked]
        elif question.kind == Question.Kind.SCALE:
            rows.append(Answer(response=response, question=question, number=rng.randint(1, 5)))
    return rows


def _populate(campaign: Campaign, structure: Structure) -> None:
    rng = random.Random(2018)
    now = timezone.now()
    started = time.perf_counter()
    for offset in range(0, RESPONSES, CHUNK):
        size = min(CHUNK, RESPONSES - offset)
        with transaction.atomic():
            responses = Response.objects.bulk_create(
                Response(campaign=campaign, origin="import", status="submitted", submitted_at=now) for _ in range(size)
            )
            rows = [row for response in responses for row in _answers(response, structure, rng)]
            Answer.objects.bulk_create(rows, batch_size=CHUNK)
        print(f"  {offset + size:>7} réponses écrites", end="\r", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"\n  données créées en {time.perf_counter() - started:.0f} s")


def _campaign() -> tuple[Campaign, Structure]:
    questionnaire = Questionnaire.objects.get(series=SERIES, edition=EDITION)
    structure = questionnaire_structure(questionnaire)
    campaign = Campaign.objects.filter(slug=SLUG).first()
    if campaign and campaign.responses.count() == RESPONSES:
        return campaign, structure
    if campaign:
        campaign.delete()
    owner, _created = User.objects.get_or_create(username="bench")
    campaign = Campaign.objects.create(questionnaire=questionnaire, title="Banc d'essai", slug=SLUG, created_by=owner)
    print(f"Création de {RESPONSES} réponses…")
    _populate(campaign, structure)
    return campaign, structure


def _best(function: object) -> float:
    times = []
    for _run in range(RUNS):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def _hand_written(sql: str, campaign: Campaign) -> object:
    def run() -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, [campaign.pk])
            return cursor.fetchall()

    return run


def _check(results: object, rows: list) -> None:
    """The selector's counts are those of the hand-written query."""
    raw = {(q, c): n for q, c, _number, n in rows if c is not None}
    for section in results.sections:
        for result in section.questions:
            for row, choice in zip(result.rows, result.question.choice_list, strict=False):
                assert raw.get((result.question.pk, choice.pk), 0) == row.count, "the selector and the SQL disagree"


def main() -> None:
    call_command("migrate", verbosity=0)
    campaign, structure = _campaign()
    answers = Answer.objects.filter(response__campaign=campaign).count()

    def selector() -> object:
        return campaign_results(campaign=campaign, structure=structure, params={}, comparable=Campaign.objects.none())

    reset_queries()  # DEBUG keeps a bounded log of queries: start from an empty one
    with CaptureQueriesContext(connection) as queries:
        results = selector()
    _check(results, _hand_written(HAND_WRITTEN["JOIN"], campaign)())

    selector_time = _best(selector)
    print(f"Base : {connection.vendor} — {results.total} réponses, {answers} réponses aux questions")
    print(f"Sélecteur des résultats (campaign_results) : {selector_time * 1000:8.1f} ms, {len(queries)} requêtes")
    sql_times = {}
    for name, sql in HAND_WRITTEN.items():
        sql_times[name] = _best(_hand_written(sql, campaign))
        print(f"GROUP BY écrit à la main, {name:<14}: {sql_times[name] * 1000:8.1f} ms")
    fastest = min(sql_times, key=sql_times.get)
    print(f"Rapport sélecteur / GROUP BY le plus rapide ({fastest}) : {selector_time / sql_times[fastest]:.2f}")


if __name__ == "__main__":
    main()
