"""The list: filters with bookmarkable URLs, sorting, pagination, exports, bounded queries."""

import io

import pytest
from django.db import connection
from openpyxl import load_workbook

from accounts.models import Direction
from portfolio.models import Phase, Project
from tests.factories import DirectionFactory, ProjectFactory


@pytest.fixture
def portfolio_rows(lead):
    dsi, drh = DirectionFactory(code="DSI"), DirectionFactory(code="DRH")
    adoption = Phase.objects.get(code="adoption")
    ProjectFactory(
        title="Portail famille",
        nature="societal",
        lead=lead,
        directions=[dsi],
        description="Inscriptions à la cantine en ligne.",
    )
    ProjectFactory(title="Charte managériale", nature="managerial", lead=lead, directions=[drh], phase=adoption)
    ProjectFactory(
        title="Entrepôt de données", nature="managerial", lead=lead, directions=[dsi], phase=adoption, status="on_hold"
    )


def titles(response) -> list[str]:
    return [project.title for project in response.context["page"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Charte managériale", "Entrepôt de données", "Portail famille"]),
        ("phase=adoption", ["Charte managériale", "Entrepôt de données"]),
        ("phase=adoption&phase=emergence", ["Charte managériale", "Entrepôt de données", "Portail famille"]),
        ("nature=societal", ["Portail famille"]),
        ("direction=DSI", ["Entrepôt de données", "Portail famille"]),
        ("statut=on_hold", ["Entrepôt de données"]),
        ("q=cantine", ["Portail famille"]),
        ("q=PORTAIL+famille", ["Portail famille"]),
        ("phase=adoption&direction=DRH", ["Charte managériale"]),
    ],
)
def test_filters_narrow_the_list(client, dgs, portfolio_rows, query, expected):
    client.force_login(dgs)
    response = client.get(f"/projets/?{query}&tri=titre")
    assert titles(response) == expected


def test_sorting_reverses_and_is_announced(client, dgs, portfolio_rows):
    client.force_login(dgs)
    response = client.get("/projets/?tri=-titre")
    assert titles(response) == ["Portail famille", "Entrepôt de données", "Charte managériale"]
    assert 'aria-sort="descending"' in response.content.decode()


def test_an_invalid_filter_is_reported_not_a_crash(client, dgs, portfolio_rows):
    client.force_login(dgs)
    response = client.get("/projets/?debut_apres=pas-une-date&phase=inconnue")
    assert response.status_code == 200
    assert "Certains filtres sont invalides" in response.content.decode()


def test_an_empty_result_says_so(client, dgs, portfolio_rows):
    client.force_login(dgs)
    assert "Aucun projet ne correspond à ces filtres." in client.get("/projets/?q=introuvable").content.decode()


def test_the_list_is_paginated_and_keeps_the_filters(client, dgs, lead):
    ProjectFactory.create_batch(30, lead=lead, nature="societal")
    client.force_login(dgs)
    first = client.get("/projets/?nature=societal")
    assert len(first.context["page"]) == 25
    assert "?nature=societal&amp;page=2" in first.content.decode()
    assert len(client.get("/projets/?nature=societal&page=2").context["page"]) == 5
    assert len(client.get("/projets/?nature=societal&page=99").context["page"]) == 5


def _many_projects(count: int, lead) -> None:
    direction = Direction.objects.first() or DirectionFactory()
    phase = Phase.objects.first()
    projects = Project.objects.bulk_create(
        Project(
            title=f"P{i}",
            summary="s",
            nature="managerial",
            origin="agents",
            lead=lead,
            created_by=lead,
            phase=phase,
            phase_since="2026-01-01",
        )
        for i in range(count)
    )
    Project.directions.through.objects.bulk_create(
        Project.directions.through(project=p, direction=direction) for p in projects
    )


@pytest.mark.parametrize("user_fixture", ["dgs", "stranger"])
def test_the_list_makes_as_many_queries_for_1000_projects_as_for_10(
    client, lead, request, django_assert_num_queries, user_fixture
):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    _many_projects(10, lead)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get("/projets/?nature=managerial")
    _many_projects(990, lead)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get("/projets/?nature=managerial")
    assert response.context["page"].paginator.count == 1000


def test_csv_export_follows_the_filters_and_neutralises_formulas(client, dgs, lead):
    ProjectFactory(title='=HYPERLINK("http://evil")', lead=lead, summary="+33 1 23", nature="societal")
    ProjectFactory(title="Autre", lead=lead, nature="managerial")
    client.force_login(dgs)
    response = client.get("/projets/export.csv?nature=societal")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.getvalue().decode("utf-8")
    assert body.startswith("\ufeffid;titre;")
    lines = body.lstrip("\ufeff").splitlines()
    assert len(lines) == 2
    assert ";'=HYPERLINK" in lines[1] or "\"'=HYPERLINK" in lines[1]
    assert "'+33 1 23" in lines[1]
    assert "Autre" not in body


