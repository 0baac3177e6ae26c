"""Selectors of the results: the collectivité's answers counted by the database, beside the national figures.

The counts are kept in the database by the writes of the answers (``surveys.tallies``): the
results add up the kept rows of the cells the filters select, in one query whatever the
number of responses, plus one short query per free-text question for its latest texts. Only
the results as they stood on a past day (``submitted_by``, for reports) are recounted from
the answers, by aggregate queries kept in the cache. Python only arranges the aggregated
rows. No figure
is given for a group of fewer than ``MIN_GROUP`` respondents, nor for a question, a
section of scores or a family of determinants fewer than ``MIN_GROUP`` of them answered
(no mean, rank, radar point or free text): small groups could be recognised.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BigIntegerField, Case, Count, F, Max, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from common.cache import computed_once
from surveys.answers import Structure
from surveys.filters import ResultsFilter
from surveys.models import SCALE_POINTS, Answer, Campaign, Question, ReferenceValue, Response, Section, Tally
from surveys.national import DETERMINANT_SECTIONS
from surveys.selectors import questionnaire_structure, references_by_target

MIN_GROUP = 5
TEXT_PREVIEW = 5
# A kept tally is read again only while the campaign's responses are unchanged; a day bounds the space it takes.
CACHE_SECONDS = 24 * 3600

Stats = tuple[float, int, int]  # mean, lowest and highest value of a score or a number question
References = dict[tuple[str, int], ReferenceValue]  # see surveys.selectors.references_by_target
# A line of the results CSV: question, choice, count, percent, national percent, base, note.
ResultLine = tuple[str, str, int | None, float | None, Decimal | None, int | None, str]


@dataclass
class Row:
    """One choice of a question, or one point of a scale."""

    code: str
    label: str
    count: int
    percent: float | None
    national: ReferenceValue | None = None
    local_rank: int | None = None
    compare_percent: float | None = None


@dataclass
class QuestionResult:
    question: Question
    base: int
    rows: list[Row] = field(default_factory=list)
    mean: float | None = None
    minimum: int | None = None
    maximum: int | None = None
    national: ReferenceValue | None = None  # the rank of this item among its section's items
    local_rank: int | None = None
    texts: list[str] = field(default_factory=list)
    compare_base: int | None = None
    compare_mean: float | None = None
    figure_id: str = ""

    @property
    def suppressed(self) -> bool:
        return 0 < self.base < MIN_GROUP

    @property
    def national_percents(self) -> bool:
        return any(row.national and row.national.percent is not None for row in self.rows)

    @property
    def national_ranks(self) -> bool:
        return any(row.national and row.national.rank is not None for row in self.rows)


@dataclass
class SectionResult:
    section: Section
    questions: list[QuestionResult]
    # Distinct respondents who gave at least one score in the section (0 without scale items).
    base: int = 0
    mean: float | None = None  # mean score of the family of determinants
    national: ReferenceValue | None = None
    local_rank: int | None = None
    figure_id: str = ""

    @property
    def suppressed(self) -> bool:
        """Scores given by fewer than ``MIN_GROUP`` people: no mean, no rank, no radar point."""
        return 0 < self.base < MIN_GROUP

    @property
    def scale_questions(self) -> list[QuestionResult]:
        """The scored items that may be shown (and charted)."""
        return [r for r in self.questions if r.question.kind == Question.Kind.SCALE and not r.suppressed and r.base]

    @property
    def scale_answered(self) -> bool:
        """Whether any item of the section was scored, shown or not (the table then says which are hidden)."""
        return any(r.question.kind == Question.Kind.SCALE and r.base for r in self.questions)

    @property
    def answered(self) -> bool:
        return any(r.base for r in self.questions)

    @property
    def hidden(self) -> bool:
        """Answered, yet nothing of it may be shown: the page says why instead of a bare heading."""
        return self.answered and all(r.suppressed for r in self.questions if r.base)

    @property
    def item_ranks(self) -> bool:
        return any(r.national for r in self.questions)


@dataclass
class Results:
    campaign: Campaign
    filter: ResultsFilter
    total: int
    complete: int
    sections: list[SectionResult] = field(default_factory=list)
    families: list[SectionResult] = field(default_factory=list)
    compared: Campaign | None = None
    compare_total: int | None = None
    radar_id: str = ""

    @property
    def partial(self) -> int:
        return self.total - self.complete

    @property
    def suppressed(self) -> bool:
        return self.total < MIN_GROUP

    @property
    def families_answered(self) -> bool:
        return any(family.base for family in self.families)

    @property
    def suppressed_families(self) -> list[SectionResult]:
        return [family for family in self.families if family.suppressed]

    @property
    def compare_suppressed(self) -> bool:
        return self.compared is not None and (self.compare_total or 0) < MIN_GROUP

    @property
    def complete_percent(self) -> int | None:
        return round(100 * self.complete / self.total) if self.total else None


def _percent(count: int, base: int) -> float | None:
    return 100 * count / base if base else None


def competition_ranks(values: dict[object, float | None]) -> dict[object, int]:
    """1 + the number of items strictly ahead: equal values share a rank, as in the published orderings."""
    present = {key: value for key, value in values.items() if value is not None}
    return {key: 1 + sum(other > value for other in present.values()) for key, value in present.items()}


@dataclass
class _Aggregates:
    """The database's aggregates for a set of responses, keyed by question ids."""

    choice_counts: dict[tuple[int, int], int] = field(default_factory=dict)  # (question, choice) -> who ticked it
    scale_counts: dict[tuple[int, int], int] = field(default_factory=dict)  # (question, point) -> who gave it
    bases: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # question -> who answered it
    stats: dict[int, Stats] = field(default_factory=dict)  # question -> (mean, min, max) of a score or a number


