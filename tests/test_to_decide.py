"""The DGS's « À décider » and each lead's own list on the home page: what waits, oldest first, each with its
action one click away, bounded whatever the number of rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import OutgoingEmail
from accounts.roles import Role
from contests.models import Score
from portfolio import services
from portfolio.models import DecisionRequest, Indicator, Measurement, Phase, Project
from reports.models import Report
from tests.factories import ContestFactory, IdeaFactory, ProjectFactory

TODAY = timezone.localdate


def _days_ago(days: int) -> datetime.date:
    return TODAY() - datetime.timedelta(days=days)


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    monkeypatch.setattr("reports.services._enqueue", lambda report_id: None)


def home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_nothing_waits_and_the_dgs_is_told_so(client, dgs):
    page = home(client, dgs)
    assert "À décider" in page
    assert "Rien n'attend de décision aujourd'hui" in page


def test_the_dgs_sees_decisions_asked_for_oldest_first_with_the_way_to_decide(client, dgs, lead):
    first = ProjectFactory(title="Guichet unique", lead=lead)
    second = ProjectFactory(title="Budget participatif", lead=lead)
    services.decision_request_create(project=first, requested_by=lead, message="Le sponsor est trouvé.")
    services.decision_request_create(project=second, requested_by=lead)
    page = home(client, dgs)
    assert "2 décisions demandées" in page
    assert page.index("Décider : Guichet unique") < page.index("Décider : Budget participatif")
    assert f'href="/projets/{first.pk}/#decisions"' in page
    assert "Le sponsor est trouvé." in page
    # Decided: it leaves the list.
    services.project_decide_gate(project=first, decided_by=dgs, decision="go", rationale="Adopté.")
    page = home(client, dgs)
    assert "1 décision demandée" in page
    assert "Guichet unique" not in page.split("Projets en cours par phase")[0]


def test_the_dgs_sees_the_projects_without_a_move_and_reaches_the_filtered_list(client, dgs, lead, settings):
    settings.STALLED_AFTER_DAYS = 90
    ProjectFactory(title="Endormi", lead=lead, phase_since=_days_ago(200))
    ProjectFactory(title="Récent", lead=lead, phase_since=_days_ago(10))
    ProjectFactory(title="Suspendu", lead=lead, phase_since=_days_ago(200), status=Project.Status.ON_HOLD)
    page = home(client, dgs)
    assert "1 projet sans mouvement" in page
    assert "Endormi" in page
    assert 'href="/projets/?sans_mouvement=90"' in page
    listed = client.get("/projets/?sans_mouvement=90").content.decode()
    assert "Endormi" in listed and "Récent" not in listed


def test_the_dgs_sees_the_contests_waiting_for_an_action_and_the_jury_progress(client, dgs, make_user):
    ContestFactory(title="Brouillon en retard", state="draft", opens_on=_days_ago(2), closes_on=TODAY())
    ContestFactory(title="Clos sans suite", state="open", opens_on=_days_ago(30), closes_on=_days_ago(1))
    ContestFactory(title="Encore ouvert", state="open")
    ContestFactory(title="Sans jury", state="evaluation", opens_on=_days_ago(30), closes_on=_days_ago(5))
    judged = ContestFactory(title="En délibération", state="evaluation", opens_on=_days_ago(30), closes_on=_days_ago(5))
    ada, bob = make_user(Role.JURY, first_name="Ada"), make_user(Role.JURY, first_name="Bob")
    judged.jury.set([ada, bob])
    idea = IdeaFactory(contest=judged, title="Navette")
    for criterion in judged.criteria.all():
        Score.objects.create(idea=idea, juror=ada, criterion=criterion, value=3)
    page = home(client, dgs)
    assert "4 concours attendent une action" in page
    assert "Ouvrir : Brouillon en retard" in page
    assert "Passer en évaluation : Clos sans suite" in page
    assert "Encore ouvert" not in page
    assert "Désigner le jury : Sans jury" in page
    assert "Suivre le jury : En délibération" in page
    assert "1 membre(s) du jury sur 2 ont tout évalué." in page
    for criterion in judged.criteria.all():
        Score.objects.create(idea=idea, juror=bob, criterion=criterion, value=4)
    page = home(client, dgs)
    assert "Décider et publier : En délibération" in page
    assert "le jury a terminé ; 1 idée sans décision." in page


def test_a_failed_report_is_one_click_from_a_new_version(client, dgs):
    Report.objects.create(quarter="2026Q2", status="done", version=1)
    failed = Report.objects.create(quarter="2026Q2", status="failed", version=2, failure_reason="Le navigateur a cessé")
    Report.objects.create(quarter="2026Q1", status="failed", version=1)
    Report.objects.create(quarter="2026Q1", status="done", version=2)  # failed once, done since: nothing waits
    page = home(client, dgs)
    assert "1 rapport en échec" in page
    assert "Le navigateur a cessé" in page
    assert f'action="/rapports/{failed.pk}/nouvelle-version/"' in page
    client.post(f"/rapports/{failed.pk}/nouvelle-version/")
    assert Report.objects.filter(quarter="2026Q2", version=3, status="pending").exists()
    assert "rapport en échec" not in home(client, dgs)


def test_undelivered_messages_are_one_click_from_their_resend(client, dgs):
    OutgoingEmail.objects.create(to="a@example.org", subject="s", body="b", kind="notification", status="failed")
    page = home(client, dgs)
    assert "1 message n'a pas pu être envoyé : le renvoyer." in page
    assert 'href="/comptes/envois-en-echec/"' in page


def test_a_lead_sees_the_indicators_to_measure_and_the_projects_without_a_move(client, lead, make_user, settings):
    settings.MEASUREMENT_DUE_DAYS, settings.STALLED_AFTER_DAYS = 90, 180
    mine = ProjectFactory(title="Navette électrique", lead=lead, phase_since=_days_ago(300))
    never = Indicator.objects.create(project=mine, name="Voyageurs par jour")
    old = Indicator.objects.create(project=mine, name="Coût par trajet")
    Measurement.objects.create(indicator=old, measured_on=_days_ago(120), value=3)
    fresh = Indicator.objects.create(project=mine, name="Satisfaction")
    Measurement.objects.create(indicator=fresh, measured_on=_days_ago(5), value=8)
    someone_else = ProjectFactory(title="Pas à moi", lead=make_user(Role.PROJECT_LEAD))
    Indicator.objects.create(project=someone_else, name="Indicateur d'autrui")
    services.decision_request_create(project=mine, requested_by=lead)
    page = home(client, lead)
    assert "2 indicateurs à mesurer" in page
    assert page.index("Mesurer : Voyageurs par jour") < page.index("Mesurer : Coût par trajet")
    assert f'href="/projets/{mine.pk}/#indicator-{never.pk}"' in page
    assert "jamais mesuré" in page
    assert "Satisfaction" not in page and "Indicateur d&#x27;autrui" not in page
    assert "1 projet sans mouvement" in page
    assert "Décisions demandées, en attente" in page


def test_a_lead_with_nothing_waiting_is_told_so(client, lead):
    ProjectFactory(title="À jour", lead=lead)
    assert "Rien n'attend : vos indicateurs sont mesurés" in home(client, lead)


def test_an_agent_who_leads_a_project_gets_the_lead_list(client, agent):
    project = ProjectFactory(title="Idée devenue projet", lead=agent)
    Indicator.objects.create(project=project, name="Usagers servis")
    assert "1 indicateur à mesurer" in home(client, agent)


def _fill(dgs, lead, count: int, offset: int) -> None:
    """``count`` stalled projects of the lead, each with a decision asked for and an indicator never measured."""
    phase = Phase.objects.order_by("order").first()
    projects = Project.objects.bulk_create(
        Project(
            title=f"Projet {offset + i}",
            summary="s",
            nature="managerial",
            origin="agents",
            lead=lead,
            created_by=lead,
            phase=phase,
            phase_since=_days_ago(400),
        )
        for i in range(count)
    )
    DecisionRequest.objects.bulk_create(DecisionRequest(project=p, requested_by=lead) for p in projects)
    Indicator.objects.bulk_create(Indicator(project=p, name=f"Indicateur {p.pk}") for p in projects)


def test_the_home_pages_read_as_many_queries_and_stay_small_at_10_or_1000_rows(client, dgs, lead):
    lead.groups.add(*dgs.groups.all())  # one person with both lists
    ContestFactory(state="evaluation", opens_on=_days_ago(30), closes_on=_days_ago(5))

    def measure() -> tuple[int, int]:
        client.force_login(lead)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        return len(queries), len(response.content)

    _fill(dgs, lead, 10, 0)
    few = measure()
    _fill(dgs, lead, 990, 10)
    many = measure()
    assert many[0] == few[0]
    assert many[1] < few[1] * 1.2
    assert "1000 décisions demandées" in client.get("/").content.decode().replace("\u202f", "").replace(" ", " ")
