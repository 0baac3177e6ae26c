"""Conformance at 320 px: every main page passes axe and fits the screen; the phone list reaches its results quickly."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from surveys.models import Questionnaire
from tests.browser.conftest import _no_violation, _watched, log_in, serious_violations
from tests.factories import PASSWORD, ContestFactory, IdeaFactory, ProjectFactory, UserFactory

# Focus on the first project of the list: the link of its title.
FIRST_RESULT = "document.activeElement.closest('.results tbody') !== null"


@pytest.fixture
def narrow(browser, live_server, reference_data, csp_violations):
    """A 320 px wide screen (WCAG reflow: 1280 px at 400 % zoom)."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 320, "height": 640})
    page = _watched(context, csp_violations).new_page()
    yield page
    context.close()
    _no_violation(csp_violations)


def tabs_to_first_result(page, path: str, *, skip_to_content: bool = False, limit: int = 80) -> int:
    """How many presses of Tab, from the top of the freshly loaded page (or from its "Aller au contenu"
    link), put the focus on the first result."""
    page.goto(path)
    if skip_to_content:
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
    for count in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(FIRST_RESULT):
            return count
    return limit + 1


def problems_at_320_px(page, path: str) -> list[str]:
    """What keeps the page from being read at 320 px: sideways scrolling, serious axe violations."""
    page.goto(path)
    page.wait_for_load_state()
    problems = [f"{path}: {violation}" for violation in serious_violations(page)]
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 320:
        problems.append(f"{path} scrolls sideways: {width} px")
    return problems


def test_the_first_project_comes_before_the_filters_on_a_phone(narrow):
    # Before the filters followed the results in the page, the first project was 52 presses of Tab away
    # (44 after "Aller au contenu"): the keyboard went through the whole filter form drawn below the list.
    lead = UserFactory(username="cheffe", roles=[Role.PROJECT_LEAD])
    ProjectFactory.create_batch(3, lead=lead)
    log_in(narrow, "cheffe", PASSWORD)
    from_top = tabs_to_first_result(narrow, "/projets/")
    assert from_top <= 21, f"{from_top} presses of Tab"
    from_skip_link = tabs_to_first_result(narrow, "/projets/", skip_to_content=True)
    assert from_skip_link <= 13, f"{from_skip_link} presses of Tab after the skip link"
    narrow.get_by_role("link", name="Aller aux filtres").click()
    narrow.keyboard.press("Tab")
    assert narrow.evaluate("document.activeElement.closest('form.filters') !== null")


@pytest.mark.parametrize("role", list(Role))
def test_each_home_page_fits_320_px_and_passes_axe(narrow, role):
    UserFactory(username=f"user-{role.value}", roles=[role])
    log_in(narrow, f"user-{role.value}", PASSWORD)
    assert problems_at_320_px(narrow, "/") == []


def test_the_main_pages_fit_320_px_and_pass_axe(narrow):
    dgs = UserFactory(username="dgs", roles=[Role.DGS], is_staff=True)
    project = ProjectFactory(lead=dgs, title="Guichet numérique unique des démarches de la collectivité")
    contest = ContestFactory(created_by=dgs, title="Simplifier la vie des agents et des usagers du territoire")
    IdeaFactory(contest=contest, title="Un formulaire unique pour toutes les demandes de matériel")
    log_in(narrow, "dgs", PASSWORD)
    problems = []
    for path in [
        "/projets/",
        project.get_absolute_url(),
        "/projets/tableau/",
        "/projets/mes-projets/",
        "/projets/vitrine/",
        "/concours/",
        contest.get_absolute_url(),
        "/tableaux-de-bord/",
        "/rapports/",
        "/enquetes/",
        "/enquetes/questionnaires/",
        Questionnaire.objects.first().get_absolute_url(),
        "/projets/nouveau/",
        "/journal/",
        "/comptes/notifications/",
        "/accessibilite/",
        "/donnees-ouvertes/",
    ]:
        problems += problems_at_320_px(narrow, path)
    assert problems == []


def test_the_accessibility_statement_is_public_and_linked_from_every_footer(narrow):
    narrow.goto("/comptes/connexion/")
    narrow.get_by_role("contentinfo").get_by_role("link", name="Accessibilité : non conforme").click()
    expect(narrow.get_by_role("heading", level=1)).to_have_text("Déclaration d'accessibilité", use_inner_text=True)
    expect(narrow.get_by_text("non conforme", exact=False).first).to_be_visible()
    expect(narrow.get_by_role("heading", name="Voies de recours")).to_be_visible()
    assert problems_at_320_px(narrow, "/accessibilite/") == []
