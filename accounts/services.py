"""Writes of the accounts app: notifications (in the inbox, by e-mail or in the daily digest) and preferences."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from accounts import outbox
from accounts.models import Channel, Lockout, Notification, NotificationPreference, OutgoingEmail, User

logger = logging.getLogger(__name__)


def channels_of(users: Iterable[User], kind: str) -> dict[int, str]:
    """Each person's chosen channel for this kind of notification (the default when they chose none)."""
    users = list(users)
    chosen = dict(NotificationPreference.objects.filter(user__in=users, kind=kind).values_list("user_id", "channel"))
    return {user.pk: chosen.get(user.pk, NotificationPreference.default(kind)) for user in users}


def notify(
    *, users: Iterable[User], kind: str, subject: str, message: str, url: str = "", email_body: str = ""
) -> None:
    """Tells people something, in the same transaction as the action that causes it.

    Everyone gets ``message`` in their inbox; by e-mail (through the outbox: ``email_body``, or the
    message and its link) or in tomorrow's digest according to their preference for this ``kind``.
    Inactive accounts are skipped.
    """
    users = [user for user in {user.pk: user for user in users}.values() if user.is_active]
    if not users:
        return
    channels = channels_of(users, kind)
    Notification.objects.bulk_create(
        Notification(
            user=user,
            kind=kind,
            message=message[:500],
            url=url,
            in_digest=channels[user.pk] == Channel.DIGEST and bool(user.email),
        )
        for user in users
    )
    by_email = [user for user in users if user.email and channels[user.pk] == Channel.EMAIL]
    if by_email:
        body = email_body or _email_body(message, url)
        outbox.emails_queue(
            OutgoingEmail(user=user, to=user.email, kind=OutgoingEmail.Kind.NOTIFICATION, subject=subject, body=body)
            for user in by_email
        )


def _email_body(message: str, url: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "accounts/email/notification.txt",
            {
                "message": message,
                "link": f"{settings.PORTAL_URL}{url}" if url else "",
                "preferences": f"{settings.PORTAL_URL}{reverse('accounts:notification_preferences')}",
            },
        )


def _enqueue_password_reset(email: str) -> None:
    from accounts.tasks import send_password_reset

    try:
        send_password_reset.apply_async(args=[email], retry=False)
    except Exception:  # the person sees the usual answer and can ask again
        logger.warning("Broker unavailable: a password reset request was not queued", exc_info=True)


def password_reset_request(*, email: str) -> None:
    """A reset asked for ``email``: queued for a worker without looking the address up here."""
    _enqueue_password_reset(email)


def password_reset_send(*, email: str) -> int:
    """Worker side: a reset link, through the outbox, to each active account of that address (none if
    unknown). Links point at PORTAL_URL, never at a host given by a request. Returns how many."""
    from accounts.forms import OutboxPasswordResetForm

    form = OutboxPasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    portal = urlsplit(settings.PORTAL_URL)
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        form.save(
            domain_override=portal.netloc,
            use_https=portal.scheme == "https",
            subject_template_name="accounts/password_reset_subject.txt",
            email_template_name="accounts/password_reset_email.txt",
        )
    return len(list(form.get_users(email)))


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


@transaction.atomic
def notification_preferences_save(*, user: User, channels: dict[str, str]) -> None:
    """Records the person's channel for each kind given."""
    for kind, channel in channels.items():
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"channel": channel})


def digests_send() -> int:
    """Daily: one e-mail per person listing the notifications they chose to receive as a digest.

    Each person's notifications are taken under a row lock and marked in the same transaction
    as their digest is queued, so a second run the same day finds nothing to send.
    """
    people = User.objects.filter(notifications__in_digest=True).distinct()
    sent = 0
    for user in people:
        with transaction.atomic():
            due = list(
                Notification.objects.select_for_update().filter(user=user, in_digest=True).order_by("created_at")
            )
            if not due:
                continue
            Notification.objects.filter(pk__in=[n.pk for n in due]).update(in_digest=False)
            if user.is_active and user.email:
                outbox.email_queue(
                    to=user.email,
                    user=user,
                    kind=OutgoingEmail.Kind.DIGEST,
                    subject=_digest_subject(len(due)),
                    body=_digest_body(due),
                )
                sent += 1
    return sent


def _digest_subject(count: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return ngettext(
            "Portail de l'innovation : %(count)s nouvelle notification",
            "Portail de l'innovation : %(count)s nouvelles notifications",
            count,
        ) % {"count": count}


def _digest_body(notifications: list[Notification]) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "accounts/email/digest.txt",
            {
                "notifications": notifications,
                "portal_url": settings.PORTAL_URL,
                "preferences": f"{settings.PORTAL_URL}{reverse('accounts:notification_preferences')}",
            },
        )
