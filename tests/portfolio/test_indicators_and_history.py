"""Indicators with dated measurements and their chart; the change history seen by the DGS."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.charts import indicator_figure
from portfolio.models import Indicator, Measurement


@pytest.fixture
def indicator(project) -> Indicator:
    return Indicator.objects.create(project=project, name="Délai d'attente", unit="min", baseline=25, target=10)


def test_the_lead_adds_an_indicator(client, project):
    client.force_login(project.lead)
    response = client.post(
        reverse("portfolio:indicator_create", args=[project.pk]),
        {"indicator-name": "Part en ligne", "indicator-unit": "%", "indicator-baseline": "0", "indicator-target": "70"},
        follow=True,
    )
    assert "L&#x27;indicateur est ajouté." in response.content.decode()
    assert project.indicators.get().target == 70


def test_an_indicator_without_name_is_refused(client, project):
    client.force_login(project.lead)
    response = client.post(
        reverse("portfolio:indicator_create", args=[project.pk]), {"indicator-unit": "%"}, follow=True
    )
    assert "L&#x27;indicateur n&#x27;a pas été ajouté" in response.content.decode()
    assert not project.indicators.exists()


def test_measurements_are_dated_once_and_never_in_the_future(client, project, indicator):
    client.force_login(project.lead)
    url = reverse("portfolio:measurement_add", args=[project.pk, indicator.pk])
    today = timezone.localdate()
    client.post(url, {"measured_on": today.isoformat(), "value": "18"})
    again = client.post(url, {"measured_on": today.isoformat(), "value": "17"})
    assert "Une mesure existe déjà à cette date pour cet indicateur." in again.content.decode()
    future = client.post(url, {"measured_on": (today + datetime.timedelta(days=2)).isoformat(), "value": "1"})
    assert "Une mesure ne peut pas être datée dans le futur." in future.content.decode()
    assert list(indicator.measurements.values_list("value", flat=True)) == [18]


def test_the_project_page_shows_the_chart_and_its_data_table(client, project, indicator):
    Measurement.objects.create(indicator=indicator, measured_on=datetime.date(2026, 3, 1), value=18)
    client.force_login(project.lead)
    page = client.get(project.get_absolute_url()).content.decode()
    assert 'data-figure="figure-indicator-' in page
    assert "/static/js/plotly-portal.min.js" in page
    assert "<caption>Mesures de « Délai d&#x27;attente »</caption>" in page
    assert "<td>01/03/2026</td><td>18,00</td>" in page


def test_the_chart_holds_the_measured_values_baseline_and_target(indicator):
    Measurement.objects.create(indicator=indicator, measured_on=datetime.date(2026, 3, 1), value=18)
    Measurement.objects.create(indicator=indicator, measured_on=datetime.date(2026, 1, 1), value=22)
    figure = indicator_figure(indicator)
    assert figure["data"][0]["x"] == ["2026-01-01", "2026-03-01"]
    assert figure["data"][0]["y"] == [22.0, 18.0]
    assert [shape["y0"] for shape in figure["layout"]["shapes"]] == [25.0, 10.0]


def test_user_text_is_escaped_in_the_chart_and_the_page(client, project):
    indicator = Indicator.objects.create(project=project, name='<img src=x onerror="alert(1)">', unit="<b>")
    Measurement.objects.create(indicator=indicator, measured_on=datetime.date(2026, 3, 1), value=1)
    client.force_login(project.lead)
    page = client.get(project.get_absolute_url()).content.decode()
    assert '<img src=x onerror="alert(1)">' not in page
    figure = json.loads(page.split('type="application/json">', 1)[1].split("</script>", 1)[0])
    assert figure["layout"]["title"]["text"] == '&lt;img src=x onerror="alert(1)"&gt;'


def test_the_dgs_sees_who_changed_what(client, dgs, project):
    from portfolio.models import InnovationObject

    client.force_login(project.lead)
    data = {
        "title": "Guichet unique v2",
        "summary": project.summary,
        "nature": "societal",
        "origin": "agents",
        "directions": [project.lead.direction_id],
        "scope": "incremental",
        "visibility": "all",
        "objects_of_innovation": [InnovationObject.objects.first().pk],
    }
    response = client.post(reverse("portfolio:edit", args=[project.pk]), data)
    assert response.status_code == 302
    client.force_login(dgs)
    page = client.get(reverse("portfolio:history", args=[project.pk])).content.decode()
    assert "<td>Titre</td><td>Guichet unique</td><td>Guichet unique v2</td>" in page
    assert "<td>Nature</td><td>Managériale / organisationnelle</td><td>Sociétale / servicielle</td>" in page
    assert str(project.lead) in page


def test_an_indicator_without_measurement_shows_no_empty_chart(client, project, indicator):
    client.force_login(project.lead)
    page = client.get(project.get_absolute_url()).content.decode()
    assert "data-figure=" not in page and "plotly" not in page
    assert "Pas encore de mesure" in page


def test_a_decision_that_fails_keeps_what_was_typed(client, dgs, project):
    client.force_login(dgs)
    response = client.post(
        reverse("portfolio:decide", args=[project.pk]),
        {"decision": "go", "rationale": "Mon argumentaire détaillé", "decided_on": "1900-01-01"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Mon argumentaire détaillé</textarea>" in page
    assert "entre l&#x27;an 2000 et l&#x27;an 2100" in page


def test_the_history_names_the_people_added_and_formats_dates(client, dgs, project, make_user):
    from portfolio.services import project_update

    helper = make_user(username="renfort", first_name="Ana", last_name="Lopes")
    project_update(project=project, data={"team": [helper], "start_date": datetime.date(2026, 2, 1)})
    client.force_login(dgs)
    page = client.get(reverse("portfolio:history", args=[project.pk])).content.decode()
    assert "Ana Lopes" in page
    assert "01/02/2026" in page
