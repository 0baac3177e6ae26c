from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

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
        "failure",
    ]
    list_filter = ["status", "quarter", "direction"]
    date_hierarchy = "requested_at"
    list_select_related = ["direction", "requested_by"]
    search_fields = ["quarter", "failure_reason", "task_id"]

    @admin.display(description=_("motif de l'échec"))
    def failure(self, report: Report) -> str:
        """The start of the failure reason, so that the list tells why each failed version did not come out."""
        return Truncator(report.failure_reason).chars(80)
