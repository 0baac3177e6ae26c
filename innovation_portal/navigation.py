"""The main navigation: which sections each person sees, by role.

Each feature adds its section here when it ships; a section is shown to the
roles listed (or to everyone signed in when ``roles`` is empty) and to staff
where ``staff_only`` is set. A section of the network (``network``) is shown to the
network's animateur and to the roles listed in a member of a network; an animateur
sees those sections only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role


@dataclass(frozen=True)
class Section:
    label: str | Promise
    url_name: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    staff_only: bool = False
    network: bool = False

    def visible_to(self, user: User, *, in_network: bool = False) -> bool:
        if user.organisation_id is None and user.network_id is not None:  # a network's animateur
            return self.network
        if self.network:
            return in_network and bool(self.roles.intersection(user.roles))
        if self.staff_only:
            return user.is_staff
        return not self.roles or bool(self.roles.intersection(user.roles))


SECTIONS = [
    Section(_("Accueil"), "home"),
    Section(_("Projets"), "portfolio:list", frozenset(Role)),
    Section(_("Concours"), "contests:list", frozenset(Role)),
    Section(_("Enquêtes"), "surveys:index", frozenset({Role.DGS, Role.COPIL})),
    Section(_("Tableaux de bord"), "dashboards:index", frozenset({Role.DGS, Role.COPIL})),
    Section(_("Rapports"), "reports:list", frozenset({Role.DGS, Role.COPIL})),
    Section(_("Journal"), "audit:journal", frozenset({Role.DGS})),
    Section(_("Réseau"), "network:overview", frozenset({Role.DGS}), network=True),
    # The animateur's only way to it; the members reach it from the project list.
    Section(_("Catalogue du réseau"), "catalogue:index", network=True),
    Section(_("Administration"), "admin:index", staff_only=True),
]


def sections_for(user: User, current_path: str, *, in_network: bool = False) -> list[dict[str, object]]:
    """The sections ``user`` sees; ``in_network``: their collectivité is a member of a network."""
    items: list[dict[str, object]] = []
    for section in SECTIONS:
        if not section.visible_to(user, in_network=in_network):
            continue
        url = reverse(section.url_name)
        current = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": section.label, "url": url, "current": current})
    # One current section, the most precise: on /reseau/catalogue/, the catalogue, not the network.
    current_urls = [str(item["url"]) for item in items if item["current"]]
    for item in items:
        item["current"] = bool(current_urls) and item["url"] == max(current_urls, key=len)
    return items
