"""Writes of the portfolio: creating and updating projects, gate decisions, indicators, documents."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from accounts.models import NotificationKind, User
from accounts.services import notify
from audit import services as audit
from portfolio.models import (
    AdoptionActor,
    Attachment,
    DecisionRequest,
    FactorScore,
    GateDecision,
    Indicator,
    Measurement,
    Phase,
    Project,
    StalledDigest,
    SuccessFactor,
)
from portfolio.selectors import can_decide_gate, can_edit_project, open_decision_request, stalled_by_lead

Decision = GateDecision.Decision


def _assign(project: Project, data: Mapping[str, object]) -> tuple[list[str], dict[str, object]]:
    """Sets the concrete fields of ``data`` on the project; returns their names and the many-to-many values."""
    many_to_many = {field.name for field in Project._meta.many_to_many}
    concrete: list[str] = []
    relations: dict[str, object] = {}
    for name, value in data.items():
        if name in many_to_many:
            relations[name] = value
        else:
            setattr(project, name, value)
            concrete.append(name)
    return concrete, relations


@transaction.atomic
def project_create(
    *,
    created_by: User,
    data: Mapping[str, object],
    phase: Phase | None = None,
    phase_since: datetime.date | None = None,
) -> Project:
    """A new project starts active in the first phase, with its creator recorded.

    An existing project is registered at its current ``phase``, entered on ``phase_since``: the passages before
    it are recorded as taken over from before the portal ("reprise de l'existant", ``prior_existing``), dated
    ``phase_since`` at the latest, shown as such and never counted as decisions taken here.
    """
    phases = list(Phase.objects.order_by("order"))
    phase = phase or phases[0]
    today = timezone.localdate()
    phase_since = phase_since or today
    if phase_since > today:
        raise ValidationError({"phase_since": _("La date d'entrée dans la phase ne peut pas être dans le futur.")})
    project = Project(created_by=created_by, phase=phase, phase_since=phase_since)
    _fields, relations = _assign(project, data)
    if project.start_date and phase_since < project.start_date:
        raise ValidationError(
            {"phase_since": _("La date d'entrée dans la phase ne peut pas précéder la date de début du projet.")}
        )
    project.full_clean(exclude=list(relations))
    project.save()
    for name, values in relations.items():
        getattr(project, name).set(values)
    if project.lead_id != created_by.pk and not created_by.has_perm("portfolio.change_project"):
        project.co_leads.add(created_by)  # whoever logs a project for someone else keeps the right to edit it
    earlier = [p for p in phases if p.order < phase.order]
    if earlier:
        _record_prior_passages(project, [*earlier, phase], created_by)
        audit.record(
            actor=created_by,
            action=audit.Action.PROJECT_CREATED,
            obj=project,
            summary=gettext_noop("Projet existant enregistré en phase « %(phase)s », depuis le %(date)s."),
            params={"phase": phase.label, "date": formats.date_format(phase_since, "SHORT_DATE_FORMAT")},
        )
    else:
        audit.record(actor=created_by, action=audit.Action.PROJECT_CREATED, obj=project)
    return project


def _record_prior_passages(project: Project, phases: list[Phase], created_by: User) -> None:
    """The passages of a project registered at the last of ``phases``, made before the portal knew it."""
    day = project.phase_since
    with translation.override(settings.LANGUAGE_CODE):  # a decision's rationale is kept in the portal's language
        known = _(
            "Passage antérieur à l'enregistrement du projet dans le portail : il est en phase « %(phase)s » "
            "depuis le %(date)s."
        )
        unknown = _(
            "Passage antérieur à l'enregistrement du projet dans le portail, au plus tard le %(date)s "
            "(date exacte non connue)."
        )
        date = formats.date_format(day, "SHORT_DATE_FORMAT")
        GateDecision.objects.bulk_create(
            GateDecision(
                project=project,
                decision=Decision.GO,
                from_phase=before,
                to_phase=after,
                decided_by=created_by,
                decided_on=day,
                rationale=(known if after == phases[-1] else unknown) % {"phase": after.label, "date": date},
                prior_existing=True,
            )
            for before, after in itertools.pairwise(phases)
        )


@transaction.atomic
def project_update(*, project: Project, data: Mapping[str, object], updated_by: User | None = None) -> Project:
    """Saves the fields of ``data``; the journal keeps which ones changed, from what to what.

    The values before are read from the database: a bound ModelForm has already set the new ones on ``project``.
    """
    before = audit.values(Project.objects.get(pk=project.pk), data)
    fields, relations = _assign(project, data)
    project.full_clean(exclude=list(relations))
    project.save(update_fields=[*fields, "updated_at"])
    for name, values in relations.items():
        getattr(project, name).set(values)
    if changes := audit.changed(before, audit.values(project, data)):
        audit.record(actor=updated_by, action=audit.Action.PROJECT_CHANGED, obj=project, changes=changes)
    return project


TRANSITIONS: dict[str, set[str]] = {
    Decision.GO: {Project.Status.ACTIVE},
    Decision.COMPLETE: {Project.Status.ACTIVE},
    Decision.HOLD: {Project.Status.ACTIVE},
    Decision.RESUME: {Project.Status.ON_HOLD},
    Decision.STOP: {Project.Status.ACTIVE, Project.Status.ON_HOLD},
}
NEW_STATUS: dict[str, str] = {
    Decision.COMPLETE: Project.Status.COMPLETED,
    Decision.HOLD: Project.Status.ON_HOLD,
    Decision.RESUME: Project.Status.ACTIVE,
    Decision.STOP: Project.Status.STOPPED,
}


def _quarter_start(day: datetime.date) -> datetime.date:
    return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)


def _check_decision(project: Project, decision: str, to_phase: Phase | None, decided_on: datetime.date) -> Phase:
    """The phase the project ends up in; a ValidationError in French when the decision is not possible."""
    if project.status not in TRANSITIONS[decision]:
        raise ValidationError(
            _("Décision impossible : le projet est « %(status)s ».") % {"status": project.get_status_display()}
        )
    if decided_on > timezone.localdate():
        raise ValidationError(_("La date de la décision ne peut pas être dans le futur."))
    last = project.gate_decisions.aggregate(last=Max("decided_on"))["last"]
    if last and decided_on < last:
        raise ValidationError(
            _("La date de la décision ne peut pas précéder la décision précédente (%(date)s).")
            % {"date": date_format(last, "SHORT_DATE_FORMAT")}
        )
    quarter_start = _quarter_start(timezone.localdate())
    if decided_on < quarter_start:
        raise ValidationError(
            _(
                "Une décision ne peut pas être datée d'un trimestre clos (avant le %(date)s) : les tableaux de bord "
                "et les rapports de ce trimestre ne doivent plus changer."
            )
            % {"date": date_format(quarter_start, "SHORT_DATE_FORMAT")}
        )
    next_phase = project.phase.next_phase()
    if decision == Decision.GO:
        if next_phase is None:
            raise ValidationError(_("Le projet est dans la dernière phase : choisissez la clôture."))
        if to_phase is not None and to_phase != next_phase:
            raise ValidationError(
                _("On ne saute pas de phase : après « %(current)s » vient « %(next)s ».")
                % {"current": project.phase.localized_label, "next": next_phase.localized_label}
            )
        return next_phase
    if decision == Decision.COMPLETE and next_phase is not None:
        raise ValidationError(
            _("Seul un projet en phase « %(last)s » peut être clos.")
            % {"last": last_phase.localized_label if (last_phase := Phase.objects.order_by("order").last()) else ""}
        )
    return project.phase


def _ends_adoption(decision: str, phase: Phase) -> bool:
    """Whether the decision is the "go" that takes a project out of the Adoption phase."""
    return decision == Decision.GO and phase.code == Phase.ADOPTION


def _check_adoption_actors(
    actors: Iterable[AdoptionActor] | None, decision: str, phase: Phase
) -> list[AdoptionActor] | None:
    """The actors to record with this decision (None: leave them as they are)."""
    if actors is None:
        return None
    if not _ends_adoption(decision, phase):
        raise ValidationError(_("Les acteurs de l'adoption se renseignent au passage qui fait sortir de l'Adoption."))
    actors = list(actors)
    if not actors:
        raise ValidationError(_("Cochez au moins un acteur ayant joué un rôle positif dans l'adoption."))
    return actors


def project_decide_gate(
    *,
    project: Project,
    decided_by: User,
    decision: str,
    rationale: str,
    decided_on: datetime.date | None = None,
    to_phase: Phase | None = None,
    adoption_actors: Iterable[AdoptionActor] | None = None,
    last_decision: int | None = None,
    value_rating: int | None = None,
    value_rationale: str | None = None,
) -> GateDecision:
    """Records a gate decision and applies it to the project; phases are never skipped.

    ``adoption_actors`` (the actors who played a positive role in the adoption, question C1 of
    the national questionnaire) are only taken with the "go" that ends the Adoption phase; they
    replace those recorded. The decision, the actors and the project's new state are written
    together with the notification of the project leads (their e-mail leaves through the outbox).

    ``value_rating`` and ``value_rationale`` revise the expected value at the gate (none: unchanged); the
    project's history keeps each rating with the decision's name, so the portfolio map reads it as it stood.

    ``last_decision`` is the latest decision the decider saw (``Project.last_decision_pk``): when another one
    was recorded since, by someone else or by the same person clicking twice, this one is refused. The project
    row is locked for the check, so of simultaneous decisions on a project exactly one is recorded.
    """
    if not can_decide_gate(decided_by):
        raise PermissionDenied
    if not rationale.strip():
        raise ValidationError(_("La motivation de la décision est obligatoire."))
    decided_on = decided_on or timezone.localdate()
    with transaction.atomic():
        # The row is locked without a join: PostgreSQL re-reads a row it waited for, and a join with the phase it
        # had before the other decision no longer matches, which made the row vanish (DoesNotExist, a 500).
        project = Project.objects.select_for_update().get(pk=project.pk)
        if last_decision is not None and project.last_decision_pk() != last_decision:
            raise ValidationError(
                _(
                    "Une autre décision vient d'être enregistrée sur ce projet : la vôtre ne l'a pas été. "
                    "Relisez la frise des décisions ci-dessous, puis décidez de nouveau si besoin."
                ),
                code="decided_meanwhile",
            )
        from_phase = project.phase
        new_phase = _check_decision(project, decision, to_phase, decided_on)
        actors = _check_adoption_actors(adoption_actors, decision, from_phase)
        gate = GateDecision.objects.create(
            project=project,
            decision=decision,
            from_phase=from_phase,
            to_phase=new_phase,
            decided_by=decided_by,
            decided_on=decided_on,
            rationale=rationale.strip(),
        )
        project.status = NEW_STATUS.get(decision, project.status)
        if new_phase != from_phase:
            project.phase, project.phase_since = new_phase, decided_on
        if value_rating is not None:
            project.value_rating = value_rating
        if value_rationale is not None and value_rationale.strip():
            project.value_rationale = value_rationale.strip()
        project._change_reason = gate.get_decision_display()  # type: ignore[attr-defined]  # read by simple-history
        project.save(update_fields=["status", "phase", "phase_since", "value_rating", "value_rationale", "updated_at"])
        if actors is not None:
            project.adoption_actors.set(actors)
        journal_gate_decision(gate)
        _close_decision_requests(gate)
        _notify_leads(gate)
    return gate


def journal_gate_decision(gate: GateDecision, *, at: datetime.datetime | None = None) -> None:
    """The decision's entry in the journal (``at``: for the demonstration's past decisions); its words are
    kept in the portal's language, whoever decides."""
    with translation.override(settings.LANGUAGE_CODE):
        params = {
            "decision": str(gate.get_decision_display()),
            "from": gate.from_phase.localized_label,
            "to": gate.to_phase.localized_label,
            "date": date_format(gate.decided_on, "SHORT_DATE_FORMAT"),
        }
    audit.record(
        actor=gate.decided_by,
        action=audit.Action.GATE_DECIDED,
        obj=gate.project,
        summary=gettext_noop("%(decision)s : %(from)s → %(to)s, décision du %(date)s."),
        params=params,
        at=at,
    )


