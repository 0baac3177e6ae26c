"""Report versions: every production is kept, numbered per quarter and scope, with who asked for it and when."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse

from reports import services
from reports.models import Report
from reports.quarters import Quarter
from tests.factories import DirectionFactory

Q2, Q3 = Quarter(2026, 2), Quarter(2026, 3)


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    monkeypatch.setattr("reports.services._enqueue", lambda report_id: None)


def produce(report: Report) -> Report:
    assert services.report_generate(report_id=report.pk) == "done"
    report.refresh_from_db()
    return report


def done_version(**fields) -> Report:
    return produce(Report.objects.create(quarter="2026Q3", **fields))


def make_report(*args: str) -> list[str]:
    from io import StringIO

    out = StringIO()
    call_command("make_report", "--quarter", "2026Q3", *args, stdout=out)
    return out.getvalue().splitlines()


def visible_download_links(html: str) -> list[str]:
    """The hrefs of the download links a reader sees (the JS-less page hides those of versions not done)."""
    return re.findall(r'<a class="download-link" href="([^"]+)">', html)


def test_versions_are_numbered_per_quarter_and_scope(db):
    dsi = DirectionFactory(code="DSI")
    versions = [
        services.report_request(quarter=quarter, direction=scope, requested_by=None, new=True)[0]
        for quarter, scope in [(Q3, None), (Q3, None), (Q3, dsi), (Q2, None), (Q3, dsi), (Q3, None)]
    ]
    assert [report.version for report in versions] == [1, 2, 1, 1, 2, 3]
    assert versions[-1].filename() == "rapport-innovation-2026Q3-collectivite-v3.pdf"
    assert versions[4].filename() == "rapport-innovation-2026Q3-DSI-v2.pdf"


def test_without_new_a_done_or_running_version_is_returned_as_it_is(db, dgs):
    first = done_version()
    report, created = services.report_request(quarter=Q3, direction=None, requested_by=dgs)
    assert (report.pk, created) == (first.pk, False)
    running = Report.objects.create(quarter="2026Q3", version=2, status="running")
    report, created = services.report_request(quarter=Q3, direction=None, requested_by=dgs)
    assert (report.pk, created) == (running.pk, False)


def test_a_request_naming_another_campaign_makes_a_new_version(db, dgs):
    from surveys.models import Campaign, Questionnaire

    questionnaire = Questionnaire.objects.first()
    made = {"questionnaire": questionnaire, "created_by": dgs}
    spring = Campaign.objects.create(title="Printemps", slug="printemps", **made)
    autumn = Campaign.objects.create(title="Automne", slug="automne", **made)
    first, _ = services.report_request(quarter=Q3, direction=None, requested_by=dgs, campaign=spring)
    same, created = services.report_request(quarter=Q3, direction=None, requested_by=dgs, campaign=spring)
    assert (same.pk, created) == (first.pk, False)
    other, created = services.report_request(quarter=Q3, direction=None, requested_by=dgs, campaign=autumn)
    assert created and (other.version, other.campaign) == (2, autumn)


def test_two_simultaneous_requests_never_share_a_version_number(db, monkeypatch):
    """The second request read the scope before the first one's insert: the database refuses the duplicate
    number and the request is tried again with the next one, with no error for the user."""
    services.report_request(quarter=Q3, direction=None, requested_by=None, new=True)
    real = services._latest_version
    reads = []

    def latest_version(**scope):
        reads.append(scope)
        return None if len(reads) == 1 else real(**scope)  # the first read misses version 1

    monkeypatch.setattr("reports.services._latest_version", latest_version)
    report, created = services.report_request(quarter=Q3, direction=None, requested_by=None, new=True)
    assert created and report.version == 2 and len(reads) == 2
    assert sorted(Report.objects.values_list("version", flat=True)) == [1, 2]


def test_a_request_gives_up_loudly_rather_than_loop_forever(db, monkeypatch):
    services.report_request(quarter=Q3, direction=None, requested_by=None, new=True)
    monkeypatch.setattr("reports.services._latest_version", lambda **scope: None)
    with pytest.raises(IntegrityError):
        services.report_request(quarter=Q3, direction=None, requested_by=None, new=True)
    assert Report.objects.count() == 1


def test_make_report_returns_the_done_version_and_says_so(db, settings):
    first = done_version()
    output = make_report()
    assert output[0].startswith("Version existante renvoyée : v1, produite le ")
    assert re.search(r"produite le \d\d/\d\d/\d{4} à \d\d:\d\d\.", output[0])
    assert output[-1] == str(Path(settings.MEDIA_ROOT) / first.file.name)
    assert Report.objects.count() == 1


def test_make_report_new_produces_a_new_version_and_keeps_the_old_file(db, settings, client, copil_member):
    first = done_version()
    output = make_report("--new")
    assert output[0] == "Nouvelle version demandée : v2."
    assert output[-1].endswith("rapport-innovation-2026Q3-collectivite-v2.pdf")
    second = produce(Report.objects.get(version=2))
    old, new = Path(settings.MEDIA_ROOT) / first.file.name, Path(settings.MEDIA_ROOT) / second.file.name
    assert old.exists() and new.exists() and old != new
    client.force_login(copil_member)
    for report in (first, second):
        response = client.get(reverse("reports:download", args=[report.pk]))
        assert response.status_code == 200
        assert f"-v{report.version}.pdf" in response["Content-Disposition"]


def test_make_report_waits_for_the_new_version_it_asked_for(transactional_db, monkeypatch):
    done_version()
    monkeypatch.setattr("reports.services._enqueue", lambda report_id: services.report_generate(report_id=report_id))
    output = make_report("--new", "--wait", "--timeout", "60")
    assert output[0] == "Nouvelle version demandée : v2."
    assert output[1].startswith("Version v2 produite le ")
    assert output[-1].endswith("-v2.pdf") and Path(output[-1]).read_bytes().startswith(b"%PDF")


def test_make_report_says_where_a_version_under_way_will_be(db):
    Report.objects.create(quarter="2026Q3", status="running")
    output = make_report()
    assert output[0].startswith("Version existante renvoyée : v1, en cours de production (demandée le ")
    assert output[-1].endswith("rapport-innovation-2026Q3-collectivite-v1.pdf")


def test_a_worker_killed_while_producing_a_new_version_leaves_the_previous_one_intact(db, settings, monkeypatch):
    first = done_version()
    before = (Path(settings.MEDIA_ROOT) / first.file.name).read_bytes()
    second, _ = services.report_request(quarter=Q3, direction=None, requested_by=None, new=True)

    def crash(html, target, **options):
        Path(target).write_bytes(b"%PDF-1.7 half written")
        raise MemoryError("worker killed")

    monkeypatch.setattr("reports.services.html_to_pdf", crash)
    with pytest.raises(MemoryError):
        services.report_generate(report_id=second.pk)
    assert sorted(path.name for path in (Path(settings.MEDIA_ROOT) / "reports").iterdir()) == [
        "rapport-innovation-2026Q3-collectivite-v1.pdf"
    ]
    assert (Path(settings.MEDIA_ROOT) / first.file.name).read_bytes() == before
    assert Report.objects.get(pk=second.pk).status == "running"  # taken back by the periodic re-queue


def test_the_list_shows_each_version_with_who_asked_for_it(client, copil_member, dgs, django_assert_max_num_queries):
    dgs.first_name, dgs.last_name = "Claire", "Fontaine"
    dgs.save()
    done_version(requested_by=dgs)
    Report.objects.create(quarter="2026Q3", version=2, requested_by=copil_member)
    Report.objects.create(quarter="2026Q3", direction=DirectionFactory(name="Direction des finances"))
    client.force_login(copil_member)
    with django_assert_max_num_queries(14):  # two for the reports whatever their number, the rest is the layout
        html = client.get("/rapports/").content.decode()
    assert html.index("Version 2") < html.index("Version 1")  # the latest first
    assert "Claire Fontaine" in html and str(copil_member) in html
    assert "Direction des finances" in html
    assert '<th scope="row">Version 2' in html and "<caption>" in html


def test_the_latest_done_version_stays_downloadable_while_a_new_one_is_produced(client, dgs):
    first = done_version()
    client.force_login(dgs)
    response = client.post(reverse("reports:new_version", args=[first.pk]), follow=True)
    html = response.content.decode()
    assert "la version 2 sera prête dans quelques instants ; la version 1 reste téléchargeable" in html
    second = Report.objects.get(version=2)
    assert second.requested_by == dgs and second.status == "pending"
    assert "Version 2 en cours de production — la version 1 reste téléchargeable." in html
    assert visible_download_links(html) == [reverse("reports:download", args=[first.pk])]
    assert client.get(reverse("reports:download", args=[first.pk])).status_code == 200
    assert client.get(reverse("reports:download", args=[second.pk])).status_code == 404


def test_a_second_click_while_the_new_version_is_under_way_makes_no_other(client, dgs):
    first = done_version()
    client.force_login(dgs)
    client.post(reverse("reports:new_version", args=[first.pk]))
    response = client.post(reverse("reports:new_version", args=[first.pk]), follow=True)
    html = response.content.decode()
    assert "La version 2 du rapport « 3e trimestre 2026 — Toute la collectivité » est déjà en cours" in html
    assert sorted(Report.objects.values_list("version", flat=True)) == [1, 2]
    assert reverse("reports:new_version", args=[Report.objects.get(version=2).pk]) not in html


def test_requesting_a_report_that_exists_says_no_new_version_was_made(client, dgs):
    done_version()
    client.force_login(dgs)
    response = client.post("/rapports/", {"trimestre": "2026Q3", "direction": ""}, follow=True)
    assert "La version 1 du rapport « 3e trimestre 2026 — Toute la collectivité » existe déjà" in (
        response.content.decode()
    )
    assert Report.objects.count() == 1


def test_a_new_version_asks_for_the_same_survey_campaign(client, dgs):
    from surveys.models import Campaign, Questionnaire

    campaign = Campaign.objects.create(
        title="Automne", slug="automne", questionnaire=Questionnaire.objects.first(), created_by=dgs
    )
    first = done_version(campaign=campaign)
    client.force_login(dgs)
    client.post(reverse("reports:new_version", args=[first.pk]))
    assert Report.objects.get(version=2).campaign == campaign


def test_a_new_version_needs_a_post_with_its_csrf_token(dgs):
    from django.test import Client

    first = done_version()
    client = Client(enforce_csrf_checks=True)
    client.force_login(dgs)
    assert client.get(reverse("reports:new_version", args=[first.pk])).status_code == 405
    assert client.post(reverse("reports:new_version", args=[first.pk])).status_code == 403
    assert Report.objects.count() == 1


@pytest.mark.parametrize("user_fixture", ["agent", "lead"])
def test_a_stranger_finds_no_version_of_any_report(client, request, user_fixture, db):
    versions = [done_version(), done_version(version=2), Report.objects.create(quarter="2026Q3", version=3)]
    client.force_login(request.getfixturevalue(user_fixture))
    for report in versions:
        assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404
        assert client.post(reverse("reports:new_version", args=[report.pk])).status_code == 404
    assert Report.objects.count() == 3


def test_reports_made_before_versions_become_version_1_and_keep_their_file(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("reports", "0001_initial")], [("reports", "0002_report_versions")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("reports", "Report")
    old.objects.create(quarter="2026Q2", status="done", file="reports/rapport-innovation-2026Q2-collectivite.pdf")
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("reports"))  # the schema the other tests expect
    report = Report.objects.get()
    assert (report.version, report.file.name) == (1, "reports/rapport-innovation-2026Q2-collectivite.pdf")
    assert services.report_request(quarter=Q2, direction=None, requested_by=None, new=True)[0].version == 2


def test_the_person_who_asked_for_a_report_hears_it_is_ready(copil_member, django_capture_on_commit_callbacks):
    from django.core import mail

    from accounts.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        report = done_version(requested_by=copil_member)
    note = Notification.objects.get(user=copil_member)
    assert note.kind == "report_ready" and str(report) in note.message
    assert note.url == reverse("reports:list")
    assert mail.outbox[0].to == [copil_member.email]


def test_a_report_nobody_asked_for_notifies_nobody(db):
    from accounts.models import Notification

    done_version()
    assert not Notification.objects.exists()
