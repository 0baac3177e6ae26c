"""Steering figures a committee can defend: true as of their quarter, defined rates with their base, the survey
used named, small groups protected, a report that reads as a committee document."""

import datetime
import json
import math
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from portfolio import periods
from portfolio import services as portfolio_services
from portfolio.models import GateDecision, Phase, Project
from reports import selectors, services
from reports.models import Report
from reports.quarters import Quarter
from surveys.models import Campaign, Questionnaire
from surveys.national import EDITION, SERIES
from tests.factories import ProjectFactory
from tests.surveys.builders import add_responses

Q2, Q3 = Quarter(2026, 2), Quarter(2026, 3)
TODAY = datetime.date(2026, 11, 30)


def logged_on(day: datetime.date, **fields) -> Project:
    """A project entered on ``day``: its creation date and the records of its history say so."""
    project = ProjectFactory(phase_since=day, **fields)
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    Project.objects.filter(pk=project.pk).update(created_at=when)
    Project.history.filter(id=project.pk).update(history_date=when)
    periods.rebuild_state_ranges()  # the history redated in bulk, as a data import would
    project.refresh_from_db()
    return project


def decide(project: Project, decision: str, day: datetime.date, by, to: str | None = None) -> GateDecision:
    return GateDecision.objects.create(
        project=project,
        decision=decision,
        from_phase=Phase.objects.get(code=project.phase.code) if to is None else project.phase,
        to_phase=Phase.objects.get(code=to) if to else project.phase,
        decided_by=by,
        decided_on=day,
        rationale="Décision de test",
    )


def phase_lines(context) -> list[tuple[str, list[tuple[str, object]], int]]:
    return [
        (phase.code, [(p.title, p.phase_since_at) for p in bounded.rows], bounded.total)
        for phase, bounded in context["phases"]
    ]


def numbers_in(charts) -> list[float]:
    """Every number that a chart draws or tabulates."""
    found = []
    for chart in charts:
        for trace in chart.figure["data"]:
            for axis in ("x", "y", "r"):
                found += [v for v in trace.get(axis, []) if isinstance(v, int | float)]
        found += [cell for row in chart.rows for cell in row if isinstance(cell, int | float)]
    return found


# --- Point in time ---------------------------------------------------------------------------------------------


def test_a_past_quarter_report_is_unchanged_by_a_decision_taken_today(dgs, lead):
    project = logged_on(datetime.date(2026, 4, 2), title="Guichet unique")
    decide(project, "go", datetime.date(2026, 5, 10), dgs, to="adoption")
    Project.objects.filter(pk=project.pk).update(phase=Phase.objects.get(code="adoption"), phase_since="2026-05-10")
    before = selectors.quarterly_context(quarter=Q2, direction=None, stalled_days=180)
    assert ("adoption", [("Guichet unique", datetime.date(2026, 5, 10))], 1) in phase_lines(before)

    project.refresh_from_db()
    portfolio_services.project_decide_gate(project=project, decided_by=dgs, decision="go", rationale="Moyens votés")
    after = selectors.quarterly_context(quarter=Q2, direction=None, stalled_days=180)

    assert phase_lines(after) == phase_lines(before)
    assert after["key_figures"] == before["key_figures"]
    assert [c.rows for c in after["charts"]] == [c.rows for c in before["charts"]]
    assert Project.objects.get(pk=project.pk).phase.code == "implementation"


def chart(scope, key):
    return {c.key: c for c in selectors.portfolio_charts(scope)}[key]


def test_editing_a_project_today_does_not_change_a_past_quarter(dgs, lead):
    from tests.factories import DirectionFactory

    old, new = DirectionFactory(code="OLD"), DirectionFactory(code="NEW")
    project = logged_on(datetime.date(2026, 4, 2), nature="managerial", directions=[old], estimated_cost=1000)
    before = {key: chart(selectors.Scope(Q2), key).rows for key in ("nature", "directions", "origin")}
    in_old = selectors.quarterly_context(quarter=Q2, direction=old, stalled_days=180)

    project.nature, project.estimated_cost = "societal", 5000
    project.save()
    project.directions.set([new])

    assert {key: chart(selectors.Scope(Q2), key).rows for key in before} == before
    again = selectors.quarterly_context(quarter=Q2, direction=old, stalled_days=180)
    assert (again["project_count"], again["costs"]["estimated"]) == (1, in_old["costs"]["estimated"]) == (1, 1000)
    today = selectors.Scope(Quarter.containing(timezone.localdate()))
    assert chart(today, "nature").rows[1][1] == "100 %"  # the quarter in progress sees today's values


