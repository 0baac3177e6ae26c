"""The dashboards' figures match the data; user text is escaped in every chart."""

import datetime

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from portfolio.models import GateDecision, Phase
from reports import selectors
from reports.quarters import Quarter
from tests.factories import ContestFactory, DirectionFactory, IdeaFactory, ProjectFactory

# Projects made by the factories are logged today: these tests look at the quarter in progress.
NOW = f"?trimestre={Quarter.containing(timezone.localdate()).code}"


def charts_of(response) -> dict:
    return {chart.key: chart for chart in response.context["charts"]}


@pytest.fixture
def data(lead):
    dsi = DirectionFactory(code="DSI", name="Numérique")
    adoption = Phase.objects.get(code="adoption")
    ProjectFactory.create_batch(3, nature="managerial", origin="administrative", directions=[dsi])
    ProjectFactory(nature="societal", origin="contest", phase=adoption)
    return dsi


def test_the_funnel_counts_active_projects_by_phase(client, dgs, data):
    ProjectFactory(status="stopped")
    client.force_login(dgs)
    chart = charts_of(client.get("/tableaux-de-bord/" + NOW))["phases"]
    assert chart.rows == [["Émergence", 3], ["Adoption", 1], ["Mise en œuvre", 0], ["Appropriation", 0]]
    assert chart.figure["data"][0]["x"] == [3, 1, 0, 0]


def test_nature_is_compared_with_the_national_53_47(client, dgs, data):
    client.force_login(dgs)
    chart = charts_of(client.get("/tableaux-de-bord/" + NOW))["nature"]
    assert chart.rows == [
        ["Managériale / organisationnelle", "75 %", "53 %"],
        ["Sociétale / servicielle", "25 %", "47 %"],
    ]


def test_origin_is_a_chart_of_its_own_without_a_national_overlay(client, dgs, data):
    """The national 78/60/40 % count the actors with a positive role in the adoption, not who initiated."""
    client.force_login(dgs)
    chart = charts_of(client.get("/tableaux-de-bord/" + NOW))["origin"]
    assert [row[1] for row in chart.rows] == [3, 0, 0, 1, 0]
    assert len(chart.figure["data"]) == 1
    assert "pas de comparaison nationale" in chart.note


def test_the_direction_filter_narrows_every_chart(client, dgs, data):
    client.force_login(dgs)
    charts = charts_of(client.get("/tableaux-de-bord/" + NOW + "&direction=DSI"))
    assert sum(row[1] for row in charts["phases"].rows) == 3
    assert charts["nature"].rows[0][1] == "100 %"


def test_phase_changes_are_counted_by_month(client, dgs, lead):
    project = ProjectFactory()
    today = timezone.localdate()
    GateDecision.objects.create(
        project=project,
        decision="go",
        from_phase=project.phase,
        to_phase=Phase.objects.get(code="adoption"),
        decided_by=dgs,
        decided_on=today,
        rationale="ok",
    )
    client.force_login(dgs)
    chart = charts_of(client.get("/tableaux-de-bord/" + NOW))["moves"]
    assert dict(chart.rows)[date_format(today, "N Y")] == 1
    assert sum(row[1] for row in chart.rows) == 1


def test_stalled_projects_follow_the_chosen_threshold(client, dgs, lead):
    long_ago = timezone.localdate() - datetime.timedelta(days=100)
    ProjectFactory(title="Endormi", phase_since=long_ago)
    ProjectFactory(title="Récent")
    client.force_login(dgs)
    assert [p.title for p in client.get("/tableaux-de-bord/" + NOW + "&seuil=90").context["stalled"]] == ["Endormi"]
    assert client.get("/tableaux-de-bord/" + NOW + "&seuil=120").context["stalled"] == []


def test_restricted_stalled_projects_are_counted_not_named_for_the_copil(client, copil, lead):
    ProjectFactory(
        title="Secret", visibility="restricted", phase_since=timezone.localdate() - datetime.timedelta(days=400)
    )
    client.force_login(copil)
    response = client.get("/tableaux-de-bord/" + NOW)
    assert response.context["stalled"] == [] and response.context["stalled_hidden"] == 1
    assert "Secret" not in response.content.decode()


def test_ideas_per_contest_and_their_conversion(client, dgs, lead):
    contest = ContestFactory(title="Concours 2025", state="published")
    project = ProjectFactory(origin="contest")
    IdeaFactory(contest=contest, status="selected", project=project)
    IdeaFactory(contest=contest, status="selected")
    IdeaFactory(contest=contest, status="not_retained")
    IdeaFactory(contest=contest, status="draft")
    client.force_login(dgs)
    chart = charts_of(client.get("/tableaux-de-bord/" + NOW))["contests"]
    assert chart.rows == [["Concours 2025", 3, 2, 1]]


def test_key_figures_compare_with_the_previous_quarter(dgs, lead):
    from portfolio.models import Project

    project = ProjectFactory()
    Project.objects.filter(pk=project.pk).update(created_at=timezone.make_aware(datetime.datetime(2026, 4, 2)))
    adoption = Phase.objects.get(code="adoption")
    for day in (datetime.date(2026, 8, 1), datetime.date(2026, 8, 2), datetime.date(2026, 5, 1)):
        GateDecision.objects.create(
            project=project,
            decision="go",
            from_phase=project.phase,
            to_phase=adoption,
            decided_by=dgs,
            decided_on=day,
            rationale="ok",
        )
    figures = {f["label"]: f for f in selectors.key_figures(selectors.Scope(Quarter(2026, 3)))}
    assert (figures["Passages de phase"]["value"], figures["Passages de phase"]["previous"]) == (2, 1)
    assert figures["Passages de phase"]["change"] == 1


def test_user_text_is_escaped_in_the_charts(client, dgs, lead):
    ProjectFactory(directions=[DirectionFactory(code="X", name="<script>alert(1)</script>")])
    ContestFactory(title="<b>Concours</b>", state="open")
    client.force_login(dgs)
    response = client.get("/tableaux-de-bord/" + NOW)
    figures = [chart.figure for chart in response.context["charts"]]
    serialised = str(figures)
    assert "<script>" not in serialised and "&lt;script&gt;" in serialised
    assert "<b>Concours" not in serialised
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_an_invalid_filter_is_reported_not_a_crash(client, dgs):
    client.force_login(dgs)
    response = client.get("/tableaux-de-bord/?trimestre=1999Q1&seuil=-3&direction=NOPE")
    assert response.status_code == 200
    assert "Certains filtres sont invalides" in response.content.decode()


def test_the_dashboard_loads_plotly_from_our_static_files(client, copil):
    client.force_login(copil)
    page = client.get("/tableaux-de-bord/" + NOW).content.decode()
    assert '<script src="/static/js/plotly-portal.min.js" defer></script>' in page
    assert "cdn" not in page.lower()
