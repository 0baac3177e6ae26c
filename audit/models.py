"""The audit trail: who did what, when, on which object. Rows are only ever added."""

from __future__ import annotations

import contextlib
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.tenancy import OwnedByOrganisation, ScopedManager, ScopedQuerySet


class AppendOnlyError(Exception):
    """An entry of the journal is never changed nor deleted."""


class AuditEntryQuerySet(ScopedQuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit entries are never updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries are never deleted")


class AuditEntry(OwnedByOrganisation, models.Model):
    """One action: its author (none for the system), its time, its code, the object it was done on with the
    object's name as it was then, a translatable summary and the fields it changed.

    Append-only: ``save`` refuses an existing row, ``delete`` and the queryset's ``update``/``delete`` raise,
    and on PostgreSQL a trigger refuses UPDATE and DELETE whatever the client.
    """

    class Action(models.TextChoices):
        PROJECT_CREATED = "project.created", _("Projet créé")
        PROJECT_CHANGED = "project.changed", _("Projet modifié")
        GATE_DECIDED = "project.gate_decided", _("Décision de passage de phase")
        DECISION_REQUESTED = "project.decision_requested", _("Décision demandée")
        DECISION_REQUEST_WITHDRAWN = "project.decision_request_withdrawn", _("Demande de décision retirée")
        API_TOKEN_CREATED = "api_token.created", _("Jeton d'API créé")
        API_TOKEN_REVOKED = "api_token.revoked", _("Jeton d'API révoqué")
        INDICATOR_CREATED = "indicator.created", _("Indicateur ajouté")
        INDICATOR_CHANGED = "indicator.changed", _("Indicateur modifié")
        INDICATOR_DELETED = "indicator.deleted", _("Indicateur supprimé")
        MEASUREMENT_ADDED = "measurement.added", _("Mesure ajoutée")
        MEASUREMENT_CHANGED = "measurement.changed", _("Mesure modifiée")
        MEASUREMENT_DELETED = "measurement.deleted", _("Mesure supprimée")
        DOCUMENT_ADDED = "document.added", _("Document déposé")
        SCORECARD_SAVED = "scorecard.saved", _("Grille des facteurs de succès enregistrée")
        CONTEST_ADVANCED = "contest.advanced", _("Concours passé à l'étape suivante")
        IDEA_HIDDEN = "idea.hidden", _("Idée masquée")
        COMMENT_HIDDEN = "comment.hidden", _("Commentaire masqué")
        IDEA_DECIDED = "idea.decided", _("Décision sur une idée")
        IDEA_CONVERTED = "idea.converted", _("Idée devenue projet")
        IDEA_MERGED = "idea.merged", _("Idée fusionnée dans une autre")
        SCORES_SUBMITTED = "scores.submitted", _("Notes du jury enregistrées")
        CAMPAIGN_CREATED = "campaign.created", _("Campagne d'enquête créée")
        CAMPAIGN_OPENED = "campaign.opened", _("Campagne d'enquête ouverte")
        CAMPAIGN_CLOSED = "campaign.closed", _("Campagne d'enquête close")
        CAMPAIGN_INVITED = "campaign.invited", _("Invitations à l'enquête")
        CAMPAIGN_REMINDED = "campaign.reminded", _("Relances de l'enquête")
        RESPONSES_IMPORTED = "responses.imported", _("Réponses importées")
        RESPONDENT_ERASED = "respondent.erased", _("Répondant effacé à sa demande")
        REPORT_REQUESTED = "report.requested", _("Rapport demandé")
        PUBLICATION_PUBLISHED = "publication.published", _("Projet publié au catalogue du réseau")
        PUBLICATION_WITHDRAWN = "publication.withdrawn", _("Publication retirée du catalogue du réseau")
        PROJECT_REPLICATED = "project.replicated", _("Projet essaimé depuis le catalogue du réseau")
        ADMIN_ADDED = "admin.added", _("Ajout dans l'administration")
        ADMIN_CHANGED = "admin.changed", _("Modification dans l'administration")
        ADMIN_DELETED = "admin.deleted", _("Suppression dans l'administration")

    # Empty for what was done outside any collectivité (an anonymous visitor of a network, the system).
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("collectivité"),
    )
    at = models.DateTimeField(_("date"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,  # an account that acted is deactivated, never deleted: the trail keeps its author
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("personne"),
    )
    actor_label = models.CharField(_("nom de la personne"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    object_type = models.CharField(_("type d'objet"), max_length=100)
    object_id = models.CharField(_("identifiant de l'objet"), max_length=64)
    object_label = models.CharField(_("objet"), max_length=255)
    # The object this one belongs to (the project of an indicator, the campaign of a respondent): the
    # project's history reads the entries of the project and of everything attached to it.
    parent_type = models.CharField(_("type du parent"), max_length=100, blank=True)
    parent_id = models.CharField(_("identifiant du parent"), max_length=64, blank=True)
    summary = models.CharField(_("résumé"), max_length=300, blank=True)
    summary_params = models.JSONField(_("valeurs du résumé"), default=dict, blank=True)
    changes = models.JSONField(_("champs modifiés"), default=list, blank=True)

    objects = ScopedManager.from_queryset(AuditEntryQuerySet)()

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("entrées du journal")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_at_idx"),
            models.Index(fields=["organisation", "-at", "-id"], name="audit_organisation_at_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["parent_type", "parent_id"], name="audit_parent_idx"),
            models.Index(fields=["actor", "-at"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        at = date_format(timezone.localtime(self.at), "SHORT_DATETIME_FORMAT")
        return f"{at} — {self.get_action_display()} — {self.object_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries are never deleted")

    @property
    def summary_text(self) -> str:
        """The summary in the reader's language (its msgid is French, its values as they were)."""
        if not self.summary:
            return ""
        text = gettext(self.summary)
        try:
            return text % self.summary_params if self.summary_params else text
        except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder: the French text
            return str(self.summary % self.summary_params)

    @property
    def object_type_label(self) -> str:
        return object_type_label(self.object_type)

    def field_changes(self) -> list[dict[str, str]]:
        """The changed fields with their label in the reader's language; values only where they were kept."""
        model = _model(self.object_type)
        rows = []
        for change in self.changes:
            name = change.get("field", "")
            label = name
            if model is not None:
                with contextlib.suppress(FieldDoesNotExist):
                    # The journal records concrete fields only (no reverse relation, no generic key).
                    label = str(cast("models.Field[object, object]", model._meta.get_field(name)).verbose_name)
            rows.append({"field": label[:1].upper() + label[1:], "old": change.get("old"), "new": change.get("new")})
        return rows


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    model = _model(object_type)
    return str(model._meta.verbose_name).capitalize() if model is not None else object_type
