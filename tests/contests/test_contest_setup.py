"""Setting a contest up: a grid of any length without JavaScript, weights read as shares, an address proposed from
the title, the jury picked with a searchable list; the contest and its grid stop changing once the jury scores."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import Role
from contests import selectors, services
from contests.models import Contest
from tests.contests.test_contests import contest_data
from tests.factories import ContestFactory, UserFactory


def test_adding_a_criterion_shows_the_grid_again_with_one_more_empty_form_and_saves_nothing(client, dgs):
    client.force_login(dgs)
    response = client.post("/concours/nouveau/", {**contest_data(), "add_criterion": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="criteria-TOTAL_FORMS" value="3"' in page
    assert 'name="criteria-2-name"' in page and 'value="Utilité"' in page  # what was typed is kept
    assert "Un critère vide est ajouté en bas de la grille ; rien n'est encore enregistré." in page
    assert "Le formulaire contient des erreurs" not in page
    assert not Contest.objects.exists()


def test_a_fourth_criterion_is_saved_in_the_order_of_the_grid(client, dgs):
    client.force_login(dgs)
    extra = {
        "criteria-TOTAL_FORMS": "4",
        "criteria-2-name": "Faisabilité",
        "criteria-2-weight": "1",
        "criteria-2-scale_max": "5",
        "criteria-3-name": "Impact",
        "criteria-3-weight": "5",
        "criteria-3-scale_max": "10",
    }
    client.post("/concours/nouveau/", contest_data(**extra))
    contest = Contest.objects.get()
    assert [(c.name, c.weight, c.order) for c in contest.criteria.all()] == [
        ("Utilité", 3, 1),
        ("Coût", 1, 2),
        ("Faisabilité", 1, 3),
        ("Impact", 5, 4),
    ]


def edit_data(contest, **changes):
    """The edit form of ``contest`` as its page sends it back, with ``changes``."""
    criteria = list(contest.criteria.all())
    data = contest_data(title=contest.title, slug=contest.slug)
    data.update({"criteria-TOTAL_FORMS": str(len(criteria)), "criteria-INITIAL_FORMS": str(len(criteria))})
    for index, criterion in enumerate(criteria):
        data.update(
            {
                f"criteria-{index}-id": str(criterion.pk),
                f"criteria-{index}-contest": str(contest.pk),
                f"criteria-{index}-name": criterion.name,
                f"criteria-{index}-weight": str(criterion.weight),
                f"criteria-{index}-scale_max": str(criterion.scale_max),
            }
        )
    data.update(changes)
    return data


def test_a_criterion_ticked_for_removal_is_deleted(client, dgs):
    contest = ContestFactory(state="draft", criteria=[("Utilité", 2, 5), ("Coût", 1, 5), ("Audace", 1, 5)])
    client.force_login(dgs)
    response = client.post(
        reverse("contests:edit", args=[contest.slug]), edit_data(contest, **{"criteria-1-DELETE": "on"})
    )
    assert response.status_code == 302
    assert [c.name for c in contest.criteria.all()] == ["Utilité", "Audace"]


def test_removing_every_criterion_is_refused_in_french(client, dgs):
    contest = ContestFactory(state="draft", criteria=[("Utilité", 2, 5)])
    client.force_login(dgs)
    response = client.post(
        reverse("contests:edit", args=[contest.slug]), edit_data(contest, **{"criteria-0-DELETE": "on"})
    )
    assert "La grille d&#x27;évaluation doit compter au moins un critère." in response.content.decode()
    assert contest.criteria.count() == 1


def test_the_grid_has_a_bounded_length(client, dgs):
    data = contest_data(**{"criteria-TOTAL_FORMS": str(services.MAX_CRITERIA + 1)})
    for index in range(2, services.MAX_CRITERIA + 1):
        data.update(
            {f"criteria-{index}-name": f"C{index}", f"criteria-{index}-weight": "1", f"criteria-{index}-scale_max": "5"}
        )
    client.force_login(dgs)
    response = client.post("/concours/nouveau/", data)
    assert f"La grille compte au plus {services.MAX_CRITERIA} critères." in response.content.decode()
    assert not Contest.objects.exists()


def test_each_criterion_shows_its_share_of_the_score(client, dgs):
    client.force_login(dgs)
    data = contest_data(**{"criteria-TOTAL_FORMS": "3", "criteria-2-name": "Audace", "criteria-2-weight": "2"})
    page = client.post("/concours/nouveau/", {**data, "add_criterion": "1"}).content.decode()
    # weights 3, 1, 2: 50 %, 16.7 %, 33.3 % -> 50, 17, 33 (the largest remainder takes the point lost)
    assert [
        part
        for part in ("Part dans le score : 50 %", "Part dans le score : 17 %", "Part dans le score : 33 %")
        if part in page
    ] == [
        "Part dans le score : 50 %",
        "Part dans le score : 17 %",
        "Part dans le score : 33 %",
    ]
    assert "Part dans le score : —" in page  # the empty criterion just added


@pytest.mark.parametrize(
    ("weights", "shares"),
    [
        ([2, 1], [67, 33]),
        ([1, 1, 1], [34, 33, 33]),
        ([1, 1, 1, 1, 1, 1, 1], [15, 15, 14, 14, 14, 14, 14]),
        ([5], [100]),
        ([], []),
        ([0, 0], [None, None]),
    ],
)
def test_shares_are_whole_percents_that_add_up_to_100(weights, shares):
    assert selectors.weight_shares(weights) == shares
    assert sum(s or 0 for s in shares) in {0, 100}


def test_the_contest_page_shows_shares_not_raw_weights(client, dgs):
    contest = ContestFactory(criteria=[("Utilité", 2, 5), ("Coût", 1, 5)])
    client.force_login(dgs)
    page = client.get(contest.get_absolute_url()).content.decode()
    assert "67 %" in page and "33 %" in page and "Part du score" in page


def test_an_empty_address_is_made_from_the_title(client, dgs):
    client.force_login(dgs)
    client.post("/concours/nouveau/", contest_data(title="Écologie & sobriété 2027", slug=""))
    assert Contest.objects.get().slug == "ecologie-sobriete-2027"


def test_an_address_made_from_a_title_already_used_gets_a_number(client, dgs):
    ContestFactory(slug="transition-ecologique")
    client.force_login(dgs)
    client.post("/concours/nouveau/", contest_data(title="Transition écologique", slug=""))
    assert Contest.objects.filter(slug="transition-ecologique-2").exists()


def test_an_address_typed_by_hand_and_taken_is_refused_in_french(client, dgs):
    ContestFactory(slug="ecologie")
    client.force_login(dgs)
    response = client.post("/concours/nouveau/", contest_data(slug="ecologie"))
    assert "Un autre concours utilise déjà cette adresse." in response.content.decode()
    assert Contest.objects.count() == 1


def test_the_service_refuses_a_reserved_or_taken_address(dgs):
    ContestFactory(slug="ecologie")
    grid = [{"name": "Utilité", "weight": 1, "scale_max": 5}]
    data = {"title": "Nouveau", "theme": "T", "description": "D", **contest_data()}
    data = {key.removeprefix("contest-"): value for key, value in data.items() if key.startswith("contest-")}
    for slug, message in (("nouveau", "réservée par le portail"), ("ecologie", "utilise déjà cette adresse")):
        with pytest.raises(ValidationError, match=message):
            services.contest_save(by=dgs, data={**data, "slug": slug}, criteria=grid)


def test_a_title_without_letters_still_gets_an_address(dgs):
    assert selectors.free_slug("!!!") == "concours"


def test_the_contest_and_its_grid_do_not_change_once_the_evaluation_starts(dgs):
    contest = ContestFactory(state="evaluation")
    with pytest.raises(ValidationError, match="ne se modifient plus"):
        services.contest_save(by=dgs, data={"title": "Autre"}, criteria=[{"name": "X", "weight": 1}], contest=contest)
    contest.refresh_from_db()
    assert contest.title != "Autre"


def test_only_who_manages_contests_saves_one(agent):
    with pytest.raises(PermissionDenied):
        services.contest_save(by=agent, data={}, criteria=[])


def test_a_stranger_asking_for_a_draft_contest_form_gets_404(client, agent):
    contest = ContestFactory(state="draft")
    client.force_login(agent)
    assert client.get(reverse("contests:edit", args=[contest.slug])).status_code == 404


def test_the_jury_picker_narrows_the_list_without_javascript_and_keeps_the_chosen(client, dgs, make_user):
    chosen = make_user(Role.JURY, first_name="Zoé", last_name="Abel")
    make_user(first_name="Hélène", last_name="Martin")
    make_user(first_name="Paul", last_name="Durand")
    client.force_login(dgs)
    data = {
        **contest_data(),
        "contest-jury": [str(chosen.pk)],
        "contest-jury-recherche": "helene",
        "contest-jury-chercher": "1",
    }
    page = client.post("/concours/nouveau/", data).content.decode()
    assert "Hélène Martin" in page and "Zoé Abel" in page and "Paul Durand" not in page
    assert "1 personne choisie ; 1 autre personne trouvée pour « helene »." in page
    assert not Contest.objects.exists()
    assert "Le formulaire contient des erreurs" not in page


def test_the_jury_chosen_with_the_picker_is_saved(client, dgs, make_user):
    jurors = [make_user(Role.JURY) for _index in range(2)]
    client.force_login(dgs)
    data = {**contest_data(), "contest-jury": [str(j.pk) for j in jurors], "contest-jury-recherche": "x"}
    client.post("/concours/nouveau/", data)
    assert set(Contest.objects.get().jury.all()) == set(jurors)


def test_a_draft_contest_keeps_its_address_when_edited_with_the_field_emptied(client, dgs):
    contest = ContestFactory(state="draft", slug="ecologie", title="Transition écologique")
    client.force_login(dgs)
    client.post(reverse("contests:edit", args=[contest.slug]), edit_data(contest, **{"contest-slug": ""}))
    contest.refresh_from_db()
    assert contest.slug == "transition-ecologique"  # emptied on purpose: a new one is proposed from the title


def test_the_people_in_the_picker_are_read_in_one_query(client, dgs, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(dgs)
    with CaptureQueriesContext(connection) as few:
        client.get("/concours/nouveau/")
    UserFactory.create_batch(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/concours/nouveau/")


def test_only_saved_criteria_have_a_removal_box_named_after_their_row(client, dgs):
    contest = ContestFactory(state="draft", criteria=[("Utilité", 2, 5)])
    client.force_login(dgs)
    page = client.get(reverse("contests:edit", args=[contest.slug])).content.decode()
    assert page.count("Retirer ce critère de la grille") == 1  # not on the empty criterion below it
    assert 'aria-describedby="criteria-0-title"' in page
