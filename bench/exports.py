"""Times the streamed exports against PostgreSQL's ``COPY … TO STDOUT`` of the same rows.

    createdb -h 127.0.0.1 -U postgres bench_exports
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_exports .venv/bin/python bench/exports.py
    … bench/exports.py --prepare     # only load the data (reused by later runs)
    … bench/exports.py --projets     # only the projects' exports

The database is migrated and given the demo data, 100,000 projects (``bench.data.load_projects``)
and a campaign of 100,000 respondents (``bench.data.survey_campaign``), once. Then, in
one run: the projects' CSV and XLSX exports and the survey's ``reponses.csv`` / ``.xlsx``, each
through Django's test client with the whole streamed body consumed, against a ``COPY`` of the
same rows and columns (the reference of the ratio; CSV and COPY: best of three, in turns). The
peak memory growth during a CSV export is measured in a fresh subprocess (``tracemalloc`` peak
of Python's allocations, and the growth of the process's maxrss).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovation_portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_exports")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/6")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from portfolio.models import Project  # noqa: E402

PROJECTS = int(os.environ.get("BENCH_PROJECTS", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))  # CSV and COPY: the best of RUNS, taken in turns

# The projects' export, column for column, written by hand: the same joins, the same labels.
PROJECTS_COPY = """
COPY (
    SELECT p.id, p.title, p.summary, p.nature,
        (SELECT string_agg(o.label, ', ' ORDER BY o."order", o.id)
           FROM portfolio_project_objects_of_innovation po
           JOIN portfolio_innovationobject o ON o.id = po.innovationobject_id WHERE po.project_id = p.id),
        d.name, p.origin,
        (SELECT string_agg(dir.code, ', ' ORDER BY dir.name, dir.id)
           FROM portfolio_project_directions pd
           JOIN accounts_direction dir ON dir.id = pd.direction_id WHERE pd.project_id = p.id),
        concat_ws(' ', u.first_name, u.last_name), ph.label, to_char(p.phase_since, 'DD/MM/YYYY'), p.status,
        to_char(p.start_date, 'DD/MM/YYYY'), to_char(p.expected_end_date, 'DD/MM/YYYY'),
        replace(p.estimated_cost::text, '.', ','), replace(p.actual_cost::text, '.', ','),
        p.perimeter, p.scope, p.visibility,
        p.description, p.expected_value, p.observed_results, p.lessons_learned,
        (SELECT string_agg(coalesce(nullif(concat_ws(' ', tu.first_name, tu.last_name), ''), tu.username), ', '
                           ORDER BY tu.last_name, tu.first_name, tu.id)
           FROM portfolio_project_team pt JOIN accounts_user tu ON tu.id = pt.user_id WHERE pt.project_id = p.id),
        (SELECT string_agg(i.name || ' : ' || coalesce(
                    replace((SELECT m.value::text FROM portfolio_measurement m WHERE m.indicator_id = i.id
                             ORDER BY m.measured_on DESC LIMIT 1), '.', ',') || ' ' || i.unit, '—'),
                           ' ; ' ORDER BY i.id)
           FROM portfolio_indicator i WHERE i.project_id = p.id),
        (SELECT string_agg(f.label || ' : ' || s.score || '/5', ' ; ' ORDER BY f."order", f.id)
           FROM portfolio_factorscore s JOIN portfolio_successfactor f ON f.id = s.factor_id
          WHERE s.project_id = p.id)
    FROM portfolio_project p
    JOIN portfolio_phase ph ON ph.id = p.phase_id
    JOIN accounts_user u ON u.id = p.lead_id
    LEFT JOIN portfolio_domain d ON d.id = p.domain_id
    ORDER BY p.updated_at DESC, p.id
) TO STDOUT WITH (FORMAT csv, DELIMITER ';', HEADER)
"""

# The responses' export: one row per respondent, one column per question (multiple choices joined).
RESPONSES_COPY = """
COPY (
    SELECT r.id, r.status, string_agg(q.code || '=' || coalesce(c.code, a.number::text, a.text), ';'
                                      ORDER BY q.id, c."order")
    FROM surveys_response r
    JOIN surveys_answer a ON a.response_id = r.id
    JOIN surveys_question q ON q.id = a.question_id
    LEFT JOIN surveys_choice c ON c.id = a.choice_id
    WHERE r.campaign_id = %s
    GROUP BY r.id, r.status
    ORDER BY r.id
) TO STDOUT WITH (FORMAT csv, DELIMITER ';', HEADER)
"""


def prepare_projects() -> None:
    """Migrates, adds the demo data and the projects when missing."""
    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="dgs").exists():
        call_command("seed_demo", verbosity=0)
    missing = PROJECTS - Project.objects.filter(title__startswith="Projet de charge").count()
    if missing > 0:
        from bench.data import load_projects

        started = time.perf_counter()
        print(f"Chargement de {missing} projets…", flush=True)
        load_projects(missing)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"  en {time.perf_counter() - started:.0f} s", flush=True)


def prepare_campaign() -> object:
    """The campaign of 100,000 respondents of bench/survey_results.py, created when missing."""
    from bench.data import survey_campaign

    campaign, _structure = survey_campaign()
    return campaign


def copy_seconds(sql: str, params: list | None = None) -> tuple[float, int]:
    """Seconds and bytes of a COPY … TO STDOUT read through psycopg, rows written to a buffer."""
    connection.ensure_connection()
    started = time.perf_counter()
    size = 0
    with connection.connection.cursor() as cursor:
        query = sql if not params else cursor.mogrify(sql, params)
        with cursor.copy(query) as copy:
            for block in copy:
                size += len(block)
    return time.perf_counter() - started, size


def download_seconds(client: Client, url: str) -> tuple[float, int, int]:
    """Seconds, bytes and HTTP status of one export, its streamed body consumed to the end."""
    reset_queries()
    started = time.perf_counter()
    response = client.get(url)
    size = 0
    chunks = response.streaming_content if response.streaming else [response.content]
    for chunk in chunks:
        size += len(chunk)
    response.close()
    return time.perf_counter() - started, size, response.status_code


def memory_growth(url: str) -> tuple[float, float]:
    """Peak memory growth (MB) while one export is consumed, in a fresh process: Python's allocations
    (tracemalloc peak) and the process's resident size (maxrss after − before)."""
    output = subprocess.run(
        [sys.executable, __file__, "--memory", url], cwd=ROOT, capture_output=True, text=True, check=True
    )
    python, resident = output.stdout.split()[-2:]
    return float(python), float(resident)


