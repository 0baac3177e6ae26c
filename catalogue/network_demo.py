"""The catalogue's part of the network demonstration (``seed_demo --network``): one project published, replicated once.

Not named ``demo.py`` on purpose: plain ``seed_demo`` (one collectivité, no network) must not call it. The network
demonstration calls ``seed_catalogue(members)`` once its members, their accounts and projects exist.
"""

from __future__ import annotations

from collections.abc import Sequence

from accounts.models import Organisation, User
from accounts.roles import Role
from catalogue import services
from catalogue.models import Publication
from common import tenancy
from portfolio.models import Project


def _person(organisation: Organisation, *roles: Role) -> User | None:
    people = User.objects.filter(organisation=organisation, is_active=True, groups__name__in=[r.value for r in roles])
    return people.order_by("pk").first()


def seed_catalogue(members: Sequence[Organisation]) -> list[str]:
    """Publishes a project of the first member (its DGS publishing, a finished project if there is one) and
    replicates it once into the second member's portfolio (a project lead, else its DGS, leading it). Idempotent:
    a project already published, a publication already replicated there, are left as they are."""
    if len(members) < 2 or members[0].network_id is None:
        return ["Catalogue du réseau : il faut deux membres d'un même réseau, rien n'est publié."]
    origin, other = members[0], members[1]
    publisher = _person(origin, Role.DGS)
    replicator = _person(other, Role.PROJECT_LEAD) or _person(other, Role.DGS)
    if publisher is None or replicator is None:
        return ["Catalogue du réseau : un DGS et un chef de projet sont nécessaires, rien n'est publié."]
    with tenancy.unscoped():
        publication = Publication.objects.filter(organisation=origin, withdrawn_at__isnull=True).order_by("pk").first()
    lines = []
    if publication is None:
        with tenancy.scoped(origin):
            open_projects = Project.objects.filter(visibility=Project.Visibility.ALL).order_by("pk")
            project = open_projects.filter(status=Project.Status.COMPLETED).first() or open_projects.first()
            if project is None:
                return [f"Catalogue du réseau : {origin} n'a aucun projet ouvert à publier."]
            publication = services.publication_publish(
                project=project,
                published_by=publisher,
                title=project.title,
                summary=project.summary,
                include=["results", "indicators", "lessons", "directions"],
            )
        lines.append(f"Catalogue du réseau : « {publication.title} » publié par {origin}.")
    with tenancy.unscoped():
        replicated = Project.objects.filter(replicated_from=publication, organisation=other).exists()
    if not replicated:
        with tenancy.scoped(other):
            project = services.publication_replicate(
                publication=publication,
                replicated_by=replicator,
                data={
                    "title": publication.title,
                    "summary": publication.summary,
                    "nature": publication.project.nature if publication.project else Project.Nature.SOCIETAL,
                    "origin": Project.Origin.ADMINISTRATIVE,
                },
            )
        lines.append(f"Catalogue du réseau : « {publication.title} » essaimé par {other} (projet n° {project.pk}).")
    return lines
