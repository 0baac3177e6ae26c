"""The portfolio map in the dashboards and the quarterly report: the balance between quadrants per quarter, as
the projects stood at each quarter's end, with its base."""

import datetime
from decimal import Decimal

from django.utils import timezone

from portfolio import periods
from portfolio.models import GateDecision, Phase, Project
from reports import selectors
from reports.quarters import Quarter
from tests.factories import ProjectFactory

Q1, Q2 = Quarter(2026, 1), Quarter(2026, 2)
TODAY = datetime.date(2026, 11, 30)


def logged_on(day: datetime.date, **fields) -> Project:
    defaults = {
        "estimated_cost": Decimal(5_000),
        "start_date": day,
        "expected_end_date": day + datetime.timedelta(days=60),
        "perimeter": "service",
    }
    project = ProjectFactory(phase_since=day, **{**defaults, **fields})
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    Project.objects.filter(pk=project.pk).update(created_at=when)
    Project.history.filter(id=project.pk).update(history_date=when)
    periods.rebuild_state_ranges()
    project.refresh_from_db()
    return project


def revised_on(project: Project, day: datetime.date, **changes) -> None:
    for name, value in changes.items():
        setattr(project, name, value)
    project.save()
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(11)))
    Project.history.filter(id=project.pk, history_until__isnull=True).update(history_date=when)
    periods.rebuild_state_ranges()


def balance(quarter: Quarter) -> dict:
    scope = selectors.Scope(quarter, today=TODAY)
    return next(chart for chart in selectors.portfolio_charts(scope) if chart.key == "balance")


def test_the_balance_reads_each_quarter_as_it_stood_at_its_end(dgs):
    moving = logged_on(datetime.date(2026, 1, 10), value_rating=5, title="Devenu petit pas")
    logged_on(datetime.date(2026, 1, 12), value_rating=2, title="Petit pas")
    logged_on(datetime.date(2026, 1, 15), value_rating=None, title="Sans valeur")
    stopped = logged_on(datetime.date(2026, 2, 1), value_rating=5, title="Arrêté en mai")
    revised_on(moving, datetime.date(2026, 5, 15), value_rating=2)  # mid-Q2: no longer a quick win
    emergence = Phase.objects.get(code="emergence")
    GateDecision.objects.create(
        project=stopped,
        decision="stop",
        from_phase=emergence,
        to_phase=emergence,
        decided_by=dgs,
        decided_on=datetime.date(2026, 5, 2),
        rationale="Arrêt",
    )
    chart = balance(Q2)
    rows = {row[0]: row[1:] for row in chart.rows}
    # Gains rapides, paris stratégiques, petits pas, à reconsidérer, base, à compléter
    assert rows[Q1.label()] == ["67 %", "0 %", "33 %", "0 %", 3, 1]
    assert rows[Q2.label()] == ["0 %", "0 %", "100 %", "0 %", 2, 1]
    assert "Base : 2 projets." in chart.note and "1 projet à compléter" in chart.note
    # A quarter before any project: no base, no share (never a division by zero).
    assert rows[Quarter(2025, 3).label()] == ["—", "—", "—", "—", 0, 0]


def test_the_dashboard_shows_the_map_of_the_named_projects_and_its_counts(client, dgs, copil_member):
    logged_on(datetime.date(2026, 1, 10), value_rating=5, title="Ouvert")
    logged_on(datetime.date(2026, 1, 10), value_rating=5, title="Restreint", visibility="restricted")
    client.force_login(copil_member)
    response = client.get("/tableaux-de-bord/?trimestre=2026Q1")
    charts = {chart.key: chart for chart in response.context["charts"]}
    points = [p for trace in charts["portfolio-map"].figure["data"] for p in trace.get("customdata", [])]
    assert len(points) == 1
    assert charts["portfolio-map"].rows[0][:2] == ["Gains rapides", 1]
    assert "balance" in charts
    assert "/projets/carte-du-portefeuille/" in response.content.decode()
    client.force_login(dgs)
    response = client.get("/tableaux-de-bord/?trimestre=2026Q1")
    charts = {chart.key: chart for chart in response.context["charts"]}
    assert charts["portfolio-map"].rows[0][:2] == ["Gains rapides", 2]


def test_the_quarterly_report_carries_the_balance_with_its_base(dgs):
    logged_on(datetime.date(2026, 1, 10), value_rating=5)
    context = selectors.quarterly_context(quarter=Q1, direction=None, stalled_days=180)
    chart = next(chart for chart in context["charts"] if chart.key == "balance")
    assert chart.headers[-2:] == ["Base : projets placés", "À compléter (hors base)"]
    assert chart.rows[-1][1:] == ["100 %", "0 %", "0 %", "0 %", 1, 0]
    assert "Base : 1 projet." in chart.note
