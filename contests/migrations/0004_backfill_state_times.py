"""Dates the states and decisions of the contests that existed before they were recorded.

Best estimates from what the rows hold: a contest opened on its opening date (not before it
was created), went into evaluation the day after its closing date, and published its results
once its last idea was decided; an idea's decision dates from its last change. Every time
stays between the contest's creation and now.
"""

import datetime

from django.db import migrations
from django.db.models import F
from django.utils import timezone

STATES = ["draft", "open", "evaluation", "published"]
DECISIONS = ["shortlisted", "selected", "not_retained"]


def _start_of(day, floor, now):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return min(max(moment, floor), now)


def backfill(apps, schema_editor):
    Contest = apps.get_model("contests", "Contest")
    Idea = apps.get_model("contests", "Idea")
    now = timezone.now()
    Idea.objects.filter(status__in=DECISIONS, decided_at__isnull=True).update(decided_at=F("updated_at"))
    for contest in Contest.objects.exclude(state="draft"):
        reached = STATES.index(contest.state)
        fields = []
        if contest.opened_at is None:
            contest.opened_at = _start_of(contest.opens_on, contest.created_at, now)
            fields.append("opened_at")
        if reached >= 2 and contest.evaluation_started_at is None:
            closed = contest.closes_on + datetime.timedelta(days=1)
            contest.evaluation_started_at = _start_of(closed, contest.opened_at, now)
            fields.append("evaluation_started_at")
        if reached >= 3 and contest.results_published_at is None:
            # The last decision of an idea not turned into a project (that change comes after publication).
            decided = (
                Idea.objects.filter(contest=contest, status__in=DECISIONS, project__isnull=True)
                .order_by("-decided_at")
                .values_list("decided_at", flat=True)
                .first()
            )
            published = max(decided, contest.evaluation_started_at) if decided else contest.evaluation_started_at
            contest.results_published_at = min(published, now)
            fields.append("results_published_at")
        if fields:
            contest.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [("contests", "0003_state_times")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
