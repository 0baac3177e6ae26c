"""Typing the title of an idea shows, as one types, the similar idea and project; the keyboard reaches them."""

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
    assert region.get_by_role("link", name="Plateforme de covoiturage pour les agents").is_visible()
    assert serious_violations(page) == []

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Covoiturage des agents"

    title.fill("Vote")
    page.keyboard.type("s électroniques")
    region.get_by_text("Aucune idée ni aucun projet au titre proche.").wait_for()
