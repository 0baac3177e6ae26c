from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts import selectors
from accounts.models import Direction, Network, Organisation, OutgoingEmail, User
from common.admin import OrganisationFieldAdmin, ReadOnlyAdmin


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    """Networks are the host operator's (a superuser): a member's DGS does not even see them here."""

    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Network]:
        # None for anyone else: a network's address answers as a missing one would (its history included).
        networks = super().get_queryset(request)
        return networks if request.user.is_superuser else networks.none()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Network | None = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Network | None = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Network | None = None) -> bool:
        return False  # its members and animateurs hold it (PROTECT)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    """The host operator (a superuser) creates the collectivités and places them in a network; the DGS of one sees
    and changes their own (name, type, population), never its network."""

    list_display = ["name", "kind", "population", "size_band_label", "network"]
    list_select_related = ["network"]
    search_fields = ["name"]

    @admin.display(description=_("strate de population"))
    def size_band_label(self, organisation: Organisation) -> str:
        band = organisation.size_band
        return str(Organisation.SizeBand(band).label) if band else "—"

    def get_list_filter(self, request: HttpRequest) -> Any:
        return ["network", "kind"] if request.user.is_superuser else []

    def get_readonly_fields(self, request: HttpRequest, obj: Organisation | None = None) -> list[str]:
        return [] if request.user.is_superuser else ["slug", "network"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        # The collectivité of the person (all of them for the host operator, a superuser of none).
        organisations = super().get_queryset(request)
        organisation_id = getattr(request.user, "organisation_id", None)
        if organisation_id is not None:
            return organisations.filter(pk=organisation_id)
        return organisations if request.user.is_superuser else organisations.none()

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The host operator adds the members of a network; a deployment of one collectivité creates its own.
        if request.user.is_superuser:
            return True
        return not Organisation.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        return False


@admin.register(Direction)
class DirectionAdmin(OrganisationFieldAdmin):
    list_display = ["code", "name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]


class _CollectiviteOrNetwork(forms.ModelForm):  # type: ignore[type-arg]  # not subscriptable at run time
    """When the host operator places an account: in one collectivité (with a direction of that collectivité), or
    as the animateur of one network; never both, never neither (a DGS's form has neither field: the account
    belongs to the DGS's collectivité)."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if "organisation" not in self.fields:
            return cleaned
        organisation, network = cleaned.get("organisation"), cleaned.get("network")
        direction = cleaned.get("direction")
        superuser = cleaned.get("is_superuser", self.instance.is_superuser)
        if organisation and network:
            raise forms.ValidationError(
                _("L'animateur d'un réseau n'appartient à aucune collectivité : choisissez l'un ou l'autre.")
            )
        if not organisation and not network and not superuser:
            raise forms.ValidationError(_("Choisissez la collectivité de la personne, ou le réseau qu'elle anime."))
        if direction is not None and direction.organisation_id != getattr(organisation, "pk", None):
            self.add_error("direction", _("Cette direction n'appartient pas à la collectivité choisie."))
        return cleaned


class PortalUserChangeForm(_CollectiviteOrNetwork, UserChangeForm):  # type: ignore[type-arg]  # (same)
    pass


class PortalUserCreationForm(_CollectiviteOrNetwork, AdminUserCreationForm):
    pass


@admin.register(User)
class UserAdmin(OrganisationFieldAdmin, BaseUserAdmin):  # type: ignore[type-arg]  # not subscriptable at run time
    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    list_display = ["username", "last_name", "first_name", "email", "direction", "is_active"]
    list_filter = ["groups", "direction", "is_active", "is_staff"]
    list_select_related = ["direction", "organisation"]
    fieldsets = (
        *BaseUserAdmin.fieldsets[:2],  # type: ignore[index]  # the stubs allow None; Django's UserAdmin sets them
        (_("Organisation et rôles"), {"fields": ("direction", "groups")}),
        (_("Accès à l'administration"), {"fields": ("is_active", "is_staff", "is_superuser", "user_permissions")}),
        *BaseUserAdmin.fieldsets[3:],  # type: ignore[index]  # (same)
    )
    # The host operator places each account in a collectivité, or makes it the animateur of a network.
    operator_fieldsets = (
        *BaseUserAdmin.fieldsets[:2],  # type: ignore[index]  # (same)
        (_("Organisation et rôles"), {"fields": ("organisation", "network", "direction", "groups")}),
        (_("Accès à l'administration"), {"fields": ("is_active", "is_staff", "is_superuser", "user_permissions")}),
        *BaseUserAdmin.fieldsets[3:],  # type: ignore[index]  # (same)
    )

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> Any:
        if request.user.is_superuser:
            if obj is None:
                return self.operator_add_fieldsets
            return self.operator_fieldsets
        return super().get_fieldsets(request, obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        people = super().get_queryset(request)
        return people if request.user.is_superuser else people.filter(is_superuser=False)

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # A superuser's account (password, e-mail, status) is changed by a superuser only.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Only a superuser grants administration rights; the DGS manages people, roles and directions.
        if request.user.is_superuser:
            return []
        return ["is_staff", "is_superuser", "user_permissions", "last_login", "date_joined"]

    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "email", "direction", "groups", "password1", "password2")},
        ),
    )
    operator_add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "email",
                    "organisation",
                    "network",
                    "direction",
                    "groups",
                    "password1",
                    "password2",
                ),
            },
        ),
    )


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    """The outbox as an operator inspects it: where each message stands and its last error (its text is not
    shown: a password reset link must stay private). The DGS resends failures from the portal."""

    list_display = ["created_at", "to", "kind", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject", "last_error"]
    exclude = ["body"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutgoingEmail]:
        return selectors.collectivite_emails()
