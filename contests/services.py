"""Writes of the contests: states, ideas, supports, comments, moderation, scores, outcomes, projects."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from accounts.models import NotificationKind, User
from accounts.roles import Role
from accounts.services import notify
from audit import services as audit
from contests import selectors
from contests.models import Comment, Contest, Criterion, Idea, Score, Support
from portfolio.models import InnovationObject, Project
from portfolio.services import project_create

State = Contest.State
NEXT_STATE: dict[str, str] = {State.DRAFT: State.OPEN, State.OPEN: State.EVALUATION, State.EVALUATION: State.PUBLISHED}


def _notify_authors(idea: Idea, message: str, kind: str = NotificationKind.IDEA_STATUS) -> None:
    notify(
        users=[idea.author, *idea.co_authors.all()],
        kind=kind,
        subject=_("Votre idée « %(title)s »") % {"title": idea.title},
        message=message,
        url=idea.get_absolute_url(),
    )


def _outcome_text(idea: Idea) -> str:
    text = _("Votre idée « %(title)s » est maintenant : %(status)s.") % {
        "title": idea.title,
        "status": idea.get_status_display().lower(),
    }
    return f"{text} {idea.outcome_message}".strip()


def _audience(contest: Contest) -> QuerySet[User]:
    """The agents the contest is open to: all of them, or those of its directions."""
    agents = User.objects.filter(is_active=True, groups__name=Role.AGENT)
    directions = list(contest.eligible_directions.all())
    return agents.filter(direction__in=directions) if directions else agents


def _notify_state(contest: Contest) -> None:
    """Who hears of the contest's new state: its audience when it opens, authors and jury at the
    close, authors of each decided idea when the results are published (not before)."""
    if contest.state == State.OPEN:
        notify(
            users=_audience(contest),
            kind=NotificationKind.CONTEST,
            subject=_("Nouveau concours d'innovation : %(title)s") % {"title": contest.title},
            message=_("Le concours « %(title)s » est ouvert : proposez vos idées jusqu'au %(date)s.")
            % {"title": contest.title, "date": date_format(contest.closes_on, "SHORT_DATE_FORMAT")},
            url=contest.get_absolute_url(),
        )
    elif contest.state == State.EVALUATION:
        notify(
            users=contest.jury.all(),
            kind=NotificationKind.JURY,
            subject=_("Jury du concours « %(title)s » : l'évaluation commence") % {"title": contest.title},
            message=_("Le concours « %(title)s » est clos : vous pouvez noter les idées en tant que membre du jury.")
            % {"title": contest.title},
            url=contest.get_absolute_url(),
        )
    elif contest.state == State.PUBLISHED:
        decided = contest.ideas.filter(status__in=OUTCOMES, hidden_reason="").prefetch_related("co_authors")
        for idea in decided.select_related("author"):
            _notify_authors(idea, _outcome_text(idea))


# Addresses of the contests' own pages (contests/urls.py): no contest may take them.
RESERVED_SLUGS = {"nouveau", "mes-idees"}
CONTEST_FIELDS = ["title", "slug", "theme", "description", "rules", "opens_on", "closes_on", "blind_evaluation"]
CRITERION_FIELDS = ["name", "description", "weight", "scale_max"]
MAX_CRITERIA = 12


def contest_check_editable(contest: Contest) -> None:
    """A contest and its grid change until the evaluation starts: the jury scores on a grid that no longer moves."""
    if contest.state in {State.EVALUATION, State.PUBLISHED}:
        raise ValidationError(_("Le jury a commencé à noter : le concours et sa grille ne se modifient plus."))


def _check_slug(contest: Contest) -> None:
    """An address typed by hand must be free; an empty one is made from the title."""
    if not contest.slug:
        contest.slug = selectors.free_slug(contest.title, exclude_pk=contest.pk, reserved=sorted(RESERVED_SLUGS))
    elif contest.slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("Cette adresse est réservée par le portail : choisissez-en une autre.")})
    elif Contest.objects.exclude(pk=contest.pk).filter(slug=contest.slug).exists():
        raise ValidationError({"slug": _("Un autre concours utilise déjà cette adresse.")})


def _save_grid(contest: Contest, criteria: list[dict[str, Any]]) -> None:
    """The grid becomes ``criteria``, in that order: a criterion with an ``id`` is updated, one without is added,
    the contest's other criteria are deleted."""
    if not criteria:
        raise ValidationError(_("La grille d'évaluation doit compter au moins un critère."))
    if len(criteria) > MAX_CRITERIA:
        raise ValidationError(
            _("La grille compte au plus %(max)s critères : retirez-en un avant d'en ajouter.") % {"max": MAX_CRITERIA}
        )
    existing = {criterion.pk: criterion for criterion in contest.criteria.all()}
    kept = {values.get("id") for values in criteria} - {None}
    if kept - set(existing):
        raise ValidationError(_("Ce critère n'appartient pas à ce concours."))
    contest.criteria.exclude(pk__in=kept).delete()
    for order, values in enumerate(criteria, start=1):
        known = existing.get(values["id"]) if values.get("id") is not None else None
        criterion = known or Criterion(contest=contest)
        for name in CRITERION_FIELDS:
            if name in values:
                setattr(criterion, name, values[name])
        criterion.order = order
        criterion.full_clean(exclude=["contest"])
        criterion.save()


