"""Each role logs in and sees its home page; every page of the foundation passes axe-core."""

import pytest
from playwright.sync_api import expect

from accounts.models import Lockout
from accounts.roles import Role
from tests.browser.conftest import log_in, serious_violations
from tests.factories import PASSWORD, UserFactory

ROLE_HEADINGS = {
    Role.DGS: "Direction générale",
    Role.PROJECT_LEAD: "Chef de projet",
    Role.AGENT: "Agent",
    Role.JURY: "Membre du jury",
    Role.COPIL: "Comité de pilotage",
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_logs_in_and_sees_its_home_page(page, role):
    UserFactory(username=f"user-{role.value}", first_name="Camille", roles=[role])
    log_in(page, f"user-{role.value}", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Camille", use_inner_text=True)
    expect(page.get_by_role("heading", level=2, name=ROLE_HEADINGS[role])).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Vous êtes connecté·e.", use_inner_text=True)
    assert serious_violations(page) == []


def test_anonymous_pages_pass_axe(page):
    for path in [
        "/comptes/connexion/",
        "/comptes/mot-de-passe/oubli/",
        "/comptes/mot-de-passe/oubli/envoye/",
        "/comptes/mot-de-passe/nouveau/termine/",
        "/comptes/mot-de-passe/nouveau/xx/yy/",
        "/accessibilite/",
        "/donnees-ouvertes/",
    ]:
        page.goto(path)
        assert serious_violations(page) == [], path


def test_signed_in_pages_pass_axe(page):
    UserFactory(username="dgs", roles=[Role.DGS], is_staff=True)
    log_in(page, "dgs", PASSWORD)
    for path in ["/", "/comptes/profil/", "/comptes/mot-de-passe/", "/page-inconnue/"]:
        page.goto(path)
        assert serious_violations(page) == [], path


def test_a_form_with_errors_passes_axe(page):
    page.goto("/comptes/connexion/")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert serious_violations(page) == []


def test_the_lockout_page_passes_axe(page, settings):
    UserFactory(username="agent", roles=[Role.AGENT])
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        log_in(page, "agent", "mauvais-mot-de-passe")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion temporairement bloquée", use_inner_text=True)
    assert serious_violations(page) == []


def test_the_skip_link_is_the_first_stop_of_the_keyboard(page):
    UserFactory(username="agent", roles=[Role.AGENT])
    log_in(page, "agent", PASSWORD)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"


def test_pages_fit_a_phone_screen(phone):
    UserFactory(username="agent", roles=[Role.AGENT])
    log_in(phone, "agent", PASSWORD)
    for path in ["/", "/comptes/profil/"]:
        phone.goto(path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375, path


def test_the_language_switcher_turns_the_portal_to_english(page):
    page.goto("/comptes/connexion/")
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in", use_inner_text=True)
    assert page.locator("html").get_attribute("lang") == "en"


def test_the_lockouts_review_passes_axe_and_fits_320_pixels(page):
    UserFactory(username="dgs", roles=[Role.DGS])
    Lockout.objects.bulk_create(Lockout(username="agent", ip_address=f"203.0.113.{n}") for n in range(1, 5))
    log_in(page, "dgs", PASSWORD)
    expect(page.get_by_role("link", name="1 compte a été verrouillé depuis plusieurs adresses")).to_be_visible()
    page.set_viewport_size({"width": 320, "height": 700})
    for path in ["/comptes/verrouillages/", "/comptes/verrouillages/?compte=agent"]:
        page.goto(path)
        assert serious_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


def test_the_administration_keeps_to_the_content_security_policy(page):
    """The admin's pages (Django's scripts and styles, the project form's widgets) cause no CSP violation:
    the page fixture fails the test on any."""
    from tests.factories import ProjectFactory

    admin = UserFactory(username="admin", is_staff=True, is_superuser=True, roles=[Role.DGS])
    project = ProjectFactory()
    log_in(page, "admin", PASSWORD)
    for path in [
        "/admin/",
        "/admin/portfolio/project/",
        f"/admin/portfolio/project/{project.pk}/change/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{admin.pk}/change/",
    ]:
        response = page.goto(path)
        assert response.status == 200 and "unsafe" not in response.headers["content-security-policy"], path
        page.wait_for_load_state("load")
        expect(page.locator("#content"), path).to_be_visible()
