"""A respondent's answers are deleted on request; identities stay with the DGS."""

from django.urls import reverse

from surveys.models import Answer, Invitation, Response
from tests.surveys.builders import add_responses, page_text


def _answer_as(invitation) -> Response:
    response = add_responses(invitation.campaign, 1)[0]
    Response.objects.filter(pk=response.pk).update(invitation=invitation, origin=Response.Origin.WEB)
    return response


def test_the_dgs_deletes_a_respondents_answers_on_request(client, dgs, invitation):
    _answer_as(invitation)
    add_responses(invitation.campaign, 5)
    client.force_login(dgs)
    url = reverse("surveys:erase", args=[invitation.campaign.slug, invitation.pk])
    confirm = page_text(client.get(url))
    assert "seront supprimées définitivement" in confirm and invitation.email in confirm
    response = client.post(url, follow=True)
    assert f"Les réponses et l'invitation de {invitation.email} sont supprimées." in page_text(response)
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert Response.objects.count() == 5
    assert Answer.objects.filter(response__invitation__isnull=False).count() == 0


def test_after_erasure_the_link_no_longer_works_and_results_forget_the_person(client, dgs, invitation):
    _answer_as(invitation)
    add_responses(invitation.campaign, 5, {"B1": "societal"})
    client.force_login(dgs)
    results = client.get(reverse("surveys:results", args=[invitation.campaign.slug])).context["results"]
    assert results.total == 6
    client.post(reverse("surveys:erase", args=[invitation.campaign.slug, invitation.pk]))
    results = client.get(reverse("surveys:results", args=[invitation.campaign.slug])).context["results"]
    assert results.total == 5
    client.logout()
    assert client.get(reverse("surveys:respond", args=[invitation.token])).status_code == 404


def test_erasing_needs_a_confirmation_posted(client, dgs, invitation):
    client.force_login(dgs)
    client.get(reverse("surveys:erase", args=[invitation.campaign.slug, invitation.pk]))
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_an_invitation_of_another_campaign_is_a_404(client, dgs, invitation, questionnaire):
    from surveys.models import Campaign

    other = Campaign.objects.create(questionnaire=questionnaire, title="Autre", slug="autre", created_by=dgs)
    client.force_login(dgs)
    assert client.get(reverse("surveys:erase", args=[other.slug, invitation.pk])).status_code == 404


def test_results_and_exports_never_carry_identities(client, dgs, copil, invitation):
    _answer_as(invitation)
    add_responses(invitation.campaign, 5)
    client.force_login(dgs)
    for name in ("surveys:results", "surveys:results_csv", "surveys:responses_csv"):
        response = client.get(reverse(name, args=[invitation.campaign.slug]))
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        body = raw.decode("utf-8-sig")
        assert invitation.email not in body, name
