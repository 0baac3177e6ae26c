"""The innovation portfolio: projects, their phases and gate decisions, indicators, documents."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Direction
from common.tenancy import OwnedByOrganisation, ScopedManager, ThroughIndicatorProject, ThroughLead, ThroughProject
from common.translation import Localized
from common.validators import folded, plausible_date


class Phase(models.Model):
    """One of the phases of a public innovation; editable data, seeded with the four of docs/domain.md."""

    # The stable code of the phase whose "go" asks who played a positive role in the adoption.
    ADOPTION = "adoption"

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("libellé"), max_length=100)
    label_en = models.CharField(_("libellé en anglais"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description en anglais"), blank=True)
    exit_criteria = models.TextField(_("critères de sortie"), blank=True)
    exit_criteria_en = models.TextField(_("critères de sortie en anglais"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), unique=True)

    localized_label = Localized("label")
    localized_description = Localized("description")
    localized_exit_criteria = Localized("exit_criteria")

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.localized_label

    def next_phase(self) -> Phase | None:
        return Phase.objects.filter(order__gt=self.order).order_by("order").first()


class Domain(models.Model):
    name = models.CharField(_("nom"), max_length=120, unique=True)
    name_en = models.CharField(_("nom en anglais"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    localized_name = Localized("name")

    class Meta:
        verbose_name = _("domaine")
        verbose_name_plural = _("domaines")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.localized_name


class InnovationObject(models.Model):
    """What the innovation is about (new organisation, new service...); a project has several."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("libellé"), max_length=120)
    label_en = models.CharField(_("libellé en anglais"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    localized_label = Localized("label")

    class Meta:
        verbose_name = _("objet de l'innovation")
        verbose_name_plural = _("objets de l'innovation")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.localized_label


class AdoptionActor(models.Model):
    """An actor who may play a positive role in adopting an innovation: the choices of question C1
    of the national questionnaire, with the same codes, so a project's actors compare with its figures."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("libellé"), max_length=120)
    label_en = models.CharField(_("libellé en anglais"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    localized_label = Localized("label")

    class Meta:
        verbose_name = _("acteur de l'adoption")
        verbose_name_plural = _("acteurs de l'adoption")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.localized_label


class TagSet(models.Model):
    """A framework of criteria kept as editable tags (e.g. the decision criteria of Plaine Commune)."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    name_en = models.CharField(_("nom en anglais"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description en anglais"), blank=True)

    localized_name = Localized("name")
    localized_description = Localized("description")

    class Meta:
        verbose_name = _("jeu d'étiquettes")
        verbose_name_plural = _("jeux d'étiquettes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.localized_name


class Tag(models.Model):
    tag_set = models.ForeignKey(TagSet, on_delete=models.CASCADE, related_name="tags", verbose_name=_("jeu"))
    name = models.CharField(_("nom"), max_length=120)
    name_en = models.CharField(_("nom en anglais"), max_length=120, blank=True)

    localized_name = Localized("name")

    class Meta:
        verbose_name = _("étiquette")
        verbose_name_plural = _("étiquettes")
        ordering = ["tag_set__name", "name"]
        constraints = [models.UniqueConstraint(fields=["tag_set", "name"], name="unique_tag_per_set")]

    def __str__(self) -> str:
        return f"{self.tag_set.localized_name} : {self.localized_name}"


class SuccessFactor(models.Model):
    """A determinant of success from the national study, scored 1 to 5 on each project."""

    class Family(models.TextChoices):
        INNOVATION = "innovation", _("Facteurs propres à l'innovation")
        INTERNAL = "internal", _("Facteurs internes")
        ENVIRONMENT = "environment", _("Facteurs environnementaux")
        IMPLEMENTATION = "implementation", _("Facteurs de mise en œuvre")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label = models.CharField(_("libellé"), max_length=200)
    label_en = models.CharField(_("libellé en anglais"), max_length=200, blank=True)
    family = models.CharField(_("famille"), max_length=20, choices=Family.choices)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    localized_label = Localized("label")

    class Meta:
        verbose_name = _("facteur de succès")
        verbose_name_plural = _("facteurs de succès")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.localized_label


class StateRange(models.Model):
    """What each historical record of a project adds: when the next record replaced it. The record valid at a
    moment is then found by comparing two dates, not by searching each project's history (see
    ``portfolio.periods``)."""

    history_until = models.DateTimeField(null=True, blank=True, editable=False)
    # When the project's first record was made (the same on all its records).
    history_began = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


RATINGS = [(n, str(n)) for n in range(1, 6)]


class Project(OwnedByOrganisation, models.Model):
    class Nature(models.TextChoices):
        MANAGERIAL = "managerial", _("Managériale / organisationnelle")
        SOCIETAL = "societal", _("Sociétale / servicielle")

    class Origin(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("Acteur administratif (DGS, DGA…)")
        POLITICAL = "political", _("Acteur politique (élu)")
        AGENTS = "agents", _("Agents opérationnels / cadres intermédiaires")
        CONTEST = "contest", _("Concours d'innovation")
        PARTNER = "partner", _("Partenaire externe")

    class Status(models.TextChoices):
        ACTIVE = "active", _("En cours")
        ON_HOLD = "on_hold", _("Suspendu")
        STOPPED = "stopped", _("Arrêté")
        COMPLETED = "completed", _("Terminé")

    class Scope(models.TextChoices):
        INCREMENTAL = "incremental", _("Incrémentale")
        GLOBAL = "global", _("Globale")

    class Perimeter(models.TextChoices):
        SERVICE = "service", _("Un service")
        DIRECTION = "direction", _("Une direction")
        ORGANISATION = "organisation", _("Toute la collectivité")
        TERRITORY = "territory", _("Les usagers du territoire")

    class Visibility(models.TextChoices):
        ALL = "all", _("Tous les agents")
        RESTRICTED = "restricted", _("L'équipe du projet et la direction générale")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("collectivité"),
    )
    title = models.CharField(_("titre"), max_length=200)
    summary = models.CharField(_("résumé"), max_length=400)
    description = models.TextField(_("description"), blank=True)
    nature = models.CharField(_("nature"), max_length=20, choices=Nature.choices)
    objects_of_innovation = models.ManyToManyField(
        InnovationObject, verbose_name=_("objets de l'innovation"), related_name="projects"
    )
    domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, null=True, blank=True, related_name="projects", verbose_name=_("domaine")
    )
    origin = models.CharField(_("origine"), max_length=20, choices=Origin.choices)
    directions = models.ManyToManyField(Direction, verbose_name=_("directions"), related_name="projects")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_projects",
        verbose_name=_("chef de projet"),
    )
    co_leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="co_led_projects", verbose_name=_("co-pilotes")
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="project_teams", verbose_name=_("équipe")
    )
    adoption_actors = models.ManyToManyField(
        AdoptionActor,
        blank=True,
        related_name="projects",
        verbose_name=_("acteurs ayant joué un rôle positif dans l'adoption"),
        help_text=_("Plusieurs réponses possibles. Demandé à la décision qui fait sortir le projet de l'adoption."),
    )
    partners = models.TextField(_("partenaires extérieurs"), blank=True)
    start_date = models.DateField(_("date de début"), null=True, blank=True, validators=[plausible_date])
    expected_end_date = models.DateField(_("date de fin prévue"), null=True, blank=True, validators=[plausible_date])
    estimated_cost = models.DecimalField(
        _("coût estimé (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    actual_cost = models.DecimalField(
        _("coût réel (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    perimeter = models.CharField(_("périmètre"), max_length=20, choices=Perimeter.choices, blank=True)
    people_concerned = models.PositiveIntegerField(
        _("personnes concernées"), null=True, blank=True, help_text=_("Nombre d'agents ou d'usagers concernés.")
    )
    scope = models.CharField(_("ampleur"), max_length=20, choices=Scope.choices, default=Scope.INCREMENTAL)
    visibility = models.CharField(_("visibilité"), max_length=20, choices=Visibility.choices, default=Visibility.ALL)
    open_data = models.BooleanField(
        _("publié en données ouvertes"),
        default=False,
        help_text=_(
            "Publie le projet sur /donnees-ouvertes/ sous Licence Ouverte 2.0 : titre, résumé, nature, objets, "
            "domaine, origine, directions, phase, statut, dates, coût estimé, périmètre, résultats observés et "
            "enseignements, jamais les personnes. Relisez ces textes avant de publier. Impossible pour un "
            "projet restreint."
        ),
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="projects", verbose_name=_("phase"))
    phase_since = models.DateField(_("dans la phase depuis"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="projects", verbose_name=_("étiquettes"))
    expected_value = models.TextField(_("valeur attendue (ex ante)"), blank=True)
    # The portfolio map (docs/carte-du-portefeuille.md): value and risk are rated by people, effort is derived.
    value_rating = models.PositiveSmallIntegerField(
        _("valeur attendue (1 à 5)"),
        null=True,
        blank=True,
        choices=RATINGS,
        help_text=_("Notée dès l'Émergence, revue à chaque passage de phase : 1 faible, 5 très forte."),
    )
    value_rationale = models.CharField(
        _("justification de la valeur"),
        max_length=400,
        blank=True,
        help_text=_("En une ou deux phrases : pourquoi cette note."),
    )
    risk_rating = models.PositiveSmallIntegerField(
        _("risque (1 à 5)"), null=True, blank=True, choices=RATINGS, help_text=_("1 faible, 5 très élevé.")
    )
    expost_rating = models.PositiveSmallIntegerField(
        _("appréciation ex post (1 à 5)"),
        null=True,
        blank=True,
        choices=RATINGS,
        help_text=_("La valeur réellement obtenue, notée par la cheffe ou le chef de projet en Appropriation."),
    )
    observed_results = models.TextField(_("résultats observés (ex post)"), blank=True)
    lessons_learned = models.TextField(_("enseignements"), blank=True)
    # Title, summary and description folded (lower case, no accents): the search matches "eclairage" to "Éclairage".
    search_text = models.TextField(editable=False, default="")
    # The title alone, folded: what the similar-title suggestions compare (common/similar.py).
    title_folded = models.CharField(max_length=200, editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("créé par")
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    history = HistoricalRecords(
        m2m_fields=[objects_of_innovation, directions, co_leads, team, tags, adoption_actors],
        excluded_fields=["updated_at", "search_text", "title_folded"],
        verbose_name=_("historique du projet"),
        bases=[StateRange],
    )

    objects = ScopedManager["Project"]()

    class Meta:
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        ordering = ["-updated_at"]
        permissions = [
            ("decide_gate", _("Décider des passages de phase")),
            ("view_all_projects", _("Voir tous les projets, y compris restreints")),
            ("view_project_history", _("Voir l'historique des modifications")),
            ("publish_open_data", _("Publier des projets en données ouvertes")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_cost__gte=0) | models.Q(estimated_cost__isnull=True),
                name="estimated_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(actual_cost__gte=0) | models.Q(actual_cost__isnull=True),
                name="actual_cost_not_negative",
            ),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5})
                    | models.Q(**{f"{name}__isnull": True}),
                    name=f"{name}_between_1_and_5",
                )
                for name in ("value_rating", "risk_rating", "expost_rating")
            ],
            models.CheckConstraint(
                condition=~models.Q(open_data=True, visibility="restricted"),
                name="restricted_project_not_open_data",
                violation_error_message=_("Un projet restreint ne peut pas être publié en données ouvertes."),
            ),
            models.CheckConstraint(
                condition=models.Q(expected_end_date__gte=models.F("start_date"))
                | models.Q(expected_end_date__isnull=True)
                | models.Q(start_date__isnull=True),
                name="end_not_before_start",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "phase"]),
            # The list's default sort (Meta.ordering): the ids of any page, the last one included, come from the index.
            models.Index(fields=["-updated_at", "-id"], name="project_updated_idx"),
            # The board: the projects that entered each phase last.
            models.Index(fields=["phase", "-phase_since"], name="project_phase_since_idx"),
            # The projects logged during a period (dashboards' key figures).
            models.Index(fields=["created_at"], name="project_created_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = folded(" ".join([self.title, self.summary, self.description]))
        self.title_folded = folded(self.title)[:200]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "summary", "description"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text", "title_folded"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portfolio:detail", args=[self.pk])

    def clean(self) -> None:
        if self.start_date and self.expected_end_date and self.expected_end_date < self.start_date:
            raise ValidationError(
                {"expected_end_date": _("La date de fin prévue ne peut pas précéder la date de début.")}
            )
        if self.open_data and self.visibility == self.Visibility.RESTRICTED:
            raise ValidationError({"open_data": _("Un projet restreint ne peut pas être publié en données ouvertes.")})

    @property
    def is_closed(self) -> bool:
        return self.status in {self.Status.STOPPED, self.Status.COMPLETED}

    def last_decision_pk(self) -> int:
        """The latest gate decision recorded (0 for none): what someone deciding has seen of the project."""
        return self.gate_decisions.order_by("-pk").values_list("pk", flat=True).first() or 0


