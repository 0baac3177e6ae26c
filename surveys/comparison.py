"""Reads of a national edition: a member's comparison with its network, its peers and the 2018 survey, and the
network's page (participation per member, network figures).

Every figure is read from kept counts: the member's from its campaign's ``Tally`` (as its results page), the
network's and the peers' from the edition's ``EditionTally`` (one query for both groups), the national ones
from the reference values: a handful of queries whatever the number of members or responses.

Small groups: no figure of the member from fewer than ``MIN_GROUP`` respondents (as on its results page);
no figure of the network or of the peers when fewer than ``MIN_MEMBERS`` collectivités answered (a single
other collectivité's answers could be read by difference), nor of a question fewer than ``MIN_GROUP``
people answered.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from common.tenancy import unscoped
from surveys.answers import Structure
from surveys.editions import NETWORK, member_group, peer_group
from surveys.models import SCALE_POINTS, Campaign, EditionTally, NationalEdition, Question, ReferenceValue, Tally
from surveys.results import MIN_GROUP
from surveys.selectors import references_by_target

MIN_MEMBERS = 5
MEMBERS_PAGE = 50


def share(count: int, base: int) -> float | None:
    """A percentage of ``base``: none on an empty base, never above 100."""
    if base <= 0:
        return None
    return 100 * min(max(count, 0), base) / base


@dataclass
class GroupCounts:
    """A group's counts as read: respondents, collectivités, and per question its base and its counts."""

    people: int = 0
    complete: int = 0
    members: int = 0
    bases: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    counts: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))  # (question, value)


@dataclass
class Figure:
    """One percentage with its base (None when hidden or when nobody answered)."""

    percent: float | None
    base: int

    @property
    def text(self) -> str:
        """As shown in a cell: one decimal in the active language's format (formatted here: a page has
        hundreds of cells, and a template tag per cell costs more than the page's queries)."""
        if self.percent is None:
            return str(_("sans réponse"))
        return f"{number_format(round(self.percent, 1), 1)}\u00a0%"  # number_format cuts, it does not round


def cell(figure: Figure | None) -> str:
    return "—" if figure is None else figure.text


@dataclass
class ComparisonRow:
    code: str
    label: str
    member: Figure | None
    network: Figure | None
    peers: Figure | None
    national: ReferenceValue | None

    @property
    def cells(self) -> dict[str, str]:
        """The member's, the network's, the peers' and the national figure, as shown (a dict: the template
        reads its keys at the first try)."""
        national = self.national.percent if self.national is not None else None
        shown = "—" if national is None else f"{number_format(national, 0 if national == int(national) else 1)}\u00a0%"
        return {
            "member": cell(self.member),
            "network": cell(self.network),
            "peers": cell(self.peers),
            "national": shown,
        }


@dataclass
class ComparisonQuestion:
    question: Question
    member_base: int
    network_base: int
    peer_base: int
    rows: list[ComparisonRow]
    member_hidden: bool
    network_hidden: bool
    peers_hidden: bool

    @property
    def national_percents(self) -> bool:
        return any(row.national is not None and row.national.percent is not None for row in self.rows)


@dataclass
class Comparison:
    edition: NationalEdition
    at: datetime.datetime
    campaign: Campaign | None = None
    member_people: int = 0
    network: GroupCounts = field(default_factory=GroupCounts)
    peers: GroupCounts | None = None  # None: the member's population is not known
    peer_label: str = ""
    national_year: int | None = None
    national_base: int | None = None
    questions: list[ComparisonQuestion] = field(default_factory=list)

    @property
    def member_hidden(self) -> bool:
        return self.campaign is not None and self.member_people < MIN_GROUP

    @property
    def network_hidden(self) -> bool:
        return self.network.members < MIN_MEMBERS

    @property
    def peers_hidden(self) -> bool:
        return self.peers is None or self.peers.members < MIN_MEMBERS

    @property
    def peers_reason(self) -> str:
        """Why the peers' column is empty, in words (empty when it is not)."""
        if self.peers is None:
            return _(
                "Pas de comparaison avec les pairs : la population de la collectivité n'est pas renseignée, "
                "sa strate n'est donc pas connue."
            )
        if self.peers.members < MIN_MEMBERS:
            return _(
                "Comparaison avec les pairs masquée : %(count)s collectivité(s) de même type et de même strate "
                "ont répondu, il en faut au moins %(min)s pour qu'aucune ne soit reconnaissable."
            ) % {"count": self.peers.members, "min": MIN_MEMBERS}
        return ""

    @property
    def network_reason(self) -> str:
        if self.network_hidden:
            return _(
                "Résultats du réseau masqués : %(count)s collectivité(s) ont répondu, "
                "il en faut au moins %(min)s pour qu'aucune ne soit reconnaissable."
            ) % {"count": self.network.members, "min": MIN_MEMBERS}
        return ""


