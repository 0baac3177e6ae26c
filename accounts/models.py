from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from common.tenancy import (
    OwnedByOrganisation,
    ScopedManager,
    ScopedQuerySet,
    ThroughUser,
    current_organisation_id,
    current_scope,
)
from common.translation import Localized


class Network(models.Model):
    """A network of collectivités (an intercommunalité and its communes, a departmental centre…).

    Its members keep their portfolios to themselves; they share the projects they publish to the network's
    catalogue and answer its national edition of the questionnaire. Its animateurs see only what is
    aggregated over the members.
    """

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("adresse"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("réseau de collectivités")
        verbose_name_plural = _("réseaux de collectivités")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A collectivité served by this deployment: one most of the time, the members of a network otherwise."""

    class Kind(models.TextChoices):
        COMMUNE = "commune", _("Commune")
        EPCI = "epci", _("EPCI")
        DEPARTEMENT = "departement", _("Département")
        SDIS = "sdis", _("SDIS")
        REGION = "region", _("Région")
        OTHER = "autre", _("Autre")

    class SizeBand(models.TextChoices):
        """Population bands of the peer groups (the tranches of the national statistics)."""

        UNDER_3500 = "lt3500", _("moins de 3 500 habitants")
        UNDER_20000 = "lt20000", _("de 3 500 à 19 999 habitants")
        UNDER_100000 = "lt100000", _("de 20 000 à 99 999 habitants")
        LARGE = "ge100000", _("100 000 habitants et plus")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("adresse"), max_length=80, unique=True, null=True, blank=True)
    kind = models.CharField(_("type de collectivité"), max_length=20, choices=Kind.choices)
    population = models.PositiveIntegerField(
        _("population"),
        null=True,
        blank=True,
        help_text=_("Population légale ; elle place la collectivité dans sa strate."),
    )
    network = models.ForeignKey(
        Network,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("réseau"),
    )

    class Meta:
        verbose_name = _("collectivité")
        verbose_name_plural = _("collectivités")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def size_band(self) -> str:
        return size_band(self.population)

    @classmethod
    def default(cls) -> Organisation:
        """The deployment's first collectivité, created under a neutral name if there is none yet."""
        first = cls.objects.order_by("pk").first()
        if first is None:
            first = cls.objects.create(name=str(_("Ma collectivité")), kind=cls.Kind.OTHER)
        return first

    @classmethod
    def current(cls) -> Organisation | None:
        """The collectivité in scope (``common.tenancy``), else the deployment's first."""
        scope = current_scope()
        if scope is not None:
            organisation_id = current_organisation_id()
            return cls.objects.filter(pk=organisation_id).first() if organisation_id else None
        return cls.objects.order_by("pk").first()


def size_band(population: int | None) -> str:
    """The population band of ``population`` (``""`` when it is not known)."""
    if population is None:
        return ""
    for limit, band in (
        (3_500, Organisation.SizeBand.UNDER_3500),
        (20_000, Organisation.SizeBand.UNDER_20000),
        (100_000, Organisation.SizeBand.UNDER_100000),
    ):
        if population < limit:
            return band
    return Organisation.SizeBand.LARGE


class Direction(OwnedByOrganisation, models.Model):
    """A direction (service) of a collectivité."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="directions",
        verbose_name=_("collectivité"),
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        help_text=_("Court et stable, en majuscules (ex. DRH) : il sert dans les exports et les rapports."),
    )
    name = models.CharField(_("nom"), max_length=200)
    name_en = models.CharField(_("nom en anglais"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    localized_name = Localized("name")

    objects = ScopedManager["Direction"]()
    all_collectivites = models.Manager["Direction"]()  # for what reads across collectivités on purpose

    class Meta:
        verbose_name = _("direction")
        verbose_name_plural = _("directions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                "code",
                name="unique_direction_code",
                violation_error_message=_("Une direction de la collectivité porte déjà ce code."),
            )
        ]

    def __str__(self) -> str:
        return self.localized_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.code = self.code.strip().upper()
        super().save(*args, **kwargs)


class PeopleQuerySet(ScopedQuerySet["User"]):
    """The people of the collectivité in scope; every account within nobody's (sign-in, password reset)."""

    def apply_scope(self) -> None:
        scope = current_scope()
        if scope is not None and scope.organisation_id is not None:
            self.scope_applied = True
            self.query.add_q(models.Q(organisation=scope.organisation_id))


class ScopedUserManager(UserManager["User"]):
    _queryset_class = PeopleQuerySet

    def get_queryset(self) -> models.QuerySet[User]:
        queryset = super().get_queryset()
        assert isinstance(queryset, PeopleQuerySet)
        queryset.apply_scope()
        return queryset


class User(OwnedByOrganisation, AbstractUser):
    """A person of one collectivité (or a network's animateur); their roles are the groups named in ``Role``."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
        verbose_name=_("collectivité"),
        help_text=_("Vide pour l'animateur d'un réseau, qui ne voit que les agrégats du réseau."),
    )
    network = models.ForeignKey(
        Network,
        on_delete=models.PROTECT,
        related_name="animateurs",
        null=True,
        blank=True,
        verbose_name=_("réseau animé"),
    )

    direction = models.ForeignKey(
        Direction,
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
        verbose_name=_("direction"),
    )

    objects = ScopedUserManager()  # type: ignore[misc]  # AbstractUser declares a plain UserManager

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="unique_user_email",
                violation_error_message=_("Un compte utilise déjà cette adresse e-mail."),
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> list[Role]:
        """The user's roles, in the order of ``Role``."""
        names = {group.name for group in self.groups.all()}
        return [role for role in Role if role.value in names]

    def belongs_to_a_collectivite(self) -> bool:
        """A network's animateur and a superuser of no collectivité (the host operator) stay of none."""
        return not (self.network_id or self.is_superuser)

    def fill_organisation(self) -> None:
        """A new person of a direction belongs to the direction's collectivité."""
        if self.organisation_id is None and self.direction_id is not None and self.belongs_to_a_collectivite():
            self.organisation_id = (
                Direction.all_collectivites.filter(pk=self.direction_id)
                .values_list("organisation_id", flat=True)
                .first()
            )
        super().fill_organisation()

    def has_role(self, role: Role) -> bool:
        return role in self.roles


class NotificationKind(models.TextChoices):
    """What a notification is about; each person chooses per kind how they want to hear of it."""

    GATE_DECISION = "gate_decision", _("Décisions de passage de phase sur mes projets")
    CONTEST = "contest", _("Ouverture, clôture et résultats des concours")
    JURY = "jury", _("Invitations et relances du jury")
    IDEA_STATUS = "idea_status", _("Suivi de mes idées (dépôt, examen, décision)")
    IDEA_ACTIVITY = "idea_activity", _("Commentaires et soutiens sur mes idées")
    MODERATION = "moderation", _("Modération de mes contributions")
    REPORT_READY = "report_ready", _("Rapports prêts à télécharger")
    STALLED = "stalled", _("Mes projets sans mouvement (chaque lundi)")
    DECISION_REQUEST = "decision_request", _("Décisions demandées par les chefs de projet (direction générale)")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("Dans le portail seulement")
    EMAIL = "email", _("Dans le portail et par e-mail")
    DIGEST = "digest", _("Dans le portail et dans un récapitulatif quotidien par e-mail")


# Until a person chooses, the many messages of a contest reach them once a day.
DEFAULT_CHANNELS: dict[str, Channel] = {
    NotificationKind.CONTEST: Channel.DIGEST,
    NotificationKind.IDEA_ACTIVITY: Channel.DIGEST,
}


class NotificationPreference(models.Model):
    """How a person wants to hear of one kind of notification; no row means the default channel."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notification_preferences", verbose_name=_("personne")
    )
    kind = models.CharField(_("type"), max_length=30, choices=NotificationKind)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()}"

    @staticmethod
    def default(kind: str) -> str:
        return DEFAULT_CHANNELS.get(kind, Channel.EMAIL)


class Notification(models.Model):
    """A message in a person's in-app inbox, e.g. the new status of an idea they proposed."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("destinataire")
    )
    kind = models.CharField(_("type"), max_length=30, choices=NotificationKind, blank=True)
    message = models.CharField(_("message"), max_length=500)
    url = models.CharField(_("lien"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)
    in_digest = models.BooleanField(_("attend le récapitulatif"), default=False)

    objects = ThroughUser["Notification"]()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["user"], condition=models.Q(in_digest=True), name="notification_digest_due"),
        ]

    def __str__(self) -> str:
        return self.message


