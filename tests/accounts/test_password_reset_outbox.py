"""The password reset answers without waiting for SMTP, doing the same work for a known and an unknown address."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.models import OutgoingEmail
from tests.smtp import smtp_server


@pytest.mark.parametrize("address", ["agent@ville.fr", "inconnu@ville.fr"])
def test_the_reset_request_hands_the_address_to_the_worker_and_never_contacts_smtp(
    client, settings, make_user, monkeypatch, address, django_capture_on_commit_callbacks
):
    make_user(username="agent", email="agent@ville.fr")
    handed = []
    monkeypatch.setattr(services, "_enqueue_password_reset", handed.append)  # no worker in this test
    with smtp_server("hang") as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:password_reset"), {"email": address})
        assert server.connections == 0
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    assert handed == [address]  # the same for both: the address is looked up by the worker
    assert not OutgoingEmail.objects.exists()


def test_the_worker_writes_a_link_for_a_known_address_only(make_user, django_capture_on_commit_callbacks):
    make_user(username="agent", email="agent@ville.fr")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.password_reset_send(email="inconnu@ville.fr") == 0
        assert services.password_reset_send(email="AGENT@ville.fr") == 1
    assert [m.to for m in mail.outbox] == [["agent@ville.fr"]]
    assert "http://127.0.0.1:8000/comptes/mot-de-passe/nouveau/" in mail.outbox[0].body


def test_the_reset_link_is_not_kept_in_the_database_once_sent(client, make_user, django_capture_on_commit_callbacks):
    make_user(username="agent", email="agent@ville.fr")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "agent@ville.fr"})
    email = OutgoingEmail.objects.get(kind=OutgoingEmail.Kind.PASSWORD_RESET)
    assert email.status == OutgoingEmail.Status.SENT
    assert email.body == ""  # the link is in the person's mailbox, not in the database
    assert "/mot-de-passe/nouveau/" in mail.outbox[0].body


def test_an_invalid_address_is_answered_on_the_form(client, db, monkeypatch):
    handed = []
    monkeypatch.setattr(services, "_enqueue_password_reset", handed.append)
    response = client.post(reverse("accounts:password_reset"), {"email": "pas une adresse"})
    assert response.status_code == 200
    assert "valide" in " ".join(response.context["form"].errors["email"])
    assert handed == []
