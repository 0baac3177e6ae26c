"""The reference lists of docs/domain.md: the four phases, domains, objects, adoption actors, success factors, tag sets.

All of them stay editable in the administration, in French and in English; migrations 0002 and 0006
seed them, 0014 writes their English, and the tests put them back after each flush of the database.
"""

from django.apps.registry import Apps

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

# The choices of question C1 of the national questionnaire (surveys/national.py), same codes and labels.
ADOPTION_ACTORS = [
    ("administratif", "L'initiative d'un acteur administratif (DGS, DGA…)"),
    ("politique", "L'engagement d'un acteur politique (élu)"),
    ("agents", "La proposition d'agents opérationnels ou de cadres intermédiaires"),
    ("partenaires", "Un partenaire extérieur"),
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

# The English of each list (docs/traduction.md), by code, or by French name where a list has no code.
# Labels left identical to the French on purpose are listed in tests/test_reference_translations.py.
PHASES_EN = {
    "emergence": (
        "Emergence",
        "A need or an idea is identified; who carried it is recorded (the project's origin).",
        "A sponsor and a one-page value note (ex ante).",
    ),
    "adoption": (
        "Adoption",
        "The decision to commit, taken by the steering committee.",
        "Go / no-go decision recorded, resources named.",
    ),
    "implementation": (
        "Implementation",
        "Experiment, then roll out.",
        "Results observed against the indicators set at adoption.",
    ),
    "appropriation": (
        "Appropriation",
        "The innovation becomes routine, is evaluated ex post and spread to other services or local authorities.",
        "Ex post evaluation done and lessons shared.",
    ),
}

DOMAINS_EN = {
    "Ressources humaines": "Human resources",
    "Stratégie / évaluation": "Strategy / evaluation",
    "Process, qualité et organisation": "Processes, quality and organisation",
    "Systèmes d'information": "Information systems",
    "Vie locale": "Local life",
    "Action sanitaire et sociale": "Health and social action",
}

OBJECTS_EN = {
    "organisation": "New ways of organising",
    "services": "New services",
    "outils_gestion": "New management tools",
    "ntic": "ICT (digital)",
    "modeles_economiques": "New economic models",
}

ADOPTION_ACTORS_EN = {
    "administratif": "The initiative of an administrative actor (DGS, deputy DGS…)",
    "politique": "The commitment of a political actor (elected official)",
    "agents": "The proposal of operational staff or middle managers",
    "partenaires": "An outside partner",
}

FACTORS_EN = {
    "perceived_advantage": "Perceived advantage",
    "compatibility": "Compatibility with the local authority's values and practices",
    "observability": "Observability of the expected results",
    "simplicity": "Simple and ingenious",
    "collective": "Collective dimension (concerns most services and staff)",
    "adaptability": "Adaptable and accessible to all",
    "administrative_actor": "A driving administrative actor",
    "steering_structure": "A dedicated steering structure",
    "political_actor": "A driving political actor",
    "internal_culture": "The internal culture",
    "resources": "The resources available",
    "regulation": "Regulatory constraints",
    "territory": "The geography and demography of the territory",
    "national_finance": "National financial constraints",
    "local_politics": "The local political context",
    "macro_economy": "The macro-economic situation",
    "admin_leadership": "The leadership of an administrative actor",
    "internal_collaboration": "The collaboration of several internal actors",
    "management_exchanges": "Repeated exchanges between management and operational teams",
    "methodology": "A clear project methodology",
    "communication": "Communication about the innovation",
    "external_collaboration": "Collaboration with outside actors",
    "urgency": "A sense of urgency",
}

TAG_SETS_EN = {
    "Critères de décision": (
        "Decision criteria",
        "Decision criteria used at Plaine Commune: financial and ecological sobriety, innovation, "
        "participation (staff, residents, partners).",
    ),
    "Faire autrement": (
        "Doing things differently",
        "Dimensions of the « Faire autrement » approach (INET, Plaine Commune). Only the « Imagine » "
        "dimension can be read in the source document: complete this set with the others.",
    ),
}

TAGS_EN = {
    "Sobriété financière et écologique": "Financial and ecological sobriety",
    "Innovation": "Innovation",
    "Participation": "Participation",
    "Imaginer": "Imagine",
}


def seed_reference_data(apps: Apps) -> None:
    """Creates or updates the reference lists; ``apps`` is a migration's or the global registry."""
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
    if "adoptionactor" in apps.all_models["portfolio"]:  # not yet in the state of migration 0002; 0006 seeds it
        AdoptionActor = apps.get_model("portfolio", "AdoptionActor")
        for order, (code, label) in enumerate(ADOPTION_ACTORS, start=1):
            AdoptionActor.objects.update_or_create(code=code, defaults={"label": label, "order": order})
    SuccessFactor = apps.get_model("portfolio", "SuccessFactor")
    for order, (family, code, label) in enumerate(FACTORS, start=1):
        SuccessFactor.objects.update_or_create(code=code, defaults={"label": label, "family": family, "order": order})
    TagSet = apps.get_model("portfolio", "TagSet")
    Tag = apps.get_model("portfolio", "Tag")
    for name, description, tags in TAG_SETS:
        tag_set, _created = TagSet.objects.update_or_create(name=name, defaults={"description": description})
        for tag in tags:
            Tag.objects.get_or_create(tag_set=tag_set, name=tag)
    if any(field.name == "label_en" for field in Phase._meta.get_fields()):  # from migration 0013 on
        translate_reference_data(apps)


def translate_reference_data(apps: Apps) -> None:
    """Writes the English of the lists above (migration 0014 carries its own copy of it)."""
    Phase = apps.get_model("portfolio", "Phase")
    for code, (label, description, exit_criteria) in PHASES_EN.items():
        Phase.objects.filter(code=code).update(
            label_en=label, description_en=description, exit_criteria_en=exit_criteria
        )
    Domain = apps.get_model("portfolio", "Domain")
    for name, english in DOMAINS_EN.items():
        Domain.objects.filter(name=name).update(name_en=english)
    for model, labels in (
        ("InnovationObject", OBJECTS_EN),
        ("AdoptionActor", ADOPTION_ACTORS_EN),
        ("SuccessFactor", FACTORS_EN),
    ):
        for code, english in labels.items():
            apps.get_model("portfolio", model).objects.filter(code=code).update(label_en=english)
    TagSet = apps.get_model("portfolio", "TagSet")
    for name, (english, description) in TAG_SETS_EN.items():
        TagSet.objects.filter(name=name).update(name_en=english, description_en=description)
    Tag = apps.get_model("portfolio", "Tag")
    for name, english in TAGS_EN.items():
        Tag.objects.filter(name=name).update(name_en=english)
