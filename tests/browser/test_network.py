"""The network's page in a browser: the animateur lands on it, it passes axe-core and fits 320 pixels."""

from playwright.sync_api import expect

from accounts.models import Network, Organisation
from accounts.roles import Role
from portfolio.models import Phase
from tests.browser.conftest import log_in, serious_violations
from tests.factories import PASSWORD, DirectionFactory, ProjectFactory, UserFactory


def _network_with_projects() -> Network:
    network = Network.objects.create(name="Réseau des communes du Val", slug="val")
    phases = list(Phase.objects.order_by("order"))
    for n, (name, population) in enumerate([("Communauté du Val", 42_000), ("Saint-Aubin-des-Prés", 2_100)]):
        member = Organisation.objects.create(
            name=name, slug=f"membre-{n}", kind="commune", population=population, network=network
        )
        direction = DirectionFactory(organisation=member, code=f"DG{n}")
        lead = UserFactory(username=f"cheffe-{n}", organisation=member, direction=direction, roles=[Role.PROJECT_LEAD])
        ProjectFactory(organisation=member, lead=lead, phase=phases[n])
    UserFactory(username="animatrice", organisation=None, direction=None, network=network)
    return network


def test_the_animateur_lands_on_the_network_page_which_passes_axe_and_fits_320_pixels(page):
    _network_with_projects()
    log_in(page, "animatrice", PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Réseau des communes du Val", use_inner_text=True)
    expect(page.get_by_role("table", name="Projets en cours par phase")).to_be_visible()
    navigation = page.get_by_role("navigation", name="Navigation principale")
    expect(navigation.get_by_role("link")).to_have_count(2)  # the network's page and its catalogue
    assert serious_violations(page) == []

    page.set_viewport_size({"width": 320, "height": 700})
    page.reload()
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_host_operators_network_administration_keeps_to_the_content_security_policy(page):
    network = _network_with_projects()
    UserFactory(username="hebergeur", organisation=None, direction=None, is_staff=True, is_superuser=True)
    log_in(page, "hebergeur", PASSWORD)
    for path in [
        "/admin/accounts/network/",
        "/admin/accounts/network/add/",
        f"/admin/accounts/network/{network.pk}/change/",
        "/admin/accounts/organisation/",
        "/admin/accounts/user/add/",
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