def test_actors_recorded_today_do_not_change_a_past_quarter(dgs, lead):
    from portfolio.models import AdoptionActor

    project = logged_on(datetime.date(2026, 4, 2), phase=Phase.objects.get(code="adoption"))
    decide(project, "go", datetime.date(2026, 5, 10), dgs, to="implementation")
    before = chart(selectors.Scope(Q2), "adoption-actors").rows
    project.adoption_actors.set(AdoptionActor.objects.filter(code="agents"))
    assert chart(selectors.Scope(Q2), "adoption-actors").rows == before
    assert chart(selectors.Scope(Quarter.containing(timezone.localdate())), "adoption-actors").rows[2][1] == "100 %"


def test_a_project_stopped_after_the_quarter_is_still_in_progress_in_that_quarter(dgs, lead):
    project = logged_on(datetime.date(2026, 4, 2), title="Tiers-lieu")
    portfolio_services.project_decide_gate(project=project, decided_by=dgs, decision="stop", rationale="Abandon")
    q2 = selectors.quarterly_context(quarter=Q2, direction=None, stalled_days=180)
    assert q2["status_counts"] == {"active": 1}
    assert phase_lines(q2)[0] == ("emergence", [("Tiers-lieu", datetime.date(2026, 4, 2))], 1)
    current = selectors.Scope(Quarter.containing(timezone.localdate()))
    assert selectors.portfolio_charts(current)[0].rows[0] == ["Émergence", 0]


def test_projects_logged_after_the_quarter_are_left_out(dgs, lead):
    logged_on(datetime.date(2026, 8, 1), title="Plus tard")
    context = selectors.quarterly_context(quarter=Q2, direction=None, stalled_days=180)
    assert context["project_count"] == 0
    assert context["summary"] == ["Au 30/06/2026, le portefeuille ne compte aucun projet."]


def test_stalled_projects_are_those_without_a_move_at_the_quarter_end(dgs, lead):
    old = logged_on(datetime.date(2025, 10, 1), title="Endormi au 30 juin")
    decide(old, "go", datetime.date(2026, 8, 1), dgs, to="adoption")  # it moved only after the quarter
    context = selectors.quarterly_context(quarter=Q2, direction=None, stalled_days=180)
    assert [p.title for p in context["stalled"].rows] == ["Endormi au 30 juin"]
    assert context["stalled"].rows[0].phase_label_at == "Émergence"
    q3 = selectors.quarterly_context(quarter=Q3, direction=None, stalled_days=180)
    assert q3["stalled"].rows == []


def test_an_invalid_filter_leaves_the_others_applied_and_the_form_shows_what_is_applied(client, copil):
    from tests.factories import DirectionFactory

    DirectionFactory(code="DSI", name="Numérique")
    client.force_login(copil)
    response = client.get("/tableaux-de-bord/?trimestre=abc&direction=DSI&seuil=0")
    scope = response.context["scope"]
    assert scope.quarter == Quarter.containing(timezone.localdate()).previous() and scope.direction.code == "DSI"
    assert scope.stalled_days == 180
    page = response.content.decode()
    assert "Certains filtres sont invalides" in page
    assert f'<option value="{scope.quarter.code}" selected>' in page
    assert '<option value="DSI" selected>' in page


def test_the_dashboard_opens_on_the_last_complete_quarter(client, copil):
    client.force_login(copil)
    response = client.get("/tableaux-de-bord/")
    scope = response.context["scope"]
    assert scope.quarter == Quarter.containing(timezone.localdate()).previous()
    assert not scope.in_progress and scope.as_of == scope.quarter.end
    assert "par rapport au trimestre précédent" in response.content.decode()


def test_the_quarter_in_progress_is_labelled_and_compared_with_the_same_stretch(client, copil):
    current = Quarter.containing(timezone.localdate())
    client.force_login(copil)
    response = client.get(f"/tableaux-de-bord/?trimestre={current.code}")
    page = response.content.decode()
    assert "(trimestre en cours)" in page
    start, end = response.context["scope"].comparison_period()
    assert start == current.previous().start
    assert (end - start) == (timezone.localdate() - current.start)
    assert "même période du trimestre précédent" in page


def test_key_figures_of_a_quarter_in_progress_compare_like_with_like(dgs, lead):
    scope = selectors.Scope(Quarter(2026, 4), today=datetime.date(2026, 10, 15))
    project = logged_on(datetime.date(2026, 7, 1))
    decide(project, "go", datetime.date(2026, 7, 10), dgs, to="adoption")  # within the first 14 days of Q3
    decide(project, "hold", datetime.date(2026, 9, 1), dgs)  # later in Q3: not comparable with 1–15 October
    figures = {f["key"]: f for f in selectors.key_figures(scope)}
    assert figures["moves"]["previous"] == 1
    assert figures["new"]["previous"] == 1


