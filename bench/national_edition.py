"""Times a member's comparison page and the network's page of a national edition against a full recount, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_edition .venv/bin/python bench/national_edition.py

PostgreSQL only. The database is migrated, then a network of 4,000 collectivités (types and populations drawn
by a seeded generator), its open edition (one campaign each) and 50 responses per member (200,000 responses,
about 30 answers each, one in five partial) are written once by ``INSERT … SELECT`` over ``generate_series``
(answers drawn by ``hashtext``: deterministic), then counted: each campaign's ``Tally`` by its repair, the
edition's ``EditionTally`` by its repair (the nightly recount, timed). Later runs reuse them.

Measured, best of several runs: the comparison page of one member (``/enquetes/<campagne>/comparaison/``, the
Django test client signed in as its DGS: middleware, selector, template), the network's page of the animateur
(``/enquetes/editions/<édition>/``), and the reference: the hand-written ``GROUP BY`` (type, population band,
question, choice or score) over the edition's answers that gives the network's and every peer group's counts
without kept counts. Targets: member page ≤ 100 ms and ≤ 0.1 × the recount.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovation_portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_edition")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import Network, Organisation, User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from common.tenancy import unscoped  # noqa: E402
from surveys.editions import edition_repair  # noqa: E402
from surveys.models import Campaign, NationalEdition, Questionnaire, Response  # noqa: E402
from surveys.national import EDITION, SERIES  # noqa: E402
from surveys.services import edition_create, edition_open  # noqa: E402
from surveys.tallies import tally_repair  # noqa: E402

MEMBERS = int(os.environ.get("BENCH_MEMBERS", "4000"))
PER_MEMBER = int(os.environ.get("BENCH_PER_MEMBER", "50"))
RUNS = 7
NETWORK_SLUG, EDITION_SLUG = "bench-reseau", "bench-nationale"
KINDS = {"commune": 70, "epci": 20, "departement": 4, "sdis": 3, "region": 1, "autre": 2}

# The hand-written recount: the network's and every peer group's counts in one pass over the answers.
RECOUNT = """
    SELECT o.kind,
           CASE WHEN o.population < 3500 THEN 'lt3500' WHEN o.population < 20000 THEN 'lt20000'
                WHEN o.population < 100000 THEN 'lt100000' ELSE 'ge100000' END AS band,
           a.question_id, a.choice_id, a.number, COUNT(*)
    FROM surveys_answer a
    JOIN surveys_response r ON r.id = a.response_id
    JOIN surveys_campaign c ON c.id = r.campaign_id
    JOIN accounts_organisation o ON o.id = c.organisation_id
    WHERE c.edition_id = %s AND (a.choice_id IS NOT NULL OR a.number IS NOT NULL)
    GROUP BY 1, 2, 3, 4, 5
"""

# 50 responses per campaign, one in five partial (deterministic on the response number).
RESPONSES = """
    INSERT INTO surveys_response (campaign_id, invitation_id, status, origin, last_step, started_at, updated_at,
                                  submitted_at)
    SELECT c.id, NULL, CASE WHEN g %% 5 = 0 THEN 'in_progress' ELSE 'submitted' END, 'import', 0, now(), now(),
           CASE WHEN g %% 5 = 0 THEN NULL ELSE now() END
    FROM surveys_campaign c CROSS JOIN generate_series(1, %s) AS g
    WHERE c.edition_id = %s
"""
# A partial response answers the sections before E only. Single choice: one of the question's choices; multiple
# choice: each choice with a chance of two in five; scale: 1 to 5. Texts and numbers are not compared: none.
ANSWERS = """
    WITH resp AS (
        SELECT r.id, r.status FROM surveys_response r JOIN surveys_campaign c ON c.id = r.campaign_id
        WHERE c.edition_id = %(edition)s
    ), qc AS (
        SELECT ch.question_id, ch.id AS choice_id, q.kind, q.code,
               row_number() OVER (PARTITION BY ch.question_id ORDER BY ch."order") - 1 AS idx,
               count(*) OVER (PARTITION BY ch.question_id) AS n
        FROM surveys_choice ch JOIN surveys_question q ON q.id = ch.question_id
        WHERE q.questionnaire_id = %(questionnaire)s
    )
    INSERT INTO surveys_answer (response_id, question_id, choice_id, number, text)
    SELECT resp.id, qc.question_id, qc.choice_id, NULL, ''
    FROM resp JOIN qc ON (resp.status = 'submitted' OR qc.code < 'E') AND (
        (qc.kind = 'single' AND qc.idx = abs(hashtext(resp.id || '-' || qc.question_id)) %% qc.n)
        OR (qc.kind = 'multiple' AND abs(hashtext(resp.id || '+' || qc.choice_id)) %% 5 < 2)
    )
    UNION ALL
    SELECT resp.id, q.id, NULL, 1 + abs(hashtext(resp.id || '*' || q.id)) %% 5, ''
    FROM resp JOIN surveys_question q ON q.questionnaire_id = %(questionnaire)s AND q.kind = 'scale'
        AND (resp.status = 'submitted' OR q.code < 'E')
