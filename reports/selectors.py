"""What the dashboards and the quarterly report show, read through the apps' selectors.

Every figure is true as of one date, ``Scope.as_of``: the end of the quarter, or today while the quarter
is in progress. Phases and statuses are rebuilt from the dated gate decisions (``portfolio.projects_as_of``),
so a decision taken today never changes what a report on an earlier quarter says.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from accounts.models import Direction, User
from common.cache import computed_once
from common.translation import localized_column
from contests import selectors as contests
from portfolio import charts
from portfolio import selectors as portfolio
from portfolio.effort import INCOMPLETE, Quadrant
from portfolio.models import EffortRule, GateDecision, InnovationObject, Phase, Project
from reports import figures
from reports.figures import Chart, share
from reports.models import Report
from reports.quarters import Quarter
from surveys import summaries as surveys
from surveys.models import Campaign
from surveys.summaries import MIN_GROUP, RADAR_MIN_AXES

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from contests.models import Idea
    from portfolio.selectors import ProjectAt
    from surveys.results import QuestionResult, Results

DASHBOARD_LIST_LIMIT = 10  # rows of a list on the dashboard, with their total and a link to the full list
LIST_LIMIT = 15  # rows of a list printed in the PDF; the full lists are attached to it as CSV files
NATIONAL_SOURCE = gettext_lazy("Référence nationale : enquête Chaire OPTIMA 2017-2018 (311 collectivités répondantes).")


@dataclass
class Scope:
    """What a dashboard or a report covers: a quarter, the whole collectivité or one direction."""

    quarter: Quarter
    direction: Direction | None = None
    stalled_days: int = 180
    detailed: bool = False  # whether restricted projects may be named (the DGS)
    today: datetime.date = field(default_factory=timezone.localdate)

    @property
    def direction_id(self) -> int | None:
        return self.direction.pk if self.direction else None

    @property
    def in_progress(self) -> bool:
        return self.quarter.start <= self.today <= self.quarter.end

    @property
    def as_of(self) -> datetime.date:
        """The date the figures are true at: the quarter's last day, or today for the quarter in progress."""
        return min(self.quarter.end, self.today)

    @cached_property
    def field_counts(self) -> dict[str, dict[str | None, int]]:
        """Projects of the scope by nature, by origin and by domain at its date, counted in one pass (every
        project has one nature: their sum is the total). The domain is the one recorded then, under today's
        name."""
        columns = {"nature": "nature", "origin": "origin", "domain__name": localized_column("domain__name")}
        counts: dict[str, dict[str | None, int]] = {name: {} for name in columns}
        rows = scope_states(self).order_by().values_list(*columns.values()).annotate(n=Count("pk"))
        for *values, n in rows:
            for name, value in zip(counts, values, strict=True):
                counts[name][value] = counts[name].get(value, 0) + n
        return counts

    @property
    def nature_counts(self) -> dict[str | None, int]:
        return self.field_counts["nature"]

    @cached_property
    def phases(self) -> portfolio.PhasesAsOf:
        """Projects in progress per phase, passages and stalled projects at the scope's date, read by several
        charts and lists."""
        return portfolio.phases_as_of(scope_base(self), self.as_of, stalled_days=self.stalled_days)

    @cached_property
    def adoption_counts(self) -> tuple[int, dict[str, int]]:
        """(base, projects per actor) of the adoption actors of the scope's adopted projects, at its date."""
        return portfolio.adoption_actor_counts_as_of(portfolio.states_as_of(adopted_projects(self), self.as_of))

    def comparison_period(self) -> tuple[datetime.date, datetime.date]:
        """The same stretch of the previous quarter: its whole length, or as many days as have passed so far."""
        previous = self.quarter.previous()
        elapsed = max(self.as_of - self.quarter.start, datetime.timedelta(0))
        return previous.start, min(previous.end, previous.start + elapsed)


def scope_base(scope: Scope) -> QuerySet[Project]:
    """The projects of the scope's direction as they belonged to it at the scope's date (all for the
    collectivité), whatever the date they were logged."""
    projects = Project.objects.all()
    if scope.direction is None:
        return projects
    return projects.filter(pk__in=portfolio.in_direction_as_of(scope.direction.pk, scope.as_of))


def scope_logged(scope: Scope) -> QuerySet[Project]:
    """The projects of the scope logged by its date, without their state then."""
    return scope_base(scope).filter(created_at__date__lte=scope.as_of)


def scope_decided(scope: Scope) -> QuerySet[Project] | None:
    """The projects whose decisions the scope counts: those of its direction, or ``None`` for all. A decision
    dated by the scope's date was recorded by then (it cannot be dated in the future), after its project was
    logged: for the whole collectivité, no filter on the projects is needed."""
    return None if scope.direction is None else scope_logged(scope)


def scope_states(scope: Scope) -> QuerySet[Any]:
    """The recorded state of each project of the scope at its date (nature, origin, lists…)."""
    return portfolio.states_as_of(scope_logged(scope), scope.as_of)


def scope_projects(scope: Scope) -> QuerySet[ProjectAt]:
    """Every project of the scope logged by its date, with its phase and status as they then were
    (``phase_at``, ``status_at``, ``phase_since_at``).

    Counts include restricted projects; lists name them only for the DGS.
    """
    return portfolio.projects_as_of(scope_base(scope), scope.as_of)