@dataclass
class _Tally:
    """Everything the results read from the answers of one set of responses: what is kept in the cache."""

    total: int
    complete: int
    agg: _Aggregates = field(default_factory=_Aggregates)
    texts: dict[int, list[str]] = field(default_factory=dict)  # question -> the latest few free texts
    section_bases: dict[int, int] = field(default_factory=dict)  # section -> who scored one of its items


def _ids(structure: Structure, *kinds: str) -> list[int]:
    return [q.pk for q in structure.questions.values() if q.kind in kinds]


def _answers(responses: QuerySet[Response]) -> QuerySet[Answer]:
    return Answer.objects.filter(response__in=responses).order_by()


def _aggregate(responses: QuerySet[Response], structure: Structure) -> _Aggregates:
    """The counts, bases and statistics of every choice, score and number question in one scan.

    This is the GROUP BY a person would write by hand (bench/survey_results.py times the two
    against each other): one row per choice ticked, per score or number given. A single choice,
    a score and a number are given once per respondent, so their bases are sums of those
    counts, and a number's mean and range follow from its counts per value. A row with neither
    choice nor number (a text, or an empty cell of an old import) counts for nothing here; a
    multiple choice's respondents and a text's writers are counted apart (``_respondents``).
    """
    kinds = {q.pk: q.kind for q in structure.questions.values()}
    result = _Aggregates()
    values: dict[int, dict[int, int]] = defaultdict(dict)  # question -> {value: count} of scores and numbers
    grouped = _answers(responses).values_list("question_id", "choice_id", "number").annotate(Count("pk"))
    for question, code, number, count in grouped:
        kind = kinds.get(question)
        if code is not None:
            result.choice_counts[(question, code)] = count
        elif number is not None:
            values[question][number] = count
            if kind == Question.Kind.SCALE:
                result.scale_counts[(question, number)] = count
        else:
            continue
        if kind != Question.Kind.MULTIPLE:
            result.bases[question] += count
    result.stats = _value_stats(values)
    return result


