"""A network's animateur reaches the network's pages, their own account and the public pages; nothing else.

The scoping (``common.tenancy``) already gives an animateur no member's row; this keeps them off the members'
pages altogether, with the same 404 as a stranger gets, rather than an empty list or a form that cannot be
saved.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse

from accounts.models import User
from network.selectors import is_animateur

# Where an animateur may go: the network's pages, their account (but not API tokens: the API reads members'
# rows), sign-in and sign-out, the language, and the public pages. "/" sends them to the network's page.
ANIMATEUR_PATHS = (
    "/reseau/",
    "/enquetes/editions/",  # the network's national editions (participation and aggregates only)
    "/comptes/",
    "/oidc/",
    "/i18n/",
    "/accessibilite/",
    "/donnees-ouvertes/",
    "/csp-rapport/",
    "/healthz",
    "/static/",
)
ANIMATEUR_EXCLUDED = ("/comptes/jetons-api/",)


def animateur_may_open(path: str) -> bool:
    if path == "/":
        return True
    return path.startswith(ANIMATEUR_PATHS) and not path.startswith(ANIMATEUR_EXCLUDED)


class AnimateurPagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and is_animateur(user) and not animateur_may_open(request.path_info):
            raise Http404
        return self.get_response(request)