def _named(projects: QuerySet[ProjectAt], scope: Scope) -> QuerySet[ProjectAt]:
    return projects if scope.detailed else projects.filter(visibility=Project.Visibility.ALL)


def _date(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


SMALL_BASE = 10


def _small_base(base: int) -> str:
    """A warning beside a share computed on few projects: one project more or less moves it a lot."""
    if 0 < base < SMALL_BASE:
        return " " + _("Base faible (moins de %(n)s projets) : une part à lire avec prudence.") % {"n": SMALL_BASE}
    return ""


def _base_note(count: int) -> str:
    return ngettext("Base : %(n)s projet.", "Base : %(n)s projets.", count) % {"n": count}


# --- Key figures ----------------------------------------------------------------------------------------------


def key_figures(scope: Scope) -> list[dict[str, object]]:
    """Flows of the quarter (so far) beside those of the same stretch of the previous quarter."""

    def flows(start: datetime.date, end: datetime.date) -> dict[str, int]:
        decisions = portfolio.decision_counts(scope_decided(scope), start, end)
        return {
            "new": portfolio.logged_between(scope_base(scope), start, end).count(),
            "taken_over": portfolio.taken_over(portfolio.logged_between(scope_base(scope), start, end)).count(),
            "moves": decisions.get(GateDecision.Decision.GO, 0),
            "completed": decisions.get(GateDecision.Decision.COMPLETE, 0),
            "stopped": decisions.get(GateDecision.Decision.STOP, 0),
            "ideas": contests.ideas_submitted_between(start, end, scope.direction_id).count(),
        }

    now, before = flows(scope.quarter.start, scope.as_of), flows(*scope.comparison_period())
    labels = {
        "new": _("Nouveaux projets"),
        "taken_over": _("dont projets repris de l'existant (déjà engagés avant le portail)"),
        "moves": _("Passages de phase"),
        "completed": _("Innovations appropriées"),
        "stopped": _("Projets arrêtés"),
        "ideas": _("Idées déposées"),
    }
    return [
        {
            "key": key,
            "label": labels[key],
            "value": now[key],
            "previous": before[key],
            "change": now[key] - before[key],
        }
        for key in labels
    ]


def comparison_label(scope: Scope) -> str:
    start, end = scope.comparison_period()
    if not scope.in_progress:
        return _("par rapport au trimestre précédent")
    return _("par rapport à la même période du trimestre précédent (du %(start)s au %(end)s)") % {
        "start": _date(start),
        "end": _date(end),
    }


# --- Portfolio charts -----------------------------------------------------------------------------------------


def portfolio_charts(scope: Scope) -> list[Chart]:
    projects = scope_states(scope)
    total = sum(scope.nature_counts.values())
    phases = scope.phases.in_progress
    in_progress = sum(n for _p, n in phases)
    charts = [
        figures.phase_bars(
            "phases",
            _("Projets en cours par phase au %(date)s") % {"date": _date(scope.as_of)},
            [p.localized_label for p, _n in phases],
            [n for _p, n in phases],
            note=ngettext(
                "%(n)s projet en cours (ni suspendu, ni arrêté, ni terminé).",
                "%(n)s projets en cours (ni suspendus, ni arrêtés, ni terminés).",
                in_progress,
            )
            % {"n": in_progress},
        ),
        _passages_chart(scope),
        _nature_chart(scope, total),
        _adoption_actors_chart(scope),
        _origin_chart(scope.field_counts["origin"], total),
        _balance_chart(scope),
    ]
    objects = portfolio.count_by(projects, "historicalproject_objects_of_innovation__innovationobject__code")
    object_rows = [(o.localized_label, objects.get(o.code, 0)) for o in InnovationObject.objects.order_by("order")]
    charts.append(
        figures.bars(
            "objects",
            _("Projets par objet de l'innovation"),
            [r[0] for r in object_rows],
            [r[1] for r in object_rows],
            note=_base_note(total) + " " + _("Un projet peut avoir plusieurs objets."),
        )
    )
    domains = scope.field_counts["domain__name"]
    charts.append(
        figures.bars(
            "domains",
            _("Projets par domaine"),
            [name or _("Non renseigné") for name in domains],
            list(domains.values()),
            note=_base_note(total),
        )
    )
    directions = portfolio.count_by(projects, localized_column("historicalproject_directions__direction__name"))
    charts.append(
        figures.bars(
            "directions",
            _("Projets par direction"),
            [str(name) if name else _("Non renseignée") for name in directions],
            list(directions.values()),
            note=_base_note(total) + " " + _("Un projet peut concerner plusieurs directions."),
        )
    )
    return charts


BALANCE_QUARTERS = 4  # the quarters of the balance chart: the scope's and the three before it


def _balance_chart(scope: Scope) -> Chart:
    """The share of each quadrant of the portfolio map among the projects in progress at each quarter's end (as
    they stood then: value, cost, dates and perimeter from their history, status from the dated decisions)."""
    quarters = [scope.quarter]
    while len(quarters) < BALANCE_QUARTERS:
        quarters.insert(0, quarters[0].previous())
    rule = EffortRule.current()
    rows: list[dict[str, Any]] = []
    for quarter in quarters:
        day = min(quarter.end, scope.today)
        counts = portfolio.quadrant_counts_as_of(_base_at(scope, day), day, rule=rule)
        shown = {str(q.label): counts.get(q.value, 0) for q in Quadrant}
        rows.append({"counts": shown, "base": sum(shown.values()), "incomplete": counts.get(INCOMPLETE, 0)})
    last = rows[-1]
    note = _(
        "Part de chaque quadrant de la carte du portefeuille parmi les projets en cours à la fin de chaque "
        "trimestre (au %(date)s pour le dernier), avec leur valeur et leurs données d'effort de cette date, "
        "placés selon la règle d'effort actuelle."
    ) % {"date": _date(scope.as_of)}
    note += " " + _base_note(last["base"])
    note += " " + ngettext(
        "%(n)s projet à compléter (valeur ou données d'effort manquantes) est hors base.",
        "%(n)s projets à compléter (valeur ou données d'effort manquantes) sont hors base.",
        last["incomplete"],
    ) % {"n": last["incomplete"]}
    return figures.quadrant_balance(
        "balance",
        _("Équilibre du portefeuille : gains rapides, paris stratégiques, petits pas, à reconsidérer"),
        [q.label() for q in quarters],
        rows,
        note=note + _small_base(last["base"]),
    )


def _base_at(scope: Scope, day: datetime.date) -> QuerySet[Project]:
    """The projects of the scope's direction as they belonged to it at ``day`` (all for the collectivité)."""
    if scope.direction is None:
        return Project.objects.all()
    return Project.objects.filter(pk__in=portfolio.in_direction_as_of(scope.direction.pk, day))


def _map_chart(scope: Scope) -> Chart:
    """The portfolio map of the projects in progress at the scope's date, those that may be named (all for the
    DGS), with the count of each quadrant as its table."""
    rule = EffortRule.current()
    named = _named(cast("QuerySet[ProjectAt]", _base_at(scope, scope.as_of)), scope)  # the rows read no annotation
    rows = portfolio.map_rows_as_of(named, scope.as_of, rule=rule)
    title = _("Carte du portefeuille au %(date)s : valeur attendue et effort") % {"date": _date(scope.as_of)}
    chart = figures.Chart(
        "portfolio-map",
        title,
        charts.portfolio_map_figure(
            portfolio.map_points(rows),
            high_value_from=rule.high_value_from,
            high_effort_from=rule.high_effort_from,
            title=title,
        ),
        [_("Quadrant"), _("Projets"), _("Part")],
        [],
        links=True,
    )
    counts = {q: sum(1 for row in rows if row["quadrant"] == q.value) for q in Quadrant}
    chart.rows = [[str(q.label), n, _percent(share(n, len(rows)))] for q, n in counts.items()]
    chart.note = (
        _("Projets en cours au %(date)s, placés selon leur valeur et leurs données d'effort de cette date.")
        % {"date": _date(scope.as_of)}
        + " "
        + ngettext("Base : %(n)s projet placé.", "Base : %(n)s projets placés.", len(rows)) % {"n": len(rows)}
        + " "
        + _("Taille : coût estimé ; couleur : nature ; forme : phase.")
    )
    if not scope.detailed:
        chart.note += " " + _("Les projets à diffusion restreinte n'y figurent pas.")
    chart.alt = _("%(title)s : %(findings)s.") % {
        "title": title,
        "findings": ", ".join(f"{row[0]} {row[1]}" for row in chart.rows),
    }
    return chart


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} %"


