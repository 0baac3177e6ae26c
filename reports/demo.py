"""Demo: the report of the last quarter is requested, so a worker produces it as soon as it runs."""

from django.utils import timezone

from reports.quarters import Quarter
from reports.services import report_request


def seed() -> list[str]:
    quarter = Quarter.containing(timezone.localdate()).previous()
    report, created = report_request(quarter=quarter, direction=None, requested_by=None)
    state = "demandée au worker" if created else report.get_status_display().lower()
    return [f"Rapport trimestriel {quarter.code}, version {report.version} : {state} (/rapports/)."]
