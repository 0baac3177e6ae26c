"""Quarterly reports: request, idempotent production, atomic file, recovery, permissions."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reports import services
from reports.models import Report
from reports.quarters import Quarter
from tests.factories import DirectionFactory, ProjectFactory

Q3 = Quarter(2026, 3)


def logged_in_q3(**fields):
    """A project logged during the third quarter of 2026, the quarter these reports cover."""
    from portfolio.models import Project

    project = ProjectFactory(**fields)
    Project.objects.filter(pk=project.pk).update(created_at=timezone.make_aware(datetime.datetime(2026, 8, 3)))
    return project


def pdf_text(path: Path) -> str:
    """The PDF's text with its line breaks as spaces: a title that wraps in a table cell (its width depends on
    the names beside it) still reads whole."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def produce(report):
    return services.report_generate(report_id=report.pk)


def test_a_second_request_returns_the_version_under_way(dgs, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr("reports.services._enqueue", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        first, created = services.report_request(quarter=Q3, direction=None, requested_by=dgs)
        again, created_again = services.report_request(quarter=Q3, direction=None, requested_by=dgs)
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk and Report.objects.count() == 1
    assert sent == [first.pk]


def test_the_database_refuses_the_same_version_twice_for_a_scope(db):
    from django.db import IntegrityError, transaction

    direction = DirectionFactory()
    Report.objects.create(quarter="2026Q3")
    Report.objects.create(quarter="2026Q3", direction=direction)
    for scope in (None, direction):
        with pytest.raises(IntegrityError), transaction.atomic():
            Report.objects.create(quarter="2026Q3", direction=scope, version=1)
        Report.objects.create(quarter="2026Q3", direction=scope, version=2)


def test_a_report_is_produced_once_and_its_pdf_is_readable(db, settings):
    logged_in_q3(title="Guichet unique des démarches")
    report = Report.objects.create(quarter="2026Q3")
    assert produce(report) == "done"
    assert produce(report) == "skipped"  # a second delivery of the task changes nothing
    report.refresh_from_db()
    assert report.status == "done" and report.attempts == 1
    path = Path(settings.MEDIA_ROOT) / report.file.name
    text = pdf_text(path)
    assert "Rapport trimestriel de l'innovation" in text
    assert "3e trimestre 2026" in text and "Guichet unique des démarches" in text
    assert not list(path.parent.glob(".*.part"))


def test_a_crash_while_rendering_leaves_no_file_and_marks_nothing_done(db, settings, monkeypatch):
    report = Report.objects.create(quarter="2026Q3")

    def crash(html, target, **options):
        Path(target).write_bytes(b"%PDF-1.7 half written")
        raise MemoryError("worker killed")

    monkeypatch.setattr("reports.services.html_to_pdf", crash)
    with pytest.raises(MemoryError):
        produce(report)
    report.refresh_from_db()
    assert report.status == "running"
    folder = Path(settings.MEDIA_ROOT) / "reports"
    assert list(folder.iterdir()) == []


def test_a_report_left_running_by_a_lost_worker_is_taken_back_once_its_lease_runs_out(db, monkeypatch):
    sent = []
    monkeypatch.setattr("reports.services._enqueue", sent.append)
    lease = timezone.now() + datetime.timedelta(seconds=20)
    report = Report.objects.create(quarter="2026Q3", status="running", task_id="other", lease_expires_at=lease)
    assert produce(report) == "skipped"  # another worker holds it
    assert services.requeue_stuck_reports() == 0
    Report.objects.filter(pk=report.pk).update(lease_expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert services.requeue_stuck_reports() == 1 and sent == [report.pk]
    assert produce(report) == "done"


def test_a_pending_report_is_queued_again_when_the_broker_was_down(db, monkeypatch):
    sent = []
    monkeypatch.setattr("reports.services._enqueue", sent.append)
    report = Report.objects.create(quarter="2026Q3")
    Report.objects.filter(pk=report.pk).update(requested_at=timezone.now() - datetime.timedelta(minutes=10))
    assert services.requeue_stuck_reports() == 1 and sent == [report.pk]


def test_a_request_answers_at_once_when_the_broker_is_down(client, dgs, django_capture_on_commit_callbacks):
    import time

    from innovation_portal.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "broker_transport_options")}
    app.conf.update(broker_url="redis://127.0.0.1:1/0", broker_transport_options={})
    client.force_login(dgs)
    try:
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/rapports/", {"trimestre": "2026Q3", "direction": ""}, follow=True)
        elapsed = time.monotonic() - started
    finally:
        app.conf.update(saved)
    assert response.status_code == 200
    assert "est demandé" in response.content.decode()
    assert Report.objects.get().status == "pending"
    assert elapsed < 10


def test_beat_schedules_the_report_of_the_quarter_just_ended(db, monkeypatch):
    monkeypatch.setattr("reports.services._enqueue", lambda report_id: None)
    report = services.schedule_quarterly_report(today=datetime.date(2026, 10, 1))
    assert (report.quarter, report.direction, report.version) == ("2026Q3", None, 1)
    again = services.schedule_quarterly_report(today=datetime.date(2026, 10, 1))
    assert again.pk == report.pk  # a second delivery of the task produces nothing more


def test_beat_produces_a_new_version_when_the_last_one_predates_the_quarters_end(db, monkeypatch):
    monkeypatch.setattr("reports.services._enqueue", lambda report_id: None)
    partial = Report.objects.create(quarter="2026Q3", status="done", file="reports/partial.pdf")
    Report.objects.filter(pk=partial.pk).update(requested_at=timezone.make_aware(datetime.datetime(2026, 9, 15)))
    report = services.schedule_quarterly_report(today=datetime.date(2026, 10, 1))
    assert report.version == 2 and report.status == "pending"


def test_a_failed_version_stays_in_the_history_and_a_request_produces_the_next(db, monkeypatch):
    monkeypatch.setattr("reports.services._enqueue", lambda report_id: None)
    failed = Report.objects.create(quarter="2026Q3", status="failed", failure_reason="Boom")
    report, created = services.report_request(quarter=Q3, direction=None, requested_by=None)
    assert created and (report.version, report.status, report.failure_reason) == (2, "pending", "")
    failed.refresh_from_db()
    assert (failed.status, failed.failure_reason) == ("failed", "Boom")


def test_the_task_records_a_failure_with_its_reason(db, monkeypatch):
    from reports.tasks import generate_report

    report = Report.objects.create(quarter="2026Q3")
    monkeypatch.setattr("reports.services.render_report", lambda report: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        generate_report.apply(args=[report.pk], throw=True)
    report.refresh_from_db()
    assert report.status == "failed"
    assert "Erreur interne" in report.failure_reason and "ZeroDivision" not in report.failure_reason


@pytest.mark.parametrize("user_fixture", ["agent", "lead"])
def test_reports_are_for_the_copil_and_the_dgs_only(client, request, user_fixture, db):
    report = Report.objects.create(quarter="2026Q3", status="done", file="reports/x.pdf")
    client.force_login(request.getfixturevalue(user_fixture))
    for url in (
        "/rapports/",
        reverse("reports:download", args=[report.pk]),
        reverse("reports:status", args=[report.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post("/rapports/", {"trimestre": "2026Q3"}).status_code == 404
    assert client.get("/tableaux-de-bord/").status_code == 403


def test_the_copil_downloads_a_done_report(client, copil_member, settings):
    report = Report.objects.create(quarter="2026Q3")
    produce(report)
    client.force_login(copil_member)
    response = client.get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="rapport-innovation-2026Q3-collectivite-v1.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_report_not_done_is_not_served(client, copil_member):
    report = Report.objects.create(quarter="2026Q3", status="running")
    client.force_login(copil_member)
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404
    status = client.get(reverse("reports:status", args=[report.pk])).json()
    assert status == {
        "status": "running",
        "label": "En cours de production",
        "reason": "",
        "ready": False,
        "version": 1,
    }


def test_a_direction_report_covers_that_direction_only(db, settings):
    dsi, drh = DirectionFactory(code="DSI"), DirectionFactory(code="DRH")
    logged_in_q3(title="Entrepôt de données", directions=[dsi])
    logged_in_q3(title="Charte managériale", directions=[drh])
    report = Report.objects.create(quarter="2026Q3", direction=dsi)
    produce(report)
    report.refresh_from_db()
    text = pdf_text(Path(settings.MEDIA_ROOT) / report.file.name)
    assert "Entrepôt de données" in text and "Charte managériale" not in text
    assert report.file.name.endswith("rapport-innovation-2026Q3-DSI-v1.pdf")


def test_restricted_projects_are_counted_but_not_named(db, settings):
    logged_in_q3(title="Projet confidentiel", visibility="restricted")
    report = Report.objects.create(quarter="2026Q3")
    produce(report)
    report.refresh_from_db()
    text = pdf_text(Path(settings.MEDIA_ROOT) / report.file.name)
    assert "Projet confidentiel" not in text
    assert "1 projet à diffusion restreinte" in text


def test_user_text_cannot_inject_markup_in_the_pdf(db, settings):
    logged_in_q3(title='<img src="file:///etc/passwd"> <b>gras</b>')
    report = Report.objects.create(quarter="2026Q3")
    produce(report)
    report.refresh_from_db()
    text = pdf_text(Path(settings.MEDIA_ROOT) / report.file.name)
    assert '<img src="file:///etc/passwd">' in text


def test_make_report_refuses_bad_arguments(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="n'est pas un trimestre"):
        call_command("make_report", "--quarter", "2026Q9")
    with pytest.raises(CommandError, match="Direction inconnue : XYZ"):
        call_command("make_report", "--quarter", "2026Q3", "--direction", "XYZ")


def test_temporary_files_of_killed_workers_are_swept(db, settings):
    """Those of the version taken over at once; those of other versions once older than any render."""
    import os
    import time

    folder = Path(settings.MEDIA_ROOT) / "reports"
    folder.mkdir(parents=True)
    stale, fresh = folder / ".old.pdf.part", folder / ".rapport-innovation-2026Q3-collectivite-v2-x.pdf.part"
    killed_owner = folder / ".rapport-innovation-2026Q3-collectivite-v1-abcd.pdf.part"
    for leftover in (stale, fresh, killed_owner):
        leftover.write_bytes(b"half")
    old = time.time() - settings.REPORT_TIME_LIMIT - 70
    os.utime(stale, (old, old))
    produce(Report.objects.create(quarter="2026Q3"))
    assert not stale.exists() and not killed_owner.exists() and fresh.exists()
