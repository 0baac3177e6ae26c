"""The outbox: every e-mail of the portal is written in the transaction of the action that causes
it, then sent by a Celery worker with retries. No web request ever waits for the SMTP server.

A message is claimed by a conditional update before it is sent, so two deliveries of the same
task never send it twice at the same time. A worker killed in the middle of a send leaves the
message "sending"; the periodic re-queue takes it back (it may then leave twice: at least once,
never lost).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone

from accounts.models import OutgoingEmail, User
from common import tenancy

logger = logging.getLogger(__name__)
Status = OutgoingEmail.Status

# Sent by the worker once a message has left, with ``email`` (the OutgoingEmail): the survey
# invitations record their sending date this way, without accounts knowing about surveys.
email_sent = Signal()

MAX_DELAY_SECONDS = 3600
# A message still "sending" after this long belongs to a worker that was lost.
STUCK_SENDING = datetime.timedelta(minutes=10)
# A queued message this late for its attempt lost its task (broker down when it was queued).
LOST_QUEUED = datetime.timedelta(minutes=2)
# Kinds whose text must not stay in the database once delivered (a password reset link).
FORGET_BODY_ONCE_SENT = {OutgoingEmail.Kind.PASSWORD_RESET}


def _enqueue(email_id: int) -> None:
    """Hands the message to a worker; a broker that is down leaves it queued for the periodic re-queue."""
    from accounts.tasks import send_email

    try:
        send_email.apply_async(args=[email_id], retry=False)
    except Exception:
        logger.warning("Broker unavailable: e-mail %s stays queued and will be queued again", email_id, exc_info=True)


def _enqueue_on_commit(email_ids: list[int]) -> None:
    def enqueue_all() -> None:
        for email_id in email_ids:
            _enqueue(email_id)

    transaction.on_commit(enqueue_all)


def emails_queue(messages: Iterable[OutgoingEmail]) -> list[OutgoingEmail]:
    """Writes the messages to the outbox; a worker sends them once the current transaction is committed.

    Each belongs to its person's collectivité, else to the one in scope (an invitation to an outside address).
    """
    messages = list(messages)
    for message in messages:
        if message.organisation_id is None:
            person = message.user.organisation_id if message.user is not None else None
            message.organisation_id = person or tenancy.default_organisation_id()
    created = OutgoingEmail.objects.bulk_create(messages)
    _enqueue_on_commit([email.pk for email in created])
    return created


def email_queue(*, to: str, kind: str, subject: str, body: str, user: User | None = None) -> OutgoingEmail:
    """One message to the outbox (see ``emails_queue``)."""
    return emails_queue([OutgoingEmail(to=to, kind=kind, subject=subject[:300], body=body, user=user)])[0]


def _claim(email_id: int) -> bool:
    slack = timezone.now() + datetime.timedelta(seconds=5)  # a retry's countdown and the stored date may differ
    claimed = OutgoingEmail.objects.filter(pk=email_id, status=Status.QUEUED, next_attempt_at__lte=slack).update(
        status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()
    )
    return claimed == 1


def retry_delay(attempts: int) -> int:
    """Seconds before the next attempt: EMAIL_RETRY_DELAY, then doubled each time, an hour at most."""
    return min(settings.EMAIL_RETRY_DELAY * int(2 ** max(attempts - 1, 0)), MAX_DELAY_SECONDS)


def email_send(*, email_id: int) -> int | None:
    """Sends one queued message. Returns the seconds to wait before the next attempt, or None when
    there is nothing more to do (sent, failed for good, or not this task's to send)."""
    if not _claim(email_id):
        return None
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        EmailMessage(email.subject, email.body, None, [email.to]).send(fail_silently=False)
    except Exception as error:  # SMTP refusal, timeout, DNS, TLS...: all recorded, none lost
        return _record_failure(email, error)
    sent_at = timezone.now()
    sent: dict[str, object] = {"status": Status.SENT, "sent_at": sent_at, "last_error": ""}
    if email.kind in FORGET_BODY_ONCE_SENT:
        sent["body"] = ""
    OutgoingEmail.objects.filter(pk=email_id).update(**sent)
    email.sent_at = sent_at
    email_sent.send(sender=OutgoingEmail, email=email)
    return None


def _record_failure(email: OutgoingEmail, error: Exception) -> int | None:
    reason = f"{type(error).__name__}: {error}"[:1000]
    if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
        logger.error(
            "E-mail %s to %s failed for good after %s attempts: %s", email.pk, email.to, email.attempts, reason
        )
        OutgoingEmail.objects.filter(pk=email.pk).update(status=Status.FAILED, last_error=reason)
        return None
    delay = retry_delay(email.attempts)
    logger.warning(
        "E-mail %s to %s failed (attempt %s of %s), next attempt in %s s: %s",
        email.pk,
        email.to,
        email.attempts,
        settings.EMAIL_MAX_ATTEMPTS,
        delay,
        reason,
    )
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=Status.QUEUED, last_error=reason, next_attempt_at=timezone.now() + datetime.timedelta(seconds=delay)
    )
    return delay


def requeue_lost_emails() -> int:
    """Queues again the messages whose task was lost: queued long past their attempt, or claimed by a
    worker that died. Returns how many."""
    now = timezone.now()
    with transaction.atomic():
        stuck = OutgoingEmail.objects.select_for_update().filter(
            status=Status.SENDING, claimed_at__lt=now - STUCK_SENDING
        )
        stuck_ids = list(stuck.values_list("pk", flat=True))
        OutgoingEmail.objects.filter(pk__in=stuck_ids).update(status=Status.QUEUED, next_attempt_at=now)
        late = OutgoingEmail.objects.filter(status=Status.QUEUED, next_attempt_at__lt=now - LOST_QUEUED)
        ids = stuck_ids + list(late.values_list("pk", flat=True))
        _enqueue_on_commit(ids)
    return len(ids)


def email_resend(*, email: OutgoingEmail) -> bool:
    """The DGS sends a failed message again, with a fresh set of attempts; False if it is no longer failed."""
    with transaction.atomic():
        resent = OutgoingEmail.objects.filter(pk=email.pk, status=Status.FAILED).update(
            status=Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
        )
        if resent:
            _enqueue_on_commit([email.pk])
    return bool(resent)
