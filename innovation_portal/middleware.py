from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from innovation_portal.views import healthz


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


class HealthCheckMiddleware:
    """Answers ``/healthz`` before the middleware that reads the database.

    A request with a session cookie would otherwise load the session (and the user) from the database on
    its way to the view: during a database outage that raised a 500 where the load balancer expects 503.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)