def _passages_chart(scope: Scope) -> Chart:
    rows: list[figures.PassageRow] = [
        {
            "label": _("%(phase)s → %(next)s")
            % {"phase": p.phase.localized_label, "next": p.next_phase.localized_label},
            "entered": p.entered,
            "moved_on": p.moved_on,
            "percent": share(p.moved_on, p.entered),
        }
        for p in scope.phases.passages
        if p.next_phase is not None
    ]
    return figures.passages(
        "passages",
        _("Passage d'une phase à la suivante, au %(date)s") % {"date": _date(scope.as_of)},
        rows,
        note=_(
            "Taux de passage : parmi les projets entrés dans une phase (la base), part de ceux qui sont passés "
            "à la suivante. « — » : aucun projet n'est entré dans la phase."
        ),
    )


def _nature_chart(scope: Scope, total: int) -> Chart:
    counts = scope.nature_counts
    national = surveys.national_percentages("B1")
    natures = list(Project.Nature)
    return figures.versus_national(
        "nature",
        _("Nature des innovations : la collectivité et la France"),
        [n.label for n in natures],
        [share(counts.get(n.value, 0), total) for n in natures],
        [national.get(n.value) for n in natures],
        local_name=_("Portefeuille de la collectivité"),
        note=_(
            "Même mesure des deux côtés : la part des innovations de chaque nature. Base : %(n)s projets du "
            "portefeuille. %(source)s"
        )
        % {"n": total, "source": NATIONAL_SOURCE}
        + _small_base(total),
    )


def adopted_projects(scope: Scope) -> QuerySet[Project]:
    """Projects of the scope that had passed the Adoption gate by the scope's date."""
    return portfolio.projects_adopted_by(scope_logged(scope), scope.as_of)


