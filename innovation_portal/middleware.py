import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation


class FrenchFirstLocaleMiddleware:
    """Activates French unless the person chose another language.

    Django's LocaleMiddleware follows the browser's Accept-Language header; agents
    of a French collectivité often use browsers set up in English, and the portal
    must still speak French to them. The language cookie set by the language
    switcher is the only way out of French.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class FriendlyMethodNotAllowedMiddleware:
    """Django answers a GET on a form-only address with an empty 405; people get a French page instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and request.method in {"GET", "HEAD"}:
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response


LAST_ACTIVITY_KEY = "_last_activity"


class SessionActivityMiddleware:
    """The inactivity timeout without a session write on every request.

    The session expires ``SESSION_COOKIE_AGE`` seconds after it was last saved. Instead of saving it on every
    request (``SESSION_SAVE_EVERY_REQUEST``: one UPDATE per page), the time of the last activity is written
    when ``SESSION_ACTIVITY_REFRESH`` seconds or more have passed since the previous write, which pushes the
    expiry back; requests in between write nothing. Someone idle is thus signed out between
    ``SESSION_COOKIE_AGE - SESSION_ACTIVITY_REFRESH`` and ``SESSION_COOKIE_AGE`` seconds after their last
    request. Placed after SessionMiddleware, which saves a modified session when the response goes out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        if session.get(SESSION_KEY) is None:
            return response  # anonymous, or just signed out: nothing to keep alive
        now = int(time.time())
        last = session.get(LAST_ACTIVITY_KEY)
        if session.modified or last is None or now - last >= settings.SESSION_ACTIVITY_REFRESH:
            session[LAST_ACTIVITY_KEY] = now
        return response
