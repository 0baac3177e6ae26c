"""Admin helpers shared by the apps."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    """For records an operator inspects but only the portal writes (decisions, reports, outgoing e-mails):
    listed and shown, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class OrganisationFieldAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    """For the rows of a collectivité (``common.tenancy.OwnedByOrganisation``).

    The DGS of a collectivité reads only its rows (the default managers are scoped) and never sees the
    ``organisation`` field: a new row takes the collectivité in scope when it is validated. The host operator (a
    superuser of no collectivité) sees every collectivité's rows, with their collectivité in the list, and chooses
    it for a new row; a row never moves from one collectivité to another here.
    """

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        exclude = list(super().get_exclude(request, obj) or [])
        if not request.user.is_superuser:
            exclude.append("organisation")
        return exclude

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser and obj is not None:
            readonly.append("organisation")
        return readonly

    def get_list_display(self, request: HttpRequest) -> Any:
        columns = list(super().get_list_display(request))
        return [*columns, "organisation"] if request.user.is_superuser else columns

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters = list(super().get_list_filter(request))
        return [*filters, "organisation"] if request.user.is_superuser else filters


class SharedOrOwnAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    """For the lists every collectivité starts from and completes (domains, tag sets): a collectivité's DGS adds
    and edits its own entries and reads the shared ones; only the host operator (a superuser) edits those."""

    def get_list_display(self, request: HttpRequest) -> Any:
        return [*super().get_list_display(request), "shared"]

    @admin.display(description=_("Partagé"), boolean=True)
    def shared(self, obj: Any) -> bool:
        return obj.organisation_id is None

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return None if request.user.is_superuser else ["organisation"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and (
            obj is None or obj.organisation_id is not None or request.user.is_superuser
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.organisation_id is not None or request.user.is_superuser
        )
