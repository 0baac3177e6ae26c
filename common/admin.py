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
