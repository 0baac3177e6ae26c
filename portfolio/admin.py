from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.admin import OrganisationFieldAdmin, ReadOnlyAdmin, SharedOrOwnAdmin
from portfolio.models import (
    AdoptionActor,
    Domain,
    EffortRule,
    GateDecision,
    InnovationObject,
    Phase,
    Project,
    SuccessFactor,
    Tag,
    TagSet,
)


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    list_display = ["order", "label", "code"]
    list_display_links = ["label"]


@admin.register(Domain)
class DomainAdmin(SharedOrOwnAdmin):
    list_display = ["name", "order"]


@admin.register(InnovationObject)
class InnovationObjectAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    list_display = ["label", "code", "order"]


@admin.register(AdoptionActor)
class AdoptionActorAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    """The choices of question C1: their codes are those of the national figures, so only labels and order change."""

    list_display = ["label", "code", "order"]
    readonly_fields = ["code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AdoptionActor | None = None) -> bool:
        return False


@admin.register(EffortRule)
class EffortRuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    """The one row of thresholds of the portfolio map (docs/carte-du-portefeuille.md): edited, never added twice
    nor deleted."""

    fieldsets = [
        (_("Coût estimé"), {"fields": ["cost_band_2", "cost_band_3", "cost_band_4", "cost_band_5"]}),
        (
            _("Durée prévue (de la date de début à la date de fin prévue ; un mois compte 30 jours)"),
            {"fields": ["duration_band_2", "duration_band_3", "duration_band_4", "duration_band_5"]},
        ),
        (
            _("Périmètre"),
            {"fields": ["perimeter_service", "perimeter_direction", "perimeter_organisation", "perimeter_territory"]},
        ),
        (_("Quadrants de la carte"), {"fields": ["high_value_from", "high_effort_from"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not EffortRule.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: EffortRule | None = None) -> bool:
        return False


class TagInline(admin.TabularInline):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    model = Tag
    extra = 1


@admin.register(TagSet)
class TagSetAdmin(SharedOrOwnAdmin):
    list_display = ["name"]
    inlines = [TagInline]


@admin.register(SuccessFactor)
class SuccessFactorAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    list_display = ["label", "family", "order"]
    list_filter = ["family"]


@admin.register(Project)
class ProjectAdmin(OrganisationFieldAdmin, SimpleHistoryAdmin):  # type: ignore[misc]  # simple-history: no type information
    """Projects are managed in the portal; the admin shows them and their history, and never deletes one."""

    list_display = ["title", "phase", "status", "lead", "updated_at"]
    list_filter = ["phase", "status", "nature"]

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, object] | None = None
    ) -> HttpResponse:
        # simple-history falls back on the records of a project it cannot read (another collectivité's): the
        # history is that of a project of the collectivité only, else the answer for a missing row.
        if self.get_object(request, unquote(object_id)) is None:
            missing: HttpResponse = self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
            return missing
        response: HttpResponse = super().history_view(request, object_id, extra_context)
        return response

    list_select_related = ["phase", "lead"]
    search_fields = ["title"]
    readonly_fields = ["phase", "phase_since", "status", "created_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a project starts in the portal, where its first phase and history are set

    def has_delete_permission(self, request: HttpRequest, obj: Project | None = None) -> bool:
        return False


@admin.register(GateDecision)
class GateDecisionAdmin(ReadOnlyAdmin):
    """Gate decisions are taken in the portal and never changed: the admin only shows them."""

    list_display = ["decided_on", "project", "decision", "from_phase", "to_phase", "decided_by", "recorded_at"]
    list_filter = ["decision", "to_phase"]
    list_select_related = ["project", "from_phase", "to_phase", "decided_by"]
    search_fields = ["project__title", "rationale"]
    date_hierarchy = "decided_on"
