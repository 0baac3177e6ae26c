"""Reads of the contests: who sees which contest and idea, evaluation progress, weighted ranking."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, Max, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from common import similar
from contests.models import Contest, Criterion, Idea, Score, Support


class IdeaCounts(TypedDict):
    """What ``with_counts`` annotates on each idea."""

    support_count: int
    comment_count: int


class ContestConversion(TypedDict):
    """A row of ``contests_conversion``."""

    contest: Contest
    state: str
    state_label: str
    submitted: int
    selected: int
    projects: int


class JurorProgress(TypedDict):
    """What ``ideas_with_juror_progress`` annotates on each idea."""

    scored: int
    done: bool


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    IdeaWithCounts = WithAnnotations[Idea, IdeaCounts]


def can_manage(user: User) -> bool:
    return user.has_perm("contests.change_contest")


def contests_visible_to(user: User) -> QuerySet[Contest]:
    """Drafts are for the DGS only; every agent sees the other contests."""
    contests = Contest.objects.all()
    return contests if can_manage(user) else contests.exclude(state=Contest.State.DRAFT)


def get_contest_for_user(user: User, slug: str, *, write: bool = False) -> Contest:
    contest = get_object_or_404(contests_visible_to(user), slug=slug)
    if write and not can_manage(user):
        raise PermissionDenied
    return contest


def is_eligible(user: User, contest: Contest) -> bool:
    """Whether the person belongs to the audience of the contest (all agents, or some directions)."""
    directions = {d.pk for d in contest.eligible_directions.all()}
    return not directions or user.direction_id in directions


def is_juror(user: User, contest: Contest) -> bool:
    return contest.jury.filter(pk=user.pk).exists()


def _authored_by(user: User) -> Q:
    co_author = Idea.co_authors.through.objects.filter(idea=OuterRef("pk"), user=user)
    return Q(author=user) | Exists(co_author)  # type: ignore[return-value]  # a Q at run time (stubs: Combinable)


def ideas_visible_to(user: User, contest: Contest) -> QuerySet[Idea]:
    """Authors see their own drafts; everyone sees submitted ideas; hidden ones stay with the DGS and authors."""
    ideas = Idea.objects.filter(contest=contest)
    if can_manage(user):
        return ideas.filter(~Q(status=Idea.Status.DRAFT) | _authored_by(user))
    public = ~Q(status=Idea.Status.DRAFT) & Q(hidden_reason="")
    return ideas.filter(public | _authored_by(user))


def ideas_listed(user: User, contest: Contest) -> QuerySet[Idea]:
    """The contest's list: the visible ideas, less the duplicates merged into another (still reachable by their
    address, for the record)."""
    return ideas_visible_to(user, contest).exclude(status=Idea.Status.MERGED)


def get_idea_for_user(user: User, contest: Contest, pk: int, *, write: bool = False) -> Idea:
    """404 for an idea the person may not see; 403 for a change by someone else, after the close or after a merge."""
    idea = get_object_or_404(ideas_visible_to(user, contest).select_related("author", "direction"), pk=pk)
    if write and (user.pk not in idea.author_ids() or not contest.accepts_ideas() or idea.status == Idea.Status.MERGED):
        raise PermissionDenied
    return idea


def similar_ideas(user: User, contest: Contest, title: str, *, exclude: int | None = None) -> list[similar.Match]:
    """The submitted ideas of the contest whose title resembles ``title``, among those anyone may see (never a
    draft, a hidden idea or a merged duplicate), most similar first."""
    ideas = (
        ideas_visible_to(user, contest)
        .filter(hidden_reason="")
        .exclude(status__in=[Idea.Status.DRAFT, Idea.Status.MERGED])
        .select_related("contest")
    )
    if exclude:
        ideas = ideas.exclude(pk=exclude)
    return similar.similar(ideas, title)


def merge_targets(contest: Contest, idea: Idea) -> QuerySet[Idea]:
    """The ideas a duplicate may be merged into: submitted, visible, not merged, of the same contest."""
    return (
        Idea.objects.filter(contest=contest, hidden_reason="")
        .exclude(status__in=[Idea.Status.DRAFT, Idea.Status.MERGED])
        .exclude(pk=idea.pk)
        .order_by("title")
    )


def with_counts(ideas: QuerySet[Idea]) -> QuerySet[IdeaWithCounts]:
    return ideas.select_related("author", "direction", "contest").annotate(
        support_count=Count("supports", distinct=True),
        comment_count=Count("comments", filter=Q(comments__hidden_reason=""), distinct=True),
    )


def ideas_of(user: User) -> QuerySet[Idea]:
    return Idea.objects.filter(_authored_by(user)).select_related("contest").order_by("-created_at")


def has_supported(user: User, idea: Idea) -> bool:
    return Support.objects.filter(idea=idea, user=user).exists()


def ideas_to_evaluate(juror: User, contest: Contest) -> QuerySet[Idea]:
    """Submitted, visible ideas the juror did not write or co-write."""
    return (
        Idea.objects.filter(contest=contest, hidden_reason="")
        .exclude(status__in=[Idea.Status.DRAFT, Idea.Status.MERGED])
        .exclude(_authored_by(juror))
    )


def ideas_with_juror_progress(juror: User, contest: Contest) -> QuerySet[WithAnnotations[Idea, JurorProgress]]:
    """The ideas to score, each with ``done``: whether the juror scored it on every criterion."""
    criteria = contest.criteria.count()
    return (
        ideas_to_evaluate(juror, contest)
        .select_related("author")
        .annotate(scored=Count("scores", filter=Q(scores__juror=juror)))
        .annotate(done=ExpressionWrapper(Q(scored__gte=criteria) & Q(scored__gt=0), output_field=BooleanField()))
        .order_by("title")
    )


def evaluation_progress(juror: User, contest: Contest) -> tuple[int, int]:
    """(ideas the juror scored on every criterion, ideas the juror has to score): "12 sur 30 évaluées"."""
    ideas = ideas_with_juror_progress(juror, contest)
    return ideas.filter(done=True).count(), ideas.count()


def evaluations_of(juror: User) -> list[tuple[Contest, int, int]]:
    """The contests in evaluation the person sits on the jury of, with (ideas scored, ideas to score)."""
    juries = juror.juries.filter(state=Contest.State.EVALUATION).order_by("closes_on", "pk")
    return [(contest, *evaluation_progress(juror, contest)) for contest in juries]


def jury_progress(contest: Contest) -> list[tuple[User, int, int]]:
    """(juror, done, total) for each juror, as ``evaluation_progress`` counts them, in a fixed number of queries
    whatever the size of the jury: the ideas, their co-authors and the jurors' score counts are read once."""
    jurors = list(contest.jury.order_by("last_name"))
    criteria = contest.criteria.count()
    ideas = Idea.objects.filter(contest=contest, hidden_reason="").exclude(
        status__in=[Idea.Status.DRAFT, Idea.Status.MERGED]
    )
    authors = {pk: {author} for pk, author in ideas.values_list("pk", "author_id")}
    for idea_id, user_id in Idea.co_authors.through.objects.filter(idea__in=ideas).values_list("idea_id", "user_id"):
        authors[idea_id].add(user_id)
    counts = Score.objects.filter(idea__in=ideas, juror__in=jurors).values_list("juror", "idea").annotate(n=Count("pk"))
    complete = {(juror, idea) for juror, idea, n in counts if criteria and n >= criteria}
    progress = []
    for juror in jurors:
        to_score = [pk for pk, people in authors.items() if juror.pk not in people]
        progress.append((juror, sum((juror.pk, pk) in complete for pk in to_score), len(to_score)))
    return progress


