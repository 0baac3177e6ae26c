"""What the dashboards and the quarterly report show, read through the apps' selectors."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Direction, User
from contests import selectors as contests
from portfolio import selectors as portfolio
from portfolio.models import GateDecision, InnovationObject, Project
from reports import figures
from reports.figures import Chart
from reports.quarters import Quarter
from surveys import summaries as surveys

MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]


@dataclass
class Scope:
    """What a dashboard or a report covers: a quarter, the whole collectivité or one direction."""

    quarter: Quarter
    direction: Direction | None = None
    stalled_days: int = 180
    detailed: bool = False  # whether restricted projects may be named (the DGS)

    @property
    def direction_id(self) -> int | None:
        return self.direction.pk if self.direction else None


def scope_projects(scope: Scope) -> QuerySet[Project]:
    """Every project of the scope logged by the end of its quarter: counts include restricted projects, lists
    name them only for the DGS. Phases and statuses are those of today (the history is not replayed)."""
    projects = Project.objects.filter(created_at__date__lte=scope.quarter.end)
    if scope.direction is None:
        return projects
    in_direction = Project.directions.through.objects.filter(direction=scope.direction).values("project_id")
    return projects.filter(pk__in=in_direction)


def _named(projects: QuerySet[Project], scope: Scope) -> QuerySet[Project]:
    return projects if scope.detailed else projects.filter(visibility=Project.Visibility.ALL)


def _percent(part: int, total: int) -> float | None:
    return round(100 * part / total, 1) if total else None


def key_figures(scope: Scope) -> list[dict[str, object]]:
    """Flows of the quarter beside those of the previous quarter."""
    projects = scope_projects(scope)

    def flows(quarter: Quarter) -> dict[str, int]:
        decisions = portfolio.decision_counts(projects, quarter.start, quarter.end)
        return {
            "new": projects.filter(created_at__date__range=(quarter.start, quarter.end)).count(),
            "moves": decisions.get(GateDecision.Decision.GO, 0),
            "completed": decisions.get(GateDecision.Decision.COMPLETE, 0),
            "stopped": decisions.get(GateDecision.Decision.STOP, 0),
            "ideas": contests.ideas_submitted_between(quarter.start, quarter.end, scope.direction_id).count(),
        }

    now, before = flows(scope.quarter), flows(scope.quarter.previous())
    labels = {
        "new": _("Nouveaux projets"),
        "moves": _("Passages de phase"),
        "completed": _("Innovations appropriées"),
        "stopped": _("Projets arrêtés"),
        "ideas": _("Idées déposées"),
    }
    return [
        {"label": labels[key], "value": now[key], "previous": before[key], "change": now[key] - before[key]}
        for key in labels
    ]


def portfolio_charts(scope: Scope) -> list[Chart]:
    projects = scope_projects(scope)
    active = projects.filter(status=Project.Status.ACTIVE)
    phases = portfolio.phase_counts(active)
    charts = [
        figures.funnel(
            "phases", _("Projets en cours par phase"), [p.label for p, _n in phases], [n for _p, n in phases]
        )
    ]
    charts.append(_nature_chart(projects))
    charts.append(_origin_chart(projects))
    objects = portfolio.count_by(projects, "objects_of_innovation__code")
    object_rows = [(o.label, objects.get(o.code, 0)) for o in InnovationObject.objects.order_by("order")]
    charts.append(
        figures.bars(
            "objects", _("Projets par objet de l'innovation"), [r[0] for r in object_rows], [r[1] for r in object_rows]
        )
    )
    domains = portfolio.count_by(projects, "domain__name")
    charts.append(
        figures.bars(
            "domains",
            _("Projets par domaine"),
            [name or _("Non renseigné") for name in domains],
            list(domains.values()),
        )
    )
    directions = portfolio.count_by(projects, "directions__name")
    charts.append(
        figures.bars(
            "directions",
            _("Projets par direction"),
            [name or _("Non renseignée") for name in directions],
            list(directions.values()),
        )
    )
    return charts


def _nature_chart(projects: QuerySet[Project]) -> Chart:
    counts = portfolio.count_by(projects, "nature")
    total = sum(counts.values())
    national = surveys.national_percentages("B1")
    natures = list(Project.Nature)
    return figures.versus_national(
        "nature",
        _("Nature des innovations : la collectivité et la France"),
        [n.label for n in natures],
        [_percent(counts.get(n.value, 0), total) for n in natures],
        [national.get(n.value) for n in natures],
        local_name=_("Portefeuille de la collectivité"),
        note=_("Référence nationale : enquête Chaire OPTIMA 2017-2018 (311 collectivités)."),
    )


ORIGIN_TO_ACTOR = {  # the national figures count the actors with a positive role in the adoption (several each)
    "administratif": [Project.Origin.ADMINISTRATIVE],
    "politique": [Project.Origin.POLITICAL],
    "agents": [Project.Origin.AGENTS, Project.Origin.CONTEST],
}


def _origin_chart(projects: QuerySet[Project]) -> Chart:
    counts = portfolio.count_by(projects, "origin")
    total = sum(counts.values())
    national = surveys.national_percentages("C1")
    labels = {
        "administratif": _("Acteur administratif"),
        "politique": _("Acteur politique"),
        "agents": _("Agents et cadres intermédiaires (dont concours)"),
    }
    return figures.versus_national(
        "origin",
        _("Qui est à l'origine des projets ?"),
        list(labels.values()),
        [_percent(sum(counts.get(o, 0) for o in ORIGIN_TO_ACTOR[code]), total) for code in labels],
        [national.get(code) for code in labels],
        local_name=_("Origine des projets de la collectivité"),
        note=_(
            "La référence nationale compte les acteurs ayant joué un rôle positif dans l'adoption ; "
            "plusieurs par innovation, d'où un total supérieur à 100 %."
        ),
    )


def activity_charts(scope: Scope, *, since: datetime.date) -> list[Chart]:
    projects = scope_projects(scope)
    months = portfolio.phase_changes_by_month(projects, since, scope.quarter.end)
    by_month = {(m.year, m.month): n for m, n in months}
    labels, values = [], []
    month = since.replace(day=1)
    while month <= scope.quarter.end:
        labels.append(f"{MONTHS[month.month - 1]} {month.year}")
        values.append(by_month.get((month.year, month.month), 0))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    rows = contests.contests_conversion(scope.direction_id, until=scope.quarter.end)
    return [
        figures.timeline("moves", _("Passages de phase par mois"), labels, values),
        figures.contests_conversion(
            "contests",
            _("Idées des concours et projets qui en sont issus"),
            [{**row, "name": row["contest"].title} for row in rows],
        ),
    ]


def stalled(scope: Scope, today: datetime.date) -> tuple[list[Project], int]:
    """Stalled projects that may be named, and how many restricted ones are left out."""
    projects = portfolio.stalled_projects(scope_projects(scope), days=scope.stalled_days, today=today)
    named = list(_named(projects, scope))
    return named, projects.count() - len(named)


def dashboard(*, user: User, quarter: Quarter, direction: Direction | None, stalled_days: int) -> dict[str, object]:
    scope = Scope(quarter, direction, stalled_days, detailed=user.has_perm("portfolio.view_all_projects"))
    today = timezone.localdate()
    stalled_projects, hidden = stalled(scope, today)
    return {
        "scope": scope,
        "key_figures": key_figures(scope),
        "charts": [
            *portfolio_charts(scope),
            *activity_charts(scope, since=quarter.start.replace(year=quarter.start.year - 1)),
            *survey_charts(scope_projects(scope)),
        ],
        "stalled": stalled_projects,
        "stalled_hidden": hidden,
    }


def survey_charts(projects: QuerySet[Project] | None = None) -> list[Chart]:
    """The latest campaign against the national reference, and the declared practice against the portfolio."""
    campaign = surveys.latest_campaign()
    if campaign is None:
        return []
    results = surveys.campaign_summary(campaign)
    if results.suppressed:
        return []
    by_code = {r.question.code: r for section in results.sections for r in section.questions}
    note = _("Enquête « %(campaign)s » : %(n)s répondants de la collectivité.") % {
        "campaign": campaign.title,
        "n": results.total,
    }
    charts = []
    for code, title in (
        ("B1", _("Enquête : nature de l'innovation déclarée")),
        ("C1", _("Enquête : acteurs ayant joué un rôle positif dans l'adoption")),
    ):
        result = by_code.get(code)
        if result and not result.suppressed and result.rows:
            charts.append(
                figures.versus_national(
                    f"survey-{code.lower()}",
                    title,
                    [row.label for row in result.rows],
                    [row.percent for row in result.rows],
                    [
                        float(row.national.percent) if row.national and row.national.percent is not None else None
                        for row in result.rows
                    ],
                    local_name=_("Répondants de la collectivité"),
                    note=note,
                )
            )
    families = [f for f in results.families if f.mean is not None]
    if families:
        charts.append(
            figures.radar(
                "survey-families",
                _("Enquête : influence perçue des familles de déterminants (1 à 5)"),
                [str(f.section.title) for f in families],
                [round(f.mean, 2) for f in families],
                name=_("Répondants de la collectivité"),
            )
        )
    charts.append(_declared_versus_actual(by_code, projects if projects is not None else Project.objects.all()))
    return charts


def _declared_versus_actual(by_code: dict, projects: QuerySet[Project]) -> Chart:
    """What the respondents declare (survey) beside what the portfolio holds."""
    natures = portfolio.count_by(projects, "nature")
    origins = portfolio.count_by(projects, "origin")
    total = sum(natures.values())

    def declared(code: str, choice: str) -> float | None:
        result = by_code.get(code)
        row = next((r for r in result.rows if r.code == choice), None) if result and not result.suppressed else None
        return row.percent if row else None

    labels = [_("Innovation managériale"), _("Innovation sociétale"), _("Rôle des agents dans l'adoption")]
    declared_values = [declared("B1", "managerial"), declared("B1", "societal"), declared("C1", "agents")]
    actual = [
        _percent(natures.get("managerial", 0), total),
        _percent(natures.get("societal", 0), total),
        _percent(sum(origins.get(o, 0) for o in ORIGIN_TO_ACTOR["agents"]), total),
    ]
    chart = figures.versus_national(
        "declared-actual",
        _("Pratique déclarée dans l'enquête et portefeuille réel"),
        labels,
        declared_values,
        actual,
        local_name=_("Déclaré dans l'enquête"),
        note=_("Pour les agents : part des projets issus de leurs propositions (directement ou par concours)."),
    )
    chart.figure["data"][1]["name"] = _("Portefeuille réel")
    chart.headers[2] = _("Portefeuille réel")
    return chart


def quarterly_context(*, quarter: Quarter, direction: Direction | None, stalled_days: int) -> dict[str, object]:
    """Everything the quarterly PDF shows."""
    scope = Scope(quarter, direction, stalled_days)
    projects = scope_projects(scope)
    named = _named(projects, scope)
    decisions_list = list(portfolio.decisions_between(named, quarter.start, quarter.end))
    stalled_projects, hidden = stalled(scope, quarter.end)
    return {
        "scope": scope,
        "key_figures": key_figures(scope),
        "charts": [
            *portfolio_charts(scope),
            *activity_charts(scope, since=quarter.previous().previous().start),
            *survey_charts(projects),
        ],
        "phases": portfolio.projects_by_phase(named.filter(status=Project.Status.ACTIVE)),
        "decisions": decisions_list,
        "stalled": stalled_projects,
        "stalled_hidden": hidden,
        "ideas": list(contests.ideas_submitted_between(quarter.start, quarter.end, scope.direction_id)),
        "contests": contests.contests_conversion(scope.direction_id, until=quarter.end),
        "hidden_decisions": portfolio.decisions_between(projects, quarter.start, quarter.end).count()
        - len(decisions_list),
        "indicators": portfolio.indicators_of(
            named.filter(status__in=[Project.Status.ACTIVE, Project.Status.COMPLETED]), until=quarter.end
        ),
        "costs": _costs(projects),
        "lessons": list(
            named.exclude(lessons_learned="")
            .filter(status__in=[Project.Status.STOPPED, Project.Status.COMPLETED])
            .order_by("title")
        ),
        "restricted_count": projects.count() - named.count(),
    }


def _costs(projects: QuerySet[Project]) -> dict[str, object]:
    from django.db.models import Sum

    return projects.aggregate(estimated=Sum("estimated_cost"), actual=Sum("actual_cost"))