def _adoption_actors_chart(scope: Scope) -> Chart:
    """The actors who played a positive role in the adoption, recorded at the Adoption gate, against the
    national C1 figures: the same question asked of the same kind of unit (an adopted innovation)."""
    base, counts = scope.adoption_counts
    national = surveys.national_percentages("C1")
    missing = scope.phases.moved_on_from(Phase.ADOPTION) - base  # adopted: moved on from the Adoption phase
    note = _(
        "Même mesure des deux côtés : la part des innovations adoptées où chaque acteur a joué un rôle positif "
        "(plusieurs par innovation, d'où un total supérieur à 100 %%). Base : %(n)s projets ayant franchi "
        "l'adoption et dont les acteurs sont renseignés. %(source)s"
    ) % {"n": base, "source": NATIONAL_SOURCE}
    if missing:
        note += " " + ngettext(
            "%(n)s projet adopté n'a pas ses acteurs renseignés : il n'est pas compté.",
            "%(n)s projets adoptés n'ont pas leurs acteurs renseignés : ils ne sont pas comptés.",
            missing,
        ) % {"n": missing}
    note += _small_base(base)
    actors = portfolio.adoption_actors()
    return figures.versus_national(
        "adoption-actors",
        _("Acteurs ayant joué un rôle positif dans l'adoption : la collectivité et la France"),
        [actor.localized_label for actor in actors],
        [share(counts.get(actor.code, 0), base) for actor in actors],
        [national.get(actor.code) for actor in actors],
        local_name=_("Projets adoptés de la collectivité"),
        note=note,
    )


def _origin_chart(counts: Mapping[str | None, int], total: int) -> Chart:
    """Who initiated each project (one origin each): no national figure measures this, so none is drawn."""
    origins = list(Project.Origin)
    return figures.bars(
        "origin",
        _("Qui est à l'origine des projets ?"),
        [o.label for o in origins],
        [counts.get(o.value, 0) for o in origins],
        note=_base_note(total)
        + " "
        + _("Une origine par projet. L'enquête nationale ne mesure pas l'origine : pas de comparaison nationale."),
    )


def activity_charts(scope: Scope, *, since: datetime.date) -> list[Chart]:
    months = portfolio.phase_changes_by_month(scope_decided(scope), since, scope.as_of)
    by_month = {(m.year, m.month): n for m, n in months}
    labels, values = [], []
    month = since.replace(day=1)
    while month <= scope.as_of:
        labels.append(date_format(month, "N Y"))  # « juil. 2026 », "July 2026"
        values.append(by_month.get((month.year, month.month), 0))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    rows = contests.contests_conversion(scope.direction_id, until=scope.as_of)
    return [
        figures.timeline("moves", _("Passages de phase par mois"), labels, values),
        figures.contests_conversion(
            "contests",
            _("Idées des concours et projets qui en sont issus, au %(date)s") % {"date": _date(scope.as_of)},
            [{**row, "name": row["contest"].title} for row in rows],
        ),
    ]


def stalled(scope: Scope) -> tuple[QuerySet[ProjectAt], int]:
    """Projects without a move for more than ``stalled_days`` at the scope's date that may be named (longest
    first), and how many restricted ones are left out."""
    projects = portfolio.stalled_as_of(scope_base(scope), days=scope.stalled_days, day=scope.as_of)
    return _named(projects, scope), _restricted_count(scope)


def _restricted_count(scope: Scope) -> int:
    """How many stalled projects may not be named in this scope (none for the DGS)."""
    return 0 if scope.detailed else scope.phases.stalled_restricted


def stalled_first(scope: Scope, limit: int) -> tuple[list[Project], int, int]:
    """The first ``limit`` stalled projects that may be named, their number and the number of restricted ones
    left out. The numbers come with the scope's phase counts (one pass over the portfolio); the rows are the
    first of a sorted pass."""
    projects = portfolio.stalled_as_of(scope_base(scope), days=scope.stalled_days, day=scope.as_of)
    hidden = _restricted_count(scope)
    return list(_named(projects, scope)[:limit]), scope.phases.stalled - hidden, hidden


# --- The survey -------------------------------------------------------------------------------------------------


@dataclass
class SurveySection:
    """The campaign a dashboard or a report compares with, why it was chosen, and its charts."""

    choice: surveys.CampaignChoice | None
    chosen: bool  # picked by the DGS rather than by the default rule
    as_of: datetime.date
    charts: list[Chart] = field(default_factory=list)
    notice: str = ""

    @property
    def description(self) -> str:
        if self.choice is None:
            return ""
        return ngettext(
            "Enquête « %(title)s » : %(complete)s réponse complète envoyée au plus tard le %(date)s, "
            "sur %(n)s réponses commencées ; les réponses complètes sont la base des résultats ci-dessous.",
            "Enquête « %(title)s » : %(complete)s réponses complètes envoyées au plus tard le %(date)s, "
            "sur %(n)s réponses commencées ; les réponses complètes sont la base des résultats ci-dessous.",
            self.choice.complete,
        ) % {
            "title": self.choice.campaign.title,
            "n": self.choice.responses,
            "complete": self.choice.complete,
            "date": _date(self.as_of),
        }


def survey_choice(campaign: Campaign | None, until: datetime.date) -> tuple[surveys.CampaignChoice | None, bool]:
    """The campaign asked for (among those opened by ``until``), else the most recent one with at least
    ``MIN_GROUP`` complete responses."""
    if campaign is not None:
        for choice in surveys.steering_campaigns(until=until):
            if choice.campaign.pk == campaign.pk:
                return choice, True
    return surveys.default_steering_campaign(until=until), False