def next_idea_to_score(juror: User, contest: Contest, *, after: Idea | None = None) -> Idea | None:
    """The idea the juror has still to score that comes after ``after`` in the evaluation list (by title), going
    back to the top past the last one; None when every idea is scored."""
    ideas = ideas_with_juror_progress(juror, contest).filter(done=False)
    left = sorted((idea for idea in ideas if idea != after), key=lambda idea: (idea.title, idea.pk))
    if after is not None:
        later = [idea for idea in left if (idea.title, idea.pk) > (after.title, after.pk)]
        left = later or left
    return left[0] if left else None


def weight_shares(weights: Sequence[int]) -> list[int | None]:
    """Each weight's share of the total in whole percents, summing to exactly 100 (largest remainder: the
    points lost to rounding down go to the largest fractions, the earlier criterion first on a tie); no share
    (None) when the total is not positive."""
    total = sum(weights)
    if total <= 0:
        return [None] * len(weights)
    exact = [100 * weight / total for weight in weights]
    floors = [math.floor(value) for value in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in by_remainder[: 100 - sum(floors)]:
        floors[index] += 1
    shares: list[int | None] = list(floors)
    return shares


def grid_with_shares(contest: Contest) -> list[tuple[Criterion, int | None]]:
    """The contest's criteria in order, each with its share of the score in whole percents (``weight_shares``)."""
    criteria = list(contest.criteria.all())
    return list(zip(criteria, weight_shares([c.weight for c in criteria]), strict=True))


def free_slug(title: str, *, exclude_pk: int | None = None, reserved: Sequence[str] = ()) -> str:
    """An address made from the title that no other contest uses: "transition-ecologique", then
    "transition-ecologique-2"… ("concours" when the title has no letter or digit)."""
    base = slugify(title)[:70].strip("-") or "concours"
    others = Contest.objects.exclude(pk=exclude_pk) if exclude_pk is not None else Contest.objects.all()
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= set(reserved)
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


@dataclass
class RankedIdea:
    idea: IdeaWithCounts
    score: float | None  # out of 100
    rank: int | None
    criterion_means: list[float | None]  # in the order of the contest's criteria
    jurors_scored: int = 0  # jurors who scored the idea on every criterion
    jurors_expected: int = 0  # jurors who may score it (the jury less its authors)
    juror_min: float | None = None  # lowest and highest weighted total (out of 100) of one juror
    juror_max: float | None = None
    juror_deviation: float | None = None  # standard deviation of those totals; None under two jurors


def _weighted(criteria: list[Criterion], values: dict[int, float]) -> float:
    """A set of scores (criterion id -> value) as a weighted total out of 100; a missing criterion counts 0."""
    total_weight = sum(c.weight for c in criteria) or 1
    return 100 * sum(c.weight * values.get(c.pk, 0) / c.scale_max for c in criteria) / total_weight


def _spread(totals: list[float]) -> tuple[float | None, float | None, float | None]:
    """(min, max, population standard deviation) of the jurors' totals, rounded to a tenth; the deviation needs
    two jurors, the bounds one."""
    if not totals:
        return None, None, None
    mean = sum(totals) / len(totals)
    deviation = math.sqrt(sum((t - mean) ** 2 for t in totals) / len(totals)) if len(totals) > 1 else None
    return round(min(totals), 1), round(max(totals), 1), round(deviation, 1) if deviation is not None else None


def ranked_ideas(contest: Contest) -> QuerySet[IdeaWithCounts]:
    """The ideas the ranking and the exports list: submitted, visible, not merged."""
    ideas = Idea.objects.filter(contest=contest, hidden_reason="").exclude(
        status__in=[Idea.Status.DRAFT, Idea.Status.MERGED]
    )
    return with_counts(ideas).prefetch_related("co_authors")


def ranking(contest: Contest) -> list[RankedIdea]:
    """Ideas by weighted score out of 100: each criterion's mean score over the jury, scaled to its
    maximum, weighted; with how many jurors scored each idea and how far their own weighted totals
    lie apart. Read in a fixed number of queries, whatever the number of ideas and jurors."""
    criteria = list(Criterion.objects.filter(contest=contest))
    jury = set(contest.jury.values_list("pk", flat=True))
    by_juror: dict[int, dict[int, dict[int, int]]] = {}  # idea -> juror -> criterion -> value
    for idea_id, juror_id, criterion_id, value in Score.objects.filter(idea__contest=contest).values_list(
        "idea", "juror", "criterion", "value"
    ):
        by_juror.setdefault(idea_id, {}).setdefault(juror_id, {})[criterion_id] = value
    ranked = []
    for idea in ranked_ideas(contest):
        sheets = by_juror.get(idea.pk, {})
        means: dict[int, float] = {}
        for criterion in criteria:
            values = [sheet[criterion.pk] for sheet in sheets.values() if criterion.pk in sheet]
            if values:
                means[criterion.pk] = sum(values) / len(values)
        score = round(_weighted(criteria, means), 1) if means else None
        complete = [
            _weighted(criteria, {pk: float(v) for pk, v in s.items()})
            for s in sheets.values()
            if criteria and len(s) >= len(criteria)
        ]
        authors = {idea.author_id, *(user.pk for user in idea.co_authors.all())}
        row = RankedIdea(idea, score, None, [means.get(c.pk) for c in criteria], len(complete), len(jury - authors))
        row.juror_min, row.juror_max, row.juror_deviation = _spread(complete)
        ranked.append(row)
    ranked.sort(key=lambda r: (r.score is None, -(r.score or 0), r.idea.title))
    for position, entry in enumerate(ranked, start=1):
        if entry.score is not None:  # ideas with the same score share a rank (1, 1, 3)
            previous = ranked[position - 2] if position > 1 else None
            entry.rank = previous.rank if previous and previous.score == entry.score else position
    return ranked


def authors_by_idea(contest: Contest) -> dict[int, str]:
    """The author then the co-authors of each idea of the contest, as one text per idea id, in two queries."""
    names = {idea.pk: [str(idea.author)] for idea in Idea.objects.filter(contest=contest).select_related("author")}
    links = Idea.co_authors.through.objects.filter(idea__contest=contest).select_related("user").order_by("pk")
    for link in links:
        names.setdefault(link.idea_id, []).append(str(link.user))
    return {pk: ", ".join(people) for pk, people in names.items()}


@dataclass
class JurorScore:
    """One line of the export of the jury's scores: one juror's score of one idea on one criterion."""

    idea_id: int
    idea_title: str
    juror: str
    criterion: Criterion
    value: int
    comment: str


def jury_scores(contest: Contest) -> Iterator[JurorScore]:
    """Every score of the contest's ranked ideas, by idea title, juror and criterion order. The criteria and the
    jurors (a few each) are read first; the scores are then streamed as plain values from a database iterator,
    one query whatever their number."""
    criteria = {criterion.pk: criterion for criterion in contest.criteria.all()}
    scores = Score.objects.filter(idea__in=ranked_ideas(contest).values("pk"))
    jurors = {user.pk: str(user) for user in User.objects.filter(pk__in=scores.values("juror"))}
    order = ["idea__title", "idea_id", "juror__last_name", "juror__first_name", "juror_id", "criterion__order"]
    rows = scores.order_by(*order, "criterion_id").values_list(
        "idea_id", "idea__title", "juror_id", "criterion_id", "value", "comment"
    )
    for idea_id, title, juror_id, criterion_id, value, comment in rows.iterator(chunk_size=2000):
        yield JurorScore(idea_id, title, jurors[juror_id], criteria[criterion_id], value, comment)


# --- Statistics for the dashboards and the quarterly report ----------------------------------------------


def _submitted(until: datetime.date | None = None, prefix: str = "") -> Q:
    """Ideas submitted (by the end of ``until``, local time, when given): the one definition the
    contest table and the quarter's idea count share."""
    submitted = ~Q(**{f"{prefix}status": Idea.Status.DRAFT}) & Q(**{f"{prefix}submitted_at__isnull": False})
    if until:
        submitted &= Q(**{f"{prefix}submitted_at__date__lte": until})
    return submitted


def contests_conversion(direction_id: int | None = None, until: datetime.date | None = None) -> list[ContestConversion]:
    """Per contest, as at the end of ``until`` (today's figures without it), in one query:

    ``state`` and ``state_label`` (the contest's state then), ``submitted`` (ideas submitted by
    then), ``selected`` (ideas whose "selected" decision was taken by then), ``projects`` (ideas
    whose project was created by then). Contests that did not exist yet, or were still drafts,
    are left out; with ``direction_id``, only the ideas of that direction count.
    """
    ideas = _submitted(until, prefix="ideas__")
    selected = Q(ideas__status=Idea.Status.SELECTED)
    projects = Q(ideas__project__isnull=False)
    contests = Contest.objects.all()
    if direction_id:
        ideas &= Q(ideas__direction_id=direction_id)
    if until:
        selected &= Q(ideas__decided_at__date__lte=until)
        projects &= Q(ideas__project__created_at__date__lte=until)
        contests = contests.filter(created_at__date__lte=until)
    rows = contests.annotate(
        submitted=Count("ideas", filter=ideas),
        selected=Count("ideas", filter=ideas & selected),
        projects=Count("ideas", filter=ideas & projects),
    ).order_by("opens_on", "pk")
    result: list[ContestConversion] = []
    for contest in rows:
        state = contest.state_on(until) if until else contest.state
        if state is None or state == Contest.State.DRAFT:
            continue
        result.append(
            {
                "contest": contest,
                "state": state,
                "state_label": str(Contest.State(state).label),
                "submitted": contest.submitted,
                "selected": contest.selected,
                "projects": contest.projects,
            }
        )
    return result


def ideas_submitted_between(
    start: datetime.date, end: datetime.date, direction_id: int | None = None
) -> QuerySet[Idea]:
    """Ideas submitted from ``start`` to ``end`` inclusive (local days), oldest first; those of a
    direction with ``direction_id``. Counted the way ``contests_conversion`` counts ``submitted``."""
    ideas = Idea.objects.filter(_submitted(), submitted_at__date__range=(start, end))
    if direction_id:
        ideas = ideas.filter(direction_id=direction_id)
    return ideas.select_related("contest", "author").order_by("submitted_at", "pk")


def open_contests_for(user: User) -> list[Contest]:
    """The contests taking ideas now that the person may enter."""
    contests = contests_visible_to(user).filter(state=Contest.State.OPEN).prefetch_related("eligible_directions")
    return [c for c in contests if c.accepts_ideas() and is_eligible(user, c)]


def data_version() -> tuple[object, ...]:
    """A fingerprint of what the contests' figures read; it changes whenever a contest or an idea does."""
    contests = Contest.objects.aggregate(
        n=Count("pk"),
        opened=Max("opened_at"),
        evaluated=Max("evaluation_started_at"),
        published=Max("results_published_at"),
    )
    ideas = Idea.objects.aggregate(n=Count("pk"), changed=Max("updated_at"))
    return (*contests.values(), *ideas.values())


@dataclass
class AwaitingAction:
    """A contest waiting for the organiser, why, and (in evaluation) how far each juror has got."""

    contest: Contest
    reason: str  # one of REASONS
    jury: list[tuple[User, int, int]]  # (juror, ideas scored, ideas to score), in evaluation
    undecided: int = 0  # ideas without an outcome yet, in evaluation

    @property
    def jurors_done(self) -> int:
        return sum(1 for _juror, done, total in self.jury if done >= total)


# Why a contest waits for its organiser, in the order the list shows them.
TO_OPEN, TO_CLOSE, NO_JURY, TO_PUBLISH, JURY_AT_WORK = "to_open", "to_close", "no_jury", "to_publish", "jury_at_work"


def contests_awaiting_action(
    today: datetime.date | None = None, *, limit: int = 10
) -> tuple[list[AwaitingAction], int]:
    """The contests waiting for their organiser (at most ``limit``, and how many in all): a draft whose opening
    day has come, an open contest whose closing day has passed, a contest in evaluation (its jury's progress;
    without a jury; or every juror done, to decide and publish)."""
    today = today or timezone.localdate()
    waiting = Contest.objects.filter(
        Q(state=Contest.State.DRAFT, opens_on__lte=today)
        | Q(state=Contest.State.OPEN, closes_on__lt=today)
        | Q(state=Contest.State.EVALUATION)
    ).order_by("closes_on", "pk")
    total = waiting.count()
    actions = []
    for contest in waiting[:limit]:
        if contest.state == Contest.State.DRAFT:
            actions.append(AwaitingAction(contest, TO_OPEN, []))
        elif contest.state == Contest.State.OPEN:
            actions.append(AwaitingAction(contest, TO_CLOSE, []))
        else:
            jury = jury_progress(contest)
            undecided = (
                Idea.objects.filter(contest=contest, hidden_reason="")
                .exclude(status__in=[Idea.Status.DRAFT, Idea.Status.MERGED, *Idea.DECISIONS])
                .count()
            )
            action = AwaitingAction(contest, JURY_AT_WORK, jury, undecided)
            if not jury:
                action.reason = NO_JURY
            elif action.jurors_done == len(jury):
                action.reason = TO_PUBLISH
            actions.append(action)
    return actions, total
