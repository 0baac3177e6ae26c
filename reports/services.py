"""Producing the quarterly reports: request, claim under a lease, render, write atomically, take over lost ones."""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Direction, NotificationKind, Organisation, User
from accounts.services import notify
from audit import services as audit
from common import tenancy
from common.exports import csv_text
from reports import selectors
from reports.models import Report
from reports.pdf import html_to_pdf
from reports.quarters import Quarter
from reports.rendering import figure_svg
from surveys.models import Campaign

logger = logging.getLogger(__name__)
Status = Report.Status


def _enqueue(report_id: int) -> None:
    """Hands the report to a worker; a broker that is down leaves it pending for the periodic re-queue."""
    from reports.tasks import generate_report

    try:
        generate_report.apply_async(args=[report_id], retry=False)
    except Exception:
        logger.warning("Broker unavailable: report %s stays pending and will be queued again", report_id, exc_info=True)


REQUEST_ATTEMPTS = 5


def report_request(
    *,
    quarter: Quarter,
    direction: Direction | None,
    requested_by: User | None,
    campaign: Campaign | None = None,
    new: bool = False,
    while_in_progress: bool = True,
) -> tuple[Report, bool]:
    """The version of this quarter and scope to serve, and whether it is a new one.

    Without ``new``, the latest version is returned as it is when it is done or under way (and,
    if ``campaign`` is given, compares with that campaign); otherwise (no version yet, the latest
    failed, another campaign asked for) a new version is created. A failed version is never
    produced again under its number: it stays in the history with its reason, and the retry is
    the next version. With ``new``, a new version is created, except when ``while_in_progress`` is
    False and the latest one is still waiting or being produced (the pages' button: a double click).
    A quarter that has not started yet is refused.

    A new version is queued for a worker once the transaction commits. Two simultaneous requests
    cannot take the same number: the unique constraints refuse the second insert, which is tried
    again with the number that follows.
    """
    if quarter.start > timezone.localdate():
        raise ValidationError(
            _("Le %(quarter)s n'a pas commencé : il n'y a pas encore de rapport à produire.")
            % {"quarter": quarter.label()}
        )
    attempt = 1
    while True:
        try:
            with transaction.atomic():
                return _request_version(
                    quarter=quarter,
                    direction=direction,
                    requested_by=requested_by,
                    campaign=campaign,
                    new=new,
                    while_in_progress=while_in_progress,
                )
        except IntegrityError:
            if attempt == REQUEST_ATTEMPTS:
                raise
            attempt += 1


def _latest_version(*, quarter: Quarter, direction: Direction | None) -> Report | None:
    return Report.objects.of_scope(quarter=quarter.code, direction=direction).select_related("direction").first()


def _quarter_ended_at(quarter: Quarter) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(quarter.next().start, datetime.time()))


def _still_serves(latest: Report, quarter: Quarter, campaign: Campaign | None) -> bool:
    """A version done or under way answers a request, unless the request names another campaign, or the
    version was asked for while the quarter was running and the quarter has since ended (it describes the
    quarter up to that day only)."""
    if latest.status == Status.FAILED or (campaign is not None and latest.campaign_id != campaign.pk):
        return False
    ended = _quarter_ended_at(quarter)
    return timezone.now() < ended or latest.requested_at >= ended


def _request_version(
    *,
    quarter: Quarter,
    direction: Direction | None,
    requested_by: User | None,
    campaign: Campaign | None,
    new: bool,
    while_in_progress: bool,
) -> tuple[Report, bool]:
    latest = _latest_version(quarter=quarter, direction=direction)
    if latest is not None and new and not while_in_progress and latest.in_progress:
        return latest, False  # a second click: the version under way reads the data when it runs anyway
    if not new and latest is not None and _still_serves(latest, quarter, campaign):
        return latest, False
    report = Report.objects.create(
        quarter=quarter.code,
        direction=direction,
        version=latest.version + 1 if latest else 1,
        requested_by=requested_by,
        campaign=campaign,
    )
    audit.record(actor=requested_by, action=audit.Action.REPORT_REQUESTED, obj=report)
    transaction.on_commit(lambda: _enqueue(report.pk))
    return report, True