def test_xlsx_export_follows_the_filters_and_neutralises_formulas(client, dgs, lead):
    ProjectFactory(title="@SUM(A1:A2)", lead=lead, nature="societal")
    ProjectFactory(title="Autre", lead=lead, nature="managerial")
    client.force_login(dgs)
    response = client.get("/projets/export.xlsx?nature=societal")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("id", "titre")
    assert len(rows) == 2
    assert rows[1][1] == "'@SUM(A1:A2)"


def test_the_board_groups_projects_by_phase(client, dgs, portfolio_rows):
    client.force_login(dgs)
    columns = client.get("/projets/tableau/").context["columns"]
    by_code = {column.phase.code: [p.title for p in column.projects] for column, _query in columns}
    assert by_code["adoption"] == ["Charte managériale", "Entrepôt de données"]
    assert by_code["emergence"] == ["Portail famille"]
    assert by_code["appropriation"] == []


def test_my_projects_lists_those_i_lead_co_lead_or_work_on(client, lead, make_user):
    me = make_user(username="moi")
    led = ProjectFactory(lead=me, title="Je pilote")
    co = ProjectFactory(lead=lead, title="Je copilote")
    co.co_leads.add(me)
    team = ProjectFactory(lead=lead, title="Dans l'équipe")
    team.team.add(me)
    ProjectFactory(lead=lead, title="Pas le mien")
    client.force_login(me)
    assert sorted(titles(client.get("/projets/mes-projets/"))) == sorted([led.title, co.title, team.title])


def test_objects_and_tags_filter_the_list(client, dgs, lead):
    from portfolio.models import InnovationObject, Tag

    ntic = InnovationObject.objects.get(code="ntic")
    tag = Tag.objects.get(name="Participation")
    digital = ProjectFactory(title="Numérique", lead=lead)
    digital.objects_of_innovation.add(ntic, InnovationObject.objects.get(code="services"))
    digital.tags.add(tag)
    ProjectFactory(title="Autre", lead=lead)
    client.force_login(dgs)
    assert titles(client.get("/projets/?objet=ntic&objet=services")) == ["Numérique"]
    assert titles(client.get(f"/projets/?etiquette={tag.pk}")) == ["Numérique"]


def test_exports_use_french_numbers_and_dates(client, dgs, lead):
    import datetime

    ProjectFactory(title="Coûteux", lead=lead, estimated_cost="12500.50", start_date=datetime.date(2026, 3, 1))
    client.force_login(dgs)
    body = client.get("/projets/export.csv").getvalue().decode("utf-8-sig")
    assert ";12500,50;" in body and ";01/03/2026;" in body
    sheet = load_workbook(io.BytesIO(client.get("/projets/export.xlsx").getvalue())).active
    assert sheet.freeze_panes == "A2"
    row = list(sheet.iter_rows(min_row=2, max_row=2))[0]
    start = row[12]
    assert start.value == datetime.datetime(2026, 3, 1) and start.number_format == "DD/MM/YYYY"


def test_the_search_ignores_accents_and_case(client, dgs, lead):
    ProjectFactory(title="Éclairage public intelligent", lead=lead)
    ProjectFactory(title="Guichet unique", lead=lead, description="Un accueil réorganisé")
    client.force_login(dgs)
    assert titles(client.get("/projets/?q=eclairage")) == ["Éclairage public intelligent"]
    assert titles(client.get("/projets/?q=REORGANISE")) == ["Guichet unique"]


def test_the_search_text_follows_an_edit(lead):
    from portfolio.services import project_update

    project = ProjectFactory(title="Ancien titre", lead=lead)
    project_update(project=project, data={"title": "Forêt urbaine"})
    assert Project.objects.filter(search_text__contains="foret urbaine").exists()


FRENCH_TITLES = [
    "Éclairage public",
    "écoles numériques",
    "Lot 2 voirie",
    "Lot 10 voirie",
    "Œuvres d'art",
    "Réseau de chaleur",
]


def test_sorting_by_title_follows_french_order_accents_and_case_aside(client, dgs):
    for title in reversed(FRENCH_TITLES):
        ProjectFactory(title=title)
    client.force_login(dgs)
    shown = titles(client.get("/projets/?tri=titre"))
    assert shown.index("Éclairage public") < shown.index("Réseau de chaleur")
    assert shown.index("écoles numériques") < shown.index("Lot 2 voirie") < shown.index("Réseau de chaleur")
    if connection.vendor == "postgresql":  # the ICU collation; SQLite's folded copy keeps "œ" after "z"
        assert shown.index("Œuvres d'art") < shown.index("Réseau de chaleur")
        assert shown.index("Lot 2 voirie") < shown.index("Lot 10 voirie")
    descending = titles(client.get("/projets/?tri=-titre"))
    assert descending.index("Réseau de chaleur") < descending.index("Éclairage public")


def test_the_export_follows_the_french_title_order(client, dgs):
    for title in ["Réseau de chaleur", "Éclairage public"]:
        ProjectFactory(title=title)
    client.force_login(dgs)
    body = b"".join(client.get("/projets/export.csv?tri=titre").streaming_content).decode("utf-8-sig")
    assert body.index("Éclairage public") < body.index("Réseau de chaleur")
