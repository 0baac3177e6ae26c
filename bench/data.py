"""Data loaders for the benchmarks: many projects (with gate decisions and directions), or a survey
campaign of many respondents, in minutes.

    from bench.data import load_projects, survey_campaign
    load_projects(100_000)   # in a migrated database with the demo data (``seed_demo``)
    survey_campaign("bench-100k", 100_000)   # in a migrated database (the national questionnaire)

Rows are deterministic (a seeded random generator), written with ``bulk_create`` in batches.
Projects get one history record each (dated the day the project was logged), their search text and
their dated states (``portfolio.periods``); survey responses get their answers and are counted in the
results' kept counts as an import counts them (``surveys.tallies.tally_add``), in the transaction of
each batch.
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
from surveys.answers import Structure
from surveys.models import Answer, Campaign, Question, Questionnaire, Response
from surveys.national import EDITION, SERIES
from surveys.selectors import questionnaire_structure
from surveys.tallies import tally_add

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


# Survey responses --------------------------------------------------------------------------


def _survey_answers(response: Response, structure: Structure, rng: random.Random) -> list[Answer]:
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


def _survey_response(campaign: Campaign, rng: random.Random, now: datetime.datetime) -> Response:
    if rng.random() < 0.2:  # one response in five is partial
        return Response(campaign=campaign, origin=Response.Origin.IMPORT)
    return Response(
        campaign=campaign, origin=Response.Origin.IMPORT, status=Response.Status.SUBMITTED, submitted_at=now
    )


def load_survey_responses(campaign: Campaign, structure: Structure, count: int) -> None:
    """Adds ``count`` responses (seeded by the campaign's slug) with their answers, counted in the kept counts."""
    rng = random.Random(campaign.slug)
    now = timezone.now()
    for offset in range(0, count, BATCH):
        size = min(BATCH, count - offset)
        with transaction.atomic():
            responses = Response.objects.bulk_create(_survey_response(campaign, rng, now) for _ in range(size))
            rows = [row for response in responses for row in _survey_answers(response, structure, rng)]
            Answer.objects.bulk_create(rows, batch_size=BATCH)
            tally_add(campaign_id=campaign.pk, responses=responses, answers=rows)
        print(f"  {offset + size:>7} réponses écrites", end="\r", flush=True)
    print()


def survey_campaign(slug: str = "bench-100k", count: int = 100_000) -> tuple[Campaign, Structure]:
    """A closed campaign of the national questionnaire with ``count`` responses, created (or re-created)
    unless one with that slug and that number of responses exists."""
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
    print(f"Création de {count} réponses ({slug})…", flush=True)
    load_survey_responses(campaign, structure, count)
    return campaign, structure
