import datetime

from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from portfolio.models import GateDecision, Indicator, Project


def test_the_demo_portfolio_is_spread_and_idempotent(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (Project.objects.count(), GateDecision.objects.count(), Indicator.objects.count())
    call_command("seed_demo")
    assert (Project.objects.count(), GateDecision.objects.count(), Indicator.objects.count()) == counts
    assert 35 <= counts[0] <= 45
    phases = dict(Project.objects.values_list("phase__code").annotate(n=Count("pk")))
    assert set(phases) == {"emergence", "adoption", "implementation", "appropriation"}
    natures = dict(Project.objects.values_list("nature").annotate(n=Count("pk")))
    assert natures["managerial"] > 10 and natures["societal"] > 10
    assert Project.objects.values("directions").distinct().count() >= 6
    assert set(Project.objects.values_list("status", flat=True)) == {"active", "on_hold", "stopped", "completed"}
    assert Project.objects.filter(status="stopped").exclude(lessons_learned="").exists()


def test_each_demo_project_went_through_every_earlier_phase(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    for project in Project.objects.select_related("phase"):
        goes = project.gate_decisions.filter(decision="go").count()
        assert goes == project.phase.order - 1, project.title


def test_demo_projects_past_adoption_have_adoption_actors_and_the_others_none(db, settings):
    from portfolio.selectors import adoption_actor_counts

    settings.DEBUG = True
    call_command("seed_demo")
    past = Project.objects.filter(phase__order__gt=2)
    assert not past.filter(adoption_actors__isnull=True).exists()
    assert not Project.objects.filter(phase__order__lte=2, adoption_actors__isnull=False).exists()
    base, counts = adoption_actor_counts(Project.objects.all())
    call_command("seed_demo")
    assert adoption_actor_counts(Project.objects.all()) == (base, counts)
    assert base == past.count()
    assert counts["administratif"] > counts["agents"] > 0 and counts["partenaires"] > 0


def test_the_demo_portfolio_spreads_over_the_four_quadrants_and_keeps_some_to_complete(db, settings):
    from portfolio.effort import INCOMPLETE, Quadrant
    from portfolio.selectors import ex_post_review, portfolio_map

    settings.DEBUG = True
    call_command("seed_demo")
    counts = portfolio_map(Project.objects.all()).counts
    call_command("seed_demo")
    assert portfolio_map(Project.objects.all()).counts == counts
    assert all(counts.get(quadrant.value, 0) >= 3 for quadrant in Quadrant)
    assert counts.get(INCOMPLETE, 0) >= 2
    rows, _total = ex_post_review(Project.objects.all())
    assert any(row.paid_off for row in rows) and any(row.paid_off is False for row in rows)


def test_the_demo_history_carries_the_ratings_so_past_quarters_are_placed(db, settings):
    from portfolio.selectors import quadrant_counts_as_of

    settings.DEBUG = True
    call_command("seed_demo")
    day = timezone.localdate() - datetime.timedelta(days=120)
    counts = quadrant_counts_as_of(Project.objects.all(), day)
    placed = sum(n for code, n in counts.items() if code != "a_completer")
    assert placed > 2 * counts.get("a_completer", 0)
