from django.contrib import admin

from common.admin import ReadOnlyAdmin
from reports.models import Report


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """The versions of the quarterly reports with their production: state, attempts, lease and failure
    reason, for an operator looking into a report that did not come out."""

    list_display = [
        "quarter",
        "direction",
        "version",
        "status",
        "attempts",
        "requested_by",
        "requested_at",
        "finished_at",
    ]
    list_filter = ["status", "quarter"]
    list_select_related = ["direction", "requested_by"]
    search_fields = ["quarter", "failure_reason", "task_id"]
