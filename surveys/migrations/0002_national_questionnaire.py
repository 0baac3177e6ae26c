"""Loads the national questionnaire (Chaire OPTIMA, 2017–2018) as it stood when this migration was written; it
stays editable in the administration.

The data and the code that loads it are copied here from surveys/national.py rather than imported, so this
migration keeps doing the same thing whatever later becomes of that module. A change of the questionnaire is a new
data migration; tests/test_migrations.py checks that a migrated database holds what surveys/national.py seeds.
"""

from __future__ import annotations

from django.apps.registry import Apps
from django.db import migrations

SERIES = "innovation-publique-locale"
EDITION = "2017-2018"
SOURCE = (
    "Carassus D. et al., Chaire OPTIMA, Université de Pau et des Pays de l'Adour : enquête nationale sur "
    "l'innovation publique locale lancée fin 2017, publiée en 2018 (311 répondants, 50 % de réponses complètes). "
    "Présentation « Comment mieux innover en collectivité locale ? », séminaire AATF Nouvelle-Aquitaine, "
    "décembre 2021, HAL hal-03552692."
)
REFERENCE_N = 311
REFERENCE_YEAR = 2018
BASE_NOTE = "Base publiée : l'ensemble des répondants (311) ; la base exacte de chaque question n'est pas publiée."

SCALE_FAVOURS = ("Ne l'a pas favorisée", "L'a fortement favorisée")
SCALE_INFLUENCE = ("Aucune influence", "Influence très forte")

# code, title, description
SECTIONS = [
    ("A", "Profil", "Votre collectivité et votre fonction."),
    ("B", "L'innovation", "L'innovation que vous choisissez de décrire, engagée récemment par votre collectivité."),
    ("C", "L'adoption", "La décision d'engager cette innovation."),
    ("D", "La mise en œuvre", "Ce qui a aidé, ou non, à mettre en œuvre cette innovation."),
    ("E", "La dynamique d'innovation", "Les innovations engagées auparavant par la collectivité."),
    ("F", "Facteurs environnementaux", "Le contexte extérieur à la collectivité."),
    ("G", "Facteurs internes", "L'organisation et les acteurs de la collectivité."),
    ("H", "Facteurs propres à l'innovation", "Les caractéristiques de l'innovation elle-même."),
    ("I", "Les effets", "Ce que cette innovation a changé."),
]


def _scale(code: str, text: str, labels: tuple[str, str]) -> dict:
    return {"code": code, "text": text, "kind": "scale", "labels": labels}


