"""Reads of the accounts app."""

import datetime
from typing import TypedDict, cast

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, QuerySet
from django.utils import timezone

from accounts.models import Lockout, OutgoingEmail, User
from common import tenancy


def active_people() -> QuerySet[User]:
    """The people who can be picked as lead, co-author, juror or team member, by name."""
    return User.objects.filter(is_active=True).order_by("last_name", "first_name")


class LockedAccount(TypedDict):
    username: str
    lockouts: int
    addresses: int
    last: datetime.datetime


def collectivite_lockouts() -> QuerySet[Lockout]:
    """The lockouts a collectivité's DGS reviews: all but those of another collectivité's accounts (a name typed
    that is nobody's account is everyone's concern; another collectivité's people are not)."""
    organisation_id = tenancy.current_organisation_id()
    if organisation_id is None:
        return Lockout.objects.all()
    with tenancy.unscoped():
        others = User.objects.exclude(organisation_id=organisation_id).filter(username__iexact=OuterRef("username"))
    return Lockout.objects.exclude(Exists(others))


def locked_accounts(*, days: int | None = None) -> QuerySet[Lockout, LockedAccount]:
    """The accounts locked over the last ``days`` (LOCKOUT_REVIEW_DAYS), one row each (``username``, ``lockouts``,
    ``addresses``: distinct addresses, ``last``), those locked from most addresses first."""
    since = timezone.now() - datetime.timedelta(days=days or settings.LOCKOUT_REVIEW_DAYS)
    # The plugin cannot type the rows of values() + annotate(): LockedAccount says what they hold.
    return cast(
        "QuerySet[Lockout, LockedAccount]",
        collectivite_lockouts()
        .filter(locked_at__gte=since)
        .values("username")
        .annotate(lockouts=Count("pk"), addresses=Count("ip_address", distinct=True), last=Max("locked_at"))
        .order_by("-addresses", "-lockouts", "-last", "username"),
    )


def suspicious_lockout_count() -> int:
    """How many accounts were locked from LOCKOUT_ALERT_ADDRESSES addresses or more lately, for the DGS's home."""
    since = timezone.now() - datetime.timedelta(days=settings.LOCKOUT_REVIEW_DAYS)
    return (
        collectivite_lockouts()
        .filter(locked_at__gte=since)
        .values("username")
        .annotate(addresses=Count("ip_address", distinct=True))
        .filter(addresses__gte=settings.LOCKOUT_ALERT_ADDRESSES)
        .count()
    )


def lockout_addresses(username: str, *, days: int | None = None) -> QuerySet[Lockout]:
    """The lockouts of one account lately, newest first."""
    since = timezone.now() - datetime.timedelta(days=days or settings.LOCKOUT_REVIEW_DAYS)
    return collectivite_lockouts().filter(username=username, locked_at__gte=since)


def failed_email_count() -> int:
    """How many messages could not be delivered (to resend from « Envois en échec »)."""
    return collectivite_emails().filter(status=OutgoingEmail.Status.FAILED).count()


def collectivite_emails() -> QuerySet[OutgoingEmail]:
    """The messages of the outbox written for the collectivité in scope (every one outside any scope: the host
    operator, a command); none within nobody's scope. The outbox itself is not scoped: its worker sends by id."""
    if tenancy.current_scope() is None:
        return OutgoingEmail.objects.all()
    organisation_id = tenancy.current_organisation_id()
    if organisation_id is None:
        return OutgoingEmail.objects.none()
    return OutgoingEmail.objects.filter(organisation_id=organisation_id)
