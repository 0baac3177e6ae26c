"""Login, lockout, sessions and password rules."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD

LOGIN = "/comptes/connexion/"


def post_login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_page_is_in_french(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()
    assert "Se connecter" in response.content.decode()


def test_a_person_logs_in_and_the_session_key_changes(client, agent):
    client.get(LOGIN)
    client.session.save()
    key_before = client.session.session_key
    response = post_login(client, "agent", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session.session_key != key_before
    assert "Vous êtes connecté·e." in client.get("/").content.decode()


def test_a_wrong_password_gives_a_french_message_and_no_session(client, agent):
    response = post_login(client, "agent", "pas-le-bon-mot-de-passe")
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(client, agent, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "agent", "mauvais-mot-de-passe")
    response = post_login(client, "agent", PASSWORD)
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
    assert "Réessayez dans 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_block_other_accounts(client, agent, dgs, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "agent", "mauvais-mot-de-passe")
    assert post_login(client, "dgs", PASSWORD).status_code == 302


def test_the_admin_has_no_second_login_page(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_sessions_expire_after_inactivity(client, agent, settings):
    post_login(client, "agent", PASSWORD)
    assert client.get("/").status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date <= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_a_request_after_a_minute_of_quiet_pushes_the_expiry_back(client, agent, settings):
    post_login(client, "agent", PASSWORD)
    session = client.session
    session["_last_activity"] -= settings.SESSION_ACTIVITY_REFRESH  # the last write was a minute ago
    session.save()
    key = session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=1))
    client.get("/")
    assert Session.objects.get(pk=key).expire_date > timezone.now() + timedelta(minutes=30)


def test_logout_is_a_post_and_confirms(client, agent):
    client.force_login(agent)
    assert client.get("/comptes/deconnexion/").status_code == 405
    response = client.post("/comptes/deconnexion/", follow=True)
    assert "Vous êtes déconnecté·e." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("Court-1a", "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères."),
        ("motdepasse123", "Ce mot de passe est trop courant."),
        ("Azerty-2026!", "Ce mot de passe est trop courant."),
        ("password1234", "Ce mot de passe est trop courant."),
        ("482910573615", "Ce mot de passe est entièrement numérique."),
        ("agent12345678", "Ce mot de passe reprend votre identifiant ou votre nom."),
    ],
)
def test_weak_passwords_are_refused(client, agent, new_password, message):
    client.force_login(agent)
    response = client.post(
        "/comptes/mot-de-passe/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    agent.refresh_from_db()
    assert agent.check_password(PASSWORD)


def test_a_strong_password_is_accepted_and_the_person_stays_logged_in(client, agent):
    client.force_login(agent)
    response = client.post(
        "/comptes/mot-de-passe/",
        {
            "old_password": PASSWORD,
            "new_password1": "Cinq-lapins-bleus-sautent",
            "new_password2": "Cinq-lapins-bleus-sautent",
        },
        follow=True,
    )
    assert "Votre mot de passe a été changé." in response.content.decode()
    agent.refresh_from_db()
    assert agent.check_password("Cinq-lapins-bleus-sautent")
    assert client.get("/").status_code == 200


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(
    client, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/comptes/mot-de-passe/oubli/", {"email": agent.email})
        unknown = client.post("/comptes/mot-de-passe/oubli/", {"email": "personne@ailleurs.example"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == "/comptes/mot-de-passe/oubli/envoye/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [agent.email]
    assert "Réinitialisation de votre mot de passe" in mail.outbox[0].subject
    assert "Votre identifiant de connexion : agent" in mail.outbox[0].body


def test_the_reset_link_sets_a_new_password_once(client, agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/comptes/mot-de-passe/oubli/", {"email": agent.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/mot-de-passe/nouveau/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    new = "Une-phrase-de-passe-neuve"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    agent.refresh_from_db()
    assert agent.check_password(new)
    again = client.get("/" + path, follow=True)
    assert (
        "Ce lien n’est plus valable" in again.content.decode() or "Ce lien n'est plus valable" in again.content.decode()
    )
