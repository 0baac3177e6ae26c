"""The base layout: French first, error pages, security headers, local assets only."""

import re

import pytest
from django.test import Client
from django.views.defaults import server_error


def test_an_unknown_page_gives_a_french_404(client, agent):
    client.force_login(agent)
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_the_500_page_is_in_french_and_needs_no_database(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()


def test_a_form_without_csrf_token_is_refused_with_a_french_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/comptes/connexion/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Le formulaire a expiré" in response.content.decode()


def test_security_headers_are_sent(client, db):
    response = client.get("/comptes/connexion/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_browser_asking_for_english_still_gets_french(client, db):
    response = client.get("/comptes/connexion/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="fr">' in response.content.decode()


def test_english_is_available_from_the_language_switcher(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/comptes/connexion/"}, follow=True)
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Sign in" in page
    assert "Skip to content" in page


def test_the_layout_has_a_skip_link_and_landmarks(client, agent):
    client.force_login(agent)
    page = client.get("/").content.decode()
    assert '<a class="skip-link" href="#contenu">Aller au contenu</a>' in page
    for landmark in ('role="banner"', '<main id="contenu"', 'role="contentinfo"', "<nav "):
        assert landmark in page


@pytest.mark.parametrize("path", ["/", "/comptes/profil/", "/comptes/connexion/", "/comptes/mot-de-passe/oubli/"])
def test_every_asset_is_served_locally(client, agent, path):
    client.force_login(agent)
    page = client.get(path, follow=True).content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    assert not [url for url in sources if url.startswith(("http:", "https:", "//"))]


def test_user_text_is_escaped(client, make_user):
    user = make_user(first_name="<script>alert(1)</script>")
    client.force_login(user)
    page = client.get("/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
