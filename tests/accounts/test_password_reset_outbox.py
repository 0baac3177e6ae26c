"""The password reset answers without waiting for SMTP, the same way for a known and an unknown address."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts import outbox
from accounts.models import OutgoingEmail
from tests.smtp import smtp_server


@pytest.mark.parametrize("address", ["agent@ville.fr", "inconnu@ville.fr"])
def test_the_reset_request_never_contacts_a_hanging_smtp_server(
    client, settings, make_user, monkeypatch, address, django_capture_on_commit_callbacks
):
    make_user(username="agent", email="agent@ville.fr")
    queued = []
    monkeypatch.setattr(outbox, "_enqueue", queued.append)  # the worker sends it later
    with smtp_server("hang") as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:password_reset"), {"email": address})
        assert server.connections == 0
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    assert len(queued) == (1 if address == "agent@ville.fr" else 0)


def test_the_reset_link_leaves_through_the_outbox_and_is_not_kept_once_sent(
    client, make_user, django_capture_on_commit_callbacks
):
    make_user(username="agent", email="agent@ville.fr")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "agent@ville.fr"})
    assert "/comptes/mot-de-passe/nouveau/" in mail.outbox[0].body
    email = OutgoingEmail.objects.get(kind=OutgoingEmail.Kind.PASSWORD_RESET)
    assert email.status == OutgoingEmail.Status.SENT
    assert email.body == ""  # the link is in the person's mailbox, not in the database
