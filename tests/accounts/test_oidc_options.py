"""The options of the OpenID Connect sign-in that need no provider: roles from a claim, local sign-in off."""

from accounts.oidc import roles_from
from accounts.roles import Role
from tests.factories import PASSWORD, UserFactory


def test_roles_come_from_the_configured_claim_mapped_or_are_left_to_the_dgs(settings):
    settings.OIDC_CLAIM_ROLES = ""
    assert roles_from({"roles": ["dgs"]}) is None
    settings.OIDC_CLAIM_ROLES, settings.OIDC_ROLES_MAP = "groups", {"/innovation/chefs": "project_lead"}
    assert roles_from({"groups": ["/innovation/chefs", "copil", "inconnu"]}) == [Role.PROJECT_LEAD, Role.COPIL]
    assert roles_from({"groups": "agent jury"}) == [Role.AGENT, Role.JURY]
    assert roles_from({}) == []


def test_with_local_sign_in_off_no_password_opens_a_session(client, db, settings):
    UserFactory(username="agent", roles=[Role.AGENT])
    settings.LOCAL_LOGIN_ENABLED = False
    settings.AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.oidc.ReadOnlyModelBackend"]
    page = client.get("/comptes/connexion/").content.decode()
    assert 'name="password"' not in page
    client.post("/comptes/connexion/", {"username": "agent", "password": PASSWORD})
    assert client.get("/").status_code == 302  # still signed out


def test_without_a_provider_the_oidc_addresses_do_not_exist(client, db):
    assert client.get("/oidc/authentification/").status_code == 404
    assert client.get("/oidc/retour/?code=x&state=y").status_code == 404
    assert "Se connecter avec" not in client.get("/comptes/connexion/").content.decode()
