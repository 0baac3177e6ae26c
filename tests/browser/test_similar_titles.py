"""Typing the title of an idea shows, as one types, the similar idea and project; the keyboard reaches them."""

from playwright.sync_api import expect

from accounts.roles import Role
from tests.browser.conftest import log_in, serious_violations
from tests.factories import PASSWORD, ContestFactory, IdeaFactory, ProjectFactory, UserFactory


def test_typing_a_title_shows_the_similar_idea_and_project_reachable_by_keyboard(page):
    UserFactory(username="agent", roles=[Role.AGENT])
    contest = ContestFactory(slug="mobilite", title="Mobilité")
    IdeaFactory(contest=contest, title="Covoiturage des agents")
    ProjectFactory(title="Plateforme de covoiturage pour les agents")
    log_in(page, "agent", PASSWORD)
    page.goto("/concours/mobilite/idees/nouvelle/")

    title = page.get_by_label("Titre")
    title.click()
    page.keyboard.type("Covoitrage entre agents", delay=30)
    region = page.locator("#similar-suggestions")
    suggestion = region.get_by_role("link", name="Covoiturage des agents")
    suggestion.wait_for()
    assert region.get_attribute("aria-live") == "polite"
    expect(region.get_by_role("link", name="Plateforme de covoiturage pour les agents")).to_be_visible()
    assert serious_violations(page) == []

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Covoiturage des agents"

    title.fill("Vote")
    page.keyboard.type("s électroniques")
    region.get_by_text("Aucune idée ni aucun projet au titre proche.").wait_for()


def test_the_dgs_merges_a_duplicate_through_accessible_pages(page):
    UserFactory(username="dgs", roles=[Role.DGS], is_staff=True)
    contest = ContestFactory(slug="mobilite", title="Mobilité")
    target = IdeaFactory(contest=contest, title="Covoiturage des agents")
    duplicate = IdeaFactory(contest=contest, title="Covoiturage entre agents")
    log_in(page, "dgs", PASSWORD)
    page.goto(duplicate.get_absolute_url())
    page.get_by_role("link", name="Fusionner cette idée dans une autre idée du concours").click()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Covoiturage des agents").click()  # the similar title, proposed first
    expect(page.get_by_role("heading", name="Confirmer la fusion")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Confirmer la fusion").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{target.get_absolute_url()}")
    expect(page.locator(".messages")).to_contain_text("est fusionnée dans celle-ci", use_inner_text=True)
    assert serious_violations(page) == []


def test_the_suggestions_fit_a_narrow_screen(browser, live_server, reference_data):
    UserFactory(username="agent", roles=[Role.AGENT])
    contest = ContestFactory(slug="mobilite", title="Mobilité")
    IdeaFactory(contest=contest, title="Covoiturage des agents de la direction des ressources humaines")
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 320, "height": 640})
    page = context.new_page()
    log_in(page, "agent", PASSWORD)
    page.goto("/concours/mobilite/idees/nouvelle/")
    page.get_by_label("Titre").press_sequentially("Covoiturage des agents")
    page.locator("#similar-suggestions").get_by_role("link").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