def survey_section(scope: Scope, campaign: Campaign | None = None) -> SurveySection:
    """The survey against the national reference, and the declared practice against the portfolio."""
    choice, chosen = survey_choice(campaign, scope.as_of)
    section = SurveySection(choice, chosen, scope.as_of)
    if campaign is not None and not chosen:
        section.notice = _(
            "La campagne choisie, « %(chosen)s », n'était pas encore ouverte au %(date)s : elle ne peut pas "
            "servir à cette date."
        ) % {"chosen": campaign.title, "date": _date(scope.as_of)}
        if choice is not None:
            section.notice += " " + _("La règle par défaut s'applique.")
    if choice is None:
        section.notice += " " + _(
            "Aucune campagne d'enquête ouverte au %(date)s ne compte au moins %(min)s réponses complètes : "
            "les résultats de l'enquête ne sont pas présentés."
        ) % {"date": _date(scope.as_of), "min": MIN_GROUP}
        section.notice = section.notice.strip()
        return section
    results = surveys.campaign_summary(choice.campaign, submitted_by=scope.as_of)
    if results.suppressed or choice.complete < MIN_GROUP:
        section.notice = _(
            "Cette campagne compte moins de %(min)s réponses complètes : ses résultats ne sont pas présentés, "
            "pour protéger l'anonymat des répondants."
        ) % {"min": MIN_GROUP}
        return section
    by_code = {r.question.code: r for s in results.sections for r in s.questions}
    section.charts = [*_survey_versus_national(by_code, section), *_families_chart(results, section)]
    section.charts.append(_declared_versus_actual(by_code, scope))
    return section


def _survey_versus_national(by_code: dict[str, QuestionResult], section: SurveySection) -> list[Chart]:
    charts = []
    for code, title in (
        ("B1", _("Enquête : nature de l'innovation déclarée")),
        ("C1", _("Enquête : acteurs ayant joué un rôle positif dans l'adoption")),
    ):
        result = by_code.get(code)
        if result is None or result.suppressed or not result.base:
            section.notice += " " + _(
                "Question %(code)s : moins de %(min)s répondants, résultat masqué pour protéger l'anonymat."
            ) % {"code": code, "min": MIN_GROUP}
            continue
        national = [
            float(r.national.percent) if r.national and r.national.percent is not None else None for r in result.rows
        ]
        charts.append(
            figures.versus_national(
                f"survey-{code.lower()}",
                title,
                [row.label for row in result.rows],
                [row.percent for row in result.rows],
                national,
                local_name=_("Répondants de la collectivité"),
                note=_(
                    "Même question des deux côtés. Base : %(n)s répondants à la question %(code)s parmi les "
                    "réponses complètes (la page des résultats de l'enquête compte aussi les réponses "
                    "partielles). %(source)s"
                )
                % {"n": result.base, "code": code, "source": NATIONAL_SOURCE},
            )
        )
    return charts


def _families_chart(results: Results, section: SurveySection) -> list[Chart]:
    """The radar of the families of determinants; a family answered by fewer than ``MIN_GROUP`` respondents is
    left out, and the radar too when fewer than three families remain, each time with the reason."""
    shown = [f for f in results.families if f.mean is not None and not f.suppressed]
    hidden = [f for f in results.families if f.suppressed]
    hidden_note = _("Familles masquées (moins de %(min)s répondants) : %(names)s.") % {
        "min": MIN_GROUP,
        "names": ", ".join(f.section.localized_title for f in hidden),
    }
    note = _("Moyenne des réponses de 1 à 5 ; pas de valeur nationale publiée, seulement un ordre des familles.")
    if hidden:
        note += " " + hidden_note
    if len(shown) < RADAR_MIN_AXES:  # a radar of one or two points reads as a shape that means nothing
        if results.families:
            section.notice += " " + _(
                "Radar des familles de déterminants non tracé : moins de %(axes)s familles ont au moins %(min)s "
                "répondants."
            ) % {"axes": RADAR_MIN_AXES, "min": MIN_GROUP}
            if hidden:
                section.notice += " " + hidden_note
        return []
    return [
        figures.radar(
            "survey-families",
            _("Enquête : influence perçue des familles de déterminants (1 à 5)"),
            [f.section.localized_title for f in shown],
            [round(f.mean or 0, 2) for f in shown],  # the families shown have a mean
            name=_("Répondants de la collectivité"),
            note=note,
        )
    ]


def _declared_versus_actual(by_code: dict[str, QuestionResult], scope: Scope) -> Chart:
    """What the respondents declare beside what the portfolio holds, each share on its own base."""
    natures = scope.nature_counts
    total = sum(natures.values())
    base, actors = scope.adoption_counts

    def declared(code: str, choice: str) -> float | None:
        result = by_code.get(code)
        row = next((r for r in result.rows if r.code == choice), None) if result and not result.suppressed else None
        return row.percent if row else None

    labels = [_("Innovation managériale"), _("Innovation sociétale"), _("Rôle positif des agents dans l'adoption")]
    declared_values = [declared("B1", "managerial"), declared("B1", "societal"), declared("C1", "agents")]
    actual = [share(natures.get("managerial", 0), total), share(natures.get("societal", 0), total)]
    actual.append(share(actors.get("agents", 0), base))
    bases = {
        "b1": getattr(by_code.get("B1"), "base", 0),
        "c1": getattr(by_code.get("C1"), "base", 0),
        "projects": total,
        "adopted": base,
    }
    return figures.versus_national(
        "declared-actual",
        _("Pratique déclarée dans l'enquête et portefeuille réel"),
        labels,
        declared_values,
        actual,
        local_name=_("Déclaré dans l'enquête"),
        national_name=_("Portefeuille réel"),
        note=_(
            "Nature : %(b1)s répondants à B1 ; %(projects)s projets du portefeuille. Rôle des agents : "
            "%(c1)s répondants à C1 ; %(adopted)s projets adoptés dont les acteurs sont renseignés."
        )
        % bases,
    )


