from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Direction
from reports.quarters import Quarter


class Report(models.Model):
    """The quarterly PDF for the steering committee: one per quarter and scope, produced by a worker."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours de production")
        DONE = "done", _("Prêt")
        FAILED = "failed", _("Échec")

    quarter = models.CharField(_("trimestre"), max_length=6)
    direction = models.ForeignKey(
        Direction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("direction"),
        help_text=_("Vide : toute la collectivité."),
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    failure_reason = models.TextField(_("motif de l'échec"), blank=True)
    file = models.FileField(_("fichier"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("rapport trimestriel")
        verbose_name_plural = _("rapports trimestriels")
        ordering = ["-quarter", "direction__name"]
        permissions = [
            ("view_dashboards", _("Consulter les tableaux de bord")),
            ("download_report", _("Télécharger les rapports trimestriels")),
            ("request_report", _("Demander un rapport trimestriel")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["quarter", "direction"],
                name="one_report_per_quarter_and_direction",
                violation_error_message=_("Ce rapport existe déjà."),
            ),
            models.UniqueConstraint(
                fields=["quarter"],
                condition=models.Q(direction__isnull=True),
                name="one_report_per_quarter",
                violation_error_message=_("Ce rapport existe déjà."),
            ),
        ]

    def __str__(self) -> str:
        scope = self.direction.code if self.direction_id else _("collectivité")
        return f"{self.quarter} — {scope}"

    def get_absolute_url(self) -> str:
        return reverse("reports:list")

    @property
    def period(self) -> Quarter:
        return Quarter.parse(self.quarter)

    def filename(self) -> str:
        scope = self.direction.code if self.direction_id else "collectivite"
        return f"rapport-innovation-{self.quarter}-{scope}.pdf"
