"""Each sensitive action outside the projects is one entry of the journal, with its author and its object:
moderation, idea decisions and conversions, jury scores, survey campaigns, imports, erasures, reports and
changes made in the administration."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEntry
from contests import services as contests
from contests.models import Comment
from reports import services as reports
from reports.quarters import Quarter
from surveys import services as surveys
from surveys.imports import responses_import
from surveys.models import Campaign, Invitation, Questionnaire, Response
from surveys.national import EDITION, SERIES
from surveys.selectors import questionnaire_structure
from tests.factories import ContestFactory, IdeaFactory
from tests.surveys.builders import add_responses

Action = AuditEntry.Action


def only(action: str) -> AuditEntry:
    [entry] = AuditEntry.objects.filter(action=action)
    return entry


@pytest.fixture
def idea(dgs, make_user):
    contest = ContestFactory(slug="ecologie", created_by=dgs, state="evaluation")
    return IdeaFactory(contest=contest, author=make_user(Role.AGENT, username="auteur"), title="Vélos partagés")


def test_hiding_an_idea_and_a_comment_records_who_when_and_why(dgs, idea):
    comment = Comment.objects.create(idea=idea, author=idea.author, text="Hors sujet")
    contests.idea_hide(idea=idea, by=dgs, reason="Doublon.")
    contests.comment_hide(comment=comment, by=dgs, reason="Propos déplacés.")
    hidden = only(Action.IDEA_HIDDEN)
    assert (hidden.actor, hidden.object_id, hidden.summary_text) == (dgs, str(idea.pk), "Motif : Doublon.")
    assert hidden.at is not None
    comment_entry = only(Action.COMMENT_HIDDEN)
    assert (comment_entry.actor, comment_entry.object_type, comment_entry.parent_id) == (
        dgs,
        "contests.comment",
        str(idea.pk),
    )


def test_an_idea_decision_and_its_conversion_record_who_decided(dgs, idea):
    contests.idea_set_outcome(idea=idea, by=dgs, status="selected")
    decided = only(Action.IDEA_DECIDED)
    assert decided.actor == dgs
    assert decided.changes == [{"field": "status", "old": "Déposée", "new": "Retenue"}]
    project = contests.idea_to_project(idea=idea, by=dgs, lead=dgs, nature="societal", objects=[])
    converted = only(Action.IDEA_CONVERTED)
    assert (converted.actor, converted.object_id) == (dgs, str(idea.pk))
    assert f"n° {project.pk}" in converted.summary_text
    assert only(Action.PROJECT_CREATED).object_id == str(project.pk)


def test_a_jurors_scores_are_one_entry_per_submission(idea, make_user):
    juror = make_user(Role.JURY, username="jure")
    idea.contest.jury.add(juror)
    criteria = list(idea.contest.criteria.all())
    contests.scores_save(idea=idea, juror=juror, scores=dict.fromkeys(criteria, (4, "")))
    entry = only(Action.SCORES_SUBMITTED)
    assert (entry.actor, entry.object_id) == (juror, str(idea.pk))
    assert {change["field"] for change in entry.changes} == {criterion.name for criterion in criteria}


@pytest.fixture
def campaign(dgs):
    questionnaire = Questionnaire.objects.get(series=SERIES, edition=EDITION)
    return surveys.campaign_create(created_by=dgs, questionnaire=questionnaire, title="Cadres 2026", slug="c-2026")


def test_each_step_of_a_campaign_is_recorded_with_its_author(client, dgs, campaign):
    surveys.campaign_invite(campaign=campaign, emails=["a@ville.fr", "b@ville.fr"], by=dgs)
    surveys.campaign_open(campaign=campaign, by=dgs)
    surveys.campaign_send_reminders(campaign=campaign, by=dgs)
    surveys.campaign_close(campaign=campaign, by=dgs)
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "actor", "object_id"))
    assert actions == [
        (action, dgs.pk, str(campaign.pk))
        for action in [
            Action.CAMPAIGN_CREATED,
            Action.CAMPAIGN_INVITED,
            Action.CAMPAIGN_OPENED,
            Action.CAMPAIGN_REMINDED,
            Action.CAMPAIGN_CLOSED,
        ]
    ]
    # How many were invited, never who.
    assert "a@ville.fr" not in str(list(AuditEntry.objects.values()))


def test_an_import_records_its_user(client, dgs, campaign):
    surveys.campaign_open(campaign=campaign, by=dgs)
    rows = [{"A1": "commune", "A2": "directeur", "B1": "managerial", "B2": "organisation", "C1": "administratif"}]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    client.force_login(dgs)
    upload = io.BytesIO(out.getvalue().encode())
    upload.name = "reponses.csv"
    client.post(reverse("surveys:import", args=[campaign.slug]), {"file": upload})
    entry = only(Action.RESPONSES_IMPORTED)
    assert (entry.actor, entry.object_id) == (dgs, str(campaign.pk))
    assert entry.summary_text.startswith("Réponses importées : 1 ")


def test_a_refused_import_records_nothing(dgs, campaign):
    surveys.campaign_open(campaign=campaign, by=dgs)
    structure = questionnaire_structure(campaign.questionnaire)
    report = responses_import(campaign=campaign, structure=structure, data=b"A1\nmagique\n", imported_by=dgs)
    assert report.errors
    assert not AuditEntry.objects.filter(action=Action.RESPONSES_IMPORTED).exists()


def test_an_erasure_is_recorded_without_keeping_anything_erased(client, dgs, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.OPEN)
    invitation = Invitation.objects.create(campaign=campaign, email="claire.martin@ville.fr", token="jeton-secret-0123")
    response = add_responses(campaign, 1, {"I2": "Texte libre très personnel"})[0]
    Response.objects.filter(pk=response.pk).update(invitation=invitation)
    client.force_login(dgs)
    client.post(reverse("surveys:erase", args=[campaign.slug, invitation.pk]), follow=True)
    entry = only(Action.RESPONDENT_ERASED)
    assert (entry.actor, entry.parent_id) == (dgs, str(campaign.pk))
    kept = str(list(AuditEntry.objects.values()))
    for erased in ["claire.martin", "jeton-secret", "Texte libre très personnel"]:
        assert erased not in kept
    page = client.get(reverse("audit:journal")).content.decode()
    assert "Répondant effacé" in page and "claire.martin" not in page


def test_a_new_report_version_is_recorded_a_version_served_again_is_not(dgs, monkeypatch):
    monkeypatch.setattr("reports.services._enqueue", lambda report_id: None)
    report, _created = reports.report_request(quarter=Quarter(2026, 3), direction=None, requested_by=dgs)
    reports.report_request(quarter=Quarter(2026, 3), direction=None, requested_by=dgs)
    entry = only(Action.REPORT_REQUESTED)
    assert (entry.actor, entry.object_type, entry.object_id) == (dgs, "reports.report", str(report.pk))


def test_a_role_given_in_the_administration_is_recorded_with_the_new_roles(client, dgs, make_user):
    person = make_user(Role.AGENT, username="nouvelle", first_name="Inès", last_name="Robert")
    client.force_login(dgs)
    url = reverse("admin:accounts_user_change", args=[person.pk])
    data = {
        "username": person.username,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "direction": person.direction_id,
        "groups": [Group.objects.get(name="agent").pk, Group.objects.get(name="jury").pk],
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = only(Action.ADMIN_CHANGED)
    assert (entry.actor, entry.object_type, entry.object_id) == (dgs, "accounts.user", str(person.pk))
    assert {"field": "groups", "new": "agent, jury"} in entry.changes


def test_a_group_changed_in_the_administration_is_recorded(client, make_user):
    admin = make_user(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(reverse("admin:auth_group_add"), {"name": "elus"})
    assert response.status_code == 302
    entry = only(Action.ADMIN_ADDED)
    assert (entry.actor, entry.object_type, entry.object_label) == (admin, "auth.group", "elus")


def test_deletions_in_the_administration_go_one_by_one_into_the_journal(client, make_user):
    admin = make_user(username="root", is_staff=True, is_superuser=True)
    group = Group.objects.create(name="elus")
    client.force_login(admin)
    changelist = client.get(reverse("admin:auth_group_changelist")).content.decode()
    assert 'value="delete_selected"' not in changelist
    response = client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"})
    assert response.status_code == 302
    entry = only(Action.ADMIN_DELETED)
    assert (entry.actor, entry.object_label) == (admin, "elus")
