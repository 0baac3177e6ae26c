"""What an operator inspects in the admin without being able to change it: gate decisions, report versions
and the outbox. The portal writes them; the admin lists and shows them."""

import datetime

import pytest

from accounts.models import OutgoingEmail
from portfolio.models import GateDecision, Phase
from reports.models import Report
from tests.factories import ProjectFactory


@pytest.fixture
def operator(client, make_user):
    client.force_login(make_user(username="root", is_staff=True, is_superuser=True))
    return client


def test_decisions_reports_and_emails_are_listed_and_shown_but_never_changed(operator, dgs):
    emergence, adoption = Phase.objects.order_by("order")[:2]
    project = ProjectFactory(title="Guichet unique")
    decision = GateDecision.objects.create(
        project=project,
        decision="go",
        from_phase=emergence,
        to_phase=adoption,
        decided_by=dgs,
        decided_on=datetime.date(2026, 10, 5),
        rationale="Moyens votés",
    )
    report = Report.objects.create(quarter="2026Q3", status="failed", failure_reason="La base ne répond pas.")
    email = OutgoingEmail.objects.create(to="a@test.example", kind="password_reset", subject="Lien", body="SECRET-LINK")
    for model, obj, shown in [
        ("portfolio/gatedecision", decision, "Guichet unique"),
        ("reports/report", report, "2026Q3"),
        ("accounts/outgoingemail", email, "a@test.example"),
    ]:
        listing = operator.get(f"/admin/{model}/")
        assert listing.status_code == 200 and shown in listing.content.decode(), model
        detail = operator.get(f"/admin/{model}/{obj.pk}/change/")
        assert detail.status_code == 200, model
        assert 'name="_save"' not in detail.content.decode(), model  # shown, with no save button
        assert operator.get(f"/admin/{model}/add/").status_code == 403, model
        assert operator.post(f"/admin/{model}/{obj.pk}/delete/", {"post": "yes"}).status_code == 403, model
    assert "La base ne répond pas." in operator.get(f"/admin/reports/report/{report.pk}/change/").content.decode()
    failed = operator.get("/admin/reports/report/?status__exact=failed").content.decode()
    assert "La base ne répond pas." in failed  # the list tells why a version failed, without opening it
    assert "SECRET-LINK" not in operator.get(f"/admin/accounts/outgoingemail/{email.pk}/change/").content.decode()
    assert GateDecision.objects.filter(pk=decision.pk).exists() and Report.objects.filter(pk=report.pk).exists()


def test_network_publications_are_shown_but_never_changed(operator, dgs):
    from accounts.models import Network, Organisation
    from catalogue.models import Publication

    network = Network.objects.create(name="Réseau", slug="reseau")
    Organisation.objects.filter(pk=dgs.organisation_id).update(network=network)
    project = ProjectFactory(title="Guichet unique")
    publication = Publication.objects.create(
        organisation_id=dgs.organisation_id,
        network=network,
        project=project,
        title="Guichet unique publié",
        summary="Résumé",
        published_by=dgs,
        published_at=datetime.datetime(2026, 10, 5, tzinfo=datetime.UTC),
    )
    assert "Guichet unique publié" in operator.get("/admin/catalogue/publication/").content.decode()
    page = operator.get(f"/admin/catalogue/publication/{publication.pk}/change/")
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()
    assert operator.get("/admin/catalogue/publication/add/").status_code == 403
