"""The projects' exports: streamed, the same file as before streaming, bounded queries, same access."""

import csv
import datetime
import io
import tempfile
from decimal import Decimal

import pytest
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import load_workbook

from common.exports import csv_text
from portfolio import selectors
from portfolio.exports import HEADER
from portfolio.models import (
    Domain,
    FactorScore,
    Indicator,
    InnovationObject,
    Measurement,
    Project,
    SuccessFactor,
    Tag,
)
from tests.factories import DirectionFactory, ProjectFactory, UserFactory
from tests.helpers import openpyxl_workbook


def legacy_rows(projects):
    """The rows as the export built them before streaming: model instances, ``get_*_display()``."""
    projects = selectors.with_list_relations(projects).prefetch_related("objects_of_innovation")
    for p in projects:
        yield [
            p.pk,
            p.title,
            p.summary,
            p.get_nature_display(),
            ", ".join(o.label for o in p.objects_of_innovation.all()),
            p.domain or "",
            p.get_origin_display(),
            ", ".join(d.code for d in p.directions.all()),
            p.lead,
            p.phase.label,
            p.phase_since,
            p.get_status_display(),
            p.start_date,
            p.expected_end_date,
            p.estimated_cost,
            p.actual_cost,
            p.get_perimeter_display(),
            p.get_scope_display(),
            p.get_visibility_display(),
            p.description,
            p.expected_value,
            p.observed_results,
            p.lessons_learned,
            ", ".join(
                f"{u.first_name} {u.last_name}".strip() or u.username
                for u in p.team.order_by("last_name", "first_name", "pk")
            ),
            " ; ".join(_indicator_text(i) for i in p.indicators.order_by("pk")),
            " ; ".join(
                f"{s.factor.label} : {s.score}/5" for s in p.factor_scores.order_by("factor__order", "factor_id")
            ),
        ]


def _indicator_text(indicator):
    latest = indicator.measurements.order_by("-measured_on").first()
    value = f"{str(latest.value).replace('.', ',')} {indicator.unit}".strip() if latest else "—"
    return f"{indicator.name} : {value}"


def legacy_xlsx_values(projects):
    """The cell values openpyxl reads back from the workbook built before streaming, cell by cell."""
    workbook = openpyxl_workbook("Projets", HEADER, list(legacy_rows(projects)))
    return list(load_workbook(io.BytesIO(workbook)).active.iter_rows(values_only=True))


@pytest.fixture
def varied(lead, make_user):
    """Projects with what a spreadsheet gets wrong: formulas, accents, decimals, dates, several directions."""
    nameless = UserFactory(username="sans.nom", first_name="", last_name="")
    first = ProjectFactory(
        title='=HYPERLINK("http://evil")',
        summary='-1 ; « guillemets » et "doubles"\nsur deux lignes',
        lead=lead,
        nature=Project.Nature.SOCIETAL,
        origin=Project.Origin.CONTEST,
        domain=Domain.objects.create(name="Éducation, jeunesse"),
        directions=[DirectionFactory(code="DRH", name="Ressources humaines"), DirectionFactory(code="DSI", name="A")],
        start_date=datetime.date(2026, 3, 1),
        expected_end_date=datetime.date(2026, 12, 31),
        estimated_cost=Decimal("12500.50"),
        actual_cost=Decimal("0.05"),
        perimeter=Project.Perimeter.TERRITORY,
        scope=Project.Scope.GLOBAL,
        visibility=Project.Visibility.RESTRICTED,
        status=Project.Status.ON_HOLD,
    )
    first.objects_of_innovation.set(InnovationObject.objects.filter(code__in=["ntic", "services"]))
    first.tags.add(Tag.objects.get(name="Participation"))
    first.description = "=Décrit\nsur deux lignes"
    first.expected_value = "Moins d'attente"
    first.observed_results = "Attente divisée par deux"
    first.lessons_learned = "Associer les agents d'accueil"
    first.save()
    first.team.add(
        UserFactory(first_name="Zoé", last_name="Abel"), UserFactory(username="anonyme", first_name="", last_name="")
    )
    waiting = Indicator.objects.create(project=first, name="Attente", unit="min", baseline=25, target=10)
    Measurement.objects.create(indicator=waiting, measured_on=datetime.date(2026, 4, 1), value=Decimal("12.5"))
    Measurement.objects.create(indicator=waiting, measured_on=datetime.date(2026, 2, 1), value=20)
    Indicator.objects.create(project=first, name="Satisfaction", unit="%")
    for factor, score in zip(SuccessFactor.objects.order_by("order")[:2], [4, 2], strict=True):
        FactorScore.objects.create(project=first, factor=factor, score=score)
    ProjectFactory(title="Éclairage public à Saint-Étienne", summary="@SOMME(A1)", lead=nameless, nature="managerial")
    return first


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def table(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).lstrip("\ufeff")), delimiter=";"))


