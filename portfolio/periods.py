"""The dated states of the projects, kept so that "the portfolio at a date" is a comparison of dates, not a
search through each project's decisions and history (at 100,000 projects, that search made a dashboard
fifteen times slower than at 1,000).

Two things are kept up to date by receivers, so that every way of writing (the services, the admin, the demo
data, the tests' factories) keeps them true:

- the ``ProjectPeriod`` rows of a project, rebuilt from its gate decisions whenever one is saved or deleted;
- the ``history_until`` of a project's historical records, set on the previous record when a new one is made,
  and their ``history_began``, the date of the project's first record.

``manage.py rebuild_project_states`` rebuilds both for every project (after a bulk load that skipped the
receivers) or, with ``--check``, tells whether they are true.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from portfolio.models import GateDecision, Project, ProjectPeriod

BEGINNING = datetime.date.min
END = datetime.date.max
CHUNK = 2_000

# The status a project has after each kind of decision.
STATUS_AFTER: dict[str, Project.Status] = {
    GateDecision.Decision.GO: Project.Status.ACTIVE,
    GateDecision.Decision.RESUME: Project.Status.ACTIVE,
    GateDecision.Decision.HOLD: Project.Status.ON_HOLD,
    GateDecision.Decision.STOP: Project.Status.STOPPED,
    GateDecision.Decision.COMPLETE: Project.Status.COMPLETED,
}


def periods_of(
    project: Project, decisions: list[GateDecision], first_phase_since: datetime.date | None
) -> list[ProjectPeriod]:
    """The periods of a project from its decisions in order (day, then recording): before the first decision,
    the phase it left then, active; from each decision to the next, the phase and status it led to. The day a
    project had entered its phase is the day of its last move by then; before any move, the day recorded when
    it was logged (``first_phase_since``, else the day it was logged); left empty when no decision ever moved
    it, so that its own date holds. Several decisions on one day: the last one gives the state of that day."""
    if not decisions:
        return []
    moved = any(d.decision == GateDecision.Decision.GO for d in decisions)
    since = (first_phase_since or timezone.localdate(project.created_at)) if moved else None
    periods = [
        ProjectPeriod(
            project=project,
            starts_on=BEGINNING,
            phase_id=decisions[0].from_phase_id,
            status=Project.Status.ACTIVE,
            phase_since=since,
        )
    ]
    for decision in decisions:
        if decision.decision == GateDecision.Decision.GO:
            since = decision.decided_on
        periods.append(
            ProjectPeriod(
                project=project,
                starts_on=decision.decided_on,
                phase_id=decision.to_phase_id,
                status=STATUS_AFTER[decision.decision],
                phase_since=since,
            )
        )
    for period, following in zip(periods, [*periods[1:], None], strict=True):
        period.ends_on = following.starts_on if following else END
    return [period for period in periods if period.starts_on < period.ends_on]


def rebuild_periods(project_ids: Iterable[int]) -> None:
    """Rebuilds the periods of these projects from their decisions, a chunk of projects at a time."""
    ids = sorted(set(project_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic():
            ProjectPeriod.objects.filter(project_id__in=chunk).delete()
            ProjectPeriod.objects.bulk_create(_computed_periods(chunk), batch_size=CHUNK)


def _computed_periods(project_ids: list[int]) -> list[ProjectPeriod]:
    decisions = defaultdict(list)
    # The passages taken over from before the portal are left out: a project registered at its current phase is
    # counted from that phase, as if logged there (its passages before were not steered here).
    taken = GateDecision.objects.filter(project_id__in=project_ids, prior_existing=False)
    for decision in taken.order_by("decided_on", "recorded_at", "pk"):
        decisions[decision.project_id].append(decision)
    if not decisions:
        return []
    projects = Project.objects.filter(pk__in=list(decisions)).only("pk", "created_at")
    first_since = _first_recorded_phase_since(list(decisions))
    return [
        period
        for project in projects
        for period in periods_of(project, decisions[project.pk], first_since.get(project.pk))
    ]


def _first_recorded_phase_since(project_ids: list[int]) -> dict[int, datetime.date]:
    """The phase date of each project's first historical record (as it was logged)."""
    records = (
        Project.history.filter(id__in=project_ids)
        .order_by("id", "-history_date", "-history_id")
        .values_list("id", "phase_since")
    )
    return dict(records)  # the last pair of each project wins: its earliest record


