"""Sign-in through the collectivité's directory or ProConnect (OpenID Connect, mozilla-django-oidc).

Configured from the environment only (``OIDC_*``, see .env.example and docs/sso.md). The library runs the
authorisation code flow with PKCE, ``state`` and ``nonce``; this backend adds what it leaves out: the ID token's
audience (our client id) and issuer are checked, beside its signature and expiry. A person is matched by e-mail,
created on first sign-in with the names and direction of the configured claims, and updated at each sign-in;
roles come from a configured claim, or are left to the DGS.
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.crypto import get_random_string
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)
from requests import RequestException

from accounts.models import Direction, Organisation, User
from accounts.roles import Role
from common import tenancy

logger = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_ENABLED", False))


def _claim(claims: dict[str, Any], setting: str) -> Any:
    name = getattr(settings, setting, "")
    return claims.get(name) if name else None


def roles_from(claims: dict[str, Any]) -> list[Role] | None:
    """The roles the configured claim gives (a list or a space-separated text; each value a role code, or a
    group name mapped by OIDC_ROLES_MAP); None when no claim is configured: the DGS gives the roles."""
    if not settings.OIDC_CLAIM_ROLES:
        return None
    value = claims.get(settings.OIDC_CLAIM_ROLES) or []
    values = value.split() if isinstance(value, str) else [str(v) for v in value]
    mapped = {settings.OIDC_ROLES_MAP.get(v, v) for v in values}
    return [role for role in Role if role.value in mapped]


def organisation_from(claims: dict[str, Any]) -> Organisation | None:
    """The collectivité of the person: the one whose address (slug) the configured claim gives, else the
    deployment's when it serves only one; None when neither tells (a network without the claim)."""
    with tenancy.unscoped():
        value = _claim(claims, "OIDC_CLAIM_ORGANISATION")
        if value:
            return Organisation.objects.filter(slug=str(value)).first()
        first_two = list(Organisation.objects.order_by("pk")[:2])
        return first_two[0] if len(first_two) == 1 else None


class PortalOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("Unexpected signing algorithm")
        try:
            return dict(
                jwt.decode(
                    payload,
                    key,
                    algorithms=[self.OIDC_RP_SIGN_ALGO],
                    audience=self.OIDC_RP_CLIENT_ID,
                    issuer=settings.OIDC_OP_ISSUER,
                    options={"require": ["exp", "iat", "aud", "iss", "sub"]},
                )
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        """An e-mail and a subject, and a collectivité: a person the portal knows, or one it can place."""
        if not (claims.get("email") and claims.get("sub")):
            return False
        return organisation_from(claims) is not None or self.filter_users_by_claims(claims).exists()

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return User.objects.filter(email__iexact=claims.get("email", ""))

    @transaction.atomic
    def create_user(self, claims: dict[str, Any]) -> User:
        email = claims["email"]
        base = email.split("@")[0][:140] or "agent"
        username = base
        while User.objects.filter(username=username).exists():
            username = f"{base}-{get_random_string(4).lower()}"
        user = User.objects.create_user(username=username, email=email, organisation=organisation_from(claims))
        user.set_unusable_password()
        return self.update_user(user, claims)

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        user.first_name = str(_claim(claims, "OIDC_CLAIM_FIRST_NAME") or user.first_name)[:150]
        user.last_name = str(_claim(claims, "OIDC_CLAIM_LAST_NAME") or user.last_name)[:150]
        organisation = organisation_from(claims) if settings.OIDC_CLAIM_ORGANISATION else None
        if organisation is not None:
            user.organisation = organisation
        code = _claim(claims, "OIDC_CLAIM_DIRECTION")
        if code:
            directions = Direction.all_collectivites.filter(organisation=user.organisation_id, code=str(code))
            user.direction = directions.first() or user.direction
        user.save()
        roles = roles_from(claims)
        if roles is not None:
            from django.contrib.auth.models import Group

            user.groups.set(Group.objects.filter(name__in=[role.value for role in roles]))
        return user


class SignIn(OIDCAuthenticationRequestView):  # type: ignore[misc]
    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            raise Http404
        return super().get(request)  # type: ignore[no-any-return]


class Callback(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """The provider's answer; any refusal (bad token, replayed state, provider down) ends on the login page with
    a French message, and no account is created."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            raise Http404
        try:
            return super().get(request)  # type: ignore[no-any-return]
        except (SuspiciousOperation, RequestException) as error:
            logger.warning("OpenID Connect sign-in refused: %s", error)
            return self.login_failure()

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            _(
                "La connexion par l'annuaire n'a pas abouti (réponse refusée ou expirée). Réessayez ; si cela se "
                "reproduit, prévenez l'administrateur du portail."
            ),
        )
        return redirect("accounts:login")


def provider_logout_url(request: HttpRequest) -> str:
    """Where to send a person signing out, so that the provider ends its session too."""
    id_token = request.session.get("oidc_id_token")
    query = {"post_logout_redirect_uri": request.build_absolute_uri(str(settings.LOGOUT_REDIRECT_URL_PATH))}
    if id_token:
        query["id_token_hint"] = id_token
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{urlencode(query)}"


from django.contrib.auth.backends import ModelBackend  # noqa: E402


class ReadOnlyModelBackend(ModelBackend):
    """With local sign-in switched off: permissions still come from the groups, but no password opens a session."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        return None
