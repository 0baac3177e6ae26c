"""Writes the English of the reference lists seeded by migrations 0002 and 0006.

The data is copied here rather than imported from portfolio/reference.py, so this migration keeps
doing the same thing whatever later becomes of that module. Rows are found by code, domains and tags
by their French name: one renamed since keeps an empty English, which shows its French until someone
writes the English in the admin.
"""

from django.db import migrations

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


def translate(apps, schema_editor):
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


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0016_english_labels")]

    operations = [migrations.RunPython(translate, migrations.RunPython.noop)]
