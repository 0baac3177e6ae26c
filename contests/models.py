"""The innovation contest: agents propose ideas, a jury scores them, selected ideas become projects."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Direction
from common.validators import no_html
from portfolio.models import Project


class Contest(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        OPEN = "open", _("Ouvert aux idées")
        EVALUATION = "evaluation", _("En évaluation")
        PUBLISHED = "published", _("Résultats publiés")

    title = models.CharField(_("titre"), max_length=200, validators=[no_html])
    slug = models.SlugField(_("adresse"), max_length=80, unique=True)
    theme = models.CharField(_("thème"), max_length=200, validators=[no_html])
    description = models.TextField(_("description"), validators=[no_html])
    rules = models.TextField(_("règlement"), blank=True, validators=[no_html])
    opens_on = models.DateField(_("ouverture"))
    closes_on = models.DateField(_("clôture"))
    eligible_directions = models.ManyToManyField(
        Direction,
        blank=True,
        related_name="+",
        verbose_name=_("directions concernées"),
        help_text=_("Laissez vide pour ouvrir le concours à tous les agents."),
    )
    jury = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="juries", verbose_name=_("membres du jury")
    )
    blind_evaluation = models.BooleanField(
        _("évaluation à l'aveugle"), default=False, help_text=_("Le jury ne voit pas les auteurs des idées.")
    )
    state = models.CharField(_("état"), max_length=20, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("concours")
        verbose_name_plural = _("concours")
        ordering = ["-opens_on"]
        permissions = [("moderate_contest", _("Modérer les idées et les commentaires"))]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")), name="contest_dates_order")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contests:detail", args=[self.slug])

    def accepts_ideas(self, today: object = None) -> bool:
        today = today or timezone.localdate()
        return self.state == self.State.OPEN and self.opens_on <= today <= self.closes_on


class Criterion(models.Model):
    """A line of the evaluation grid: scored from 1 to ``scale_max``, weighted in the total."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("critère"), max_length=120, validators=[no_html])
    description = models.CharField(_("précision"), max_length=300, blank=True, validators=[no_html])
    weight = models.PositiveSmallIntegerField(
        _("poids"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    scale_max = models.PositiveSmallIntegerField(
        _("note maximale"), default=5, validators=[MinValueValidator(2), MaxValueValidator(20)]
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("critère d'évaluation")
        verbose_name_plural = _("critères d'évaluation")
        ordering = ["order", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(weight__gte=1), name="criterion_weight_positive")]

    def __str__(self) -> str:
        return self.name


def idea_attachment_path(instance: Idea, filename: str) -> str:
    return f"ideas/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Idea(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Déposée")
        UNDER_REVIEW = "under_review", _("En cours d'examen")
        SHORTLISTED = "shortlisted", _("Présélectionnée")
        SELECTED = "selected", _("Retenue")
        NOT_RETAINED = "not_retained", _("Non retenue")

    class Effort(models.TextChoices):
        SMALL = "small", _("Faible (quelques jours)")
        MEDIUM = "medium", _("Moyen (quelques semaines)")
        LARGE = "large", _("Important (plusieurs mois)")

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="ideas", verbose_name=_("concours"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas", verbose_name=_("auteur")
    )
    co_authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="co_authored_ideas", verbose_name=_("co-auteurs")
    )
    title = models.CharField(_("titre"), max_length=200, validators=[no_html])
    problem = models.TextField(_("problème constaté"), max_length=4000, validators=[no_html])
    proposal = models.TextField(_("proposition"), max_length=4000, validators=[no_html])
    benefits_users = models.TextField(
        _("bénéfices pour les usagers"), max_length=2000, blank=True, validators=[no_html]
    )
    benefits_organisation = models.TextField(
        _("bénéfices pour la collectivité"), max_length=2000, blank=True, validators=[no_html]
    )
    effort = models.CharField(_("effort estimé"), max_length=10, choices=Effort.choices, blank=True)
    estimated_cost = models.DecimalField(
        _("coût estimé (€)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    direction = models.ForeignKey(
        Direction, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("direction")
    )
    attachment = models.FileField(_("pièce jointe"), upload_to=idea_attachment_path, blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_type = models.CharField(max_length=120, blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    outcome_message = models.TextField(_("message aux auteurs"), max_length=2000, blank=True, validators=[no_html])
    hidden_reason = models.CharField(_("motif du masquage"), max_length=300, blank=True, validators=[no_html])
    project = models.OneToOneField(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="source_idea", verbose_name=_("projet")
    )
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("idée")
        verbose_name_plural = _("idées")
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_cost__gte=0) | models.Q(estimated_cost__isnull=True),
                name="idea_cost_not_negative",
            )
        ]
        indexes = [models.Index(fields=["contest", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contests:idea", args=[self.contest.slug, self.pk])

    @property
    def is_hidden(self) -> bool:
        return bool(self.hidden_reason)

    def author_ids(self) -> set[int]:
        return {self.author_id, *self.co_authors.values_list("pk", flat=True)}


class Support(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("soutien")
        verbose_name_plural = _("soutiens")
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="one_support_per_person")]

    def __str__(self) -> str:
        return f"{self.user} → {self.idea}"


class Comment(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("commentaire"), max_length=2000, validators=[no_html])
    hidden_reason = models.CharField(_("motif du masquage"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class Score(models.Model):
    """One juror's score of one idea on one criterion."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="scores")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("note"), validators=[MinValueValidator(1)])
    comment = models.TextField(_("commentaire"), max_length=2000, blank=True, validators=[no_html])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(fields=["idea", "juror", "criterion"], name="one_score_per_juror_and_criterion"),
            models.CheckConstraint(condition=models.Q(value__gte=1), name="score_value_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.idea} / {self.criterion} : {self.value}"