def _notify_leads(gate: GateDecision) -> None:
    project = gate.project
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Décision sur le projet « %(title)s » : %(decision)s") % {
            "title": project.title,
            "decision": gate.get_decision_display(),
        }
        context = {"gate": gate, "project": project, "portal_url": settings.PORTAL_URL}
        body = render_to_string("portfolio/email/gate_decision.txt", context)
    notify(
        users=[project.lead, *project.co_leads.all()],
        kind=NotificationKind.GATE_DECISION,
        subject=subject,
        message=subject,
        url=project.get_absolute_url(),
        email_body=body,
    )


@transaction.atomic
def indicator_create(
    *,
    project: Project,
    name: str,
    unit: str = "",
    baseline: Decimal | None = None,
    target: Decimal | None = None,
    created_by: User | None = None,
) -> Indicator:
    indicator = Indicator.objects.create(project=project, name=name, unit=unit, baseline=baseline, target=target)
    audit.record(actor=created_by, action=audit.Action.INDICATOR_CREATED, obj=indicator, parent=project)
    return indicator


def measurement_add(
    *,
    indicator: Indicator,
    measured_on: datetime.date,
    value: Decimal,
    comment: str = "",
    added_by: User | None = None,
) -> Measurement:
    try:
        with transaction.atomic():
            measurement = Measurement.objects.create(
                indicator=indicator, measured_on=measured_on, value=value, comment=comment
            )
            audit.record(
                actor=added_by,
                action=audit.Action.MEASUREMENT_ADDED,
                obj=measurement,
                parent=indicator.project,
                changes=[{"field": "value", "new": str(value)}],
            )
            return measurement
    except IntegrityError:  # the unique constraint also settles two people saving at the same time
        raise ValidationError(_("Une mesure existe déjà à cette date pour cet indicateur.")) from None


