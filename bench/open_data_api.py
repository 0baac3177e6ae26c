"""Times the open-data files and the read API against hand-written PostgreSQL of the same rows.

    createdb -h 127.0.0.1 -U postgres bench_open_data
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_open_data .venv/bin/python bench/open_data_api.py

The database is migrated, given the demo data and ``BENCH_PROJECTS`` projects (20,000 by default,
``bench.data.load_projects``), all marked for open data, once. Then, in one run:

- ``/donnees-ouvertes/projets.csv`` and ``projets.json`` through Django's test client, the streamed body
  consumed, against a ``COPY`` of the same rows and columns (best of ``BENCH_RUNS``, in turns);
- ``/api/projets`` (first and last page, with a personal token) against the hand-written ``SELECT`` of that
  page and its ``COUNT`` (best of ``BENCH_RUNS``).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovation_portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_open_data")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/6")
os.environ.setdefault("API_RATE_PER_MINUTE", "100000")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from api import services as api_services  # noqa: E402
from bench.exports import copy_seconds, download_seconds, prepare_projects  # noqa: E402
from portfolio.models import Project  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "3"))

OPEN_DATA_COPY = """
COPY (
    SELECT p.id, 'Ville', p.title, p.summary, p.nature,
        (SELECT string_agg(o.code, ';' ORDER BY o."order", o.code)
           FROM portfolio_project_objects_of_innovation po
           JOIN portfolio_innovationobject o ON o.id = po.innovationobject_id WHERE po.project_id = p.id),
        d.name, p.origin,
        (SELECT string_agg(dir.name, ';' ORDER BY dir.name)
           FROM portfolio_project_directions pd
           JOIN accounts_direction dir ON dir.id = pd.direction_id WHERE pd.project_id = p.id),
        ph.code, p.status, p.phase_since, p.start_date, p.expected_end_date, p.estimated_cost, p.perimeter,
        p.scope, p.observed_results, p.lessons_learned, p.updated_at
    FROM portfolio_project p
    JOIN portfolio_phase ph ON ph.id = p.phase_id
    LEFT JOIN portfolio_domain d ON d.id = p.domain_id
    WHERE p.open_data AND p.visibility = 'all'
    ORDER BY p.id
) TO STDOUT WITH (FORMAT csv, HEADER)
"""

API_PAGE_SQL = """
SELECT p.id, p.title, p.summary, p.nature, ph.code, ph.label, p.status, p.phase_since,
    (SELECT array_agg(dir.code) FROM portfolio_project_directions pd
       JOIN accounts_direction dir ON dir.id = pd.direction_id WHERE pd.project_id = p.id),
    concat_ws(' ', u.first_name, u.last_name), p.updated_at
FROM portfolio_project p
JOIN portfolio_phase ph ON ph.id = p.phase_id
JOIN accounts_user u ON u.id = p.lead_id
ORDER BY p.updated_at DESC, p.id DESC
LIMIT 50 OFFSET %s
"""


def sql_seconds(offset: int) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM portfolio_project")
        cursor.fetchone()
        cursor.execute(API_PAGE_SQL, [offset])
        cursor.fetchall()
    return time.perf_counter() - started


def main() -> None:
    prepare_projects()
    Project.objects.filter(open_data=False, visibility=Project.Visibility.ALL).update(open_data=True)
    count = Project.objects.filter(open_data=True).count()
    dgs = User.objects.get(username="dgs")
    _row, token = api_services.token_create(user=dgs, name="bench", days=30)
    client = Client(HTTP_HOST="localhost")
    print(f"{Project.objects.count()} projets, dont {count} publiés en données ouvertes", flush=True)

    for name, url in (
        ("projets.csv", "/donnees-ouvertes/projets.csv"),
        ("projets.json", "/donnees-ouvertes/projets.json"),
    ):
        ours, reference, size = [], [], 0
        for _ in range(RUNS):
            seconds, size, status = download_seconds(client, url)
            assert status == 200, status
            ours.append(seconds)
            reference.append(copy_seconds(OPEN_DATA_COPY)[0])
        print(
            f"{name:<24} {min(ours):7.2f} s  COPY {min(reference):6.2f} s  rapport {min(ours) / min(reference):5.2f}"
            f"  ({size / 1e6:.1f} Mo)",
            flush=True,
        )

    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    last = (Project.objects.count() - 1) // 50 + 1
    for name, page in (("API page 1", 1), (f"API page {last}", last)):
        ours, reference = [], []
        for _ in range(RUNS):
            started = time.perf_counter()
            response = client.get(f"/api/projets?page={page}", **headers)
            assert response.status_code == 200, response.status_code
            ours.append(time.perf_counter() - started)
            reference.append(sql_seconds((page - 1) * 50))
        print(
            f"{name:<24} {min(ours) * 1000:7.0f} ms  SQL {min(reference) * 1000:5.0f} ms"
            f"  rapport {min(ours) / min(reference):5.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
