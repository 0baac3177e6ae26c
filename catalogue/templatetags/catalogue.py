"""The catalogue's part of a project's page: where it was replicated from, and its publication to the network."""

from __future__ import annotations

from typing import Any

from django import template

from catalogue import selectors
from portfolio.models import Project

register = template.Library()


@register.inclusion_tag("catalogue/includes/project_panel.html", takes_context=True)
def catalogue_panel(context: template.Context, project: Project) -> dict[str, Any]:
    """On the project's page: « Essaimé depuis … » for a replicated project (its origin's lessons with it), and for
    the direction générale of a network member, the project's publication and how many times it was replicated."""
    user = context["request"].user
    origin = project.replicated_from  # another collectivité's row, read through the relation on purpose
    can_publish = selectors.can_publish(user)
    live = selectors.live_publication_of(project) if can_publish else None
    return {
        "project": project,
        "origin": origin,
        "origin_visible": origin is not None and origin.is_live and selectors.network_of(user) is not None,
        "can_publish": can_publish,
        "live": live,
        "replications": selectors.replication_count(live) if live else 0,
    }


@register.simple_tag(takes_context=True)
def in_a_network(context: template.Context) -> bool:
    """Whether the signed-in person reads a network's catalogue (a link to it is then shown)."""
    return selectors.network_of(context["request"].user) is not None
