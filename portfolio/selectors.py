"""Reads of the portfolio: who sees which project, and the querysets behind the pages."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import (
    CharField,
    Count,
    DateField,
    Exists,
    Expression,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Direction, User
from common import similar
from common.translation import localized_column
from portfolio import effort, periods
from portfolio.filters import ProjectFilter, stalled_since
from portfolio.models import (
    AdoptionActor,
    DecisionRequest,
    EffortRule,
    GateDecision,
    Indicator,
    Measurement,
    Phase,
    Project,
)


class StateAt(TypedDict):
    """What ``projects_as_of`` annotates on each project."""

    phase_at: int
    status_at: str
    phase_since_at: datetime.date


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    ProjectAt = WithAnnotations[Project, StateAt]  # a project annotated by ``projects_as_of``


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


def similar_projects(user: User, title: str, *, exclude: int | None = None) -> list[similar.Match]:
    """The projects the person may see whose title resembles ``title``, most similar first."""
    projects = projects_visible_to(user).select_related("phase")
    if exclude:
        projects = projects.exclude(pk=exclude)
    return similar.similar(projects, title)


def projects_of(user: User) -> QuerySet[Project]:
    """ "Mes projets": those the person leads, co-leads or works on."""
    return Project.objects.filter(_member_of(user))


def can_edit_project(user: User, project: Project) -> bool:
    if user.has_perm("portfolio.change_project"):
        return True
    return project.lead_id == user.pk or project.co_leads.filter(pk=user.pk).exists()


def led_by(user: User) -> QuerySet[Project]:
    """The projects the person leads or co-leads (the team members do not run them)."""
    co_lead = Project.co_leads.through.objects.filter(project=OuterRef("pk"), user=user)
    return Project.objects.filter(Q(lead=user) | Exists(co_lead))


def leads_a_project(user: User) -> bool:
    """Whether the person leads or co-leads at least one project, whatever their roles."""
    return led_by(user).exists()


def can_create_project(user: User) -> bool:
    """The "Chef de projet" and DGS roles create projects; so does anyone who already leads or co-leads one (an
    agent whose idea became a project, a person the DGS named lead): they run projects, whatever their role."""
    return user.has_perm("portfolio.add_project") or leads_a_project(user)


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


def page_of_projects(projects: QuerySet[Project], *, number: str | None, size: int) -> Page[Project]:
    """Page ``number`` of a sorted list (the last one when too high), read in two steps: the page's ids (an index
    walk, however far the page), then those rows with what a row shows. Joining the relations before the OFFSET
    would join every skipped row."""
    page: Page[Any] = Paginator(projects.values_list("pk", flat=True), size).get_page(number)  # ids, then projects
    ids = list(page.object_list)
    rows = {project.pk: project for project in with_list_relations(Project.objects.filter(pk__in=ids))}
    page.object_list = [rows[pk] for pk in ids]
    return page


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


SHOWCASE_PAGE_SIZE = 10


def showcase_projects(user: User) -> QuerySet[Project]:
    """The showcase: the completed projects the person may see (restricted ones only for their team and the DGS),
    the most recently updated first."""
    return projects_visible_to(user).filter(status=Project.Status.COMPLETED).order_by("-updated_at", "-pk")


def showcase_page(user: User, *, number: str | None, size: int = SHOWCASE_PAGE_SIZE) -> Page[Project]:
    """A page of the showcase with what each card shows: directions, and each indicator with its last measurement
    (``last_value``, ``last_on``), in a bounded number of queries whatever the number of projects and measurements."""
    page: Page[Any] = Paginator(showcase_projects(user).values_list("pk", flat=True), size).get_page(number)
    ids = list(page.object_list)
    last = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-measured_on", "-pk")
    indicators = Indicator.objects.annotate(
        last_value=Subquery(last.values("value")[:1]), last_on=Subquery(last.values("measured_on")[:1])
    ).order_by("pk")
    rows = {
        project.pk: project
        for project in Project.objects.filter(pk__in=ids)
        .select_related("phase", "domain", "lead")
        .prefetch_related("directions", Prefetch("indicators", queryset=indicators))
    }
    page.object_list = [rows[pk] for pk in ids]
    return page


BOARD_CARDS = 20  # cards per phase on the board; the list filtered by the phase shows the others


@dataclass
class BoardColumn:
    """A phase of the board: how many projects it holds and the most recently moved of them."""

    phase: Phase
    count: int
    projects: list[Project]

    @property
    def more(self) -> int:
        return self.count - len(self.projects)


def board_columns(projects: QuerySet[Project], *, cards: int = BOARD_CARDS) -> list[BoardColumn]:
    """The board: for each phase its number of projects and the ``cards`` that entered it last.

    One query for the counts, one for the phases and one per phase (a handful of phases): a bounded number
    of rows and queries whatever the number of projects.
    """
    counts = dict(projects.order_by().values_list("phase").annotate(n=Count("pk")).values_list("phase", "n"))
    recent = projects.select_related("lead").order_by("-phase_since", "title", "pk")
    return [
        BoardColumn(phase, counts.get(phase.pk, 0), list(recent.filter(phase=phase)[:cards]))
        for phase in Phase.objects.order_by("order")
    ]


def phase_counts(projects: QuerySet[Project]) -> list[tuple[Phase, int]]:
    counts = dict(projects.order_by().values_list("phase").annotate(n=Count("pk")).values_list("phase", "n"))
    return [(phase, counts.get(phase.pk, 0)) for phase in Phase.objects.order_by("order")]


# --- The portfolio as it stood at the end of a given day ---------------------------------------------------
#
# A project's phase, status and date of entry into its phase change only through gate decisions, each dated
# (``decided_on``). Replaying them gives the state at any past date, so that a report on an earlier quarter
# never changes when a decision is taken today.


def _decisions_of_project(**lookups: object) -> QuerySet[GateDecision]:
    return GateDecision.objects.filter(project=OuterRef("pk"), **lookups)


def projects_as_of(projects: QuerySet[Project], day: datetime.date) -> QuerySet[ProjectAt]:
    """The projects logged by the end of ``day``, annotated with their state at that moment:

    - ``phase_at``: the phase id (the arrival phase of the last decision taken by then; before any decision,
      the departure phase of the first later decision; the current phase when there is no decision at all);
    - ``status_at``: the status given by the last decision taken by then (a project starts active);
    - ``phase_since_at``: when it entered that phase (last move by then, else the date it was logged in).

    The state is read from the project's period covering ``day`` (``portfolio.periods``): one join whatever the
    number of projects. A project without any decision has no period: its own phase and status hold.
    """
    period = FilteredRelation("periods", condition=Q(periods__starts_on__lte=day, periods__ends_on__gt=day))
    return (
        projects.filter(created_at__date__lte=day)
        .annotate(period_at=period)
        .annotate(
            phase_at=Coalesce(F("period_at__phase"), F("phase"), output_field=IntegerField()),
            status_at=Coalesce(F("period_at__status"), F("status"), output_field=CharField()),
            phase_since_at=Coalesce(F("period_at__phase_since"), F("phase_since"), output_field=DateField()),
        )
    )


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))


def states_as_of(projects: QuerySet[Project], day: datetime.date) -> QuerySet[Any]:
    """The historical record of each of these projects as it stood at the end of ``day`` (django-simple-history
    keeps one per change, with its many-to-many lists): nature, origin, domain, costs, directions, objects,
    adoption actors as they then were. A project whose recorded history starts after ``day`` (logged with an
    earlier date than the day it was entered) reads as its latest state: nothing tells how it was before.

    A queryset of ``Project.history.model``, one row per project, to count or aggregate in SQL: the record made by
    then and not yet replaced, else the current one when the first came later (``history_until``,
    ``history_began``, kept by ``portfolio.periods``): comparisons of dates, no search per project.
    """
    end = _end_of(day)
    current = Q(history_until__isnull=True)
    # The historical model is built by simple-history at run time: its rows have no static type.
    return cast(
        "QuerySet[Any]",
        Project.history.model.objects.filter(
            Q(history_date__lt=end) & (current | Q(history_until__gte=end)) | current & Q(history_began__gte=end),
            id__in=projects.values("pk"),
        ),
    )


def in_direction_as_of(direction_id: int, day: datetime.date) -> QuerySet[Any]:
    """Ids of the projects that belonged to the direction at the end of ``day``, for a ``pk__in`` filter."""
    states = states_as_of(Project.objects.all(), day)
    links = _history_links("directions")
    return cast(
        "QuerySet[Any]", links.objects.filter(history__in=states, direction_id=direction_id).values("project_id")
    )


def _history_links(field: str) -> type[Any]:
    """The table in which the history keeps a many-to-many field of each historical record."""
    return cast("type[Any]", Project.history.model._meta.get_field(f"historicalproject_{field}").related_model)


def adoption_actor_counts_as_of(states: QuerySet[Any]) -> tuple[int, dict[str, int]]:
    """``adoption_actor_counts`` for historical states (see ``states_as_of``): the actors recorded then."""
    links = _history_links("adoption_actors").objects.filter(history__in=states)
    counts = dict(links.order_by().values_list("adoptionactor__code").annotate(n=Count("project_id", distinct=True)))
    base = links.values("project_id").distinct().count()
    return base, {actor.code: counts.get(actor.code, 0) for actor in adoption_actors()}


def stalled_as_of(projects: QuerySet[Project], *, days: int, day: datetime.date) -> QuerySet[ProjectAt]:
    """Projects in progress at the end of ``day`` that had then stayed in their phase for more than ``days`` days,
    the longest first."""
    limit = day - datetime.timedelta(days=days)
    return (
        projects_as_of(projects, day)
        .filter(status_at=Project.Status.ACTIVE, phase_since_at__lt=limit)
        .annotate(
            phase_label_at=Subquery(
                Phase.objects.filter(pk=OuterRef("phase_at")).values(shown=localized_column("label"))[:1]
            )
        )
        .select_related("lead")
        .order_by("phase_since_at", "title")
    )


def stalled_by_lead(*, days: int, today: datetime.date) -> QuerySet[Project]:
    """Projects in progress today without a move for more than ``days`` days, grouped by lead (the longest
    first within each lead), for the weekly digest."""
    return (
        stalled_since(Project.objects.filter(lead__isnull=False), days, today)
        .select_related("lead", "phase")
        .order_by("lead_id", "phase_since", "title")
    )


@dataclass
class PhasePassage:
    """How many projects reached a phase by a date and how many of them moved on to the next one."""

    phase: Phase
    next_phase: Phase | None
    entered: int
    moved_on: int


def phase_passages(projects: QuerySet[Project], day: datetime.date) -> list[PhasePassage]:
    """For each phase, the projects that were in it at some point by the end of ``day`` (the base) and those
    of them that had moved on to the next phase by then. A project counts once per phase."""
    return phases_as_of(projects, day).passages


@dataclass
class PhasesAsOf:
    """Projects in progress per phase, passages from phase to phase, and the projects without a move for long
    (in all, and those restricted), at a date."""

    in_progress: list[tuple[Phase, int]]
    passages: list[PhasePassage]
    stalled: int = 0
    stalled_restricted: int = 0

    def moved_on_from(self, code: str) -> int:
        """Projects that had left the phase of this code (none when no phase has it)."""
        return next((p.moved_on for p in self.passages if p.phase.code == code), 0)


def phases_as_of(projects: QuerySet[Project], day: datetime.date, *, stalled_days: int | None = None) -> PhasesAsOf:
    """Projects in progress per phase and passages from phase to phase at the end of ``day``, in one query;
    with ``stalled_days``, the same query also counts the projects in progress that had then stayed in their
    phase for more than that many days (see ``stalled_as_of``).

    A move (go decision) takes a project one phase forward, never back nor over a phase (the gate service
    refuses both): a project was in every phase from the one it started in to the one it was in at the date,
    and had left all but the last. So the projects counted per (first phase, phase and status at the date)
    give both figures.
    """
    phases = list(Phase.objects.order_by("order"))
    first_period = FilteredRelation("periods", condition=Q(periods__starts_on=periods.BEGINNING))
    limit = day - datetime.timedelta(days=stalled_days or 0)
    stalled = Q(status_at=Project.Status.ACTIVE, phase_since_at__lt=limit)
    spans = (
        projects_as_of(projects, day)
        .annotate(first_period=first_period)
        .annotate(started_in=Coalesce(F("first_period__phase"), F("phase"), output_field=IntegerField()))
        .order_by()
        .values_list("started_in", "phase_at", "status_at")
        .annotate(
            n=Count("pk"),
            stalled=Count("pk", filter=stalled),
            restricted=Count("pk", filter=stalled & ~Q(visibility=Project.Visibility.ALL)),
        )
    )
    rank = {phase.pk: index for index, phase in enumerate(phases)}
    active, entered, moved_on = [0] * len(phases), [0] * len(phases), [0] * len(phases)
    counted = PhasesAsOf(in_progress=[], passages=[])
    for started_in, phase_at, status_at, count, stalled_count, restricted in spans:
        if stalled_days is not None:
            counted.stalled += stalled_count
            counted.stalled_restricted += restricted
        if status_at == Project.Status.ACTIVE:
            active[rank[phase_at]] += count
        for index in range(rank[started_in], rank[phase_at] + 1):
            entered[index] += count
            moved_on[index] += count if index < rank[phase_at] else 0
    counted.in_progress = list(zip(phases, active, strict=True))
    counted.passages = [
        PhasePassage(
            phase=phase,
            next_phase=phases[index + 1] if index + 1 < len(phases) else None,
            entered=entered[index],
            moved_on=moved_on[index],
        )
        for index, phase in enumerate(phases)
    ]
    return counted


def project_list(*, user: User, params: Mapping[str, object]) -> ProjectFilter:
    """The filtered, sorted list behind the list page, the board and the exports."""
    return ProjectFilter(params, queryset=projects_visible_to(user))


# National reference: operational agents and middle managers played a positive role in the adoption of
# 40 % of innovations (question C1 of the Chaire OPTIMA survey of French local governments, 2017-2018, n = 311).
NATIONAL_AGENTS_SHARE = 40


def _adoption_gate(day: datetime.date | None = None) -> Exists:
    moves = GateDecision.objects.filter(
        project=OuterRef("pk"), decision=GateDecision.Decision.GO, from_phase__code=Phase.ADOPTION
    )
    return Exists(moves.filter(decided_on__lte=day) if day else moves)


def projects_adopted_by(projects: QuerySet[Project], day: datetime.date | None = None) -> QuerySet[Project]:
    """The projects that had passed the Adoption gate (a "go" out of the Adoption phase) by ``day`` (ever,
    without a day): the innovations whose adoption actors compare with the national C1 figures."""
    return projects.filter(_adoption_gate(day))


def has_passed_adoption(project: Project) -> bool:
    return Project.objects.filter(pk=project.pk).filter(_adoption_gate()).exists()


def agents_adoption_share(projects: QuerySet[Project]) -> dict[str, object]:
    """Among the adopted projects whose adoption actors are recorded (the base), how many had the agents play a
    positive role: the same measure as the national 40 %, on the same base as the dashboards. The origin of a
    project (who initiated it) is another question."""
    base, counts = adoption_actor_counts(projects_adopted_by(projects))
    agents = counts.get("agents", 0)
    return {
        "total": base,
        "from_agents": agents,
        "percent": round(100 * agents / base) if base else None,
        "national_percent": NATIONAL_AGENTS_SHARE,
    }


def adoption_actors() -> list[AdoptionActor]:
    """The actors of question C1 (codes and labels), in their order."""
    return list(AdoptionActor.objects.order_by("order"))


def adoption_actor_counts(projects: QuerySet[Project]) -> tuple[int, dict[str, int]]:
    """(base, number of projects per actor code) for the actors who played a positive role in adoption.

    The base is the number of projects among ``projects`` with at least one actor recorded, the
    base on which shares compare with the national figures of question C1: a project where nobody
    answered the question is out of it rather than counted as "no actor". Each project counts once
    per actor, so every count is at most the base; every actor code is present, with 0 if need be.
    Two queries.
    """
    # Read from the (small) table of recorded actors, each row checked against ``projects``: the cost follows
    # the number of recorded actors, not the number of projects.
    recorded = Project.adoption_actors.through.objects.filter(project__in=projects.order_by().values("pk"))
    per_actor = (
        recorded.filter(adoptionactor=OuterRef("pk"))
        .order_by()
        .values("adoptionactor")
        .annotate(n=Count("project", distinct=True))
        .values("n")  # type: ignore[misc]  # the plugin misses n, annotated after values()
    )
    counts = AdoptionActor.objects.order_by("order").annotate(n=Coalesce(Subquery(per_actor), 0))
    base = recorded.values("project").distinct().count()
    return base, {actor.code: actor.n for actor in counts}


def data_version(until: datetime.date | None = None) -> tuple[object, ...]:
    """A fingerprint of everything the portfolio's figures read (projects, their history, decisions and the
    reference lists), in a few aggregate queries: it changes whenever one of them does.

    With ``until`` (the last day of a closed quarter), only what can still change the figures as of that day:
    the projects logged by then (one deleted or backdated changes their number), the decisions dated by then,
    the history recorded by then and that of projects whose history began later (read in their latest
    state), which projects are restricted today (they are not named), and the labels. A decision taken or a
    field edited today leaves it unchanged: no decision can be dated in a closed quarter, and today's history
    is not read for it. The names of the projects listed are read again at each view (``fresh_names``).
    """
    from portfolio.models import Domain, InnovationObject

    labels = [
        tuple(model.objects.order_by("pk").values_list("pk", field, f"{field}_en"))
        for model, field in (
            (Phase, "label"),
            (Domain, "name"),
            (InnovationObject, "label"),
            (AdoptionActor, "label"),
            (Direction, "name"),
        )
    ]
    # The portfolio map's rule places the projects in its quadrants: tuning it changes the figures.
    labels.append(tuple(EffortRule.objects.order_by("pk").values_list("pk", "updated_at")))
    # The labels themselves, not hash(): str hashes differ from one process to another (web, worker).
    if until is None:
        projects = Project.objects.aggregate(n=Count("pk"), changed=Max("updated_at"))
        decisions = GateDecision.objects.aggregate(n=Count("pk"), last=Max("pk"))
        history = Project.history.aggregate(last=Max("history_id"))
        return (*projects.values(), *decisions.values(), *history.values(), tuple(labels))
    end = _end_of(until)
    restricted = Q(visibility=Project.Visibility.RESTRICTED)
    projects = Project.objects.aggregate(
        n=Count("pk", filter=Q(created_at__lt=end)),
        last=Max("pk", filter=Q(created_at__lt=end)),
        restricted=Count("pk", filter=restricted),
        restricted_ids=Sum("pk", filter=restricted),
    )
    decisions = GateDecision.objects.filter(decided_on__lte=until).aggregate(n=Count("pk"), last=Max("pk"))
    history = Project.history.aggregate(
        n=Count("history_id", filter=Q(history_date__lt=end)),
        last=Max("history_id", filter=Q(history_date__lt=end)),
        later=Max("history_id", filter=Q(history_began__gte=end)),
    )
    return (until, *projects.values(), *decisions.values(), *history.values(), tuple(labels))


def fresh_names(projects: list[Project]) -> list[Project]:
    """These projects (from a cached list) with their title and lead as they are now, one query."""
    current = Project.objects.select_related("lead").only("title", "lead").in_bulk([p.pk for p in projects])
    for project in projects:
        if project.pk in current:
            project.title, project.lead = current[project.pk].title, current[project.pk].lead
    return projects


# --- Portfolio statistics, read by the dashboards and the quarterly report ---------------------------------


def logged_between(projects: QuerySet[Project], start: datetime.date, end: datetime.date) -> QuerySet[Project]:
    """The projects logged from ``start`` to ``end`` (inclusive, local days), read in the index of the dates."""
    return projects.filter(created_at__gte=_end_of(start - datetime.timedelta(days=1)), created_at__lt=_end_of(end))


def taken_over(projects: QuerySet[Project]) -> QuerySet[Project]:
    """The projects registered at a phase they had reached before the portal (passages "reprise de l'existant")."""
    return projects.filter(Exists(GateDecision.objects.filter(project=OuterRef("pk"), prior_existing=True)))


def count_by(projects: QuerySet[Project], field: str | Expression | F) -> dict[object, int]:
    """Number of projects per value of ``field`` (a field or a to-many path), in one query. Rows are counted,
    not distinct projects (a sort the size of the portfolio): one row per project, or per project and linked
    item along a to-many path, each link being recorded once."""
    rows = projects.order_by().values_list(field).annotate(n=Count("pk"))
    return dict(rows)


def decisions_between(projects: QuerySet[Project] | None, start: object, end: object) -> QuerySet[GateDecision]:
    """Gate decisions taken from ``start`` to ``end`` (inclusive) on these projects (``None``: on any); the
    passages taken over from before the portal (``prior_existing``) were not decisions taken then."""
    decisions = GateDecision.objects.filter(decided_on__range=(start, end), prior_existing=False)
    if projects is not None:
        decisions = decisions.filter(project__in=projects)
    return decisions.select_related("project", "from_phase", "to_phase", "decided_by").order_by("decided_on", "pk")


def decision_counts(projects: QuerySet[Project] | None, start: object, end: object) -> dict[str, int]:
    """Number of gate decisions of each kind from ``start`` to ``end``, in one query."""
    rows = decisions_between(projects, start, end).order_by().values_list("decision").annotate(n=Count("pk"))
    return dict(rows)


def phase_changes_by_month(
    projects: QuerySet[Project] | None, start: datetime.date, end: datetime.date
) -> list[tuple[datetime.date, int]]:
    """Number of phase moves (go decisions) per month between two dates, on these projects (``None``: on any)."""
    from django.db.models.functions import TruncMonth

    rows = (
        decisions_between(projects, start, end)
        .filter(decision=GateDecision.Decision.GO)
        .annotate(month=TruncMonth("decided_on"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    return list(rows)


def indicators_queryset(projects: QuerySet[Project], *, until: datetime.date) -> QuerySet[Indicator]:
    """Indicators of these projects with their last measurement taken by ``until`` (``last_value``,
    ``last_measured_on``), by project title; annotations, so the list can be bounded or streamed."""
    last = Measurement.objects.filter(indicator=OuterRef("pk"), measured_on__lte=until).order_by("-measured_on")
    return (
        Indicator.objects.filter(project__in=projects.values("pk"))
        .select_related("project")
        .annotate(
            last_value=Subquery(last.values("value")[:1]), last_measured_on=Subquery(last.values("measured_on")[:1])
        )
        .order_by("project__title", "pk")
    )


# --- What waits for someone: the « À décider » list of the DGS, each lead's own list -------------------------


def open_decision_requests() -> QuerySet[DecisionRequest]:
    """Decisions asked for by the leads and not yet taken, oldest first (the projects closed since are left out)."""
    return (
        DecisionRequest.objects.filter(closed_at__isnull=True)
        .exclude(project__status__in=[Project.Status.STOPPED, Project.Status.COMPLETED])
        .select_related("project__phase", "project__lead", "requested_by")
        .order_by("requested_at", "pk")
    )


def open_decision_request(project: Project) -> DecisionRequest | None:
    waiting = DecisionRequest.objects.filter(project=project, closed_at__isnull=True)
    return waiting.select_related("requested_by").first()


def indicators_to_measure(user: User, *, days: int, today: datetime.date | None = None) -> QuerySet[Indicator]:
    """The indicators of the projects in progress the person leads or co-leads that have no measurement dated
    within the last ``days`` days (never measured first, then the oldest measured), with ``last_measured``."""
    limit = (today or timezone.localdate()) - datetime.timedelta(days=days)
    return (
        Indicator.objects.filter(project__in=led_by(user).filter(status=Project.Status.ACTIVE).values("pk"))
        .annotate(last_measured=Max("measurements__measured_on"))
        .filter(Q(last_measured__isnull=True) | Q(last_measured__lt=limit))
        .select_related("project")
        .order_by(F("last_measured").asc(nulls_first=True), "project__title", "name")
    )


def stalled_led_by(user: User, *, days: int, today: datetime.date | None = None) -> QuerySet[Project]:
    """The person's projects in progress without a move for more than ``days`` days, the longest first."""
    return stalled_since(led_by(user), days, today).select_related("phase").order_by("phase_since", "title")