# Each question: code, text, kind, and as needed required, help, choices [(code, label)],
# min/max, scale labels, condition (question code, value), references.
QUESTIONS: dict[str, list[dict]] = {
    "A": [
        {
            "code": "A1",
            "text": "Type de collectivité",
            "kind": "single",
            "required": True,
            "choices": [
                ("commune", "Commune"),
                ("epci", "EPCI (intercommunalité)"),
                ("departement", "Département"),
                ("sdis", "SDIS"),
                ("region", "Région"),
                ("autre", "Autre"),
            ],
        },
        {
            "code": "A2",
            "text": "Votre fonction",
            "kind": "single",
            "required": True,
            "choices": [
                ("dgs", "Directeur ou directrice général(e) des services"),
                ("dga", "Directeur ou directrice général(e) adjoint(e)"),
                ("chef_projet", "Chef ou cheffe de projet"),
                ("directeur", "Directeur ou directrice d'un service"),
                ("autre", "Autre"),
            ],
        },
        {
            "code": "A3",
            "text": "Taille de la collectivité (habitants)",
            "kind": "single",
            "choices": [
                ("moins_10000", "Moins de 10 000 habitants"),
                ("de_10000_a_50000", "De 10 000 à 50 000 habitants"),
                ("de_50000_a_100000", "De 50 000 à 100 000 habitants"),
                ("plus_100000", "Plus de 100 000 habitants"),
            ],
        },
        {
            "code": "A4",
            "text": "Nombre d'agents de la collectivité",
            "kind": "number",
            "help": "Un ordre de grandeur suffit.",
            "min": 1,
            "max": 500000,
        },
    ],
    "B": [
        {
            "code": "B1",
            "text": "Nature de l'innovation",
            "kind": "single",
            "required": True,
            "choices": [
                ("managerial", "Innovation managériale ou organisationnelle (logique interne)"),
                ("societal", "Innovation sociétale ou servicielle (logique externe, pour les usagers)"),
            ],
            "references": {"managerial": {"percent": 53}, "societal": {"percent": 47}},
        },
        {
            "code": "B2",
            "text": "Objet de l'innovation",
            "kind": "multiple",
            "required": True,
            "help": "Plusieurs réponses possibles.",
            "choices": [
                ("organisation", "Nouveaux modes d'organisation"),
                ("services", "Nouveaux services"),
                ("outils_gestion", "Nouveaux outils de gestion"),
                ("ntic", "NTIC (numérique)"),
                ("modeles_economiques", "Nouveaux modèles économiques"),
            ],
            # Published: centred on organisation and services, few tools, ICT or economic models.
            "references": {
                "organisation": {"rank": 1, "note": "Objet le plus fréquent, avec les nouveaux services."},
                "services": {"rank": 1, "note": "Objet le plus fréquent, avec les nouveaux modes d'organisation."},
                "outils_gestion": {"rank": 3, "note": "Peu fréquent."},
                "ntic": {"rank": 3, "note": "Peu fréquent."},
                "modeles_economiques": {"rank": 3, "note": "Peu fréquent."},
            },
        },
        {
            "code": "B3",
            "text": "Domaine de l'innovation",
            "kind": "single",
            "choices": [
                ("rh", "Ressources humaines"),
                ("strategie_evaluation", "Stratégie / évaluation"),
                ("process_organisation", "Process, qualité et organisation"),
                ("systemes_information", "Systèmes d'information"),
                ("vie_locale", "Vie locale"),
                ("action_sociale", "Action sanitaire et sociale"),
                ("autre", "Autre"),
            ],
        },
        {"code": "B4", "text": "Intitulé de l'innovation", "kind": "short_text"},
        {
            "code": "B5",
            "text": "Décrivez l'innovation en quelques lignes",
            "kind": "long_text",
            "help": "Évitez d'y écrire des noms de personnes.",
        },
    ],
    "C": [
        {
            "code": "C1",
            "text": "Quels acteurs ont joué un rôle positif dans l'adoption de cette innovation ?",
            "kind": "multiple",
            "required": True,
            "help": "Plusieurs réponses possibles.",
            "choices": [
                ("administratif", "L'initiative d'un acteur administratif (DGS, DGA…)"),
                ("politique", "L'engagement d'un acteur politique (élu)"),
                ("agents", "La proposition d'agents opérationnels ou de cadres intermédiaires"),
                ("partenaires", "Un partenaire extérieur"),
            ],
            "references": {"administratif": {"percent": 78}, "politique": {"percent": 60}, "agents": {"percent": 40}},
        },
    ],
    "D": [
        _scale("D1", "L'implication importante et le leadership d'un acteur administratif (DGS, DGA…)", SCALE_FAVOURS),
        _scale("D2", "La collaboration de plusieurs acteurs internes à la collectivité", SCALE_FAVOURS),
        _scale("D3", "Des échanges répétés entre équipes de direction et opérationnels", SCALE_FAVOURS),
        _scale("D4", "La clarté de la méthodologie de gestion de projet", SCALE_FAVOURS),
        _scale("D5", "La communication ou la présentation faite de l'innovation", SCALE_FAVOURS),
        _scale("D6", "La collaboration avec des acteurs externes", SCALE_FAVOURS),
        _scale("D7", "Le sentiment d'urgence", SCALE_FAVOURS),
    ],
    "E": [
        {
            "code": "E1",
            "text": "Votre collectivité avait-elle déjà engagé d'autres innovations auparavant ?",
            "kind": "single",
            "choices": [("oui", "Oui"), ("non", "Non")],
        },
        {
            "code": "E2",
            "text": "Ces innovations passées ont-elles influencé celle-ci ?",
            "kind": "single",
            "condition": ("E1", "oui"),
            "choices": [("peu_ou_pas", "Peu ou pas d'influence"), ("notable", "Une influence notable")],
            "references": {
                "peu_ou_pas": {"rank": 1, "note": "Le cas de plus des deux tiers des répondants."},
                "notable": {"rank": 2, "note": "Moins d'un tiers des répondants."},
            },
        },
    ],
    "F": [
        _scale("F1", "Les contraintes institutionnelles et réglementaires", SCALE_INFLUENCE),
        _scale("F2", "Les forces et faiblesses géographiques et démographiques du territoire", SCALE_INFLUENCE),
        _scale("F3", "Les contraintes financières nationales", SCALE_INFLUENCE),
        _scale("F4", "Le contexte politique de la collectivité", SCALE_INFLUENCE),
        _scale("F5", "La situation macro-économique", SCALE_INFLUENCE),
    ],
    "G": [
        _scale("G1", "Le caractère dominant d'un acteur administratif (DGS, DGA…)", SCALE_INFLUENCE),
        _scale("G2", "L'existence d'une structure de pilotage dédiée", SCALE_INFLUENCE),
        _scale("G3", "Le caractère dominant d'un acteur politique", SCALE_INFLUENCE),
        _scale("G4", "La culture interne de la collectivité", SCALE_INFLUENCE),
        _scale("G5", "La quantité de ressources mobilisables", SCALE_INFLUENCE),
    ],
    "H": [
        _scale("H1", "La perception de l'avantage donné par cette innovation", SCALE_INFLUENCE),
        _scale("H2", "Sa compatibilité avec les valeurs et pratiques de la collectivité", SCALE_INFLUENCE),
        _scale("H3", "L'observabilité et la connaissance des résultats attendus", SCALE_INFLUENCE),
        _scale("H4", "Sa nature simple et ingénieuse", SCALE_INFLUENCE),
        _scale("H5", "Sa dimension collective (elle concerne la majorité des services et agents)", SCALE_INFLUENCE),
        _scale("H6", "Son caractère adaptable et accessible à chacun", SCALE_INFLUENCE),
    ],
    "I": [
        {
            "code": "I1",
            "text": "Quels effets cette innovation a-t-elle produits ?",
            "kind": "multiple",
            "help": "Plusieurs réponses possibles.",
            "choices": [
                ("manageriaux", "Des effets managériaux (organisation, pratiques de travail)"),
                ("qualite_service", "Une meilleure qualité du service rendu"),
                ("financiers", "Des effets financiers (économies, recettes)"),
            ],
            # Published: an impact mostly managerial, very little financial; nothing on service quality.
            "references": {
                "manageriaux": {"rank": 1, "note": "Impact surtout managérial."},
                "financiers": {"rank": 3, "note": "Très peu d'impact financier."},
            },
        },
        {"code": "I2", "text": "Autres effets observés", "kind": "long_text"},
    ],
}