def test_the_csv_export_is_the_file_of_before_streaming_on_varied_projects(client, dgs, varied):
    client.force_login(dgs)
    response = client.get("/projets/export.csv")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="projets.csv"'
    expected = csv_text(HEADER, legacy_rows(Project.objects.all()))
    assert body(response) == expected
    # What the comparison covers: the oracle is not trivially empty.
    assert "'=HYPERLINK" in expected and "DSI, DRH" in expected and ";12500,50;0,05;" in expected
    assert ";01/03/2026;31/12/2026;" in expected and "'@SOMME(A1)" in expected and ";sans.nom;" in expected
    assert "Attente : 12,50 min ; Satisfaction : —" in expected and "/5 ; " in expected and "Zoé Abel" in expected


def test_the_new_columns_come_after_the_former_ones_in_csv_and_xlsx(client, dgs, varied):
    former = ["id", "titre", "résumé", "nature", "objets", "domaine", "origine", "directions", "chef de projet"]
    former += ["phase", "dans la phase depuis", "statut", "date de début", "date de fin prévue", "coût estimé"]
    former += ["coût réel", "périmètre", "ampleur", "visibilité"]
    added = ["description", "valeur attendue", "résultats observés", "enseignements", "équipe"]
    added += ["indicateurs (dernière valeur)", "facteurs de succès"]
    client.force_login(dgs)
    rows = table(client.get(f"/projets/export.csv?q={varied.title_folded[:5]}"))
    assert rows[0] == former + added
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["description"] == "'=Décrit\nsur deux lignes"
    assert (row["valeur attendue"], row["enseignements"]) == ("Moins d'attente", "Associer les agents d'accueil")
    assert row["résultats observés"] == "Attente divisée par deux"
    assert row["équipe"] == "anonyme, Zoé Abel"
    assert row["indicateurs (dernière valeur)"] == "Attente : 12,50 min ; Satisfaction : —"
    assert row["facteurs de succès"].count("/5") == 2
    sheet = load_workbook(io.BytesIO(client.get("/projets/export.xlsx").getvalue())).active
    header = [cell.value for cell in sheet[1]]
    assert header == former + added


def test_the_xlsx_export_has_the_cells_of_before_streaming(client, dgs, varied):
    client.force_login(dgs)
    response = client.get("/projets/export.xlsx")
    assert isinstance(response, FileResponse)
    assert response["Content-Disposition"] == 'attachment; filename="projets.xlsx"'
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows == legacy_xlsx_values(Project.objects.all())
    assert len(rows) == 3 and rows[2][1] == '\'=HYPERLINK("http://evil")' and rows[2][14] == 12500.5


def test_the_temporary_file_of_an_xlsx_export_is_closed_once_sent(client, dgs, varied, monkeypatch):
    created, original = [], tempfile.TemporaryFile

    def temporary_file():
        created.append(original())
        return created[-1]

    monkeypatch.setattr("common.exports.tempfile.TemporaryFile", temporary_file)
    client.force_login(dgs)
    response = client.get("/projets/export.xlsx")
    assert not created[0].closed
    b"".join(response.streaming_content)
    assert created[0].closed  # an anonymous temporary file (no name on disk): closing it frees it


def test_the_csv_export_keeps_the_filters(client, dgs, varied):
    client.force_login(dgs)
    rows = table(client.get("/projets/export.csv?nature=societal&direction=DSI"))
    assert len(rows) == 2 and rows[1][0] == str(varied.pk)
    assert len(table(client.get("/projets/export.csv?objet=ntic&objet=services"))) == 2


def _projects(count: int, lead) -> None:
    directions = [DirectionFactory(), DirectionFactory()]
    objects = list(InnovationObject.objects.all()[:2])
    for index in range(count):
        project = ProjectFactory(lead=lead if index % 2 else UserFactory(), directions=directions)
        project.objects_of_innovation.set(objects)
        project.team.add(lead)
        indicator = Indicator.objects.create(project=project, name="Délai")
        Measurement.objects.create(indicator=indicator, measured_on=datetime.date(2026, 1, 1), value=index)
        FactorScore.objects.create(project=project, factor=SuccessFactor.objects.first(), score=3)


@pytest.mark.parametrize("url", ["/projets/export.csv", "/projets/export.xlsx"])
def test_an_export_makes_as_many_queries_for_200_projects_as_for_10(
    client, dgs, lead, url, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _projects(10, lead)
    client.force_login(dgs)
    with CaptureQueriesContext(connection) as small:
        b"".join(client.get(url).streaming_content)
    _projects(190, lead)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
        content = b"".join(response.streaming_content)
    if url.endswith(".csv"):
        assert content.decode("utf-8").count("\r\n") == 201
    else:
        assert load_workbook(io.BytesIO(content)).active.max_row == 201


def test_a_stranger_exports_neither_restricted_projects_nor_in_xlsx(client, restricted, project, stranger):
    client.force_login(stranger)
    sheet = load_workbook(io.BytesIO(client.get("/projets/export.xlsx").getvalue())).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["Guichet unique"]
    assert "Projet confidentiel" not in client.get("/projets/export.csv").getvalue().decode("utf-8-sig")


@pytest.mark.parametrize("url", ["/projets/export.csv", "/projets/export.xlsx"])
def test_an_anonymous_visitor_is_sent_to_the_login_page_not_given_an_export(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/comptes/connexion/")
