"""Writes the English of the national questionnaire loaded by migration 0002.

The data is copied here rather than imported from surveys/national.py, so this migration keeps doing
the same thing whatever later becomes of that module. Questions and choices are found by code, scale
labels and notes by their French: one edited since keeps an empty English, which shows its French
until someone writes the English in the admin.
"""

from django.db import migrations

SERIES = "innovation-publique-locale"
EDITION = "2017-2018"

# The English of the questionnaire (docs/traduction.md), by code; scale labels and notes by their French.
QUESTIONNAIRE_EN = (
    "National questionnaire on local public innovation",
    "The questionnaire of the OPTIMA Chair's national study, reproduced to compare the local authority "
    "with the national results.",
)

SECTIONS_EN = {
    "A": ("Profile", "Your local authority and your role."),
    "B": ("The innovation", "The innovation you choose to describe, recently launched by your local authority."),
    "C": ("Adoption", "The decision to launch this innovation."),
    "D": ("Implementation", "What helped, or not, to implement this innovation."),
    "E": ("Innovation dynamics", "The innovations your local authority launched before."),
    "F": ("Environmental factors", "The context outside the local authority."),
    "G": ("Internal factors", "The organisation and the actors of the local authority."),
    "H": ("Factors specific to the innovation", "The characteristics of the innovation itself."),
    "I": ("Effects", "What this innovation changed."),
}

SEVERAL = "Several answers possible."

# code: (text, help, {choice code: label})
QUESTIONS_EN = {
    "A1": (
        "Type of local authority",
        "",
        {
            "commune": "Municipality (commune)",
            "epci": "EPCI (inter-municipal body)",
            "departement": "Département (county)",
            "sdis": "SDIS (fire and rescue service)",
            "region": "Region",
            "autre": "Other",
        },
    ),
    "A2": (
        "Your role",
        "",
        {
            "dgs": "Director general of services",
            "dga": "Deputy director general",
            "chef_projet": "Project manager",
            "directeur": "Head of a department",
            "autre": "Other",
        },
    ),
    "A3": (
        "Size of the local authority (inhabitants)",
        "",
        {
            "moins_10000": "Fewer than 10,000 inhabitants",
            "de_10000_a_50000": "10,000 to 50,000 inhabitants",
            "de_50000_a_100000": "50,000 to 100,000 inhabitants",
            "plus_100000": "More than 100,000 inhabitants",
        },
    ),
    "A4": ("Number of staff of the local authority", "An order of magnitude is enough.", {}),
    "B1": (
        "Nature of the innovation",
        "",
        {
            "managerial": "Managerial or organisational innovation (internal logic)",
            "societal": "Societal or service innovation (external logic, for users)",
        },
    ),
    "B2": (
        "Object of the innovation",
        SEVERAL,
        {
            "organisation": "New ways of organising",
            "services": "New services",
            "outils_gestion": "New management tools",
            "ntic": "ICT (digital)",
            "modeles_economiques": "New economic models",
        },
    ),
    "B3": (
        "Field of the innovation",
        "",
        {
            "rh": "Human resources",
            "strategie_evaluation": "Strategy / evaluation",
            "process_organisation": "Processes, quality and organisation",
            "systemes_information": "Information systems",
            "vie_locale": "Local life",
            "action_sociale": "Health and social action",
            "autre": "Other",
        },
    ),
    "B4": ("Title of the innovation", "", {}),
    "B5": ("Describe the innovation in a few lines", "Avoid writing people's names in it.", {}),
    "C1": (
        "Which actors played a positive role in adopting this innovation?",
        SEVERAL,
        {
            "administratif": "The initiative of an administrative actor (DGS, deputy DGS…)",
            "politique": "The commitment of a political actor (elected official)",
            "agents": "The proposal of operational staff or middle managers",
            "partenaires": "An outside partner",
        },
    ),
    "D1": ("The strong involvement and leadership of an administrative actor (DGS, deputy DGS…)", "", {}),
    "D2": ("The collaboration of several actors within the local authority", "", {}),
    "D3": ("Repeated exchanges between management and operational teams", "", {}),
    "D4": ("The clarity of the project management method", "", {}),
    "D5": ("The communication or presentation of the innovation", "", {}),
    "D6": ("The collaboration with outside actors", "", {}),
    "D7": ("The sense of urgency", "", {}),
    "E1": ("Had your local authority launched other innovations before?", "", {"oui": "Yes", "non": "No"}),
    "E2": (
        "Did these past innovations influence this one?",
        "",
        {"peu_ou_pas": "Little or no influence", "notable": "A notable influence"},
    ),
    "F1": ("Institutional and regulatory constraints", "", {}),
    "F2": ("The geographical and demographic strengths and weaknesses of the territory", "", {}),
    "F3": ("National financial constraints", "", {}),
    "F4": ("The political context of the local authority", "", {}),
    "F5": ("The macro-economic situation", "", {}),
    "G1": ("The dominant role of an administrative actor (DGS, deputy DGS…)", "", {}),
    "G2": ("A dedicated steering structure", "", {}),
    "G3": ("The dominant role of a political actor", "", {}),
    "G4": ("The internal culture of the local authority", "", {}),
    "G5": ("The amount of resources available", "", {}),
    "H1": ("The perceived advantage of this innovation", "", {}),
    "H2": ("Its compatibility with the values and practices of the local authority", "", {}),
    "H3": ("How observable and known its expected results are", "", {}),
    "H4": ("Its simple and ingenious nature", "", {}),
    "H5": ("Its collective dimension (it concerns most services and staff)", "", {}),
    "H6": ("Its adaptable nature, accessible to everyone", "", {}),
    "I1": (
        "What effects did this innovation produce?",
        SEVERAL,
        {
            "manageriaux": "Managerial effects (organisation, working practices)",
            "qualite_service": "A better quality of service",
            "financiers": "Financial effects (savings, revenue)",
        },
    ),
    "I2": ("Other effects observed", "", {}),
}

