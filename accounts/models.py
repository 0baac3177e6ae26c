from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


class Organisation(models.Model):
    """The collectivité that this deployment serves: there is exactly one."""

    class Kind(models.TextChoices):
        COMMUNE = "commune", _("Commune")
        EPCI = "epci", _("EPCI")
        DEPARTEMENT = "departement", _("Département")
        SDIS = "sdis", _("SDIS")
        REGION = "region", _("Région")
        OTHER = "autre", _("Autre")

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type de collectivité"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("collectivité")
        verbose_name_plural = _("collectivités")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="single_organisation")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Organisation | None:
        return cls.objects.filter(pk=1).first()


class Direction(models.Model):
    """A direction (service) of the collectivité."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="directions", verbose_name=_("collectivité")
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("Court et stable, en majuscules (ex. DRH) : il sert dans les exports et les rapports."),
    )
    name = models.CharField(_("nom"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("direction")
        verbose_name_plural = _("directions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.code = self.code.strip().upper()
        super().save(*args, **kwargs)


class User(AbstractUser):
    """A person of the collectivité; their roles are the groups named in ``Role``."""

    direction = models.ForeignKey(
        Direction,
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
        verbose_name=_("direction"),
    )

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

    def has_role(self, role: Role) -> bool:
        return role in self.roles


class Notification(models.Model):
    """A message in a person's in-app inbox, e.g. the new status of an idea they proposed."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("destinataire")
    )
    message = models.CharField(_("message"), max_length=500)
    url = models.CharField(_("lien"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

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
