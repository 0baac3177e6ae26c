"""The kept counts of the campaigns that existed before them, recounted from their answers.

The counting is copied here, as surveys/tallies.py did it when this migration was written, rather than imported:
this migration keeps counting the same way, on the models of its own state, whatever later becomes of that
module. The table is empty before it runs, so the counts are inserted, not added.
"""

from collections import Counter

from django.db import migrations
from django.db.models import BooleanField, ExpressionWrapper, Q

TYPE_CODE, FUNCTION_CODE = "A1", "A2"  # the profile questions a result can be filtered by
BATCH = 500


def contribution(*, submitted, answers):
    """What one response counts for: once among the respondents of its cell, once per question it answered and
    per section whose items it scored, once per choice, score or number it gave. ``answers``: tuples of
    (question_id, question kind, section_id, question code, choice_id, number, text written)."""
    profile = {
        code: choice for _q, _k, _s, code, choice, _n, _w in answers if choice and code in (TYPE_CODE, FUNCTION_CODE)
    }
    cell = (submitted, profile.get(TYPE_CODE, 0), profile.get(FUNCTION_CODE, 0))
    counts = Counter({(*cell, "people", 0, 0): 1})
    answered, scored = set(), set()
    for question_id, kind, section_id, _code, choice_id, number, written in answers:
        if choice_id is not None:
            counts[(*cell, "choice", question_id, choice_id)] += 1
        elif number is not None:
            counted = "score" if kind == "scale" else "number"
            counts[(*cell, counted, question_id, number)] += 1
            if counted == "score":
                scored.add(section_id)
        elif not written:
            continue
        answered.add(question_id)
    counts.update((*cell, "question", question, 0) for question in answered)
    counts.update((*cell, "section", section, 0) for section in scored)
    return counts


def campaign_counts(campaign_id, Response, Answer):
    """The counts of one campaign, from one pass over its answers in response order."""
    statuses = dict(Response.objects.filter(campaign_id=campaign_id).values_list("pk", "status"))
    given = {}
    rows = (
        Answer.objects.filter(response__campaign_id=campaign_id)
        .order_by("response_id")
        .annotate(written=ExpressionWrapper(~Q(text=""), output_field=BooleanField()))
        .values_list(
            "response_id",
            "question_id",
            "question__kind",
            "question__section_id",
            "question__code",
            "choice_id",
            "number",
            "written",
        )
    )
    for response_id, *row in rows.iterator(10_000):
        given.setdefault(response_id, []).append(tuple(row))
    counts = Counter()
    for response_id, status in statuses.items():  # responses without any answer count among the respondents
        counts.update(contribution(submitted=status == "submitted", answers=given.get(response_id, [])))
    return counts


def build(apps, schema_editor):
    Campaign, Response, Answer, Tally = (
        apps.get_model("surveys", name) for name in ("Campaign", "Response", "Answer", "Tally")
    )
    fields = ("submitted", "profile_type", "profile_function", "kind", "target", "value")
    for campaign_id in Campaign.objects.values_list("pk", flat=True):
        counts = campaign_counts(campaign_id, Response, Answer)
        Tally.objects.bulk_create(
            [
                Tally(campaign_id=campaign_id, count=count, **dict(zip(fields, key, strict=True)))
                for key, count in sorted(counts.items())
                if count
            ],
            batch_size=BATCH,
        )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0005_tally")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