def _value_stats(values: dict[int, dict[int, int]]) -> dict[int, Stats]:
    """Mean, lowest and highest value of each score or number question, from its counts per value."""
    return {
        question: (sum(v * n for v, n in counts.items()) / sum(counts.values()), min(counts), max(counts))
        for question, counts in values.items()
    }


def _respondents(responses: QuerySet[Response], structure: Structure) -> tuple[dict[int, int], dict[int, int]]:
    """The bases the GROUP BY cannot give, in one row of one query over those answers only:
    respondents who ticked a choice of each multiple-choice question (``COUNT(DISTINCT …)``),
    who wrote a text to each text question (an empty text is no answer), and who scored at
    least one item of each section. Returns (bases by question, bases by section)."""
    multiple = _ids(structure, Question.Kind.MULTIPLE)
    texts = _ids(structure, *Question.TEXT_KINDS)
    items: dict[int, list[int]] = defaultdict(list)
    for question in structure.questions.values():
        if question.kind == Question.Kind.SCALE:
            items[question.section_id].append(question.pk)
    people = {f"q{pk}": Count("response_id", distinct=True, filter=Q(question_id=pk)) for pk in multiple}
    people |= {f"q{pk}": Count("pk", filter=Q(question_id=pk)) for pk in texts}  # one text per respondent
    for pk, ids in items.items():
        people[f"s{pk}"] = Count("response_id", distinct=True, filter=Q(question_id__in=ids))
    if not people:
        return {}, {}
    answers = _answers(responses).filter(
        Q(question_id__in=multiple, choice__isnull=False)
        | (Q(question_id__in=texts, choice__isnull=True) & ~Q(text=""))
        | Q(question_id__in=[pk for ids in items.values() for pk in ids], number__isnull=False)
    )
    counts = answers.aggregate(**people)
    questions = {pk: counts[f"q{pk}"] for pk in (*multiple, *texts)}
    sections = {pk: counts[f"s{pk}"] for pk in items}
    return questions, sections


def _texts(
    responses: QuerySet[Response], structure: Structure, *, only: set[int] | None = None
) -> dict[int, list[str]]:
    """The latest few texts of each text question (of those ``only``, when given): one short query
    per text question, whatever the number of responses. The index of the written texts by question,
    newest first (``answer_latest_text``), is read from its start until ``TEXT_PREVIEW`` texts of the
    selected responses are found: a few rows, not the question's every text."""
    texts: dict[int, list[str]] = {}
    for question_id in _ids(structure, *Question.TEXT_KINDS):
        if only is not None and question_id not in only:
            continue
        written = _answers(responses).filter(question_id=question_id, choice__isnull=True).exclude(text="")
        latest = written.order_by("-pk").values_list("text", flat=True)
        texts[question_id] = list(latest[:TEXT_PREVIEW])
    return texts


def _tally(responses: QuerySet[Response], structure: Structure) -> _Tally:
    """Recounts everything from the answers: a handful of queries, whatever the number of responses."""
    totals = responses.aggregate(total=Count("pk"), complete=Count("pk", filter=Q(status=Response.Status.SUBMITTED)))
    tally = _Tally(**totals)
    if tally.total < MIN_GROUP:
        return tally
    tally.agg = _aggregate(responses, structure)
    bases, tally.section_bases = _respondents(responses, structure)
    tally.agg.bases.update(bases)
    tally.texts = _texts(responses, structure)
    return tally


def _family_means(sections: list[SectionResult], agg: _Aggregates) -> dict[int, float]:
    """Mean score of all the answers to a family's items, from the counts per point.

    A family scored by fewer than ``MIN_GROUP`` respondents has no mean.
    """
    means: dict[int, float] = {}
    for section in sections:
        if section.suppressed:
            continue
        counts = [
            (point, count)
            for result in section.questions
            for (question, point), count in agg.scale_counts.items()
            if question == result.question.pk
        ]
        if counts:
            means[section.section.pk] = sum(p * n for p, n in counts) / sum(n for _p, n in counts)
    return means


