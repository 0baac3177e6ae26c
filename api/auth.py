"""Who calls the API: a personal token (``Authorization: Bearer ipt_…``) or the signed-in session of the
browsable documentation. Anyone else gets 401."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from accounts.models import User
from api import selectors, services
from common import tenancy


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = selectors.active_token(token)
        if found is None:
            return None
        services.token_used(token=found)
        request.user = found.user
        # A request with a token carries no session: the middleware gave it an anonymous visitor's scope. The token
        # names its owner's collectivité, read for the rest of the request (the middleware puts the scope back).
        tenancy.activate(tenancy.Scope(found.user.organisation_id) if found.user.organisation_id else tenancy.NOBODY)
        return found.user


class SignedInSession(SessionAuth):
    """The portal's session, for GET only (the API reads): no CSRF question arises."""

    csrf = False