@transaction.atomic
def contest_save(
    *, by: User, data: dict[str, Any], criteria: list[dict[str, Any]], contest: Contest | None = None
) -> Contest:
    """Creates a contest, or updates one whose evaluation has not started, with its whole grid of criteria.

    ``data`` holds the contest's fields (an empty ``slug`` is made from the title, a taken one refused), its
    ``jury`` and ``eligible_directions``; ``criteria`` the grid in order, as dicts of the criterion's fields
    (``id`` for a criterion kept).
    """
    if not selectors.can_manage(by):
        raise PermissionDenied
    if contest is None or contest.pk is None:
        contest = Contest(created_by=by)
    else:
        contest = Contest.objects.select_for_update().get(pk=contest.pk)
        contest_check_editable(contest)
    for name in CONTEST_FIELDS:
        if name in data:
            setattr(contest, name, data[name])
    contest.slug = (contest.slug or "").strip()
    _check_slug(contest)
    contest.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            contest.save()
    except IntegrityError:  # the same address taken by a contest saved at the same moment
        raise ValidationError({"slug": _("Un autre concours utilise déjà cette adresse.")}) from None
    if "jury" in data:
        contest.jury.set(data["jury"])
    if "eligible_directions" in data:
        contest.eligible_directions.set(data["eligible_directions"])
    _save_grid(contest, criteria)
    return contest


@transaction.atomic
def contest_advance(*, contest: Contest, by: User, confirmed: bool = False) -> Contest:
    """Moves the contest to its next state, recording when; at the close, submitted ideas go under review.

    Closing before the announced date needs ``confirmed``; results are published only once every
    idea has a decision.
    """
    if not selectors.can_manage(by):
        raise PermissionDenied
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if contest.state not in NEXT_STATE:
        raise ValidationError(_("Les résultats de ce concours sont déjà publiés."))
    if contest.state == State.DRAFT and not contest.criteria.exists():
        raise ValidationError(_("Ajoutez au moins un critère à la grille d'évaluation avant d'ouvrir le concours."))
    if contest.state == State.OPEN and not contest.jury.exists():
        raise ValidationError(_("Désignez le jury avant de passer à l'évaluation."))
    if contest.state == State.OPEN and timezone.localdate() < contest.closes_on and not confirmed:
        raise ValidationError(
            _("Le concours est annoncé ouvert jusqu'au %(date)s : cochez la confirmation pour le clore plus tôt.")
            % {"date": date_format(contest.closes_on, "SHORT_DATE_FORMAT")}
        )
    undecided = contest.ideas.filter(status__in=[Idea.Status.SUBMITTED, Idea.Status.UNDER_REVIEW], hidden_reason="")
    if contest.state == State.EVALUATION and undecided.exists():
        raise ValidationError(
            _("%(count)s idée(s) attendent encore une décision : décidez-en avant de publier les résultats.")
            % {"count": undecided.count()}
        )
    contest.state = NEXT_STATE[contest.state]
    started_at = Contest.STARTED_AT[contest.state]
    setattr(contest, started_at, timezone.now())
    contest.save(update_fields=["state", started_at])
    audit.record(
        actor=by,
        action=audit.Action.CONTEST_ADVANCED,
        obj=contest,
        summary=gettext_noop("Nouvel état : %(state)s."),
        params={"state": contest.get_state_display()},
    )
    if contest.state == State.EVALUATION:
        for idea in contest.ideas.filter(status=Idea.Status.SUBMITTED):
            idea.status = Idea.Status.UNDER_REVIEW
            idea.save(update_fields=["status", "updated_at"])
            _notify_authors(
                idea,
                _("Le concours est clos : votre idée « %(title)s » est en cours d'examen par le jury.")
                % {"title": idea.title},
            )
    _notify_state(contest)
    return contest


