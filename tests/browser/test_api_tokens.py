"""A person creates an API token by keyboard in « Mon compte », reads the API with it, revokes it; the API's
documentation opens from the portal's own files under the strict CSP."""

import re

from playwright.sync_api import expect

from accounts.roles import Role
from tests.browser.conftest import log_in, serious_violations
from tests.factories import PASSWORD, ProjectFactory, UserFactory


def test_an_agent_creates_a_token_reads_the_api_and_revokes_it(page):
    agent = UserFactory(username="agent", roles=[Role.AGENT])
    ProjectFactory(title="Navette électrique")
    log_in(page, "agent", PASSWORD)
    page.goto("/comptes/profil/")
    page.get_by_role("link", name="Jetons d'API").press("Enter")
    expect(page.get_by_role("heading", name="Jetons d'API", level=1)).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Nom du jeton").fill("Tableur de la DSI")
    page.get_by_label("Valide pendant").select_option("30")
    page.get_by_role("button", name="Créer le jeton").press("Enter")
    expect(page.get_by_text("Copiez-le maintenant")).to_be_visible()
    token = page.locator("code.token").inner_text()
    assert re.fullmatch(r"ipt_[\w-]{40,}", token)
    assert serious_violations(page) == []

    answer = page.request.get("/api/projets", headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 200
    assert [p["title"] for p in answer.json()["items"]] == ["Navette électrique"]

    page.get_by_role("button", name="Révoquer le jeton Tableur de la DSI").press("Enter")
    expect(page.get_by_text("est révoqué")).to_be_visible()
    page.context.clear_cookies()  # the token alone, without the session
    assert page.request.get("/api/projets", headers={"Authorization": f"Bearer {token}"}).status == 401
    assert agent.api_tokens.get().revoked_at is not None


def test_the_api_documentation_loads_from_the_portal(page):
    UserFactory(username="dgs", roles=[Role.DGS])
    log_in(page, "dgs", PASSWORD)
    sources = []
    page.on("request", lambda request: sources.append(request.url))
    page.goto("/api/docs")
    expect(page.get_by_text("/api/projets", exact=True).first).to_be_visible()
    assert all(url.startswith(page.url.split("/api/")[0]) for url in sources)
