"""The questionnaire engine (questionnaires, sections, questions, choices, national references)
and its use (campaigns, personal invitations, responses, answers).

Identities live on ``Invitation`` only; a ``Response`` and its answers hold no user, no IP
address and no user agent, so that aggregated results never carry who said what.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from common.tenancy import (
    OwnedByOrganisation,
    ScopedManager,
    SharedOrOwned,
    SharedOrOwnManager,
    ThroughCampaign,
    ThroughResponseCampaign,
)
from common.translation import Localized

SCALE_POINTS = range(1, 6)


class Questionnaire(SharedOrOwned, models.Model):
    """One edition of a questionnaire; editions of the same ``series`` share question codes.

    The national editions are shared by every collectivité (no ``organisation``); a copy that a collectivité
    makes to adapt it is its own.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("collectivité"),
        help_text=_("Vide : proposé à toutes les collectivités."),
    )
    series = models.SlugField(
        _("série"),
        max_length=60,
        help_text=_("Identifie les éditions successives d'un même questionnaire, comparables entre elles."),
    )
    title = models.CharField(_("titre"), max_length=200)
    title_en = models.CharField(_("titre en anglais"), max_length=200, blank=True)
    edition = models.CharField(_("édition"), max_length=40)
    year = models.PositiveSmallIntegerField(_("année"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    description = models.TextField(_("présentation"), blank=True)
    description_en = models.TextField(_("présentation en anglais"), blank=True)
    source = models.TextField(_("source des résultats de référence"), blank=True)
    reference_respondents = models.PositiveIntegerField(
        _("répondants de l'enquête de référence"), null=True, blank=True
    )
    reference_complete_percent = models.PositiveSmallIntegerField(
        _("part de réponses complètes dans l'enquête de référence (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="later_editions",
        verbose_name=_("copié de l'édition"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    localized_title = Localized("title")
    localized_description = Localized("description")

    objects = SharedOrOwnManager["Questionnaire"]()

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["series", "-year", "edition"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "series", "edition"], name="unique_questionnaire_edition"),
            models.UniqueConstraint(
                fields=["series", "edition"],
                condition=models.Q(organisation__isnull=True),
                name="unique_shared_questionnaire_edition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.localized_title} ({self.edition})"

    def get_absolute_url(self) -> str:
        return reverse("surveys:questionnaire", args=[self.pk])


class Section(models.Model):
    """A page of the questionnaire (A to I in the national one)."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections", verbose_name=_("questionnaire")
    )
    code = models.CharField(_("code"), max_length=10)
    title = models.CharField(_("titre"), max_length=200)
    title_en = models.CharField(_("titre en anglais"), max_length=200, blank=True)
    description = models.TextField(_("présentation"), blank=True)
    description_en = models.TextField(_("présentation en anglais"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"))
    # Attached by surveys.selectors (its questions in order; its national figure), never stored.
    question_list: list[Question]
    reference: ReferenceValue | None

    localized_title = Localized("title")
    localized_description = Localized("description")

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["questionnaire", "order"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="unique_section_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.localized_title}"


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Choix unique")
        MULTIPLE = "multiple", _("Choix multiple")
        SCALE = "scale", _("Échelle de 1 à 5")
        NUMBER = "number", _("Nombre")
        SHORT_TEXT = "short_text", _("Texte court")
        LONG_TEXT = "long_text", _("Texte long")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)
    TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)

    # Denormalised from the section so that a code is unique in its questionnaire.
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions", verbose_name=_("questionnaire")
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions", verbose_name=_("section"))
    code = models.CharField(
        _("code"), max_length=20, help_text=_("Stable d'une édition à l'autre : il sert dans les imports et exports.")
    )
    text = models.CharField(_("intitulé"), max_length=500)
    text_en = models.CharField(_("intitulé en anglais"), max_length=500, blank=True)
    help_text = models.TextField(_("aide"), blank=True)
    help_text_en = models.TextField(_("aide en anglais"), blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    required = models.BooleanField(_("obligatoire"), default=False)
    order = models.PositiveSmallIntegerField(_("ordre"))
    min_value = models.IntegerField(_("valeur minimale"), null=True, blank=True)
    max_value = models.IntegerField(_("valeur maximale"), null=True, blank=True)
    scale_low_label = models.CharField(_("libellé de la note 1"), max_length=100, blank=True)
    scale_low_label_en = models.CharField(_("libellé de la note 1 en anglais"), max_length=100, blank=True)
    scale_high_label = models.CharField(_("libellé de la note 5"), max_length=100, blank=True)
    scale_high_label_en = models.CharField(_("libellé de la note 5 en anglais"), max_length=100, blank=True)
    condition_question = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependent_questions",
        verbose_name=_("affichée seulement si la question"),
    )
    condition_value = models.CharField(
        _("a pour réponse"), max_length=100, blank=True, help_text=_("Code du choix, ou valeur, attendu.")
    )
    # Prefetched by surveys.selectors (to_attr="choice_list", in order; its national figure), never stored.
    choice_list: list[Choice]
    reference: ReferenceValue | None

    localized_text = Localized("text")
    localized_help_text = Localized("help_text")
    localized_scale_low_label = Localized("scale_low_label")
    localized_scale_high_label = Localized("scale_high_label")

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["section__order", "order"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="unique_question_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.localized_text}"

    def clean(self) -> None:
        if self.section_id and self.questionnaire_id and self.section.questionnaire_id != self.questionnaire_id:
            raise ValidationError(_("La section doit appartenir au même questionnaire que la question."))
        if self.condition_question_id and not self.condition_value:
            raise ValidationError(_("Indiquez la réponse attendue à la question qui conditionne celle-ci."))

    @property
    def has_choices(self) -> bool:
        return self.kind in self.CHOICE_KINDS

    @property
    def is_text(self) -> bool:
        return self.kind in self.TEXT_KINDS


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question"))
    code = models.CharField(_("code"), max_length=40)
    label = models.CharField(_("libellé"), max_length=300)
    label_en = models.CharField(_("libellé en anglais"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"))
    # Attached by surveys.selectors (its national figure), never stored.
    reference: ReferenceValue | None

    localized_label = Localized("label")

    class Meta:
        verbose_name = _("choix")
        verbose_name_plural = _("choix")
        ordering = ["question", "order"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="unique_choice_code")]

    def __str__(self) -> str:
        return self.localized_label


class ReferenceValue(models.Model):
    """A published national figure: a percentage, or a rank where only an ordering was published.

    It concerns a choice (share of respondents who chose it), a question (rank of an item
    among the items of its section) or a section (rank of a family of determinants).
    Equal ranks mean the source does not tell the items apart.
    """

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="references", verbose_name=_("section")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="references", verbose_name=_("question")
    )
    choice = models.ForeignKey(
        Choice, on_delete=models.CASCADE, null=True, blank=True, related_name="references", verbose_name=_("choix")
    )
    percent = models.DecimalField(_("pourcentage"), max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rang"), null=True, blank=True)
    base_n = models.PositiveIntegerField(_("base (n)"))
    year = models.PositiveSmallIntegerField(_("année"))
    source = models.CharField(_("source"), max_length=300)
    note = models.CharField(_("remarque"), max_length=300, blank=True)
    note_en = models.CharField(_("remarque en anglais"), max_length=300, blank=True)

    localized_note = Localized("note")

    class Meta:
        verbose_name = _("valeur de référence")
        verbose_name_plural = _("valeurs de référence")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True, rank__isnull=False) | Q(percent__isnull=False, rank__isnull=True),
                name="reference_percent_or_rank",
            ),
            models.CheckConstraint(
                condition=(Q(section__isnull=False) & Q(question__isnull=True) & Q(choice__isnull=True))
                | (Q(section__isnull=True) & Q(question__isnull=False)),
                name="reference_one_target",
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__gte=0, percent__lte=100), name="reference_percent_range"
            ),
        ]

    def __str__(self) -> str:
        target = self.choice or self.question or self.section
        value = f"{self.percent} %" if self.percent is not None else f"rang {self.rank}"
        return f"{target} — {value}"


class NationalEdition(models.Model):
    """A network's edition of a questionnaire: one campaign per member collectivité, counted together.

    Opening it gives each member its campaign (``surveys.editions.edition_open``); each member's DGS invites
    its respondents through the usual personal links. The network's and the peer groups' counts are kept in
    ``EditionTally`` by the same writes as each campaign's ``Tally``.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("En préparation")
        OPEN = "open", _("Ouverte")
        CLOSED = "closed", _("Clôturée")

    network = models.ForeignKey(
        "accounts.Network", on_delete=models.PROTECT, related_name="editions", verbose_name=_("réseau")
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="national_editions", verbose_name=_("questionnaire")
    )
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(
        _("identifiant d'adresse"),
        max_length=60,
        help_text=_("Court, en minuscules et tirets : il sert d'adresse aux campagnes des membres."),
    )
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Also the author of the members' campaigns (a campaign names who created it).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("créée par")
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    opened_at = models.DateTimeField(_("ouverte le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("édition nationale")
        verbose_name_plural = _("éditions nationales")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "network",
                "slug",
                name="unique_edition_slug",
                violation_error_message=_("Une édition du réseau utilise déjà cet identifiant."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:edition", args=[self.slug])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Campaign(OwnedByOrganisation, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("En préparation")
        OPEN = "open", _("Ouverte")
        CLOSED = "closed", _("Clôturée")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("questionnaire")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("collectivité"),
    )
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(
        _("identifiant d'adresse"),
        max_length=60,
        help_text=_("Court, en minuscules et tirets : il apparaît dans les adresses et les imports."),
    )
    introduction = models.TextField(_("message aux répondants"), blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("créée par")
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    opened_at = models.DateTimeField(_("ouverte le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    edition = models.ForeignKey(
        NationalEdition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("édition nationale"),
    )

    objects = ScopedManager["Campaign"]()

    class Meta:
        verbose_name = _("campagne d'enquête")
        verbose_name_plural = _("campagnes d'enquête")
        ordering = ["-created_at"]
        permissions = [
            ("view_results", _("Voir les résultats agrégés des enquêtes")),
            ("view_respondents", _("Voir l'identité des répondants et leurs réponses")),
        ]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                "slug",
                name="unique_campaign_slug",
                violation_error_message=_("Une campagne de la collectivité utilise déjà cet identifiant."),
            ),
            models.UniqueConstraint(
                "edition",
                "organisation",
                name="unique_edition_campaign",
                violation_error_message=_("La collectivité a déjà sa campagne de cette édition."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:campaign", args=[self.slug])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Invitation(models.Model):
    """A person asked to answer, and their personal link: the only place that knows who they are."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("campagne")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compte"),
    )
    email = models.EmailField(_("adresse e-mail"))
    token = models.CharField(_("jeton"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("invitée le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("lien envoyé le"), null=True, blank=True)
    # The message of the outbox carrying the link; sent_at is set once the worker has actually sent it.
    link_email = models.ForeignKey(
        "accounts.OutgoingEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("e-mail du lien"),
    )
    # Set when a reminder is claimed (conditional update): nobody is reminded twice within REMINDER_INTERVAL.
    last_reminded_at = models.DateTimeField(_("dernière relance"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("relances"), default=0)

    objects = ThroughCampaign["Invitation"]()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint("campaign", Lower("email"), name="unique_invitation_email"),
        ]

    def __str__(self) -> str:
        return self.email

    def get_absolute_url(self) -> str:
        return reverse("surveys:respond", args=[self.token])


class Response(models.Model):
    """The answers of one respondent; saved page by page, submitted once."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("Partielle")
        SUBMITTED = "submitted", _("Complète")

    class Origin(models.TextChoices):
        WEB = "web", _("Lien personnel")
        IMPORT = "import", _("Import")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="responses", verbose_name=_("campagne")
    )
    # Deleting an invitation (a respondent's request) deletes their answers with it.
    invitation = models.OneToOneField(
        Invitation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="response",
        verbose_name=_("invitation"),
    )
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    origin = models.CharField(_("origine"), max_length=10, choices=Origin.choices, default=Origin.WEB)
    last_step = models.PositiveSmallIntegerField(_("dernière page enregistrée"), default=0)
    started_at = models.DateTimeField(_("commencée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    submitted_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)

    objects = ThroughCampaign["Response"]()

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        indexes = [models.Index(fields=["campaign", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="in_progress", submitted_at__isnull=True)
                | Q(status="submitted", submitted_at__isnull=False),
                name="response_submitted_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} #{self.pk}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    """One value: a chosen choice (one row per choice ticked), a number or score, or a text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("réponse"))
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question"))
    choice = models.ForeignKey(
        Choice, on_delete=models.PROTECT, null=True, blank=True, related_name="answers", verbose_name=_("choix")
    )
    number = models.IntegerField(_("nombre ou note"), null=True, blank=True)
    text = models.TextField(_("texte"), blank=True)

    objects = ThroughResponseCampaign["Answer"]()

    class Meta:
        verbose_name = _("réponse à une question")
        verbose_name_plural = _("réponses aux questions")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "choice"],
                condition=Q(choice__isnull=False),
                name="unique_answer_choice",
            ),
            models.UniqueConstraint(
                fields=["response", "question"], condition=Q(choice__isnull=True), name="unique_answer_value"
            ),
        ]
        indexes = [
            models.Index(fields=["question", "choice"]),
            models.Index(fields=["question", "number"]),
            # The latest written texts of a question (the results' previews), newest first, without
            # reading the question's other texts.
            models.Index(
                fields=["question", "-id"],
                condition=Q(choice__isnull=True) & ~Q(text=""),
                name="answer_latest_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code} = {self.choice_id or self.number or self.text[:30]}"


class ResponseFile(models.Model):
    """The fingerprint of a file of responses imported into, or exported from, a campaign.

    Importing the same file twice, or importing a campaign's own export back, would count
    every respondent twice: the import refuses such a file.
    """

    class Kind(models.TextChoices):
        IMPORTED = "imported", _("importé")
        EXPORTED = "exported", _("exporté")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="response_files")
    kind = models.CharField(_("nature"), max_length=10, choices=Kind.choices)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    objects = ThroughCampaign["ResponseFile"]()

    class Meta:
        verbose_name = _("fichier de réponses")
        verbose_name_plural = _("fichiers de réponses")
        indexes = [models.Index(fields=["campaign", "sha256"])]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.get_kind_display()} {date_format(self.created_at, 'SHORT_DATE_FORMAT')}"


class Tally(models.Model):
    """A count the results read, kept up to date in the transaction that changes the answers.

    One row per campaign, cell (complete or not, and the respondent's profile: the choice
    given to the type of collectivité (A1) and to the function (A2), 0 when none) and what is
    counted: respondents, respondents who answered a question or scored an item of a section,
    or the respondents who gave a choice, a score or a number. The results page adds the rows
    of the cells its filters select; ``surveys.tallies`` writes them and checks them against a
    recount of the answers.
    """

    class Kind(models.TextChoices):
        PEOPLE = "people", _("répondants")
        QUESTION = "question", _("répondants à la question")
        SECTION = "section", _("répondants ayant noté la section")
        CHOICE = "choice", _("choix")
        SCORE = "score", _("note")
        NUMBER = "number", _("nombre")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+", verbose_name=_("campagne"))
    submitted = models.BooleanField(_("réponses complètes"))
    # Primary keys of the choices given to the profile questions (not foreign keys: a count outlives nothing).
    profile_type = models.IntegerField(_("type de collectivité"))
    profile_function = models.IntegerField(_("fonction"))
    kind = models.CharField(_("nature"), max_length=10, choices=Kind.choices)
    target = models.IntegerField(_("question ou section"))  # 0 for the respondents
    value = models.IntegerField(_("choix ou valeur"))  # a choice's key, a score, a number; 0 otherwise
    count = models.IntegerField(_("effectif"))

    objects = ThroughCampaign["Tally"]()

    class Meta:
        verbose_name = _("décompte")
        verbose_name_plural = _("décomptes")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "submitted", "profile_type", "profile_function", "kind", "target", "value"],
                name="unique_tally_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.kind} {self.target}/{self.value} = {self.count}"


class EditionTally(models.Model):
    """A count of a national edition, kept up to date in the transaction that changes a member's answers.

    ``group`` says whose answers are counted: ``reseau`` (every member), ``pairs:<type>:<strate>`` (the
    members of the same type of collectivité and the same population band) or ``membre:<id>`` (one member:
    its respondents only, for the participation). ``kind`` says what: respondents, complete responses,
    respondents to a question, respondents who gave a choice or a score, or (in the network's and the peer
    groups' rows) the collectivités with at least one response. ``surveys.editions`` writes them and checks
    them against a recount of the answers.
    """

    class Kind(models.TextChoices):
        PEOPLE = "people", _("répondants")
        COMPLETE = "complete", _("réponses complètes")
        QUESTION = "question", _("répondants à la question")
        CHOICE = "choice", _("choix")
        SCORE = "score", _("note")
        MEMBERS = "members", _("collectivités ayant des réponses")

    edition = models.ForeignKey(
        NationalEdition, on_delete=models.CASCADE, related_name="+", verbose_name=_("édition nationale")
    )
    group = models.CharField(_("groupe"), max_length=60)
    kind = models.CharField(_("nature"), max_length=10, choices=Kind.choices)
    target = models.IntegerField(_("question"))  # 0 for the respondents and the collectivités
    value = models.IntegerField(_("choix ou note"))  # a choice's key, a score; 0 otherwise
    count = models.IntegerField(_("effectif"))

    class Meta:
        verbose_name = _("décompte d'édition nationale")
        verbose_name_plural = _("décomptes d'édition nationale")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "group", "kind", "target", "value"], name="unique_edition_tally_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.edition_id} {self.group} {self.kind} {self.target}/{self.value} = {self.count}"