SCALE_LABELS_EN = {
    "Ne l'a pas favorisée": "Did not favour it",
    "L'a fortement favorisée": "Strongly favoured it",
    "Aucune influence": "No influence",
    "Influence très forte": "Very strong influence",
}

NOTES_EN = {
    "Base publiée : l'ensemble des répondants (311) ; la base exacte de chaque question n'est pas publiée.": (
        "Published base: all respondents (311); the exact base of each question is not published."
    ),
    "Objet le plus fréquent, avec les nouveaux services.": "Most frequent object, with new services.",
    "Objet le plus fréquent, avec les nouveaux modes d'organisation.": (
        "Most frequent object, with new ways of organising."
    ),
    "Peu fréquent.": "Infrequent.",
    "Le cas de plus des deux tiers des répondants.": "The case of more than two thirds of respondents.",
    "Moins d'un tiers des répondants.": "Fewer than a third of respondents.",
    "Impact surtout managérial.": "Mostly a managerial impact.",
    "Très peu d'impact financier.": "Very little financial impact.",
    "Élément ayant favorisé la mise en œuvre.": "An element that favoured implementation.",
    "Élément neutre ou ne favorisant pas la mise en œuvre.": (
        "A neutral element, or one that did not favour implementation."
    ),
    "Influence la plus forte.": "Strongest influence.",
    "Influence importante.": "Strong influence.",
    "Influence faible.": "Weak influence.",
}


def translate(apps, schema_editor):
    questionnaire = apps.get_model("surveys", "Questionnaire").objects.filter(series=SERIES, edition=EDITION).first()
    if questionnaire is None:
        return
    title, description = QUESTIONNAIRE_EN
    questionnaire.title_en, questionnaire.description_en = title, description
    questionnaire.save(update_fields=["title_en", "description_en"])
    for code, (title, description) in SECTIONS_EN.items():
        questionnaire.sections.filter(code=code).update(title_en=title, description_en=description)
    Choice = apps.get_model("surveys", "Choice")
    for code, (text, help_text, choices) in QUESTIONS_EN.items():
        questionnaire.questions.filter(code=code).update(text_en=text, help_text_en=help_text)
        for choice_code, label in choices.items():
            Choice.objects.filter(question__questionnaire=questionnaire, question__code=code, code=choice_code).update(
                label_en=label
            )
    for french, english in SCALE_LABELS_EN.items():
        questionnaire.questions.filter(scale_low_label=french).update(scale_low_label_en=english)
        questionnaire.questions.filter(scale_high_label=french).update(scale_high_label_en=english)
    ReferenceValue = apps.get_model("surveys", "ReferenceValue")
    for french, english in NOTES_EN.items():
        ReferenceValue.objects.filter(note=french).update(note_en=english)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0009_english_labels")]

    operations = [migrations.RunPython(translate, migrations.RunPython.noop)]
