"""The inactivity timeout holds without writing the session on every request."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import PASSWORD

LOGIN = "/comptes/connexion/"


class Clock:
    """A movable "now" for the session's expiry and the middleware's activity time."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def advance(self, seconds: float) -> None:
        self.now += datetime.timedelta(seconds=seconds)


@pytest.fixture
def clock():
    moving = Clock()
    with (
        mock.patch("django.utils.timezone.now", lambda: moving.now),
        mock.patch("accounts.sessions.time.time", lambda: moving.now.timestamp()),
    ):
        yield moving


def session_writes(client, path: str = "/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum(1 for q in queries.captured_queries if q["sql"].startswith('UPDATE "django_session"'))


def sign_in(client) -> None:
    response = client.post(LOGIN, {"username": "agent", "password": PASSWORD})
    assert response.status_code == 302


def test_two_close_requests_do_not_write_the_session(client, agent, clock):
    sign_in(client)
    clock.advance(10)
    assert session_writes(client) == 0
    clock.advance(10)
    assert session_writes(client) == 0


def test_a_request_a_minute_after_the_last_write_writes_once(client, agent, clock, settings):
    sign_in(client)
    clock.advance(settings.SESSION_ACTIVITY_REFRESH + 1)
    assert session_writes(client) == 1
    clock.advance(5)
    assert session_writes(client) == 0


def test_the_session_expires_after_the_idle_time(client, agent, clock, settings):
    sign_in(client)
    clock.advance(30)
    assert session_writes(client) == 0
    clock.advance(settings.SESSION_COOKIE_AGE)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_steady_activity_keeps_the_session_beyond_the_idle_time(client, agent, clock, settings):
    sign_in(client)
    step = settings.SESSION_ACTIVITY_REFRESH * 3 // 4
    for _request in range(2 * settings.SESSION_COOKIE_AGE // step):
        clock.advance(step)
        assert client.get("/").status_code == 200


def test_anonymous_visitors_get_no_session(client, db):
    client.get(LOGIN)
    assert not client.cookies.get("sessionid")