def contest_remind_jury(*, contest: Contest, by: User) -> int:
    """Reminds each juror who has ideas left to score, with their own count; returns how many were reminded."""
    if not selectors.can_manage(by):
        raise PermissionDenied
    if contest.state != State.EVALUATION:
        raise ValidationError(_("Le jury ne se relance que pendant l'évaluation."))
    late = [(juror, total - done) for juror, done, total in selectors.jury_progress(contest) if done < total]
    with transaction.atomic():
        for juror, left in late:
            notify(
                users=[juror],
                kind=NotificationKind.JURY,
                subject=_("Rappel : évaluation du concours « %(title)s »") % {"title": contest.title},
                message=ngettext(
                    "Rappel : il vous reste %(count)s idée à évaluer au concours « %(title)s ».",
                    "Rappel : il vous reste %(count)s idées à évaluer au concours « %(title)s ».",
                    left,
                )
                % {"count": left, "title": contest.title},
                url=contest.get_absolute_url(),
            )
    return len(late)


def _check_can_propose(contest: Contest, user: User) -> None:
    if not contest.accepts_ideas():
        raise ValidationError(
            _("Le concours n'accepte plus d'idées : il a fermé le %(date)s.")
            % {"date": date_format(contest.closes_on, "SHORT_DATE_FORMAT")}
            if contest.state == State.OPEN and timezone.localdate() > contest.closes_on
            else _("Le concours n'accepte pas d'idées en ce moment.")
        )
    if not selectors.is_eligible(user, contest):
        raise ValidationError(_("Ce concours est réservé aux agents de certaines directions."))


def _check_rate(user: User) -> None:
    """Refuses a new idea past the hourly limit. Called in the transaction that creates the idea: the author's row
    is locked first, so simultaneous submissions of one person are counted one after the other."""
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).get()
    since = timezone.now() - datetime.timedelta(hours=1)
    if Idea.objects.filter(author=user, created_at__gte=since).count() >= settings.IDEAS_PER_HOUR:
        raise ValidationError(
            _(
                "Vous avez déjà proposé %(count)s idées dans l'heure : réessayez un peu plus tard. "
                "Votre texte n'a pas été enregistré, copiez-le si besoin."
            )
            % {"count": settings.IDEAS_PER_HOUR}
        )


IDEA_FIELDS = [
    "title",
    "problem",
    "proposal",
    "benefits_users",
    "benefits_organisation",
    "effort",
    "estimated_cost",
    "direction",
]


@transaction.atomic
def idea_save(
    *,
    contest: Contest,
    author: User,
    data: Mapping[str, object],
    co_authors: Iterable[User] = (),
    submit: bool,
    idea: Idea | None = None,
    attachment: UploadedFile | None = None,
    attachment_type: str = "",
) -> Idea:
    """Creates or updates an idea, as a draft or submitted; the authors are told when it is submitted."""
    _check_can_propose(contest, author)
    if idea is None:
        _check_rate(author)
        idea = Idea(contest=contest, author=author)
    for name in IDEA_FIELDS:
        setattr(idea, name, data.get(name, getattr(idea, name)))
    if attachment:
        idea.attachment, idea.attachment_name, idea.attachment_type = (
            attachment,
            cast(str, attachment.name)[:255],  # an uploaded file has a name
            attachment_type,
        )
    was_draft = idea.status == Idea.Status.DRAFT
    if submit and was_draft:
        idea.status, idea.submitted_at = Idea.Status.SUBMITTED, timezone.now()
    idea.full_clean(exclude=["attachment"])
    idea.save()
    idea.co_authors.set([user for user in co_authors if user.pk != author.pk])
    if submit and was_draft:
        _notify_authors(
            idea,
            _(
                "Votre idée « %(title)s » est déposée au concours « %(contest)s ». Vous pouvez "
                "la modifier jusqu'au %(date)s."
            )
            % {
                "title": idea.title,
                "contest": contest.title,
                "date": date_format(contest.closes_on, "SHORT_DATE_FORMAT"),
            },
        )
    return idea


def _check_not_merged(idea: Idea) -> None:
    if idea.status == Idea.Status.MERGED:
        raise ValidationError(
            _("Cette idée a été fusionnée dans « %(title)s » : soutenez ou commentez celle-ci.")
            % {"title": cast(Idea, idea.merged_into).title}  # a merged idea has its target
        )


