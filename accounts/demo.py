"""Demo data of the accounts app: a fictional commune, its directions, one account per role.

``manage.py seed_demo`` calls the ``seed()`` of each app's ``demo`` module in the
order of INSTALLED_APPS; each one is idempotent.
"""

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import Direction, Organisation, User
from accounts.roles import Role

DEMO_PASSWORD = "Demo-Innovation-2026"  # noqa: S105 - published in the README on purpose

# code, name, name in English
DIRECTIONS = [
    ("DG", "Direction générale des services", "General management"),
    ("DRH", "Direction des ressources humaines", "Human resources"),
    ("DSI", "Direction du numérique et des systèmes d'information", "Digital and information systems"),
    ("DFIN", "Direction des finances et de la commande publique", "Finance and public procurement"),
    ("DSOL", "Direction des solidarités et de la santé", "Solidarity and health"),
    ("DEF", "Direction de l'éducation, de l'enfance et des familles", "Education, childhood and families"),
    ("DVL", "Direction de la vie locale et de la citoyenneté", "Local life and citizenship"),
    ("DST", "Direction des services techniques", "Technical services"),
]

# username, first name, last name, direction code, roles, staff
ACCOUNTS = [
    ("dgs", "Claire", "Martin", "DG", [Role.DGS], True),
    ("cheffe", "Sophie", "Bernard", "DSI", [Role.PROJECT_LEAD, Role.AGENT], False),
    ("agent", "Karim", "Haddad", "DEF", [Role.AGENT], False),
    ("jury", "Hélène", "Petit", "DRH", [Role.JURY, Role.AGENT], False),
    ("copil", "Jean", "Moreau", "DFIN", [Role.COPIL], False),
]


@transaction.atomic
def seed() -> list[str]:
    organisation, _created = Organisation.objects.update_or_create(
        pk=1, defaults={"name": "Ville de Bellerive-sur-Loire", "kind": Organisation.Kind.COMMUNE}
    )
    directions = {}
    for code, name, name_en in DIRECTIONS:
        directions[code], _created = Direction.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "organisation": organisation, "is_active": True}
        )
    lines = []
    for username, first, last, direction, roles, staff in ACCOUNTS:
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@bellerive.example",
                "direction": directions[direction],
                "is_staff": staff,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.groups.set(Group.objects.filter(name__in=[role.value for role in roles]))
        labels = ", ".join(str(role.label) for role in roles)
        lines.append(f"  {username:<8} {DEMO_PASSWORD}   {first} {last} — {labels}")
    return ["Comptes de démonstration :", *lines]
