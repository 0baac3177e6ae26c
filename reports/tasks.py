"""Celery tasks of the reports: thin, idempotent, with time limits below the broker's visibility timeout."""

import logging

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_ready
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

from common import tenancy
from reports import services
from reports.models import Report

logger = logging.getLogger(__name__)


@shared_task(  # type: ignore[untyped-decorator]  # celery has no type information
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
def generate_report(self: Task, report_id: int) -> str:
    # The report's figures are its collectivité's, whoever queued it (a person, or beat re-queuing it).
    with tenancy.unscoped():
        organisation_id = Report.objects.filter(pk=report_id).values_list("organisation_id", flat=True).first()
    with tenancy.scoped(organisation_id):
        return _generate_report(self, report_id)


def _generate_report(self: Task, report_id: int) -> str:
    task_id = self.request.id or ""
    try:
        return services.report_generate(report_id=report_id, task_id=task_id)
    except (OperationalError, InterfaceError):
        if self.request.retries >= self.max_retries:
            services.report_fail(report_id=report_id, reason=_("La base de données ne répond pas."), task_id=task_id)
        else:
            services.report_release(report_id=report_id, task_id=task_id)
        raise
    except SoftTimeLimitExceeded:
        services.report_fail(
            report_id=report_id, reason=_("La production a dépassé le temps maximal."), task_id=task_id
        )
        raise
    except Exception:
        logger.exception("Report %s failed", report_id)  # the details stay in the logs, not on the page
        services.report_fail(
            report_id=report_id,
            reason=_(
                "Erreur interne lors de la production du rapport ; "
                "l'équipe technique en trouve le détail dans les journaux."
            ),
            task_id=task_id,
        )
        raise


@shared_task(soft_time_limit=60, time_limit=90)  # type: ignore[untyped-decorator]  # celery has no type information
def requeue_stuck_reports() -> int:
    return services.requeue_stuck_reports()


@worker_ready.connect  # type: ignore[untyped-decorator]  # celery has no type information
def _take_back_lost_reports(**_kwargs: object) -> None:
    """A worker restarted after being killed whole takes back at once the reports whose lease has run out
    (on the embedded broker, the message of a report being rendered dies with its worker)."""
    try:
        requeue_stuck_reports.delay()
    except Exception:  # beat queues the job every minute anyway; the worker itself must start
        logger.warning("Could not queue the re-queue of lost reports", exc_info=True)


@shared_task(soft_time_limit=60, time_limit=90)  # type: ignore[untyped-decorator]  # celery has no type information
def schedule_quarterly_report() -> int:
    return len(services.schedule_quarterly_reports())


@shared_task(soft_time_limit=300, time_limit=360)  # type: ignore[untyped-decorator]  # celery has no type information
def warm_dashboards() -> None:
    services.dashboards_warm()
