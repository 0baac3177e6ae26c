"""Celery tasks of the portfolio: thin, each calls one service."""

from celery import shared_task

from portfolio import services


@shared_task(soft_time_limit=300, time_limit=360)  # type: ignore[untyped-decorator]  # celery has no type information
def send_stalled_digests() -> int:
    """Monday morning: each lead hears of their projects without a move (once a week at most)."""
    return services.stalled_digests_send()