# --- Pages and documents ----------------------------------------------------------------------------------------


CLOSED_QUARTER_SECONDS = 7 * 24 * 3600


def dashboard(
    *,
    user: User,
    quarter: Quarter,
    direction: Direction | None,
    stalled_days: int,
    campaign: Campaign | None = None,
) -> dict[str, object]:
    """The dashboard as this person sees it (restricted projects named for the DGS only)."""
    return dashboard_figures(
        quarter=quarter,
        direction=direction,
        stalled_days=stalled_days,
        detailed=user.has_perm("portfolio.view_all_projects"),
        campaign=campaign,
    )


def dashboard_figures(
    *,
    quarter: Quarter,
    direction: Direction | None,
    stalled_days: int,
    detailed: bool,
    campaign: Campaign | None = None,
) -> dict[str, Any]:  # a template's context
    """The dashboard's figures. Those of a closed quarter no longer change (no decision can be dated in it,
    every other field is read from the history at its date): once computed they are kept in the cache, under
    a key that also holds a fingerprint of the data that can still change them, so that such a change
    recomputes them (``portfolio.data_version(until=…)``). A cheaper fingerprint of all the data is tried first:
    when nothing changed since the last view, it finds them without the narrower one's aggregates. The names
    in its list are read again at each view."""
    scope = Scope(quarter, direction, stalled_days, detailed=detailed)
    if scope.in_progress:
        return _dashboard(scope, campaign)
    common = (
        scope.quarter.code,
        scope.direction_id,
        scope.stalled_days,
        scope.detailed,
        campaign.pk if campaign else None,
        get_language(),
        contests.data_version(),
        surveys.data_version(),
    )

    def unchanged_for_the_quarter() -> dict[str, Any]:
        # Some data changed since the last view: if none of it can change the quarter, the figures kept under
        # the narrower fingerprint still hold (a few more aggregate queries instead of the computation).
        narrow = (*common, portfolio.data_version(until=scope.as_of))
        return computed_once("dashboard", narrow, lambda: _dashboard(scope, campaign), seconds=CLOSED_QUARTER_SECONDS)

    # Nothing changed at all since the last view: the cheapest fingerprint finds the figures.
    figures_of_quarter = computed_once(
        "dashboard-latest",
        (*common, portfolio.data_version()),
        unchanged_for_the_quarter,
        seconds=CLOSED_QUARTER_SECONDS,
    )
    return {**figures_of_quarter, "stalled": portfolio.fresh_names(figures_of_quarter["stalled"]), "scope": scope}


def _dashboard(scope: Scope, campaign: Campaign | None) -> dict[str, Any]:
    stalled_projects, stalled_count, hidden = stalled_first(scope, DASHBOARD_LIST_LIMIT)
    survey = survey_section(scope, campaign)
    return {
        "scope": scope,
        "key_figures": key_figures(scope),
        "comparison": comparison_label(scope),
        "charts": [
            *portfolio_charts(scope),
            _map_chart(scope),
            *activity_charts(scope, since=scope.quarter.start.replace(year=scope.quarter.start.year - 1)),
        ],
        "survey": survey,
        "min_group": MIN_GROUP,
        "stalled": stalled_projects,
        "stalled_count": stalled_count,
        "stalled_hidden": hidden,
    }


def default_quarter(today: datetime.date | None = None) -> Quarter:
    """Dashboards open on the last complete quarter."""
    return Quarter.containing(today or timezone.localdate()).previous()


# --- The quarterly report ---------------------------------------------------------------------------------------


@dataclass
class Bounded:
    """The first rows of a list as printed in the PDF, how many more there are, and the CSV file attached to
    the PDF that holds them all."""

    rows: list[Model]
    total: int
    attachment: str

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass
class Appendix:
    """A full list attached to the PDF as a CSV file."""

    name: str
    description: str
    header: list[str]
    rows: Iterable[Sequence[object]]  # read once when the PDF is written


def _bounded(queryset: QuerySet[Model], attachment: str) -> Bounded:
    return Bounded(list(queryset[:LIST_LIMIT]), queryset.count(), attachment)


def _status_counts(projects: QuerySet[ProjectAt]) -> dict[str, int]:
    rows = projects.order_by().values_list("status_at").annotate(n=Count("pk"))
    return dict(rows)


