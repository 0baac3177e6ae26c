from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from common import tenancy

# The collectivité of the demonstration (accounts/demo.py): every app's demo data is its own, read and written
# within its scope, so that a second run finds its rows among those of the network's members.
DEMO_ORGANISATION_ID = 1


class Command(BaseCommand):
    help = "Crée ou met à jour les données de démonstration (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Autorise la commande quand DEBUG est désactivé (les comptes de démonstration "
            "ont un mot de passe public).",
        )
        parser.add_argument(
            "--network",
            action="store_true",
            help="Ajoute un réseau de démonstration : un EPCI et trois communes (dont la collectivité habituelle), "
            "chacun avec ses directions, comptes et projets, et le compte de l'animateur du réseau.",
        )

    def handle(self, *args: object, force: bool = False, network: bool = False, **options: object) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG est désactivé : seed_demo créerait des comptes au mot de passe public. "
                "Ajoutez --force si c'est bien voulu."
            )
        with tenancy.scoped(DEMO_ORGANISATION_ID):
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if find_spec(module_name) is None:
                    continue
                for line in import_module(module_name).seed() or []:
                    self.stdout.write(line)
        if network:
            from catalogue.network_demo import seed_catalogue
            from network.demo_data import build_network_demo, describe
            from surveys.demo import seed_national_edition

            demo = build_network_demo()
            for line in describe(demo):
                self.stdout.write(line)
            # Bellerive-sur-Loire (the usual demonstration, with finished projects) publishes one to the network's
            # catalogue; Saint-Aubin-des-Prés replicates it.
            bellerive, saint_aubin = demo.members[1], demo.members[2]
            for line in seed_catalogue([bellerive, saint_aubin]):
                self.stdout.write(line)
            # The network's national edition of the questionnaire, open, with answers in each member's campaign.
            edition = seed_national_edition(network=demo.network, members=demo.members, created_by=demo.animateur)
            self.stdout.write(
                f"Édition nationale « {edition.title} » : /enquetes/editions/{edition.slug}/ (animateur), "
                f"/enquetes/{edition.slug}/comparaison/ (chaque membre)."
            )
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
