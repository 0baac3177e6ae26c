"""Who reaches which survey page: the DGS runs campaigns and sees identities, the steering
committee reads aggregated results, everyone else is turned away."""

import pytest
from django.urls import reverse

from surveys.models import Campaign
from tests.surveys.builders import add_responses, page_text

READ_VIEWS = [
    ("get", "surveys:campaign", ()),
    ("get", "surveys:results", ()),
    ("get", "surveys:results_csv", ()),
    ("get", "surveys:results_texts", ("B5",)),
]
MANAGE_VIEWS = [
    ("post", "surveys:open", ()),
    ("post", "surveys:close", ()),
    ("post", "surveys:invite", ()),
    ("post", "surveys:remind", ()),
    ("get", "surveys:import", ()),
    ("get", "surveys:responses_csv", ()),
    ("get", "surveys:responses_xlsx", ()),
]


def url(name: str, campaign: Campaign, extra: tuple = ()) -> str:
    return reverse(name, args=[campaign.slug, *extra])


@pytest.mark.parametrize(("method", "name", "extra"), READ_VIEWS + MANAGE_VIEWS)
def test_a_stranger_gets_404_on_every_campaign_view(client, stranger, campaign, method, name, extra):
    client.force_login(stranger)
    assert getattr(client, method)(url(name, campaign, extra)).status_code == 404


def test_a_stranger_gets_404_on_the_erasure_of_a_respondent(client, stranger, invitation):
    client.force_login(stranger)
    assert client.get(url("surveys:erase", invitation.campaign, (invitation.pk,))).status_code == 404


@pytest.mark.parametrize(("method", "name", "extra"), READ_VIEWS)
def test_the_copil_reads_the_results(client, copil, campaign, method, name, extra):
    add_responses(campaign, 5, {"B5": "Un texte libre"})
    client.force_login(copil)
    assert getattr(client, method)(url(name, campaign, extra)).status_code == 200


@pytest.mark.parametrize(("method", "name", "extra"), MANAGE_VIEWS)
def test_the_copil_cannot_run_a_campaign_nor_see_responses(client, copil, campaign, method, name, extra):
    client.force_login(copil)
    assert getattr(client, method)(url(name, campaign, extra)).status_code == 403


def test_the_copil_cannot_erase_a_respondent(client, copil, invitation):
    client.force_login(copil)
    assert client.get(url("surveys:erase", invitation.campaign, (invitation.pk,))).status_code == 403


@pytest.mark.parametrize(("method", "name", "extra"), READ_VIEWS + [m for m in MANAGE_VIEWS if m[0] == "get"])
def test_the_dgs_reaches_every_campaign_view(client, dgs, campaign, method, name, extra):
    client.force_login(dgs)
    assert getattr(client, method)(url(name, campaign, extra)).status_code == 200


def test_the_copil_does_not_see_a_campaign_in_preparation(client, copil, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.DRAFT)
    client.force_login(copil)
    assert client.get(url("surveys:results", campaign)).status_code == 404
    assert "Enquête des cadres 2026" not in page_text(client.get("/enquetes/"))


def test_the_copil_sees_participation_but_no_identity(client, copil, invitation):
    client.force_login(copil)
    page = page_text(client.get(invitation.campaign.get_absolute_url()))
    assert "Participation" in page
    assert invitation.email not in page and "Inviter des répondants" not in page


def test_the_dgs_sees_who_was_invited(client, dgs, invitation):
    client.force_login(dgs)
    page = page_text(client.get(invitation.campaign.get_absolute_url()))
    assert invitation.email in page and "Inviter des répondants" in page


@pytest.mark.parametrize(("user_fixture", "status"), [("dgs", 200), ("copil", 200), ("stranger", 403)])
def test_the_list_of_campaigns(client, request, campaign, user_fixture, status):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get("/enquetes/")
    assert response.status_code == status
    if status == 200:
        assert "Enquête des cadres 2026" in page_text(response)


@pytest.mark.parametrize(("user_fixture", "status"), [("dgs", 200), ("copil", 403), ("stranger", 403)])
def test_only_the_dgs_creates_a_campaign(client, request, db, user_fixture, status):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get("/enquetes/nouvelle/").status_code == status


@pytest.mark.parametrize(("user_fixture", "status"), [("dgs", 200), ("copil", 200), ("stranger", 403)])
def test_the_list_of_questionnaires(client, request, questionnaire, user_fixture, status):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get("/enquetes/questionnaires/").status_code == status


@pytest.mark.parametrize(
    "path",
    [
        "/enquetes/",
        "/enquetes/nouvelle/",
        "/enquetes/questionnaires/",
        "/enquetes/cadres-2026/",
        "/enquetes/cadres-2026/resultats/",
        "/enquetes/cadres-2026/resultats.csv",
        "/enquetes/cadres-2026/reponses.csv",
        "/enquetes/cadres-2026/importer/",
    ],
)
def test_every_management_page_needs_a_login(client, campaign, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/comptes/connexion/")


def test_surveys_are_in_the_navigation_of_the_dgs_and_the_copil_only(client, dgs, copil, agent):
    for user in (dgs, copil):
        client.force_login(user)
        assert 'href="/enquetes/">Enquêtes</a>' in client.get("/").content.decode()
    client.force_login(agent)
    assert 'href="/enquetes/"' not in client.get("/").content.decode()


def test_the_role_groups_hold_the_survey_permissions(db):
    from django.contrib.auth.models import Group

    dgs = set(Group.objects.get(name="dgs").permissions.values_list("codename", flat=True))
    copil = set(Group.objects.get(name="copil").permissions.values_list("codename", flat=True))
    assert {"add_campaign", "change_campaign", "view_results", "view_respondents", "add_questionnaire"} <= dgs
    assert "view_results" in copil and not {"change_campaign", "view_respondents"} & copil
