"""The inactivity timeout without a session write on every request.

The session expires ``SESSION_COOKIE_AGE`` seconds after it was last saved. Instead of saving it on every request
(``SESSION_SAVE_EVERY_REQUEST``: one UPDATE per page), the time of the last activity is stored in the session at
sign-in and written again when ``SESSION_ACTIVITY_REFRESH`` seconds or more have passed since, which pushes the
expiry back; the requests in between write nothing. Someone idle is thus signed out between
``SESSION_COOKIE_AGE - SESSION_ACTIVITY_REFRESH`` and ``SESSION_COOKIE_AGE`` seconds after their last request.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse

LAST_ACTIVITY_KEY = "_last_activity"


def record_activity(session: SessionBase) -> None:
    session[LAST_ACTIVITY_KEY] = int(time.time())


def activity_at_login(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """Sign-in saves the session anyway: the activity time goes with it (receiver of ``user_logged_in``)."""
    record_activity(request.session)


class SessionActivityMiddleware:
    """Writes the activity time when the last one is a minute old or more. Placed after SessionMiddleware,
    which saves a modified session when the response goes out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        if session.get(SESSION_KEY) is None:
            return response  # anonymous, or just signed out: nothing to keep alive
        last = session.get(LAST_ACTIVITY_KEY)
        if session.modified or last is None or time.time() - last >= settings.SESSION_ACTIVITY_REFRESH:
            record_activity(session)
        return response
