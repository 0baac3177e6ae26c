"""Data loaders for the benchmarks: many projects (with gate decisions and directions) in minutes.

    from bench.data import load_projects
    load_projects(100_000)   # in a migrated database with the demo data (``seed_demo``)

Rows are deterministic (a seeded random generator), written with ``bulk_create`` in batches,
with one history record each (dated the day the project was logged), their search text and their dated
states (``portfolio.periods``).
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import Direction, User
from common.validators import folded
from portfolio import periods
from portfolio.models import Domain, GateDecision, Phase, Project

BATCH = 5_000
TITLE_PREFIX = "Projet de charge"


def load_projects(count: int, *, seed: int = 7) -> int:
    """Adds ``count`` projects logged over the last two years, spread over phases, statuses, directions and
    leads, each with the gate decisions that took it to its phase. Returns the number of projects added."""
    rng = random.Random(seed)
    phases = list(Phase.objects.order_by("order"))
    leads = list(User.objects.filter(is_active=True)[:50])
    dgs = User.objects.get(username="dgs")
    directions = list(Direction.objects.all())
    domains = [None, *Domain.objects.all()]
    today = timezone.localdate()
    start = today - datetime.timedelta(days=730)
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        with transaction.atomic():
            projects = bulk_create_with_history(
                [_project(rng, done + i, phases[0], leads, domains, start) for i in range(size)], Project
            )
            decisions, updates, links = [], [], []
            for project in projects:
                phase, day = _decisions(rng, project, phases, dgs, today, decisions)
                status = rng.choices(Project.Status.values, weights=[80, 6, 6, 8])[0]
                updates.append(
                    Project(pk=project.pk, phase=phase, phase_since=day, status=status, created_at=project.logged_at)
                )
                links.append(Project.directions.through(project_id=project.pk, direction_id=rng.choice(directions).pk))
            GateDecision.objects.bulk_create(decisions, batch_size=BATCH)
            # created_at is set on insert (auto_now_add): the logging dates are written afterwards.
            Project.objects.bulk_update(updates, ["phase", "status", "phase_since", "created_at"], batch_size=BATCH)
            Project.directions.through.objects.bulk_create(links, batch_size=BATCH)
            # Their history starts the day they were logged, as if entered then.
            logged = Project.objects.filter(pk=OuterRef("id")).values("created_at")[:1]
            Project.history.filter(id__in=[p.pk for p in projects]).update(history_date=Subquery(logged))
            # Bulk writes skip the receivers that keep the dated states: rebuilt here, as after any bulk load.
            periods.rebuild_periods(p.pk for p in projects)
        done += size
    periods.rebuild_state_ranges()
    return done


def _project(rng: random.Random, index: int, first: Phase, leads: list, domains: list, start: datetime.date) -> Project:
    day = start + datetime.timedelta(days=rng.randrange(700))
    title = f"{TITLE_PREFIX} n° {index + 1:06d}"
    summary = rng.choice(["Guichet unique", "Dématérialisation", "Tiers-lieu", "Covoiturage", "Éclairage public"])
    project = Project(
        title=title,
        summary=summary,
        nature=rng.choice(Project.Nature.values),
        origin=rng.choice(Project.Origin.values),
        domain=rng.choice(domains),
        lead=rng.choice(leads),
        created_by=leads[0],
        phase=first,
        phase_since=day,
        estimated_cost=rng.randrange(500, 200_000),
        visibility=rng.choices(Project.Visibility.values, weights=[9, 1])[0],
        search_text=folded(f"{title} {summary}"),
        title_folded=folded(title),
    )
    project.logged_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    return project


def _decisions(
    rng: random.Random, project: Project, phases: list[Phase], dgs: User, today: datetime.date, out: list
) -> tuple[Phase, datetime.date]:
    """Appends the go decisions that took the project through some phases; returns its phase and since when."""
    phase, day = phases[0], project.phase_since
    for target in phases[1 : 1 + rng.randrange(len(phases))]:
        next_day = day + datetime.timedelta(days=rng.randrange(20, 150))
        if next_day > today:
            break
        out.append(
            GateDecision(
                project=project,
                decision=GateDecision.Decision.GO,
                from_phase=phase,
                to_phase=target,
                decided_by=dgs,
                decided_on=next_day,
                rationale="Critères de sortie remplis.",
            )
        )
        phase, day = target, next_day
    return phase, day