def idea_support(*, idea: Idea, user: User) -> Support:
    _check_not_merged(idea)
    if not idea.contest.accepts_ideas():
        raise ValidationError(_("Les soutiens sont fermés : le concours n'accepte plus d'idées."))
    if not selectors.is_eligible(user, idea.contest):
        raise ValidationError(_("Ce concours est réservé aux agents de certaines directions."))
    if user.pk in idea.author_ids():
        raise ValidationError(_("Vous ne pouvez pas soutenir votre propre idée."))
    try:
        with transaction.atomic():
            support = Support.objects.create(idea=idea, user=user)
            _notify_authors(
                idea,
                _("Votre idée « %(title)s » a reçu un nouveau soutien.") % {"title": idea.title},
                NotificationKind.IDEA_ACTIVITY,
            )
            return support
    except IntegrityError:
        raise ValidationError(_("Vous soutenez déjà cette idée : un seul soutien par personne.")) from None


@transaction.atomic
def comment_add(*, idea: Idea, author: User, text: str) -> Comment:
    _check_not_merged(idea)
    User.objects.select_for_update().filter(pk=author.pk).values_list("pk", flat=True).get()  # counted one by one
    since = timezone.now() - datetime.timedelta(minutes=10)
    if Comment.objects.filter(author=author, created_at__gte=since).count() >= settings.COMMENTS_PER_10_MINUTES:
        raise ValidationError(_("Trop de commentaires en peu de temps : patientez quelques minutes."))
    comment = Comment(idea=idea, author=author, text=text.strip())
    comment.full_clean()
    with transaction.atomic():
        comment.save()
        others = [user for user in [idea.author, *idea.co_authors.all()] if user.pk != author.pk]
        notify(
            users=others,
            kind=NotificationKind.IDEA_ACTIVITY,
            subject=_("Votre idée « %(title)s »") % {"title": idea.title},
            message=_("Nouveau commentaire sur votre idée « %(title)s ».") % {"title": idea.title},
            url=idea.get_absolute_url(),
        )
    return comment


def _moderation_reason(by: User, reason: str) -> str:
    """The reason of a hiding, checked: only moderators hide, and always with a reason the author will read."""
    if not by.has_perm("contests.moderate_contest"):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Indiquez le motif du masquage : il est communiqué à l'auteur."))
    return reason.strip()


@transaction.atomic
def idea_hide(*, idea: Idea, by: User, reason: str) -> None:
    idea.hidden_reason = _moderation_reason(by, reason)
    idea.save(update_fields=["hidden_reason", "updated_at"])
    audit.record(
        actor=by,
        action=audit.Action.IDEA_HIDDEN,
        obj=idea,
        parent=idea.contest,
        summary=gettext_noop("Motif : %(reason)s"),
        params={"reason": idea.hidden_reason},
    )
    _notify_authors(
        idea,
        _("Votre idée « %(title)s » a été masquée par la direction générale. Motif : %(reason)s")
        % {"title": idea.title, "reason": idea.hidden_reason},
        NotificationKind.MODERATION,
    )


@transaction.atomic
def comment_hide(*, comment: Comment, by: User, reason: str) -> None:
    comment.hidden_reason = _moderation_reason(by, reason)
    comment.save(update_fields=["hidden_reason"])
    audit.record(
        actor=by,
        action=audit.Action.COMMENT_HIDDEN,
        obj=comment,
        parent=comment.idea,
        summary=gettext_noop("Commentaire sur l'idée « %(idea)s ». Motif : %(reason)s"),
        params={"idea": comment.idea.title, "reason": comment.hidden_reason},
    )
    notify(
        users=[comment.author],
        kind=NotificationKind.MODERATION,
        subject=_("Votre commentaire a été masqué"),
        message=_("Votre commentaire sur l'idée « %(title)s » a été masqué. Motif : %(reason)s")
        % {"title": comment.idea.title, "reason": comment.hidden_reason},
        url=comment.idea.get_absolute_url(),
    )


