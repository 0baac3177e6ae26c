"""Writes of the surveys: campaigns, invitations and reminders, answers saved page by page,
submission, erasure on request, new editions of a questionnaire."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts import outbox
from accounts.models import Network, Organisation, OutgoingEmail, User
from audit import services as audit
from audit.models import AuditEntry
from common.tenancy import unscoped
from surveys.answers import Structure, Value, is_visible, missing_required
from surveys.models import (
    Answer,
    Campaign,
    Choice,
    Invitation,
    NationalEdition,
    Question,
    Questionnaire,
    ReferenceValue,
    Response,
    Section,
)
from surveys.selectors import pending_invitations, saved_answers
from surveys.tallies import contribution, response_contribution, response_given, tally_move

_M = TypeVar("_M", bound=Model)


class AlreadySubmittedError(Exception):
    """A response is submitted once; a second submission or change is refused."""

    def __init__(self, submitted_at: datetime | None) -> None:
        super().__init__("already submitted")
        self.submitted_at = submitted_at


class MissingAnswersError(Exception):
    """Required questions are unanswered: the response cannot be submitted yet."""

    def __init__(self, questions: list[Question]) -> None:
        super().__init__("missing answers")
        self.questions = questions


# Campaigns ---------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *, created_by: User, questionnaire: Questionnaire, title: str, slug: str, introduction: str = ""
) -> Campaign:
    """A new campaign starts in preparation: invitations can be prepared before any link is sent."""
    campaign = Campaign(
        questionnaire=questionnaire, title=title, slug=slug, introduction=introduction, created_by=created_by
    )
    campaign.full_clean()
    campaign.save()
    audit.record(actor=created_by, action=audit.Action.CAMPAIGN_CREATED, obj=campaign)
    return campaign


@transaction.atomic
def campaign_open(*, campaign: Campaign, by: User | None = None) -> int:
    """Opens the campaign and sends the personal links not sent yet; returns how many are sent."""
    campaign.status, campaign.opened_at = Campaign.Status.OPEN, campaign.opened_at or timezone.now()
    campaign.closed_at = None
    campaign.save(update_fields=["status", "opened_at", "closed_at"])
    waiting = [OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.SENDING]
    not_sent = campaign.invitations.filter(sent_at__isnull=True).exclude(link_email__status__in=waiting)
    unsent = list(not_sent.values_list("pk", flat=True))
    audit.record(
        actor=by,
        action=audit.Action.CAMPAIGN_OPENED,
        obj=campaign,
        summary=gettext_noop("Liens envoyés : %(count)s."),
        params={"count": len(unsent)},
    )
    _queue_links(unsent, reminder=False)
    return len(unsent)


@transaction.atomic
def campaign_close(*, campaign: Campaign, by: User | None = None) -> None:
    """Closed, the personal links stop working; the results stay."""
    campaign.status, campaign.closed_at = Campaign.Status.CLOSED, timezone.now()
    campaign.save(update_fields=["status", "closed_at"])
    audit.record(actor=by, action=audit.Action.CAMPAIGN_CLOSED, obj=campaign)


@dataclass
class InviteResult:
    created: int = 0
    already_invited: int = 0
    without_email: list[User] = field(default_factory=list)


def _new_invitation(campaign: Campaign, email: str, user: User | None) -> Invitation | None:
    try:
        with transaction.atomic():
            return Invitation.objects.create(campaign=campaign, email=email, user=user, token=secrets.token_urlsafe(32))
    except IntegrityError:  # already invited: the unique (campaign, e-mail) constraint says so
        return None


@transaction.atomic
def campaign_invite(
    *, campaign: Campaign, emails: Iterable[str] = (), users: Iterable[User] = (), by: User | None = None
) -> InviteResult:
    """Invites accounts and e-mail addresses, each once; the links go out now if the campaign is open.
    The journal keeps how many, not who: the invitations are the only place that knows the respondents."""
    result = InviteResult()
    wanted: dict[str, User | None] = {}
    for user in users:
        if user.email:
            wanted.setdefault(user.email.strip().lower(), user)
        else:
            result.without_email.append(user)
    for email in emails:
        wanted.setdefault(email.strip().lower(), None)
    created = []
    for email, person in wanted.items():
        invitation = _new_invitation(campaign, email, person)
        if invitation is None:
            result.already_invited += 1
        else:
            created.append(invitation.pk)
    result.created = len(created)
    audit.record(
        actor=by,
        action=audit.Action.CAMPAIGN_INVITED,
        obj=campaign,
        summary=gettext_noop("Invitations créées : %(created)s ; déjà invités : %(already)s."),
        params={"created": result.created, "already": result.already_invited},
    )
    if campaign.is_open and created:
        _queue_links(created, reminder=False)
    return result


REMINDER_INTERVAL = timedelta(hours=24)


@dataclass
class ReminderResult:
    sent: int = 0
    skipped: int = 0  # not finished, but reminded less than REMINDER_INTERVAL ago


def campaign_send_reminders(*, campaign: Campaign, by: User | None = None) -> ReminderResult:
    """E-mails their link again to those who have not finished, unless reminded less than 24 hours ago.

    Each person is claimed by a conditional update (no reminder since the interval), so two
    clicks, two tabs or two people at once never remind anyone twice: the second update
    finds the date already set and claims nobody.
    """
    if not campaign.is_open:
        raise ValidationError(_("Les relances ne partent que pendant que la campagne est ouverte."))
    now = timezone.now()
    pending = pending_invitations(campaign).select_related(None)
    due = Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=now - REMINDER_INTERVAL)
    with transaction.atomic():
        waiting = pending.count()
        Invitation.objects.filter(due, pk__in=pending.values("pk")).update(
            last_reminded_at=now, reminder_count=F("reminder_count") + 1
        )
        claimed = list(pending.filter(last_reminded_at=now).values_list("pk", flat=True))
        audit.record(
            actor=by,
            action=audit.Action.CAMPAIGN_REMINDED,
            obj=campaign,
            summary=gettext_noop("Relances envoyées : %(count)s."),
            params={"count": len(claimed)},
        )
        _queue_links(claimed, reminder=True)
    return ReminderResult(sent=len(claimed), skipped=max(waiting - len(claimed), 0))


def _queue_links(invitation_ids: list[int], *, reminder: bool) -> None:
    """One personal message each, written to the outbox in the current transaction; an invitation
    counts as sent only once the worker has sent its message (``record_link_sent``)."""
    if not invitation_ids:
        return
    invitations = list(Invitation.objects.filter(pk__in=invitation_ids).select_related("campaign", "user"))
    template = "surveys/email/reminder.txt" if reminder else "surveys/email/invitation.txt"
    kind = OutgoingEmail.Kind.SURVEY_REMINDER if reminder else OutgoingEmail.Kind.SURVEY_INVITATION
    with translation.override(settings.LANGUAGE_CODE):
        messages = [
            OutgoingEmail(
                to=i.email,
                user=i.user,
                organisation_id=i.campaign.organisation_id,  # its DGS sees it if it fails, even sent by beat
                kind=kind,
                subject=(_("Rappel : %(title)s") if reminder else _("Enquête : %(title)s"))
                % {"title": i.campaign.title},
                body=render_to_string(
                    template, {"invitation": i, "campaign": i.campaign, "portal_url": settings.PORTAL_URL}
                ),
            )
            for i in invitations
        ]
    queued = outbox.emails_queue(messages)
    if not reminder:  # a reminder's date was set when it was claimed
        for invitation, email in zip(invitations, queued, strict=True):
            invitation.link_email = email
        Invitation.objects.bulk_update(invitations, ["link_email"])


def record_link_sent(*, email: OutgoingEmail, **kwargs: object) -> None:
    """Receiver of ``email_sent``: the invitation whose link this message carried is now sent."""
    if email.kind == OutgoingEmail.Kind.SURVEY_INVITATION:
        Invitation.objects.filter(link_email_id=email.pk, sent_at__isnull=True).update(sent_at=email.sent_at)


# Answers -----------------------------------------------------------------------------------


def _answer_rows(response: Response, question: Question, value: Value) -> list[Answer]:
    if value.choices:
        return [Answer(response=response, question=question, choice=choice) for choice in value.choices]
    return [Answer(response=response, question=question, number=value.number, text=value.text)]


def _drop_inapplicable(response: Response, structure: Structure, given: dict[str, set[str]]) -> None:
    """Answers to questions whose condition no longer holds (an earlier answer changed) are removed."""
    hidden = [q.pk for q in structure.questions.values() if q.condition_question_id and not is_visible(q, given)]
    if hidden:
        Answer.objects.filter(response=response, question_id__in=hidden).delete()


@transaction.atomic
def response_save_section(
    *, invitation: Invitation, structure: Structure, section: Section, step: int, values: dict[str, Value | None]
) -> Response:
    """Replaces the answers of one page; the response is created at its first saved page.

    Answers to questions that do not apply (their condition is not met) are not kept. The results'
    counts follow in the same transaction (a partial response counts as soon as a page is saved).
    """
    response, created = Response.objects.select_for_update().get_or_create(
        invitation=invitation, defaults={"campaign_id": invitation.campaign_id}
    )
    if response.is_submitted:
        raise AlreadySubmittedError(response.submitted_at)
    before = Counter() if created else response_contribution(response)
    codes = {q.code for q in section.question_list}
    given = {code: value for code, value in saved_answers(response).items() if code not in codes}
    given.update({code: value.as_given() for code, value in values.items() if value is not None})
    Answer.objects.filter(response=response, question__in=section.question_list).delete()
    rows = []
    for question in section.question_list:
        value = values.get(question.code)
        if value is not None and is_visible(question, given):
            rows.extend(_answer_rows(response, question, value))
    Answer.objects.bulk_create(rows)
    _drop_inapplicable(response, structure, given)
    response.last_step = max(response.last_step, step)
    response.save(update_fields=["last_step", "updated_at"])
    tally_move(campaign_id=response.campaign_id, before=before, after=response_contribution(response))
    return response


def response_submit(*, invitation: Invitation, structure: Structure) -> Response:
    """Submits a response once, when every required question that applies has an answer."""
    with transaction.atomic():
        response = Response.objects.select_for_update().filter(invitation=invitation).first()
        if response is not None and response.is_submitted:
            raise AlreadySubmittedError(response.submitted_at)
        missing = missing_required(structure.questions.values(), saved_answers(response))
        if missing or response is None:
            raise MissingAnswersError(missing)
        now = timezone.now()
        # The conditional update makes a double click or a replayed form harmless.
        updated = Response.objects.filter(pk=response.pk, status=Response.Status.IN_PROGRESS).update(
            status=Response.Status.SUBMITTED, submitted_at=now
        )
        if not updated:
            raise AlreadySubmittedError(now)
        # The same answers, counted now among the complete responses.
        given = response_given(response)
        tally_move(
            campaign_id=response.campaign_id,
            before=contribution(submitted=False, answers=given),
            after=contribution(submitted=True, answers=given),
        )
    response.refresh_from_db()
    return response


@transaction.atomic
def respondent_erase(*, invitation: Invitation, by: User | None = None) -> None:
    """A respondent's request: their answers and their invitation (name, e-mail, link) are deleted, and the
    results' counts no longer hold them.

    The journal keeps that a respondent of the campaign was erased, by whom and when, and nothing of what
    was erased: neither the address nor the name nor any answer.
    """
    audit.record(
        actor=by,
        action=audit.Action.RESPONDENT_ERASED,
        object_type=Invitation._meta.label_lower,
        object_id=invitation.pk,
        label=gettext_noop("Répondant effacé"),
        parent=invitation.campaign,
        summary=gettext_noop("Réponses et invitation supprimées à la demande du répondant."),
    )
    response = Response.objects.select_for_update().filter(invitation=invitation).first()
    if response is not None:
        tally_move(campaign_id=response.campaign_id, before=response_contribution(response), after=Counter())
        response.delete()
    invitation.delete()


# Editions ----------------------------------------------------------------------------------


@transaction.atomic
def questionnaire_copy(*, source: Questionnaire, edition: str, year: int, title: str = "") -> Questionnaire:
    """A new edition of the same series: same sections, questions, codes, conditions and references,
    so that results of the same question codes compare across editions."""
    if Questionnaire.objects.filter(series=source.series, edition=edition).exists():
        raise ValidationError(_("L'édition « %(edition)s » de ce questionnaire existe déjà.") % {"edition": edition})
    copy = Questionnaire.objects.create(
        series=source.series,
        title=title or source.title,
        edition=edition,
        year=year,
        description=source.description,
        source=source.source,
        reference_respondents=source.reference_respondents,
        reference_complete_percent=source.reference_complete_percent,
        copied_from=source,
    )
    sections = _copy_all(source.sections.all(), questionnaire=copy)
    questions = _copy_questions(source, copy, sections)
    choices: dict[int, Choice] = {}
    for choice in Choice.objects.filter(question__in=list(questions)):
        choices.update(_copy_all([choice], question=questions[choice.question_id]))
    for ref in ReferenceValue.objects.filter(Q(section__in=list(sections)) | Q(question__in=list(questions))):
        _copy_all(
            [ref],
            section=sections.get(ref.section_id) if ref.section_id is not None else None,
            question=questions.get(ref.question_id) if ref.question_id is not None else None,
            choice=choices.get(ref.choice_id) if ref.choice_id is not None else None,
        )
    return copy


def _copy_questions(source: Questionnaire, copy: Questionnaire, sections: dict[int, Section]) -> dict[int, Question]:
    """The questions copied into their copied sections, conditions pointing at the copied questions."""
    questions: dict[int, Question] = {}
    conditions: dict[int, int] = {}
    for question in source.questions.order_by("section__order", "order"):
        old_pk, condition = question.pk, question.condition_question_id
        questions.update(
            _copy_all([question], questionnaire=copy, section=sections[question.section_id], condition_question=None)
        )
        if condition:
            conditions[old_pk] = condition
    for old_pk, condition in conditions.items():
        questions[old_pk].condition_question = questions[condition]
        questions[old_pk].save(update_fields=["condition_question"])
    return questions


def _copy_all(instances: Iterable[_M], **changes: object) -> dict[int, _M]:
    """Saved copies of rows with some fields changed, by the primary key of the original."""
    copies = {}
    for instance in instances:
        old_pk = instance.pk
        instance.pk = None
        instance._state.adding = True
        for name, value in changes.items():
            setattr(instance, name, value)
        instance.save()
        copies[old_pk] = instance
    return copies


# National editions -------------------------------------------------------------------------


@transaction.atomic
def edition_create(
    *, network: Network, questionnaire: Questionnaire, title: str, slug: str, created_by: User
) -> NationalEdition:
    """A network's edition in preparation: its members get their campaigns when it opens."""
    edition = NationalEdition(
        network=network, questionnaire=questionnaire, title=title, slug=slug, created_by=created_by
    )
    edition.full_clean()
    edition.save()
    return edition


