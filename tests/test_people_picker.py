"""The people picker (common/widgets.py): checkboxes under a search field, narrowed by the server without
JavaScript, the chosen people always kept; used for a contest's jury, an idea's co-authors, a project's team."""

from django import forms
from django.urls import reverse

from accounts.models import User
from common.forms import StrictFormMixin
from common.widgets import PeoplePicker, search_requested
from contests.models import Idea
from portfolio.models import InnovationObject, Project
from tests.contests.test_ideas import IDEA
from tests.factories import ContestFactory, UserFactory


class TeamForm(StrictFormMixin, forms.Form):
    team = forms.ModelMultipleChoiceField(queryset=User.objects.order_by("last_name"), widget=PeoplePicker)


def rendered(form: forms.Form) -> str:
    from django.template.loader import render_to_string

    return render_to_string("includes/form_fields.html", {"form": form})


def test_the_search_narrows_the_list_to_matching_names_without_accents_or_case(db):
    UserFactory(first_name="Hélène", last_name="Martin")
    UserFactory(first_name="Paul", last_name="Durand")
    page = rendered(TeamForm({"team-recherche": "HELENE"}))
    assert "Hélène Martin" in page and "Paul Durand" not in page
    assert 'value="HELENE"' in page


def test_the_people_chosen_stay_in_the_list_whatever_the_search(db):
    chosen = UserFactory(first_name="Zoé", last_name="Abel")
    UserFactory(first_name="Paul", last_name="Durand")
    page = rendered(TeamForm({"team": [str(chosen.pk)], "team-recherche": "inconnu"}))
    assert "Zoé Abel" in page and "Paul Durand" not in page
    assert "checked" in page


def test_every_person_is_listed_without_a_search(db):
    people = UserFactory.create_batch(4)
    page = rendered(TeamForm({"team": [str(people[0].pk)]}))
    assert all(str(person) in page for person in people)
    # counts of 1 and 3: the same words under the French plural rule (0 takes the singular) and the default one
    assert "1 personne choisie ; 3 autres personnes." in page


def test_the_picker_has_a_labelled_search_field_and_a_live_count(db):
    page = rendered(TeamForm())
    assert '<label for="id_team_search">' in page
    assert 'role="status"' in page and 'aria-describedby="id_team_count"' in page
    assert "<legend>Team" in page


def test_a_strict_form_accepts_the_pickers_own_fields_but_not_others(db):
    person = UserFactory()
    assert TeamForm({"team": [str(person.pk)], "team-recherche": "x", "team-chercher": "1"}).is_valid()
    form = TeamForm({"team": [str(person.pk)], "statut": "x"})
    assert not form.is_valid() and "statut" in str(form.errors)


def test_the_search_button_is_told_from_a_save():
    assert search_requested({"contest-jury-chercher": "1", "contest-title": "x"})
    assert not search_requested({"contest-title": "x", "submit": ""})


def test_co_authors_are_searched_without_saving_the_idea(client, agent, db):
    contest = ContestFactory()
    colleague = UserFactory(first_name="Hélène", last_name="Martin")
    UserFactory(first_name="Paul", last_name="Durand")
    client.force_login(agent)
    url = reverse("contests:idea_create", args=[contest.slug])
    data = {**IDEA, "direction": agent.direction_id, "co_authors-recherche": "mart", "co_authors-chercher": "1"}
    page = client.post(url, data).content.decode()
    assert "Hélène Martin" in page and "Paul Durand" not in page
    assert not Idea.objects.exists()
    client.post(url, {**IDEA, "direction": agent.direction_id, "co_authors": [colleague.pk], "submit": ""})
    assert list(Idea.objects.get().co_authors.all()) == [colleague]


def test_a_project_team_is_searched_then_saved(client, lead):
    member = UserFactory(first_name="Hélène", last_name="Martin")
    UserFactory(first_name="Paul", last_name="Durand")
    client.force_login(lead)
    data = {
        "title": "Espace numérique citoyen",
        "summary": "Toutes les démarches en ligne.",
        "nature": "societal",
        "objects_of_innovation": [InnovationObject.objects.get(code="ntic").pk],
        "origin": "agents",
        "directions": [lead.direction_id],
        "lead": lead.pk,
        "scope": "incremental",
        "visibility": "all",
    }
    page = client.post("/projets/nouveau/", {**data, "team-recherche": "helene", "team-chercher": "1"}).content.decode()
    team = page[page.index('id="id_team_choices"') :].split("</fieldset>")[0]
    assert "Hélène Martin" in team and "Paul Durand" not in team
    assert not Project.objects.exists()
    client.post("/projets/nouveau/", {**data, "team": [member.pk]})
    assert list(Project.objects.get().team.all()) == [member]
