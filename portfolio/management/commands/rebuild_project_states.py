from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from portfolio import periods
from portfolio.models import Project


class Command(BaseCommand):
    help = _(
        "Reconstruit les états datés des projets (périodes tirées des décisions, bornes de l'historique) que "
        "lisent les tableaux de bord et les rapports ; avec --check, dit seulement s'ils sont justes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help=_("Vérifie sans rien modifier."))

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        ids = list(Project.objects.values_list("pk", flat=True))
        if check:
            wrong, ranges = periods.wrong_periods(ids), periods.rebuild_state_ranges(check=True)
            if wrong or ranges:
                raise CommandError(
                    _("États datés faux : %(projects)s projet(s), %(records)s enregistrement(s) d'historique.")
                    % {"projects": len(wrong), "records": ranges}
                )
            self.stdout.write(_("États datés justes pour %(n)s projet(s).") % {"n": len(ids)})
            return
        periods.rebuild_periods(ids)
        fixed = periods.rebuild_state_ranges()
        self.stdout.write(
            _("États datés reconstruits pour %(n)s projet(s) ; %(records)s enregistrement(s) d'historique corrigé(s).")
            % {"n": len(ids), "records": fixed}
        )