# --- The funnel and its rates ------------------------------------------------------------------------------------


def test_phases_are_counts_and_passage_rates_have_their_base(dgs, lead):
    for index in range(4):
        project = logged_on(datetime.date(2026, 4, 1), title=f"P{index}")
        if index < 3:
            decide(project, "go", datetime.date(2026, 5, 1), dgs, to="adoption")
    charts = {c.key: c for c in selectors.portfolio_charts(selectors.Scope(Q2))}
    assert charts["phases"].rows == [["Émergence", 1], ["Adoption", 3], ["Mise en œuvre", 0], ["Appropriation", 0]]
    assert charts["phases"].figure["data"][0]["type"] == "bar"
    passages = charts["passages"].rows
    assert passages[0] == ["Émergence → Adoption", 4, 3, "75 %"]
    assert passages[1] == ["Adoption → Mise en œuvre", 3, 0, "0 %"]
    assert passages[2] == ["Mise en œuvre → Appropriation", 0, 0, "—"]


def test_no_figure_is_infinite_or_above_100_percent_with_empty_phases(dgs, lead):
    for index in range(5):  # nobody in Émergence: the old funnel said "Infinity%"
        project = logged_on(datetime.date(2026, 4, 1), title=f"Adopté {index}")
        decide(project, "go", datetime.date(2026, 4, 20), dgs, to="adoption")
        decide(project, "go", datetime.date(2026, 5, 20), dgs, to="implementation")
    context = selectors.quarterly_context(quarter=Q2, direction=None, stalled_days=180)
    charts = context["charts"]
    numbers = numbers_in(charts)
    assert numbers and all(math.isfinite(n) for n in numbers)
    shares = {"nature", "adoption-actors", "passages"}  # every chart of percentages
    assert shares <= {c.key for c in charts}
    percents = [
        trace["x" if c.key == "passages" else "y"] for c in charts if c.key in shares for trace in c.figure["data"]
    ]
    assert percents and all(v is None or 0 <= v <= 100 for series in percents for v in series)
    assert all(row[3] in {"—", "100 %", "0 %"} for row in {c.key: c for c in charts}["passages"].rows)
    assert "inf" not in json.dumps([c.figure for c in charts]).lower().replace("info", "")


@pytest.mark.parametrize("count", [0, 1])
def test_an_empty_or_tiny_collectivite_gets_explicit_figures(db, count):
    for _ in range(count):
        logged_on(datetime.date(2026, 4, 1))
    context = selectors.quarterly_context(quarter=Q2, direction=None, stalled_days=180)
    numbers = numbers_in(context["charts"])
    assert all(math.isfinite(n) for n in numbers)
    nature = {c.key: c for c in context["charts"]}["nature"]
    assert nature.rows[0][1] == ("—" if count == 0 else "100 %" if nature.rows[0][0].startswith("Manag") else "0 %")
    assert context["summary"][0].startswith("Au 30/06/2026, le portefeuille")


# --- The survey used ---------------------------------------------------------------------------------------------


def make_campaign(title: str, opened: datetime.date, complete: int, partial: int = 0) -> Campaign:
    from django.contrib.auth import get_user_model

    campaign = Campaign.objects.create(
        questionnaire=Questionnaire.objects.get(series=SERIES, edition=EDITION),
        title=title,
        slug=title.lower().replace(" ", "-"),
        status=Campaign.Status.OPEN,
        opened_at=timezone.make_aware(datetime.datetime.combine(opened, datetime.time(9))),
        created_by=get_user_model().objects.first(),
    )
    add_responses(campaign, complete, {"C1": ["administratif", "agents"]})
    add_responses(campaign, partial, complete=False)
    sent = campaign.opened_at + datetime.timedelta(days=2)
    campaign.responses.update(started_at=sent)
    campaign.responses.filter(status="submitted").update(submitted_at=sent)
    return campaign


def test_the_survey_used_is_named_with_its_responses(dgs):
    make_campaign("Enquete 2025", datetime.date(2025, 3, 1), complete=6, partial=2)
    section = selectors.survey_section(selectors.Scope(Q3))
    assert section.choice.campaign.title == "Enquete 2025"
    assert section.description == (
        "Enquête « Enquete 2025 » : 6 réponses complètes envoyées au plus tard le 30/09/2026, sur 8 réponses "
        "commencées ; les réponses complètes sont la base des résultats ci-dessous."
    )
    assert {c.key for c in section.charts} >= {"survey-b1", "survey-c1", "declared-actual"}
    assert "Base : 6 répondants à la question C1" in {c.key: c for c in section.charts}["survey-c1"].note