def _group_counts(edition: NationalEdition, groups: list[str]) -> dict[str, GroupCounts]:
    """The kept counts of ``groups`` of the edition: one query."""
    found = {group: GroupCounts() for group in groups}
    rows = EditionTally.objects.filter(edition=edition, group__in=groups).values_list(
        "group", "kind", "target", "value", "count"
    )
    for group, kind, target, value, count in rows:
        counts = found[group]
        if kind == EditionTally.Kind.PEOPLE:
            counts.people = count
        elif kind == EditionTally.Kind.COMPLETE:
            counts.complete = count
        elif kind == EditionTally.Kind.MEMBERS:
            counts.members = count
        elif kind == EditionTally.Kind.QUESTION:
            counts.bases[target] = count
        else:
            counts.counts[(target, value)] = count
    return found


def _member_counts(campaign: Campaign) -> GroupCounts:
    """The member's own counts, every response of its campaign (complete or not): one query over its Tally."""
    counts = GroupCounts()
    rows = Tally.objects.filter(campaign=campaign).filter(
        Q(kind=Tally.Kind.PEOPLE) | Q(kind=Tally.Kind.QUESTION) | Q(kind=Tally.Kind.CHOICE) | Q(kind=Tally.Kind.SCORE)
    )
    for kind, target, value, count in rows.values_list("kind", "target", "value", "count"):
        if kind == Tally.Kind.PEOPLE:
            counts.people += count
        elif kind == Tally.Kind.QUESTION:
            counts.bases[target] += count
        else:
            counts.counts[(target, value)] += count
    return counts


def _figure(counts: GroupCounts, question: Question, value: int, hidden: bool) -> Figure | None:
    if hidden:
        return None
    base = counts.bases.get(question.pk, 0)
    return Figure(share(counts.counts.get((question.pk, value), 0), base), base)


def _question(
    question: Question,
    comparison: Comparison,
    member: GroupCounts | None,
    refs: dict[tuple[str, int], ReferenceValue],
) -> ComparisonQuestion:
    network, peers = comparison.network, comparison.peers
    member_base = member.bases.get(question.pk, 0) if member else 0
    network_base = network.bases.get(question.pk, 0)
    peer_base = peers.bases.get(question.pk, 0) if peers else 0
    member_hidden = member is None or comparison.member_hidden or member_base < MIN_GROUP
    network_hidden = comparison.network_hidden or network_base < MIN_GROUP
    peers_hidden = comparison.peers_hidden or peer_base < MIN_GROUP
    values: list[tuple[str, str, int, ReferenceValue | None]]
    if question.kind == Question.Kind.SCALE:
        values = [(str(point), str(point), point, None) for point in SCALE_POINTS]
    else:
        values = [(c.code, str(c.localized_label), c.pk, refs.get(("choice", c.pk))) for c in question.choice_list]
    rows = [
        ComparisonRow(
            code=code,
            label=label,
            member=_figure(member, question, value, member_hidden) if member else None,
            network=_figure(network, question, value, network_hidden),
            peers=_figure(peers, question, value, peers_hidden) if peers else None,
            national=reference,
        )
        for code, label, value, reference in values
    ]
    return ComparisonQuestion(
        question, member_base, network_base, peer_base, rows, member_hidden, network_hidden, peers_hidden
    )


