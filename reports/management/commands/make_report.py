import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Direction
from reports.models import Report
from reports.quarters import Quarter
from reports.services import final_path, report_request


class Command(BaseCommand):
    help = "Demande le rapport trimestriel d'un trimestre (ex. 2026Q3) et affiche le chemin du PDF."

    def add_arguments(self, parser):  # noqa: ANN001, ANN201
        parser.add_argument("--quarter", required=True, help="Trimestre, par exemple 2026Q3.")
        parser.add_argument("--direction", help="Code d'une direction ; sans lui, toute la collectivité.")
        parser.add_argument("--wait", action="store_true", help="Attend qu'un worker ait produit le PDF.")
        parser.add_argument("--timeout", type=int, default=600, help="Secondes d'attente au plus avec --wait.")

    def handle(self, *args, quarter: str, direction: str | None, wait: bool, timeout: int, **options) -> None:  # noqa: ANN002, ANN003
        try:
            period = Quarter.parse(quarter)
        except ValueError as error:
            raise CommandError(str(error)) from None
        scope = None
        if direction:
            scope = Direction.objects.filter(code=direction.upper()).first()
            if scope is None:
                codes = ", ".join(Direction.objects.values_list("code", flat=True))
                raise CommandError(f"Direction inconnue : {direction}. Codes possibles : {codes}.")
        report = report_request(quarter=period, direction=scope, requested_by=None)
        if wait:
            report = self._wait(report, timeout)
        self.stdout.write(str(final_path(report)))

    def _wait(self, report: Report, timeout: int) -> Report:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            report.refresh_from_db()
            if report.status == Report.Status.DONE:
                return report
            if report.status == Report.Status.FAILED:
                raise CommandError(f"Le rapport a échoué : {report.failure_reason}")
            time.sleep(0.5)
        broker = settings.CELERY_BROKER_URL.split("://")[0]
        raise CommandError(
            f"Le rapport n'est pas prêt après {timeout} s (état : {report.get_status_display()}). "
            f"Un worker Celery tourne-t-il sur le broker {broker} ?"
        )