# --- The portfolio map: expected value against effort (docs/carte-du-portefeuille.md) ----------------------------

# Projects drawn and listed on the map; beyond, the page asks to filter. 500 projects make a page of 228 KB (the
# figure 75 KB, the table the rest), under the 300 KB of docs/performances.md; 600 stay under it.
MAP_LIMIT = 600
MAP_FIELDS = (
    "pk",
    "title",
    "nature",
    "status",
    "phase__code",
    "phase__label",
    "phase__order",
    "estimated_cost",
    "value_rating",
    "value_rationale",
    "risk_rating",
    "cost_band",
    "duration_band",
    "perimeter_band",
    "effort",
    "quadrant",
)


@dataclass
class PortfolioMap:
    """The projects placed on the map (value and effort known), those "à compléter", and the count per quadrant
    of all the projects (not only the first ``MAP_LIMIT``)."""

    placed: list[dict[str, Any]]
    incomplete: list[dict[str, Any]]
    counts: dict[str, int]
    rule: EffortRule

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def truncated(self) -> bool:
        return len(self.placed) + len(self.incomplete) < self.total


def portfolio_map(projects: QuerySet[Project], *, rule: EffortRule | None = None) -> PortfolioMap:
    """The map of these projects in three queries whatever their number: the rule, the counts per quadrant and
    the first ``MAP_LIMIT`` rows (by quadrant, then the strongest value and the lightest effort first)."""
    rule = rule or EffortRule.current()
    mapped = effort.with_effort(projects.order_by(), rule)
    counts = dict(mapped.values_list("quadrant").annotate(n=Count("pk")).values_list("quadrant", "n"))
    rows = list(
        mapped.values(*MAP_FIELDS).order_by("quadrant", F("value_rating").desc(nulls_last=True), "effort", "title")[
            :MAP_LIMIT
        ]
    )
    for row in rows:
        row["quadrant_label"] = effort.quadrant_label(row["quadrant"])
        row["nature_label"] = Project.Nature(row["nature"]).label
    placed = [row for row in rows if row["quadrant"] != effort.INCOMPLETE]
    incomplete = [row for row in rows if row["quadrant"] == effort.INCOMPLETE]
    return PortfolioMap(placed, incomplete, counts, rule)


