"""What a network's pages read: the members and the aggregates over their portfolios, never a member's rows.

The network's animateur reads within the scope of nobody and a member's DGS within their own collectivité's
(``common.tenancy``): the aggregates read across the members on purpose, inside ``unscoped()``, and return
only counts. A restricted project is never counted, and no project is ever named.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from accounts.models import Network, Organisation, User
from accounts.roles import Role
from common.tenancy import unscoped
from portfolio.models import Phase, Project
from reports.figures import share


def is_animateur(user: User) -> bool:
    """A network's animateur: an account of no collectivité that animates a network."""
    return bool(user.is_authenticated and user.organisation_id is None and user.network_id is not None)


def network_of(user: User) -> Network | None:
    """The network whose pages ``user`` may read: the one they animate, or their collectivité's if they are its
    DGS; ``None`` for anybody else."""
    if is_animateur(user):
        return user.network
    if user.organisation_id is None or not user.has_role(Role.DGS):
        return None
    with unscoped():
        return Network.objects.filter(members=user.organisation_id).first()


def get_network_for_user(user: User) -> Network:
    """The one way views reach a network: 404 for whoever is neither its animateur nor a member's DGS."""
    network = network_of(user)
    if network is None:
        raise Http404
    return network


@dataclass(frozen=True)
class Member:
    name: str
    kind: str
    size_band: str


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    share: float | None  # percentage of the base; None on an empty base


@dataclass(frozen=True)
class Overview:
    """The network's page: its members and the projects in progress across them, counted, with their base."""

    network: Network
    members: list[Member]
    as_of: datetime.date
    base: int  # non-restricted projects in progress across the members: the denominator of every row
    contributing_members: int  # members with at least one project in the base
    by_phase: list[Row]
    by_nature: list[Row]


def members_of(network: Network) -> list[Member]:
    """The members, by name: one query."""
    with unscoped():
        organisations = Organisation.objects.filter(network=network).order_by("name", "pk")
        return [
            Member(
                name=organisation.name,
                kind=organisation.get_kind_display(),
                size_band=str(Organisation.SizeBand(organisation.size_band).label) if organisation.size_band else "",
            )
            for organisation in organisations
        ]


def counted_projects(network: Network) -> Counter[tuple[int, str, int]]:
    """(phase id, nature, member id) → number of the members' projects in progress that are not restricted.

    One grouped query, whatever the number of members and projects; call it inside ``unscoped()``.
    """
    rows = (
        Project.objects.filter(organisation__network=network, status=Project.Status.ACTIVE)
        .exclude(visibility=Project.Visibility.RESTRICTED)
        .order_by()
        .values_list("phase", "nature", "organisation")
        .annotate(n=Count("pk"))
    )
    return Counter({(phase, nature, member): n for phase, nature, member, n in rows})


def network_overview(network: Network, *, as_of: datetime.date | None = None) -> Overview:
    """The members and the aggregates of ``network``: four queries whatever the number of members."""
    with unscoped():
        members = members_of(network)
        counts = counted_projects(network)
        phases = list(Phase.objects.order_by("order"))
    by_phase: Counter[int] = Counter()
    by_nature: Counter[str] = Counter()
    contributing: set[int] = set()
    for (phase, nature, member), n in counts.items():
        by_phase[phase] += n
        by_nature[nature] += n
        contributing.add(member)
    base = sum(counts.values())
    return Overview(
        network=network,
        members=members,
        as_of=as_of or timezone.localdate(),
        base=base,
        contributing_members=len(contributing),
        by_phase=[Row(phase.localized_label, by_phase[phase.pk], share(by_phase[phase.pk], base)) for phase in phases],
        by_nature=[
            Row(str(nature.label), by_nature[nature.value], share(by_nature[nature.value], base))
            for nature in Project.Nature
        ],
    )


@dataclass(frozen=True)
class EditionLink:
    title: str
    status: str
    url: str  # the animateur's page of the edition, or the member's comparison (empty before its campaign exists)


def editions_for(network: Network, user: User) -> list[EditionLink]:
    """The network's national editions, newest first, each with the page the person reads it on: the edition's
    page for its animateur, their own campaign's comparison for a member."""
    from django.urls import reverse

    from surveys.models import Campaign, NationalEdition

    editions = list(NationalEdition.objects.filter(network=network).order_by("-created_at", "-pk"))
    if is_animateur(user):
        return [
            EditionLink(e.title, e.get_status_display(), reverse("surveys:edition", args=[e.slug])) for e in editions
        ]
    own = dict(Campaign.objects.filter(edition__in=editions).values_list("edition_id", "slug"))  # the scope's
    return [
        EditionLink(
            e.title,
            e.get_status_display(),
            reverse("surveys:comparison", args=[own[e.pk]]) if e.pk in own else "",
        )
        for e in editions
    ]
