"""Celery tasks of the reports: thin, idempotent, with time limits below the broker's visibility timeout."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from reports import services

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=5,
    soft_time_limit=settings.REPORT_SOFT_TIME_LIMIT,
    time_limit=settings.REPORT_TIME_LIMIT,
)
def generate_report(self, report_id: int) -> str:  # noqa: ANN001
    try:
        return services.report_generate(report_id=report_id)
    except (OperationalError, InterfaceError):
        if self.request.retries >= self.max_retries:
            services.report_fail(report_id=report_id, reason="La base de données ne répond pas.")
        else:
            from reports.models import Report

            Report.objects.filter(pk=report_id, status=Report.Status.RUNNING).update(status=Report.Status.PENDING)
        raise
    except SoftTimeLimitExceeded:
        services.report_fail(report_id=report_id, reason="La production a dépassé le temps maximal.")
        raise
    except Exception:
        logger.exception("Report %s failed", report_id)  # the details stay in the logs, not on the page
        services.report_fail(
            report_id=report_id,
            reason="Erreur interne lors de la production du rapport ; "
            "l'équipe technique en trouve le détail dans les journaux.",
        )
        raise


@shared_task(soft_time_limit=60, time_limit=90)
def requeue_stuck_reports() -> int:
    return services.requeue_stuck_reports()


@shared_task(soft_time_limit=60, time_limit=90)
def schedule_quarterly_report() -> int:
    return services.schedule_quarterly_report().pk


@shared_task(soft_time_limit=300, time_limit=360)
def warm_dashboards() -> None:
    services.dashboards_warm()