def edition_comparison(
    *, edition: NationalEdition, structure: Structure, campaign: Campaign | None = None
) -> Comparison:
    """Question by question (choices and scores): the member's percentage (with ``campaign``), the network's,
    the peers', and the 2018 national one, each with its base. Without a campaign: the network's alone."""
    comparison = Comparison(edition=edition, at=timezone.now(), campaign=campaign)
    groups = [NETWORK]
    member: GroupCounts | None = None
    peers = None
    if campaign is not None:
        organisation = Organisation.objects.get(pk=campaign.organisation_id)
        peers = peer_group(organisation.kind, organisation.population)
        if peers:
            groups.append(peers)
            comparison.peer_label = _("%(kind)s, %(band)s") % {
                "kind": organisation.get_kind_display(),
                "band": Organisation.SizeBand(organisation.size_band).label,
            }
        member = _member_counts(campaign)
        comparison.member_people = member.people
    counts = _group_counts(edition, groups)
    comparison.network = counts[NETWORK]
    comparison.peers = counts[peers] if peers else None
    questionnaire = campaign.questionnaire if campaign is not None else edition.questionnaire
    refs = references_by_target(questionnaire)
    years = {ref.year for ref in refs.values()}
    comparison.national_year = max(years) if years else None
    comparison.national_base = questionnaire.reference_respondents
    for question in structure.questions.values():
        if question.has_choices or question.kind == Question.Kind.SCALE:
            comparison.questions.append(_question(question, comparison, member, refs))
    return comparison


def comparison_table(comparison: Comparison) -> dict[tuple[str, str], tuple[float | None, float | None, str]]:
    """By (question code, choice code or point): the network's and the peers' percentages for resultats.csv,
    and a note when the peers' figure is hidden."""
    note = _("pairs masqués : moins de %(min)s collectivités") % {"min": MIN_MEMBERS}
    table = {}
    for result in comparison.questions:
        for row in result.rows:
            network = row.network.percent if row.network else None
            peers = row.peers.percent if row.peers else None
            table[(result.question.code, row.code)] = (network, peers, note if result.peers_hidden else "")
    return table


# The network's page --------------------------------------------------------------------------


def get_edition_for_animateur(user: User, slug: str) -> NationalEdition:
    """The one way views reach an edition's network page: 404 for anyone but an animateur of its network."""
    if not user.network_id:
        raise Http404
    return get_object_or_404(
        NationalEdition.objects.select_related("network", "questionnaire"), network_id=user.network_id, slug=slug
    )


def editions_of(user: User) -> list[NationalEdition]:
    if not user.network_id:
        return []
    return list(NationalEdition.objects.filter(network_id=user.network_id).order_by("-created_at"))


@dataclass
class Participation:
    organisation: Organisation
    has_campaign: bool
    people: int
    complete: int


def participation_page(edition: NationalEdition, number: str | int | None) -> Page[Participation]:
    """A page of the members, in name order, each with its number of respondents and complete responses
    (counts only, never an answer): three queries whatever the number of members."""
    members = Organisation.objects.filter(network_id=edition.network_id).order_by("name", "pk")
    page = Paginator(members, MEMBERS_PAGE).get_page(number)
    organisations = list(page.object_list)
    groups = {member_group(o.pk): o.pk for o in organisations}
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for group, kind, count in EditionTally.objects.filter(
        edition=edition, group__in=groups, kind__in=[EditionTally.Kind.PEOPLE, EditionTally.Kind.COMPLETE]
    ).values_list("group", "kind", "count"):
        counts[groups[group]][kind] = count
    with unscoped():
        campaigns = set(
            Campaign.objects.filter(edition=edition, organisation__in=organisations).values_list(
                "organisation_id", flat=True
            )
        )
    rows = [
        Participation(
            organisation=o,
            has_campaign=o.pk in campaigns,
            people=counts[o.pk].get(EditionTally.Kind.PEOPLE, 0),
            complete=counts[o.pk].get(EditionTally.Kind.COMPLETE, 0),
        )
        for o in organisations
    ]
    page.object_list = rows  # type: ignore[assignment]  # the page's rows become the members with their counts
    return page  # type: ignore[return-value]  # its rows are Participation now


def member_count(edition: NationalEdition) -> int:
    return Organisation.objects.filter(network_id=edition.network_id).count()


def national_percent(reference: ReferenceValue | None) -> Decimal | None:
    return reference.percent if reference is not None else None
