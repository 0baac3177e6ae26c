"""Reads of the network's catalogue: who may read it, publish to it and replicate from it.

The catalogue is the one place where a member reads other collectivités' rows: the publications of its own
network, and nothing else, inside ``common.tenancy.unscoped()``. Everything else (the project being published,
the portfolio a replication goes to) is read in the person's own scope.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, OrderBy, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.models import Network, User
from catalogue.models import Publication
from common import tenancy
from common.collation import french_order
from common.validators import folded
from portfolio.models import Project
from portfolio.selectors import can_create_project, get_project_for_user

PAGE_SIZE = 20
MAX_SEARCH_WORDS = 10  # as the project list: each word is a condition

SORTS = {
    "recent": _("Les plus récentes"),
    "titre": _("Titre"),
    "collectivite": _("Collectivité"),
}


def network_of(user: User) -> Network | None:
    """The network whose catalogue the person reads: their collectivité's, or the one they animate."""
    if user.organisation_id is not None:
        organisation = user.organisation
        if organisation is not None and organisation.network_id is not None:
            return organisation.network
        return None
    return user.network


def network_or_404(user: User) -> Network:
    """The person's network; a collectivité outside any network (and anyone else) gets 404."""
    network = network_of(user)
    if network is None:
        raise Http404
    return network


def live_publications(network: Network) -> QuerySet[Publication]:
    """The publications of the network not withdrawn, every member's: to evaluate inside ``tenancy.unscoped()``."""
    return Publication.objects.filter(network=network, withdrawn_at__isnull=True)


@dataclass
class CatalogueSearch:
    """What the catalogue page was asked: the words searched and the sort."""

    q: str = ""
    sort: str = "recent"


def catalogue_search(params: Mapping[str, object]) -> CatalogueSearch:
    q = str(params.get("q") or "").strip()[:200]
    sort = str(params.get("tri") or "recent")
    return CatalogueSearch(q=q, sort=sort if sort in SORTS else "recent")


def _sorted(publications: QuerySet[Publication], sort: str) -> QuerySet[Publication]:
    ordering: list[str | OrderBy] = []
    if sort == "titre":
        ordering = list(french_order(publications, "title", "title_folded"))
    elif sort == "collectivite":
        ordering = ["organisation__name", "-published_at", "-pk"]
    else:
        ordering = ["-published_at", "-pk"]
    return publications.order_by(*ordering)


def catalogue_page(user: User, search: CatalogueSearch, *, number: str | None) -> Page[Any]:
    """A page of the catalogue of the person's network: searched as the project list is (each word, folded, in
    the title, summary, results or lessons: "eclairage" finds "Éclairage"), sorted, with the number of
    replications of each publication. 404 outside a network."""
    network = network_or_404(user)
    with tenancy.unscoped():
        publications = live_publications(network)
        for word in folded(search.q).split()[:MAX_SEARCH_WORDS]:
            publications = publications.filter(search_text__contains=word)
        publications = _sorted(publications, search.sort).select_related("organisation")
        publications = publications.annotate(replication_count=Count("replications"))
        page: Page[Any] = Paginator(publications, PAGE_SIZE).get_page(number)  # annotated with replication_count
        page.object_list = list(page.object_list)
    return page


def get_publication_for_user(user: User, pk: int) -> Publication:
    """The one way views reach a publication: a live one of the person's network, or a withdrawn one of the
    person's own collectivité (its history); 404 otherwise."""
    network = network_or_404(user)
    with tenancy.unscoped():
        visible = Publication.objects.filter(network=network).filter(
            Q(withdrawn_at__isnull=True) | Q(organisation_id=user.organisation_id or 0)
        )
        publication = visible.select_related("organisation").filter(pk=pk).first()
    if publication is None:
        raise Http404
    return publication


def replication_count(publication: Publication) -> int:
    """How many projects replicate the publication, in any member's portfolio: a count, never who."""
    with tenancy.unscoped():
        return Project.objects.filter(replicated_from=publication).count()


def is_own(user: User, publication: Publication) -> bool:
    return user.organisation_id is not None and publication.organisation_id == user.organisation_id


def can_publish(user: User) -> bool:
    """The direction générale of a member of a network publishes its projects (docs/essaimage.md)."""
    return user.has_perm("catalogue.add_publication") and network_of(user) is not None and bool(user.organisation_id)


def can_withdraw(user: User, publication: Publication) -> bool:
    return publication.is_live and is_own(user, publication) and user.has_perm("catalogue.change_publication")


def can_replicate(user: User, publication: Publication) -> bool:
    """Another member's person who may create projects replicates a live publication into their own portfolio."""
    return (
        publication.is_live
        and user.organisation_id is not None
        and not is_own(user, publication)
        and can_create_project(user)
    )


def project_to_publish(user: User, pk: int) -> Project:
    """A project of the person's collectivité that they may publish: 404 if they may not see it or publish."""
    if not can_publish(user):
        raise Http404
    return get_project_for_user(user, pk)


def live_publication_of(project: Project) -> Publication | None:
    return Publication.objects.filter(project=project, withdrawn_at__isnull=True).first()


def own_publications(user: User) -> QuerySet[Publication]:
    """The publications of the person's collectivité, live and withdrawn, with the number of replications of
    each (``replication_count``: a join, which counts the projects of every member, never says whose)."""
    publications = Publication.objects.filter(organisation_id=user.organisation_id or 0)
    return publications.annotate(replication_count=Count("replications")).order_by("-published_at", "-pk")
