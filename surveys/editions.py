"""The counts of a national edition, kept in the database (``EditionTally``) by the writes of the members' answers.

A write of a member's answers (a page saved, a submission, an import, an erasure) already adds to its
campaign's ``Tally`` what the response now counts for and takes away what it counted for before
(``surveys.tallies.tally_apply``). When the campaign belongs to a national edition, the same delta,
reduced to what the network compares (respondents, complete responses, respondents to each question,
to each choice and to each score), is added in the same transaction to three groups of rows:

- ``membre:<id>``: the member's respondents and complete responses (the network's participation page);
- ``reseau``: every member;
- ``pairs:<type>:<strate>``: the members of the same type of collectivité and population band (none
  when the population is not known).

The network's and the peer group's rows also count the collectivités with at least one response
(``members``): the member's row of respondents is incremented first, and its new total (``RETURNING``)
says whether the member has just got its first response or lost its last one. Every increment is an
``INSERT … ON CONFLICT DO UPDATE SET count = count + …`` in the order of the keys (the member's row,
then the groups' rows sorted), under a ``KEY SHARE`` lock of the edition: two members answering at once
both count, without deadlock, and a repair (which takes the edition ``FOR UPDATE``) waits for the
writers under way and they for it.

``edition_check`` recounts an edition from the answers (a few ``GROUP BY`` over them) and compares;
``edition_repair`` replaces the kept counts by the recount (the nightly task ``check_edition_tallies``).

A member's peer group is the one of its type and population when its answers are counted: a change of
population moves its counts at the next repair.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q

from accounts.models import Organisation, size_band
from common.tenancy import unscoped
from surveys.models import Answer, Campaign, EditionTally, NationalEdition, Question, Response

logger = logging.getLogger(__name__)

NETWORK = "reseau"
BATCH = 500
# The key of a campaign's Tally row: (submitted, profile_type, profile_function, kind, target, value).
CampaignKey = tuple[bool, int, int, str, int, int]
# (kind, target, value): what an edition counts within a group.
Cell = tuple[str, int, int]
# (group, kind, target, value): an EditionTally row's key within its edition.
Key = tuple[str, str, int, int]
FOLLOWED = {EditionTally.Kind.QUESTION, EditionTally.Kind.CHOICE, EditionTally.Kind.SCORE}


def member_group(organisation_id: int) -> str:
    return f"membre:{organisation_id}"


def peer_group(kind: str, population: int | None) -> str | None:
    """The peer group of a type of collectivité and a population (None when the population is not known)."""
    band = size_band(population)
    return f"pairs:{kind}:{band}" if band and kind else None


def groups_of(organisation: Organisation) -> list[str]:
    """The groups whose counts hold the member's answers, besides its own."""
    peers = peer_group(organisation.kind, organisation.population)
    return [NETWORK, peers] if peers else [NETWORK]


def cells_of(delta: Mapping[CampaignKey, int]) -> Counter[Cell]:
    """A campaign's delta reduced to what the edition counts: the respondents' cells are added up."""
    cells: Counter[Cell] = Counter()
    for (submitted, _type, _function, kind, target, value), count in delta.items():
        if kind == EditionTally.Kind.PEOPLE:
            cells[(EditionTally.Kind.PEOPLE, 0, 0)] += count
            if submitted:
                cells[(EditionTally.Kind.COMPLETE, 0, 0)] += count
        elif kind in FOLLOWED:
            cells[(kind, target, value)] += count
    return Counter({cell: count for cell, count in cells.items() if count})


def _upsert(
    cursor: Any, edition_id: int, rows: list[tuple[Key, int]], *, returning: bool = False
) -> list[tuple[Any, ...]]:
    """Adds each row's count to the kept one (a new row starts from it), in the order given."""
    table = connection.ops.quote_name(EditionTally._meta.db_table)
    columns = "edition_id, " + connection.ops.quote_name("group") + ", kind, target, value"
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(batch))
        params = [item for key, count in batch for item in (edition_id, *key, count)]
        cursor.execute(
            f"INSERT INTO {table} ({columns}, count) VALUES {values} "  # noqa: S608  # our names only
            f"ON CONFLICT ({columns}) DO UPDATE SET count = {table}.count + excluded.count"
            + (" RETURNING kind, count" if returning else ""),
            params,
        )
        if returning:
            found += cursor.fetchall()
    return found


