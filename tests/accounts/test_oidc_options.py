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


def test_in_a_network_the_claim_places_the_person_in_their_collectivite(db, settings):
    from accounts.models import Organisation
    from accounts.oidc import PortalOIDCBackend, organisation_from
    from tests.factories import DirectionFactory

    amont = Organisation.objects.create(name="Amont", kind="commune", slug="amont")
    aval = Organisation.objects.create(name="Aval", kind="commune", slug="aval")
    DirectionFactory(organisation=amont, code="DRH")
    drh_aval = DirectionFactory(organisation=aval, code="DRH")
    claims = {"email": "lea@aval.example", "sub": "42", "collectivite": "aval", "service": "DRH"}
    settings.OIDC_CLAIM_ORGANISATION, settings.OIDC_CLAIM_DIRECTION = "", "service"
    backend = PortalOIDCBackend()
    assert organisation_from(claims) is None  # several collectivités and no claim: nobody to place the person
    assert not backend.verify_claims(claims)

    settings.OIDC_CLAIM_ORGANISATION = "collectivite"
    assert backend.verify_claims(claims)
    person = backend.create_user(claims)
    assert (person.organisation, person.direction) == (aval, drh_aval)
    assert not backend.verify_claims({**claims, "email": "x@y.example", "collectivite": "inconnue"})


def test_a_single_collectivite_places_everyone_without_a_claim(db, settings):
    from accounts.models import Organisation
    from accounts.oidc import PortalOIDCBackend

    only = Organisation.objects.create(name="Seule", kind="commune")
    settings.OIDC_CLAIM_ORGANISATION = ""
    person = PortalOIDCBackend().create_user({"email": "paul@ville.example", "sub": "7"})
    assert person.organisation == only