def _member_slug(edition: NationalEdition, taken: set[str]) -> str:
    """The edition's address, or the first free variant of it in the member's campaigns."""
    slug, number = edition.slug, 1
    while slug in taken:
        number += 1
        slug = f"{edition.slug[:55]}-{number}"
    return slug


def _member_campaigns(edition: NationalEdition, organisations: list[Organisation]) -> list[Campaign]:
    """The edition's campaign of each of ``organisations`` that has none yet, open, with a journal entry in
    the member's own journal (the network opened it). Bulk writes: thousands of members in a few queries."""
    with unscoped():
        have = set(Campaign.objects.filter(edition=edition).values_list("organisation_id", flat=True))
        wanted = [o for o in organisations if o.pk not in have]
        if not wanted:
            return []
        taken: dict[int, set[str]] = {}
        for organisation_id, slug in Campaign.objects.filter(
            organisation__in=wanted, slug__startswith=edition.slug
        ).values_list("organisation_id", "slug"):
            taken.setdefault(organisation_id, set()).add(slug)
        now = timezone.now()
        campaigns = Campaign.objects.bulk_create(
            Campaign(
                questionnaire_id=edition.questionnaire_id,
                organisation_id=organisation.pk,
                edition=edition,
                title=edition.title,
                slug=_member_slug(edition, taken.get(organisation.pk, set())),
                introduction=_("Campagne de l'édition nationale « %(title)s » du réseau %(network)s.")
                % {"title": edition.title, "network": edition.network},
                status=Campaign.Status.OPEN if edition.is_open else Campaign.Status.DRAFT,
                opened_at=now if edition.is_open else None,
                created_by_id=edition.created_by_id,
            )
            for organisation in wanted
        )
        AuditEntry.objects.bulk_create(
            AuditEntry(
                organisation_id=campaign.organisation_id,
                at=now,
                actor_id=edition.created_by_id,
                actor_label=str(edition.created_by)[:200],
                action=audit.Action.CAMPAIGN_CREATED,
                object_type=Campaign._meta.label_lower,
                object_id=str(campaign.pk),
                object_label=campaign.title[:255],
                summary=gettext_noop("Campagne de l'édition nationale du réseau."),
            )
            for campaign in campaigns
        )
    return campaigns