@transaction.atomic
def scores_save(*, idea: Idea, juror: User, scores: dict[Criterion, tuple[int, str]]) -> None:
    """A juror's scores on an idea, one per criterion, each within the criterion's scale."""
    contest = idea.contest
    if not selectors.is_juror(juror, contest) or juror.pk in idea.author_ids():
        raise PermissionDenied
    if contest.state != State.EVALUATION:
        raise ValidationError(_("Les notes ne peuvent être saisies que pendant l'évaluation."))
    for criterion, (value, comment) in scores.items():
        if criterion.contest_id != contest.pk:
            raise ValidationError(_("Ce critère n'appartient pas à ce concours."))
        if not 1 <= value <= criterion.scale_max:
            raise ValidationError(
                _("La note de « %(criterion)s » doit être comprise entre 1 et %(max)s.")
                % {"criterion": criterion.name, "max": criterion.scale_max}
            )
        Score.objects.update_or_create(
            idea=idea, juror=juror, criterion=criterion, defaults={"value": value, "comment": comment}
        )
    audit.record(
        actor=juror,
        action=audit.Action.SCORES_SUBMITTED,
        obj=idea,
        parent=contest,
        changes=[{"field": criterion.name, "new": str(value)} for criterion, (value, _comment) in scores.items()],
    )


OUTCOMES_ORDER = (Idea.Status.SHORTLISTED, Idea.Status.SELECTED, Idea.Status.NOT_RETAINED)
OUTCOMES = set(OUTCOMES_ORDER)


@transaction.atomic
def idea_set_outcome(*, idea: Idea, by: User, status: str, message: str = "") -> Idea:
    """Decides an idea (shortlisted, selected, not retained), recording when.

    Its authors learn the outcome when the results are published (``contest_advance``), or at
    once for a decision changed after the publication.
    """
    if not selectors.can_manage(by):
        raise PermissionDenied
    idea = Idea.objects.select_for_update().get(pk=idea.pk)  # no join: a locked row re-read must still match
    if idea.project_id:
        raise ValidationError(_("Cette idée est déjà devenue un projet : sa décision ne change plus."))
    if idea.hidden_reason:
        raise ValidationError(_("Cette idée est masquée : elle ne reçoit pas de décision."))
    if idea.status == Idea.Status.MERGED:
        raise ValidationError(_("Cette idée est fusionnée dans une autre : c'est l'autre qui reçoit la décision."))
    if idea.contest.state not in {State.EVALUATION, State.PUBLISHED}:
        raise ValidationError(_("Le sort des idées se décide après la clôture du concours."))
    if status not in OUTCOMES:
        raise ValidationError(_("Choisissez : présélectionnée, retenue ou non retenue."))
    if status != idea.status or idea.decided_at is None:  # a new message alone does not re-date the decision
        idea.decided_at = timezone.now()
    before = audit.values(idea, ["status"])
    idea.status, idea.outcome_message = status, message.strip()
    idea.save(update_fields=["status", "decided_at", "outcome_message", "updated_at"])
    audit.record(
        actor=by,
        action=audit.Action.IDEA_DECIDED,
        obj=idea,
        parent=idea.contest,
        changes=[{"field": "status", "old": before["status"], "new": idea.get_status_display()}],
    )
    if idea.contest.state == State.PUBLISHED:
        _notify_authors(idea, _outcome_text(idea))
    return idea


@transaction.atomic
def idea_to_project(*, idea: Idea, by: User, lead: User, nature: str, objects: Iterable[InnovationObject]) -> Project:
    """A selected idea becomes a project in phase Émergence, origin "contest", its authors in the team."""
    if not selectors.can_manage(by):
        raise PermissionDenied
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.status != Idea.Status.SELECTED:
        raise ValidationError(_("Seule une idée retenue devient un projet."))
    if idea.project_id:
        raise ValidationError(_("Cette idée est déjà devenue un projet."))
    authors = [idea.author, *idea.co_authors.all()]
    directions = [idea.direction] if idea.direction else [d for d in {lead.direction} if d]
    project = project_create(
        created_by=by,
        data={
            "title": idea.title[:200],
            "summary": idea.proposal[:400],
            "nature": nature,
            "origin": Project.Origin.CONTEST,
            "description": "\n\n".join(filter(None, [idea.problem, idea.proposal])),
            "expected_value": "\n\n".join(filter(None, [idea.benefits_users, idea.benefits_organisation])),
            "estimated_cost": idea.estimated_cost,
            "lead": lead,
            "team": authors,
            "directions": directions,
            "objects_of_innovation": list(objects),
        },
    )
    idea.project = project
    idea.save(update_fields=["project", "updated_at"])
    audit.record(
        actor=by,
        action=audit.Action.IDEA_CONVERTED,
        obj=idea,
        parent=idea.contest,
        summary=gettext_noop("Devenue le projet « %(project)s » (n° %(id)s)."),
        params={"project": project.title, "id": project.pk},
    )
    _notify_authors(idea, _("Votre idée « %(title)s » devient un projet de la collectivité.") % {"title": idea.title})
    return project


