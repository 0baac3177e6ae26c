"""Reads of the portfolio: who sees which project, and the querysets behind the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from portfolio.filters import ProjectFilter
from portfolio.models import GateDecision, Indicator, Measurement, Phase, Project


def _member_of(user: User) -> Q:
    co_lead = Project.co_leads.through.objects.filter(project=OuterRef("pk"), user=user)
    team = Project.team.through.objects.filter(project=OuterRef("pk"), user=user)
    return Q(lead=user) | Exists(co_lead) | Exists(team)


def projects_visible_to(user: User) -> QuerySet[Project]:
    """Projects open to all agents, plus restricted ones the person works on; all for the DGS."""
    projects = Project.objects.all()
    if user.has_perm("portfolio.view_all_projects"):
        return projects
    return projects.filter(Q(visibility=Project.Visibility.ALL) | _member_of(user))


def projects_of(user: User) -> QuerySet[Project]:
    """ "Mes projets": those the person leads, co-leads or works on."""
    return Project.objects.filter(_member_of(user))


def can_edit_project(user: User, project: Project) -> bool:
    if user.has_perm("portfolio.change_project"):
        return True
    return project.lead_id == user.pk or project.co_leads.filter(pk=user.pk).exists()


def can_decide_gate(user: User) -> bool:
    return user.has_perm("portfolio.decide_gate")


def get_project_for_user(user: User, pk: int, *, write: bool = False) -> Project:
    """The one way views reach a project: 404 if the person may not see it, 403 if they may not edit it."""
    project = get_object_or_404(projects_visible_to(user).select_related("phase", "domain", "lead"), pk=pk)
    if write and not can_edit_project(user, project):
        raise PermissionDenied
    return project


def with_list_relations(projects: QuerySet[Project]) -> QuerySet[Project]:
    """What a list row shows, in a bounded number of queries whatever the number of rows."""
    return projects.select_related("phase", "domain", "lead").prefetch_related("directions")


def project_detail_relations(project: Project) -> dict[str, object]:
    """Everything the detail page shows beside the project's own fields."""
    indicators = Indicator.objects.filter(project=project).prefetch_related(
        Prefetch("measurements", queryset=Measurement.objects.order_by("measured_on"))
    )
    decisions = GateDecision.objects.filter(project=project).select_related("from_phase", "to_phase", "decided_by")
    return {
        "indicators": list(indicators),
        "decisions": list(decisions),
        "attachments": list(project.attachments.select_related("uploaded_by")),
        "factor_scores": list(project.factor_scores.select_related("factor").order_by("factor__order")),
        "objects": list(project.objects_of_innovation.all()),
        "directions": list(project.directions.all()),
        "co_leads": list(project.co_leads.all()),
        "team": list(project.team.all()),
        "tags": list(project.tags.select_related("tag_set")),
    }


def projects_by_phase(projects: QuerySet[Project]) -> list[tuple[Phase, list[Project]]]:
    """The board: each phase with its projects, in two queries."""
    rows = list(projects.select_related("phase", "lead").order_by("phase__order", "title"))
    return [(phase, [p for p in rows if p.phase_id == phase.pk]) for phase in Phase.objects.order_by("order")]


def phase_counts(projects: QuerySet[Project]) -> list[tuple[Phase, int]]:
    counts = dict(projects.order_by().values_list("phase").annotate(n=Count("pk")).values_list("phase", "n"))
    return [(phase, counts.get(phase.pk, 0)) for phase in Phase.objects.order_by("order")]


def project_list(*, user: User, params: dict) -> ProjectFilter:
    """The filtered, sorted list behind the list page, the board and the exports."""
    return ProjectFilter(params, queryset=projects_visible_to(user))


# National reference: operational agents and middle managers played a positive role in the adoption of
# 40 % of innovations (Chaire OPTIMA survey of French local governments, 2017-2018, n = 311).
NATIONAL_AGENTS_SHARE = 40
AGENT_ORIGINS = (Project.Origin.AGENTS, Project.Origin.CONTEST)


