"""What the API returns, field by field (the OpenAPI schema is built from these)."""

import datetime
from decimal import Decimal

from ninja import Schema


class Coded(Schema):
    code: str
    label: str


class ProjectBrief(Schema):
    id: int
    title: str
    summary: str
    nature: str
    phase: Coded
    status: str
    phase_since: datetime.date
    directions: list[str]
    lead: str
    updated_at: datetime.datetime


class MeasurementOut(Schema):
    measured_on: datetime.date
    value: Decimal
    comment: str


class IndicatorOut(Schema):
    id: int
    name: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    measurements: list[MeasurementOut]


class DecisionOut(Schema):
    decided_on: datetime.date
    decision: str
    label: str
    from_phase: str
    to_phase: str
    prior_existing: bool
    rationale: str


class ProjectDetail(ProjectBrief):
    description: str
    origin: str
    objects: list[Coded]
    domain: str | None
    start_date: datetime.date | None
    expected_end_date: datetime.date | None
    estimated_cost: Decimal | None
    perimeter: str
    scope: str
    visibility: str
    expected_value: str
    observed_results: str
    lessons_learned: str
    indicators: list[IndicatorOut]
    decisions: list[DecisionOut]


class ContestBrief(Schema):
    slug: str
    title: str
    theme: str
    state: str
    opens_on: datetime.date
    closes_on: datetime.date


class IdeaOut(Schema):
    id: int
    title: str
    status: str
    supports: int


class ContestDetail(ContestBrief):
    description: str
    ideas: list[IdeaOut]


class ResultRow(Schema):
    question: str
    choice: str
    count: int | None
    percent: float | None
    national_percent: float | None
    base: int | None
    note: str


class SurveyResults(Schema):
    campaign: str
    suppressed: bool
    rows: list[ResultRow]


class KeyFigure(Schema):
    key: str
    label: str
    value: int
    previous: int
    change: int


class PhaseCount(Coded):
    count: int


class Dashboard(Schema):
    quarter: str
    as_of: datetime.date
    direction: str | None
    key_figures: list[KeyFigure]
    phases_in_progress: list[PhaseCount]