def test_responses_sent_after_the_quarter_do_not_change_its_survey_figures(dgs):
    campaign = make_campaign("Enquete 2026", datetime.date(2026, 9, 1), complete=5)
    add_responses(campaign, 3, {"B1": "societal"})  # sent today, after the third quarter
    section = selectors.survey_section(selectors.Scope(Q3))
    assert (section.choice.complete, section.choice.responses) == (5, 5)
    b1 = {c.key: c for c in section.charts}["survey-b1"]
    assert b1.rows[0][1] == "100 %"  # the five sent by 30 September all said managerial


def test_a_newer_campaign_with_few_answers_does_not_hide_the_survey(dgs):
    make_campaign("Enquete 2025", datetime.date(2025, 3, 1), complete=6)
    make_campaign("Enquete 2026", datetime.date(2026, 9, 1), complete=2)
    section = selectors.survey_section(selectors.Scope(Q3))
    assert section.choice.campaign.title == "Enquete 2025" and section.charts


def test_the_dgs_may_choose_another_campaign_and_is_told_when_it_is_too_small(client, dgs):
    make_campaign("Enquete 2025", datetime.date(2025, 3, 1), complete=6)
    small = make_campaign("Enquete 2026", datetime.date(2026, 9, 1), complete=2)
    client.force_login(dgs)
    response = client.get(f"/tableaux-de-bord/?trimestre=2026Q3&enquete={small.pk}")
    survey = response.context["survey"]
    assert survey.chosen and survey.choice.campaign == small and survey.charts == []
    assert "moins de 5 réponses complètes" in response.content.decode()


def test_without_a_qualifying_campaign_the_section_says_so(client, copil):
    make_campaign("Enquete 2026", datetime.date(2026, 9, 1), complete=4)
    client.force_login(copil)
    response = client.get("/tableaux-de-bord/")
    assert response.context["survey"].charts == []
    assert "ne compte au moins 5 réponses complètes" in response.content.decode()


def test_a_campaign_opened_after_the_quarter_is_not_used_for_it(dgs):
    make_campaign("Enquete 2026", datetime.date(2026, 10, 5), complete=6)
    assert selectors.survey_section(selectors.Scope(Q3)).choice is None


# --- The committee document --------------------------------------------------------------------------------------


def produce_pdf(settings, quarter: str = "2026Q3") -> Path:
    report = Report.objects.create(quarter=quarter)
    assert services.report_generate(report_id=report.pk) == "done"
    report.refresh_from_db()
    return Path(settings.MEDIA_ROOT) / report.file.name


def test_the_pdf_is_a_committee_document(db, settings, dgs, lead):
    for index in range(LIMIT_PLUS := selectors.LIST_LIMIT + 3):
        logged_on(datetime.date(2026, 7, 1), title=f"Projet {index:02d}", estimated_cost=2000)
    path = produce_pdf(settings)
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Sommaire" in text and "Synthèse" in text
    assert f"Au 30/09/2026, le portefeuille compte {LIMIT_PLUS} projets : {LIMIT_PLUS} en cours" in text
    assert "Et 3 autres, dans la liste complète jointe au PDF (projets.csv)" in text
    assert "36\u202f000,00" in text or "36 000,00" in text  # thousands separated, French decimals
    metadata = reader.xmp_metadata
    assert metadata is not None and b"pdfuaid" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    attachments = reader.attachments
    assert set(attachments) >= {"projets.csv", "decisions.csv", "projets-sans-mouvement.csv", "indicateurs.csv"}
    listed = attachments["projets.csv"][0].decode("utf-8-sig")
    assert listed.count("\r\n") == LIMIT_PLUS + 1 and "Projet 00" in listed


def test_chart_images_state_their_finding(dgs, lead):
    logged_on(datetime.date(2026, 7, 1), nature="societal")
    charts = {c.key: c for c in selectors.portfolio_charts(selectors.Scope(Q3))}
    assert charts["nature"].alt.startswith("Nature des innovations")
    assert "Sociétale / servicielle : 100 % (Référence nationale : 47 %)" in charts["nature"].alt
    assert "le plus grand nombre : Émergence (1)" in charts["phases"].alt


