from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import get_resolver
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from common import tenancy
from common.uploads import SizeLimitUploadHandler, upload_limit
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


class OrganisationScopeMiddleware:
    """Every query of the request reads the rows of one collectivité only (``common.tenancy``).

    A person reads their collectivité's; a network's animateur, nobody's (the network's pages read its
    aggregates on purpose); the host operator (a superuser of no collectivité), everyone's; an anonymous
    visitor, the deployment's collectivité when it serves only one, nobody's otherwise (a personal link
    or a token names its own, and the view that reads it says so).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # The addresses, hence the views and their forms, are imported now, at start-up, outside any scope: imported
        # by the first request, the querysets their classes build (a form's choices) would keep that request's
        # collectivité for everyone.
        with tenancy.unscoped():
            get_resolver().url_patterns  # noqa: B018  # the attribute imports the URLconf

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = tenancy.activate(scope_of(request))
        try:
            return self.get_response(request)
        finally:
            tenancy.deactivate(token)


def scope_of(request: HttpRequest) -> tenancy.Scope | None:
    user = request.user
    if not user.is_authenticated:
        return tenancy.SOLE
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is not None:
        return tenancy.Scope(organisation_id)
    return None if user.is_superuser else tenancy.NOBODY


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


class UploadLimitMiddleware:
    """Bounds what a request may make the server read and store, before anything reads the body.

    Placed before CsrfViewMiddleware, whose check reads the body. A body announced (Content-Length) heavier than
    its address accepts is answered 413 unread. Django never reads past the announced length; within it, a file
    that runs past the limit of its kind is cut off by ``SizeLimitUploadHandler`` and replaced by a
    ``CutOffUpload`` that the form refuses in French, keeping the fields sent before it. A page that receives no
    file cuts off any file sent to it at its first byte: nothing is stored in temporary files.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., HttpResponse],
        args: tuple[object, ...],
        kwargs: dict[str, object],
    ) -> HttpResponse | None:
        limit = upload_limit(view) if request.user.is_authenticated else 0
        allowed = limit + settings.UPLOAD_FORM_FIELDS_BYTES if limit else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            announced = int(request.headers.get("content-length") or 0)
        except ValueError:
            announced = 0  # Django reads no body then
        if announced > allowed:
            return _too_large(request, limit, allowed)
        if request.content_type == "multipart/form-data":  # a page without upload cuts any file off at once
            handler = SizeLimitUploadHandler(request, limit)
            # Still a list: the body is not parsed until request.FILES is read below.
            cast(list[FileUploadHandler], request.upload_handlers).insert(0, handler)
            files = request.FILES  # parsed now, through the handler
            for field_name, upload in handler.cut_off:
                files.appendlist(field_name, upload)
        return None


def _too_large(request: HttpRequest, limit: int, allowed: int) -> HttpResponse:
    back = request.headers.get("referer", "")
    safe_back = url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
    context = {"limit": limit, "allowed": allowed, "back": back if safe_back else ""}
    return render(request, "413.html", context, status=413)