def edition_follow(*, campaign_id: int, edition_id: int, delta: Mapping[CampaignKey, int]) -> None:
    """Adds the delta of a campaign of an edition to the edition's counts, in the caller's transaction.

    Called by ``surveys.tallies.tally_apply``, which has just written the campaign's own counts. One
    query reads the member's type and population and takes the edition in ``KEY SHARE`` mode."""
    cells = cells_of(delta)
    if not cells:
        return
    lock = " FOR KEY SHARE OF e" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        sql = (
            "SELECT o.id, o.kind, o.population FROM surveys_campaign c "
            "JOIN accounts_organisation o ON o.id = c.organisation_id "
            "JOIN surveys_nationaledition e ON e.id = c.edition_id WHERE c.id = %s"
        )
        cursor.execute(sql + lock, [campaign_id])
        row = cursor.fetchone()
        if row is None:
            return
        organisation_id, kind, population = row
        member = {"organisation_id": organisation_id, "kind": kind, "population": population}
        apply_cells(cursor, edition_id=edition_id, cells=cells, **member)


def apply_cells(
    cursor: object, *, edition_id: int, organisation_id: int, kind: str, population: int | None, cells: Counter[Cell]
) -> None:
    """The member's row first (its new number of respondents tells whether it now has, or no longer has,
    any), then the groups' rows in the order of their keys."""
    people = EditionTally.Kind.PEOPLE
    own = sorted(
        ((member_group(organisation_id), *cell), count)
        for cell, count in cells.items()
        if cell[0] in (people, EditionTally.Kind.COMPLETE)
    )
    after = dict(_upsert(cursor, edition_id, own, returning=True)) if own else {}
    members = 0
    if people in after:
        now, before = after[people], after[people] - cells[(people, 0, 0)]
        members = (now > 0) - (before > 0)
    shared = Counter(cells)
    if members:
        shared[(EditionTally.Kind.MEMBERS, 0, 0)] += members
    groups = [NETWORK, *filter(None, [peer_group(kind, population)])]
    rows = sorted(((group, *cell), count) for group in groups for cell, count in shared.items() if count)
    _upsert(cursor, edition_id, rows)


# Recount, check and repair -----------------------------------------------------------------


def member_recount(edition: NationalEdition) -> dict[int, Counter[Cell]]:
    """Each member's cells recounted from its campaign's answers: four GROUP BY over the edition's answers."""
    with unscoped():
        responses = Response.objects.filter(campaign__edition=edition)
        answers = Answer.objects.filter(response__campaign__edition=edition).order_by()
        member = "response__campaign__organisation_id"
        counts: dict[int, Counter[Cell]] = {}
        people = (
            responses.order_by()
            .values("campaign__organisation_id")
            .annotate(n=Count("pk"), complete=Count("pk", filter=Q(status=Response.Status.SUBMITTED)))
            .values_list("campaign__organisation_id", "n", "complete")
        )
        for organisation_id, n, complete in people:
            cells = counts.setdefault(organisation_id, Counter())
            cells[(EditionTally.Kind.PEOPLE, 0, 0)] = n
            cells[(EditionTally.Kind.COMPLETE, 0, 0)] = complete
        grouped = (
            (EditionTally.Kind.CHOICE, answers.filter(choice__isnull=False), "choice_id"),
            (
                EditionTally.Kind.SCORE,
                answers.filter(question__kind=Question.Kind.SCALE, choice__isnull=True, number__isnull=False),
                "number",
            ),
        )
        for kind, rows, value in grouped:
            counted = rows.values(member, "question_id", value).annotate(n=Count("pk"))
            for organisation_id, question_id, given, n in counted.values_list(member, "question_id", value, "n"):
                counts.setdefault(organisation_id, Counter())[(kind, question_id, given)] = n
        answered = answers.filter(Q(choice__isnull=False) | Q(number__isnull=False) | ~Q(text=""))
        for organisation_id, question_id, n in (
            answered.values(member, "question_id")
            .annotate(n=Count("response_id", distinct=True))
            .values_list(member, "question_id", "n")
        ):
            counts.setdefault(organisation_id, Counter())[(EditionTally.Kind.QUESTION, question_id, 0)] = n
    return counts