def _choice_rows(question: Question, agg: _Aggregates, refs: References, base: int) -> list[Row]:
    rows = []
    for choice in question.choice_list:
        count = agg.choice_counts.get((question.pk, choice.pk), 0)
        rows.append(
            Row(choice.code, str(choice.localized_label), count, _percent(count, base), refs.get(("choice", choice.pk)))
        )
    ranks = competition_ranks({row.code: row.count for row in rows})
    for row in rows:
        row.local_rank = ranks.get(row.code)
    return rows


def _scale_label(question: Question, point: int) -> str:
    label = {1: question.localized_scale_low_label, 5: question.localized_scale_high_label}.get(point, "")
    return f"{point} — {label}" if label else str(point)


def _scale_rows(question: Question, agg: _Aggregates, base: int) -> list[Row]:
    rows = []
    for point in SCALE_POINTS:
        count = agg.scale_counts.get((question.pk, point), 0)
        rows.append(Row(str(point), _scale_label(question, point), count, _percent(count, base)))
    return rows


def _question_result(
    question: Question, agg: _Aggregates, refs: References, texts: dict[int, list[str]]
) -> QuestionResult:
    base = agg.bases.get(question.pk, 0)
    result = QuestionResult(question=question, base=base, national=refs.get(("question", question.pk)))
    if question.has_choices:
        result.rows = _choice_rows(question, agg, refs, base)
    elif question.kind == Question.Kind.SCALE:
        result.rows = _scale_rows(question, agg, base)
    if question.pk in agg.stats:
        result.mean, result.minimum, result.maximum = agg.stats[question.pk]
    result.texts = texts.get(question.pk, [])
    if result.suppressed:  # nothing of a question answered by fewer than MIN_GROUP people
        result.rows, result.mean, result.minimum, result.maximum, result.texts = [], None, None, None, []
    return result


def _rank_items(section: SectionResult) -> None:
    """Local ranks of the items of a section by mean score, where the study published their ordering."""
    if not section.item_ranks:
        return
    ranks = competition_ranks({r.question.pk: r.mean for r in section.questions if not r.suppressed})
    for result in section.questions:
        result.local_rank = ranks.get(result.question.pk)


def _families(sections: list[SectionResult], means: dict[int, float], refs: References) -> list[SectionResult]:
    families = [s for s in sections if s.section.code in DETERMINANT_SECTIONS]
    for family in families:
        family.mean = means.get(family.section.pk)
        family.national = refs.get(("section", family.section.pk))
    # A suppressed family has no mean, so it is neither ranked nor counted in the others' ranks.
    ranks = competition_ranks({f.section.pk: f.mean for f in families})
    for family in families:
        family.local_rank = ranks.get(family.section.pk)
    return families


def _state(campaign: Campaign) -> tuple[object, ...]:
    """What changes whenever an answer of the campaign does: every write goes through a response
    (a page saved touches ``updated_at``, a submission sets ``submitted_at``, an import adds
    responses, an erasure removes one). One query over the campaign's responses, not its answers."""
    state = campaign.responses.aggregate(
        count=Count("pk"),
        last=Max("pk"),
        complete=Count("pk", filter=Q(status=Response.Status.SUBMITTED)),
        changed=Max("updated_at"),
        submitted=Max("submitted_at"),
    )
    return tuple(state.values())


