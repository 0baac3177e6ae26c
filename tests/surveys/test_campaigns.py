"""The DGS opens a campaign, invites accounts and addresses, reminds those who have not finished."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from surveys import services
from surveys.models import Campaign, Invitation, Response
from surveys.services import campaign_invite
from tests.factories import DirectionFactory
from tests.surveys.builders import page_text


def test_the_dgs_creates_a_campaign_in_preparation(client, dgs, questionnaire):
    client.force_login(dgs)
    response = client.post(
        "/enquetes/nouvelle/",
        {"questionnaire": questionnaire.pk, "title": "Cadres 2027", "slug": "cadres-2027", "introduction": "Merci !"},
        follow=True,
    )
    campaign = Campaign.objects.get(slug="cadres-2027")
    assert campaign.status == Campaign.Status.DRAFT and campaign.created_by == dgs
    assert "La campagne « Cadres 2027 » est créée" in page_text(response)


@pytest.mark.parametrize("slug", ["r", "questionnaires", "nouvelle", "Pas un slug"])
def test_a_slug_that_would_clash_with_the_addresses_is_refused(client, dgs, questionnaire, slug):
    client.force_login(dgs)
    response = client.post("/enquetes/nouvelle/", {"questionnaire": questionnaire.pk, "title": "X", "slug": slug})
    assert response.status_code == 200
    assert not Campaign.objects.exists()


def test_the_list_is_empty_until_a_campaign_exists(client, dgs, db):
    client.force_login(dgs)
    assert "Aucune campagne pour l'instant" in page_text(client.get("/enquetes/"))


def test_the_list_is_paginated(client, dgs, questionnaire):
    Campaign.objects.bulk_create(
        Campaign(questionnaire=questionnaire, title=f"C{i}", slug=f"c-{i}", created_by=dgs) for i in range(30)
    )
    client.force_login(dgs)
    assert len(client.get("/enquetes/").context["page"]) == 25
    assert len(client.get("/enquetes/?page=2").context["page"]) == 5


def test_inviting_accounts_directions_and_addresses_sends_personal_links(
    client, dgs, campaign, make_user, django_capture_on_commit_callbacks
):
    direction = DirectionFactory(code="DRH")
    member = make_user(Role.AGENT, username="rh1", direction=direction, email="rh1@ville.fr")
    chosen = make_user(Role.AGENT, username="choisi", email="choisi@ville.fr")
    client.force_login(dgs)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("surveys:invite", args=[campaign.slug]),
            {
                "emails": "externe@partenaire.fr; CHOISI@ville.fr\nautre@partenaire.fr",
                "users": [chosen.pk],
                "directions": [direction.pk],
            },
            follow=True,
        )
    assert "4 personnes invitées." in page_text(response)
    invitations = {i.email: i for i in campaign.invitations.all()}
    assert set(invitations) == {"externe@partenaire.fr", "choisi@ville.fr", "autre@partenaire.fr", "rh1@ville.fr"}
    assert invitations["rh1@ville.fr"].user == member
    assert len(mail.outbox) == 4
    message = next(m for m in mail.outbox if m.to == ["externe@partenaire.fr"])
    token = invitations["externe@partenaire.fr"].token
    assert f"/enquetes/r/{token}/" in message.body
    assert all(invitation.sent_at for invitation in Invitation.objects.all())


def test_links_are_long_random_and_distinct(campaign):
    campaign_invite(campaign=campaign, emails=[f"p{i}@ville.fr" for i in range(20)])
    tokens = list(Invitation.objects.values_list("token", flat=True))
    assert len(set(tokens)) == 20
    assert all(len(token) >= 43 and re.fullmatch(r"[A-Za-z0-9_-]+", token) for token in tokens)


def test_nobody_is_invited_twice_and_accounts_without_address_are_reported(client, dgs, campaign, make_user):
    no_mail = make_user(username="sansmail", email="", first_name="Paul", last_name="Sansmail")
    campaign_invite(campaign=campaign, emails=["deja@ville.fr"])
    client.force_login(dgs)
    response = client.post(
        reverse("surveys:invite", args=[campaign.slug]),
        {"emails": "Deja@Ville.fr, nouveau@ville.fr", "users": [no_mail.pk]},
        follow=True,
    )
    page = page_text(response)
    assert "1 personne invitée. 1 l'était déjà. Sans adresse e-mail, donc non invités : Paul Sansmail." in page
    assert campaign.invitations.count() == 2


def test_invalid_addresses_invite_nobody(client, dgs, campaign):
    client.force_login(dgs)
    response = client.post(
        reverse("surveys:invite", args=[campaign.slug]), {"emails": "ok@ville.fr pas-une-adresse"}, follow=True
    )
    assert "Personne n'a été invité : Adresses invalides : pas-une-adresse." in page_text(response)
    assert not campaign.invitations.exists()


def test_an_empty_invitation_is_refused(client, dgs, campaign):
    client.force_login(dgs)
    response = client.post(reverse("surveys:invite", args=[campaign.slug]), {"emails": ""}, follow=True)
    assert "Indiquez au moins une personne" in page_text(response)


def test_invitations_of_a_campaign_in_preparation_wait_for_its_opening(
    client, dgs, campaign, django_capture_on_commit_callbacks
):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.DRAFT)
    campaign.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        campaign_invite(campaign=campaign, emails=["a@ville.fr", "b@ville.fr"])
    assert mail.outbox == []
    client.force_login(dgs)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("surveys:open", args=[campaign.slug]), follow=True)
    assert "La campagne est ouverte ; 2 liens personnels partent par e-mail." in page_text(response)
    assert len(mail.outbox) == 2
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN and campaign.opened_at


def test_reminders_go_to_those_who_have_not_finished(client, dgs, campaign, django_capture_on_commit_callbacks):
    campaign_invite(campaign=campaign, emails=["jamais@ville.fr", "encours@ville.fr", "fini@ville.fr"])
    now = timezone.now()
    Response.objects.create(campaign=campaign, invitation=Invitation.objects.get(email="encours@ville.fr"))
    Response.objects.create(
        campaign=campaign,
        invitation=Invitation.objects.get(email="fini@ville.fr"),
        status=Response.Status.SUBMITTED,
        submitted_at=now,
    )
    mail.outbox.clear()
    client.force_login(dgs)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("surveys:remind", args=[campaign.slug]), follow=True)
    assert "2 relances envoyées aux personnes qui n'ont pas terminé." in page_text(response)
    assert sorted(m.to[0] for m in mail.outbox) == ["encours@ville.fr", "jamais@ville.fr"]
    assert "Rappel" in mail.outbox[0].subject
    reminded = dict(Invitation.objects.values_list("email", "reminder_count"))
    assert reminded == {"jamais@ville.fr": 1, "encours@ville.fr": 1, "fini@ville.fr": 0}


def test_reminders_are_refused_once_the_campaign_is_closed(client, dgs, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    client.force_login(dgs)
    response = client.post(reverse("surveys:remind", args=[campaign.slug]), follow=True)
    assert "Les relances ne partent que pendant que la campagne est ouverte." in page_text(response)


def test_closing_a_campaign_stops_the_links(client, dgs, invitation):
    client.force_login(dgs)
    response = client.post(reverse("surveys:close", args=[invitation.campaign.slug]), follow=True)
    assert "La campagne est clôturée" in page_text(response)
    client.logout()
    assert client.get(invitation.get_absolute_url()).status_code == 404


def test_complete_and_partial_responses_are_counted(client, dgs, campaign):
    from tests.surveys.builders import add_responses

    campaign_invite(campaign=campaign, emails=["x@ville.fr"])
    add_responses(campaign, 3)
    add_responses(campaign, 3, complete=False)
    client.force_login(dgs)
    response = client.get(campaign.get_absolute_url())
    counts = response.context["counts"]
    assert (counts["invited"], counts["not_started"], counts["complete"], counts["partial"]) == (1, 1, 3, 3)
    page = page_text(response)
    assert "50 % des réponses commencées sont complètes." in page
    assert "Enquête nationale : 311 répondants, 50 % de réponses complètes." in page


def test_the_list_of_respondents_is_paginated(client, dgs, campaign):
    campaign_invite(campaign=campaign, emails=[f"p{i:02d}@ville.fr" for i in range(30)])
    client.force_login(dgs)
    assert len(client.get(campaign.get_absolute_url()).context["page"]) == 25
    assert len(client.get(campaign.get_absolute_url() + "?page=2").context["page"]) == 5


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_the_campaign_list_makes_as_many_queries_for_30_campaigns_as_for_3(
    client, dgs, questionnaire, django_assert_num_queries
):
    from tests.surveys.builders import add_responses

    def create(start: int, count: int) -> None:
        for i in range(start, start + count):
            campaign = Campaign.objects.create(
                questionnaire=questionnaire, title=f"C{i}", slug=f"c-{i}", created_by=dgs
            )
            add_responses(campaign, 2)

    client.force_login(dgs)
    create(0, 3)
    small = _queries(client, "/enquetes/")
    create(3, 27)
    with django_assert_num_queries(small):
        client.get("/enquetes/")


def test_the_campaign_page_makes_as_many_queries_for_60_respondents_as_for_3(
    client, dgs, campaign, django_assert_num_queries
):
    from tests.surveys.builders import add_responses

    client.force_login(dgs)
    campaign_invite(campaign=campaign, emails=[f"a{i}@ville.fr" for i in range(3)])
    small = _queries(client, campaign.get_absolute_url())
    campaign_invite(campaign=campaign, emails=[f"b{i}@ville.fr" for i in range(57)])
    for response, invitation in zip(add_responses(campaign, 20), campaign.invitations.all()[:20], strict=True):
        Response.objects.filter(pk=response.pk).update(invitation=invitation)
    with django_assert_num_queries(small):
        client.get(campaign.get_absolute_url())


@pytest.fixture
def two_pending(campaign):
    campaign_invite(campaign=campaign, emails=["jamais@ville.fr", "encours@ville.fr"])
    Response.objects.create(campaign=campaign, invitation=Invitation.objects.get(email="encours@ville.fr"))
    mail.outbox.clear()
    return campaign


def _remind(client, campaign, capture) -> str:
    with capture(execute=True):
        response = client.post(reverse("surveys:remind", args=[campaign.slug]), follow=True)
    return page_text(response)


def test_nobody_is_reminded_twice_within_24_hours(client, dgs, two_pending, django_capture_on_commit_callbacks):
    client.force_login(dgs)
    _remind(client, two_pending, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    page = _remind(client, two_pending, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2, "no second message"
    assert (
        "Aucune relance envoyée. 2 personnes déjà relancées il y a moins de 24 heures ne le sont pas de nouveau."
        in page
    )
    assert set(Invitation.objects.values_list("reminder_count", flat=True)) == {1}


def test_a_person_reminded_more_than_24_hours_ago_is_reminded_again(
    client, dgs, two_pending, django_capture_on_commit_callbacks
):
    now = timezone.now()
    Invitation.objects.filter(email="jamais@ville.fr").update(
        last_reminded_at=now - timedelta(hours=25), reminder_count=1
    )
    Invitation.objects.filter(email="encours@ville.fr").update(
        last_reminded_at=now - timedelta(hours=23), reminder_count=1
    )
    client.force_login(dgs)
    page = _remind(client, two_pending, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["jamais@ville.fr"]]
    assert (
        "1 relance envoyée à une personne qui n'a pas terminé. "
        "1 personne déjà relancée il y a moins de 24 heures ne l'est pas de nouveau." in page
    )
    counts = dict(Invitation.objects.values_list("email", "reminder_count"))
    assert counts == {"jamais@ville.fr": 2, "encours@ville.fr": 1}


def test_the_claim_is_a_conditional_update_so_a_repeated_call_reminds_nobody(
    two_pending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.campaign_send_reminders(campaign=two_pending)
        second = services.campaign_send_reminders(campaign=two_pending)
    assert (first.sent, first.skipped, second.sent, second.skipped) == (2, 0, 0, 2)
    assert len(mail.outbox) == 2


def test_when_everyone_has_finished_the_dgs_is_told_nothing_was_sent(
    client, dgs, campaign, django_capture_on_commit_callbacks
):
    client.force_login(dgs)
    page = _remind(client, campaign, django_capture_on_commit_callbacks)
    assert "Aucune relance à envoyer : toutes les personnes invitées ont terminé." in page
    assert mail.outbox == []


def test_the_invitations_list_shows_the_date_of_the_last_reminder(client, dgs, two_pending):
    reminded = datetime(2026, 11, 3, 8, 30, tzinfo=UTC)
    Invitation.objects.filter(email="jamais@ville.fr").update(last_reminded_at=reminded, reminder_count=2)
    client.force_login(dgs)
    page = page_text(client.get(two_pending.get_absolute_url()))
    assert '<th scope="col">Dernière relance</th>' in page
    rows = {
        cells[0]: cells[3:5]  # reminders, last reminder
        for cells in (re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in page.split("<tr>"))
        if cells
    }
    assert rows["jamais@ville.fr"] == ["2", "03/11/2026 09:30"]  # Paris time
    assert rows["encours@ville.fr"] == ["0", "—"]


def test_an_invitation_counts_as_sent_only_once_its_email_has_left(
    client, dgs, campaign, settings, django_capture_on_commit_callbacks
):
    from accounts import outbox
    from accounts.models import OutgoingEmail
    from tests.smtp import smtp_server

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT, settings.EMAIL_MAX_ATTEMPTS = False, 1, 1
    client.force_login(dgs)
    with smtp_server("refuse") as server:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("surveys:invite", args=[campaign.slug]), {"emails": "externe@partenaire.fr"})
    invitation = Invitation.objects.get()
    assert invitation.sent_at is None and invitation.link_email.status == OutgoingEmail.Status.FAILED
    assert "en échec" in page_text(client.get(reverse("surveys:campaign", args=[campaign.slug])))
    with smtp_server("accept") as server:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        with django_capture_on_commit_callbacks(execute=True):
            outbox.email_resend(email=invitation.link_email)
        assert invitation.token in server.messages[0]
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