def agents_origin_share(projects: QuerySet[Project]) -> dict[str, object]:
    """How many projects came from agents' proposals (directly or through the contest), in one query."""
    counts = projects.aggregate(total=Count("pk"), from_agents=Count("pk", filter=Q(origin__in=AGENT_ORIGINS)))
    total, from_agents = counts["total"], counts["from_agents"]
    return {
        "total": total,
        "from_agents": from_agents,
        "percent": round(100 * from_agents / total) if total else None,
        "national_percent": NATIONAL_AGENTS_SHARE,
    }


def adoption_actor_counts(projects: QuerySet[Project]) -> tuple[int, dict[str, int]]:
    """(base, number of projects per actor code) for the actors who played a positive role in adoption.

    The base is the number of projects among ``projects`` with at least one actor recorded, the
    base on which shares compare with the national figures of question C1: a project where nobody
    answered the question is out of it rather than counted as "no actor". Each project counts once
    per actor, so every count is at most the base; every actor code is present, with 0 if need be.
    Two queries.
    """
    from portfolio.models import AdoptionActor

    chosen = Project.objects.filter(pk__in=projects.values("pk"))
    counts = AdoptionActor.objects.order_by("order").annotate(
        n=Count("projects", filter=Q(projects__in=chosen), distinct=True)
    )
    base = chosen.filter(adoption_actors__isnull=False).distinct().count()
    return base, {actor.code: actor.n for actor in counts}


# --- Portfolio statistics, read by the dashboards and the quarterly report ---------------------------------


def count_by(projects: QuerySet[Project], field: str) -> dict[object, int]:
    """Number of projects per value of ``field`` (a field or a to-many path), in one query."""
    rows = projects.order_by().values_list(field).annotate(n=Count("pk", distinct=True))
    return dict(rows)


def decisions_between(projects: QuerySet[Project], start: object, end: object) -> QuerySet[GateDecision]:
    """Gate decisions taken from ``start`` to ``end`` (inclusive) on these projects."""
    return (
        GateDecision.objects.filter(project__in=projects, decided_on__range=(start, end))
        .select_related("project", "from_phase", "to_phase", "decided_by")
        .order_by("decided_on", "pk")
    )


def decision_counts(projects: QuerySet[Project], start: object, end: object) -> dict[str, int]:
    """Number of gate decisions of each kind from ``start`` to ``end``, in one query."""
    rows = decisions_between(projects, start, end).order_by().values_list("decision").annotate(n=Count("pk"))
    return dict(rows)


def phase_changes_by_month(projects: QuerySet[Project], start: object, end: object) -> list[tuple[object, int]]:
    """Number of phase moves (go decisions) per month between two dates."""
    from django.db.models.functions import TruncMonth

    rows = (
        GateDecision.objects.filter(
            project__in=projects, decision=GateDecision.Decision.GO, decided_on__range=(start, end)
        )
        .annotate(month=TruncMonth("decided_on"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    return list(rows)


def stalled_projects(projects: QuerySet[Project], *, days: int, today: object) -> QuerySet[Project]:
    """Active projects that have stayed in their phase for more than ``days`` days."""
    import datetime

    limit = today - datetime.timedelta(days=days)
    return (
        projects.filter(status=Project.Status.ACTIVE, phase_since__lt=limit)
        .select_related("phase", "lead")
        .order_by("phase_since")
    )


def indicators_of(projects: QuerySet[Project], *, until: object = None) -> list[Indicator]:
    """Indicators with their measurements newest first (up to ``until``), for "expected vs observed"."""
    measurements = Measurement.objects.order_by("-measured_on")
    if until:
        measurements = measurements.filter(measured_on__lte=until)
    indicators = (
        Indicator.objects.filter(project__in=projects)
        .select_related("project")
        .prefetch_related(Prefetch("measurements", queryset=measurements))
    )
    return list(indicators.order_by("project__title", "pk"))
