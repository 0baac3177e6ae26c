from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts import selectors
from accounts.models import Direction, Organisation, OutgoingEmail, User
from common.admin import ReadOnlyAdmin


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    list_display = ["name", "kind"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        # The collectivité of the person (all of them for the host operator, a superuser of none).
        organisations = super().get_queryset(request)
        organisation_id = getattr(request.user, "organisation_id", None)
        if organisation_id is not None:
            return organisations.filter(pk=organisation_id)
        return organisations if request.user.is_superuser else organisations.none()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not Organisation.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        return False


@admin.register(Direction)
class DirectionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    list_display = ["code", "name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    list_display = ["username", "last_name", "first_name", "email", "direction", "is_active"]
    list_filter = ["groups", "direction", "is_active", "is_staff"]
    list_select_related = ["direction"]
    fieldsets = (
        *BaseUserAdmin.fieldsets[:2],  # type: ignore[index]  # the stubs allow None; Django's UserAdmin sets them
        (_("Organisation et rôles"), {"fields": ("direction", "groups")}),
        (_("Accès à l'administration"), {"fields": ("is_active", "is_staff", "is_superuser", "user_permissions")}),
        *BaseUserAdmin.fieldsets[3:],  # type: ignore[index]  # (same)
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        people = super().get_queryset(request)
        return people if request.user.is_superuser else people.filter(is_superuser=False)

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # A superuser's account (password, e-mail, status) is changed by a superuser only.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> list[str]:
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