def edition_recount(edition: NationalEdition) -> Counter[Key]:
    """The counts of an edition recounted from its answers, whatever is kept."""
    by_member = member_recount(edition)
    organisations = Organisation.objects.filter(pk__in=by_member).values_list("pk", "kind", "population")
    total: Counter[Key] = Counter()
    for organisation_id, kind, population in organisations:
        cells = by_member[organisation_id]
        for (cell_kind, target, value), count in cells.items():
            if cell_kind in (EditionTally.Kind.PEOPLE, EditionTally.Kind.COMPLETE):
                total[(member_group(organisation_id), cell_kind, target, value)] += count
        answered = cells[(EditionTally.Kind.PEOPLE, 0, 0)] > 0
        for group in [NETWORK, *filter(None, [peer_group(kind, population)])]:
            for (cell_kind, target, value), count in cells.items():
                total[(group, cell_kind, target, value)] += count
            total[(group, EditionTally.Kind.MEMBERS, 0, 0)] += int(answered)
    return Counter({key: count for key, count in total.items() if count})


def _kept(edition: NationalEdition) -> Counter[Key]:
    rows = (
        EditionTally.objects.filter(edition=edition)
        .exclude(count=0)
        .values_list("group", "kind", "target", "value", "count")
    )
    return Counter({(group, kind, target, value): count for group, kind, target, value, count in rows})


@dataclass(frozen=True)
class Difference:
    key: Key
    kept: int
    recounted: int

    def __str__(self) -> str:
        group, kind, target, value = self.key
        return f"{group} {kind} {target}/{value} : gardé {self.kept}, recompté {self.recounted}"


def _differences(kept: Counter[Key], recounted: Counter[Key]) -> list[Difference]:
    keys = sorted(set(kept) | set(recounted))
    return [Difference(key, kept[key], recounted[key]) for key in keys if kept[key] != recounted[key]]


def _lock(edition: NationalEdition) -> None:
    """Holds the edition against the writers of its members' answers (they take it in KEY SHARE mode)."""
    NationalEdition.objects.select_for_update().filter(pk=edition.pk).values_list("pk").first()


def edition_check(*, edition: NationalEdition) -> list[Difference]:
    """The differences between the kept counts and a recount (none when all is right); a difference found
    beside the writers is confirmed under the edition's lock."""
    if not _differences(_kept(edition), edition_recount(edition)):
        return []
    with transaction.atomic():
        _lock(edition)
        return _differences(_kept(edition), edition_recount(edition))


@transaction.atomic
def edition_repair(*, edition: NationalEdition) -> list[Difference]:
    """Replaces the kept counts of an edition by a recount of its answers; returns what was different."""
    _lock(edition)
    recounted = edition_recount(edition)
    differences = _differences(_kept(edition), recounted)
    EditionTally.objects.filter(edition=edition).delete()
    EditionTally.objects.bulk_create(
        (
            EditionTally(edition=edition, group=group, kind=kind, target=target, value=value, count=count)
            for (group, kind, target, value), count in sorted(recounted.items())
        ),
        batch_size=5_000,
    )
    return differences


def editions_check_all(*, repair: bool = True) -> dict[str, int]:
    """Checks (and by default repairs) every edition; logs each difference. Returns their number by edition."""
    found = {}
    for edition in NationalEdition.objects.order_by("pk"):
        differences = (edition_repair if repair else edition_check)(edition=edition)
        for difference in differences[:20]:
            logger.error("National edition tally of %s differs from a recount: %s", edition.slug, difference)
        if differences:
            found[f"{edition.network_id}/{edition.slug}"] = len(differences)
    return found


def campaigns_of(edition: NationalEdition) -> dict[int, Campaign]:
    """The edition's campaign of each member, by member id (every collectivité's: read unscoped)."""
    with unscoped():
        return {c.organisation_id: c for c in Campaign.objects.filter(edition=edition)}