class Lockout(models.Model):
    """A sign-in lockout (too many failures for an account from one address), kept for the DGS to review.

    Someone locking an account on purpose does it again and again, from many addresses: the lockout page
    (``accounts:lockouts``) shows the accounts locked repeatedly.
    """

    username = models.CharField(_("identifiant saisi"), max_length=150)
    ip_address = models.GenericIPAddressField(_("adresse"), null=True, blank=True)
    locked_at = models.DateTimeField(_("verrouillé le"), default=timezone.now)

    class Meta:
        verbose_name = _("verrouillage de connexion")
        verbose_name_plural = _("verrouillages de connexion")
        ordering = ["-locked_at"]
        indexes = [models.Index(fields=["locked_at", "username"])]

    def __str__(self) -> str:
        return f"{self.username} ({self.ip_address or '?'})"


class OutgoingEmail(OwnedByOrganisation, models.Model):
    """One e-mail of the outbox: written in the transaction of the action, sent by a worker.

    ``queued`` waits for a worker (again after a failed attempt, from ``next_attempt_at``);
    ``sending`` is claimed by one; ``sent`` and ``failed`` (attempts exhausted) are final until
    the DGS resends a failed one.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("en attente")
        SENDING = "sending", _("en cours d'envoi")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("en échec")

    class Kind(models.TextChoices):
        NOTIFICATION = "notification", _("notification")
        DIGEST = "digest", _("récapitulatif quotidien")
        PASSWORD_RESET = "password_reset", _("réinitialisation du mot de passe")
        SURVEY_INVITATION = "survey_invitation", _("invitation à l'enquête")
        SURVEY_REMINDER = "survey_reminder", _("relance de l'enquête")

    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("destinataire")
    )
    # The collectivité whose action wrote it (its person's, else the one in scope): its DGS sees its failures.
    # Empty for the system's and a network's messages. The worker sends by id, whatever the collectivité.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("collectivité"),
    )
    to = models.EmailField(_("adresse"))
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    subject = models.CharField(_("objet"), max_length=300)
    body = models.TextField(_("texte"))
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.CharField(_("dernière erreur"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), default=timezone.now)
    claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail sortant")
        verbose_name_plural = _("e-mails sortants")
        ordering = ["-created_at"]
        permissions = [("resend_outgoingemail", _("Peut voir les envois en échec et les renvoyer"))]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.to} — {self.subject}"

    def fill_organisation(self) -> None:
        """A message belongs to its person's collectivité, else to the one in scope (an outside address)."""
        if self.organisation_id is None and self.user_id is not None:
            self.organisation_id = (
                User.objects.filter(pk=self.user_id).values_list("organisation_id", flat=True).first()
            )
        super().fill_organisation()