def _measure_memory(url: str) -> None:
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="dgs"))
    download_seconds(client, f"{url}?q=aucun-projet-ne-porte-ce-nom")  # imports and session warmed up
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    download_seconds(client, url)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{peak / 1e6:.1f} {(after - before) / 1e3:.1f}")


def _line(name: str, ours: float, reference: float, size: int) -> None:
    print(f"{name:<28} {ours:8.2f} s  COPY {reference:6.2f} s  rapport {ours / reference:5.2f}  ({size / 1e6:.1f} Mo)")


def _compare(client: Client, name: str, urls: tuple[str, str], sql: str, params: list | None = None) -> None:
    """Our CSV and the COPY in turns (the best of RUNS each: the machine is shared), then our XLSX once."""
    csv_url, xlsx_url = urls
    references, ours = [], []
    for _run in range(RUNS):
        references.append(copy_seconds(sql, params)[0])
        seconds, size, status = download_seconds(client, csv_url)
        assert status == 200, (csv_url, status)
        ours.append(seconds)
    reference = min(references)
    _line(f"{name} CSV", min(ours), reference, size)
    seconds, size, status = download_seconds(client, xlsx_url)
    assert status == 200, (xlsx_url, status)
    _line(f"{name} XLSX", seconds, reference, size)


def bench_projects(client: Client) -> None:
    print(f"Base : {connection.vendor} — {Project.objects.count()} projets")
    _compare(client, "projets", ("/projets/export.csv", "/projets/export.xlsx"), PROJECTS_COPY)
    _memory("/projets/export.csv")


def bench_responses(client: Client, campaign: object) -> None:
    print(f"Base : {connection.vendor} — {campaign.responses.count()} répondants")
    urls = (f"/enquetes/{campaign.slug}/reponses.csv", f"/enquetes/{campaign.slug}/reponses.xlsx")
    _compare(client, "réponses", urls, RESPONSES_COPY, [campaign.pk])
    _memory(urls[0])


def _memory(url: str) -> None:
    python, resident = memory_growth(url)
    print(f"Mémoire pendant {url} : pic Python +{python:.1f} Mo, pic du processus (maxrss) +{resident:.1f} Mo")


def main() -> None:
    if "--memory" in sys.argv:
        _measure_memory(sys.argv[sys.argv.index("--memory") + 1])
        return
    prepare_projects()
    campaign = None if "--projets" in sys.argv else prepare_campaign()
    if "--prepare" in sys.argv:
        return
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="dgs"))
    bench_projects(client)
    if campaign is not None:
        bench_responses(client, campaign)


if __name__ == "__main__":
    main()