@transaction.atomic
def edition_open(*, edition: NationalEdition) -> int:
    """Opens the edition: each member gets its open campaign (the ones it had are opened); returns how
    many campaigns were created. Each member's DGS then invites its respondents as in any campaign."""
    NationalEdition.objects.select_for_update().filter(pk=edition.pk).values_list("pk").first()  # one opening at once
    edition.status, edition.opened_at = NationalEdition.Status.OPEN, edition.opened_at or timezone.now()
    edition.closed_at = None
    edition.save(update_fields=["status", "opened_at", "closed_at"])
    with unscoped():
        Campaign.objects.filter(edition=edition).exclude(status=Campaign.Status.OPEN).update(
            status=Campaign.Status.OPEN, opened_at=edition.opened_at, closed_at=None
        )
    return len(_member_campaigns(edition, list(edition.network.members.all())))


@transaction.atomic
def edition_close(*, edition: NationalEdition) -> None:
    """Closes the edition and every member's campaign of it: the personal links stop working, counts stay."""
    now = timezone.now()
    edition.status, edition.closed_at = NationalEdition.Status.CLOSED, now
    edition.save(update_fields=["status", "closed_at"])
    with unscoped():
        Campaign.objects.filter(edition=edition).update(status=Campaign.Status.CLOSED, closed_at=now)


@transaction.atomic
def edition_add_member(*, organisation: Organisation) -> list[Campaign]:
    """A collectivité that joins a network gets its campaign of each of the network's open editions."""
    if organisation.network_id is None:
        return []
    created = []
    editions = NationalEdition.objects.filter(network_id=organisation.network_id, status=NationalEdition.Status.OPEN)
    for edition in editions:
        created += _member_campaigns(edition, [organisation])
    return created
