"""The board, the list (first and last page) and the dashboard: as many queries and a bounded page, whatever
the number of projects. The benchmark bench/pages.py measures the same pages at 1,000 and 100,000 projects."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.data import load_projects
from portfolio.models import Phase, Project
from portfolio.selectors import BOARD_CARDS
from tests.factories import DirectionFactory, ProjectFactory

PAGES = {
    "board": "/projets/tableau/",
    "list": "/projets/",
    "last page": "/projets/?page=999999",
    "filtered list": "/projets/?statut=active&tri=titre",
    "dashboard": "/tableaux-de-bord/?seuil=30",
}
MAX_HTML = 300_000


def measure(client) -> dict[str, tuple[int, int]]:
    """(queries, bytes of HTML) of each page."""
    sizes = {}
    for name, url in PAGES.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        sizes[name] = (len(queries), len(response.content))
    return sizes


@pytest.mark.parametrize("user_fixture", ["dgs", "copil"])
def test_the_pages_read_as_many_queries_and_stay_small_at_10_or_300_projects(client, db, request, user_fixture):
    user = request.getfixturevalue(user_fixture)
    request.getfixturevalue("dgs")  # the loader's decision maker
    DirectionFactory(code="DSI")
    client.force_login(user)
    load_projects(10)
    few = measure(client)
    load_projects(290, seed=8)
    many = measure(client)
    for name in PAGES:
        assert many[name][0] == few[name][0], f"{name}: {few[name][0]} queries at 10 projects, {many[name][0]} at 300"
        assert many[name][1] < MAX_HTML, name


def test_the_board_shows_the_last_moved_cards_of_each_phase_and_their_count(client, dgs, lead):
    adoption = Phase.objects.get(code="adoption")
    for day in range(1, BOARD_CARDS + 6):
        ProjectFactory(title=f"Adopté {day:02d}", lead=lead, phase=adoption, phase_since=f"2026-03-{day:02d}")
    ProjectFactory(title="Ailleurs", lead=lead)
    client.force_login(dgs)
    response = client.get("/projets/tableau/?nature=managerial&phase=adoption&phase=emergence")
    columns = {column.phase.code: (column, query) for column, query in response.context["columns"]}
    column, query = columns["adoption"]
    managerial = Project.objects.filter(phase=adoption, nature="managerial").count()
    assert column.count == managerial
    assert len(column.projects) == min(managerial, BOARD_CARDS)
    dates = [p.phase_since for p in column.projects]
    assert dates == sorted(dates, reverse=True)
    assert query == "nature=managerial&phase=adoption"
    assert 'href="/projets/?nature=managerial&amp;phase=adoption"' in response.content.decode()


def test_the_board_links_each_phase_to_the_list_of_its_projects(client, dgs, lead):
    adoption = Phase.objects.get(code="adoption")
    for day in range(1, BOARD_CARDS + 6):
        ProjectFactory(title=f"Adopté {day:02d}", lead=lead, phase=adoption, phase_since=f"2026-03-{day:02d}")
    client.force_login(dgs)
    page = client.get("/projets/tableau/").content.decode()
    assert len(re.findall(r'class="card"', page)) == BOARD_CARDS
    assert "Adopté 25" in page and "Adopté 01" not in page
    assert f"Voir les {BOARD_CARDS + 5} projets en Adoption dans la liste" in page
    listed = client.get("/projets/?phase=adoption")
    assert listed.context["page"].paginator.count == BOARD_CARDS + 5


def test_the_lead_filter_offers_the_leads_of_visible_projects_only(client, agent, lead, make_user):
    hidden = make_user(username="discrete", last_name="Discrète")
    ProjectFactory(lead=lead, title="Ouvert")
    ProjectFactory(lead=hidden, title="Secret", visibility="restricted")
    client.force_login(agent)
    choices = list(client.get("/projets/").context["filter"].form.fields["chef"].queryset)
    assert choices == [lead]