def _cached_tally(campaign: Campaign, responses: QuerySet[Response], structure: Structure) -> _Tally:
    """The tally of ``responses`` (a selection of ``campaign``'s), recounted only when the campaign's
    responses have changed since it was kept: the key holds their state, the selection's SQL and the
    questions counted, so a stale tally is never read, it is simply no longer asked for."""
    if responses.query.is_empty():  # a profile the questionnaire answered does not have: nobody
        return _Tally(total=0, complete=0)
    questions = sorted((q.pk, q.kind, q.section_id) for q in structure.questions.values())
    fingerprint = (campaign.pk, _state(campaign), str(responses.query), questions)
    return computed_once("surveys:results", fingerprint, lambda: _tally(responses, structure), seconds=CACHE_SECONDS)


def _kept_tally(campaign: Campaign, results_filter: ResultsFilter, structure: Structure, *, texts: bool) -> _Tally:
    """The tally of a selection added up from the campaign's kept counts (``Tally``): one query over
    the rows of the cells its filters select, never over the answers; then, with ``texts``, the
    latest texts of each text question enough people answered (one short indexed query each).

    A number's mean and range come from its counts per value; a score's from its counts per point."""
    cells = results_filter.cells(Tally.objects.filter(campaign=campaign))
    if cells.query.is_empty():  # a profile the questionnaire answered does not have: nobody
        return _Tally(total=0, complete=0)
    number = Q(kind=Tally.Kind.NUMBER)
    given = Q(count__gt=0) & number
    rows = (
        cells.annotate(bucket=Case(When(number, then=Value(0)), default=F("value")))
        .values("kind", "target", "bucket")
        .annotate(
            n=Sum("count"),
            complete=Sum("count", filter=Q(submitted=True)),
            amount=Sum(Cast("count", BigIntegerField()) * Cast("value", BigIntegerField()), filter=number),
            low=Min("value", filter=given),
            high=Max("value", filter=given),
        )
        .order_by()
        .values_list("kind", "target", "bucket", "n", "complete", "amount", "low", "high")
    )
    tally = _Tally(total=0, complete=0)
    agg = tally.agg
    scores: dict[int, dict[int, int]] = defaultdict(dict)
    for kind, target, value, count, complete, amount, low, high in rows:
        if kind == Tally.Kind.PEOPLE:
            tally.total, tally.complete = count, complete or 0
        elif kind == Tally.Kind.QUESTION:
            agg.bases[target] = count
        elif kind == Tally.Kind.SECTION:
            tally.section_bases[target] = count
        elif kind == Tally.Kind.CHOICE:
            agg.choice_counts[(target, value)] = count
        elif kind == Tally.Kind.SCORE:
            agg.scale_counts[(target, value)] = count
            if count:
                scores[target][value] = count
        elif count:
            agg.stats[target] = (amount / count, low, high)
    agg.stats |= _value_stats(scores)
    if texts and tally.total >= MIN_GROUP:
        shown = {pk for pk in _ids(structure, *Question.TEXT_KINDS) if agg.bases.get(pk, 0) >= MIN_GROUP}
        tally.texts = _texts(results_filter.qs, structure, only=shown)
    return tally


def _compare(results: Results, params: Mapping[str, str], structure: Structure) -> None:
    """The compared campaign's figures, matched by question and choice codes (comparable across editions)."""
    other = results.compared
    if other is None:
        return
    same = other.questionnaire_id == results.campaign.questionnaire_id
    other_structure = structure if same else questionnaire_structure(other.questionnaire)
    other_filter = ResultsFilter(
        params,
        queryset=other.responses.all(),
        structure=structure,
        comparable=Campaign.objects.none(),
        answered=other_structure,
    )
    tally = _kept_tally(other, other_filter, other_structure, texts=False)
    results.compare_total = tally.total
    if results.compare_suppressed:
        return
    agg = tally.agg
    for section in results.sections:
        for result in section.questions:
            question = other_structure.questions.get(result.question.code)
            base = agg.bases.get(question.pk, 0) if question else 0
            if question is None or base < MIN_GROUP:
                continue
            result.compare_base = base
            result.compare_mean = agg.stats.get(question.pk, (None,))[0]
            choices = {c.code: c.pk for c in question.choice_list}
            for row in result.rows:
                if result.question.kind == Question.Kind.SCALE:
                    count = agg.scale_counts.get((question.pk, int(row.code)), 0)
                else:
                    choice = choices.get(row.code)
                    count = agg.choice_counts.get((question.pk, choice), 0) if choice is not None else 0
                row.compare_percent = _percent(count, base)


