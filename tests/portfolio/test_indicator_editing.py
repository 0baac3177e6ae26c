"""Indicators and measurements corrected or deleted by those who may edit the project, each change journaled."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from portfolio.models import Indicator, Measurement
from tests.factories import ProjectFactory


@pytest.fixture
def indicator(project) -> Indicator:
    return Indicator.objects.create(project=project, name="Délai d'attente", unit="min", baseline=25, target=10)


@pytest.fixture
def measurement(indicator) -> Measurement:
    return Measurement.objects.create(indicator=indicator, measured_on=datetime.date(2026, 3, 1), value=18)


def _urls(measurement: Measurement) -> list[str]:
    indicator = measurement.indicator
    ids = [indicator.project_id, indicator.pk]
    return [
        reverse("portfolio:indicator_edit", args=ids),
        reverse("portfolio:indicator_delete", args=ids),
        reverse("portfolio:measurement_edit", args=[*ids, measurement.pk]),
        reverse("portfolio:measurement_delete", args=[*ids, measurement.pk]),
    ]


def test_the_project_page_links_to_editing_and_deleting_for_the_lead_only(client, project, measurement, agent):
    client.force_login(project.lead)
    page = client.get(project.get_absolute_url()).content.decode()
    for url in _urls(measurement):
        assert f'href="{url}"' in page
    client.force_login(agent)
    page = client.get(project.get_absolute_url()).content.decode()
    assert not any(url in page for url in _urls(measurement))


def test_the_lead_corrects_an_indicator_and_the_journal_keeps_before_and_after(client, project, indicator):
    client.force_login(project.lead)
    url = reverse("portfolio:indicator_edit", args=[project.pk, indicator.pk])
    assert 'value="Délai d&#x27;attente"' in client.get(url).content.decode()
    response = client.post(
        url, {"name": "Attente au guichet", "unit": "min", "baseline": "25", "target": "8"}, follow=True
    )
    assert "L&#x27;indicateur « Attente au guichet » est modifié." in response.content.decode()
    indicator.refresh_from_db()
    assert (indicator.name, indicator.target) == ("Attente au guichet", 8)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.INDICATOR_CHANGED)
    assert entry.actor == project.lead and entry.parent_id == str(project.pk)
    assert {"field": "target", "old": "10.00", "new": "8.00"} in entry.changes


def test_an_indicator_without_name_is_refused_in_french_and_nothing_changes(client, project, indicator):
    client.force_login(project.lead)
    url = reverse("portfolio:indicator_edit", args=[project.pk, indicator.pk])
    response = client.post(url, {"name": "", "unit": "min"})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.name == "Délai d'attente"
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.INDICATOR_CHANGED).exists()


def test_deleting_an_indicator_asks_first_then_removes_it_with_its_measurements(client, project, measurement):
    indicator = measurement.indicator
    client.force_login(project.lead)
    url = reverse("portfolio:indicator_delete", args=[project.pk, indicator.pk])
    page = client.get(url).content.decode()
    assert "sera supprimé avec sa mesure" in page and 'name="csrfmiddlewaretoken"' in page
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    response = client.post(url, follow=True)
    assert "L&#x27;indicateur « Délai d&#x27;attente » est supprimé, avec ses mesures." in response.content.decode()
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    assert not Measurement.objects.filter(pk=measurement.pk).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.INDICATOR_DELETED)
    assert entry.object_label == "Délai d'attente" and entry.summary_params == {"count": 1}


def test_the_lead_corrects_a_measurement_and_the_journal_keeps_the_old_value(client, project, measurement):
    client.force_login(project.lead)
    url = reverse("portfolio:measurement_edit", args=[project.pk, measurement.indicator_id, measurement.pk])
    response = client.post(url, {"measured_on": "2026-03-02", "value": "17.5", "comment": "recompté"}, follow=True)
    assert "La mesure est modifiée." in response.content.decode()
    measurement.refresh_from_db()
    assert (measurement.measured_on, measurement.value) == (datetime.date(2026, 3, 2), 17.5)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MEASUREMENT_CHANGED)
    assert {"field": "value", "old": "18.00", "new": "17.50"} in entry.changes
    assert {"field": "measured_on", "old": "01/03/2026", "new": "02/03/2026"} in entry.changes


def test_a_measurement_moved_onto_a_day_already_measured_is_refused(client, project, measurement):
    Measurement.objects.create(indicator=measurement.indicator, measured_on=datetime.date(2026, 4, 1), value=15)
    client.force_login(project.lead)
    url = reverse("portfolio:measurement_edit", args=[project.pk, measurement.indicator_id, measurement.pk])
    response = client.post(url, {"measured_on": "2026-04-01", "value": "18"})
    assert response.status_code == 400
    assert "Une mesure existe déjà à cette date pour cet indicateur." in response.content.decode()
    measurement.refresh_from_db()
    assert measurement.measured_on == datetime.date(2026, 3, 1)


def test_deleting_a_measurement_asks_first_and_is_journaled(client, project, measurement):
    client.force_login(project.lead)
    url = reverse("portfolio:measurement_delete", args=[project.pk, measurement.indicator_id, measurement.pk])
    assert "01/03/2026" in client.get(url).content.decode()
    assert Measurement.objects.filter(pk=measurement.pk).exists()
    response = client.post(url, follow=True)
    assert "La mesure du 01/03/2026 est supprimée." in response.content.decode()
    assert not Measurement.objects.filter(pk=measurement.pk).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MEASUREMENT_DELETED)
    assert {"field": "value", "old": "18.00", "new": "—"} in entry.changes


def test_the_dgs_sees_the_corrections_in_the_project_history(client, dgs, project, measurement):
    client.force_login(project.lead)
    url = reverse("portfolio:measurement_delete", args=[project.pk, measurement.indicator_id, measurement.pk])
    client.post(url)
    client.force_login(dgs)
    page = client.get(reverse("portfolio:history", args=[project.pk])).content.decode()
    assert "Mesure supprimée" in page


def test_someone_who_cannot_see_the_project_gets_404(client, restricted, stranger):
    indicator = Indicator.objects.create(project=restricted, name="Secret")
    measurement = Measurement.objects.create(indicator=indicator, measured_on=datetime.date(2026, 3, 1), value=1)
    client.force_login(stranger)
    for url in _urls(measurement):
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "x", "measured_on": "2026-03-01", "value": "2"}).status_code == 404
    assert Measurement.objects.get(pk=measurement.pk).value == 1
    assert Indicator.objects.get(pk=indicator.pk).name == "Secret"


def test_someone_who_only_reads_the_project_gets_403_and_nothing_changes(client, agent, measurement):
    client.force_login(agent)
    for url in _urls(measurement):
        assert client.post(url, {"name": "x", "measured_on": "2026-03-01", "value": "2"}).status_code == 403
    assert Measurement.objects.filter(pk=measurement.pk, value=18).exists()


def test_an_indicator_reached_through_another_project_is_not_found(client, project, measurement, lead):
    other = ProjectFactory(lead=lead)
    client.force_login(lead)
    url = reverse("portfolio:indicator_delete", args=[other.pk, measurement.indicator_id])
    assert client.post(url).status_code == 404
    assert Indicator.objects.filter(pk=measurement.indicator_id).exists()
