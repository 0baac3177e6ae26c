"""The portfolio map: the effort rule, the quadrants, the "à compléter" projects and the shares at a date."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portfolio import effort, periods, selectors
from portfolio.effort import INCOMPLETE, Quadrant
from portfolio.models import EffortRule, Project
from tests.factories import ProjectFactory

START = datetime.date(2026, 1, 5)


def rated(value=4, *, cost=5_000, months=2, perimeter="service", **fields) -> Project:
    """A project with a value rating and the three data of the effort (band 1 each by default)."""
    end = START + datetime.timedelta(days=30 * months) if months is not None else None
    return ProjectFactory(
        value_rating=value,
        estimated_cost=None if cost is None else Decimal(cost),
        start_date=START,
        expected_end_date=end,
        perimeter=perimeter,
        **fields,
    )


def effort_in_sql(project: Project) -> tuple:
    row = effort.with_effort(Project.objects.filter(pk=project.pk)).get()
    return row.cost_band, row.duration_band, row.perimeter_band, row.effort, row.quadrant


def test_the_seeded_rule_holds_the_documented_thresholds(db):
    rule = EffortRule.objects.get()
    assert [rule.cost_band_2, rule.cost_band_3, rule.cost_band_4, rule.cost_band_5] == [
        10_000,
        50_000,
        150_000,
        500_000,
    ]
    assert [rule.duration_band_2, rule.duration_band_3, rule.duration_band_4, rule.duration_band_5] == [3, 6, 12, 24]
    assert (rule.perimeter_service, rule.perimeter_direction, rule.perimeter_organisation) == (1, 2, 4)
    assert (rule.perimeter_territory, rule.high_value_from, rule.high_effort_from) == (5, 3, 3)


@pytest.mark.parametrize(
    ("cost", "band"),
    [(0, 1), (9_999.99, 1), (10_000, 2), (49_999, 2), (50_000, 3), (150_000, 4), (499_999, 4), (500_000, 5)],
)
def test_the_cost_band_starts_at_each_threshold(db, cost, band):
    project = rated(cost=cost)
    assert effort_in_sql(project)[0] == band
    assert effort.effort_of(project).cost_band == band


@pytest.mark.parametrize(("days", "band"), [(0, 1), (89, 1), (90, 2), (179, 2), (180, 3), (360, 4), (719, 4), (720, 5)])
def test_the_duration_band_counts_a_month_as_thirty_days(db, days, band):
    project = rated()
    Project.objects.filter(pk=project.pk).update(expected_end_date=START + datetime.timedelta(days=days))
    project.refresh_from_db()
    assert effort_in_sql(project)[1] == band
    assert effort.effort_of(project).duration_band == band


@pytest.mark.parametrize(
    ("cost", "months", "perimeter", "expected"),
    [
        (5_000, 2, "service", 1),  # 1 1 1
        (5_000, 2, "direction", 1),  # 1 1 2: mean 1.33
        (10_000, 2, "direction", 2),  # 2 1 2: mean 1.67
        (60_000, 7, "direction", 3),  # 3 3 2: mean 2.67
        (200_000, 13, "organisation", 4),  # 4 4 4
        (600_000, 30, "territory", 5),  # 5 5 5
        (5_000, 30, "territory", 4),  # 1 5 5: mean 3.67
    ],
)
def test_the_effort_is_the_mean_of_the_three_bands_rounded_half_up(db, cost, months, perimeter, expected):
    project = rated(cost=cost, months=months, perimeter=perimeter)
    assert effort_in_sql(project)[3] == expected
    assert effort.effort_of(project).effort == expected


@pytest.mark.parametrize(
    "missing",
    [{"cost": None}, {"months": None}, {"perimeter": ""}, {"value": None}],
)
def test_a_project_lacking_data_is_to_complete_not_placed_at_zero(db, missing):
    project = rated(**{"value": 4, **missing})
    assert effort_in_sql(project)[4] == INCOMPLETE
    assert effort.effort_of(project).effort is None or project.value_rating is None


def test_tuning_a_threshold_in_the_admin_moves_a_project(db):
    project = rated(cost=40_000, months=2, perimeter="service")  # 2 1 1: effort 1
    assert effort_in_sql(project)[3] == 1
    EffortRule.objects.update(cost_band_5=30_000, cost_band_4=20_000, cost_band_3=15_000)  # now band 5: 5 1 1 → 2
    assert effort_in_sql(project)[3:] == (2, Quadrant.QUICK_WINS)
    EffortRule.objects.update(high_effort_from=2)
    assert effort_in_sql(project)[4] == Quadrant.STRATEGIC_BETS


def test_the_four_quadrants_are_counted(db):
    rated(value=5)  # strong value, effort 1: quick win
    rated(value=3, cost=5_000, months=2, perimeter="direction")  # value at the cut, effort 1
    rated(value=4, cost=600_000, months=30, perimeter="territory")  # strategic bet
    rated(value=2, cost=5_000)  # small step
    rated(value=1, cost=200_000, months=13, perimeter="organisation")  # to reconsider
    rated(value=None)
    rated(value=4, cost=None)
    counts = selectors.portfolio_map(Project.objects.all()).counts
    assert counts == {
        Quadrant.QUICK_WINS: 2,
        Quadrant.STRATEGIC_BETS: 1,
        Quadrant.SMALL_STEPS: 1,
        Quadrant.RECONSIDER: 1,
        INCOMPLETE: 2,
    }


def test_the_map_lists_the_incomplete_projects_apart_with_what_they_lack(db):
    rated(value=5, title="Placé")
    rated(value=None, title="Sans valeur")
    rated(cost=None, title="Sans coût")
    portfolio_map = selectors.portfolio_map(Project.objects.all())
    assert [row["title"] for row in portfolio_map.placed] == ["Placé"]
    assert sorted(row["title"] for row in portfolio_map.incomplete) == ["Sans coût", "Sans valeur"]
    assert all(row["effort"] is None or row["value_rating"] is None for row in portfolio_map.incomplete)


def test_the_quick_wins_filter_of_the_list(db, dgs):
    rated(value=5, title="Gain rapide")
    rated(value=5, cost=600_000, months=30, perimeter="territory", title="Pari")
    rated(value=None, title="À noter")
    quick = selectors.project_list(user=dgs, params={"carte": "gains_rapides"}).qs
    assert [p.title for p in quick] == ["Gain rapide"]
    incomplete = selectors.project_list(user=dgs, params={"carte": "a_completer"}).qs
    assert [p.title for p in incomplete] == ["À noter"]


def _logged(day: datetime.date, **fields) -> Project:
    project = rated(**fields)
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    Project.objects.filter(pk=project.pk).update(created_at=when)
    Project.history.filter(id=project.pk).update(history_date=when)
    periods.rebuild_state_ranges()
    return Project.objects.get(pk=project.pk)


def _revised_on(project: Project, day: datetime.date, **changes) -> None:
    """A change saved on ``day`` (its historical record dated then)."""
    for name, value in changes.items():
        setattr(project, name, value)
    project.save()
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(11)))
    Project.history.filter(id=project.pk, history_until__isnull=True).update(history_date=when)
    periods.rebuild_state_ranges()


def test_the_shares_at_a_quarter_end_read_the_value_as_it_then_was(db):
    moving = _logged(datetime.date(2026, 1, 10), value=5, title="Change de quadrant")
    _logged(datetime.date(2026, 1, 10), value=2, title="Petits pas")
    _logged(datetime.date(2026, 2, 1), value=None, title="À compléter")
    # Mid second quarter, the value is revised down: a quick win becomes a small step.
    _revised_on(moving, datetime.date(2026, 5, 15), value_rating=2)
    first = selectors.quadrant_counts_as_of(Project.objects.all(), datetime.date(2026, 3, 31))
    second = selectors.quadrant_counts_as_of(Project.objects.all(), datetime.date(2026, 6, 30))
    assert first == {Quadrant.QUICK_WINS: 1, Quadrant.SMALL_STEPS: 1, INCOMPLETE: 1}
    assert second == {Quadrant.SMALL_STEPS: 2, INCOMPLETE: 1}
    before_logging = selectors.quadrant_counts_as_of(Project.objects.all(), datetime.date(2025, 12, 31))
    assert before_logging == {}


# --- The map page ------------------------------------------------------------------------------------------------

MAP = "/projets/carte-du-portefeuille/"


def test_the_map_page_names_the_quadrants_and_links_each_placed_project(client, dgs):
    quick = rated(value=5, title="Guichet <b>unique</b>")
    rated(value=None, title="Sans note")
    client.force_login(dgs)
    response = client.get(MAP)
    page = response.content.decode()
    assert response.status_code == 200
    for name in ("Gains rapides", "Paris stratégiques", "À reconsidérer", "Petits pas"):
        assert name in page
    assert f'href="/projets/{quick.pk}/"' in page
    assert "Guichet &lt;b&gt;unique&lt;/b&gt;" in page and "<b>unique</b>" not in page
    assert "À compléter" in page and "la valeur attendue" in page
    figure = response.context["figure"]
    assert [point for trace in figure["data"] for point in trace.get("customdata", [])] == [f"/projets/{quick.pk}/"]


def test_the_map_uses_the_list_filters(client, dgs):
    rated(value=5, title="Sociétal", nature="societal")
    rated(value=5, title="Managérial", nature="managerial")
    client.force_login(dgs)
    response = client.get(MAP + "?nature=societal")
    assert [row["title"] for row in response.context["map"].placed] == ["Sociétal"]


def test_the_map_shows_only_the_projects_the_person_may_see(client, make_user, lead):
    from accounts.roles import Role

    rated(value=5, title="Ouvert", lead=lead)
    rated(value=5, title="Confidentiel", lead=lead, visibility=Project.Visibility.RESTRICTED)
    agent = make_user(Role.AGENT, username="agent-carte")
    client.force_login(agent)
    page = client.get(MAP).content.decode()
    assert "Ouvert" in page and "Confidentiel" not in page
    client.force_login(lead)
    assert "Confidentiel" in client.get(MAP).content.decode()


def test_the_map_without_projects_says_so(client, dgs):
    client.force_login(dgs)
    response = client.get(MAP)
    assert "Aucun projet n'est encore enregistré." in response.content.decode()
    assert response.context["figure"] is None


def test_a_bad_filter_value_is_announced_not_a_500(client, dgs):
    rated(value=5)
    client.force_login(dgs)
    response = client.get(MAP + "?carte=nimporte&sans_mouvement=abc")
    assert response.status_code == 200
    assert "Certains filtres sont invalides" in response.content.decode()


def test_the_map_reads_as_many_queries_for_10_and_300_projects(client, dgs, lead):
    def batch(n: int) -> None:
        for index in range(n):
            rated(value=1 + index % 5, cost=1_000 * (index * 37 % 700), months=index % 30, lead=lead)

    batch(10)
    client.force_login(dgs)
    client.get(MAP)  # caches warmed (reference data, session)
    with CaptureQueriesContext(connection) as small:
        assert client.get(MAP).context["map"].total == 10
    batch(290)
    with CaptureQueriesContext(connection) as large:
        response = client.get(MAP)
    assert response.context["map"].total == 300
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(response.content) < 300_000


def test_ex_ante_and_ex_post_beside_each_other(client, dgs):
    from portfolio.models import Indicator, Measurement, Phase

    appropriation = Phase.objects.get(code="appropriation")
    project = rated(value=4, phase=appropriation, title="Approprié", expost_rating=5)
    reached = Indicator.objects.create(project=project, name="Délai", baseline=12, target=5)
    Measurement.objects.create(indicator=reached, measured_on=START, value=4)
    missed = Indicator.objects.create(project=project, name="Usage", baseline=0, target=70)
    Measurement.objects.create(indicator=missed, measured_on=START, value=40)
    Indicator.objects.create(project=project, name="Sans mesure", target=3)
    rated(value=4, title="En cours")
    rows, total = selectors.ex_post_review(Project.objects.all())
    assert total == 1
    assert (rows[0].project.title, rows[0].indicators, rows[0].reached, rows[0].paid_off) == ("Approprié", 2, 1, True)
    client.force_login(dgs)
    page = client.get(MAP).content.decode()
    assert "1 sur 2" in page and "pari tenu" in page


def test_the_value_is_revised_at_a_gate_and_the_history_keeps_both(dgs):
    from portfolio import services

    project = rated(value=2)
    services.project_decide_gate(
        project=project, decided_by=dgs, decision="go", rationale="Go", value_rating=4, value_rationale="Élargi"
    )
    project.refresh_from_db()
    assert (project.value_rating, project.value_rationale) == (4, "Élargi")
    assert list(project.history.order_by("history_date").values_list("value_rating", flat=True)) == [2, 4]


def test_the_project_page_explains_its_effort(client, dgs):
    project = rated(value=5, cost=60_000, months=7, perimeter="direction")
    client.force_login(dgs)
    page = client.get(f"/projets/{project.pk}/").content.decode()
    assert "3 sur 5 : moyenne des bandes coût 3, durée 3 et périmètre 2" in page
    missing = rated(value=5, cost=None)
    page = client.get(f"/projets/{missing.pk}/").content.decode()
    assert "à compléter : il manque le coût estimé" in page


def test_the_quick_wins_list_reads_as_many_queries_for_10_and_300_projects(client, dgs, lead):
    url = "/projets/?carte=gains_rapides"
    for _ in range(10):
        rated(value=5, lead=lead)
    client.force_login(dgs)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).context["page"].paginator.count == 10
    for index in range(290):
        rated(value=5 if index % 2 else 1, lead=lead)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).context["page"].paginator.count == 155
    assert len(large.captured_queries) == len(small.captured_queries)


def test_thresholds_that_do_not_grow_are_refused_in_french(db):
    from django.core.exceptions import ValidationError

    rule = EffortRule.objects.get()
    rule.cost_band_3 = rule.cost_band_2
    with pytest.raises(ValidationError, match="croître strictement"):
        rule.full_clean()


def test_the_dgs_tunes_the_rule_in_the_admin_and_cannot_add_a_second(client, dgs):
    client.force_login(dgs)
    rule = EffortRule.objects.get()
    assert client.get(f"/admin/portfolio/effortrule/{rule.pk}/change/").status_code == 200
    assert client.get("/admin/portfolio/effortrule/add/").status_code == 403


@pytest.mark.parametrize("url", ["/projets/export.csv?carte=gains_rapides", "/projets/export.xlsx?carte=gains_rapides"])
def test_the_exports_follow_the_map_filter(client, dgs, url):
    rated(value=5, title="Gain rapide")
    rated(value=1, title="Petit pas")
    client.force_login(dgs)
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    if url.endswith(".csv"):
        text = body.decode("utf-8-sig")
        assert "Gain rapide" in text and "Petit pas" not in text


# --- Where the ratings are entered -------------------------------------------------------------------------------


def test_the_lead_rates_value_and_risk_when_creating_and_a_bad_rating_is_refused(client, lead):
    from portfolio.models import InnovationObject
    from tests.factories import DirectionFactory

    data = {
        "title": "Covoiturage des agents",
        "summary": "Partager les trajets domicile-travail.",
        "nature": "managerial",
        "objects_of_innovation": [InnovationObject.objects.get(code="organisation").pk],
        "origin": "agents",
        "directions": [DirectionFactory(code="DRH").pk],
        "lead": lead.pk,
        "scope": "incremental",
        "visibility": "all",
        "value_rating": "6",
        "risk_rating": "2",
    }
    client.force_login(lead)
    response = client.post("/projets/nouveau/", data)
    assert response.status_code == 200 and not Project.objects.exists()
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert 'name="expost_rating"' not in response.content.decode()  # asked once appropriated or completed
    client.post("/projets/nouveau/", {**data, "value_rating": "4", "value_rationale": "Moins de trajets seuls"})
    project = Project.objects.get()
    assert (project.value_rating, project.value_rationale, project.risk_rating) == (4, "Moins de trajets seuls", 2)


def test_the_ex_post_rating_is_asked_in_appropriation(client, lead):
    from portfolio.models import Phase

    project = rated(value=4, lead=lead, phase=Phase.objects.get(code="appropriation"))
    client.force_login(lead)
    assert 'name="expost_rating"' in client.get(f"/projets/{project.pk}/modifier/").content.decode()


def test_the_dgs_revises_the_value_with_a_decision_or_leaves_it(client, dgs):
    project = rated(value=2)
    client.force_login(dgs)
    page = client.get(f"/projets/{project.pk}/").content.decode()
    assert "Valeur attendue revue (1 à 5)" in page and "Inchangée" in page
    today = timezone.localdate().isoformat()  # a decision is not dated before the project was logged
    form = {"decision": "hold", "decided_on": today, "rationale": "Attente", "value_rating": ""}
    client.post(f"/projets/{project.pk}/decision/", {**form, "last_decision": 0})
    project.refresh_from_db()
    assert (project.status, project.value_rating) == ("on_hold", 2)
    form = {"decision": "resume", "decided_on": today, "rationale": "Reprise", "value_rating": "5"}
    response = client.post(f"/projets/{project.pk}/decision/", {**form, "last_decision": project.last_decision_pk()})
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.status, project.value_rating) == ("active", 5)
