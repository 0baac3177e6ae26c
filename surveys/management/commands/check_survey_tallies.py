from django.core.management.base import BaseCommand, CommandError, CommandParser

from surveys.models import Campaign
from surveys.tallies import tally_check, tally_repair


class Command(BaseCommand):
    help = (
        "Recompte les résultats d'enquête à partir des réponses et les compare aux décomptes gardés ; "
        "avec --repair, remplace les décomptes gardés par le recompte. Sans campagne : toutes les campagnes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign", nargs="?", help="Identifiant d'adresse (slug) de la campagne.")
        parser.add_argument("--repair", action="store_true", help="Remplace les décomptes gardés par le recompte.")

    def handle(self, *args: object, campaign: str | None, repair: bool, **options: object) -> None:
        campaigns = Campaign.objects.order_by("pk")
        if campaign:
            campaigns = campaigns.filter(slug=campaign)
            if not campaigns.exists():
                raise CommandError(f"Aucune campagne « {campaign} ».")
        wrong = 0
        for target in campaigns:
            differences = (tally_repair if repair else tally_check)(campaign=target)
            if not differences:
                self.stdout.write(f"{target.slug} : décomptes exacts.")
                continue
            wrong += 1
            verb = "corrigés" if repair else "différents du recompte"
            self.stdout.write(f"{target.slug} : {len(differences)} décomptes {verb}.")
            for difference in differences:
                self.stdout.write(f"  {difference}")
        if wrong and not repair:
            raise CommandError(
                f"{wrong} campagne(s) dont les décomptes diffèrent du recompte : relancez avec --repair."
            )