"""


def _best(function: object, runs: int = RUNS) -> float:
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        function()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def _population(rng: random.Random, kind: str) -> int:
    low, high = {"commune": (200, 150_000), "epci": (8_000, 600_000)}.get(kind, (50_000, 2_000_000))
    return int(min(high, max(low, rng.lognormvariate(9 if kind == "commune" else 11.5, 1.3))))


def _load() -> tuple[NationalEdition, Organisation]:
    """The network, its edition and the members' answers, written once (reused when complete)."""
    questionnaire = Questionnaire.objects.get(series=SERIES, edition=EDITION)
    network, _created = Network.objects.get_or_create(slug=NETWORK_SLUG, defaults={"name": "Réseau du banc d'essai"})
    animateur, _created = User.objects.get_or_create(username="bench-animateur", defaults={"network": network})
    edition = NationalEdition.objects.filter(network=network, slug=EDITION_SLUG).first()
    expected = MEMBERS * PER_MEMBER
    if edition is not None and Response.objects.filter(campaign__edition=edition).count() == expected:
        return edition, network.members.order_by("pk").first()  # type: ignore[return-value]
    if edition is not None:
        sys.exit("Données incomplètes d'un essai interrompu : supprimez la base (dropdb bench_edition) et relancez.")
    print(f"Création de {MEMBERS} collectivités × {PER_MEMBER} répondants…", flush=True)
    rng = random.Random(15)
    with transaction.atomic():
        kinds = rng.choices(list(KINDS), weights=list(KINDS.values()), k=MEMBERS)
        Organisation.objects.bulk_create(
            Organisation(name=f"Membre {i:05d}", kind=kind, population=_population(rng, kind), network=network)
            for i, kind in enumerate(kinds)
        )
        edition = edition_create(
            network=network, questionnaire=questionnaire, title="Édition du banc d'essai", slug=EDITION_SLUG,
            created_by=animateur,
        )  # fmt: skip
        edition_open(edition=edition)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(RESPONSES, [PER_MEMBER, edition.pk])
        cursor.execute(ANSWERS, {"edition": edition.pk, "questionnaire": questionnaire.pk})
        cursor.execute("ANALYZE")
    print(f"  réponses écrites en {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    with unscoped():
        campaigns = list(Campaign.objects.filter(edition=edition).order_by("pk"))
        for number, campaign in enumerate(campaigns, start=1):
            tally_repair(campaign=campaign)  # each member's own counts, as its answers would have kept them
            if number % 500 == 0:
                print(f"  {number} campagnes comptées", end="\r", flush=True)
    print(f"\n  décomptes des campagnes en {time.perf_counter() - started:.0f} s", flush=True)
    return edition, network.members.order_by("pk").first()  # type: ignore[return-value]


def _dgs_of(member: Organisation) -> User:
    user = User.objects.filter(username="bench-dgs").first()
    if user is None:
        user = User(username="bench-dgs", organisation=member)
        user.save()
    user.organisation = member
    user.save(update_fields=["organisation"])
    user.groups.set([Group.objects.get(name=Role.DGS.value)])
    return user


def _page(client: Client, url: str) -> float:
    """Best time of the page (its number of queries is asserted by the tests, at 10 and 1,000 members)."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return _best(lambda: client.get(url))


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Ce banc d'essai demande PostgreSQL (DATABASE_URL=postgres://…/bench_edition).")
    call_command("migrate", verbosity=0)
    edition, member = _load()
    with unscoped():
        responses = Response.objects.filter(campaign__edition=edition).count()
        campaign = Campaign.objects.get(edition=edition, organisation=member)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id "
            "JOIN surveys_campaign c ON c.id = r.campaign_id WHERE c.edition_id = %s",
            [edition.pk],
        )
        answers = cursor.fetchone()[0]
    started = time.perf_counter()
    differences = edition_repair(edition=edition)
    repair = time.perf_counter() - started
    members = Organisation.objects.filter(network=edition.network).count()
    print(
        f"Base : {connection.vendor} — {members} collectivités, {responses} réponses, {answers} réponses aux questions"
    )
    print(  # at the first run the edition's counts are empty (answers written by SQL): every row differs
        f"Recompte et réparation de l'édition (tâche de nuit) : {repair:.1f} s, {len(differences)} différence(s)"
    )

    def recount() -> None:
        with connection.cursor() as cursor:
            cursor.execute(RECOUNT, [edition.pk])
            cursor.fetchall()

    reference = _best(recount, runs=3)
    client = Client(HTTP_HOST="localhost")
    client.force_login(_dgs_of(member))
    ours = _page(client, reverse("surveys:comparison", args=[campaign.slug]))
    animateur = User.objects.get(username="bench-animateur")
    client.force_login(animateur)
    network_page = _page(client, reverse("surveys:edition", args=[edition.slug]))
    print(f"Meilleur de {RUNS} (recompte : meilleur de 3)")
    print(f"  recompte GROUP BY écrit à la main (réseau et pairs) : {reference * 1000:9.1f} ms")
    print(
        f"  page de comparaison d'un membre                     : {ours * 1000:9.1f} ms, "
        f"rapport {ours / reference:.3f} (cible ≤ 100 ms et ≤ 0,1)"
    )
    print(
        f"  page du réseau (animateur)                          : {network_page * 1000:9.1f} ms, "
        f"rapport {network_page / reference:.3f}"
    )
    ok = ours <= 0.1 and ours <= 0.1 * reference
    print("Cibles atteintes." if ok else "Cibles NON atteintes.")


if __name__ == "__main__":
    main()
