"""The counts behind the results, kept in the database (``Tally``) by the writes that change the answers.

Every write of a campaign's answers (a page saved, a submission, an import, an erasure)
adds, in its own transaction, what the response now counts for and takes away what it
counted for before: a handful of increments (``INSERT … ON CONFLICT DO UPDATE SET count =
count + …``), so two submissions at once both count and nobody reads then writes a total.
The results add the rows of the cells their filters select instead of reading the answers.

``tally_check`` recounts a campaign from its answers and compares; ``tally_repair``
replaces the kept counts by the recount (the management command ``check_survey_tallies``
and a nightly task run them).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from surveys.editions import edition_follow
from surveys.filters import PROFILE_FILTERS
from surveys.models import Answer, Campaign, Question, Response, Tally

logger = logging.getLogger(__name__)

TYPE_CODE, FUNCTION_CODE = PROFILE_FILTERS["type"], PROFILE_FILTERS["fonction"]
KEY_FIELDS = ("submitted", "profile_type", "profile_function", "kind", "target", "value")
# (submitted, profile_type, profile_function, kind, target, value): a Tally row's key within its campaign.
Key = tuple[bool, int, int, str, int, int]
BATCH = 500


@dataclass(frozen=True)
class Given:
    """One answer as the counts read it (a text only tells whether it is empty)."""

    question_id: int
    kind: str
    section_id: int
    code: str
    choice_id: int | None
    number: int | None
    written: bool


def given_of(answer: Answer) -> Given:
    """An answer not saved yet (an import, a demonstration), its question loaded."""
    q = answer.question
    return Given(q.pk, q.kind, q.section_id, q.code, answer.choice_id, answer.number, bool(answer.text))


def contribution(*, submitted: bool, answers: Iterable[Given]) -> Counter[Key]:
    """What one response counts for: once among the respondents of its cell, once per question it
    answered and per section whose items it scored, once per choice, score or number it gave.

    A question is answered by a choice, a number, or a text that is not empty (an empty cell of an
    old import answers nothing)."""
    answers = list(answers)
    profile = {a.code: a.choice_id for a in answers if a.choice_id and a.code in (TYPE_CODE, FUNCTION_CODE)}
    cell = (submitted, profile.get(TYPE_CODE, 0), profile.get(FUNCTION_CODE, 0))
    counts: Counter[Key] = Counter({(*cell, Tally.Kind.PEOPLE, 0, 0): 1})
    answered, scored = set(), set()
    for answer in answers:
        if answer.choice_id is not None:
            counts[(*cell, Tally.Kind.CHOICE, answer.question_id, answer.choice_id)] += 1
        elif answer.number is not None:
            kind = Tally.Kind.SCORE if answer.kind == Question.Kind.SCALE else Tally.Kind.NUMBER
            counts[(*cell, kind, answer.question_id, answer.number)] += 1
            if kind == Tally.Kind.SCORE:
                scored.add(answer.section_id)
        elif not answer.written:
            continue
        answered.add(answer.question_id)
    counts.update((*cell, Tally.Kind.QUESTION, question, 0) for question in answered)
    counts.update((*cell, Tally.Kind.SECTION, section, 0) for section in scored)
    return counts


def _given_rows(answers: QuerySet[Answer], *leading: str) -> QuerySet[Answer, tuple[Any, ...]]:
    """The answers' columns the counts read (after ``leading`` ones), the text reduced to whether it is written."""
    return answers.annotate(written=ExpressionWrapper(~Q(text=""), output_field=BooleanField())).values_list(
        *leading,
        "question_id",
        "question__kind",
        "question__section_id",
        "question__code",
        "choice_id",
        "number",
        "written",
    )


def tally_add(*, campaign_id: int, responses: Iterable[Response], answers: Iterable[Answer]) -> None:
    """Counts responses just written in bulk (an import), with their answers, questions loaded."""
    given: dict[int, list[Given]] = {}
    for answer in answers:
        given.setdefault(answer.response_id, []).append(given_of(answer))
    counts: Counter[Key] = Counter()
    for response in responses:
        submitted = response.status == Response.Status.SUBMITTED
        counts.update(contribution(submitted=submitted, answers=given.get(response.pk, [])))
    tally_apply(campaign_id=campaign_id, delta=counts)


def response_given(response: Response) -> list[Given]:
    """A saved response's answers as the counts read them: one query."""
    return [Given(*row) for row in _given_rows(Answer.objects.filter(response=response))]


def response_contribution(response: Response) -> Counter[Key]:
    """What a saved response counts for now."""
    return contribution(submitted=response.status == Response.Status.SUBMITTED, answers=response_given(response))


def tally_move(*, campaign_id: int, before: Counter[Key], after: Counter[Key]) -> None:
    """A response counted for ``before`` and now counts for ``after``: the kept counts follow."""
    delta = Counter(after)
    delta.subtract(before)  # keeps the negative counts (``after - before`` would drop them)
    tally_apply(campaign_id=campaign_id, delta=delta)


