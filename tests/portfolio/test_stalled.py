"""Projects without a move ("sans mouvement"): the list's filter, its exports and the weekly digest to leads."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Notification, NotificationKind
from accounts.roles import Role
from portfolio import services
from portfolio.models import Phase
from tests.factories import DirectionFactory, ProjectFactory


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def titles(response) -> list[str]:
    return sorted(project.title for project in response.context["page"])


@pytest.fixture
def around_threshold(lead):
    ProjectFactory(title="Exactement 30 jours", lead=lead, phase_since=days_ago(30))
    ProjectFactory(title="31 jours", lead=lead, phase_since=days_ago(31))
    ProjectFactory(title="Suspendu depuis un an", lead=lead, phase_since=days_ago(365), status="on_hold")
    ProjectFactory(title="Arrêté depuis un an", lead=lead, phase_since=days_ago(365), status="stopped")
    ProjectFactory(title="Un an", lead=lead, phase_since=days_ago(365))


def test_the_filter_keeps_projects_in_progress_for_more_than_n_days_in_their_phase(client, dgs, around_threshold):
    client.force_login(dgs)
    assert titles(client.get("/projets/?sans_mouvement=30")) == ["31 jours", "Un an"]
    assert titles(client.get("/projets/?sans_mouvement=29")) == ["31 jours", "Exactement 30 jours", "Un an"]
    assert titles(client.get("/projets/?sans_mouvement=364")) == ["Un an"]
    assert titles(client.get("/projets/?sans_mouvement=365")) == []


def test_an_empty_threshold_filters_nothing(client, dgs, around_threshold):
    client.force_login(dgs)
    assert len(titles(client.get("/projets/?sans_mouvement="))) == 5


@pytest.mark.parametrize("value", ["0", "-3", "3651", "abc", "1.5", "99999999999999999999"])
def test_a_bad_threshold_is_explained_in_french_and_not_applied(client, dgs, around_threshold, value):
    client.force_login(dgs)
    response = client.get(f"/projets/?sans_mouvement={value}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Indiquez un nombre entier de jours, de 1 à 3 650." in page
    assert "Certains filtres sont invalides" in page
    assert len(titles(response)) == 5


def test_the_bounds_are_accepted(client, dgs, around_threshold):
    client.force_login(dgs)
    assert titles(client.get("/projets/?sans_mouvement=1")) == ["31 jours", "Exactement 30 jours", "Un an"]
    assert titles(client.get("/projets/?sans_mouvement=3650")) == []


def test_the_exports_keep_the_threshold(client, dgs, around_threshold):
    client.force_login(dgs)
    csv = b"".join(client.get("/projets/export.csv?sans_mouvement=30").streaming_content).decode("utf-8-sig")
    assert "Un an" in csv and "31 jours" in csv and "Exactement 30 jours" not in csv
    response = client.get("/projets/export.xlsx?sans_mouvement=30")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = {cell for row in sheet.iter_rows(values_only=True) for cell in row}
    assert {"Un an", "31 jours"} <= cells and "Exactement 30 jours" not in cells


def test_a_stranger_does_not_see_restricted_stalled_projects(client, make_user, lead):
    ProjectFactory(title="Confidentiel", lead=lead, phase_since=days_ago(400), visibility="restricted")
    ProjectFactory(title="Public", lead=lead, phase_since=days_ago(400))
    client.force_login(make_user(Role.AGENT, username="passant"))
    assert titles(client.get("/projets/?sans_mouvement=180")) == ["Public"]


def test_the_filtered_list_reads_as_many_queries_for_10_and_300_projects(client, dgs, lead):
    direction = DirectionFactory(code="DSI")
    ProjectFactory.create_batch(10, lead=lead, phase_since=days_ago(400), directions=[direction])
    client.force_login(dgs)
    url = "/projets/?sans_mouvement=180&direction=DSI"
    client.get(url)  # caches warmed (reference data, session)
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(url).context["page"]) == 10
    ProjectFactory.create_batch(290, lead=lead, phase_since=days_ago(400), directions=[direction])
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).context["page"].paginator.count == 300
    assert len(large.captured_queries) == len(small.captured_queries)


# --- The weekly digest ---------------------------------------------------------------------------------------


MONDAY = datetime.date(2026, 11, 30)


def stalled_notifications(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind=NotificationKind.STALLED))


def test_each_lead_hears_once_of_their_stalled_projects_only(lead, make_user):
    other = make_user(Role.PROJECT_LEAD, username="autre")
    calm = make_user(Role.PROJECT_LEAD, username="calme")
    ProjectFactory(title="Vieux guichet", lead=lead, phase_since=MONDAY - datetime.timedelta(days=200))
    ProjectFactory(title="Vieille charte", lead=lead, phase_since=MONDAY - datetime.timedelta(days=300))
    ProjectFactory(title="Récent", lead=lead, phase_since=MONDAY - datetime.timedelta(days=10))
    ProjectFactory(title="Endormi", lead=other, phase_since=MONDAY - datetime.timedelta(days=181))
    ProjectFactory(title="Pile au seuil", lead=calm, phase_since=MONDAY - datetime.timedelta(days=180))
    ProjectFactory(title="Arrêté", lead=calm, phase_since=MONDAY - datetime.timedelta(days=900), status="stopped")

    assert services.stalled_digests_send(today=MONDAY, days=180) == 2

    [mine] = stalled_notifications(lead)
    assert "2 de vos projets en cours sont sans mouvement depuis plus de 180 jours" in mine.message
    assert mine.message.index("Vieille charte") < mine.message.index("Vieux guichet")
    assert "Récent" not in mine.message
    assert mine.url == f"/projets/?sans_mouvement=180&chef={lead.pk}"
    [theirs] = stalled_notifications(other)
    assert "Endormi" in theirs.message and "Vieux guichet" not in theirs.message
    assert stalled_notifications(calm) == []


def test_the_digest_is_not_sent_twice_in_the_same_week(lead):
    ProjectFactory(title="Vieux guichet", lead=lead, phase_since=MONDAY - datetime.timedelta(days=200))
    assert services.stalled_digests_send(today=MONDAY, days=180) == 1
    assert services.stalled_digests_send(today=MONDAY, days=180) == 0
    assert services.stalled_digests_send(today=MONDAY + datetime.timedelta(days=3), days=180) == 0
    assert len(stalled_notifications(lead)) == 1
    assert services.stalled_digests_send(today=MONDAY + datetime.timedelta(days=7), days=180) == 1
    assert len(stalled_notifications(lead)) == 2


def test_a_long_list_names_the_first_projects_and_counts_the_others(lead):
    for n in range(8):
        ProjectFactory(title=f"Projet ancien {n}", lead=lead, phase_since=MONDAY - datetime.timedelta(days=400 - n))
    services.stalled_digests_send(today=MONDAY, days=180)
    [notification] = stalled_notifications(lead)
    assert "Projet ancien 4" in notification.message and "Projet ancien 5" not in notification.message
    assert notification.message.endswith("et 3 autres.")
    assert Phase.objects.order_by("order").first().label in notification.message


def test_the_digest_follows_the_setting_and_runs_each_monday_morning(settings, lead):
    ProjectFactory(title="Vieux guichet", lead=lead, phase_since=MONDAY - datetime.timedelta(days=100))
    settings.STALLED_AFTER_DAYS = 90
    assert services.stalled_digests_send(today=MONDAY) == 1
    schedule = settings.CELERY_BEAT_SCHEDULE["stalled-digest"]
    assert schedule["task"] == "portfolio.tasks.send_stalled_digests"
    assert schedule["schedule"].day_of_week == {1} and schedule["schedule"].hour == {7}


def test_the_digest_link_opens_the_leads_stalled_projects(client, lead, make_user):
    other = make_user(Role.PROJECT_LEAD, username="autre")
    today = timezone.localdate()
    ProjectFactory(title="Le mien", lead=lead, phase_since=today - datetime.timedelta(days=200))
    ProjectFactory(title="Le sien", lead=other, phase_since=today - datetime.timedelta(days=200))
    ProjectFactory(title="Mon récent", lead=lead, phase_since=today - datetime.timedelta(days=3))
    services.stalled_digests_send(days=180)
    [notification] = stalled_notifications(lead)
    client.force_login(lead)
    assert titles(client.get(notification.url)) == ["Le mien"]
