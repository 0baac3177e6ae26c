"""The national edition's pages at 320 px: a member's comparison and the animateur's page pass axe and fit."""

from playwright.sync_api import expect

from accounts.models import Network, Organisation
from accounts.roles import Role
from surveys.demo import seed_national_edition
from tests.browser.conftest import log_in
from tests.browser.test_conformance import narrow, problems_at_320_px  # noqa: F401  # narrow: the 320 px page
from tests.factories import PASSWORD, DirectionFactory, UserFactory


def test_the_comparison_and_the_edition_pages_fit_320_px_and_pass_axe(narrow, live_server):  # noqa: F811
    network = Network.objects.create(name="Réseau des communes du val", slug="reseau-val")
    members = [
        Organisation.objects.create(
            name=f"Commune n° {number}",
            slug=f"commune-{number}",
            kind=Organisation.Kind.COMMUNE,
            population=2_000 + number,
            network=network,
        )
        for number in range(6)  # five peers and more: the peers' column is shown
    ]
    animateur = UserFactory(username="animateur", direction=None, organisation=None, network=network)
    UserFactory(username="dgs-0", roles=[Role.DGS], direction=DirectionFactory(organisation=members[0], code="DG"))
    edition = seed_national_edition(network=network, members=members, created_by=animateur, respondents=5)

    log_in(narrow, "dgs-0", PASSWORD)
    narrow.goto("/reseau/")  # a member's DGS finds their comparison on the network's page
    narrow.get_by_role("link", name=edition.title).click()
    expect(narrow).to_have_url(f"{live_server.url}/enquetes/{edition.slug}/comparaison/")
    problems = problems_at_320_px(narrow, f"/enquetes/{edition.slug}/comparaison/")
    expect(narrow.locator("h1")).to_contain_text("Comparaison")
    expect(narrow.get_by_role("columnheader", name="Pairs").first).to_be_visible()
    narrow.context.clear_cookies()
    log_in(narrow, "animateur", PASSWORD)
    narrow.goto("/reseau/")  # the animateur finds the edition on the network's page
    narrow.get_by_role("link", name=edition.title).click()
    expect(narrow).to_have_url(f"{live_server.url}/enquetes/editions/{edition.slug}/")
    problems += problems_at_320_px(narrow, f"/enquetes/editions/{edition.slug}/")
    expect(narrow.get_by_text("Commune n° 5").first).to_be_visible()
    assert problems == []