MERGE_STATES = {State.OPEN, State.EVALUATION}


@dataclass
class Merge:
    duplicate: Idea
    target: Idea
    supports_moved: int
    comments_moved: int


def _check_merge(duplicate: Idea, target: Idea) -> None:
    if duplicate.pk == target.pk:
        raise ValidationError(_("Une idée ne peut pas être fusionnée avec elle-même."))
    if duplicate.contest_id != target.contest_id:
        raise ValidationError(_("Seules deux idées du même concours se fusionnent."))
    if duplicate.contest.state not in MERGE_STATES:
        raise ValidationError(
            _("Les idées se fusionnent pendant le concours ou son évaluation, pas une fois les résultats publiés.")
        )
    if duplicate.status == Idea.Status.MERGED:
        raise ValidationError(
            _("Cette idée est déjà fusionnée dans « %(title)s ».")
            % {"title": cast(Idea, duplicate.merged_into).title}  # a merged idea has its target
        )
    if target.status == Idea.Status.MERGED:
        raise ValidationError(
            _("L'idée choisie est elle-même fusionnée dans « %(title)s » : choisissez celle-ci.")
            % {"title": cast(Idea, target.merged_into).title}  # a merged idea has its target
        )
    if Idea.Status.DRAFT in {duplicate.status, target.status}:
        raise ValidationError(_("Un brouillon ne se fusionne pas : seules les idées déposées se fusionnent."))
    if target.hidden_reason:
        raise ValidationError(_("L'idée choisie est masquée : elle ne peut pas recevoir une autre idée."))
    if duplicate.project_id or duplicate.status == Idea.Status.SELECTED:
        raise ValidationError(_("Cette idée est retenue : elle ne se fusionne plus dans une autre."))


@transaction.atomic
def idea_merge(*, duplicate: Idea, target: Idea, by: User) -> Merge:
    """Merges a duplicate into another idea of the same contest: its supports go to the other idea (a person who
    supported both, or who wrote the other, counts once), its comments too; the duplicate stays, marked merged and
    pointing to the other idea, out of the lists. The authors of both ideas are told."""
    if not selectors.can_manage(by):
        raise PermissionDenied
    locked = Idea.objects.select_for_update(of=("self",)).filter(pk__in=[duplicate.pk, target.pk]).order_by("pk")
    rows = {idea.pk: idea for idea in locked.select_related("contest", "merged_into")}
    duplicate, target = rows[duplicate.pk], rows[target.pk]
    _check_merge(duplicate, target)
    counted = {*Support.objects.filter(idea=target).values_list("user_id", flat=True), *target.author_ids()}
    try:
        with transaction.atomic():
            supports = Support.objects.filter(idea=duplicate).exclude(user__in=counted).update(idea=target)
    except IntegrityError:  # someone supported the target in the meantime: nothing is merged, the DGS retries
        raise ValidationError(_("Un soutien vient d'être ajouté à l'une des idées : relancez la fusion.")) from None
    comments = Comment.objects.filter(idea=duplicate).update(idea=target)
    Idea.objects.filter(merged_into=duplicate).update(merged_into=target)  # earlier merges follow
    duplicate.status, duplicate.merged_into, duplicate.merged_at = Idea.Status.MERGED, target, timezone.now()
    duplicate.save(update_fields=["status", "merged_into", "merged_at", "updated_at"])
    audit.record(
        actor=by,
        action=audit.Action.IDEA_MERGED,
        obj=duplicate,
        parent=duplicate.contest,
        summary=gettext_noop(
            "Fusionnée dans « %(target)s » : %(supports)s soutien(s) et %(comments)s commentaire(s) reportés."
        ),
        params={"target": target.title, "supports": supports, "comments": comments},
    )
    notify(
        users=[duplicate.author, *duplicate.co_authors.all(), target.author, *target.co_authors.all()],
        kind=NotificationKind.IDEA_STATUS,
        subject=_("Idées fusionnées : « %(title)s »") % {"title": target.title},
        message=_(
            "La direction générale a fusionné l'idée « %(duplicate)s » dans l'idée « %(target)s », très proche : "
            "ses soutiens et ses commentaires y sont reportés."
        )
        % {"duplicate": duplicate.title, "target": target.title},
        url=target.get_absolute_url(),
    )
    return Merge(duplicate, target, supports, comments)
