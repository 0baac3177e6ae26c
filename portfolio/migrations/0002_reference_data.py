"""Seeds the reference lists of docs/domain.md as they stood when this migration was written; all stay editable.

The data is copied here from portfolio/reference.py rather than imported, so this migration keeps doing the same
thing whatever later becomes of that module. A change of the lists is a new data migration; tests/test_migrations.py
checks that a migrated database holds what portfolio/reference.py seeds.
"""

from django.db import migrations

PHASES = [
    (
        "emergence",
        "Émergence",
        1,
        "Un besoin ou une idée est identifié ; on note qui l'a porté (l'origine du projet).",
        "Un commanditaire et une note de valeur d'une page (ex ante).",
    ),
    (
        "adoption",
        "Adoption",
        2,
        "La décision de s'engager, prise par le comité de pilotage.",
        "Décision go / no-go enregistrée, moyens nommés.",
    ),
    (
        "implementation",
        "Mise en œuvre",
        3,
        "Expérimenter, puis déployer.",
        "Résultats observés au regard des indicateurs fixés à l'adoption.",
    ),
    (
        "appropriation",
        "Appropriation",
        4,
        "L'innovation devient routine, est évaluée ex post et essaimée vers d'autres services ou collectivités.",
        "Évaluation ex post réalisée et enseignements partagés.",
    ),
]

DOMAINS = [
    "Ressources humaines",
    "Stratégie / évaluation",
    "Process, qualité et organisation",
    "Systèmes d'information",
    "Vie locale",
    "Action sanitaire et sociale",
]

OBJECTS = [
    ("organisation", "Nouveaux modes d'organisation"),
    ("services", "Nouveaux services"),
    ("outils_gestion", "Nouveaux outils de gestion"),
    ("ntic", "NTIC (numérique)"),
    ("modeles_economiques", "Nouveaux modèles économiques"),
]

FACTORS = [
    ("innovation", "perceived_advantage", "Avantage perçu"),
    ("innovation", "compatibility", "Compatibilité avec les valeurs et pratiques de la collectivité"),
    ("innovation", "observability", "Observabilité des résultats attendus"),
    ("innovation", "simplicity", "Caractère simple et ingénieux"),
    ("innovation", "collective", "Dimension collective (concerne la plupart des services et agents)"),
    ("innovation", "adaptability", "Adaptable et accessible à tous"),
    ("internal", "administrative_actor", "Un acteur administratif moteur"),
    ("internal", "steering_structure", "Une structure de pilotage dédiée"),
    ("internal", "political_actor", "Un acteur politique moteur"),
    ("internal", "internal_culture", "La culture interne"),
    ("internal", "resources", "Les ressources disponibles"),
    ("environment", "regulation", "Les contraintes réglementaires"),
    ("environment", "territory", "La géographie et la démographie du territoire"),
    ("environment", "national_finance", "Les contraintes financières nationales"),
    ("environment", "local_politics", "Le contexte politique local"),
    ("environment", "macro_economy", "La situation macro-économique"),
    ("implementation", "admin_leadership", "Le leadership d'un acteur administratif"),
    ("implementation", "internal_collaboration", "La collaboration de plusieurs acteurs internes"),
    ("implementation", "management_exchanges", "Des échanges répétés entre direction et équipes opérationnelles"),
    ("implementation", "methodology", "Une méthodologie de projet claire"),
    ("implementation", "communication", "La communication autour de l'innovation"),
    ("implementation", "external_collaboration", "La collaboration avec des acteurs externes"),
    ("implementation", "urgency", "Un sentiment d'urgence"),
]

TAG_SETS = [
    (
        "Critères de décision",
        "Critères de décision retenus à Plaine Commune : sobriété financière et écologique, innovation, "
        "participation (agents, habitants, partenaires).",
        ["Sobriété financière et écologique", "Innovation", "Participation"],
    ),
    (
        "Faire autrement",
        "Dimensions de la démarche « Faire autrement » (INET, Plaine Commune). Seule la dimension "
        "« Imaginer » est lisible dans le document source : complétez ce jeu avec les autres.",
        ["Imaginer"],
    ),
]


def seed(apps, schema_editor):
    """Creates the reference lists (the adoption actors came later: migration 0006)."""
    Phase = apps.get_model("portfolio", "Phase")
    for code, label, order, description, exit_criteria in PHASES:
        Phase.objects.update_or_create(
            code=code,
            defaults={"label": label, "order": order, "description": description, "exit_criteria": exit_criteria},
        )
    Domain = apps.get_model("portfolio", "Domain")
    for order, name in enumerate(DOMAINS, start=1):
        Domain.objects.update_or_create(name=name, defaults={"order": order})
    InnovationObject = apps.get_model("portfolio", "InnovationObject")
    for order, (code, label) in enumerate(OBJECTS, start=1):
        InnovationObject.objects.update_or_create(code=code, defaults={"label": label, "order": order})
    SuccessFactor = apps.get_model("portfolio", "SuccessFactor")
    for order, (family, code, label) in enumerate(FACTORS, start=1):
        SuccessFactor.objects.update_or_create(code=code, defaults={"label": label, "family": family, "order": order})
    TagSet = apps.get_model("portfolio", "TagSet")
    Tag = apps.get_model("portfolio", "Tag")
    for name, description, tags in TAG_SETS:
        tag_set, _created = TagSet.objects.update_or_create(name=name, defaults={"description": description})
        for tag in tags:
            Tag.objects.get_or_create(tag_set=tag_set, name=tag)


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
