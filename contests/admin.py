from django.contrib import admin

from common.admin import OrganisationFieldAdmin
from contests.models import Contest, Criterion, Idea


class CriterionInline(admin.TabularInline):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    model = Criterion
    extra = 0


@admin.register(Contest)
class ContestAdmin(OrganisationFieldAdmin):
    list_display = ["title", "state", "opens_on", "closes_on"]
    list_filter = ["state"]
    inlines = [CriterionInline]
    filter_horizontal = ["jury", "eligible_directions"]
    # States change in the portal, which records when (reports as at a past date depend on it).
    readonly_fields = ["state", "opened_at", "evaluation_started_at", "results_published_at"]


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    list_display = ["title", "contest", "author", "status"]
    list_filter = ["contest", "status"]
    list_select_related = ["contest", "author"]
    search_fields = ["title"]
    readonly_fields = ["project", "submitted_at", "status", "decided_at"]