def campaign_results(
    *,
    campaign: Campaign,
    structure: Structure,
    params: Mapping[str, str],
    comparable: QuerySet[Campaign],
    submitted_by: datetime.date | None = None,
) -> Results:
    """Question by question: counts, percentages, means, the national reference and local ranks.

    ``params`` are the page's filters (profile, completeness, compared campaign);
    ``comparable`` the campaigns the person may compare with. With ``submitted_by`` (a local date),
    only the complete responses sent by the end of that day count: the results as they stood then.
    """
    responses = campaign.responses.all()
    if submitted_by is not None:
        responses = responses.filter(status=Response.Status.SUBMITTED, submitted_at__date__lte=submitted_by)
    results_filter = ResultsFilter(params, queryset=responses, structure=structure, comparable=comparable)
    if submitted_by is None:
        tally = _kept_tally(campaign, results_filter, structure, texts=True)
    else:  # the results as they stood on a past day: recounted from the answers sent by then
        tally = _cached_tally(campaign, results_filter.qs, structure)
    results = Results(
        campaign=campaign,
        filter=results_filter,
        total=tally.total,
        complete=tally.complete,
        compared=results_filter.compared,
    )
    if results.suppressed:
        return results
    refs = references_by_target(campaign.questionnaire)
    for section in structure.sections:
        questions = [_question_result(q, tally.agg, refs, tally.texts) for q in section.question_list]
        base = tally.section_bases.get(section.pk, 0)
        results.sections.append(SectionResult(section=section, questions=questions, base=base))
    for section_result in results.sections:
        _rank_items(section_result)
    results.families = _families(results.sections, _family_means(results.sections, tally.agg), refs)
    if results.compared:
        _compare(results, params, structure)
    return results


def free_texts(
    *, campaign: Campaign, structure: Structure, question: Question, params: Mapping[str, str]
) -> tuple[ResultsFilter, QuerySet[Answer, str] | None]:
    """All free-text answers to a question for the filtered group; None when the group, or the
    number of people who wrote an answer, is under ``MIN_GROUP``."""
    results_filter = ResultsFilter(
        params, queryset=campaign.responses.all(), structure=structure, comparable=Campaign.objects.none()
    )
    responses = results_filter.qs
    answers = Answer.objects.filter(response__in=responses, question=question).exclude(text="").order_by("-pk")
    writers = answers.values("response_id").distinct().count()
    if responses.count() < MIN_GROUP or 0 < writers < MIN_GROUP:
        return results_filter, None
    return results_filter, answers.values_list("text", flat=True)


def results_table(results: Results) -> list[ResultLine]:
    """The rows of the results CSV: question code, choice code (or scale point), count, percent,
    national percent, the base (respondents who answered the question) the percent is of, and a note.

    A question hidden by the small-group rule is one row without figures whose note says why; so is a
    selection of fewer than ``MIN_GROUP`` respondents: nothing disappears from the file unexplained."""
    hidden = _("masqué : moins de %(min)s répondants") % {"min": MIN_GROUP}
    if results.suppressed:
        return [("", "", None, None, None, None, hidden)]
    rows: list[ResultLine] = []
    for section in results.sections:
        for result in section.questions:
            if result.suppressed and (result.question.has_choices or result.question.kind == Question.Kind.SCALE):
                rows.append((result.question.code, "", None, None, None, None, hidden))
            for row in result.rows:
                national = row.national.percent if row.national and row.national.percent is not None else None
                rows.append((result.question.code, row.code, row.count, row.percent, national, result.base, ""))
    return rows
