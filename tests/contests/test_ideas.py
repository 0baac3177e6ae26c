"""Agents propose ideas in a few minutes, support and comment them; bad input and floods are refused."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from contests.models import Comment, Idea, Support
from tests.factories import ContestFactory, DirectionFactory, IdeaFactory

IDEA = {
    "title": "Vélos de service",
    "problem": "Les agents prennent leur voiture.",
    "proposal": "Dix vélos partagés.",
    "benefits_users": "",
    "benefits_organisation": "Moins de frais.",
    "effort": "small",
    "estimated_cost": "3000",
}


def new_idea_url(contest):
    return reverse("contests:idea_create", args=[contest.slug])


def test_an_agent_submits_an_idea_and_gets_a_confirmation(client, agent, contest, django_capture_on_commit_callbacks):
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            new_idea_url(contest), {**IDEA, "direction": agent.direction_id, "submit": ""}, follow=True
        )
    idea = Idea.objects.get()
    assert response.redirect_chain[-1][0] == reverse("contests:idea_confirmation", args=[contest.slug, idea.pk])
    assert "Merci, votre idée est déposée" in response.content.decode()
    assert idea.status == "submitted" and idea.submitted_at
    assert mail.outbox[0].to == [agent.email]
    assert "est déposée au concours « Transition écologique »" in mail.outbox[0].body
    assert Notification.objects.get(user=agent).url == idea.get_absolute_url()


def test_a_draft_is_visible_to_its_authors_only(client, agent, contest, make_user):
    client.force_login(agent)
    client.post(new_idea_url(contest), {**IDEA, "draft": ""})
    idea = Idea.objects.get()
    assert idea.status == "draft"
    client.force_login(make_user(username="collegue"))
    assert client.get(idea.get_absolute_url()).status_code == 404
    assert "Vélos de service" not in client.get(contest.get_absolute_url()).content.decode()


def test_co_authors_edit_the_idea_until_the_close(client, idea, make_user):
    co_author = make_user(username="coauteur")
    idea.co_authors.add(co_author)
    client.force_login(co_author)
    url = reverse("contests:idea_edit", args=[idea.contest.slug, idea.pk])
    client.post(url, {**IDEA, "title": "Vélos partagés v2", "co_authors": [co_author.pk], "submit": ""})
    idea.refresh_from_db()
    assert idea.title == "Vélos partagés v2"
    idea.contest.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    idea.contest.save()
    assert client.get(url).status_code == 403


def test_a_submission_after_the_close_is_refused_and_kept_on_screen(client, agent, contest):
    client.force_login(agent)
    page = client.get(new_idea_url(contest))
    assert page.status_code == 200
    contest.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    contest.save()
    response = client.post(new_idea_url(contest), {**IDEA, "submit": ""}, follow=True)
    assert "n&#x27;accepte pas vos idées en ce moment" in response.content.decode()
    assert not Idea.objects.exists()


def test_the_service_names_the_closing_date(agent, contest):
    from django.core.exceptions import ValidationError

    from contests.services import idea_save

    contest.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    contest.save()
    with pytest.raises(ValidationError, match="il a fermé le"):
        idea_save(contest=contest, author=agent, data=IDEA, submit=True)


@pytest.mark.parametrize("field", ["title", "problem", "proposal", "benefits_users"])
def test_html_or_script_in_a_text_field_is_refused_and_the_text_kept(client, agent, contest, field):
    client.force_login(agent)
    text = "<script>alert('x')</script>Mon idée"
    response = client.post(new_idea_url(contest), {**IDEA, field: text, "submit": ""})
    assert "Le texte ne peut pas contenir de balises HTML ou de script" in response.content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;Mon idée" in response.content.decode()
    assert not Idea.objects.exists()


def test_a_comparison_sign_is_not_taken_for_html(client, agent, contest):
    client.force_login(agent)
    client.post(new_idea_url(contest), {**IDEA, "problem": "Délai < 5 jours et coût > 0", "submit": ""})
    assert Idea.objects.get().problem == "Délai < 5 jours et coût > 0"


def test_a_flood_of_submissions_is_stopped(client, agent, contest, settings):
    settings.IDEAS_PER_HOUR = 3
    client.force_login(agent)
    for number in range(3):
        client.post(new_idea_url(contest), {**IDEA, "title": f"Idée {number}", "submit": ""})
    response = client.post(new_idea_url(contest), {**IDEA, "title": "Une de trop", "submit": ""})
    assert "Vous avez déjà proposé 3 idées dans l&#x27;heure" in response.content.decode()
    assert "Une de trop" in response.content.decode()
    assert Idea.objects.count() == 3


def test_a_negative_cost_is_refused(client, agent, contest):
    client.force_login(agent)
    response = client.post(new_idea_url(contest), {**IDEA, "estimated_cost": "-10", "submit": ""})
    assert "supérieure ou égale à 0" in response.content.decode()
    assert not Idea.objects.exists()


def test_a_contest_for_some_directions_refuses_other_agents(client, agent, contest):
    contest.eligible_directions.add(DirectionFactory(code="DST"))
    client.force_login(agent)
    response = client.get(new_idea_url(contest), follow=True)
    assert "Ce concours n&#x27;accepte pas vos idées en ce moment." in response.content.decode()


def test_an_agent_supports_an_idea_once(client, agent, idea):
    client.force_login(agent)
    url = reverse("contests:idea_support", args=[idea.contest.slug, idea.pk])
    assert "Merci : votre soutien est enregistré." in client.post(url, follow=True).content.decode()
    again = client.post(url, follow=True)
    assert "Vous soutenez déjà cette idée : un seul soutien par personne." in again.content.decode()
    assert Support.objects.count() == 1


def test_the_database_enforces_one_support_per_person(agent, idea):
    from django.db import IntegrityError, transaction

    Support.objects.create(idea=idea, user=agent)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(idea=idea, user=agent)


def test_an_author_cannot_support_their_own_idea(client, idea):
    client.force_login(idea.author)
    response = client.post(reverse("contests:idea_support", args=[idea.contest.slug, idea.pk]), follow=True)
    assert "Vous ne pouvez pas soutenir votre propre idée." in response.content.decode()


def test_comments_are_published_and_html_refused_without_losing_the_text(client, agent, idea):
    client.force_login(agent)
    url = reverse("contests:idea_comment", args=[idea.contest.slug, idea.pk])
    assert "Votre commentaire est publié." in client.post(url, {"text": "Bravo !"}, follow=True).content.decode()
    response = client.post(url, {"text": "Voir <a href='x'>ici</a>"}, follow=True)
    page = response.content.decode()
    assert "Le commentaire n&#x27;a pas été publié" in page
    assert "Voir &lt;a href=&#x27;x&#x27;&gt;ici&lt;/a&gt;</textarea>" in page
    assert Comment.objects.count() == 1


def test_the_dgs_hides_an_idea_with_a_reason_and_the_author_is_told(client, dgs, idea, agent):
    client.force_login(dgs)
    url = reverse("contests:idea_hide", args=[idea.contest.slug, idea.pk])
    assert "Indiquez le motif" in client.post(url, {"hide-reason": ""}, follow=True).content.decode()
    client.post(url, {"hide-reason": "Propos personnels."})
    idea.refresh_from_db()
    assert idea.hidden_reason == "Propos personnels."
    assert "Motif : Propos personnels." in Notification.objects.get(user=idea.author).message
    client.force_login(agent)
    assert client.get(idea.get_absolute_url()).status_code == 404
    client.force_login(idea.author)
    assert "Idée masquée par la direction générale" in client.get(idea.get_absolute_url()).content.decode()


def test_the_dgs_hides_a_comment_and_its_author_is_told(client, dgs, idea, agent):
    comment = Comment.objects.create(idea=idea, author=agent, text="Hors sujet")
    client.force_login(dgs)
    client.post(
        reverse("contests:comment_hide", args=[idea.contest.slug, idea.pk, comment.pk]),
        {f"comment-{comment.pk}-reason": "Hors sujet."},
    )
    comment.refresh_from_db()
    assert comment.hidden_reason == "Hors sujet."
    assert Notification.objects.filter(user=agent).exists()
    client.force_login(idea.author)
    assert ">Hors sujet</p>" not in client.get(idea.get_absolute_url()).content.decode()


def test_an_agent_cannot_hide(client, agent, idea):
    client.force_login(agent)
    response = client.post(reverse("contests:idea_hide", args=[idea.contest.slug, idea.pk]), {"hide-reason": "x"})
    assert response.status_code == 403


def test_my_ideas_lists_the_ideas_i_wrote_or_co_wrote(client, agent, idea):
    IdeaFactory(contest=idea.contest, author=agent, title="La mienne")
    idea.co_authors.add(agent)
    IdeaFactory(contest=idea.contest, title="Pas la mienne")
    client.force_login(agent)
    titles = [i.title for i in client.get("/concours/mes-idees/").context["page"]]
    assert sorted(titles) == ["La mienne", "Vélos partagés"]


def test_a_document_attached_to_an_idea_is_checked(client, agent, contest):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(agent)
    exe = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode")
    response = client.post(new_idea_url(contest), {**IDEA, "attachment": exe, "submit": ""})
    assert "Ce type de fichier n&#x27;est pas accepté" in response.content.decode()
    assert not Idea.objects.exists()


def test_a_draft_contest_is_hidden_from_agents(client, agent, dgs):
    draft = ContestFactory(state="draft", slug="brouillon")
    client.force_login(agent)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(dgs)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_the_authors_hear_of_a_support_and_of_a_comment_but_not_of_their_own(client, agent, idea):
    client.force_login(agent)
    client.post(reverse("contests:idea_support", args=[idea.contest.slug, idea.pk]))
    client.post(reverse("contests:idea_comment", args=[idea.contest.slug, idea.pk]), {"text": "Bonne idée !"})
    messages = list(
        Notification.objects.filter(user=idea.author, kind="idea_activity").values_list("message", flat=True)
    )
    assert sorted(messages) == [
        "Nouveau commentaire sur votre idée « Vélos partagés ».",
        "Votre idée « Vélos partagés » a reçu un nouveau soutien.",
    ]
    assert agent.username not in " ".join(messages)  # who supported stays private
    client.force_login(idea.author)
    client.post(reverse("contests:idea_comment", args=[idea.contest.slug, idea.pk]), {"text": "Merci !"})
    assert Notification.objects.filter(user=idea.author, kind="idea_activity").count() == 2