def quarterly_context(
    *, quarter: Quarter, direction: Direction | None, stalled_days: int, campaign: Campaign | None = None
) -> dict[str, object]:
    """Everything the quarterly PDF shows, and the full lists it carries as attached CSV files."""
    scope = Scope(quarter, direction, stalled_days)
    projects = scope_projects(scope)
    named = _named(projects, scope)
    decisions = portfolio.decisions_between(named, quarter.start, scope.as_of)
    stalled_projects, stalled_hidden = stalled(scope)
    active_named = named.filter(status_at=Project.Status.ACTIVE)
    phases = [
        (phase, _bounded(active_named.filter(phase_at=phase.pk).order_by("-phase_since_at", "title"), "projets.csv"))
        for phase in Phase.objects.order_by("order")
    ]
    # Ideas hidden by moderation are counted in the figures but never named in the document.
    submitted = contests.ideas_submitted_between(quarter.start, scope.as_of, scope.direction_id)
    ideas = submitted.filter(hidden_reason="")
    indicators = portfolio.indicators_queryset(
        named.filter(status_at__in=[Project.Status.ACTIVE, Project.Status.COMPLETED]),  # type: ignore[misc]  # the plugin types __in on an annotation as one value
        until=scope.as_of,
    )
    closed = named.exclude(lessons_learned="").filter(
        status_at__in=[Project.Status.STOPPED, Project.Status.COMPLETED]  # type: ignore[misc]  # (same)
    )
    key = key_figures(scope)
    survey = survey_section(scope, campaign)
    context: dict[str, Any] = {  # a template's context
        "scope": scope,
        "key_figures": key,
        "comparison": comparison_label(scope),
        "charts": [*portfolio_charts(scope), *activity_charts(scope, since=quarter.previous().previous().start)],
        "survey": survey,
        "phases": phases,
        "decisions": _bounded(decisions, "decisions.csv"),
        "hidden_decisions": portfolio.decisions_between(projects, quarter.start, scope.as_of).count()
        - decisions.count(),
        "stalled": _bounded(stalled_projects, "projets-sans-mouvement.csv"),
        "stalled_hidden": stalled_hidden,
        "ideas": _bounded(ideas, "idees.csv"),
        "hidden_ideas": submitted.exclude(hidden_reason="").count(),
        "contests": contests.contests_conversion(scope.direction_id, until=scope.as_of),
        "indicators": _bounded(indicators, "indicateurs.csv"),
        "costs": scope_states(scope).aggregate(estimated=Sum("estimated_cost"), actual=Sum("actual_cost")),
        "lessons": _bounded(closed.order_by("title"), "enseignements.csv"),
        "restricted_count": projects.count() - named.count(),
        "min_group": MIN_GROUP,
        "status_counts": _status_counts(projects),
        "project_count": projects.count(),
        "phase_counts": scope.phases.in_progress,
    }
    for project in context["lessons"].rows:
        project.status_label_at = Project.Status(project.status_at).label
    for idea in context["ideas"].rows:
        idea.status_label_at = _idea_status_label(idea, scope.as_of)
    context["summary"] = summary_sentences(context)
    context["appendices"] = appendices(scope, named, decisions, stalled_projects, ideas, indicators, closed)
    return context


def _idea_status_label(idea: Idea, day: datetime.date) -> str:
    status = idea.status_on(day)
    return str(type(idea).Status(status).label) if status else ""


def summary_sentences(context: Mapping[str, Any]) -> list[str]:
    """The one-page summary of the report, written from the same figures as the rest of the document."""
    scope: Scope = context["scope"]
    figures_by_key = {f["key"]: f for f in context["key_figures"]}
    statuses = context["status_counts"]
    total = context["project_count"]
    if not total:
        return [_("Au %(date)s, le portefeuille ne compte aucun projet.") % {"date": _date(scope.as_of)}]
    phases = ", ".join(
        _("%(n)s en %(phase)s") % {"n": n, "phase": phase.localized_label} for phase, n in context["phase_counts"]
    )
    counts = {status: statuses.get(status, 0) for status in Project.Status.values}
    parts = [
        ngettext("%(n)s en cours", "%(n)s en cours", counts["active"]) % {"n": counts["active"]},
        ngettext("%(n)s suspendu", "%(n)s suspendus", counts["on_hold"]) % {"n": counts["on_hold"]},
        ngettext("%(n)s terminé", "%(n)s terminés", counts["completed"]) % {"n": counts["completed"]},
        ngettext("%(n)s arrêté", "%(n)s arrêtés", counts["stopped"]) % {"n": counts["stopped"]},
    ]
    sentences = [
        ngettext(
            "Au %(date)s, le portefeuille compte %(total)s projet : %(parts)s.",
            "Au %(date)s, le portefeuille compte %(total)s projets : %(parts)s.",
            total,
        )
        % {"date": _date(scope.as_of), "total": total, "parts": ", ".join(parts)}
    ]
    if counts["active"]:
        sentences.append(_("Projets en cours par phase : %(phases)s.") % {"phases": phases})
    moves = figures_by_key["moves"]
    if scope.in_progress:
        moves_sentence = ngettext(
            "Depuis le début du trimestre, %(n)s passage de phase a été décidé (%(previous)s sur la même période "
            "du trimestre précédent) ;",
            "Depuis le début du trimestre, %(n)s passages de phase ont été décidés (%(previous)s sur la même "
            "période du trimestre précédent) ;",
            moves["value"],
        )
    else:
        moves_sentence = ngettext(
            "Ce trimestre, %(n)s passage de phase a été décidé (%(previous)s au trimestre précédent) ;",
            "Ce trimestre, %(n)s passages de phase ont été décidés (%(previous)s au trimestre précédent) ;",
            moves["value"],
        )
    sentences.append(
        moves_sentence % {"n": moves["value"], "previous": moves["previous"]}
        + " "
        + ngettext(
            "%(n)s innovation appropriée,", "%(n)s innovations appropriées,", figures_by_key["completed"]["value"]
        )
        % {"n": figures_by_key["completed"]["value"]}
        + " "
        + ngettext("%(n)s projet arrêté,", "%(n)s projets arrêtés,", figures_by_key["stopped"]["value"])
        % {"n": figures_by_key["stopped"]["value"]}
        + " "
        + ngettext("%(n)s nouveau projet", "%(n)s nouveaux projets", figures_by_key["new"]["value"])
        % {"n": figures_by_key["new"]["value"]}
        + " "
        + ngettext("et %(n)s idée déposée.", "et %(n)s idées déposées.", figures_by_key["ideas"]["value"])
        % {"n": figures_by_key["ideas"]["value"]}
    )
    stalled_total = context["stalled"].total + context["stalled_hidden"]
    sentences.append(
        ngettext(
            "%(n)s projet en cours est sans mouvement depuis plus de %(days)s jours.",
            "%(n)s projets en cours sont sans mouvement depuis plus de %(days)s jours.",
            stalled_total,
        )
        % {"n": stalled_total, "days": scope.stalled_days}
    )
    survey: SurveySection = context["survey"]
    if survey.choice and survey.charts:
        sentences.append(survey.description + " " + _("Elle sert aux comparaisons avec l'enquête nationale."))
    else:
        sentences.append(survey.notice.strip())
    if scope.in_progress:
        sentences.append(
            _("Le trimestre est en cours : les chiffres sont ceux du %(date)s.") % {"date": _date(scope.as_of)}
        )
    return [s for s in sentences if s]


