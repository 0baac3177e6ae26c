"""Celery tasks of the accounts app: thin, each calls one service."""

from celery import Task, shared_task
from django.conf import settings
from django.core import management

from accounts import outbox, services


@shared_task(soft_time_limit=300, time_limit=360)  # type: ignore[untyped-decorator]  # celery has no type information
def clear_expired_sessions() -> None:
    """Daily: sessions past their inactivity limit are removed from the store."""
    management.call_command("clearsessions")


@shared_task(bind=True, acks_late=True, max_retries=settings.EMAIL_MAX_ATTEMPTS, soft_time_limit=120, time_limit=150)  # type: ignore[untyped-decorator]  # celery has no type information
def send_email(self: Task, email_id: int) -> None:
    """Sends one message of the outbox; a failure is retried later, with a growing delay."""
    delay = outbox.email_send(email_id=email_id)
    if delay is not None:
        raise self.retry(countdown=delay)


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)  # type: ignore[untyped-decorator]  # celery has no type information
def send_password_reset(email: str) -> int:
    """Looks the address up and writes its reset links to the outbox (a worker sends them)."""
    return services.password_reset_send(email=email)


@shared_task(soft_time_limit=60, time_limit=90)  # type: ignore[untyped-decorator]  # celery has no type information
def requeue_lost_emails() -> int:
    return outbox.requeue_lost_emails()


@shared_task(soft_time_limit=600, time_limit=660)  # type: ignore[untyped-decorator]  # celery has no type information
def send_daily_digests() -> int:
    return services.digests_send()
