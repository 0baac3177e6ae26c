"""Writes of the API: creating and revoking personal tokens."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from api.models import ApiToken
from audit import services as audit

TOKEN_PREFIX = "ipt_"  # noqa: S105 (not a secret: the mark that tells a token of this portal)
MAX_ACTIVE_TOKENS = 10
LIFETIMES = (30, 90, 365)  # days a person may choose


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for ``user``, valid ``days`` days; returns the row and the token itself, shown once and
    never kept (only its hash is)."""
    if days not in LIFETIMES:
        raise ValidationError(_("Choisissez une durée de validité proposée."))
    User.objects.select_for_update().filter(pk=user.pk).first()  # one creation at a time per person
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("Vous avez déjà %(count)s jetons actifs : révoquez-en un avant d'en créer un autre.")
            % {"count": MAX_ACTIVE_TOKENS}
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=token[: len(TOKEN_PREFIX) + 4],
        key_hash=token_hash(token),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    audit.record(actor=user, action=audit.Action.API_TOKEN_CREATED, obj=row)
    return row, token


def token_revoke(*, token: ApiToken, by: User) -> None:
    if token.user_id != by.pk:
        raise PermissionDenied
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
        audit.record(actor=by, action=audit.Action.API_TOKEN_REVOKED, obj=token)


def token_used(*, token: ApiToken) -> None:
    """Notes the use, at most once a minute per token (no write on every call)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
