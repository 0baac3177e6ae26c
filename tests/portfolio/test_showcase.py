"""The showcase of finished projects (/projets/vitrine/): results, lessons, visibility, pagination."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portfolio.models import Indicator, Measurement, Project
from tests.factories import ProjectFactory

URL = "/projets/vitrine/"


def text(client, url=URL) -> str:
    """The page as a person reads it (entities decoded)."""
    return html.unescape(client.get(url).content.decode())


def completed(**fields):
    return ProjectFactory(status=Project.Status.COMPLETED, **fields)


@pytest.mark.django_db
def test_finished_projects_show_their_results_last_measurement_and_lessons(client, agent, lead):
    project = completed(
        lead=lead,
        title="Guichet numérique",
        observed_results="Deux fois moins d'attente.",
        lessons_learned="Associer les agents d'accueil dès le début.",
    )
    indicator = Indicator.objects.create(project=project, name="Délai d'attente", unit="min", baseline=30, target=10)
    Measurement.objects.create(indicator=indicator, measured_on=datetime.date(2026, 3, 1), value=Decimal("20"))
    Measurement.objects.create(indicator=indicator, measured_on=datetime.date(2026, 6, 1), value=Decimal("12.5"))
    ProjectFactory(lead=lead, title="Projet encore en cours")
    client.force_login(agent)

    page = text(client)

    assert "Guichet numérique" in page
    assert "Deux fois moins d'attente." in page
    assert "Associer les agents d'accueil dès le début." in page
    assert "Délai d'attente (min)" in page
    assert re.search(r"12,50? le 01/06/2026", page)  # as PostgreSQL (12,50) and SQLite (12,5) give the decimal
    assert "Projet encore en cours" not in page


@pytest.mark.django_db
def test_a_restricted_finished_project_is_shown_only_to_those_who_may_see_it(client, agent, lead, dgs):
    completed(lead=lead, title="Projet confidentiel terminé", visibility=Project.Visibility.RESTRICTED)

    client.force_login(agent)
    assert "Projet confidentiel terminé" not in text(client)
    for person in (lead, dgs):
        client.force_login(person)
        assert "Projet confidentiel terminé" in text(client)


@pytest.mark.django_db
def test_empty_showcase_says_so(client, agent):
    client.force_login(agent)
    assert "Aucun projet terminé pour l'instant" in text(client)


@pytest.mark.django_db
def test_showcase_is_paginated_in_a_bounded_number_of_queries(client, agent, lead):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    client.force_login(agent)
    for n in range(3):
        indicator = Indicator.objects.create(project=completed(lead=lead, title=f"Terminé {n:02}"), name="Taux")
        Measurement.objects.create(indicator=indicator, measured_on=datetime.date(2026, 1, 1), value=1)
    small = queries()
    for n in range(3, 25):
        indicator = Indicator.objects.create(project=completed(lead=lead, title=f"Terminé {n:02}"), name="Taux")
        Measurement.objects.create(indicator=indicator, measured_on=datetime.date(2026, 1, 1), value=1)
    assert queries() == small

    first = text(client)
    assert "Page 1 sur 3" in first
    third = text(client, URL + "?page=3")
    assert "Terminé 00" in third and "Terminé 24" not in third
