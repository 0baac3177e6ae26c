"""Reads of the API: a person's tokens, and who a token belongs to."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from api.models import ApiToken
from api.services import TOKEN_PREFIX, token_hash


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def get_token_for_user(user: User, pk: int) -> ApiToken:
    """A person reaches only their own tokens: 404 for anyone else's."""
    return get_object_or_404(tokens_of(user), pk=pk)


def active_token(token: str) -> ApiToken | None:
    """The valid token (not revoked, not expired, its person active) that this text is, else None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    return (
        ApiToken.objects.filter(
            key_hash=token_hash(token), revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True
        )
        .select_related("user")
        .first()
    )