def _lost(task_id: str) -> Q:
    """Running versions whose worker is gone: their lease has run out (or they predate leases), or their own
    task is delivered again. Celery delivers a message again under the same task id only once the delivery
    that took the version is lost: its worker child died and the worker put the message back in the queue
    (``reject_on_worker_lost``), or the whole worker died with the message unacknowledged."""
    expired = Q(lease_expires_at__lt=timezone.now()) | Q(lease_expires_at__isnull=True)
    if task_id:
        expired |= Q(task_id=task_id)
    return Q(status=Status.RUNNING) & expired


def _lease_end() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=settings.REPORT_LEASE_SECONDS)


def _claim(report_id: int, task_id: str) -> bool:
    """Takes the report for this task with a conditional update: only one worker renders it.

    A running report whose worker is gone (see ``_lost``) is taken over, unless it was already started
    REPORT_MAX_ATTEMPTS times: a report that kills its worker every time fails instead of looping.
    """
    claimable = Q(status=Status.PENDING) | (_lost(task_id) & Q(attempts__lt=settings.REPORT_MAX_ATTEMPTS))
    claimed = Report.objects.filter(claimable, pk=report_id).update(
        status=Status.RUNNING,
        task_id=task_id,
        started_at=timezone.now(),
        lease_expires_at=_lease_end(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        Report.objects.filter(_lost(task_id), pk=report_id).update(
            status=Status.FAILED,
            failure_reason=_(
                "La production a été interrompue %(attempts)s fois (worker arrêté en cours de production) ; "
                "l'équipe technique en trouve le détail dans les journaux."
            )
            % {"attempts": settings.REPORT_MAX_ATTEMPTS},
            finished_at=timezone.now(),
        )
    return bool(claimed)


@contextlib.contextmanager
def _lease_kept(report_id: int, task_id: str) -> Iterator[None]:
    """Renews the report's lease from a background thread while the block runs (the render can spend a minute
    inside WeasyPrint without returning to our code). If the worker dies, the renewals stop with it."""
    stop = threading.Event()

    def renew() -> None:
        try:
            while not stop.wait(settings.REPORT_LEASE_SECONDS / 3):
                try:
                    Report.objects.filter(pk=report_id, status=Status.RUNNING, task_id=task_id).update(
                        lease_expires_at=_lease_end()
                    )
                except DatabaseError:  # the next renewal tries again; the lease lasts three periods
                    logger.warning("Could not renew the lease of report %s", report_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=renew, name=f"report-{report_id}-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=settings.REPORT_LEASE_SECONDS)


def final_path(report: Report) -> Path:
    return Path(settings.MEDIA_ROOT) / "reports" / report.filename()


def render_report(report: Report) -> tuple[str, list[tuple[str, str, str]]]:
    """The report's HTML and its attached files (the full lists as CSV: name, description, text)."""
    with translation.override(settings.LANGUAGE_CODE):
        context: dict[str, Any] = selectors.quarterly_context(  # a template's context
            quarter=report.period,
            direction=report.direction,
            stalled_days=settings.STALLED_AFTER_DAYS,
            campaign=report.campaign,
        )
        for chart in [*context["charts"], *context["survey"].charts]:
            chart.svg = figure_svg(chart.figure)
        context.update(report=report, organisation=Organisation.current(), generated_at=timezone.now())
        html = render_to_string("reports/quarterly.html", context)
        files = [(a.name, a.description, csv_text(a.header, a.rows)) for a in context["appendices"]]
    return html, files


def report_generate(*, report_id: int, task_id: str = "") -> str:
    """Renders the PDF into a temporary file, moves it into place, then marks the report done.

    ``task_id`` is the Celery task's id (empty when called directly). Returns what happened ("done",
    "skipped"). A crash before the move leaves no file at the final path and the row "running": the task
    delivered again after a killed worker child, or the periodic re-queue once the lease has run out,
    takes it over.
    """
    if not _claim(report_id, task_id):
        return "skipped"
    report = Report.objects.select_related("direction", "campaign", "requested_by").get(pk=report_id)
    target = final_path(report)
    target.parent.mkdir(parents=True, exist_ok=True)
    _sweep_lost_temporary_files(target)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-", suffix=".pdf.part")
    os.close(descriptor)
    try:
        with _lease_kept(report_id, task_id):
            html, files = render_report(report)
            html_to_pdf(html, Path(temporary), attachments=files)
        Path(temporary).replace(target)  # atomic on the same file system
    finally:
        Path(temporary).unlink(missing_ok=True)
    with transaction.atomic():
        done = Report.objects.filter(pk=report_id, status=Status.RUNNING, task_id=task_id).update(
            status=Status.DONE,
            file=str(target.relative_to(settings.MEDIA_ROOT)),
            finished_at=timezone.now(),
            lease_expires_at=None,
            failure_reason="",
        )
        if done and report.requested_by:
            _notify_ready(report)
    return "done"


def _notify_ready(report: Report) -> None:
    """The person who asked for the report hears that it can be downloaded."""
    with translation.override(settings.LANGUAGE_CODE):
        message = _("Votre rapport « %(report)s » est prêt à télécharger.") % {"report": report}
    notify(
        users=[cast(User, report.requested_by)],  # called only for a report someone asked for
        kind=NotificationKind.REPORT_READY,
        subject=message,
        message=message,
        url=reverse("reports:list"),
    )


def _sweep_lost_temporary_files(target: Path) -> None:
    """Temporary files of workers killed mid-render (SIGKILL cannot clean up): those of this version at once
    (whoever rendered it before is gone, since we hold it now), the others once older than any render can last
    (the task's hard time limit)."""
    limit = time.time() - settings.REPORT_TIME_LIMIT - 60
    for leftover in target.parent.glob(".*.pdf.part"):
        with contextlib.suppress(FileNotFoundError):
            if leftover.name.startswith(f".{target.stem}-") or leftover.stat().st_mtime < limit:
                leftover.unlink()


def report_fail(*, report_id: int, reason: str, task_id: str = "") -> None:
    """Marks the report failed, unless it is done or another task has taken it over meanwhile."""
    Report.objects.filter(Q(status=Status.PENDING) | Q(status=Status.RUNNING, task_id=task_id), pk=report_id).update(
        status=Status.FAILED, failure_reason=reason[:2000], finished_at=timezone.now(), lease_expires_at=None
    )


def requeue_stuck_reports() -> int:
    """Queues again the reports left pending (broker down) or running on a lost worker (lease run out).

    Beat runs it every minute, and each worker once it is ready: a worker that was killed whole and restarted
    takes back at once what it was rendering.
    """
    waited = timezone.now() - datetime.timedelta(minutes=2)
    stuck = Report.objects.filter(Q(status=Status.PENDING, requested_at__lt=waited) | _lost(task_id=""))
    ids = list(stuck.values_list("pk", flat=True))
    for report_id in ids:
        _enqueue(report_id)
    return len(ids)


def schedule_quarterly_report(*, today: datetime.date | None = None) -> Report:
    """Beat, on the first day of a quarter: the report of the quarter just ended, for the whole collectivité.

    A version requested while the quarter was still running does not count: a new version is
    produced from the whole quarter. A second delivery of the task returns the version the first
    one requested.
    """
    quarter = Quarter.containing(today or timezone.localdate()).previous()
    report, _created = report_request(quarter=quarter, direction=None, requested_by=None)
    return report


def schedule_quarterly_reports(*, today: datetime.date | None = None) -> list[Report]:
    """Beat, on the first day of a quarter: each collectivité's report of the quarter just ended."""
    reports = []
    for organisation in _organisations():
        with tenancy.scoped(organisation):
            reports.append(schedule_quarterly_report(today=today))
    return reports


def _organisations() -> list[Organisation]:
    with tenancy.unscoped():
        return list(Organisation.objects.order_by("pk"))


def dashboards_warm() -> None:
    """Each collectivité's default dashboard computed ahead (``dashboard_warm``)."""
    for organisation in _organisations():
        with tenancy.scoped(organisation):
            dashboard_warm()


def dashboard_warm() -> None:
    """Computes ahead the dashboard people open first (the last complete quarter, the whole collectivité,
    as the DGS and as the others see it), so that the first visit after a change of the data finds it
    ready (beat, every few minutes; nothing is recomputed while the data don't change)."""
    with translation.override(settings.LANGUAGE_CODE):
        for detailed in (True, False):
            selectors.dashboard_figures(
                quarter=selectors.default_quarter(),
                direction=None,
                stalled_days=settings.STALLED_AFTER_DAYS,
                detailed=detailed,
            )


def report_release(*, report_id: int, task_id: str) -> None:
    """The task rendering the report lost the database and will retry: the version waits again, free for the
    retry to take (only if this task still holds it)."""
    Report.objects.filter(pk=report_id, status=Report.Status.RUNNING, task_id=task_id).update(
        status=Report.Status.PENDING
    )