def quadrant_counts_as_of(
    projects: QuerySet[Project], day: datetime.date, *, rule: EffortRule | None = None
) -> dict[str, int]:
    """The projects in progress at the end of ``day`` (status from the dated decisions) per quadrant, their value,
    cost, dates and perimeter read from their record at that moment (``states_as_of``), placed by today's rule.
    One query."""
    in_progress = projects_as_of(projects, day).filter(status_at=Project.Status.ACTIVE)
    states = effort.with_effort(states_as_of(in_progress, day), rule)
    return dict(states.order_by().values_list("quadrant").annotate(n=Count("history_id")))


REVIEW_LIMIT = 100
APPROPRIATION = "appropriation"  # the stable code of the last phase, whose projects are evaluated afterwards


@dataclass
class ExPostRow:
    """A project in Appropriation or completed: the value expected beside what was observed."""

    project: Project
    indicators: int  # indicators with a target and at least one measurement
    reached: int  # of them, those whose last measurement reaches the target

    @property
    def paid_off(self) -> bool | None:
        """Whether the bet paid off, as the lead rated it afterwards (none before they do)."""
        if self.project.expost_rating is None or self.project.value_rating is None:
            return None
        return self.project.expost_rating >= self.project.value_rating


def _reaches(indicator: Indicator) -> bool:
    """The last value reaches the target, in the target's direction from the baseline (a fall for a delay).
    ``last_value`` is annotated by ``indicators_queryset``; the caller keeps indicators with a target."""
    last: Decimal = indicator.last_value  # type: ignore[attr-defined]  # annotated by indicators_queryset
    target = indicator.target
    assert target is not None
    if indicator.baseline is not None and target < indicator.baseline:
        return last <= target
    return last >= target


