"""The questionnaire stays data: sections, questions, choices and national references are edited here.

Campaigns, invitations and answers are run from the portal (where identities and small
groups are protected); the admin does not show answers at all.
"""

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest

from surveys.models import Campaign, Choice, NationalEdition, Question, Questionnaire, ReferenceValue, Section


class SectionInline(admin.TabularInline):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    model = Section
    extra = 0
    fields = ["order", "code", "title", "title_en", "description", "description_en"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    list_display = ["title", "edition", "year", "series"]
    list_filter = ["series"]
    inlines = [SectionInline]


class ChoiceInline(admin.TabularInline):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    model = Choice
    extra = 0


class ReferenceInline(admin.TabularInline):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    model = ReferenceValue
    fk_name = "question"
    extra = 0
    fields = ["choice", "percent", "rank", "base_n", "year", "source", "note", "note_en"]

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> "ModelChoiceField[Any] | None":
        if db_field.name == "choice":
            match = request.resolver_match
            question_id = match.kwargs.get("object_id") if match else None
            # On the add page there is no question yet, hence no choice (as filtering on None gave).
            kwargs["queryset"] = (
                Choice.objects.filter(question_id=question_id) if question_id else Choice.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    list_display = ["code", "text", "kind", "required", "questionnaire"]
    list_filter = ["questionnaire", "section__code", "kind"]
    list_select_related = ["questionnaire"]
    search_fields = ["code", "text", "text_en"]
    raw_id_fields = ["condition_question"]
    inlines = [ChoiceInline, ReferenceInline]


@admin.register(ReferenceValue)
class ReferenceValueAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    list_display = ["__str__", "percent", "rank", "base_n", "year"]
    list_select_related = ["section", "question", "choice"]
    raw_id_fields = ["section", "question", "choice"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    """Read-only here: campaigns are opened, closed and answered in the portal."""

    list_display = ["title", "questionnaire", "status", "opened_at"]
    list_select_related = ["questionnaire"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(NationalEdition)
class NationalEditionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not subscriptable at run time (no django_stubs_ext)
    """A network's editions; opening one (members' campaigns) is done by ``surveys.services.edition_open``."""

    list_display = ["title", "network", "slug", "status", "opened_at"]
    list_filter = ["network", "status"]
    readonly_fields = ["status", "opened_at", "closed_at"]

    # The host operator's (a superuser): anyone else reads a network's editions on its network pages.
    def get_queryset(self, request: HttpRequest) -> QuerySet[NationalEdition]:
        editions = super().get_queryset(request)
        return editions if request.user.is_superuser else editions.none()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser
