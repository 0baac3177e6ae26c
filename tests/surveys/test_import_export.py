"""Responses in and out as CSV and XLSX: every row checked, errors by line and column, all or nothing."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from surveys.imports import responses_import
from surveys.models import Answer, Campaign, Response
from surveys.selectors import questionnaire_structure
from tests.surveys.builders import add_responses, page_text

REQUIRED = {"A1": "commune", "A2": "directeur", "B1": "managerial", "B2": "organisation", "C1": "administratif"}


def csv_bytes(rows: list[dict], delimiter: str = ",") -> bytes:
    header = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, delimiter=delimiter, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def national_sample() -> list[dict]:
    """311 respondents in the proportions the study published: 53/47 on B1, 78/60/40 on C1, half complete."""
    rows = []
    for i in range(311):
        actors = [
            code
            for code, chosen in (("administratif", i < 243), ("politique", i >= 124), ("agents", i < 124))
            if chosen
        ]
        rows.append(
            {
                "statut": "complete" if i < 156 else "partielle",
                "A1": "commune" if i % 3 else "epci",
                "A2": "directeur",
                "B1": "managerial" if i < 165 else "societal",
                "B2": "organisation;services" if i % 2 else "organisation",
                "C1": ";".join(actors),
                "D1": str(1 + i % 5),
            }
        )
    return rows


def test_311_respondents_imported_show_exactly_the_national_proportions(client, dgs, campaign, tmp_path):
    path = tmp_path / "enquete-nationale.csv"
    path.write_bytes(csv_bytes(national_sample()))
    call_command("import_responses", campaign.slug, str(path), stdout=io.StringIO())

    client.force_login(dgs)
    response = client.get(reverse("surveys:results", args=[campaign.slug]))
    results = response.context["results"]
    assert (results.total, results.complete, results.complete_percent) == (311, 156, 50)
    by_code = {r.question.code: r for s in results.sections for r in s.questions}
    b1 = {row.code: (row.count, round(row.percent)) for row in by_code["B1"].rows}
    assert b1 == {"managerial": (165, 53), "societal": (146, 47)}
    c1 = {row.code: (row.count, round(row.percent)) for row in by_code["C1"].rows}
    assert c1 == {"administratif": (243, 78), "politique": (187, 60), "agents": (124, 40), "partenaires": (0, 0)}
    for row in by_code["B1"].rows + by_code["C1"].rows[:3]:
        assert round(row.percent) == int(row.national.percent)  # the collectivité matches the study, to the unit
    page = page_text(response)
    assert "311 répondants dans cette sélection" in page and "50 % de réponses complètes." in page

    table = list(
        csv.reader(io.StringIO(client.get(f"/enquetes/{campaign.slug}/resultats.csv").content.decode("utf-8-sig")))
    )
    assert ["B1", "managerial", "165", "53.05", "53", "311", ""] in table
    assert ["B1", "societal", "146", "46.95", "47", "311", ""] in table
    assert ["C1", "administratif", "243", "78.14", "78", "311", ""] in table
    assert ["C1", "politique", "187", "60.13", "60", "311", ""] in table
    assert ["C1", "agents", "124", "39.87", "40", "311", ""] in table


def test_every_wrong_cell_is_reported_by_line_and_column_and_nothing_is_imported(campaign, structure):
    rows = [
        {**REQUIRED},
        {**REQUIRED, "B1": "hybride"},
        {**REQUIRED, "D1": "7"},
        {**REQUIRED, "statut": "complete", "A2": ""},
        {**REQUIRED, "E1": "non", "E2": "notable"},
        {**REQUIRED, "statut": "peut-être", "A4": "beaucoup"},
        {**REQUIRED, "B1": "managerial;societal"},
    ]
    report = responses_import(campaign=campaign, structure=structure, data=csv_bytes(rows))
    assert report.created == 0
    found = {(error.line, error.column): error.message for error in report.errors}
    assert set(found) == {(3, "B1"), (4, "D1"), (5, "A2"), (6, "E2"), (7, "statut"), (7, "A4"), (8, "B1")}
    assert found[(3, "B1")].startswith(
        "Question B1 (« Nature de l'innovation ») : « hybride » n'est pas un choix proposé"
    )
    assert "la note doit être un entier de 1 à 5 (reçu : « 7 »)" in found[(4, "D1")]
    assert found[(5, "A2")] == "Question A2 (« Votre fonction ») : une réponse est obligatoire."
    assert "ne s'applique que si la réponse à E1 est « oui »" in found[(6, "E2")]
    assert "un seul choix est possible" in found[(8, "B1")]
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_a_partial_row_may_leave_required_questions_empty(campaign, structure):
    report = responses_import(
        campaign=campaign, structure=structure, data=csv_bytes([{"statut": "partielle", "A1": "sdis"}])
    )
    assert report.errors == [] and report.created == 1
    assert Response.objects.get().status == Response.Status.IN_PROGRESS


def test_an_unknown_column_is_refused(campaign, structure):
    report = responses_import(campaign=campaign, structure=structure, data=csv_bytes([{**REQUIRED, "Z9": "x"}]))
    assert [(e.line, e.column) for e in report.errors] == [(1, "Z9")]
    assert "colonne inconnue" in report.errors[0].message


@pytest.mark.parametrize(
    ("data", "message"), [(b"", "Le fichier est vide."), (b"PK\x03\x04garbage", "ni un CSV ni un classeur XLSX")]
)
def test_an_unreadable_file_is_refused(campaign, structure, data, message):
    report = responses_import(campaign=campaign, structure=structure, data=data)
    assert report.created == 0 and message in report.errors[0].message


def test_a_semicolon_separated_file_in_windows_encoding_is_read(campaign, structure):
    data = "A1;A2;B1;B2;C1;B4\r\ncommune;dgs;managerial;organisation;politique;Démarches simplifiées\r\n".encode(
        "cp1252"
    )
    report = responses_import(campaign=campaign, structure=structure, data=data)
    assert report.errors == [] and report.created == 1
    assert Answer.objects.get(question__code="B4").text == "Démarches simplifiées"


def test_an_xlsx_file_is_imported(campaign, structure):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["A1", "A2", "B1", "B2", "C1", "D1", "A4"])
    sheet.append(["epci", "dga", "societal", "ntic;services", "agents", 4, 350])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = responses_import(campaign=campaign, structure=structure, data=buffer.getvalue())
    assert report.errors == [] and report.created == 1
    answers = dict(Answer.objects.filter(number__isnull=False).values_list("question__code", "number"))
    assert answers == {"D1": 4, "A4": 350}
    assert sorted(Answer.objects.filter(question__code="B2").values_list("choice__code", flat=True)) == [
        "ntic",
        "services",
    ]


def test_the_command_reports_errors_and_fails(campaign, tmp_path):
    path = tmp_path / "faux.csv"
    path.write_bytes(csv_bytes([{**REQUIRED, "D1": "9"}]))
    errors = io.StringIO()
    with pytest.raises(CommandError, match="Rien n'a été importé : 1 erreur"):
        call_command("import_responses", campaign.slug, str(path), stderr=errors)
    assert "Ligne 2, colonne D1 : Question D1" in errors.getvalue()


def test_the_command_refuses_an_unknown_campaign_or_file(campaign, tmp_path):
    with pytest.raises(CommandError, match="Aucune campagne"):
        call_command("import_responses", "inconnue", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="Fichier illisible"):
        call_command("import_responses", campaign.slug, str(tmp_path / "absent.csv"))


def test_the_upload_page_imports_a_file(client, dgs, campaign):
    client.force_login(dgs)
    upload = io.BytesIO(csv_bytes([REQUIRED, REQUIRED]))
    upload.name = "reponses.csv"
    response = client.post(reverse("surveys:import", args=[campaign.slug]), {"file": upload}, follow=True)
    assert "2 réponses importées." in page_text(response)
    assert Response.objects.filter(campaign=campaign, origin=Response.Origin.IMPORT).count() == 2


def test_the_upload_page_lists_the_errors_and_imports_nothing(client, dgs, campaign):
    client.force_login(dgs)
    upload = io.BytesIO(csv_bytes([REQUIRED, {**REQUIRED, "C1": "administratif;inconnu"}]))
    upload.name = "reponses.csv"
    response = client.post(reverse("surveys:import", args=[campaign.slug]), {"file": upload})
    page = page_text(response)
    assert response.status_code == 200
    assert "Rien n'a été importé : 1 erreur" in page
    assert "<td>3</td><td>C1</td>" in page
    assert not Response.objects.exists()


def test_the_upload_page_requires_a_file(client, dgs, campaign):
    client.force_login(dgs)
    response = client.post(reverse("surveys:import", args=[campaign.slug]), {})
    assert response.status_code == 200 and "Ce champ est obligatoire." in page_text(response)


def test_responses_export_as_csv_one_row_per_respondent_and_import_back(client, dgs, campaign, questionnaire):
    add_responses(campaign, 2, {"B2": ["services", "organisation"], "D1": 3, "B4": "=1+1"})
    add_responses(campaign, 1, {"A1": "sdis"}, complete=False)
    client.force_login(dgs)
    response = client.get(reverse("surveys:responses_csv", args=[campaign.slug]))
    body = response.getvalue().decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(body), delimiter=";"))
    header = table[0]
    assert header[:6] == ["statut", "A1", "A2", "A3", "A4", "B1"]
    assert len(table) == 4
    first = dict(zip(header, table[1], strict=True))
    assert first["B2"] == "organisation;services" and first["D1"] == "3" and first["B4"] == "'=1+1"
    assert dict(zip(header, table[3], strict=True))["statut"] == "partielle"
    assert not any("@" in cell for row in table for cell in row), "no identity in the export"

    copy = Campaign.objects.create(
        questionnaire=questionnaire, title="Copie", slug="copie", status=Campaign.Status.CLOSED, created_by=dgs
    )
    body = body.replace("'=1+1", "Guichet")
    report = responses_import(campaign=copy, structure=questionnaire_structure(questionnaire), data=body.encode())
    assert report.errors == [] and report.created == 3
    assert (
        Answer.objects.filter(response__campaign=copy).count()
        == Answer.objects.filter(response__campaign=campaign).count()
    )


def test_responses_export_as_xlsx(client, dgs, campaign):
    add_responses(campaign, 2, {"B2": ["ntic", "services"], "A4": 120})
    client.force_login(dgs)
    response = client.get(reverse("surveys:responses_xlsx", args=[campaign.slug]))
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert len(rows) == 3 and first["statut"] == "complete"
    assert first["B2"] == "services;ntic" and first["A4"] == 120


def test_a_campaign_export_imported_back_or_a_file_imported_twice_is_refused(client, dgs, campaign, questionnaire):
    from surveys.models import Response

    add_responses(campaign, 2, {"A1": "commune"})
    client.force_login(dgs)
    export = client.get(reverse("surveys:responses_csv", args=[campaign.slug])).getvalue()
    report = responses_import(campaign=campaign, structure=questionnaire_structure(questionnaire), data=export)
    assert report.created == 0
    assert "export de cette campagne" in str(report.errors[0])
    assert Response.objects.filter(campaign=campaign).count() == 2

    copy = Campaign.objects.create(
        questionnaire=questionnaire, title="Copie", slug="copie", status=Campaign.Status.CLOSED, created_by=dgs
    )
    first = responses_import(campaign=copy, structure=questionnaire_structure(questionnaire), data=export)
    again = responses_import(campaign=copy, structure=questionnaire_structure(questionnaire), data=export)
    assert first.created == 2 and again.created == 0
    assert "déjà été importé dans cette campagne" in str(again.errors[0])
    assert Response.objects.filter(campaign=copy).count() == 2


def test_an_empty_status_on_an_incomplete_row_is_an_error_by_line(campaign, questionnaire):
    questionnaire.questions.filter(code="E2").update(required=True)  # required when it applies (E1 = oui)
    structure = questionnaire_structure(questionnaire)
    rows = [
        {**REQUIRED, "statut": ""},
        {"statut": "", "A1": "commune", "D1": "3"},
        {**REQUIRED, "statut": "", "E1": "oui"},
    ]
    report = responses_import(campaign=campaign, structure=structure, data=csv_bytes(rows))
    assert report.created == 0
    assert [(e.line, e.column) for e in report.errors] == [(3, "statut"), (4, "statut")]
    assert report.errors[0].message == (
        "statut vide sur une ligne incomplète (questions obligatoires sans réponse : A2, B1, B2, C1) : "
        "indiquez partielle, ou complétez la ligne."
    )
    assert "sans réponse : E2)" in report.errors[1].message  # E2 is required once E1 is « oui »
    assert not Response.objects.exists()


def test_an_unknown_status_is_an_error_by_line_even_on_a_complete_row(campaign, structure):
    report = responses_import(
        campaign=campaign, structure=structure, data=csv_bytes([{**REQUIRED, "statut": "validée"}])
    )
    assert report.created == 0
    assert [str(e) for e in report.errors] == [
        "Ligne 2, colonne statut : « validée » n'est pas un statut : indiquez complete ou partielle."
    ]


def test_rows_complete_by_the_questionnaire_rule_need_no_status(campaign, questionnaire):
    questionnaire.questions.filter(code="E2").update(required=True)
    structure = questionnaire_structure(questionnaire)
    rows = [
        {**REQUIRED, "statut": ""},
        {**REQUIRED, "statut": "", "E1": "oui", "E2": "notable"},
        {"statut": "partielle", "A1": "sdis"},
    ]
    report = responses_import(campaign=campaign, structure=structure, data=csv_bytes(rows))
    assert report.errors == [] and report.created == 3
    statuses = sorted(Response.objects.values_list("status", flat=True))
    assert statuses == [Response.Status.IN_PROGRESS, Response.Status.SUBMITTED, Response.Status.SUBMITTED]


def test_a_file_without_status_column_and_mostly_empty_rows_is_refused(campaign, structure):
    rows = [{"A1": "commune", "A2": "", "B1": "", "B2": "", "C1": "", "D1": str(1 + i % 5)} for i in range(311)]
    report = responses_import(campaign=campaign, structure=structure, data=csv_bytes(rows))
    assert report.created == 0 and len(report.errors) == 311
    assert {e.column for e in report.errors} == {"statut"}
    assert report.errors[-1].line == 312
    assert not Response.objects.exists()


@pytest.fixture
def draft(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.DRAFT, opened_at=None)
    campaign.refresh_from_db()
    return campaign


def test_the_command_refuses_a_campaign_in_preparation(draft, tmp_path):
    path = tmp_path / "reponses.csv"
    path.write_bytes(csv_bytes([REQUIRED]))
    with pytest.raises(CommandError, match="est en préparation : ouvrez-la avant d'importer des réponses"):
        call_command("import_responses", draft.slug, str(path), stdout=io.StringIO())
    assert not Response.objects.exists()


def test_the_upload_page_refuses_a_campaign_in_preparation_with_a_form_error(client, dgs, draft):
    client.force_login(dgs)
    page = page_text(client.get(reverse("surveys:import", args=[draft.slug])))
    assert "Cette campagne est en préparation : ouvrez-la avant d'importer des réponses." in page
    upload = io.BytesIO(csv_bytes([REQUIRED]))
    upload.name = "reponses.csv"
    response = client.post(reverse("surveys:import", args=[draft.slug]), {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "La campagne « Enquête des cadres 2026 » est en préparation : ouvrez-la avant d'importer des réponses. "
        "Rien n'a été importé."
    ]
    assert 'role="alert"' in page_text(response)
    assert not Response.objects.exists()


def test_a_closed_campaign_still_accepts_an_import(campaign, structure):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    campaign.refresh_from_db()
    report = responses_import(campaign=campaign, structure=structure, data=csv_bytes([REQUIRED]))
    assert report.errors == [] and report.created == 1


def test_a_file_with_headers_only_is_an_error_not_zero_imports(campaign, structure):
    from surveys.imports import responses_import

    report = responses_import(campaign=campaign, structure=structure, data=b"A1;A2;statut\n")
    assert report.created == 0
    assert [error.message for error in report.errors] == [
        "Le fichier ne contient aucune réponse : rien n'a été importé."
    ]


# Streamed exports: the same file, its fingerprint taken on the way -----------------------------


def legacy_responses_rows(campaign, structure):
    """The rows as the export built them before streaming: codes joined per answer, one cell per question."""
    from surveys.models import Question

    choice_order = {c.pk: c.order for q in structure.questions.values() for c in q.choice_list}
    grouped = {}
    answers = (
        Answer.objects.filter(response__campaign=campaign)
        .order_by("response_id")
        .values_list("response_id", "response__status", "question__code", "choice_id", "choice__code", "number", "text")
    )
    for response_id, status, code, choice_id, choice_code, number, text in answers:
        value = choice_code if choice_id else (number if number is not None else text)
        grouped.setdefault(response_id, (status, {}))[1].setdefault(code, []).append(
            (choice_order.get(choice_id, 0), value)
        )
    for status, values in grouped.values():
        row = ["complete" if status == Response.Status.SUBMITTED else "partielle"]
        for code, question in structure.questions.items():
            ordered = [value for _order, value in sorted(values.get(code, []), key=lambda pair: pair[0])]
            if question.kind == Question.Kind.MULTIPLE:
                row.append(";".join(str(value) for value in ordered))
            else:
                row.append(ordered[0] if ordered else "")
        yield row


def test_the_responses_csv_is_streamed_and_is_the_file_of_before(client, dgs, campaign, questionnaire):
    from django.http import StreamingHttpResponse

    from common.exports import csv_text
    from surveys import exports

    add_responses(campaign, 2, {"B2": ["services", "organisation"], "D1": 3, "B4": "=1+1 à l'hôtel"})
    add_responses(campaign, 1, {"A1": "sdis"}, complete=False)
    client.force_login(dgs)
    response = client.get(reverse("surveys:responses_csv", args=[campaign.slug]))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"] == f'attachment; filename="reponses-{campaign.slug}.csv"'
    structure = questionnaire_structure(questionnaire)
    before = csv_text(exports.responses_header(structure), legacy_responses_rows(campaign, structure))
    assert b"".join(response.streaming_content) == before.encode("utf-8")
    assert "organisation;services" in before and "'=1+1 à l'hôtel" in before and "partielle" in before


def test_the_fingerprint_of_a_streamed_export_is_that_of_the_whole_file(client, dgs, campaign):
    import hashlib

    from surveys.models import ResponseFile

    add_responses(campaign, 3, {"A1": "commune"})
    client.force_login(dgs)
    for name in ("surveys:responses_csv", "surveys:responses_xlsx"):
        content = b"".join(client.get(reverse(name, args=[campaign.slug])).streaming_content)
        latest = ResponseFile.objects.filter(campaign=campaign).latest("pk")
        assert latest.kind == ResponseFile.Kind.EXPORTED
        assert latest.sha256 == hashlib.sha256(content).hexdigest(), name


def test_a_csv_download_records_its_fingerprint_only_as_it_is_sent(client, dgs, campaign):
    from surveys.models import ResponseFile

    add_responses(campaign, 3, {"A1": "commune"})
    client.force_login(dgs)
    response = client.get(reverse("surveys:responses_csv", args=[campaign.slug]))
    assert response.streaming and not ResponseFile.objects.exists(), "nothing recorded before the file is sent"
    # (Closing the response unread would end the request, which on PostgreSQL closes the test's connection.)
    b"".join(response.streaming_content)
    assert ResponseFile.objects.count() == 1


def test_a_campaign_xlsx_export_imported_back_is_refused(client, dgs, campaign, questionnaire):
    add_responses(campaign, 2, {"A1": "commune"})
    client.force_login(dgs)
    export = client.get(reverse("surveys:responses_xlsx", args=[campaign.slug])).getvalue()
    report = responses_import(campaign=campaign, structure=questionnaire_structure(questionnaire), data=export)
    assert report.created == 0 and "export de cette campagne" in str(report.errors[0])


@pytest.mark.parametrize("name", ["surveys:responses_csv", "surveys:responses_xlsx"])
def test_a_responses_export_makes_as_many_queries_for_60_respondents_as_for_3(
    client, dgs, campaign, name, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    add_responses(campaign, 3, {"B2": ["services", "organisation"], "D1": 3})
    client.force_login(dgs)
    with CaptureQueriesContext(connection) as small:
        b"".join(client.get(reverse(name, args=[campaign.slug])).streaming_content)
    add_responses(campaign, 57, {"B2": ["ntic"], "D1": 2})
    with django_assert_max_num_queries(len(small.captured_queries)):
        b"".join(client.get(reverse(name, args=[campaign.slug])).streaming_content)


@pytest.mark.parametrize("name", ["surveys:responses_csv", "surveys:responses_xlsx"])
def test_a_responses_export_stays_closed_to_an_agent_and_to_a_visitor(client, agent, campaign, name):
    url = reverse(name, args=[campaign.slug])
    assert client.get(url).status_code == 302
    client.force_login(agent)
    assert client.get(url).status_code == 404  # as before streaming: the campaign is not hers to see
