"""Seeds the adoption actors: the choices of question C1 of the national questionnaire.

The data is copied here rather than imported from portfolio/reference.py, so this migration
keeps doing the same thing whatever later becomes of that module.
"""

from django.db import migrations

ADOPTION_ACTORS = [
    ("administratif", "L'initiative d'un acteur administratif (DGS, DGA…)"),
    ("politique", "L'engagement d'un acteur politique (élu)"),
    ("agents", "La proposition d'agents opérationnels ou de cadres intermédiaires"),
    ("partenaires", "Un partenaire extérieur"),
]


def seed(apps, schema_editor):
    AdoptionActor = apps.get_model("portfolio", "AdoptionActor")
    for order, (code, label) in enumerate(ADOPTION_ACTORS, start=1):
        AdoptionActor.objects.update_or_create(code=code, defaults={"label": label, "order": order})


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0005_adoption_actors")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
