"""The DGS creates a contest with its weighted grid and takes it through its states."""

import datetime

from django.urls import reverse
from django.utils import timezone

from contests.models import Contest


def contest_data(**changes):
    today = timezone.localdate()
    fields = {
        "title": "Concours 2027",
        "slug": "concours-2027",
        "theme": "Simplifier",
        "description": "Vos idées.",
        "rules": "",
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=30)).isoformat(),
    }
    fields.update({key: value for key, value in changes.items() if not key.startswith("criteria-")})
    data = {f"contest-{key}": value for key, value in fields.items()}
    data.update(
        {
            "criteria-TOTAL_FORMS": "2",
            "criteria-INITIAL_FORMS": "0",
            "criteria-MIN_NUM_FORMS": "1",
            "criteria-MAX_NUM_FORMS": "1000",
            "criteria-0-name": "Utilité",
            "criteria-0-weight": "3",
            "criteria-0-scale_max": "5",
            "criteria-0-order": "1",
            "criteria-1-name": "Coût",
            "criteria-1-weight": "1",
            "criteria-1-scale_max": "5",
            "criteria-1-order": "2",
        }
    )
    data.update({key: value for key, value in changes.items() if key.startswith("criteria-")})
    return data


def test_the_dgs_creates_a_contest_with_its_grid(client, dgs):
    client.force_login(dgs)
    response = client.post("/concours/nouveau/", contest_data(), follow=True)
    contest = Contest.objects.get()
    assert "Le concours « Concours 2027 » est enregistré." in response.content.decode()
    assert contest.state == "draft"
    assert [(c.name, c.weight) for c in contest.criteria.all()] == [("Utilité", 3), ("Coût", 1)]


def test_a_contest_closing_before_it_opens_is_refused(client, dgs):
    client.force_login(dgs)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post("/concours/nouveau/", contest_data(closes_on=yesterday))
    assert "La clôture ne peut pas précéder l&#x27;ouverture." in response.content.decode()
    assert not Contest.objects.exists()


def test_a_contest_needs_at_least_one_criterion(client, dgs):
    client.force_login(dgs)
    response = client.post(
        "/concours/nouveau/",
        contest_data(
            **{"criteria-0-name": "", "criteria-0-weight": "", "criteria-1-name": "", "criteria-1-weight": ""}
        ),
    )
    assert response.status_code == 200
    assert not Contest.objects.exists()


def test_a_weight_of_zero_is_refused(client, dgs):
    client.force_login(dgs)
    response = client.post("/concours/nouveau/", contest_data(**{"criteria-0-weight": "0"}))
    assert "supérieure ou égale à 1" in response.content.decode()
    assert not Contest.objects.exists()


def test_an_agent_cannot_create_a_contest(client, agent):
    client.force_login(agent)
    assert client.get("/concours/nouveau/").status_code == 403
    assert client.post("/concours/nouveau/", contest_data()).status_code == 403


def test_the_states_follow_each_other_to_publication(client, dgs, contest, juror):
    contest.state = "draft"
    contest.save()
    contest.jury.add(juror)
    client.force_login(dgs)
    url = reverse("contests:advance", args=[contest.slug])
    for expected in ("open", "evaluation", "published"):
        client.post(url, {"confirm": "1"})
        contest.refresh_from_db()
        assert contest.state == expected
    response = client.post(url, follow=True)
    assert "Les résultats de ce concours sont déjà publiés." in response.content.decode()


def test_an_agent_cannot_change_the_state(client, agent, contest):
    client.force_login(agent)
    assert client.post(reverse("contests:advance", args=[contest.slug])).status_code == 403


def test_contests_are_listed_for_every_role(client, copil, contest):
    client.force_login(copil)
    assert "Transition écologique" in client.get("/concours/").content.decode()
    assert 'href="/concours/">Concours</a>' in client.get("/").content.decode()


def test_the_contest_pages_need_a_login(client, contest):
    for url in ("/concours/", contest.get_absolute_url(), "/concours/mes-idees/"):
        assert client.get(url).status_code == 302


def test_demo_contests_are_seeded_once(db, settings):
    from django.core.management import call_command

    from contests.models import Idea, Score

    settings.DEBUG = True
    call_command("seed_demo")
    counts = (Contest.objects.count(), Idea.objects.count(), Score.objects.count())
    call_command("seed_demo")
    assert (Contest.objects.count(), Idea.objects.count(), Score.objects.count()) == counts
    states = set(Contest.objects.values_list("state", flat=True))
    assert {"open", "published"} <= states
    assert Idea.objects.filter(status="selected", project__origin="contest").count() >= 2


def test_closing_before_the_announced_date_needs_a_confirmation(client, dgs, contest, juror):
    contest.jury.add(juror)
    client.force_login(dgs)
    url = reverse("contests:advance", args=[contest.slug])
    response = client.post(url, follow=True)
    assert "cochez la confirmation pour le clore plus tôt" in response.content.decode()
    contest.refresh_from_db()
    assert contest.state == "open"
    client.post(url, {"confirm": "1"})
    contest.refresh_from_db()
    assert contest.state == "evaluation"


def test_results_are_published_only_once_every_idea_has_a_decision(client, dgs, in_evaluation, idea):
    from contests import services

    client.force_login(dgs)
    url = reverse("contests:advance", args=[in_evaluation.slug])
    assert "1 idée(s) attendent encore une décision" in client.post(url, follow=True).content.decode()
    services.idea_set_outcome(idea=idea, by=dgs, status="not_retained")
    client.post(url)
    in_evaluation.refresh_from_db()
    assert in_evaluation.state == "published"


def test_the_grid_is_locked_once_the_jury_scores(client, dgs, in_evaluation):
    client.force_login(dgs)
    response = client.get(reverse("contests:edit", args=[in_evaluation.slug]), follow=True)
    assert "le concours et sa grille ne se modifient plus" in response.content.decode()


def test_a_contest_cannot_take_the_address_of_a_portal_page(client, dgs):
    client.force_login(dgs)
    response = client.post("/concours/nouveau/", contest_data(slug="mes-idees"))
    assert "Cette adresse est réservée par le portail" in response.content.decode()
    assert not Contest.objects.exists()


def test_the_agents_of_the_audience_hear_that_a_contest_opens(client, dgs, contest, make_user):
    from accounts.models import Direction, Notification, Organisation
    from accounts.roles import Role

    organisation = Organisation.objects.get_or_create(pk=1, defaults={"name": "Ville", "kind": "commune"})[0]
    culture = Direction.objects.create(organisation=organisation, code="CUL", name="Culture")
    sports = Direction.objects.create(organisation=organisation, code="SPO", name="Sports")
    inside = make_user(Role.AGENT, username="culture", direction=culture)
    outside = make_user(Role.AGENT, username="sports", direction=sports)
    contest.state = "draft"
    contest.save()
    contest.eligible_directions.add(culture)
    client.force_login(dgs)
    client.post(reverse("contests:advance", args=[contest.slug]))
    note = Notification.objects.get(user=inside)
    assert "est ouvert : proposez vos idées" in note.message and note.kind == "contest"
    assert not Notification.objects.filter(user=outside).exists()