def test_an_empty_direction_gets_explicit_empty_figures(client, dgs, lead):
    from tests.factories import DirectionFactory

    DirectionFactory(code="VIDE", name="Direction sans projet")
    logged_on(datetime.date(2026, 7, 1))
    client.force_login(dgs)
    response = client.get("/tableaux-de-bord/?trimestre=2026Q3&direction=VIDE")
    charts = {c.key: c for c in response.context["charts"]}
    assert charts["phases"].rows == [["Émergence", 0], ["Adoption", 0], ["Mise en œuvre", 0], ["Appropriation", 0]]
    assert all(row[3] == "—" for row in charts["passages"].rows)
    assert charts["nature"].rows[0][1] == "—"
    assert "Aucun projet sans mouvement." in response.content.decode()


def test_the_dashboard_reads_the_same_number_of_queries_for_few_or_many_projects(client, dgs, lead):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/tableaux-de-bord/?trimestre=2026Q3").status_code == 200
        return len(captured)

    client.force_login(dgs)
    logged_on(datetime.date(2026, 7, 1))
    few = queries()
    for index in range(40):
        project = logged_on(datetime.date(2025, 1, 1), title=f"Ancien {index}")
        decide(project, "go", datetime.date(2026, 8, 1), dgs, to="adoption")
    assert queries() == few
    assert len(client.get("/tableaux-de-bord/?trimestre=2026Q3&seuil=1").context["stalled"]) <= 50


def test_a_closed_quarter_is_computed_once_and_again_only_after_a_change_that_touches_it(
    client, dgs, lead, monkeypatch
):
    from django.core.cache import cache

    cache.clear()
    logged_on(datetime.date(2026, 7, 1), nature="managerial", title="Guichet unique")
    computed = []
    original = selectors._dashboard
    monkeypatch.setattr(selectors, "_dashboard", lambda *a, **k: computed.append(1) or original(*a, **k))
    client.force_login(dgs)
    url = "/tableaux-de-bord/?trimestre=2026Q3&seuil=30"
    first = client.get(url)
    second = client.get(url)
    assert len(computed) == 1
    assert [c.rows for c in first.context["charts"]] == [c.rows for c in second.context["charts"]]
    assert [p.title for p in second.context["stalled"]] == ["Guichet unique"]

    # Today's decision and today's edits cannot change the third quarter: still served from the cache, with
    # the project's name as it is now.
    project = Project.objects.get()
    portfolio_services.project_decide_gate(project=project, decided_by=dgs, decision="go", rationale="Moyens votés")
    project.refresh_from_db()
    project.title = "Guichet unique des démarches"
    project.nature = "societal"
    project.save()
    third = client.get(url)
    assert len(computed) == 1
    assert [c.rows for c in third.context["charts"]] == [c.rows for c in first.context["charts"]]
    assert [p.title for p in third.context["stalled"]] == ["Guichet unique des démarches"]

    # What can change it does: a project logged in the quarter (entered late), a project made restricted.
    logged_on(datetime.date(2026, 8, 3), title="Saisi après coup")
    client.get(url)
    assert len(computed) == 2
    late = Project.objects.get(title="Saisi après coup")
    late.visibility = Project.Visibility.RESTRICTED
    late.save()
    client.get(url)
    assert len(computed) == 3

    client.get(f"/tableaux-de-bord/?trimestre={Quarter.containing(timezone.localdate()).code}")
    client.get(f"/tableaux-de-bord/?trimestre={Quarter.containing(timezone.localdate()).code}")
    assert len(computed) == 5  # the quarter in progress is always computed afresh


def test_the_dashboard_still_shows_when_the_cache_is_out_of_service(client, copil, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", broken)
    client.force_login(copil)
    assert client.get("/tableaux-de-bord/").status_code == 200


def test_the_default_dashboard_is_computed_ahead_by_the_worker(client, dgs, copil, lead, monkeypatch):
    from django.core.cache import cache

    from reports.tasks import warm_dashboards

    cache.clear()
    logged_on(datetime.date(2026, 7, 1))
    warm_dashboards.apply(throw=True)
    computed = []
    original = selectors._dashboard
    monkeypatch.setattr(selectors, "_dashboard", lambda *a, **k: computed.append(1) or original(*a, **k))
    for person in (dgs, copil):
        client.force_login(person)
        assert client.get("/tableaux-de-bord/").status_code == 200
    assert computed == []


def test_the_data_fingerprint_holds_values_not_per_process_hashes(db):
    """The worker computes the dashboard ahead for the web processes: the cache key must be the same in every
    process, so it holds the reference labels themselves (Python salts str hashes per process)."""
    from portfolio import selectors as portfolio_selectors

    phases = portfolio_selectors.data_version()[-1][0]
    assert [label for _pk, label, _english in phases] == ["Émergence", "Adoption", "Mise en œuvre", "Appropriation"]
    assert [english for _pk, _label, english in phases] == ["Emergence", "Adoption", "Implementation", "Appropriation"]
