"""Relevance and speed of the similar-title suggestions (common/similar.py).

    .venv/bin/python bench/similar.py [--projects 100000] [--repeat 3]                 # SQLite, in memory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_similar .venv/bin/python bench/similar.py

Runs in a throw-away test database (``test_`` + the name of DATABASE_URL's database, or SQLite in memory), created
and dropped by the script. Prints:

1. precision and recall on the hand-written pairs of ``tests/similar_pairs.py``, every title of the pairs stored as
   a project (what ``tests/test_similar.py`` asserts);
2. the same once ``--projects`` other projects are stored beside them (titles drawn from a French vocabulary of the
   collectivités, some sharing words with the pairs): the suggestions must still find the duplicates among them;
3. the time of one suggestion (the median over the queries of the pairs, each repeated ``--repeat`` times) with
   those projects, against the list's own search (``search_text`` containing every word typed, first page of 25
   rows) for the same words, measured in the same run, and their ratio. Target: under 100 ms per suggestion at
   100,000 projects (one request per pause in the typing); the reference gives the scale of the machine.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_VOCABULARY = (
    "accueil agents aide archives atelier bâtiments bibliothèque budget cantine centre circulation collecte "
    "commande communication conseil crèche culture déchets démarches dématérialisation eau école écoles éclairage "
    "énergie enfance équipements espace espaces état civil formation gestion guichet habitants jeunesse jardins "
    "logement marchés médiathèque mobilité numérique parc parcs partage personnel piscine plan plateforme police "
    "prévention propreté quartier quartiers recrutement réseau restauration santé scolaire seniors service services "
    "social solidarité sport stationnement transport travaux urbanisme vélos voirie"
)
VOCABULARY = _VOCABULARY.split()


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovation_portal.settings")
    import django

    django.setup()


def _store(titles: list[str], lead: object) -> None:
    from common.validators import folded
    from portfolio.models import Phase, Project

    first = Phase.objects.order_by("order").first()
    rows = [
        Project(
            title=title,
            summary="",
            nature="managerial",
            origin="administrative",
            lead=lead,
            created_by=lead,
            phase=first,
            phase_since=datetime.date(2026, 1, 5),
            search_text=folded(title),
            title_folded=folded(title)[:200],
        )
        for title in titles
    ]
    Project.objects.bulk_create(rows, batch_size=5_000)


def _random_titles(count: int) -> list[str]:
    rng = random.Random(7)
    words = VOCABULARY
    return [" ".join(rng.sample(words, rng.randint(2, 4))).capitalize() + f" {n}" for n in range(count)]


def _median_ms(function: object, queries: list[str], repeat: int) -> float:
    timings = []
    for query in queries:
        function(query)  # warm
        for _ in range(repeat):
            started = time.perf_counter()
            function(query)
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    _setup()
    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        _run(args, connection)
    finally:
        teardown_databases(databases, verbosity=0)


def _run(args: argparse.Namespace, connection: object) -> None:
    from accounts.models import User
    from common.validators import folded
    from portfolio.models import Project
    from portfolio.selectors import similar_projects
    from tests.similar_pairs import DUPLICATES, relevance, titles

    dgs = User.objects.create_user(username="bench", password="x" * 20, is_superuser=True)

    def suggest(title: str) -> list[str]:
        return [match.object.title for match in similar_projects(dgs, title)]

    def list_search(title: str) -> list[int]:
        projects = Project.objects.all()
        for word in folded(title).split()[:8]:
            projects = projects.filter(search_text__contains=word)
        return list(projects.order_by("-updated_at", "-id").values_list("pk", flat=True)[:25])

    _store(titles(), dgs)
    print(f"Base : {connection.vendor}")
    print(f"Paires seules ({len(titles())} titres)      : {_line(relevance(suggest))}")
    started = time.perf_counter()
    _store(_random_titles(args.projects), dgs)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE portfolio_project")
    print(f"{args.projects} projets chargés en {time.perf_counter() - started:.1f} s")
    print(f"Paires parmi {args.projects} projets : {_line(relevance(suggest))}")
    queries = [query for query, _other in DUPLICATES]
    ours = _median_ms(suggest, queries, args.repeat)
    reference = _median_ms(list_search, queries, args.repeat)
    print(f"Suggestion (médiane)           : {ours:.1f} ms")
    print(f"Recherche de la liste (réf.)   : {reference:.1f} ms")
    print(f"Rapport                        : {ours / reference:.2f}")


def _line(figures: dict[str, float]) -> str:
    return (
        f"précision {figures['precision']:.2f}, rappel {figures['recall']:.2f} "
        f"({figures['found']} doublons trouvés, {figures['missed']} manqués, "
        f"{figures['false_alarms']} fausses alertes, "
        f"{figures['pairs']} paires)"
    )


if __name__ == "__main__":
    main()
