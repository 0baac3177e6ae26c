from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from surveys.imports import responses_import
from surveys.models import Campaign
from surveys.selectors import questionnaire_structure


class Command(BaseCommand):
    help = (
        "Importe les réponses d'un fichier CSV ou XLSX dans une campagne (une ligne par répondant, une colonne "
        "par code de question). Toutes les lignes sont vérifiées : au moindre défaut, rien n'est importé."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign", help="Identifiant d'adresse (slug) de la campagne.")
        parser.add_argument("file", type=Path, help="Fichier CSV ou XLSX.")

    def handle(self, *args: object, campaign: str, file: Path, **options: object) -> None:
        target = Campaign.objects.select_related("questionnaire").filter(slug=campaign).first()
        if target is None:
            raise CommandError(f"Aucune campagne « {campaign} ».")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Fichier illisible : {error}") from error
        structure = questionnaire_structure(target.questionnaire)
        try:
            report = responses_import(campaign=target, structure=structure, data=data)
        except ValidationError as error:  # a campaign in preparation
            raise CommandError(" ".join(error.messages)) from error
        for problem in report.errors:
            self.stderr.write(str(problem))
        if report.errors:
            raise CommandError(f"Rien n'a été importé : {len(report.errors)} erreur(s).")
        self.stdout.write(self.style.SUCCESS(f"{report.created} réponse(s) importée(s) dans « {target} »."))
