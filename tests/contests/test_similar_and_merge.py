"""While typing an idea's title the agent sees the similar ideas and projects they may see; the DGS merges a
duplicate idea into another: supports and comments carried over, authors told, the duplicate kept for the record."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Notification
from accounts.roles import Role
from audit.models import AuditEntry
from contests.models import Comment, Idea, Support
from tests.contests.test_ideas import IDEA, new_idea_url
from tests.factories import ContestFactory, IdeaFactory, ProjectFactory


def similar_url(contest, title, **params):
    return (
        reverse("contests:idea_similar", args=[contest.slug])
        + "?"
        + "&".join([f"titre={title}"] + [f"{k}={v}" for k, v in params.items()])
    )


def merge_url(idea):
    return reverse("contests:idea_merge", args=[idea.contest.slug, idea.pk])


@pytest.fixture
def carpool(contest, make_user):
    return IdeaFactory(contest=contest, author=make_user(username="premiere"), title="Covoiturage des agents")


def test_typing_a_title_suggests_the_similar_idea_and_project(client, agent, contest, carpool):
    ProjectFactory(title="Plateforme de covoiturage pour les agents")
    client.force_login(agent)
    html = client.get(similar_url(contest, "Covoiturage entre agents")).content.decode()
    assert "Idées proches déjà déposées" in html and carpool.get_absolute_url() in html
    assert "Plateforme de covoiturage pour les agents" in html
    assert "Aucune idée" not in client.get(similar_url(contest, "covoiturage")).content.decode()
    assert "Aucune idée ni aucun projet au titre proche." in client.get(similar_url(contest, "Vote")).content.decode()


def test_suggestions_leave_out_what_the_person_may_not_see(client, agent, contest, carpool, make_user):
    ProjectFactory(title="Covoiturage des agents de la direction", visibility="restricted")
    IdeaFactory(contest=contest, title="Covoiturage interne", status="draft")
    IdeaFactory(contest=contest, title="Covoiturage solidaire", hidden_reason="Hors sujet")
    IdeaFactory(contest=contest, title="Covoiturage partagé", status="merged", merged_into=carpool)
    client.force_login(agent)
    html = client.get(similar_url(contest, "Covoiturage")).content.decode()
    assert "Covoiturage des agents" in html
    for unseen in ("de la direction", "interne", "solidaire", "partagé"):
        assert unseen not in html


def test_the_dgs_is_suggested_the_restricted_project(client, dgs, contest):
    ProjectFactory(title="Covoiturage des agents de la direction", visibility="restricted")
    client.force_login(dgs)
    assert "de la direction" in client.get(similar_url(contest, "Covoiturage")).content.decode()


def test_the_idea_being_edited_is_not_suggested_to_itself(client, contest, carpool):
    client.force_login(carpool.author)
    html = client.get(similar_url(contest, "Covoiturage des agents", exclure=carpool.pk)).content.decode()
    assert carpool.get_absolute_url() not in html


def test_suggestions_of_a_contest_the_person_may_not_see_answer_404(client, agent, make_user):
    draft = ContestFactory(state="draft")
    client.force_login(agent)
    assert client.get(similar_url(draft, "Covoiturage")).status_code == 404


def test_without_javascript_the_check_button_shows_the_suggestions_and_saves_nothing(client, agent, contest, carpool):
    client.force_login(agent)
    response = client.post(new_idea_url(contest), {**IDEA, "title": "Covoiturage entre agents", "check": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert carpool.get_absolute_url() in html and 'value="Covoiturage entre agents"' in html
    assert "Rien n'est encore enregistré" in html
    assert Idea.objects.count() == 1


def test_the_form_carries_the_live_region_and_its_script(client, agent, contest):
    client.force_login(agent)
    html = client.get(new_idea_url(contest)).content.decode()
    assert 'aria-live="polite"' in html and 'data-similar-source="id_title"' in html
    assert "common/similar" in html and "<script>" not in html


def test_the_confirmation_page_lists_the_similar_ideas(client, agent, contest, carpool):
    client.force_login(agent)
    response = client.post(
        new_idea_url(contest), {**IDEA, "title": "Covoiturage entre agents", "submit": ""}, follow=True
    )
    html = response.content.decode()
    assert "Des idées proches ont déjà été déposées" in html and carpool.get_absolute_url() in html


# --- Merging ---------------------------------------------------------------------------------------------------


@pytest.fixture
def duplicate(contest, make_user):
    return IdeaFactory(contest=contest, author=make_user(username="seconde"), title="Covoiturage entre agents")


def test_the_dgs_merges_a_duplicate_with_its_supports_and_comments(
    client, dgs, contest, carpool, duplicate, make_user, messages_in_session
):
    both, only_duplicate, only_target = (make_user(username=name) for name in ("deux", "un", "autre"))
    co_author = make_user(username="coautrice")
    duplicate.co_authors.add(co_author)
    for user in (both, only_duplicate):
        Support.objects.create(idea=duplicate, user=user)
    for user in (both, only_target):
        Support.objects.create(idea=carpool, user=user)
    Support.objects.create(idea=duplicate, user=carpool.author)  # the target's author: not a support of their own
    Comment.objects.create(idea=duplicate, author=only_duplicate, text="Bonne idée, et le soir ?")
    client.force_login(dgs)

    confirm = client.get(merge_url(duplicate) + f"?cible={carpool.pk}").content.decode()
    assert "Confirmer la fusion" in confirm and "3 soutiens" in confirm
    response = client.post(merge_url(duplicate), {"cible": carpool.pk}, follow=True)

    assert response.redirect_chain[-1][0] == carpool.get_absolute_url()
    assert "1 soutien(s) et 1 commentaire(s) reportés" in response.content.decode()
    assert sorted(carpool.supports.values_list("user__username", flat=True)) == ["autre", "deux", "un"]
    assert carpool.comments.get().text == "Bonne idée, et le soir ?"
    duplicate.refresh_from_db()
    assert duplicate.status == "merged" and duplicate.merged_into == carpool and duplicate.merged_at
    told = Notification.objects.filter(message__contains="a fusionné l'idée « Covoiturage entre agents »")
    assert sorted(told.values_list("user__username", flat=True)) == ["coautrice", "premiere", "seconde"]
    entry = AuditEntry.objects.get(action="idea.merged")
    assert (entry.actor, entry.object_id) == (dgs, str(duplicate.pk))


def test_a_merged_idea_leaves_the_list_and_points_to_the_other(client, agent, contest, carpool, duplicate, dgs):
    from contests.services import idea_merge

    idea_merge(duplicate=duplicate, target=carpool, by=dgs)
    client.force_login(agent)
    listing = client.get(contest.get_absolute_url()).content.decode()
    assert duplicate.get_absolute_url() not in listing and carpool.get_absolute_url() in listing
    page = client.get(duplicate.get_absolute_url()).content.decode()
    assert "Idée fusionnée le" in page and carpool.get_absolute_url() in page
    assert "Soutenir cette idée" not in page and "Publier" not in page
    client.post(reverse("contests:idea_support", args=[contest.slug, duplicate.pk]))
    assert not duplicate.supports.exists()
    assert duplicate.get_absolute_url() in client.get(carpool.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role", [Role.AGENT, Role.JURY, Role.PROJECT_LEAD, Role.COPIL])
def test_only_the_dgs_reaches_the_merge(client, make_user, carpool, duplicate, role):
    client.force_login(make_user(role, username="curieux"))
    assert client.get(merge_url(duplicate)).status_code == 404
    assert client.post(merge_url(duplicate), {"cible": carpool.pk}).status_code == 404
    duplicate.refresh_from_db()
    assert duplicate.status == "submitted"


def test_the_merge_needs_the_csrf_token(dgs, carpool, duplicate):
    client = Client(enforce_csrf_checks=True)
    client.force_login(dgs)
    assert client.post(merge_url(duplicate), {"cible": carpool.pk}).status_code == 403
    duplicate.refresh_from_db()
    assert duplicate.status == "submitted"


def test_an_idea_is_not_merged_into_itself_nor_twice(client, dgs, contest, carpool, duplicate):
    client.force_login(dgs)
    itself = client.post(merge_url(duplicate), {"cible": duplicate.pk})
    assert itself.status_code == 400 and "Cette idée ne peut pas recevoir la fusion" in itself.content.decode()
    client.post(merge_url(duplicate), {"cible": carpool.pk})
    third = IdeaFactory(contest=contest, title="Covoiturage")
    again = client.post(merge_url(duplicate), {"cible": third.pk})
    assert again.status_code == 400 and "Cette idée est déjà fusionnée" in again.content.decode()
    into_merged = client.post(merge_url(third), {"cible": duplicate.pk})
    assert into_merged.status_code == 400
    duplicate.refresh_from_db()
    assert duplicate.merged_into == carpool


def test_ideas_of_another_contest_or_after_the_results_are_not_merged(client, dgs, contest, carpool, duplicate):
    elsewhere = IdeaFactory(title="Covoiturage des agents")
    client.force_login(dgs)
    assert client.post(merge_url(duplicate), {"cible": elsewhere.pk}).status_code == 400
    contest.state = "published"
    contest.save(update_fields=["state"])
    response = client.post(merge_url(duplicate), {"cible": carpool.pk})
    assert response.status_code == 400 and "pas une fois les résultats publiés" in response.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.status == "submitted"


def test_a_merged_idea_needs_no_decision_to_publish_the_results(dgs, in_evaluation, make_user):
    from contests.services import contest_advance, idea_merge, idea_set_outcome

    target = IdeaFactory(contest=in_evaluation, title="Covoiturage des agents", status="under_review")
    duplicate = IdeaFactory(contest=in_evaluation, title="Covoiturage entre agents", status="under_review")
    idea_merge(duplicate=duplicate, target=target, by=dgs)
    idea_set_outcome(idea=target, by=dgs, status="selected")
    assert contest_advance(contest=in_evaluation, by=dgs).state == "published"


def test_odd_parameters_get_an_answer_not_an_error(client, agent, contest, carpool):
    client.force_login(agent)
    assert client.get(similar_url(contest, "Covoiturage", exclure="99999999999999999999")).status_code == 404
    long_title = client.get(similar_url(contest, "covoiturage " * 500))
    assert long_title.status_code == 200 and carpool.get_absolute_url() in long_title.content.decode()
    assert client.get(similar_url(contest, "%3Cscript%3Ealert(1)%3C/script%3E")).status_code == 200
