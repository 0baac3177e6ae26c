"""Lockout behind reverse proxies: counted by the client's address; repeated lockouts shown to the DGS."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.addresses import client_address
from accounts.models import Lockout
from tests.factories import PASSWORD

LOGIN = "/comptes/connexion/"
PROXY = "10.0.0.2"


def post_login(client, username, password, client_ip):
    """A sign-in through the reverse proxy, which appends the address it received the request from."""
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_ip,
    )


def lock_out(client, username, client_ip, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, username, "mauvais-mot-de-passe", client_ip)


def address(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {})
    return client_address(RequestFactory().get("/", **extra))


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.5", PROXY),  # no proxy trusted: the header is anybody's
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.66, 203.0.113.5", "203.0.113.5"),  # what the client wrote itself is ignored
        (2, "198.51.100.66, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        (2, "203.0.113.5", PROXY),  # did not come through both proxies
        (1, "pas-une-adresse", PROXY),
        (1, None, PROXY),
    ],
)
def test_the_client_address_is_read_from_the_trusted_proxies_only(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert address(PROXY, forwarded) == expected


def test_behind_a_trusted_proxy_a_lockout_only_blocks_the_address_it_came_from(client, agent, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    lock_out(client, "agent", "203.0.113.5", settings)
    assert post_login(client, "agent", PASSWORD, "203.0.113.5").status_code == 429
    assert post_login(client, "agent", PASSWORD, "198.51.100.7").status_code == 302


def test_without_trusted_proxy_everyone_behind_the_proxy_shares_its_address(client, agent, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    lock_out(client, "agent", "203.0.113.5", settings)
    assert post_login(client, "agent", PASSWORD, "198.51.100.7").status_code == 429


def test_a_lockout_is_recorded_once_however_many_tries_follow(client, agent, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    lock_out(client, "agent", "203.0.113.5", settings)
    lock_out(client, "agent", "203.0.113.5", settings)
    assert list(Lockout.objects.values_list("username", "ip_address")) == [("agent", "203.0.113.5")]


def test_the_dgs_sees_an_account_locked_again_and_again_from_many_addresses(client, agent, dgs, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(4):
        lock_out(client, "agent", f"203.0.113.{n + 1}", settings)
    lock_out(client, "dgs", "198.51.100.7", settings)
    client.force_login(dgs)

    home = client.get("/").content.decode()
    assert "1 compte a été verrouillé depuis plusieurs adresses ces derniers jours : à examiner." in home
    page = client.get(reverse("accounts:lockouts")).content.decode()
    rows = page[page.index("<tbody>") : page.index("</tbody>")]
    assert rows.index(">agent</a>") < rows.index(">dgs</a>")  # most addresses first
    assert rows.count("à surveiller") == 1
    assert "<td>4</td>" in rows
    detail = client.get(reverse("accounts:lockouts"), {"compte": "agent"}).content.decode()
    assert all(f"203.0.113.{n + 1}" in detail for n in range(4))


def test_an_agent_may_not_see_the_lockouts(client, agent):
    client.force_login(agent)
    assert client.get(reverse("accounts:lockouts")).status_code == 403


def test_the_lockout_page_says_when_there_is_nothing_to_review(client, dgs):
    client.force_login(dgs)
    page = client.get(reverse("accounts:lockouts")).content.decode()
    assert "Aucun compte n'a été verrouillé sur la période." in page
