"""Seeds the effort rule of the portfolio map (docs/carte-du-portefeuille.md).

The values are frozen here rather than imported from portfolio/models.py, so this migration keeps doing the same
thing whatever later becomes of that module. A row already there (edited by the DGS) is left as it is.
"""

from django.db import migrations

EFFORT_RULE = {
    "cost_band_2": 10_000,
    "cost_band_3": 50_000,
    "cost_band_4": 150_000,
    "cost_band_5": 500_000,
    "duration_band_2": 3,
    "duration_band_3": 6,
    "duration_band_4": 12,
    "duration_band_5": 24,
    "perimeter_service": 1,
    "perimeter_direction": 2,
    "perimeter_organisation": 4,
    "perimeter_territory": 5,
    "high_value_from": 3,
    "high_effort_from": 3,
}


def seed(apps, schema_editor):
    EffortRule = apps.get_model("portfolio", "EffortRule")
    if not EffortRule.objects.exists():
        EffortRule.objects.create(**EFFORT_RULE)


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0018_portfolio_map")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
