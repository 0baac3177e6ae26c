import io

from django.core.management import call_command

from surveys.models import Answer, Campaign, Invitation, Response


def test_the_demo_survey_has_a_few_dozen_responses_and_is_idempotent(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Invitation.objects.count(), Response.objects.count(), Answer.objects.count())
    answers = sorted(Answer.objects.values_list("question__code", "choice__code", "number", "text"))
    call_command("seed_demo", stdout=io.StringIO())
    assert (Invitation.objects.count(), Response.objects.count(), Answer.objects.count()) == counts
    assert sorted(Answer.objects.values_list("question__code", "choice__code", "number", "text")) == answers
    campaign = Campaign.objects.get(slug="innovation-2026")
    assert campaign.status == Campaign.Status.OPEN
    assert 30 <= Response.objects.count() <= 40
    assert Response.objects.filter(status="submitted").count() == 30
    assert Response.objects.filter(status="in_progress").count() == 4
    assert Invitation.objects.filter(response__isnull=True).count() == 2


def test_the_demo_results_page_shows_charts(client, db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    from accounts.models import User

    client.force_login(User.objects.get(username="copil"))
    response = client.get("/enquetes/innovation-2026/resultats/")
    results = response.context["results"]
    assert results.total == 34 and not results.suppressed
    assert len(response.context["figures"]) > 10
