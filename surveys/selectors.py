"""Reads of the surveys: who reaches which campaign, and the querysets behind the pages."""

from __future__ import annotations

from typing import cast

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from common import tenancy
from surveys.answers import Structure, is_visible
from surveys.models import Answer, Campaign, Choice, Invitation, Question, Questionnaire, ReferenceValue, Response


def campaigns_visible_to(user: User) -> QuerySet[Campaign]:
    """All campaigns for those who run them; open and closed ones for readers of results; none otherwise."""
    campaigns = Campaign.objects.select_related("questionnaire", "edition")
    if user.has_perm("surveys.change_campaign"):
        return campaigns
    if user.has_perm("surveys.view_results"):
        return campaigns.exclude(status=Campaign.Status.DRAFT)
    return campaigns.none()


def get_campaign_for_user(user: User, slug: str, *, write: bool = False) -> Campaign:
    """The one way views reach a campaign: 404 if the person may not see it, 403 if they may not run it."""
    campaign = get_object_or_404(campaigns_visible_to(user), slug=slug)
    if write and not user.has_perm("surveys.change_campaign"):
        raise PermissionDenied
    return campaign


def can_see_identities(user: User) -> bool:
    """Who was invited and each person's answers: the DGS only."""
    return user.has_perm("surveys.view_respondents")


def get_questionnaire_for_user(user: User, pk: int, *, write: bool = False) -> Questionnaire:
    """404 for those who do not read questionnaires, 403 for readers who try to create an edition."""
    if not user.has_perm("surveys.view_questionnaire"):
        raise Http404
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    if write and not user.has_perm("surveys.add_questionnaire"):
        raise PermissionDenied
    return questionnaire


def get_invitation_for_token(token: str) -> Invitation:
    """A personal link works while its campaign is open: unknown or closed links are 404s.

    The link is the key: it is looked up in every collectivité (an anonymous visitor of a deployment of several has
    nobody's scope), then the rest of the request reads its campaign's collectivité only (``common.tenancy``; the
    middleware puts the scope back at the end of the request).
    """
    with tenancy.unscoped():
        invitation: Invitation = get_object_or_404(
            Invitation.objects.select_related("campaign__questionnaire"),
            token=token,
            campaign__status=Campaign.Status.OPEN,
        )
    tenancy.activate(tenancy.Scope(invitation.campaign.organisation_id))
    return invitation


def questionnaire_structure(questionnaire: Questionnaire) -> Structure:
    """Sections, questions and their choices in three queries, in the questionnaire's order."""
    sections = list(questionnaire.sections.order_by("order"))
    questions = (
        Question.objects.filter(questionnaire=questionnaire)
        .prefetch_related(
            Prefetch(  # type: ignore[no-redef]  # the plugin redeclares to_attr, which Question declares for all
                "choices", queryset=Choice.objects.order_by("order"), to_attr="choice_list"
            )
        )
        .order_by("section__order", "order")
    )
    structure = Structure(sections=sections, questions={q.code: q for q in questions})
    by_pk = {q.pk: q for q in structure.questions.values()}
    for question in structure.questions.values():
        if question.condition_question_id:  # the loaded question, with its choices
            question.condition_question = by_pk[question.condition_question_id]
    by_section: dict[int, list[Question]] = {section.pk: [] for section in sections}
    for question in structure.questions.values():
        by_section[question.section_id].append(question)
    for section in sections:
        section.question_list = by_section[section.pk]
    return structure


def saved_answers(response: Response | None) -> dict[str, set[str]]:
    """What a response says so far, by question code (choice codes, or values as strings)."""
    if response is None:
        return {}
    given: dict[str, set[str]] = {}
    rows = Answer.objects.filter(response=response).values_list("question__code", "choice__code", "number", "text")
    for code, choice, number, text in rows:
        value = choice or (str(number) if number is not None else text)
        if value:
            given.setdefault(code, set()).add(value)
    return given


def campaign_counts(campaign: Campaign) -> dict[str, int]:
    """Invited people, responses started, complete and partial: one query each side."""
    responses = campaign.responses.aggregate(
        total=Count("pk"),
        complete=Count("pk", filter=Q(status=Response.Status.SUBMITTED)),
        imported=Count("pk", filter=Q(origin=Response.Origin.IMPORT)),
    )
    invitations = campaign.invitations.aggregate(
        invited=Count("pk"),
        not_started=Count("pk", filter=Q(response__isnull=True)),
        unsent=Count("pk", filter=Q(sent_at__isnull=True)),
    )
    responses["partial"] = responses["total"] - responses["complete"]
    responses["complete_percent"] = (
        round(100 * responses["complete"] / responses["total"]) if responses["total"] else None
    )
    return {**responses, **invitations}


def with_list_counts(campaigns: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """The counts a row of the campaign list shows, in the same query as the rows."""
    return campaigns.annotate(
        response_count=Count("responses", distinct=True),
        complete_count=Count("responses", filter=Q(responses__status=Response.Status.SUBMITTED), distinct=True),
    )


def invitations_with_status(campaign: Campaign) -> QuerySet[Invitation]:
    """The invited people and where each one is (DGS only: identities)."""
    return campaign.invitations.select_related("user", "response", "link_email").order_by("email")


def pending_invitations(campaign: Campaign) -> QuerySet[Invitation]:
    """Those who have not finished: never started, or started and not submitted."""
    return campaign.invitations.filter(
        Q(response__isnull=True) | Q(response__status=Response.Status.IN_PROGRESS)
    ).select_related("user")


def series_campaigns(campaign: Campaign, visible: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """Other campaigns of any edition of the same questionnaire: their results compare by question code."""
    return visible.filter(questionnaire__series=campaign.questionnaire.series).exclude(pk=campaign.pk)


def next_step(structure: Structure, step: int, given: dict[str, set[str]], direction: int) -> int | None:
    """The next page in ``direction`` (+1 or -1) with a question to ask; None past either end.

    A page whose every question depends on an earlier answer that rules it out is skipped.
    """
    step += direction
    while 1 <= step <= len(structure.sections):
        section = structure.sections[step - 1]
        if any(
            q.condition_question is None or q.condition_question.section_id == section.pk or is_visible(q, given)
            for q in section.question_list
        ):
            return step
        step += direction
    return None


def references_by_target(questionnaire: Questionnaire) -> dict[tuple[str, int], ReferenceValue]:
    """The national figures of a questionnaire, keyed by ("section" | "question" | "choice", id)."""
    references = ReferenceValue.objects.filter(
        Q(section__questionnaire=questionnaire) | Q(question__questionnaire=questionnaire)
    )
    keyed: dict[tuple[str, int], ReferenceValue] = {}
    for ref in references:
        if ref.choice_id:
            keyed[("choice", ref.choice_id)] = ref
        elif ref.question_id:
            keyed[("question", ref.question_id)] = ref
        else:
            keyed[("section", cast(int, ref.section_id))] = ref  # then it names a section (check constraint)
    return keyed


def with_references(structure: Structure, questionnaire: Questionnaire) -> Structure:
    """The structure with each section, question and choice carrying its national figure (or None)."""
    refs = references_by_target(questionnaire)
    for section in structure.sections:
        section.reference = refs.get(("section", section.pk))
    for question in structure.questions.values():
        question.reference = refs.get(("question", question.pk))
        for choice in question.choice_list:
            choice.reference = refs.get(("choice", choice.pk))
    return structure
