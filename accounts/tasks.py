from celery import shared_task
from django.core import management


@shared_task(soft_time_limit=300, time_limit=360)
def clear_expired_sessions() -> None:
    """Daily: sessions past their inactivity limit are removed from the store."""
    management.call_command("clearsessions")
