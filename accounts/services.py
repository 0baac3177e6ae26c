"""Writes of the accounts app."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from accounts.models import Lockout, Notification, User


def notify(*, users: Iterable[User], subject: str, message: str, url: str = "") -> None:
    """Tells people something in the app and by e-mail (sent once the transaction is committed)."""
    users = list({user.pk: user for user in users}.values())
    Notification.objects.bulk_create(Notification(user=user, message=message[:500], url=url) for user in users)
    recipients = [user.email for user in users if user.email]
    if recipients:
        body = f"{message}\n\n{settings.PORTAL_URL}{url}" if url else message
        transaction.on_commit(
            lambda: [send_mail(subject, body, None, [address], fail_silently=True) for address in recipients]
        )


def notifications_mark_read(*, user: User, ids: set[int]) -> int:
    """Marks as read the notifications the person has just been shown, and no other."""
    return Notification.objects.filter(user=user, pk__in=ids, read_at__isnull=True).update(read_at=timezone.now())


def lockout_record(*, username: str, ip_address: str | None) -> Lockout | None:
    """Keeps a lockout for the DGS's review; the attempts made while it lasts are the same lockout, not new ones."""
    username = (username or "")[:150]
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    if Lockout.objects.filter(username=username, ip_address=ip_address, locked_at__gte=since).exists():
        return None
    return Lockout.objects.create(username=username, ip_address=ip_address)


def lockout_received(sender: object, request: object, username: str, ip_address: str | None, **kwargs: object) -> None:
    """Receiver of django-axes' ``user_locked_out``."""
    lockout_record(username=username, ip_address=ip_address)
