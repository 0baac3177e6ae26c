"""The network's catalogue: projects a collectivité publishes to the other members of its network, as snapshots."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.tenancy import OwnedByOrganisation, ScopedManager
from common.validators import folded
from portfolio.models import Project


class Publication(OwnedByOrganisation, models.Model):
    """What a collectivité chose to show of one of its projects to its network, as it was when published.

    A snapshot: editing the project afterwards changes nothing here; publishing again (after withdrawing)
    makes a new publication. Read by the other members through ``catalogue.selectors`` (across collectivités,
    explicitly), by its own collectivité through the scoped manager.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("collectivité")
    )
    network = models.ForeignKey(
        "accounts.Network", on_delete=models.PROTECT, related_name="publications", verbose_name=_("réseau")
    )
    project = models.ForeignKey(
        "portfolio.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="publications",
        verbose_name=_("projet"),
    )
    title = models.CharField(_("titre"), max_length=200)
    summary = models.CharField(_("résumé"), max_length=400)
    nature = models.CharField(_("nature"), max_length=20, choices=Project.Nature.choices, blank=True)
    results = models.TextField(_("résultats observés"), blank=True)
    # Each indicator as published: name, unit, baseline, target, last_value, last_on (numbers and dates as text).
    indicators = models.JSONField(_("indicateurs"), default=list, blank=True)
    lessons = models.TextField(_("enseignements"), blank=True)
    directions = models.JSONField(_("directions"), default=list, blank=True)
    contact_name = models.CharField(_("nom du contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("adresse e-mail du contact"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("publié par")
    )
    published_at = models.DateTimeField(_("publié le"))
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retiré par"),
    )
    # Title, summary, results and lessons folded (lower case, no accents): the search finds "Éclairage" for "eclairage".
    search_text = models.TextField(editable=False, default="")
    title_folded = models.CharField(max_length=200, editable=False, default="")

    objects = ScopedManager["Publication"]()

    class Meta:
        verbose_name = _("publication au catalogue du réseau")
        verbose_name_plural = _("publications au catalogue du réseau")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_live_publication_per_project",
                violation_error_message=_("Ce projet est déjà publié au catalogue du réseau."),
            )
        ]
        indexes = [
            models.Index(
                fields=["network", "-published_at"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="publication_live_idx",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = folded(" ".join([self.title, self.summary, self.results, self.lessons]))
        self.title_folded = folded(self.title)[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("catalogue:detail", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None

    @property
    def indicator_rows(self) -> list[dict[str, object]]:
        """The published indicators with their numbers and dates read back, for the results table."""
        return [
            {
                "name": row.get("name", ""),
                "unit": row.get("unit", ""),
                "baseline": _decimal(row.get("baseline")),
                "target": _decimal(row.get("target")),
                "last_value": _decimal(row.get("last_value")),
                "last_on": _date(row.get("last_on")),
            }
            for row in self.indicators
        ]


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _date(value: object) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
