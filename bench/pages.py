"""The board, the project list (first and last page) and the dashboard at 1,000 and at 100,000 projects.

    createdb -h 127.0.0.1 -U postgres bench_pages
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_pages REDIS_URL=redis://127.0.0.1:6379/8 \\
        .venv/bin/python bench/pages.py [--small 1000] [--large 100000] [--repeat 5]

Two PostgreSQL databases: DATABASE_URL's holds the large portfolio, the same name suffixed ``_small`` (created
when missing) the reference. In each: ``migrate``, ``seed_demo`` (once), then ``bench.data.load_projects``
until it holds the wanted number of loaded projects (a second run reuses them). Every page is requested through
Django's test client, signed in as ``dgs``: one request to warm up, then the median of ``--repeat``. Prints,
per page, the time at the small size (the reference, measured in the same run), at the large size, the ratio
and the size of the HTML. Target: ratio ≤ 2 and HTML ≤ 300 KB. The dashboard (last complete quarter) is timed
three ways: a later view (served by the cache), the first view with the cache emptied (the computation), and
the view right after a decision taken today (``--repeat`` projects of the load are put on hold for it).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "tableau /projets/tableau/": "/projets/tableau/",
    "liste, 1re page": "/projets/",
    "liste, dernière page": "/projets/?page=999999",
    "liste filtrée (phase, statut)": "/projets/?phase=adoption&statut=active",
    "tableau de bord": "/tableaux-de-bord/",
}
COLD = "tableau de bord, 1re vue (calcul)"
AFTER_DECISION = "tableau de bord après une décision"


def measure(count: int, repeat: int) -> dict[str, dict[str, float]]:
    """In the database of DATABASE_URL: ``count`` loaded projects, then the time and size of every page."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovation_portal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from bench.data import TITLE_PREFIX, load_projects
    from portfolio.models import Project

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="dgs").exists():
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    loaded = Project.objects.filter(title__startswith=TITLE_PREFIX).count()
    if loaded < count:
        started = time.perf_counter()
        load_projects(count - loaded, seed=loaded + 7)
        print(f"  {count - loaded} projects loaded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # fresh statistics and visibility map, as autovacuum would leave them
    settings.DEBUG = False  # no query log, as in production
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(User.objects.get(username="dgs"))
    client.get("/")
    results = {}
    for name, url in PAGES.items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _round in range(repeat):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        results[name] = {"seconds": statistics.median(times), "bytes": len(response.content)}
    # A closed quarter's dashboard is kept in the cache once computed: the time above is that of a later
    # visit; here, the first visit after a change of the data (the cache emptied before each request).
    from django.core.cache import cache

    times = []
    for _round in range(repeat):
        cache.clear()
        started = time.perf_counter()
        response = client.get(PAGES["tableau de bord"])
        times.append(time.perf_counter() - started)
    results[COLD] = {"seconds": statistics.median(times), "bytes": len(response.content)}
    # The usual change: a decision taken today. It cannot change a closed quarter, whose figures stay cached.
    from portfolio.services import project_decide_gate

    client.get(PAGES["tableau de bord"])
    dgs = User.objects.get(username="dgs")
    active = Project.objects.filter(status=Project.Status.ACTIVE, title__startswith=TITLE_PREFIX).order_by("pk")
    times = []
    for project in active[:repeat]:
        project_decide_gate(project=project, decided_by=dgs, decision="hold", rationale="Mesure du banc d'essai")
        started = time.perf_counter()
        response = client.get(PAGES["tableau de bord"])
        times.append(time.perf_counter() - started)
    results[AFTER_DECISION] = {"seconds": statistics.median(times), "bytes": len(response.content)}
    results["projects"] = {"count": Project.objects.count()}
    return results


def database_url(url: str, suffix: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path + suffix))


def create_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    exists = subprocess.run(
        ["psql", "-h", parts.hostname, "-U", parts.username, "-p", str(parts.port or 5432), "-lqtA"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if not any(line.split("|")[0] == name for line in exists.splitlines()):
        subprocess.run(
            ["createdb", "-h", parts.hostname, "-U", parts.username, "-p", str(parts.port or 5432), name], check=True
        )


def run(url: str, count: int, repeat: int) -> dict[str, dict[str, float]]:
    create_database(url)
    command = [sys.executable, __file__, "--measure", str(count), "--repeat", str(repeat)]
    output = subprocess.run(command, env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True)
    if output.returncode:
        sys.exit(output.stderr)
    sys.stderr.write(output.stderr)
    return json.loads(output.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure is not None:
        print(json.dumps(measure(options.measure, options.repeat)))
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point at a PostgreSQL database (see the docstring).")
    print(f"reference: {options.small} loaded projects", flush=True)
    small = run(database_url(url, "_small"), options.small, options.repeat)
    print(f"ours: {options.large} loaded projects", flush=True)
    large = run(url, options.large, options.repeat)
    print(f"\n{small['projects']['count']} projects in all (reference) vs {large['projects']['count']} (ours)")
    print(f"{'page':32} {'reference':>10} {'ours':>10} {'ratio':>7} {'HTML (ours)':>12}")
    for name in [*PAGES, COLD, AFTER_DECISION]:
        ref, ours = small[name], large[name]
        ratio = ours["seconds"] / ref["seconds"]
        verdict = "ok" if ratio <= 2 and ours["bytes"] <= 300_000 else "OVER TARGET"
        print(
            f"{name:32} {ref['seconds'] * 1000:8.0f} ms {ours['seconds'] * 1000:7.0f} ms {ratio:6.2f}× "
            f"{ours['bytes'] / 1024:8.0f} KiB  {verdict}"
        )


if __name__ == "__main__":
    main()