INDICATOR_FIELDS = ("name", "unit", "baseline", "target")
MEASUREMENT_FIELDS = ("measured_on", "value", "comment")


@transaction.atomic
def indicator_update(*, indicator: Indicator, data: Mapping[str, object], updated_by: User | None = None) -> Indicator:
    """Changes the name, unit, baseline or target; the journal keeps each changed field, from what to what."""
    # Read from the base: a model form has already set the new values on the instance it was given.
    before = audit.values(Indicator.objects.get(pk=indicator.pk), INDICATOR_FIELDS)
    for name in INDICATOR_FIELDS:
        setattr(indicator, name, data[name])
    indicator.save(update_fields=list(INDICATOR_FIELDS))
    indicator.refresh_from_db(fields=INDICATOR_FIELDS)  # the decimals as stored: "8" and "8.00" are one value
    changes = audit.changed(before, audit.values(indicator, INDICATOR_FIELDS))
    if changes:
        audit.record(
            actor=updated_by,
            action=audit.Action.INDICATOR_CHANGED,
            obj=indicator,
            parent=indicator.project,
            changes=changes,
        )
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, deleted_by: User | None = None) -> None:
    """Deletes the indicator with its measurements; the journal keeps its name and how many measurements went."""
    count = indicator.measurements.count()
    audit.record(
        actor=deleted_by,
        action=audit.Action.INDICATOR_DELETED,
        obj=indicator,
        parent=indicator.project,
        summary=gettext_noop("Mesures supprimées avec lui : %(count)s"),
        params={"count": count},
        changes=[
            {"field": name, "old": value, "new": "—"}
            for name, value in audit.values(indicator, INDICATOR_FIELDS).items()
        ],
    )
    indicator.delete()