class GateDecision(models.Model):
    """A decision at a phase gate; the history of a project's decisions is never deleted."""

    class Decision(models.TextChoices):
        GO = "go", _("Passage à la phase suivante")
        HOLD = "hold", _("Mise en attente")
        RESUME = "resume", _("Reprise")
        STOP = "stop", _("Arrêt")
        COMPLETE = "complete", _("Clôture (innovation appropriée)")

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="gate_decisions", verbose_name=_("projet")
    )
    decision = models.CharField(_("décision"), max_length=20, choices=Decision.choices)
    from_phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+", verbose_name=_("phase de départ"))
    to_phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+", verbose_name=_("phase d'arrivée"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("décidé par")
    )
    decided_on = models.DateField(_("date de la décision"))
    rationale = models.TextField(_("motivation"))
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)
    # A passage made before the project was entered in the portal, recorded when an existing project is registered
    # at its current phase: shown as such, never counted as a decision taken nor as a passage steered here.
    prior_existing = models.BooleanField(_("reprise de l'existant"), default=False, editable=False)

    objects = ThroughProject["GateDecision"]()

    class Meta:
        verbose_name = _("décision de passage de phase")
        verbose_name_plural = _("décisions de passage de phase")
        ordering = ["decided_on", "recorded_at"]
        # A project's decisions by date: the portfolio as it stood at a date (projects_as_of) reads them per project.
        indexes = [
            models.Index(fields=["project", "decided_on"], name="decision_project_day_idx"),
            # The decisions of a period (dashboards, reports): a range of days, whatever the number of projects.
            models.Index(fields=["decided_on"], name="decision_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.project} — {self.label} ({self.decided_on})"

    @property
    def label(self) -> str:
        """The kind of decision as people read it: a passage taken over from before the portal says so."""
        if self.prior_existing:
            return str(_("Reprise de l'existant"))
        return self.get_decision_display()


class ProjectPeriod(models.Model):
    """A stretch of days during which a project kept one phase and one status, derived from its gate decisions
    and rebuilt whenever they change (``portfolio.periods``): the state of the portfolio at a date is then one
    join, not a search through every project's decisions. A project without any decision has no period: its
    current phase and status are its state at any date."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="periods")
    starts_on = models.DateField()  # the decision's day, or the earliest date for the first period
    ends_on = models.DateField()  # the next decision's day (excluded), or the latest date for the current period
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Project.Status.choices)
    # The day the project had entered its phase; empty when no decision ever moved it: its own date then holds.
    phase_since = models.DateField(null=True)

    objects = ThroughProject["ProjectPeriod"]()

    class Meta:
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="period_days_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(starts_on__lt=models.F("ends_on")), name="period_not_empty")
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.phase_id} {self.status} [{self.starts_on}, {self.ends_on})"


class Indicator(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("projet"))
    name = models.CharField(_("nom"), max_length=200)
    unit = models.CharField(_("unité"), max_length=40, blank=True)
    baseline = models.DecimalField(_("valeur de départ"), max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("cible"), max_digits=14, decimal_places=2, null=True, blank=True)

    objects = ThroughProject["Indicator"]()

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Measurement(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("indicateur")
    )
    measured_on = models.DateField(_("date de la mesure"), validators=[plausible_date])
    value = models.DecimalField(_("valeur"), max_digits=14, decimal_places=2)
    comment = models.CharField(_("commentaire"), max_length=300, blank=True)

    objects = ThroughIndicatorProject["Measurement"]()

    class Meta:
        verbose_name = _("mesure")
        verbose_name_plural = _("mesures")
        ordering = ["measured_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"],
                name="one_measurement_per_day",
                violation_error_message=_("Une mesure existe déjà à cette date pour cet indicateur."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} : {self.value} ({self.measured_on})"


def attachment_path(instance: Attachment, filename: str) -> str:
    """Stored under a random name: the original name is kept in the row, never on disk."""
    return f"projects/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Attachment(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("projet"))
    file = models.FileField(_("fichier"), upload_to=attachment_path)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("déposé par")
    )
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    objects = ThroughProject["Attachment"]()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class FactorScore(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="factor_scores", verbose_name=_("projet")
    )
    factor = models.ForeignKey(SuccessFactor, on_delete=models.PROTECT, related_name="+", verbose_name=_("facteur"))
    score = models.PositiveSmallIntegerField(_("note"), validators=[MinValueValidator(1), MaxValueValidator(5)])

    objects = ThroughProject["FactorScore"]()

    class Meta:
        verbose_name = _("note de facteur de succès")
        verbose_name_plural = _("notes de facteurs de succès")
        constraints = [
            models.UniqueConstraint(fields=["project", "factor"], name="one_score_per_factor"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="score_between_1_and_5"),
        ]

    def __str__(self) -> str:
        return f"{self.factor} : {self.score}/5"


class StalledDigest(models.Model):
    """The weekly list of stalled projects sent to one lead: one row per lead and week, so that a second run of
    the task in the same week (retry, restarted beat) tells no one twice."""

    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(_("semaine du"))
    projects = models.PositiveIntegerField(_("projets signalés"))
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    objects = ThroughLead["StalledDigest"]()

    class Meta:
        verbose_name = _("récapitulatif des projets sans mouvement")
        verbose_name_plural = _("récapitulatifs des projets sans mouvement")
        constraints = [models.UniqueConstraint(fields=["lead", "week"], name="one_stalled_digest_per_week")]

    def __str__(self) -> str:
        return f"{self.lead} — {self.week}"


class DecisionRequest(models.Model):
    """A project lead asks the direction générale for a gate decision: the project waits on the « À décider » list
    until a decision is recorded on it (which closes the request) or the lead withdraws the request."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="decision_requests", verbose_name=_("projet")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("demandé par")
    )
    requested_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    message = models.TextField(_("message à la direction générale"), max_length=2000, blank=True)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    decision = models.ForeignKey(
        GateDecision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décision qui y a répondu"),
    )

    objects = ThroughProject["DecisionRequest"]()

    class Meta:
        verbose_name = _("demande de décision")
        verbose_name_plural = _("demandes de décision")
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_decision_request_per_project",
                violation_error_message=_("Une décision est déjà demandée pour ce projet."),
            )
        ]
        # The open requests, oldest first: the « À décider » list.
        indexes = [
            models.Index(
                fields=["requested_at"], condition=models.Q(closed_at__isnull=True), name="decision_request_open_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} — {self.requested_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class EffortRule(models.Model):
    """The thresholds that turn a project's estimated cost, planned duration and perimeter into an effort from
    1 to 5 (``portfolio.effort``), and the cuts that split the portfolio map into four quadrants. One row, edited
    by the DGS in the admin and seeded by a migration; docs/carte-du-portefeuille.md explains the rule."""

    cost_band_2 = models.DecimalField(_("coût : bande 2 à partir de (€)"), max_digits=12, decimal_places=2)
    cost_band_3 = models.DecimalField(_("coût : bande 3 à partir de (€)"), max_digits=12, decimal_places=2)
    cost_band_4 = models.DecimalField(_("coût : bande 4 à partir de (€)"), max_digits=12, decimal_places=2)
    cost_band_5 = models.DecimalField(_("coût : bande 5 à partir de (€)"), max_digits=12, decimal_places=2)
    duration_band_2 = models.PositiveSmallIntegerField(_("durée : bande 2 à partir de (mois)"))
    duration_band_3 = models.PositiveSmallIntegerField(_("durée : bande 3 à partir de (mois)"))
    duration_band_4 = models.PositiveSmallIntegerField(_("durée : bande 4 à partir de (mois)"))
    duration_band_5 = models.PositiveSmallIntegerField(_("durée : bande 5 à partir de (mois)"))
    perimeter_service = models.PositiveSmallIntegerField(_("périmètre « un service » : bande"), choices=RATINGS)
    perimeter_direction = models.PositiveSmallIntegerField(_("périmètre « une direction » : bande"), choices=RATINGS)
    perimeter_organisation = models.PositiveSmallIntegerField(
        _("périmètre « toute la collectivité » : bande"), choices=RATINGS
    )
    perimeter_territory = models.PositiveSmallIntegerField(
        _("périmètre « les usagers du territoire » : bande"), choices=RATINGS
    )
    high_value_from = models.PositiveSmallIntegerField(
        _("valeur forte à partir de"), choices=RATINGS, help_text=_("Sépare le haut et le bas de la carte.")
    )
    high_effort_from = models.PositiveSmallIntegerField(
        _("effort lourd à partir de"), choices=RATINGS, help_text=_("Sépare la gauche et la droite de la carte.")
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("règle de l'effort")
        verbose_name_plural = _("règle de l'effort")

    def __str__(self) -> str:
        return str(_("Règle de l'effort et des quadrants"))

    def clean(self) -> None:
        for kind in ("cost", "duration"):
            bands = [getattr(self, f"{kind}_band_{n}") for n in range(2, 6)]
            if None not in bands and bands != sorted(set(bands)):
                raise ValidationError(_("Les seuils d'une même mesure doivent croître strictement de bande en bande."))

    @classmethod
    def current(cls) -> EffortRule:
        """The rule in force: the seeded row (a fresh one with the seeded values if it was removed)."""
        rule = cls.objects.order_by("pk").first()
        return rule if rule is not None else cls(**EFFORT_RULE_DEFAULTS)


# The values the migration seeds, also used when the row is missing; the migration keeps its own frozen copy.
EFFORT_RULE_DEFAULTS = {
    "cost_band_2": 10_000,
    "cost_band_3": 50_000,
    "cost_band_4": 150_000,
    "cost_band_5": 500_000,
    "duration_band_2": 3,
    "duration_band_3": 6,
    "duration_band_4": 12,
    "duration_band_5": 24,
    "perimeter_service": 1,
    "perimeter_direction": 2,
    "perimeter_organisation": 4,
    "perimeter_territory": 5,
    "high_value_from": 3,
    "high_effort_from": 3,
}
