"""The dashboard's lists show their first rows, their total and where the rest is."""

from django.utils import timezone

from reports.quarters import Quarter
from tests.factories import ProjectFactory

NOW = f"/tableaux-de-bord/?trimestre={Quarter.containing(timezone.localdate()).code}&seuil=1"


def test_a_long_stalled_list_shows_50_rows_its_total_and_a_link_to_the_full_list(client, dgs, lead):
    ProjectFactory.create_batch(53, lead=lead, phase_since="2025-01-01")
    client.force_login(dgs)
    response = client.get(NOW)
    page = response.content.decode()
    assert len(response.context["stalled"]) == 50
    assert response.context["stalled_count"] == 53
    assert "Les 50 premiers sont listés." in page
    assert "La liste complète est jointe en CSV au rapport trimestriel." in page


def test_a_short_stalled_list_has_no_link(client, dgs, lead):
    ProjectFactory.create_batch(3, lead=lead, phase_since="2025-01-01")
    client.force_login(dgs)
    page = client.get(NOW).content.decode()
    assert "La liste complète est jointe" not in page
