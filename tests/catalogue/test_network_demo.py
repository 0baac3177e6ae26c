"""The catalogue's part of ``seed_demo --network``: one publication, replicated once, idempotent."""

import pytest

from catalogue.models import Publication
from catalogue.network_demo import seed_catalogue
from portfolio.models import Project


@pytest.mark.django_db
def test_publishes_once_and_replicates_once_however_often_it_runs(network, lighting):
    for _ in range(2):
        seed_catalogue([network.a, network.b])
    publication = Publication.objects.get()
    assert (publication.organisation, publication.project) == (network.a, lighting)
    replica = Project.objects.get(replicated_from=publication)
    assert (replica.organisation, replica.lead) == (network.b, network.lead_b)


@pytest.mark.django_db
def test_says_why_nothing_is_published_outside_a_network(network):
    assert "rien n'est publié" in seed_catalogue([network.c])[0]
    assert not Publication.objects.exists()