def tally_apply(*, campaign_id: int, delta: Counter[Key], follow_edition: bool = True) -> None:
    """Adds ``delta`` to the kept counts of a campaign, in the caller's transaction.

    Increments in the database, in the order of their keys: two writers of the same rows lock
    them in the same order, so the second waits for the first to commit (and then adds to its
    total) instead of deadlocking. On PostgreSQL the campaign is held in ``KEY SHARE`` mode, as
    inserting a response does: that lock makes no writer wait for another, but a repair (which
    takes the campaign ``FOR UPDATE``) waits for the writers under way and they for it.

    A campaign of a national edition adds the same delta to the edition's counts, in the same transaction
    (``surveys.editions.edition_follow``); a repair of the campaign's counts does not (``follow_edition``):
    the edition's are checked and repaired on their own."""
    rows = sorted((key, count) for key, count in delta.items() if count)
    if not rows:
        return
    # Only our own table and column names are formatted into the SQL; every value is a parameter.
    table = connection.ops.quote_name(Tally._meta.db_table)
    columns = ", ".join(("campaign_id", *KEY_FIELDS))
    with connection.cursor() as cursor:
        campaigns = connection.ops.quote_name(Campaign._meta.db_table)
        lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
        cursor.execute(f"SELECT edition_id FROM {campaigns} WHERE id = %s{lock}", [campaign_id])  # noqa: S608
        edition_id = (cursor.fetchone() or [None])[0]
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(batch))
            params = [item for key, count in batch for item in (campaign_id, *key, count)]
            cursor.execute(
                f"INSERT INTO {table} ({columns}, count) VALUES {values} "  # noqa: S608
                f"ON CONFLICT ({columns}) DO UPDATE SET count = {table}.count + excluded.count",
                params,
            )
    if follow_edition and edition_id is not None:
        edition_follow(campaign_id=campaign_id, edition_id=edition_id, delta=delta)


# Recount, check and repair -----------------------------------------------------------------


def per_response(
    campaign_id: int, *, responses: type[Response] = Response, answers: type[Answer] = Answer
) -> Iterator[Counter[Key]]:
    """Each response's contribution, from one pass over the campaign's answers in response order.

    The models may be a migration's historical ones (the migration that builds the first counts)."""
    submitted = dict(
        responses.objects.filter(campaign_id=campaign_id).order_by("pk").values_list("pk", "status").iterator(10_000)
    )
    rows = _given_rows(answers.objects.filter(response__campaign_id=campaign_id).order_by("response_id"), "response_id")
    current: int | None = None
    given: list[Given] = []
    for response_id, *row in rows.iterator(10_000):
        if response_id != current:
            if current is not None:
                yield contribution(submitted=submitted.pop(current) == Response.Status.SUBMITTED, answers=given)
            current, given = response_id, []
        given.append(Given(*row))
    if current is not None:
        yield contribution(submitted=submitted.pop(current) == Response.Status.SUBMITTED, answers=given)
    for status in submitted.values():  # responses without any answer (a first page saved empty)
        yield contribution(submitted=status == Response.Status.SUBMITTED, answers=[])


def tally_recount(*, campaign: Campaign) -> Counter[Key]:
    """The counts of a campaign recounted from its answers, whatever is kept."""
    total: Counter[Key] = Counter()
    for counts in per_response(campaign.pk):
        total.update(counts)
    return total


def _kept(campaign: Campaign) -> Counter[Key]:
    rows = Tally.objects.filter(campaign=campaign).exclude(count=0).values_list(*KEY_FIELDS, "count")
    return Counter({tuple(key): count for *key, count in rows})


@dataclass(frozen=True)
class Difference:
    key: Key
    kept: int
    recounted: int

    def __str__(self) -> str:
        submitted, profile_type, profile_function, kind, target, value = self.key
        return (
            f"{kind} {target}/{value} (complètes={submitted}, type={profile_type}, fonction={profile_function}) : "
            f"gardé {self.kept}, recompté {self.recounted}"
        )


def _differences(kept: Counter[Key], recounted: Counter[Key]) -> list[Difference]:
    keys = sorted(set(kept) | set(recounted))
    return [Difference(key, kept[key], recounted[key]) for key in keys if kept[key] != recounted[key]]


def _lock(campaign: Campaign) -> None:
    """Holds the campaign against the writers of its answers (they take it in KEY SHARE mode)."""
    Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk").first()


def tally_check(*, campaign: Campaign) -> list[Difference]:
    """The differences between the kept counts and a recount of the answers (none when all is right).

    The first comparison runs beside the writers; a difference found is confirmed under the
    campaign's lock (a response submitted between the two reads is not a difference)."""
    if not _differences(_kept(campaign), tally_recount(campaign=campaign)):
        return []
    with transaction.atomic():
        _lock(campaign)
        return _differences(_kept(campaign), tally_recount(campaign=campaign))


@transaction.atomic
def tally_repair(*, campaign: Campaign) -> list[Difference]:
    """Replaces the kept counts of a campaign by a recount of its answers; returns what was different.

    Writers of the campaign's answers wait while it runs (the campaign is locked), so nothing
    submitted meanwhile is lost."""
    _lock(campaign)
    recounted = tally_recount(campaign=campaign)
    differences = _differences(_kept(campaign), recounted)
    Tally.objects.filter(campaign=campaign).delete()
    tally_apply(campaign_id=campaign.pk, delta=recounted, follow_edition=False)
    return differences


def tallies_check_all(*, repair: bool = False) -> dict[str, int]:
    """Checks (or repairs) every campaign; logs each difference. Returns the number of differences by campaign."""
    found = {}
    for campaign in Campaign.objects.order_by("pk"):
        differences = (tally_repair if repair else tally_check)(campaign=campaign)
        for difference in differences[:20]:
            logger.error("Survey tally of %s differs from a recount: %s", campaign.slug, difference)
        if differences:
            found[campaign.slug] = len(differences)
    return found
