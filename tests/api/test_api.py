"""The read API: tokens created and revoked by each person, 401 without one, the same access as the pages for
every route (a parity test), pagination, the rate limit, and the OpenAPI schema with its local documentation."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.roles import Role
from api import services
from api.models import ApiToken
from contests.models import Contest
from portfolio.models import Project
from tests.factories import ContestFactory, IdeaFactory, ProjectFactory

ROLES = {
    "dgs": [Role.DGS],
    "lead": [Role.PROJECT_LEAD, Role.AGENT],
    "agent": [Role.AGENT],
    "jury": [Role.JURY, Role.AGENT],
    "copil": [Role.COPIL],
}


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()


@pytest.fixture
def people(make_user):
    return {name: make_user(*roles, username=name) for name, roles in ROLES.items()}


def bearer(user) -> dict[str, str]:
    _row, token = services.token_create(user=user, name="BI", days=30)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_anonymous_and_bad_tokens_get_401(client, people):
    assert client.get("/api/projets").status_code == 401
    assert client.get("/api/projets", HTTP_AUTHORIZATION="Bearer ipt_nope").status_code == 401
    row, token = services.token_create(user=people["agent"], name="BI", days=30)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/projets", **headers).status_code == 200
    services.token_revoke(token=row, by=people["agent"])
    assert client.get("/api/projets", **headers).status_code == 401
    row, token = services.token_create(user=people["agent"], name="BI", days=30)
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/api/projets", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    row, token = services.token_create(user=people["agent"], name="BI", days=30)
    people["agent"].is_active = False
    people["agent"].save()
    assert client.get("/api/projets", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_only_the_hash_is_kept_and_the_token_is_shown_once(client, people):
    client.force_login(people["agent"])
    response = client.post("/comptes/jetons-api/", {"name": "Power BI", "days": "90"})
    token = response.context["created"]
    assert token.startswith("ipt_") and token in response.content.decode()
    row = ApiToken.objects.get()
    assert token not in (row.key_hash, row.prefix) and row.key_hash == services.token_hash(token)
    assert token not in client.get("/comptes/jetons-api/").content.decode()
    assert client.post("/comptes/jetons-api/", {"name": "x", "days": "7"}).status_code == 400


def test_a_person_revokes_only_their_own_tokens(client, people):
    row, _token = services.token_create(user=people["agent"], name="BI", days=30)
    client.force_login(people["lead"])
    assert client.post(f"/comptes/jetons-api/{row.pk}/revoquer/").status_code == 404
    client.force_login(people["agent"])
    response = client.post(f"/comptes/jetons-api/{row.pk}/revoquer/", follow=True)
    assert "est révoqué" in response.content.decode()
    row.refresh_from_db()
    assert row.revoked_at is not None


def _world(people):
    """Objects each role may or may not see: a restricted project, an open one, a draft and an open contest."""
    ProjectFactory(title="Ouvert à tous", lead=people["lead"])
    ProjectFactory(title="Restreint", lead=people["lead"], visibility=Project.Visibility.RESTRICTED)
    ProjectFactory(title="Restreint d'un autre", visibility=Project.Visibility.RESTRICTED)
    ContestFactory(slug="brouillon", state=Contest.State.DRAFT)
    open_contest = ContestFactory(slug="ouvert")
    IdeaFactory(contest=open_contest, title="Idée visible")
    IdeaFactory(contest=open_contest, title="Brouillon d'idée", status="draft", submitted_at=None)


def test_every_route_answers_as_its_page_for_every_role(client, people):
    """Parity: for each person and each object, the API gives the same status as the page (200, 403 or 404),
    and its lists hold exactly what the pages list."""
    _world(people)
    routes = [
        *[(f"/api/projets/{p.pk}", f"/projets/{p.pk}/") for p in Project.objects.all()],
        *[(f"/api/concours/{c.slug}", f"/concours/{c.slug}/") for c in Contest.objects.all()],
        ("/api/concours/inconnu", "/concours/inconnu/"),
        ("/api/projets/999999", "/projets/999999/"),
    ]
    checked = 0
    for name, user in people.items():
        headers = bearer(user)
        client.force_login(user)
        for api_url, page_url in routes:
            assert client.get(api_url, **headers).status_code == client.get(page_url).status_code, (name, api_url)
            checked += 1
        listed = {p["id"] for p in client.get("/api/projets?page=1", **headers).json()["items"]}
        page = client.get("/projets/").content.decode()
        assert listed == {p.pk for p in Project.objects.all() if f"/projets/{p.pk}/" in page}, name
        contests_listed = {c["slug"] for c in client.get("/api/concours", **headers).json()["items"]}
        assert contests_listed == {
            c.slug for c in Contest.objects.all() if f"/concours/{c.slug}/" in client.get("/concours/").content.decode()
        }, name
        ideas = [i["title"] for i in client.get("/api/concours/ouvert", **headers).json()["ideas"]]
        assert "Brouillon d'idée" not in ideas and "Idée visible" in ideas
    assert checked == len(people) * len(routes)


def test_survey_results_and_dashboard_follow_the_page_permissions(client, people):
    from surveys.models import Campaign

    campaign = Campaign.objects.first()
    for name, user in people.items():
        headers = bearer(user)
        client.force_login(user)
        assert (
            client.get("/api/tableaux-de-bord", **headers).status_code == client.get("/tableaux-de-bord/").status_code
        ), name
        if campaign is not None:
            api = client.get(f"/api/enquetes/{campaign.slug}/resultats", **headers).status_code
            assert api == client.get(f"/enquetes/{campaign.slug}/resultats/").status_code, name
    data = client.get("/api/tableaux-de-bord?trimestre=2026Q2", **bearer(people["dgs"])).json()
    assert data["quarter"] == "2026Q2" and data["as_of"] == "2026-06-30"
    assert {f["key"] for f in data["key_figures"]} >= {"new", "moves", "completed"}
    bad = client.get("/api/tableaux-de-bord?trimestre=demain", **bearer(people["dgs"]))
    assert bad.status_code == 400 and "n'est pas un trimestre" in bad.json()["detail"]


def test_lists_are_paginated(client, people):
    for i in range(60):
        ProjectFactory(title=f"P{i:02d}", lead=people["lead"])
    headers = bearer(people["agent"])
    first = client.get("/api/projets", **headers).json()
    second = client.get("/api/projets?page=2", **headers).json()
    assert first["count"] == 60 and len(first["items"]) == 50 and len(second["items"]) == 10
    assert not {p["id"] for p in first["items"]} & {p["id"] for p in second["items"]}
    assert client.get("/api/projets?statut=magique", **headers).status_code == 400


def test_the_rate_limit_answers_429(client, people, settings):
    from api import api as module

    headers = bearer(people["agent"])
    throttle = module.api.throttle[0]
    throttle.rate, (throttle.num_requests, throttle.duration) = "3/m", throttle.parse_rate("3/m")
    try:
        statuses = [client.get("/api/concours", **headers).status_code for _ in range(4)]
    finally:
        throttle.rate = f"{settings.API_RATE_PER_MINUTE}/m"
        throttle.num_requests, throttle.duration = throttle.parse_rate(throttle.rate)
    assert statuses == [200, 200, 200, 429]


def test_the_schema_and_its_documentation_are_served_locally(client, people):
    schema = client.get("/api/openapi.json").json()
    assert {
        "/api/projets",
        "/api/projets/{project_id}",
        "/api/concours",
        "/api/concours/{slug}",
        "/api/enquetes/{slug}/resultats",
        "/api/tableaux-de-bord",
    } <= set(schema["paths"])
    client.force_login(people["agent"])
    docs = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
