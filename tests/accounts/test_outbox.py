"""The outbox: e-mails written with the action, sent by the worker, retried, failed deliveries resent by the DGS."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import outbox
from accounts.models import Notification, NotificationKind, OutgoingEmail
from accounts.services import digests_send, notify
from tests.smtp import smtp_server

Status = OutgoingEmail.Status


@pytest.fixture
def smtp_settings(settings):
    def point_at(server, attempts=2):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 1
        settings.EMAIL_MAX_ATTEMPTS = attempts

    return point_at


def _tell(user, kind=NotificationKind.IDEA_STATUS, message="Votre idée avance."):
    with transaction.atomic():
        notify(users=[user], kind=kind, subject="Votre idée", message=message, url="/concours/")


def _due_now(email):
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())


def test_a_notification_is_in_the_inbox_and_its_email_is_sent_after_the_commit(
    agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        _tell(agent)
    assert Notification.objects.get(user=agent).message == "Votre idée avance."
    email = OutgoingEmail.objects.get(to=agent.email)
    assert email.status == Status.QUEUED and mail.outbox == []  # nothing leaves during the action
    for callback in callbacks:
        callback()
    email.refresh_from_db()
    assert email.status == Status.SENT and email.sent_at is not None
    assert mail.outbox[0].to == [agent.email]
    assert "http://127.0.0.1:8000/concours/" in mail.outbox[0].body
    assert "/comptes/notifications/preferences/" in mail.outbox[0].body


def test_nothing_is_queued_when_the_action_is_rolled_back(agent):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(users=[agent], kind=NotificationKind.IDEA_STATUS, subject="s", message="m")
        raise RuntimeError
    assert not OutgoingEmail.objects.exists() and not Notification.objects.exists()


def test_a_refusing_server_gets_further_attempts_then_the_message_is_failed_and_logged(
    agent, smtp_settings, django_capture_on_commit_callbacks, caplog
):
    with smtp_server("refuse") as server:
        smtp_settings(server, attempts=2)
        with django_capture_on_commit_callbacks(execute=True):
            _tell(agent)
        email = OutgoingEmail.objects.get()
        assert (email.status, email.attempts) == (Status.QUEUED, 1)
        assert email.next_attempt_at > timezone.now()  # the retry waits for its delay
        assert outbox.email_send(email_id=email.pk) is None  # too early: not claimed
        _due_now(email)
        assert outbox.email_send(email_id=email.pk) is None
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.FAILED, 2)
    assert "554" in email.last_error
    assert "failed for good after 2 attempts" in caplog.text


def test_a_hanging_server_is_given_up_after_the_timeout(agent, smtp_settings, django_capture_on_commit_callbacks):
    with smtp_server("hang") as server:
        smtp_settings(server, attempts=1)
        with django_capture_on_commit_callbacks(execute=True):
            _tell(agent)
    email = OutgoingEmail.objects.get()
    assert email.status == Status.FAILED
    assert "timed out" in email.last_error


def test_the_delay_between_attempts_doubles_up_to_an_hour(settings):
    settings.EMAIL_RETRY_DELAY = 60
    assert [outbox.retry_delay(n) for n in (1, 2, 3, 7, 20)] == [60, 120, 240, 3600, 3600]


def test_lost_messages_are_queued_again(agent, django_capture_on_commit_callbacks):
    lost = outbox.email_queue(to="perdu@ville.fr", kind=OutgoingEmail.Kind.NOTIFICATION, subject="s", body="b")
    stuck = outbox.email_queue(to="bloque@ville.fr", kind=OutgoingEmail.Kind.NOTIFICATION, subject="s", body="b")
    recent = outbox.email_queue(to="recent@ville.fr", kind=OutgoingEmail.Kind.NOTIFICATION, subject="s", body="b")
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    OutgoingEmail.objects.filter(pk=lost.pk).update(next_attempt_at=an_hour_ago)
    OutgoingEmail.objects.filter(pk=stuck.pk).update(status=Status.SENDING, claimed_at=an_hour_ago)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.requeue_lost_emails() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["bloque@ville.fr", "perdu@ville.fr"]
    assert OutgoingEmail.objects.get(pk=recent.pk).status == Status.QUEUED


def test_the_dgs_sees_failed_deliveries_and_resends_one(
    client, dgs, agent, smtp_settings, django_capture_on_commit_callbacks
):
    with smtp_server("refuse") as server:
        smtp_settings(server, attempts=1)
        with django_capture_on_commit_callbacks(execute=True):
            _tell(agent, message="Votre idée <b>avance</b>.")
    email = OutgoingEmail.objects.get()
    client.force_login(dgs)
    page = client.get(reverse("accounts:failed_emails")).content.decode()
    assert agent.email in page and "554" in page and "Renvoyer" in page
    with smtp_server("accept") as server:
        smtp_settings(server)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:email_resend", args=[email.pk]), follow=True)
        assert "repart" in response.content.decode()
        assert len(server.messages) == 1 and "Votre id" in server.messages[0]
    email.refresh_from_db()
    assert email.status == Status.SENT
    again = client.post(reverse("accounts:email_resend", args=[email.pk]), follow=True)
    assert "n&#x27;est plus en échec" in again.content.decode()
    assert "Aucun envoi en échec" in again.content.decode()


def test_only_the_dgs_sees_and_resends_failed_deliveries(client, agent):
    email = outbox.email_queue(to="x@ville.fr", kind=OutgoingEmail.Kind.NOTIFICATION, subject="s", body="b")
    OutgoingEmail.objects.filter(pk=email.pk).update(status=Status.FAILED)
    client.force_login(agent)
    assert client.get(reverse("accounts:failed_emails")).status_code == 403
    assert client.post(reverse("accounts:email_resend", args=[email.pk])).status_code == 403
    assert OutgoingEmail.objects.get(pk=email.pk).status == Status.FAILED


def test_resending_takes_a_post(client, dgs):
    client.force_login(dgs)
    assert client.get(reverse("accounts:email_resend", args=[1])).status_code == 405


def test_a_person_who_chose_the_portal_only_gets_no_email(client, agent):
    client.force_login(agent)
    response = client.post(
        reverse("accounts:notification_preferences"),
        {kind.value: "in_app" for kind in NotificationKind},
        follow=True,
    )
    assert "Vos préférences de notification sont enregistrées." in response.content.decode()
    _tell(agent)
    assert Notification.objects.filter(user=agent).exists()
    assert not OutgoingEmail.objects.exists()


def test_the_daily_digest_gathers_the_notifications_once(agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _tell(agent, kind=NotificationKind.IDEA_ACTIVITY, message="Nouveau commentaire sur votre idée « A ».")
        _tell(agent, kind=NotificationKind.IDEA_ACTIVITY, message="Votre idée « A » a reçu un nouveau soutien.")
    assert mail.outbox == []  # comments and supports go to the digest by default
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send() == 1
        assert digests_send() == 0
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Nouveau commentaire sur votre idée « A »." in body and "nouveau soutien" in body
    assert "2 nouvelles notifications" in mail.outbox[0].subject


def test_the_preferences_page_shows_the_choices_and_refuses_a_bad_one(client, agent):
    client.force_login(agent)
    page = client.get(reverse("accounts:notifications")).content.decode()
    assert reverse("accounts:notification_preferences") in page
    page = client.get(reverse("accounts:notification_preferences")).content.decode()
    assert "Commentaires et soutiens sur mes idées" in page and 'type="radio"' in page
    response = client.post(reverse("accounts:notification_preferences"), {"idea_status": "pigeon"})
    assert response.status_code == 400
    assert "Certains choix ne sont pas valides" in response.content.decode()
    assert not agent.notification_preferences.exists()


def test_the_preferences_page_needs_a_sign_in(client):
    response = client.get(reverse("accounts:notification_preferences"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