def ex_post_review(projects: QuerySet[Project], *, limit: int = REVIEW_LIMIT) -> tuple[list[ExPostRow], int]:
    """The projects in the Appropriation phase or completed, with their expected value, their ex-post rating and
    their indicators reaching target; the first ``limit`` (by title) and their number. Three queries."""
    reviewed = projects.filter(Q(phase__code=APPROPRIATION) | Q(status=Project.Status.COMPLETED))
    total = reviewed.count()
    rows = list(reviewed.select_related("phase").order_by("title")[:limit])
    measured = (
        indicators_queryset(Project.objects.filter(pk__in=[p.pk for p in rows]), until=timezone.localdate())
        .filter(target__isnull=False)
        .exclude(last_value=None)  # type: ignore[misc]  # an annotation of indicators_queryset
    )
    counts: dict[int, list[int]] = {p.pk: [0, 0] for p in rows}
    for indicator in measured:
        counts[indicator.project_id][0] += 1
        counts[indicator.project_id][1] += _reaches(indicator)
    return [ExPostRow(p, *counts[p.pk]) for p in rows], total


def map_points(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The plain data the map's figure draws (``portfolio.charts.portfolio_map_figure``) from the map's rows."""
    return [
        {
            "pk": row["pk"],
            "title": row["title"],
            "url": reverse("portfolio:detail", args=[row["pk"]]),
            "nature": row["nature"],
            "nature_label": row["nature_label"],
            "phase_order": row["phase__order"],
            "phase_label": row["phase__label"],
            "value": row["value_rating"],
            "effort": row["effort"],
            "cost": row["estimated_cost"],
            "quadrant_label": row["quadrant_label"],
        }
        for row in rows
    ]


def missing_for_map(row: dict[str, Any]) -> list[str]:
    """What a project "à compléter" lacks to be placed on the map, in words."""
    missing = {
        "value_rating": _("la valeur attendue"),
        "cost_band": _("le coût estimé"),
        "duration_band": _("les dates de début et de fin prévue"),
        "perimeter_band": _("le périmètre"),
    }
    return [str(label) for name, label in missing.items() if row[name] is None]


def map_rows_as_of(
    projects: QuerySet[Project], day: datetime.date, *, rule: EffortRule | None = None, limit: int = MAP_LIMIT
) -> list[dict[str, Any]]:
    """The map's rows of the projects in progress at the end of ``day``, placed from their record at that moment
    (value, cost, dates, perimeter, nature, phase as then saved) by today's rule; those "à compléter" left out.
    One query, the first ``limit`` rows."""
    in_progress = projects_as_of(projects, day).filter(status_at=Project.Status.ACTIVE)
    states = effort.with_effort(states_as_of(in_progress, day), rule).exclude(quadrant=effort.INCOMPLETE)
    fields = ("id", "title", "nature", "phase__label", "phase__order", "estimated_cost", "value_rating", "effort")
    rows = list(states.values(*fields, "quadrant").order_by("quadrant", "id")[:limit])
    for row in rows:
        row["pk"] = row.pop("id")
        row["quadrant_label"] = effort.quadrant_label(row["quadrant"])
        row["nature_label"] = Project.Nature(row["nature"]).label
    return rows