def wrong_periods(project_ids: Iterable[int]) -> list[int]:
    """The projects among these whose kept periods differ from those their decisions give."""
    fields = ("starts_on", "ends_on", "phase_id", "status", "phase_since")
    wrong = []
    ids = sorted(set(project_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        expected, kept = defaultdict(list), defaultdict(list)
        for period in _computed_periods(chunk):
            expected[period.project_id].append(tuple(getattr(period, f) for f in fields))
        for period in ProjectPeriod.objects.filter(project_id__in=chunk).order_by("starts_on"):
            kept[period.project_id].append(tuple(getattr(period, f) for f in fields))
        wrong += [pk for pk in chunk if expected.get(pk, []) != kept.get(pk, [])]
    return wrong


# --- The ranges of the history ------------------------------------------------------------------------------------

_FOLLOWING = """
    (
        SELECT history_id AS record,
               LEAD(history_date) OVER (PARTITION BY id ORDER BY history_date, history_id) AS next_date,
               MIN(history_date) OVER (PARTITION BY id) AS first_date
        FROM {table}
    ) AS following
"""
_WRONG = """
    {table}.history_id = following.record
    AND ({table}.history_until IS DISTINCT FROM following.next_date
         OR {table}.history_began IS DISTINCT FROM following.first_date)
"""


def rebuild_state_ranges(*, check: bool = False) -> int:
    """Sets the end and the beginning of every historical record of every project (one statement); returns the
    number of records fixed, or with ``check`` the number of records that would be."""
    # Only the model's own table name, quoted, is put into the statement: no outside text.
    table = connection.ops.quote_name(Project.history.model._meta.db_table)
    if check:
        sql = f"SELECT COUNT(*) FROM {table}, {_FOLLOWING} WHERE {_WRONG}"  # noqa: S608
    else:
        changes = "history_until = following.next_date, history_began = following.first_date"
        sql = f"UPDATE {table} SET {changes} FROM {_FOLLOWING} WHERE {_WRONG}"  # noqa: S608
    sql = sql.format(table=table)
    if connection.vendor == "sqlite":
        sql = sql.replace("IS DISTINCT FROM", "IS NOT")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return int(cursor.fetchone()[0]) if check else cursor.rowcount


# --- Receivers ----------------------------------------------------------------------------------------------------


def decision_changed(sender: type, instance: GateDecision, **kwargs: object) -> None:
    """Receiver of ``post_save`` and ``post_delete`` for gate decisions."""
    if instance.prior_existing:
        return  # left out of the periods
    rebuild_periods([instance.project_id])


# The historical model and its records are built by simple-history at run time: no static type (Any).
def state_recording(sender: type[Any], history_instance: Any, **kwargs: object) -> None:
    """Receiver of simple-history's ``pre_create_historical_record``: a record carries its project's first date."""
    began = (
        sender.objects.filter(id=history_instance.id, history_until__isnull=True)
        .values_list("history_began", flat=True)
        .first()
    )
    history_instance.history_began = began or history_instance.history_date


def state_recorded(sender: type[Any], history_instance: Any, **kwargs: object) -> None:
    """Receiver of simple-history's ``post_create_historical_record``: the new record ends the previous one."""
    sender.objects.filter(id=history_instance.id, history_until__isnull=True).exclude(
        history_id=history_instance.history_id
    ).filter(history_date__lte=history_instance.history_date).update(history_until=history_instance.history_date)
