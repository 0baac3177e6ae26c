"""The innovation contest: agents propose ideas, a jury scores them, selected ideas become projects."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Direction
from common.tenancy import OwnedByOrganisation, ScopedManager, ThroughContest, ThroughIdeaContest
from common.validators import folded, no_html
from portfolio.models import Project


class Contest(OwnedByOrganisation, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        OPEN = "open", _("Ouvert aux idées")
        EVALUATION = "evaluation", _("En évaluation")
        PUBLISHED = "published", _("Résultats publiés")

    title = models.CharField(_("titre"), max_length=200, validators=[no_html])
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("collectivité"),
    )
    slug = models.SlugField(_("adresse"), max_length=80)
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
    # When each state began, set by contests.services.contest_advance: what a past quarter's report reads.
    opened_at = models.DateTimeField(_("ouvert le"), null=True, blank=True, editable=False)
    evaluation_started_at = models.DateTimeField(_("passé en évaluation le"), null=True, blank=True, editable=False)
    results_published_at = models.DateTimeField(_("résultats publiés le"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # The field holding when the contest entered each state after the draft, latest state first.
    STARTED_AT: dict[str, str] = {
        State.PUBLISHED: "results_published_at",
        State.EVALUATION: "evaluation_started_at",
        State.OPEN: "opened_at",
    }

    objects = ScopedManager["Contest"]()

    class Meta:
        verbose_name = _("concours")
        verbose_name_plural = _("concours")
        ordering = ["-opens_on"]
        permissions = [("moderate_contest", _("Modérer les idées et les commentaires"))]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                "slug",
                name="unique_contest_slug",
                violation_error_message=_("Un autre concours utilise déjà cette adresse."),
            ),
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")), name="contest_dates_order"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contests:detail", args=[self.slug])

    def accepts_ideas(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.state == self.State.OPEN and self.opens_on <= today <= self.closes_on

    def entered_on(self, state: str) -> datetime.date | None:
        """The local day the contest entered ``state``; None if it has not reached it.

        A contest moved on outside the services (fixtures, old rows) without the time recorded is
        taken to have opened on its opening date and closed the day after its closing date.
        """
        states = list(self.State.values)
        if states.index(self.state) < states.index(state):
            return None
        if state == self.State.DRAFT:
            return timezone.localdate(self.created_at)
        started_at = getattr(self, self.STARTED_AT[state])
        if started_at is not None:
            return timezone.localdate(started_at)
        if state == self.State.OPEN:
            return self.opens_on
        return self.closes_on + datetime.timedelta(days=1)

    def state_on(self, day: datetime.date) -> str | None:
        """The state the contest was in at the end of ``day``; None if it did not exist yet."""
        if timezone.localdate(self.created_at) > day:
            return None
        if day >= timezone.localdate():
            return self.state
        for state in self.STARTED_AT:
            entered = self.entered_on(state)
            if entered is not None and entered <= day:
                return state
        return self.State.DRAFT


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

    objects = ThroughContest["Criterion"]()

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
        MERGED = "merged", _("Fusionnée")

    DECISIONS = (Status.SHORTLISTED, Status.SELECTED, Status.NOT_RETAINED)

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
    # The title folded (lower case, no accents): what the similar-title suggestions compare (common/similar.py).
    title_folded = models.CharField(max_length=200, editable=False, default="")
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
    # When the current decision (shortlisted, selected, not retained) was taken; set by idea_set_outcome.
    decided_at = models.DateTimeField(_("décision prise le"), null=True, blank=True, editable=False)
    outcome_message = models.TextField(_("message aux auteurs"), max_length=2000, blank=True, validators=[no_html])
    hidden_reason = models.CharField(_("motif du masquage"), max_length=300, blank=True, validators=[no_html])
    project = models.OneToOneField(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="source_idea", verbose_name=_("projet")
    )
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    # A duplicate merged by the DGS (contests.services.idea_merge) is kept for the record, pointing to the idea
    # that received its supports and comments.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_ideas",
        verbose_name=_("fusionnée dans"),
    )
    merged_at = models.DateTimeField(_("fusionnée le"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ThroughContest["Idea"]()

    class Meta:
        verbose_name = _("idée")
        verbose_name_plural = _("idées")
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_cost__gte=0) | models.Q(estimated_cost__isnull=True),
                name="idea_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(status="merged", merged_into__isnull=False)
                | (~models.Q(status="merged") & models.Q(merged_into__isnull=True)),
                name="idea_merged_into_when_merged",
            ),
            models.CheckConstraint(condition=~models.Q(merged_into=models.F("pk")), name="idea_not_merged_into_itself"),
        ]
        indexes = [models.Index(fields=["contest", "status"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        extra = set()
        # A decided idea always says when it was decided (idea_set_outcome sets the exact time).
        if self.status in self.DECISIONS and self.decided_at is None:
            self.decided_at = timezone.now()
            extra.add("decided_at")
        if self.title_folded != folded(self.title)[:200]:
            self.title_folded = folded(self.title)[:200]
            extra.add("title_folded")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and extra:
            kwargs["update_fields"] = {*update_fields, *extra}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("contests:idea", args=[self.contest.slug, self.pk])

    @property
    def is_hidden(self) -> bool:
        return bool(self.hidden_reason)

    def author_ids(self) -> set[int]:
        return {self.author_id, *self.co_authors.values_list("pk", flat=True)}

    def status_on(self, day: datetime.date) -> str | None:
        """The idea's status at the end of ``day``; None if it was not submitted by then.

        Only the current decision is dated: an idea decided after ``day`` reads as under review
        (or submitted, if its contest was still open then).
        """
        if self.submitted_at is None or timezone.localdate(self.submitted_at) > day:
            return None
        if self.status in self.DECISIONS and self.decided_at and timezone.localdate(self.decided_at) <= day:
            return self.status
        if self.contest.state_on(day) in {Contest.State.EVALUATION, Contest.State.PUBLISHED}:
            return self.Status.UNDER_REVIEW
        return self.Status.SUBMITTED


class Support(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ThroughIdeaContest["Support"]()

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

    objects = ThroughIdeaContest["Comment"]()

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

    objects = ThroughIdeaContest["Score"]()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(fields=["idea", "juror", "criterion"], name="one_score_per_juror_and_criterion"),
            models.CheckConstraint(condition=models.Q(value__gte=1), name="score_value_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.idea} / {self.criterion} : {self.value}"
