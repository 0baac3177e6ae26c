import datetime
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Direction
from reports.models import Report
from reports.quarters import Quarter
from reports.services import final_path, report_request


class Command(BaseCommand):
    help = _(
        "Demande le rapport trimestriel d'un trimestre (ex. 2026Q3) et affiche le chemin du PDF : la dernière "
        "version si elle existe, sinon une nouvelle ; avec --new, toujours une nouvelle version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quarter", required=True, help=_("Trimestre, par exemple 2026Q3."))
        parser.add_argument("--direction", help=_("Code d'une direction ; sans lui, toute la collectivité."))
        parser.add_argument(
            "--new", action="store_true", help=_("Produit une nouvelle version même si une version existe déjà.")
        )
        parser.add_argument("--wait", action="store_true", help=_("Attend qu'un worker ait produit le PDF."))
        parser.add_argument("--timeout", type=int, default=600, help=_("Secondes d'attente au plus avec --wait."))

    def handle(
        self, *args: Any, quarter: str, direction: str | None, new: bool, wait: bool, timeout: int, **options: Any
    ) -> None:
        try:
            period = Quarter.parse(quarter)
        except ValueError as error:
            raise CommandError(str(error)) from None
        try:
            report, created = report_request(
                quarter=period, direction=self._scope(direction), requested_by=None, new=new
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(_new_version(report) if created else _existing_version(report))
        if wait:
            report = self._wait(report, timeout)
        elif report.status != Report.Status.DONE:
            self.stdout.write(_("Le PDF sera écrit à ce chemin dès qu'un worker l'aura produit :"))
        self.stdout.write(str(pdf_path(report)))

    def _scope(self, code: str | None) -> Direction | None:
        if not code:
            return None
        scope = Direction.objects.filter(code=code.upper()).first()
        if scope is None:
            codes = ", ".join(Direction.objects.values_list("code", flat=True))
            raise CommandError(
                _("Direction inconnue : %(code)s. Codes possibles : %(codes)s.") % {"code": code, "codes": codes}
            )
        return scope

    def _wait(self, report: Report, timeout: int) -> Report:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            report.refresh_from_db()
            if report.status == Report.Status.DONE:
                self.stdout.write(_("Version v%(version)s produite le %(when)s.") % _version_values(report))
                return report
            if report.status == Report.Status.FAILED:
                raise CommandError(_("Le rapport a échoué : %(reason)s") % {"reason": report.failure_reason})
            time.sleep(0.5)
        broker = settings.CELERY_BROKER_URL.split("://")[0]
        raise CommandError(
            _(
                "Le rapport n'est pas prêt après %(timeout)s s (état : %(status)s). "
                "Un worker Celery tourne-t-il sur le broker %(broker)s ?"
            )
            % {"timeout": timeout, "status": report.get_status_display(), "broker": broker}
        )


def pdf_path(report: Report) -> Path:
    """Where the version's PDF is (a version made before versions existed keeps its file name) or will be."""
    if report.file:
        return Path(settings.MEDIA_ROOT, report.file.name)
    return final_path(report)


def _local(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return _("%(day)s à %(time)s") % {
        "day": formats.date_format(local, "SHORT_DATE_FORMAT"),
        "time": formats.time_format(local, "H:i"),
    }


def _version_values(report: Report) -> dict[str, object]:
    return {"version": report.version, "when": _local(report.finished_at or report.requested_at)}


def _new_version(report: Report) -> str:
    return _("Nouvelle version demandée : v%(version)s.") % {"version": report.version}


def _existing_version(report: Report) -> str:
    values = _version_values(report)
    if report.status == Report.Status.DONE:
        message = _("Version existante renvoyée : v%(version)s, produite le %(when)s.")
    else:
        message = _("Version existante renvoyée : v%(version)s, en cours de production (demandée le %(when)s).")
        values["when"] = _local(report.requested_at)
    return (message % values) + " " + _("Pour en produire une nouvelle : --new.")
