"""Sign-in through a real OpenID Connect provider (panva/oidc-provider run by Node.js on loopback, pinned in
tests/oidc/package-lock.json): the whole code flow with PKCE in a browser, the account created from the claims,
the role's home page; a tampered token, a token for another client, an expired token and a replayed answer are
refused with a French message and create no account; signing out ends the provider's session too."""

import copy

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.conftest import serious_violations
from tests.factories import DirectionFactory
from tests.oidc.provider import running

ACCOUNTS = {
    "dana": {
        "email": "dana.gerard@bellerive.example",
        "given_name": "Dana",
        "usual_name": "Gérard",
        "direction": "DG",
        "roles": ["grp-direction-generale"],
    }
}


@pytest.fixture
def provider(request, live_server, settings):
    mode = getattr(request, "param", "normal")
    with running(
        redirect_uri=f"{live_server.url}/oidc/retour/",
        post_logout_uri=f"{live_server.url}/comptes/connexion/",
        accounts=ACCOUNTS,
        mode=mode,
    ) as running_provider:
        for name, value in running_provider.settings().items():
            setattr(settings, name, value)
        settings.OIDC_CLAIM_DIRECTION = "direction"
        settings.OIDC_CLAIM_ROLES = "roles"
        settings.OIDC_ROLES_MAP = {"grp-direction-generale": "dgs"}
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "accounts.oidc.PortalOIDCBackend"]
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)  # as settings.py does when OIDC is configured
        policy["DIRECTIVES"]["form-action"].append(running_provider.issuer)
        settings.CONTENT_SECURITY_POLICY = policy
        yield running_provider


def _sign_in_at_provider(page) -> None:
    page.goto("/comptes/connexion/")
    page.get_by_role("link", name="Se connecter avec ProConnect").press("Enter")
    page.locator("input[name=login]").fill("dana")
    page.locator("input[name=password]").fill("peu-importe")
    page.locator("button[type=submit]").click()
    consent = page.locator("button[type=submit]", has_text="Continue")
    if consent.count():
        consent.click()


def test_an_agent_signs_in_through_the_provider_and_lands_on_the_home_of_the_role(page, provider):
    DirectionFactory(code="DG", name="Direction générale des services")
    callbacks = []
    page.on("request", lambda request: callbacks.append(request.url) if "/oidc/retour/" in request.url else None)
    _sign_in_at_provider(page)
    expect(page.get_by_role("heading", name="Bonjour Dana")).to_be_visible()
    expect(page.get_by_role("heading", name="Direction générale", exact=True)).to_be_visible()
    user = User.objects.get(email="dana.gerard@bellerive.example")
    assert (user.first_name, user.last_name, user.direction.code) == ("Dana", "Gérard", "DG")
    assert [role.value for role in user.roles] == ["dgs"]
    assert not user.has_usable_password()
    assert serious_violations(page) == []

    # The provider's answer used a second time (a replayed state and code): refused, no session.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{provider.issuer}/**")
    page.locator("button[type=submit]", has_text="Yes").click()  # the provider confirms the end of its session
    page.wait_for_url("**/comptes/connexion/")
    page.goto(callbacks[0])
    expect(page.get_by_text("La connexion par l'annuaire n'a pas abouti")).to_be_visible()
    assert User.objects.count() == 1
    page.goto("/")
    page.wait_for_url("**/comptes/connexion/**")


@pytest.mark.parametrize("provider", ["tamper", "audience", "expired"], indirect=True)
def test_a_bad_id_token_is_refused_in_french_and_creates_no_account(page, provider):
    _sign_in_at_provider(page)
    page.wait_for_url("**/comptes/connexion/**")
    expect(page.get_by_role("alert").or_(page.locator(".messages"))).to_contain_text(
        "La connexion par l'annuaire n'a pas abouti"
    )
    assert not User.objects.filter(email__icontains="bellerive").exists()
    assert not User.objects.filter(email="intrus@example.org").exists()
