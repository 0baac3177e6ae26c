"""The network's catalogue: publishing with a preview, reading and searching across members, replicating."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from catalogue import services
from catalogue.models import Publication
from portfolio.models import Indicator, Measurement, Phase, Project
from tests.factories import ProjectFactory

CATALOGUE = "/reseau/catalogue/"


def text(response) -> str:
    return html.unescape(response.content.decode())


def publish(project, by, **fields):
    values = {
        "title": project.title,
        "summary": project.summary,
        "include": ["results", "indicators", "lessons", "directions"],
    }
    values.update(fields)
    return services.publication_publish(project=project, published_by=by, **values)


@pytest.mark.django_db
def test_the_dgs_previews_then_publishes_a_snapshot_of_chosen_fields(client, network, lighting):
    indicator = Indicator.objects.create(project=lighting, name="Consommation", unit="MWh", baseline=100, target=50)
    Measurement.objects.create(indicator=indicator, measured_on="2026-05-01", value=48)
    client.force_login(network.dgs_a)
    url = f"{CATALOGUE}publier/{lighting.pk}/"
    form = text(client.get(url))
    assert "Éclairage public intelligent" in form

    data = {
        "title": "Éclairage public intelligent",
        "summary": "Des lampadaires sobres.",
        "include": ["results", "indicators"],
        "contact_name": "",
        "contact_email": "",
    }
    preview = text(client.post(url, {**data, "action": "preview"}))
    assert "Aperçu de la publication" in preview
    assert "Consommation divisée par deux." in preview
    assert "48 le 01/05/2026" in preview
    assert "Prévenir les riverains" not in preview  # lessons not chosen
    assert not Publication.objects.exists()

    confirmed = client.post(url, {**data, "action": "confirm"}, follow=True)
    publication = Publication.objects.get()
    assert publication.organisation == network.a
    assert (publication.network, publication.project) == (network.network, lighting)
    assert publication.lessons == ""
    assert "Le projet est publié au catalogue du réseau." in text(confirmed)
    assert AuditEntry.objects.filter(action="publication.published", object_id=str(publication.pk)).exists()
    history = text(client.get(f"/projets/{lighting.pk}/historique/"))
    assert "Projet publié au catalogue du réseau" in history
    assert "Publication au catalogue du réseau" in text(client.get("/journal/"))

    lighting.observed_results = "Texte modifié après la publication."
    lighting.save()
    assert "Consommation divisée par deux." in text(client.get(publication.get_absolute_url()))


@pytest.mark.django_db
def test_a_restricted_project_cannot_be_published_and_says_why(client, network):
    secret = ProjectFactory(
        organisation=network.a, lead=network.lead_a, title="Projet discret", visibility="restricted"
    )
    client.force_login(network.dgs_a)
    url = f"{CATALOGUE}publier/{secret.pk}/"
    assert "ne peut pas être publié au catalogue du réseau" in text(client.get(url))
    refused = client.post(url, {"title": "x", "summary": "y", "action": "confirm"})
    assert refused.status_code == 400
    assert not Publication.objects.exists()


@pytest.mark.django_db
def test_only_the_dgs_publishes(client, network, lighting):
    client.force_login(network.lead_a)
    assert client.get(f"{CATALOGUE}publier/{lighting.pk}/").status_code == 404
    client.force_login(network.dgs_c)  # a DGS outside any network
    assert client.get(f"{CATALOGUE}publier/{lighting.pk}/").status_code == 404


@pytest.mark.django_db
def test_members_find_publications_without_accents_and_outsiders_get_404(client, network, lighting):
    publication = publish(lighting, network.dgs_a)
    client.force_login(network.agent_b)
    page = text(client.get(CATALOGUE + "?q=ECLAIRAGE lampadaires"))
    assert "Éclairage public intelligent" in page
    assert "Ville d'Amont" in page
    assert "Aucun projet publié ne correspond à « piscine »" in text(client.get(CATALOGUE + "?q=piscine"))
    assert "Consommation divisée par deux." in text(client.get(publication.get_absolute_url()))

    client.force_login(network.dgs_c)
    assert client.get(CATALOGUE).status_code == 404
    assert client.get(publication.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_an_empty_catalogue_says_so(client, network):
    client.force_login(network.agent_b)
    assert "Aucun projet n'est encore publié au catalogue du réseau." in text(client.get(CATALOGUE))


@pytest.mark.django_db
def test_sorted_by_title_in_french_order(client, network):
    for title in ("Zéro papier", "Éco-gestes", "Accueil"):
        publish(ProjectFactory(organisation=network.a, lead=network.lead_a, title=title), network.dgs_a)
    client.force_login(network.lead_b)
    page = text(client.get(CATALOGUE + "?tri=titre"))
    assert page.index("Accueil") < page.index("Éco-gestes") < page.index("Zéro papier")


@pytest.mark.django_db
def test_replicating_creates_a_project_of_ones_own_that_tells_its_origin(client, network, lighting):
    publication = publish(lighting, network.dgs_a)
    client.force_login(network.lead_b)
    url = f"{CATALOGUE}{publication.pk}/essaimer/"
    form = client.get(url)
    assert "Éclairage public intelligent" in text(form)
    assert form.context["form"].initial["nature"] == "managerial"  # the original's, to change if need be

    response = client.post(
        url,
        {"title": "Éclairage intelligent à Bellerive", "summary": "Reprise.", "nature": "societal", "origin": "agents"},
        follow=True,
    )
    project = Project.objects.get(title="Éclairage intelligent à Bellerive")
    assert (project.organisation, project.lead, project.replicated_from) == (network.b, network.lead_b, publication)
    assert project.phase == Phase.objects.order_by("order").first()
    page = text(response)
    assert "Essaimé depuis « Éclairage public intelligent » de Ville d'Amont." in page
    assert "Prévenir les riverains avant la pose." in page  # the lessons carried
    assert AuditEntry.objects.filter(action="project.replicated", organisation=network.b).exists()

    client.force_login(network.dgs_a)
    assert "Ce projet a été essaimé 1 fois dans le réseau." in text(client.get(publication.get_absolute_url()))
    own = text(client.get(CATALOGUE + "nos-publications/"))
    assert "Bellerive" not in own  # a count, never who
    assert "Essaimé 1 fois." in text(client.get(lighting.get_absolute_url()))


@pytest.mark.django_db
def test_ones_own_publication_cannot_be_replicated(client, network, lighting):
    publication = publish(lighting, network.dgs_a)
    client.force_login(network.dgs_a)
    assert client.get(f"{CATALOGUE}{publication.pk}/essaimer/").status_code == 404
    client.force_login(network.agent_b)  # an agent who does not run projects
    assert client.get(f"{CATALOGUE}{publication.pk}/essaimer/").status_code == 404


@pytest.mark.django_db
def test_a_withdrawn_publication_leaves_the_catalogue_and_replications_keep_their_origin(client, network, lighting):
    publication = publish(lighting, network.dgs_a)
    replica = services.publication_replicate(
        publication=publication,
        replicated_by=network.lead_b,
        data={"title": "Reprise", "summary": "Reprise.", "nature": "societal", "origin": "agents"},
    )
    client.force_login(network.dgs_a)
    client.post(f"{CATALOGUE}{publication.pk}/retirer/")
    publication.refresh_from_db()
    assert publication.withdrawn_at is not None
    assert AuditEntry.objects.filter(action="publication.withdrawn").exists()

    client.force_login(network.lead_b)
    assert "Éclairage public intelligent" not in text(client.get(CATALOGUE))
    assert client.get(publication.get_absolute_url()).status_code == 404
    assert "Essaimé depuis « Éclairage public intelligent » de Ville d'Amont." in text(
        client.get(replica.get_absolute_url())
    )
    # Published again: a new snapshot.
    assert publish(lighting, network.dgs_a).pk != publication.pk


@pytest.mark.django_db
def test_the_catalogue_reads_as_many_queries_for_30_publications_as_for_3(client, network):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(CATALOGUE).status_code == 200
        return len(captured)

    client.force_login(network.lead_b)
    for n in range(3):
        publish(ProjectFactory(organisation=network.a, lead=network.lead_a, title=f"Projet {n}"), network.dgs_a)
    small = queries()
    for n in range(3, 30):
        publish(ProjectFactory(organisation=network.a, lead=network.lead_a, title=f"Projet {n}"), network.dgs_a)
    assert queries() == small


@pytest.mark.django_db
def test_modify_after_the_preview_comes_back_to_the_form_as_typed(client, network, lighting):
    client.force_login(network.dgs_a)
    url = f"{CATALOGUE}publier/{lighting.pk}/"
    data = {"title": "Titre retouché", "summary": "Résumé retouché.", "include": ["lessons"]}
    back = text(client.post(url, {**data, "action": "edit"}))
    assert 'value="Titre retouché"' in back
    assert "Prévisualiser" in back
    assert not Publication.objects.exists()


@pytest.mark.django_db
def test_a_contact_ticked_needs_a_name_or_an_address(client, network, lighting):
    client.force_login(network.dgs_a)
    url = f"{CATALOGUE}publier/{lighting.pk}/"
    page = text(client.post(url, {"title": "T", "summary": "R", "include": ["contact"], "action": "preview"}))
    assert "Indiquez un nom ou une adresse e-mail, ou ne publiez pas de contact." in page


@pytest.mark.django_db
def test_our_publications_list_live_and_withdrawn_with_their_counts(client, network, lighting):
    first = publish(lighting, network.dgs_a)
    services.publication_withdraw(publication=first, withdrawn_by=network.dgs_a)
    again = publish(lighting, network.dgs_a)
    for n in range(2):
        services.publication_replicate(
            publication=again,
            replicated_by=network.lead_b,
            data={"title": f"Reprise {n}", "summary": "Reprise.", "nature": "societal", "origin": "agents"},
        )
    client.force_login(network.dgs_a)
    response = client.get(CATALOGUE + "nos-publications/")
    rows = {p.pk: (p.is_live, p.replication_count) for p in response.context["publications"]}
    assert rows == {first.pk: (False, 0), again.pk: (True, 2)}
    assert "Retirée le" in text(response)
    assert "Reprise 0" not in text(response)

    client.force_login(network.lead_b)  # B has published nothing
    assert "Votre collectivité n'a encore rien publié" in text(client.get(CATALOGUE + "nos-publications/"))


@pytest.mark.django_db
def test_the_network_animateur_reads_the_catalogue_but_neither_publishes_nor_replicates(client, network, lighting):
    from tests.factories import UserFactory

    publication = publish(lighting, network.dgs_a)
    animateur = UserFactory(username="animateur", organisation=None, network=network.network, direction=None)
    assert animateur.organisation_id is None
    client.force_login(animateur)
    assert "Éclairage public intelligent" in text(client.get(CATALOGUE))
    page = text(client.get(publication.get_absolute_url()))
    assert "Consommation divisée par deux." in page
    assert "Essaimer dans notre portefeuille" not in page
    assert client.get(f"{CATALOGUE}{publication.pk}/essaimer/").status_code == 404
    assert client.get(CATALOGUE + "nos-publications/").status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client, network, lighting):
    publication = publish(lighting, network.dgs_a)
    for url in (CATALOGUE, publication.get_absolute_url(), f"{CATALOGUE}{publication.pk}/essaimer/"):
        assert client.get(url)["Location"].startswith("/comptes/connexion/")


@pytest.mark.django_db
def test_withdrawing_needs_the_publishing_dgs(client, network, lighting):
    publication = publish(lighting, network.dgs_a)
    for person in (network.lead_a, network.lead_b):
        client.force_login(person)
        assert client.post(f"{CATALOGUE}{publication.pk}/retirer/").status_code == 404
    publication.refresh_from_db()
    assert publication.is_live


@pytest.mark.django_db
def test_a_project_made_restricted_leaves_the_catalogue(client, network, lighting):
    publication = publish(lighting, network.dgs_a)
    lighting.visibility = Project.Visibility.RESTRICTED
    lighting.save()
    publication.refresh_from_db()
    assert not publication.is_live
    entry = AuditEntry.objects.get(action="publication.withdrawn")
    assert entry.organisation == network.a
    client.force_login(network.lead_b)
    assert "Éclairage public intelligent" not in text(client.get(CATALOGUE))
