"""Demo contests: one with published results, one in evaluation, one open; idempotent by slug."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Direction, User
from contests.models import Comment, Contest, Criterion, Idea, Score, Support
from portfolio.models import Project

GRID = [
    ("Utilité pour les usagers", 3),
    ("Amélioration du fonctionnement interne", 2),
    ("Faisabilité", 2),
    ("Coût raisonnable", 1),
    ("Originalité", 1),
]

# slug, title, theme, state, opens (days from today), closes (days from today), ideas
# (title, author, direction, status, title of the project it became)
IdeaSpec = tuple[str, str, str, str, str | None]
# (slug, title, theme, state, opens and closes in days from today, ideas)
ContestSpec = tuple[str, str, str, str, int, int, list[IdeaSpec]]

CONTESTS: list[ContestSpec] = [
    (
        "concours-2025",
        "Concours d'innovation 2025",
        "Simplifier le quotidien des usagers et des agents",
        Contest.State.PUBLISHED,
        -420,  # closed, decided and published before its ideas became projects (about 11 months ago)
        -360,
        [
            ("Cantine zéro gaspillage", "agent", "DEF", "selected", "Cantine zéro gaspillage"),
            ("Un numéro unique pour l'accueil", "cheffe", "DVL", "selected", "Accueil téléphonique unifié"),
            ("Covoiturage entre agents", "jury", "DRH", "selected", "Covoiturage des agents"),
            ("Bibliothèque d'objets", "agent", "DVL", "shortlisted", None),
            ("Boîte à outils du télétravail", "c.fournier", "DRH", "not_retained", None),
            ("Formulaires en langage clair", "l.roux", "DVL", "not_retained", None),
        ],
    ),
    (
        "concours-printemps-2026",
        "Concours d'innovation du printemps 2026",
        "Mieux accueillir les usagers",
        Contest.State.EVALUATION,
        -120,
        -60,
        [
            ("Rendez-vous en ligne à l'état civil", "agent", "DVL", "under_review", None),
            ("Signalétique en pictogrammes", "cheffe", "DST", "under_review", None),
            ("Accueil bilingue des familles", "a.garcia", "DSOL", "under_review", None),
            ("Borne d'attente sans ticket", "t.nguyen", "DSI", "under_review", None),
        ],
    ),
    (
        "transition-ecologique",
        "Concours 2026 : la transition écologique au quotidien",
        "Réduire l'empreinte écologique des services",
        Contest.State.OPEN,
        -20,
        25,
        [
            ("Extinction des écrans la nuit", "agent", "DSI", "submitted", None),
            ("Vélos de service partagés", "cheffe", "DST", "submitted", None),
            ("Fournitures de bureau réemployées", "m.lefebvre", "DST", "submitted", None),
        ],
    ),
]

PROBLEM = "Aujourd'hui, la démarche prend du temps aux usagers comme aux agents, et les erreurs sont fréquentes."
PROPOSAL = "Tester la solution pendant trois mois dans un service volontaire, mesurer, puis l'étendre."


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return min(timezone.now(), timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))))


def _state_times(state: str, opens: datetime.date, closes: datetime.date) -> dict[str, datetime.datetime]:
    """When the demo contest entered each state it reached: opened on its date, closed the day after,
    results published two weeks later."""
    times: dict[str, tuple[str, datetime.datetime]] = {
        Contest.State.OPEN: ("opened_at", _at(opens)),
        Contest.State.EVALUATION: ("evaluation_started_at", _at(closes + datetime.timedelta(days=1))),
        Contest.State.PUBLISHED: ("results_published_at", _at(closes + datetime.timedelta(days=15))),
    }
    reached = list(Contest.State.values).index(state)
    return dict(times[s] for s in list(Contest.State.values)[1 : reached + 1])


def _contest(spec: ContestSpec, people: dict[str, User], today: datetime.date) -> Contest | None:
    slug, title, theme, state, opens, closes, _ideas = spec
    contest, created = Contest.objects.get_or_create(
        slug=slug,
        defaults={
            "title": title,
            "theme": theme,
            "state": state,
            "created_by": people["dgs"],
            "description": f"{theme} : proposez vos idées, même modestes. Un jury les évalue sur une grille publique.",
            "rules": "Ouvert à tous les agents. Une idée peut être portée à plusieurs. Les idées retenues deviennent "
            "des projets, avec leurs auteurs dans l'équipe.",
            "opens_on": today + datetime.timedelta(days=opens),
            "closes_on": today + datetime.timedelta(days=closes),
            **_state_times(state, today + datetime.timedelta(days=opens), today + datetime.timedelta(days=closes)),
        },
    )
    if not created:
        return None
    # Prepared a fortnight before it opened, so that reports as at past dates find it.
    Contest.objects.filter(pk=contest.pk).update(created_at=_at(contest.opens_on - datetime.timedelta(days=14)))
    for order, (name, weight) in enumerate(GRID, start=1):
        Criterion.objects.create(contest=contest, name=name, weight=weight, scale_max=5, order=order)
    contest.jury.set([people["jury"], people["c.fournier"]])
    return contest


def _ideas(contest: Contest, specs: list[IdeaSpec], people: dict[str, User], directions: dict[str, Direction]) -> None:
    voters = [u for u in people.values() if u.has_usable_password() or u.username.startswith(("a.", "l.", "t."))]
    criteria = list(contest.criteria.all())
    for index, (title, author, direction, status, project_title) in enumerate(specs):
        idea = Idea.objects.create(
            contest=contest,
            author=people[author],
            title=title,
            problem=PROBLEM,
            proposal=PROPOSAL,
            benefits_users="Moins d'attente et des démarches plus simples.",
            benefits_organisation="Moins de ressaisies et d'appels.",
            effort=["small", "medium", "large"][index % 3],
            direction=directions[direction],
            status=status,
            decided_at=_at(contest.closes_on + datetime.timedelta(days=10), 14) if status in Idea.DECISIONS else None,
            submitted_at=min(
                timezone.now(),
                timezone.make_aware(
                    datetime.datetime.combine(
                        contest.opens_on + datetime.timedelta(days=3 * index + 2), datetime.time(10)
                    )
                ),
            ),
            project=Project.objects.filter(title=project_title).first() if project_title else None,
        )
        Idea.objects.filter(pk=idea.pk).update(created_at=idea.submitted_at)  # no flood limit hit by the demo
        for voter in voters[: (index * 3) % len(voters) + 1]:
            if voter.pk != idea.author_id:
                Support.objects.get_or_create(idea=idea, user=voter)
        Comment.objects.create(
            idea=idea,
            author=people["jury" if index % 2 else "cheffe"],
            text="Bonne idée, à tester d'abord sur un seul site ?",
        )
        if contest.state == Contest.State.OPEN:
            continue
        jurors = list(contest.jury.all())
        if contest.state == Contest.State.EVALUATION:
            jurors = jurors[:1] if index < 2 else []  # an evaluation under way: "2 sur 4 évaluées"
        for juror in jurors:
            if juror.pk == idea.author_id:
                continue
            for position, criterion in enumerate(criteria):
                Score.objects.create(
                    idea=idea,
                    juror=juror,
                    criterion=criterion,
                    value=5 - (index + position) % 3 if status != "not_retained" else 2,
                )


@transaction.atomic
def seed() -> list[str]:
    people = {user.username: user for user in User.objects.all()}
    directions = {d.code: d for d in Direction.objects.all()}
    today = timezone.localdate()
    for spec in CONTESTS:
        contest = _contest(spec, people, today)
        if contest is not None:
            _ideas(contest, spec[6], people, directions)
    return [f"Concours : {Contest.objects.count()} concours, {Idea.objects.count()} idées."]
