"""Writes of the network's catalogue: publishing a project, withdrawing a publication, replicating one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from audit import services as audit
from catalogue import selectors
from catalogue.models import Publication
from common import tenancy
from portfolio import services as portfolio_services
from portfolio.models import Indicator, Measurement, Project

# What the publishing form may include, beside the title and summary (always published).
PUBLISHABLE = ("results", "indicators", "lessons", "directions", "contact")


def restricted_message() -> str:
    return _(
        "Ce projet est à visibilité restreinte (l'équipe du projet et la direction générale) : il ne peut pas être "
        "publié au catalogue du réseau. Ouvrez-le à tous les agents dans sa fiche si vous souhaitez le partager."
    )


def indicator_snapshot(project: Project) -> list[dict[str, str]]:
    """The project's indicators as published: start, target and last measurement, numbers and dates as text."""
    last = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-measured_on", "-pk")
    indicators = Indicator.objects.filter(project=project).annotate(
        last_value=Subquery(last.values("value")[:1]), last_on=Subquery(last.values("measured_on")[:1])
    )

    def text(value: object) -> str:
        return "" if value is None else str(value)

    return [
        {
            "name": indicator.name,
            "unit": indicator.unit,
            "baseline": text(indicator.baseline),
            "target": text(indicator.target),
            "last_value": text(indicator.last_value),
            "last_on": indicator.last_on.isoformat() if indicator.last_on else "",
        }
        for indicator in indicators
    ]


def publication_draft(
    *,
    project: Project,
    title: str,
    summary: str,
    include: Iterable[str],
    contact_name: str = "",
    contact_email: str = "",
) -> Publication:
    """The publication as it would be published (not saved): what the preview shows and what is then written."""
    if project.visibility == Project.Visibility.RESTRICTED:
        raise ValidationError(restricted_message())
    chosen = set(include)
    organisation = project.organisation
    if organisation.network_id is None:
        raise ValidationError(_("Votre collectivité ne fait partie d'aucun réseau."))
    return Publication(
        organisation=organisation,
        network_id=organisation.network_id,
        project=project,
        title=title,
        summary=summary,
        nature=project.nature,
        results=project.observed_results if "results" in chosen else "",
        indicators=indicator_snapshot(project) if "indicators" in chosen else [],
        lessons=project.lessons_learned if "lessons" in chosen else "",
        directions=[d.localized_name for d in project.directions.all()] if "directions" in chosen else [],
        contact_name=contact_name if "contact" in chosen else "",
        contact_email=contact_email if "contact" in chosen else "",
    )


@transaction.atomic
def publication_publish(
    *,
    project: Project,
    published_by: User,
    title: str,
    summary: str,
    include: Iterable[str],
    contact_name: str = "",
    contact_email: str = "",
) -> Publication:
    """Publishes a snapshot of the project to its collectivité's network. Only the direction générale of the
    project's collectivité publishes; never a restricted project; one live publication per project."""
    if not selectors.can_publish(published_by) or project.organisation_id != published_by.organisation_id:
        raise PermissionDenied
    project = Project.objects.select_for_update().get(pk=project.pk)  # a second confirmation waits for the first
    publication = publication_draft(
        project=project,
        title=title,
        summary=summary,
        include=include,
        contact_name=contact_name,
        contact_email=contact_email,
    )
    if selectors.live_publication_of(project) is not None:
        raise ValidationError(_("Ce projet est déjà publié au catalogue du réseau."))
    publication.published_by = published_by
    publication.published_at = timezone.now()
    publication.full_clean()
    try:
        with transaction.atomic():
            publication.save()
    except IntegrityError as error:  # a concurrent publication won the race
        raise ValidationError(_("Ce projet est déjà publié au catalogue du réseau.")) from error
    audit.record(
        actor=published_by,
        action=audit.Action.PUBLICATION_PUBLISHED,
        obj=publication,
        parent=project,
        summary=gettext_noop("Publié au catalogue du réseau « %(network)s »."),
        params={"network": publication.network.name},
    )
    return publication


@transaction.atomic
def publication_withdraw(*, publication: Publication, withdrawn_by: User) -> None:
    """Takes the publication out of the catalogue; the projects that replicated it keep their origin."""
    if not selectors.can_withdraw(withdrawn_by, publication):
        raise PermissionDenied
    updated = Publication.objects.filter(pk=publication.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_by=withdrawn_by
    )
    if not updated:
        return  # already withdrawn (a second click): nothing more to record
    publication.refresh_from_db()
    audit.record(
        actor=withdrawn_by,
        action=audit.Action.PUBLICATION_WITHDRAWN,
        obj=publication,
        parent=publication.project,
    )


@transaction.atomic
def publication_replicate(*, publication: Publication, replicated_by: User, data: Mapping[str, object]) -> Project:
    """A new project in the person's own portfolio, in the first phase, led by them, linked to the publication
    it replicates: ``data`` holds its title, summary, nature and origin (as typed on the form)."""
    if not selectors.can_replicate(replicated_by, publication):
        raise PermissionDenied
    with tenancy.scoped(replicated_by.organisation_id):  # the new project and its journal are the person's
        project = portfolio_services.project_create(
            created_by=replicated_by,
            data={
                **data,
                "lead": replicated_by,
                "organisation": replicated_by.organisation,
                "replicated_from": publication,
            },
        )
        audit.record(
            actor=replicated_by,
            action=audit.Action.PROJECT_REPLICATED,
            obj=project,
            summary=gettext_noop("Essaimé depuis « %(title)s » de %(organisation)s."),
            params={"title": publication.title, "organisation": publication.organisation.name},
        )
    return project


def project_saved(sender: type[Project], instance: Project, **kwargs: object) -> None:
    """post_save of a project: made restricted, its live publication is withdrawn (the journal says why)."""
    if instance.visibility != Project.Visibility.RESTRICTED:
        return
    with tenancy.unscoped():
        live = list(Publication.objects.filter(project_id=instance.pk, withdrawn_at__isnull=True))
    for publication in live:
        Publication.objects.filter(pk=publication.pk).update(withdrawn_at=timezone.now())
        with tenancy.scoped(publication.organisation_id):
            audit.record(
                actor=None,
                action=audit.Action.PUBLICATION_WITHDRAWN,
                obj=publication,
                parent=instance,
                summary=gettext_noop("Retirée : le projet est désormais à visibilité restreinte."),
            )
