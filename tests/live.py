"""Several people acting at the same moment on a live server: sessions without a browser, fired together."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html import unescape
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User

# A CSRF secret of our own, sent as the cookie and as the form's token (Django accepts the unmasked secret).
CSRF_SECRET = "concurrent0test0csrf0secret00000"

on_postgresql = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="row locks and simultaneous transactions are those of PostgreSQL, the production database",
)


@dataclass(frozen=True)
class Answer:
    status: int  # of the last response, after the redirect if there was one
    redirected: bool
    page: str  # entities decoded, non-breaking spaces as spaces


class Session:
    """A person signed in on the live server, posting forms as a browser without JavaScript would."""

    def __init__(self, base_url: str, user: User) -> None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.base_url = base_url
        self.cookie = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={CSRF_SECRET}"

    def post(self, path: str, data: dict) -> Answer:
        body = urlencode({"csrfmiddlewaretoken": CSRF_SECRET, **data}, doseq=True).encode()
        request = Request(self.base_url + path, data=body, headers={"Cookie": self.cookie})  # noqa: S310 (http://)
        try:
            # The redirect is followed with the same cookie.
            with urlopen(request, timeout=60) as response:  # noqa: S310 (the live server's http:// address)
                return Answer(response.status, response.url != request.full_url, _text(response.read()))
        except HTTPError as error:
            return Answer(error.code, False, _text(error.read()))


def _text(body: bytes) -> str:
    return unescape(body.decode()).replace("\xa0", " ")


def all_at_once(actions: list[Callable[[], Answer]]) -> list[Answer]:
    """Runs the actions in as many threads, released together, and returns their answers in order."""
    start = threading.Barrier(len(actions))

    def run(action: Callable[[], Answer]) -> Answer:
        start.wait(timeout=30)
        return action()

    with ThreadPoolExecutor(max_workers=len(actions)) as pool:
        return list(pool.map(run, actions))
