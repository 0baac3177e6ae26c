"""The demonstration of a network: an EPCI and three communes, each with its directions, accounts and projects,
and the network's animateur (``manage.py seed_demo --network``).

Not named ``demo``: ``seed_demo`` calls every app's ``demo.seed()``, and a plain ``seed_demo`` stays the
demonstration of one collectivité. The usual demonstration (Bellerive-sur-Loire and its forty projects) is
one of the communes; ``build_network_demo`` adds the rest, idempotently, and returns what it built so that
later demonstrations (a project published to the catalogue and replicated, a national campaign and its
answers) can be plugged onto it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import Direction, Network, Organisation, User
from accounts.roles import Role
from common.tenancy import scoped, unscoped
from portfolio.models import Phase, Project

NETWORK = ("Réseau innovation Loire et Coteaux", "loire-coteaux")
BELLERIVE_ID = 1  # the collectivité of the usual demonstration (accounts/demo.py)
BELLERIVE = ("bellerive", 31_500)

M, S = Project.Nature.MANAGERIAL, Project.Nature.SOCIETAL
# slug, name, kind, population, directions (code, name), projects (title, summary, nature, phase order, restricted)
MEMBERS = [
    (
        "cc-loire-coteaux",
        "Communauté de communes Loire et Coteaux",
        Organisation.Kind.EPCI,
        48_200,
        [("DG", "Direction générale des services"), ("DEV", "Développement économique"), ("ENV", "Environnement")],
        [
            ("Guichet unique des entreprises", "Un seul interlocuteur pour les entreprises.", S, 2, False),
            ("Collecte des déchets en horaires décalés", "La collecte en soirée dans deux communes.", S, 1, False),
            ("Télétravail des agents intercommunaux", "Une charte et un accompagnement des encadrants.", M, 3, False),
            ("Mutualisation des achats", "Préparer des groupements de commandes avec les communes.", M, 1, True),
        ],
    ),
    (
        "saint-aubin",
        "Commune de Saint-Aubin-des-Prés",
        Organisation.Kind.COMMUNE,
        2_140,
        [("DG", "Secrétariat général"), ("TECH", "Services techniques")],
        [
            ("Mairie itinérante", "La mairie se déplace dans les hameaux une fois par mois.", S, 2, False),
            ("Registre numérique des salles", "Réserver les salles communales en ligne.", M, 1, False),
        ],
    ),
    (
        "montfleury",
        "Ville de Montfleury-sur-Cher",
        Organisation.Kind.COMMUNE,
        8_730,
        [("DG", "Direction générale des services"), ("EDU", "Éducation et jeunesse"), ("CCAS", "Action sociale")],
        [
            ("Conseil municipal des jeunes en ligne", "Des consultations numériques pour les collégiens.", S, 1, False),
            ("Cantine : commandes sans papier", "Les familles inscrivent leurs enfants en ligne.", S, 3, False),
            ("Entretiens annuels revisités", "Des entretiens plus courts et plus fréquents.", M, 2, False),
        ],
    ),
]

# username prefix (the member's slug follows), first name, last name, roles, staff
ACCOUNTS = [
    ("dgs", "Direction", "générale", [Role.DGS], True),
    ("cheffe", "Cheffe", "de projet", [Role.PROJECT_LEAD, Role.AGENT], False),
    ("agent", "Agent", "de la collectivité", [Role.AGENT], False),
]
ANIMATEUR = ("animateur", "Nadia", "Benali")


@dataclass(frozen=True)
class NetworkDemo:
    network: Network
    members: list[Organisation]  # the EPCI first, then the communes, Bellerive-sur-Loire among them
    animateur: User


def _accounts(organisation: Organisation, slug: str, direction: Direction) -> dict[str, User]:
    people = {}
    for prefix, first, last, roles, staff in ACCOUNTS:
        username = f"{prefix}-{slug}"
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": f"{last} ({organisation.name})",
                "email": f"{username}@{slug}.example",
                "organisation": organisation,
                "direction": direction,
                "is_staff": staff,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.groups.set(Group.objects.filter(name__in=[role.value for role in roles]))
        people[prefix] = user
    return people


def _member(
    network: Network, slug: str, name: str, kind: str, population: int, directions: list[tuple[str, str]]
) -> tuple[Organisation, dict[str, Direction]]:
    organisation, _created = Organisation.objects.update_or_create(
        slug=slug, defaults={"name": name, "kind": kind, "population": population, "network": network}
    )
    with scoped(organisation):
        found = {}
        for code, label in directions:
            found[code], _created = Direction.objects.update_or_create(
                code=code, defaults={"name": label, "organisation": organisation, "is_active": True}
            )
    return organisation, found


def _projects(
    organisation: Organisation, lead: User, projects: Sequence[tuple[str, str, str, int, bool]], today: datetime.date
) -> None:
    phases = {phase.order: phase for phase in Phase.objects.all()}
    with scoped(organisation):
        for index, (title, summary, nature, phase_order, restricted) in enumerate(projects):
            Project.objects.get_or_create(
                title=title,
                defaults={
                    "organisation": organisation,
                    "summary": summary,
                    "nature": nature,
                    "origin": Project.Origin.ADMINISTRATIVE,
                    "lead": lead,
                    "created_by": lead,
                    "phase": phases[phase_order],
                    "phase_since": today - datetime.timedelta(days=30 * (index + 1)),
                    "visibility": Project.Visibility.RESTRICTED if restricted else Project.Visibility.ALL,
                },
            )


def _sequence_past_explicit_ids(model: type[models.Model]) -> None:
    """The demonstration's collectivité is created with an explicit id (1), which PostgreSQL's sequence does not
    see: the next collectivité created would take id 1 again. The sequence is moved past the highest id."""
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@transaction.atomic
def build_network_demo() -> NetworkDemo:
    """The network, its members (created or brought back to their demonstration values) and its animateur."""
    today = timezone.localdate()
    with unscoped():
        network, _created = Network.objects.update_or_create(slug=NETWORK[1], defaults={"name": NETWORK[0]})
        bellerive, _created = Organisation.objects.get_or_create(
            pk=BELLERIVE_ID, defaults={"name": "Ville de Bellerive-sur-Loire", "kind": Organisation.Kind.COMMUNE}
        )
        _sequence_past_explicit_ids(Organisation)
        members = []
        for slug, name, kind, population, directions, projects in MEMBERS:
            organisation, found = _member(network, slug, name, kind, population, directions)
            with scoped(organisation):
                people = _accounts(organisation, slug, found["DG"])
            _projects(organisation, people["cheffe"], projects, today)
            members.append(organisation)
        Organisation.objects.filter(pk=bellerive.pk).update(slug=BELLERIVE[0], population=BELLERIVE[1], network=network)
        bellerive.refresh_from_db()
        members.insert(1, bellerive)
        username, first, last = ANIMATEUR
        animateur, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@{NETWORK[1]}.example",
                "organisation": None,
                "direction": None,
                "network": network,
                "is_staff": False,
                "is_active": True,
            },
        )
        animateur.set_password(DEMO_PASSWORD)
        animateur.save(update_fields=["password"])
        animateur.groups.clear()
    return NetworkDemo(network=network, members=members, animateur=animateur)


def describe(demo: NetworkDemo) -> list[str]:
    """The lines ``seed_demo --network`` prints: the network, its members and the accounts to sign in with."""
    lines = [f"Réseau « {demo.network.name} » : {len(demo.members)} collectivités membres."]
    lines.append(f"  {demo.animateur.username:<24} {DEMO_PASSWORD}   animateur du réseau (/reseau/)")
    for organisation in demo.members:
        if organisation.pk == BELLERIVE_ID:
            lines.append(f"  {'dgs':<24} {DEMO_PASSWORD}   {organisation.name} (et les comptes ci-dessus)")
            continue
        for prefix, *_rest in ACCOUNTS:
            lines.append(f"  {prefix + '-' + (organisation.slug or ''):<24} {DEMO_PASSWORD}   {organisation.name}")
    return lines