# Implementation facilitators: the five that favour, then the two neutral ones.
QUESTION_RANKS = {
    **dict.fromkeys(("D1", "D2", "D3", "D4", "D5"), (1, "Élément ayant favorisé la mise en œuvre.")),
    **dict.fromkeys(("D6", "D7"), (6, "Élément neutre ou ne favorisant pas la mise en œuvre.")),
}
# Families of determinants: innovation-specific > internal > environmental.
SECTION_RANKS = {
    "H": (1, "Influence la plus forte."),
    "G": (2, "Influence importante."),
    "F": (3, "Influence faible."),
}


def seed_national_questionnaire(apps: Apps) -> None:
    """Creates or updates the national questionnaire in the registry of this migration."""
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    questionnaire, _created = Questionnaire.objects.update_or_create(
        series=SERIES,
        edition=EDITION,
        defaults={
            "title": "Questionnaire national sur l'innovation publique locale",
            "year": 2017,
            "description": "Le questionnaire de l'étude nationale de la Chaire OPTIMA, reproduit pour "
            "comparer la collectivité aux résultats nationaux.",
            "source": SOURCE,
            "reference_respondents": REFERENCE_N,
            "reference_complete_percent": 50,
        },
    )
    for order, (code, title, description) in enumerate(SECTIONS, start=1):
        section = _seed_section(apps, questionnaire, code, title, description, order)
        for question_order, spec in enumerate(QUESTIONS[code], start=1):
            _seed_question(apps, questionnaire, section, spec, question_order)


def _reference(apps: Apps, target: dict, value: dict) -> None:
    ReferenceValue = apps.get_model("surveys", "ReferenceValue")
    ReferenceValue.objects.update_or_create(
        **target,
        defaults={
            "percent": value.get("percent"),
            "rank": value.get("rank"),
            "base_n": REFERENCE_N,
            "year": REFERENCE_YEAR,
            "source": "Carassus et al., Chaire OPTIMA, Université de Pau, enquête 2017–2018, n = 311",
            "note": value.get("note", BASE_NOTE if "percent" in value else ""),
        },
    )


def _seed_section(apps: Apps, questionnaire: object, code: str, title: str, description: str, order: int) -> object:
    Section = apps.get_model("surveys", "Section")
    section, _created = Section.objects.update_or_create(
        questionnaire=questionnaire, code=code, defaults={"title": title, "description": description, "order": order}
    )
    if code in SECTION_RANKS:
        rank, note = SECTION_RANKS[code]
        _reference(apps, {"section": section, "question": None, "choice": None}, {"rank": rank, "note": note})
    return section


def _seed_question(apps: Apps, questionnaire: object, section: object, spec: dict, order: int) -> None:
    Question = apps.get_model("surveys", "Question")
    Choice = apps.get_model("surveys", "Choice")
    condition_code, condition_value = spec.get("condition", (None, ""))
    low, high = spec.get("labels", ("", ""))
    question, _created = Question.objects.update_or_create(
        questionnaire=questionnaire,
        code=spec["code"],
        defaults={
            "section": section,
            "text": spec["text"],
            "help_text": spec.get("help", ""),
            "kind": spec["kind"],
            "required": spec.get("required", False),
            "order": order,
            "min_value": spec.get("min"),
            "max_value": spec.get("max"),
            "scale_low_label": low,
            "scale_high_label": high,
            "condition_question": Question.objects.get(questionnaire=questionnaire, code=condition_code)
            if condition_code
            else None,
            "condition_value": condition_value,
        },
    )
    references = spec.get("references", {})
    for choice_order, (code, label) in enumerate(spec.get("choices", []), start=1):
        choice, _created = Choice.objects.update_or_create(
            question=question, code=code, defaults={"label": label, "order": choice_order}
        )
        if code in references:
            _reference(apps, {"section": None, "question": question, "choice": choice}, references[code])
    if spec["code"] in QUESTION_RANKS:
        rank, note = QUESTION_RANKS[spec["code"]]
        _reference(apps, {"section": None, "question": question, "choice": None}, {"rank": rank, "note": note})


def seed(apps, schema_editor):
    seed_national_questionnaire(apps)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
