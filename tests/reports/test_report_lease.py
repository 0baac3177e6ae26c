"""The lease of the worker rendering a report: renewed while it works, taken over when its worker is gone."""

import datetime
import time
from pathlib import Path

import pytest
from django.utils import timezone

from reports import services
from reports.models import Report


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    monkeypatch.setattr("reports.services._enqueue", lambda report_id: None)


def held(task_id: str, *, seconds: int = 20, attempts: int = 1, quarter: str = "2026Q3") -> Report:
    """A version being rendered by task ``task_id``, its lease running for ``seconds`` more."""
    return Report.objects.create(
        quarter=quarter,
        status="running",
        task_id=task_id,
        attempts=attempts,
        started_at=timezone.now(),
        lease_expires_at=timezone.now() + datetime.timedelta(seconds=seconds),
    )


def test_a_task_delivered_again_takes_over_its_report_at_once(db):
    """The worker child died mid-render: the worker puts the message back and its task comes again, same id."""
    report = held("task-1")
    assert services.report_generate(report_id=report.pk, task_id="task-2") == "skipped"  # another, live task
    assert services.report_generate(report_id=report.pk, task_id="task-1") == "done"
    report.refresh_from_db()
    assert (report.status, report.attempts, report.lease_expires_at) == ("done", 2, None)


def test_a_report_whose_lease_ran_out_is_taken_over_by_any_task(db):
    report = held("task-1", seconds=-1)
    assert services.report_generate(report_id=report.pk, task_id="requeued") == "done"
    assert Report.objects.get(pk=report.pk).task_id == "requeued"


def test_a_report_that_kills_its_worker_every_time_fails_instead_of_looping(db, settings):
    report = held("task-1", attempts=settings.REPORT_MAX_ATTEMPTS)
    assert services.report_generate(report_id=report.pk, task_id="task-1") == "skipped"
    report.refresh_from_db()
    assert report.status == "failed"
    assert report.failure_reason.startswith("La production a été interrompue 3 fois")


def test_a_task_taken_over_neither_marks_the_report_done_nor_failed(db, monkeypatch):
    report = Report.objects.create(quarter="2026Q3")

    def taken_over_meanwhile(html, target, **options):
        Report.objects.filter(pk=report.pk).update(task_id="new-owner")
        Path(target).write_bytes(b"%PDF-1.7")

    monkeypatch.setattr("reports.services.html_to_pdf", taken_over_meanwhile)
    assert services.report_generate(report_id=report.pk, task_id="old-owner") == "done"
    services.report_fail(report_id=report.pk, reason="dépassement", task_id="old-owner")
    report.refresh_from_db()
    assert (report.status, report.task_id, report.failure_reason) == ("running", "new-owner", "")


def test_the_lease_is_renewed_while_the_pdf_is_rendered(transactional_db, settings, monkeypatch):
    """WeasyPrint can work for a minute without coming back to our code: a thread renews the lease meanwhile."""
    settings.REPORT_LEASE_SECONDS = 3  # renewed every second
    report = Report.objects.create(quarter="2026Q3")
    renewed = []

    def slow_render(html, target, **options):
        first = Report.objects.get(pk=report.pk).lease_expires_at
        deadline = time.monotonic() + 60  # renewed within a second; this only bounds a hang on a busy machine
        while Report.objects.get(pk=report.pk).lease_expires_at == first:
            assert time.monotonic() < deadline, "the lease was never renewed"
            time.sleep(0.1)
        renewed.append(Report.objects.get(pk=report.pk).lease_expires_at > first)
        Path(target).write_bytes(b"%PDF-1.7")

    monkeypatch.setattr("reports.services.html_to_pdf", slow_render)
    assert services.report_generate(report_id=report.pk, task_id="task-1") == "done"
    assert renewed == [True]


def test_the_periodic_job_requeues_expired_leases_only(db, monkeypatch):
    sent = []
    monkeypatch.setattr("reports.services._enqueue", sent.append)
    live, lost = held("alive"), held("dead", seconds=-1, quarter="2026Q2")
    before_leases = Report.objects.create(quarter="2026Q1", status="running")  # left by a worker of an older release
    assert services.requeue_stuck_reports() == 2
    assert sorted(sent) == sorted([lost.pk, before_leases.pk]) and live.pk not in sent