def measurement_update(
    *, measurement: Measurement, data: Mapping[str, object], updated_by: User | None = None
) -> Measurement:
    """Changes a measurement's date, value or comment; a date already taken by another measurement is refused."""
    before = audit.values(Measurement.objects.get(pk=measurement.pk), MEASUREMENT_FIELDS)
    for name in MEASUREMENT_FIELDS:
        setattr(measurement, name, data[name])
    try:
        with transaction.atomic():
            measurement.save(update_fields=list(MEASUREMENT_FIELDS))
            measurement.refresh_from_db(fields=MEASUREMENT_FIELDS)
            changes = audit.changed(before, audit.values(measurement, MEASUREMENT_FIELDS))
            if changes:
                audit.record(
                    actor=updated_by,
                    action=audit.Action.MEASUREMENT_CHANGED,
                    obj=measurement,
                    parent=measurement.indicator.project,
                    changes=changes,
                )
            return measurement
    except IntegrityError:  # the unique constraint also settles two people saving at the same time
        raise ValidationError(_("Une mesure existe déjà à cette date pour cet indicateur.")) from None


@transaction.atomic
def measurement_delete(*, measurement: Measurement, deleted_by: User | None = None) -> None:
    """Deletes one measurement; the journal keeps its date, value and comment."""
    audit.record(
        actor=deleted_by,
        action=audit.Action.MEASUREMENT_DELETED,
        obj=measurement,
        parent=measurement.indicator.project,
        changes=[
            {"field": name, "old": value, "new": "—"}
            for name, value in audit.values(measurement, MEASUREMENT_FIELDS).items()
        ],
    )
    measurement.delete()


