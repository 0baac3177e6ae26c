"""The kept counts of the campaigns that existed before them, recounted from their answers."""

from collections import Counter

from django.db import migrations


def build(apps, schema_editor):  # noqa: ANN001, ANN201
    from surveys.tallies import per_response, tally_apply

    Campaign, Response, Answer = (apps.get_model("surveys", name) for name in ("Campaign", "Response", "Answer"))
    for campaign_id in Campaign.objects.values_list("pk", flat=True):
        counts = Counter()
        for contribution in per_response(campaign_id, responses=Response, answers=Answer):
            counts.update(contribution)
        tally_apply(campaign_id=campaign_id, delta=counts)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0005_tally")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
