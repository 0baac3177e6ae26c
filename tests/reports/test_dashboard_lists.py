"""The dashboard's stalled block: near the key figures, its first rows, its total and a link to the list."""

import datetime

from django.utils import timezone

from portfolio.models import Project
from reports.quarters import Quarter
from tests.factories import DirectionFactory, ProjectFactory

CURRENT = Quarter.containing(timezone.localdate())
NOW = f"/tableaux-de-bord/?trimestre={CURRENT.code}&seuil=1"


def test_a_long_stalled_list_shows_10_rows_its_total_and_a_link_to_the_filtered_list(client, dgs, lead):
    ProjectFactory.create_batch(53, lead=lead, phase_since="2025-01-01")
    client.force_login(dgs)
    response = client.get(NOW)
    page = response.content.decode()
    assert len(response.context["stalled"]) == 10
    assert response.context["stalled_count"] == 53
    assert "Les 10 premiers sont listés." in page
    assert '<a href="/projets/?sans_mouvement=1">Voir les 53 projets sans mouvement</a>' in page
    assert client.get("/projets/?sans_mouvement=1").context["page"].paginator.count == 53


def test_the_stalled_block_comes_right_after_the_key_figures(client, dgs, lead):
    ProjectFactory(lead=lead, phase_since="2025-01-01")
    client.force_login(dgs)
    page = client.get(NOW).content.decode()
    assert page.index('id="key-figures"') < page.index('id="stalled-title"') < page.index('id="survey-title"')
    assert page.index('id="stalled-title"') < page.index('class="chart')


def test_the_link_keeps_the_direction_of_the_dashboard(client, dgs, lead):
    dsi = DirectionFactory(code="DSI")
    ProjectFactory(lead=lead, phase_since="2025-01-01", directions=[dsi])
    client.force_login(dgs)
    page = client.get(NOW + "&direction=DSI").content.decode()
    assert "/projets/?sans_mouvement=1&amp;direction=DSI" in page


def test_a_past_dashboard_says_its_link_lists_todays_projects(client, dgs, lead):
    past = CURRENT.previous()
    project = ProjectFactory(lead=lead, phase_since=past.start - datetime.timedelta(days=30))
    created = timezone.make_aware(datetime.datetime.combine(past.start, datetime.time(9)))
    Project.objects.filter(pk=project.pk).update(created_at=created)
    client.force_login(dgs)
    page = client.get(f"/tableaux-de-bord/?trimestre={past.code}&seuil=1").content.decode()
    assert "Voir les projets sans mouvement aujourd'hui" in page
    assert f"pas celle du {past.end:%d/%m/%Y}" in page
    assert "Voir les 1 projets" not in page


def test_no_link_without_stalled_projects(client, dgs, lead):
    ProjectFactory.create_batch(3, lead=lead)
    client.force_login(dgs)
    page = client.get(NOW).content.decode()
    assert "Aucun projet sans mouvement." in page
    assert "sans_mouvement=" not in page
