from __future__ import annotations

import itertools
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Direction
from common.tenancy import OwnedByOrganisation, ScopedManager, ScopedQuerySet
from reports.quarters import Quarter


class ReportQuerySet(ScopedQuerySet["Report"]):
    def of_scope(self, *, quarter: str, direction: Direction | int | None) -> ReportQuerySet:
        """The versions of one quarter and scope, newest first."""
        return self.filter(quarter=quarter, direction=direction).order_by("-version")

    def by_scope(self, *, quarters: int = 8) -> list[ReportScope]:
        """The versions of the ``quarters`` most recent quarters reported on, grouped by quarter and scope.

        Two queries whatever the number of versions; the collectivité comes before the directions.
        """
        recent = list(self.order_by("-quarter").values_list("quarter", flat=True).distinct()[:quarters])
        rows = (
            self.filter(quarter__in=recent)
            .select_related("direction", "requested_by")
            .order_by("-quarter", models.F("direction__name").asc(nulls_first=True), "-version")
        )
        groups = itertools.groupby(rows, key=lambda report: (report.quarter, report.direction_id))
        return [ReportScope(versions=list(versions)) for _key, versions in groups]


class Report(OwnedByOrganisation, models.Model):
    """One version of the quarterly PDF for the steering committee, produced by a worker.

    Each production of a quarter and scope (a direction, or the whole collectivité when
    ``direction`` is empty) is a new row numbered 1, 2, 3…; earlier versions and their files
    are kept, so what a committee was shown can always be downloaded again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours de production")
        DONE = "done", _("Prêt")
        FAILED = "failed", _("Échec")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("collectivité"),
    )
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
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    campaign = models.ForeignKey(
        "surveys.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enquête utilisée"),
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    failure_reason = models.TextField(_("motif de l'échec"), blank=True)
    file = models.FileField(_("fichier"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    # The worker rendering the version holds it by a lease it renews while it works: a version whose lease
    # has run out, or that its own task receives again (the worker child died), is taken over.
    task_id = models.CharField(_("tâche du worker"), max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(_("réservé jusqu'au"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("demandé par"),
        help_text=_("Vide : production planifiée ou demandée en ligne de commande."),
    )
    requested_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    objects = ScopedManager.from_queryset(ReportQuerySet)()

    class Meta:
        verbose_name = _("rapport trimestriel")
        verbose_name_plural = _("rapports trimestriels")
        ordering = ["-quarter", "direction__name", "-version"]
        permissions = [
            ("view_dashboards", _("Consulter les tableaux de bord")),
            ("download_report", _("Télécharger les rapports trimestriels")),
            ("request_report", _("Demander un rapport trimestriel")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "quarter", "direction", "version"],
                name="one_report_version_per_quarter_and_direction",
                violation_error_message=_("Cette version du rapport existe déjà."),
            ),
            # NULL never equals NULL in a unique index: the collectivité's reports need their own.
            models.UniqueConstraint(
                fields=["organisation", "quarter", "version"],
                condition=models.Q(direction__isnull=True),
                name="one_report_version_per_quarter",
                violation_error_message=_("Cette version du rapport existe déjà."),
            ),
        ]

    def __str__(self) -> str:
        scope = self.direction.code if self.direction is not None else _("collectivité")
        return f"{self.quarter} — {scope} — v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("reports:list")

    @property
    def period(self) -> Quarter:
        return Quarter.parse(self.quarter)

    def scope_label(self) -> str:
        """« 3e trimestre 2026 — Toute la collectivité », as the pages and messages name a report."""
        scope = self.direction.localized_name if self.direction is not None else _("Toute la collectivité")
        return f"{self.period.label()} — {scope}"

    def previous_done(self) -> Report | None:
        """The latest done version before this one: what stays downloadable while this one is produced."""
        earlier = Report.objects.of_scope(quarter=self.quarter, direction=self.direction_id)
        return earlier.filter(version__lt=self.version, status=self.Status.DONE).first()

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    def filename(self) -> str:
        """Deterministic per version, so a new version never overwrites an earlier file."""
        scope = self.direction.code if self.direction is not None else "collectivite"
        return f"rapport-innovation-{self.quarter}-{scope}-v{self.version}.pdf"


@dataclass(frozen=True)
class ReportScope:
    """The versions of one quarter and scope, newest first, as the reports page lists them."""

    versions: list[Report]

    @property
    def latest(self) -> Report:
        return self.versions[0]

    @property
    def latest_done(self) -> Report | None:
        """The version to download: a newer one being produced or failed does not hide it."""
        return next((report for report in self.versions if report.status == Report.Status.DONE), None)
