"""The interface in English: reference labels, dates and numbers follow the language a person chose, on the
pages, the charts (Plotly's separators) and the exports' labels; codes and stable column names do not move."""

import csv
import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.roles import Role
from portfolio.models import Domain, Indicator, InnovationObject, Measurement, Phase
from reports.quarters import Quarter
from surveys.models import Campaign, Questionnaire
from surveys.national import EDITION, SERIES
from tests.factories import DirectionFactory, ProjectFactory
from tests.surveys.builders import add_responses, page_text

NOW = f"?trimestre={Quarter.containing(timezone.localdate()).code}"


def speak(client, language: str) -> None:
    """What the language switcher leaves behind: the language cookie."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


def figures_in(html: str) -> list[dict]:
    """The Plotly figures a page embeds (json_script blocks)."""
    blocks = re.findall(r'<script id="[^"]+" type="application/json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


@pytest.fixture
def project(lead):
    project = ProjectFactory(
        lead=lead,
        phase=Phase.objects.get(code="implementation"),
        phase_since=datetime.date(2026, 3, 4),
        domain=Domain.objects.get(name="Ressources humaines"),
        directions=[DirectionFactory(code="DRH", name="Direction des ressources humaines", name_en="Human resources")],
    )
    project.objects_of_innovation.set([InnovationObject.objects.get(code="ntic")])
    indicator = Indicator.objects.create(project=project, name="Délai", unit="j", target=Decimal("600.50"))
    Measurement.objects.create(indicator=indicator, measured_on=datetime.date(2026, 3, 4), value=Decimal("1234.25"))
    return project


def test_a_project_page_in_english_shows_english_labels_dates_and_numbers(client, lead, project):
    client.force_login(lead)
    speak(client, "en")
    html = page_text(client.get(project.get_absolute_url()))
    assert "Implementation" in html and "Mise en œuvre" not in html
    assert "Results observed against the indicators set at adoption." in html  # the phase's exit criteria
    assert "ICT (digital)" in html and "Human resources" in html
    assert "03/04/2026" in html and "04/03/2026" not in html  # Django's English short date
    assert "600.50" in html and "1234.25" in html and "600,50" not in html
    (figure,) = figures_in(html)
    assert figure["layout"]["separators"] == ".,"
    assert "600.50" in figure["layout"]["annotations"][0]["text"]


def test_the_same_project_page_in_french_agrees_with_its_chart(client, lead, project):
    client.force_login(lead)
    html = page_text(client.get(project.get_absolute_url()))
    assert "Mise en œuvre" in html and "NTIC (numérique)" in html
    assert "04/03/2026" in html and "600,50" in html and "1234,25" in html
    (figure,) = figures_in(html)
    assert figure["layout"]["separators"] == ", "
    assert "600,50" in figure["layout"]["annotations"][0]["text"]  # the table's "600,50", not "600.50"


def test_the_dashboard_in_english_names_phases_objects_and_domains_in_english(client, dgs, project):
    client.force_login(dgs)
    speak(client, "en")
    response = client.get("/tableaux-de-bord/" + NOW)
    charts = {chart.key: chart for chart in response.context["charts"]}
    assert [row[0] for row in charts["phases"].rows] == ["Emergence", "Adoption", "Implementation", "Appropriation"]
    assert "ICT (digital)" in [row[0] for row in charts["objects"].rows]
    assert [row[0] for row in charts["domains"].rows] == ["Human resources"]
    assert [row[0] for row in charts["directions"].rows] == ["Human resources"]
    assert charts["phases"].figure["layout"]["separators"] == ".,"
    with translation.override("en"):
        assert date_format(response.context["scope"].as_of, "DATE_FORMAT") in page_text(response)


def test_the_dashboard_cached_in_french_is_not_served_in_english(client, dgs, project):
    client.force_login(dgs)
    client.get("/tableaux-de-bord/" + NOW)
    speak(client, "en")
    charts = {chart.key: chart for chart in client.get("/tableaux-de-bord/" + NOW).context["charts"]}
    assert charts["phases"].rows[2][0] == "Implementation"


@pytest.fixture
def campaign(dgs):
    campaign = Campaign.objects.create(
        questionnaire=Questionnaire.objects.get(series=SERIES, edition=EDITION),
        title="Enquête des cadres 2026",
        slug="cadres-2026",
        status=Campaign.Status.OPEN,
        opened_at=timezone.now(),
        created_by=dgs,
    )
    add_responses(campaign, 6, {"B1": "managerial", "D1": 3})
    add_responses(campaign, 6, {"B1": "societal", "D1": 4})
    return campaign


def test_survey_results_in_english_show_the_english_questionnaire_and_numbers(client, dgs, campaign):
    client.force_login(dgs)
    speak(client, "en")
    response = client.get(f"/enquetes/{campaign.slug}/resultats/")
    html = page_text(response)
    assert "Nature of the innovation" in html and "Managerial or organisational innovation (internal logic)" in html
    assert "Implementation" in html  # section D
    assert "Most frequent object, with new services." in html or "Strongest influence." in html
    assert "3.5" in html and "3,5" not in html  # D1's mean
    assert all(figure["layout"]["separators"] == ".," for figure in figures_in(html))


def test_survey_results_csv_keeps_its_codes_and_column_names_in_english(client, dgs, campaign):
    client.force_login(dgs)
    speak(client, "en")
    body = client.get(f"/enquetes/{campaign.slug}/resultats.csv").content.decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:5] == ["question", "choice", "count", "percent", "national_percent"]
    assert next(r for r in rows if r[:2] == ["B1", "managerial"])[:5] == ["B1", "managerial", "6", "50.00", "53"]


def test_the_projects_export_in_english_labels_the_reference_lists_in_english(client, dgs, project):
    client.force_login(dgs)
    speak(client, "en")
    body = b"".join(client.get("/projets/export.csv").streaming_content).decode("utf-8").lstrip("\ufeff")
    header, row = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert header[:3] == ["id", "titre", "résumé"]  # stable column names
    shown = dict(zip(header, row, strict=True))
    assert (shown["phase"], shown["objets"], shown["domaine"]) == ("Implementation", "ICT (digital)", "Human resources")


def test_the_english_project_list_costs_the_queries_of_the_french_one(client, make_user, lead):
    dgs = make_user(Role.DGS)
    client.force_login(dgs)
    ProjectFactory.create_batch(3, lead=lead, domain=Domain.objects.first())
    counts = {}
    for size in ("small", "large"):
        if size == "large":
            ProjectFactory.create_batch(27, lead=lead, domain=Domain.objects.first())
        for language in ("fr", "en"):
            speak(client, language)
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/projets/").status_code == 200
            counts[size, language] = len(queries.captured_queries)
    assert len(set(counts.values())) == 1, counts


def test_the_project_form_and_list_filters_offer_english_choices(client, dgs, project):
    client.force_login(dgs)
    speak(client, "en")
    form = page_text(client.get("/projets/nouveau/"))
    assert "New ways of organising" in form and "Human resources" in form
    assert "Nouveaux services" not in form
    filters = page_text(client.get("/projets/"))
    assert 'value="implementation" id="id_phase_2">\n Implementation</label>' in filters
    assert 'value="ntic" id="id_objet_3">\n ICT (digital)</label>' in filters  # the codes stay in the address
