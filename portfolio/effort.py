"""The effort of a project, derived from data it already has, and its quadrant on the portfolio map.

The rule, readable by the DGS and tuned in the admin (``EffortRule``, docs/carte-du-portefeuille.md):

- the **estimated cost**, the **planned duration** (from the start date to the planned end date, a month
  counting 30 days) and the **perimeter** are each placed in a band from 1 to 5 by the rule's thresholds;
- the **effort** is the mean of the three bands, rounded to the nearest whole number (a half up): bands 1, 2
  and 2 give 2; 1, 1 and 2 give 1;
- a project lacking one of the three, or its value rating, is "à compléter": it is listed, never placed at 0.

The quadrant crosses the value rating with the effort: strong value (at least ``high_value_from``) for a light
effort (below ``high_effort_from``) is a quick win.

The rule is written twice, with one test that holds them together: as SQL expressions, so that lists, counts
and shares at a date are computed by the database whatever the number of projects (the field names are those
of the project and of its historical records alike), and in Python, to explain one project's effort.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from portfolio.models import EffortRule, Project

DAYS_PER_MONTH = 30


class Quadrant(models.TextChoices):
    QUICK_WINS = "gains_rapides", _("Gains rapides")
    STRATEGIC_BETS = "paris_strategiques", _("Paris stratégiques")
    SMALL_STEPS = "petits_pas", _("Petits pas")
    RECONSIDER = "a_reconsiderer", _("À reconsidérer")


INCOMPLETE = "a_completer"
INCOMPLETE_LABEL = _("À compléter")

# What each quadrant means, in the order the map and the tables show them.
QUADRANT_HELP = {
    Quadrant.QUICK_WINS: _("valeur forte, effort léger : à favoriser"),
    Quadrant.STRATEGIC_BETS: _("valeur forte, effort lourd : à piloter de près"),
    Quadrant.SMALL_STEPS: _("valeur modeste, effort léger : utiles, sans plus"),
    Quadrant.RECONSIDER: _("valeur modeste, effort lourd : à réexaminer"),
}


def quadrant_label(code: str) -> str:
    return str(INCOMPLETE_LABEL if code == INCOMPLETE else Quadrant(code).label)


def _cost_thresholds(rule: EffortRule) -> list[Decimal]:
    return [Decimal(getattr(rule, f"cost_band_{n}")) for n in range(2, 6)]


def _duration_thresholds(rule: EffortRule) -> list[datetime.timedelta]:
    return [datetime.timedelta(days=DAYS_PER_MONTH * getattr(rule, f"duration_band_{n}")) for n in range(2, 6)]


def _perimeter_bands(rule: EffortRule) -> dict[str, int]:
    return {perimeter.value: getattr(rule, f"perimeter_{perimeter.value}") for perimeter in Project.Perimeter}


def _bands(rule: EffortRule) -> dict[str, Case]:
    duration = F("expected_end_date") - F("start_date")
    return {
        "cost_band": Case(
            *[
                When(estimated_cost__gte=threshold, then=Value(band))
                for band, threshold in reversed(list(enumerate(_cost_thresholds(rule), start=2)))
            ],
            When(estimated_cost__isnull=False, then=Value(1)),
            default=None,
            output_field=IntegerField(),
        ),
        "duration_band": Case(
            *[
                When(GreaterThanOrEqual(duration, Value(threshold)), then=Value(band))
                for band, threshold in reversed(list(enumerate(_duration_thresholds(rule), start=2)))
            ],
            When(Q(start_date__isnull=False, expected_end_date__isnull=False), then=Value(1)),
            default=None,
            output_field=IntegerField(),
        ),
        "perimeter_band": Case(
            *[When(perimeter=code, then=Value(band)) for code, band in _perimeter_bands(rule).items()],
            default=None,
            output_field=IntegerField(),
        ),
    }


def with_effort(projects: QuerySet[Any], rule: EffortRule | None = None) -> QuerySet[Any]:
    """Projects (or historical records of projects) annotated with ``cost_band``, ``duration_band``,
    ``perimeter_band``, ``effort`` (none when one band is missing) and ``quadrant`` (``INCOMPLETE`` without an
    effort or a value rating)."""
    rule = rule or EffortRule.current()
    total = F("cost_band") + F("duration_band") + F("perimeter_band")
    effort = Case(
        # The mean of the three bands rounded, a half up: a total of 3 or 4 gives 1, 5 to 7 gives 2, and so on.
        *[When(LessThanOrEqual(total, Value(3 * band + 1)), then=Value(band)) for band in range(1, 5)],
        When(Q(cost_band__isnull=False, duration_band__isnull=False, perimeter_band__isnull=False), then=Value(5)),
        default=None,
        output_field=IntegerField(),
    )
    strong, heavy = rule.high_value_from, rule.high_effort_from
    quadrant = Case(
        When(Q(value_rating__isnull=True) | Q(effort__isnull=True), then=Value(INCOMPLETE)),
        When(value_rating__gte=strong, effort__lt=heavy, then=Value(Quadrant.QUICK_WINS.value)),
        When(value_rating__gte=strong, then=Value(Quadrant.STRATEGIC_BETS.value)),
        When(effort__lt=heavy, then=Value(Quadrant.SMALL_STEPS.value)),
        default=Value(Quadrant.RECONSIDER.value),
        output_field=models.CharField(),
    )
    annotated: QuerySet[Any] = projects.annotate(**_bands(rule)).annotate(effort=effort).annotate(quadrant=quadrant)
    return annotated


def quick_wins(projects: QuerySet[Project], rule: EffortRule | None = None) -> QuerySet[Project]:
    """The projects of the "gains rapides" quadrant."""
    return with_effort(projects, rule).filter(quadrant=Quadrant.QUICK_WINS)


@dataclass
class Effort:
    """One project's bands and effort, to explain them (``None``: the data is missing)."""

    cost_band: int | None
    duration_band: int | None
    perimeter_band: int | None

    @property
    def effort(self) -> int | None:
        if self.cost_band is None or self.duration_band is None or self.perimeter_band is None:
            return None
        return (
            self.cost_band + self.duration_band + self.perimeter_band + 1
        ) // 3  # the mean of three whole numbers, rounded a half up

    @property
    def missing(self) -> list[str]:
        names = {
            "cost_band": _("le coût estimé"),
            "duration_band": _("les dates de début et de fin prévue"),
            "perimeter_band": _("le périmètre"),
        }
        return [str(label) for name, label in names.items() if getattr(self, name) is None]


def _band(value: Any, thresholds: list[Any]) -> int | None:
    if value is None:
        return None
    return 1 + sum(1 for threshold in thresholds if value >= threshold)


def effort_of(project: Project, rule: EffortRule | None = None) -> Effort:
    """The bands and effort of one project, by the same rule as ``with_effort``."""
    rule = rule or EffortRule.current()
    duration = None
    if project.start_date and project.expected_end_date:
        duration = project.expected_end_date - project.start_date
    return Effort(
        cost_band=_band(project.estimated_cost, _cost_thresholds(rule)),
        duration_band=_band(duration, _duration_thresholds(rule)),
        perimeter_band=_perimeter_bands(rule).get(project.perimeter),
    )


def quadrant_of(value: int | None, effort: int | None, rule: EffortRule | None = None) -> str:
    rule = rule or EffortRule.current()
    if value is None or effort is None:
        return INCOMPLETE
    if value >= rule.high_value_from:
        return Quadrant.QUICK_WINS if effort < rule.high_effort_from else Quadrant.STRATEGIC_BETS
    return Quadrant.SMALL_STEPS if effort < rule.high_effort_from else Quadrant.RECONSIDER
