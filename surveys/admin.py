"""The questionnaire stays data: sections, questions, choices and national references are edited here.

Campaigns, invitations and answers are run from the portal (where identities and small
groups are protected); the admin does not show answers at all.
"""

from django.contrib import admin

from surveys.models import Campaign, Choice, Question, Questionnaire, ReferenceValue, Section


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["order", "code", "title", "title_en", "description", "description_en"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "edition", "year", "series"]
    list_filter = ["series"]
    inlines = [SectionInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


class ReferenceInline(admin.TabularInline):
    model = ReferenceValue
    fk_name = "question"
    extra = 0
    fields = ["choice", "percent", "rank", "base_n", "year", "source", "note", "note_en"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # noqa: ANN001, ANN003, ANN201
        if db_field.name == "choice":
            question_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Choice.objects.filter(question_id=question_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "text", "kind", "required", "questionnaire"]
    list_filter = ["questionnaire", "section__code", "kind"]
    list_select_related = ["questionnaire"]
    search_fields = ["code", "text", "text_en"]
    raw_id_fields = ["condition_question"]
    inlines = [ChoiceInline, ReferenceInline]


@admin.register(ReferenceValue)
class ReferenceValueAdmin(admin.ModelAdmin):
    list_display = ["__str__", "percent", "rank", "base_n", "year"]
    list_select_related = ["section", "question", "choice"]
    raw_id_fields = ["section", "question", "choice"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    """Read-only here: campaigns are opened, closed and answered in the portal."""

    list_display = ["title", "questionnaire", "status", "opened_at"]
    list_select_related = ["questionnaire"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