def attachment_add(*, project: Project, uploaded_by: User, file: UploadedFile, content_type: str) -> Attachment:
    """``content_type`` is the type read from the file's bytes by the form, not the browser's claim."""
    with transaction.atomic():
        attachment = Attachment.objects.create(
            project=project,
            file=file,
            original_name=cast(str, file.name)[:255],  # an uploaded file has a name and a size
            content_type=content_type,
            size=cast(int, file.size),
            uploaded_by=uploaded_by,
        )
        audit.record(actor=uploaded_by, action=audit.Action.DOCUMENT_ADDED, obj=attachment, parent=project)
    return attachment


@transaction.atomic
def scorecard_save(*, project: Project, scores: dict[SuccessFactor, int | None], saved_by: User | None = None) -> None:
    """Sets the 1–5 score of each success factor; an empty score removes it. The journal keeps the scores changed."""
    before = {str(score.factor_id): str(score.score) for score in project.factor_scores.all()}
    after = {str(factor.pk): "—" if score is None else str(score) for factor, score in scores.items()}
    changes = [
        {"field": factor.label, "old": before.get(str(factor.pk), "—"), "new": after[str(factor.pk)]}
        for factor in scores
        if before.get(str(factor.pk), "—") != after[str(factor.pk)]
    ]
    for factor, score in scores.items():
        if score is None:
            FactorScore.objects.filter(project=project, factor=factor).delete()
        else:
            FactorScore.objects.update_or_create(project=project, factor=factor, defaults={"score": score})
    if changes:
        audit.record(actor=saved_by, action=audit.Action.SCORECARD_SAVED, obj=project, changes=changes)


STALLED_TITLES_IN_MESSAGE = 5  # a message holds 500 characters: the first titles, the link opens the full list


def stalled_digests_send(*, today: datetime.date | None = None, days: int | None = None) -> int:
    """Weekly: tells each lead which of their projects in progress have stayed in their phase for more than
    ``days`` days (``STALLED_AFTER_DAYS``). One notification per lead, none for a lead without such projects.

    The (lead, week) row is written in the same transaction as the notification: a second run in the same
    week, or two runs at once, find it and tell no one twice.
    """
    today = today or timezone.localdate()
    days = days or settings.STALLED_AFTER_DAYS
    week = today - datetime.timedelta(days=today.weekday())
    by_lead: dict[int, list[Project]] = {}
    for project in stalled_by_lead(days=days, today=today):
        by_lead.setdefault(project.lead_id, []).append(project)
    sent = 0
    for projects in by_lead.values():
        lead = projects[0].lead
        with transaction.atomic():
            _digest, created = StalledDigest.objects.get_or_create(
                lead=lead, week=week, defaults={"projects": len(projects)}
            )
            if created:
                _notify_stalled(lead, projects, days)
                sent += 1
    return sent


def _notify_stalled(lead: User, projects: list[Project], days: int) -> None:
    url = reverse("portfolio:list") + f"?sans_mouvement={days}&chef={lead.pk}"
    with translation.override(settings.LANGUAGE_CODE):
        count = len(projects)
        intro = ngettext(
            "%(n)s de vos projets en cours est sans mouvement depuis plus de %(days)s jours :",
            "%(n)s de vos projets en cours sont sans mouvement depuis plus de %(days)s jours :",
            count,
        ) % {"n": count, "days": days}
        lines = [
            _("%(title)s (%(phase)s depuis le %(since)s)")
            % {
                "title": p.title,
                "phase": p.phase.localized_label,
                "since": date_format(p.phase_since, "SHORT_DATE_FORMAT"),
            }
            for p in projects
        ]
        shown = ", ".join(lines[:STALLED_TITLES_IN_MESSAGE])
        more = count - STALLED_TITLES_IN_MESSAGE
        if more > 0:
            shown += " " + ngettext("et %(n)s autre.", "et %(n)s autres.", more) % {"n": more}
        else:
            shown += "."
        notify(
            users=[lead],
            kind=NotificationKind.STALLED,
            subject=ngettext(
                "Un projet sans mouvement depuis plus de %(days)s jours",
                "%(n)s projets sans mouvement depuis plus de %(days)s jours",
                count,
            )
            % {"n": count, "days": days},
            message=f"{intro} {shown}",
            url=url,
        )


# --- Decision requests ----------------------------------------------------------------------------------------


def decision_request_create(*, project: Project, requested_by: User, message: str = "") -> DecisionRequest:
    """A lead asks the direction générale for a gate decision; the deciders are told. One open request per
    project: asking again while one waits is refused, in French."""
    if not can_edit_project(requested_by, project):
        raise PermissionDenied
    if project.is_closed:
        raise ValidationError(
            _("Le projet est « %(status)s » : aucune décision n'est plus à prendre.")
            % {"status": project.get_status_display()}
        )
    message = message.strip()
    with transaction.atomic():
        waiting = open_decision_request(project)
        if waiting is not None:
            raise ValidationError(
                _("Une décision est déjà demandée pour ce projet, depuis le %(date)s.")
                % {"date": formats.date_format(timezone.localtime(waiting.requested_at), "SHORT_DATE_FORMAT")},
                code="already_requested",
            )
        try:
            with transaction.atomic():
                request = DecisionRequest.objects.create(project=project, requested_by=requested_by, message=message)
        except IntegrityError:  # asked at the same moment by a co-lead
            raise ValidationError(
                _("Une décision est déjà demandée pour ce projet."), code="already_requested"
            ) from None
        audit.record(actor=requested_by, action=audit.Action.DECISION_REQUESTED, obj=project)
        _notify_deciders(request)
    return request


def _notify_deciders(request: DecisionRequest) -> None:
    project = request.project
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Décision demandée sur le projet « %(title)s » par %(who)s") % {
            "title": project.title,
            "who": request.requested_by,
        }
    notify(
        users=User.objects.with_perm(
            "portfolio.decide_gate", include_superusers=False, backend="django.contrib.auth.backends.ModelBackend"
        ),
        kind=NotificationKind.DECISION_REQUEST,
        subject=subject,
        message=subject,
        url=f"{project.get_absolute_url()}#decisions",
    )


def decision_request_withdraw(*, request: DecisionRequest, withdrawn_by: User) -> None:
    """The lead withdraws the request: the project leaves the « À décider » list."""
    if not can_edit_project(withdrawn_by, request.project):
        raise PermissionDenied
    with transaction.atomic():
        closed = DecisionRequest.objects.filter(pk=request.pk, closed_at__isnull=True).update(closed_at=timezone.now())
        if closed:
            audit.record(actor=withdrawn_by, action=audit.Action.DECISION_REQUEST_WITHDRAWN, obj=request.project)


def _close_decision_requests(gate: GateDecision) -> None:
    """A decision recorded on the project answers the request that waited for one."""
    DecisionRequest.objects.filter(project=gate.project, closed_at__isnull=True).update(
        closed_at=timezone.now(), decision=gate
    )