def appendices(
    scope: Scope,
    named: QuerySet[ProjectAt],
    decisions: QuerySet[GateDecision],
    stalled_projects: QuerySet[ProjectAt],
    ideas: QuerySet[Idea],
    indicators: QuerySet[Any],
    closed: QuerySet[ProjectAt],
) -> list[Appendix]:
    """The full lists behind the bounded tables of the PDF."""
    phase_labels = {phase.pk: phase.localized_label for phase in Phase.objects.all()}
    statuses = dict(Project.Status.choices)
    listed = named.select_related("lead").order_by("phase_at", "title")
    return [
        Appendix(
            "projets.csv",
            _("Projets du périmètre avec leur phase et leur statut au %(date)s") % {"date": _date(scope.as_of)},
            [_("Projet"), _("Phase"), _("Statut"), _("Dans la phase depuis"), _("Chef de projet")],
            (
                [
                    p.title,
                    phase_labels.get(p.phase_at, ""),
                    str(statuses.get(p.status_at, "")),
                    p.phase_since_at,
                    str(p.lead),
                ]
                for p in listed.iterator()
            ),
        ),
        Appendix(
            "decisions.csv",
            _("Décisions de passage de phase du trimestre"),
            [_("Date"), _("Projet"), _("Décision"), _("Phase de départ"), _("Phase d'arrivée"), _("Motivation")],
            (
                [
                    g.decided_on,
                    g.project.title,
                    g.get_decision_display(),
                    g.from_phase.localized_label,
                    g.to_phase.localized_label,
                    g.rationale,
                ]
                for g in decisions.iterator()
            ),
        ),
        Appendix(
            "projets-sans-mouvement.csv",
            _("Projets en cours sans mouvement depuis plus de %(days)s jours") % {"days": scope.stalled_days},
            [_("Projet"), _("Phase"), _("Dans la phase depuis"), _("Chef de projet")],
            (
                [p.title, phase_labels.get(p.phase_at, ""), p.phase_since_at, str(p.lead)]
                for p in stalled_projects.iterator()
            ),
        ),
        Appendix(
            "idees.csv",
            _("Idées déposées pendant le trimestre"),
            [_("Idée"), _("Concours"), _("Déposée le"), _("Statut")],
            ([i.title, i.contest.title, i.submitted_at, _idea_status_label(i, scope.as_of)] for i in ideas.iterator()),
        ),
        Appendix(
            "indicateurs.csv",
            _("Indicateurs : valeur de départ, cible et dernière mesure au %(date)s") % {"date": _date(scope.as_of)},
            [_("Projet"), _("Indicateur"), _("Unité"), _("Départ"), _("Cible"), _("Dernière mesure"), _("Mesurée le")],
            (
                [i.project.title, i.name, i.unit, i.baseline, i.target, i.last_value, i.last_measured_on]
                for i in indicators.iterator()
            ),
        ),
        Appendix(
            "enseignements.csv",
            _("Enseignements des projets arrêtés ou terminés"),
            [_("Projet"), _("Statut"), _("Enseignements")],
            (
                [p.title, str(statuses.get(p.status_at, "")), p.lessons_learned]
                for p in closed.order_by("title").iterator()
            ),
        ),
    ]


# --- What waits for the DGS ---------------------------------------------------------------------------------------


def failed_reports(*, limit: int = 5) -> tuple[list[Report], int]:
    """The reports whose latest version failed (at most ``limit``, and how many in all), newest first: a new
    version is one click away."""
    later = Report.objects.filter(
        quarter=OuterRef("quarter"), direction=OuterRef("direction"), version__gt=OuterRef("version")
    )
    later_collectivite = Report.objects.filter(
        quarter=OuterRef("quarter"), direction__isnull=True, version__gt=OuterRef("version")
    )
    failed = (
        Report.objects.filter(status=Report.Status.FAILED)
        .filter(Q(~Exists(later), direction__isnull=False) | Q(~Exists(later_collectivite), direction__isnull=True))
        .select_related("direction")
        .order_by("-requested_at", "-pk")
    )
    return list(failed[:limit]), failed.count()


def get_report_for_user(user: User, pk: int) -> Report:
    """Reports are for the steering committee and the DGS: 404 for anyone else."""
    if not user.has_perm("reports.view_report"):
        raise Http404
    return get_object_or_404(Report.objects.select_related("direction"), pk=pk)
