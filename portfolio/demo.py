"""Demo portfolio: about forty projects drawn from the examples of the national study.

Idempotent: projects are matched by title and only created when missing, with
their decisions, indicators and scores; an existing project is left as it is, except
that a project past Adoption without adoption actors gets them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import Direction, User
from accounts.roles import Role
from audit import services as audit
from portfolio import periods, services
from portfolio.models import (
    AdoptionActor,
    Domain,
    FactorScore,
    GateDecision,
    Indicator,
    InnovationObject,
    Measurement,
    Phase,
    Project,
    SuccessFactor,
    Tag,
)
from portfolio.services import journal_gate_decision

# Project leads of the demo besides the demo accounts; they cannot log in.
COLLEAGUES = [
    ("m.lefebvre", "Marc", "Lefebvre", "DST"),
    ("a.garcia", "Amina", "Garcia", "DSOL"),
    ("l.roux", "Lucie", "Roux", "DVL"),
    ("t.nguyen", "Thomas", "Nguyen", "DSI"),
    ("c.fournier", "Céline", "Fournier", "DRH"),
]

M, S = Project.Nature.MANAGERIAL, Project.Nature.SOCIETAL
ORIGIN = Project.Origin
# title, summary, nature, domain index, objects, origin, directions, phase order, status, lead, cost k€, months ago
PROJECTS = [
    (
        "Guichet unique des démarches",
        "Délivrer l'ensemble des services en un seul lieu, à l'accueil de la mairie.",
        M,
        3,
        ["organisation", "services"],
        ORIGIN.ADMINISTRATIVE,
        ["DG", "DVL"],
        3,
        "active",
        "cheffe",
        120,
        18,
    ),
    (
        "Portail famille",
        "Inscriptions, réservations et paiements de la cantine et du périscolaire en ligne.",
        S,
        5,
        ["services", "ntic"],
        ORIGIN.POLITICAL,
        ["DEF", "DSI"],
        4,
        "completed",
        "t.nguyen",
        85,
        30,
    ),
    (
        "Maison de santé pluriprofessionnelle",
        "Réunir médecins, infirmiers et kinés dans un lieu porté par la commune.",
        S,
        6,
        ["services", "modeles_economiques"],
        ORIGIN.POLITICAL,
        ["DSOL"],
        3,
        "active",
        "a.garcia",
        950,
        24,
    ),
    (
        "Concours d'innovation interne",
        "Faire remonter les idées des agents pour améliorer l'organisation et le service rendu.",
        M,
        1,
        ["organisation"],
        ORIGIN.ADMINISTRATIVE,
        ["DRH", "DG"],
        4,
        "active",
        "c.fournier",
        15,
        20,
    ),
    (
        "Dématérialisation des actes du conseil",
        "Convocations, délibérations et registres du conseil municipal sans papier.",
        M,
        4,
        ["ntic", "outils_gestion"],
        ORIGIN.ADMINISTRATIVE,
        ["DSI", "DG"],
        4,
        "completed",
        "t.nguyen",
        40,
        28,
    ),
    (
        "Entrepôt de données",
        "Un entrepôt commun pour les tableaux de bord des directions.",
        M,
        4,
        ["ntic", "outils_gestion"],
        ORIGIN.AGENTS,
        ["DSI", "DFIN"],
        2,
        "active",
        "cheffe",
        60,
        8,
    ),
    (
        "Forum citoyen sur les projets à fort impact",
        "Associer les habitants aux choix des grands projets d'aménagement.",
        S,
        5,
        ["services"],
        ORIGIN.POLITICAL,
        ["DVL"],
        2,
        "active",
        "l.roux",
        25,
        7,
    ),
    (
        "Design de service : accueil de l'état civil",
        "Repenser le parcours des usagers de l'état civil avec eux.",
        S,
        5,
        ["services", "organisation"],
        ORIGIN.AGENTS,
        ["DVL"],
        3,
        "active",
        "l.roux",
        30,
        14,
    ),
    (
        "Réseau de bénévoles pour les seniors",
        "Favoriser le lien social avec les personnes âgées isolées.",
        S,
        6,
        ["services"],
        ORIGIN.AGENTS,
        ["DSOL"],
        3,
        "active",
        "a.garcia",
        12,
        12,
    ),
    (
        "Gérontechnologie en résidence autonomie",
        "Capteurs et objets connectés pour prévenir les chutes.",
        S,
        6,
        ["ntic", "services"],
        ORIGIN.PARTNER,
        ["DSOL", "DSI"],
        2,
        "on_hold",
        "a.garcia",
        70,
        10,
    ),
    (
        "Maison de l'autonomie",
        "Regrouper la solidarité sociale et l'accueil des personnes handicapées.",
        S,
        6,
        ["organisation", "services"],
        ORIGIN.POLITICAL,
        ["DSOL"],
        1,
        "active",
        "a.garcia",
        400,
        3,
    ),
    (
        "Maison de services publics itinérante",
        "Un bus qui apporte les services publics dans les quartiers et hameaux.",
        S,
        5,
        ["services", "modeles_economiques"],
        ORIGIN.POLITICAL,
        ["DVL", "DST"],
        3,
        "active",
        "l.roux",
        180,
        16,
    ),
    (
        "Co-conception des parcours médico-sociaux",
        "Agents et usagers fluidifient ensemble les parcours des personnes suivies.",
        S,
        6,
        ["organisation", "services"],
        ORIGIN.AGENTS,
        ["DSOL"],
        2,
        "active",
        "a.garcia",
        20,
        9,
    ),
    (
        "Formation au management en mode projet",
        "Former les cadres intermédiaires à la conduite de projet.",
        M,
        1,
        ["organisation"],
        ORIGIN.ADMINISTRATIVE,
        ["DRH"],
        4,
        "completed",
        "c.fournier",
        35,
        26,
    ),
    (
        "Qualité de vie au travail",
        "Une démarche d'amélioration continue de la qualité de vie au travail.",
        M,
        1,
        ["organisation"],
        ORIGIN.AGENTS,
        ["DRH"],
        3,
        "active",
        "c.fournier",
        45,
        15,
    ),
    (
        "Management collaboratif",
        "Autonomie, responsabilité et confiance dans les équipes.",
        M,
        1,
        ["organisation"],
        ORIGIN.ADMINISTRATIVE,
        ["DRH", "DG"],
        2,
        "active",
        "c.fournier",
        10,
        6,
    ),
    (
        "Charte des valeurs managériales",
        "Écrire avec les encadrants la charte des valeurs managériales.",
        M,
        1,
        ["organisation"],
        ORIGIN.ADMINISTRATIVE,
        ["DRH"],
        4,
        "active",
        "c.fournier",
        5,
        22,
    ),
    (
        "Projet d'administration 2026-2030",
        "Le projet d'administration, co-construit avec les agents.",
        M,
        2,
        ["organisation"],
        ORIGIN.ADMINISTRATIVE,
        ["DG"],
        3,
        "active",
        "dgs",
        20,
        11,
    ),
    (
        "Revue des politiques publiques",
        "Relire les politiques publiques locales pour en mesurer l'efficacité.",
        M,
        2,
        ["outils_gestion"],
        ORIGIN.POLITICAL,
        ["DG", "DFIN"],
        2,
        "active",
        "dgs",
        50,
        5,
    ),
    (
        "Retour sur investissement des projets",
        "Un outil d'analyse du retour sur investissement des projets.",
        M,
        2,
        ["outils_gestion"],
        ORIGIN.AGENTS,
        ["DFIN"],
        1,
        "active",
        "copil",
        8,
        2,
    ),
    (
        "Carte stratégique et objectifs",
        "Une arborescence stratégique et opérationnelle des objectifs.",
        M,
        2,
        ["outils_gestion", "organisation"],
        ORIGIN.ADMINISTRATIVE,
        ["DG"],
        1,
        "stopped",
        "dgs",
        15,
        13,
    ),
    (
        "Services communs avec l'intercommunalité",
        "Regrouper services et locaux avec l'EPCI.",
        M,
        3,
        ["organisation", "modeles_economiques"],
        ORIGIN.POLITICAL,
        ["DG", "DST"],
        2,
        "active",
        "m.lefebvre",
        200,
        10,
    ),
    (
        "Co-développement des cadres de direction",
        "Améliorer le parcours des usagers par le co-développement entre cadres.",
        M,
        3,
        ["organisation"],
        ORIGIN.AGENTS,
        ["DG", "DRH"],
        3,
        "active",
        "c.fournier",
        9,
        12,
    ),
    (
        "Amélioration continue des services techniques",
        "Répondre mieux et plus vite aux demandes des usagers.",
        M,
        3,
        ["organisation", "outils_gestion"],
        ORIGIN.AGENTS,
        ["DST"],
        3,
        "active",
        "m.lefebvre",
        18,
        13,
    ),
    (
        "Espace numérique citoyen",
        "Accéder à tous les services de la ville par un portail, avec un back office réorganisé.",
        S,
        4,
        ["ntic", "services", "organisation"],
        ORIGIN.ADMINISTRATIVE,
        ["DSI", "DVL"],
        2,
        "active",
        "t.nguyen",
        240,
        9,
    ),
    (
        "Signalements dans l'espace public",
        "Une application pour signaler un nid-de-poule ou un dépôt sauvage.",
        S,
        5,
        ["ntic", "services"],
        ORIGIN.AGENTS,
        ["DST", "DSI"],
        4,
        "completed",
        "m.lefebvre",
        22,
        32,
    ),
    (
        "Télétravail et tiers-lieux",
        "Ouvrir des postes de travail partagés dans les mairies annexes.",
        M,
        1,
        ["organisation"],
        ORIGIN.AGENTS,
        ["DRH", "DST"],
        2,
        "active",
        "c.fournier",
        30,
        8,
    ),
    (
        "Budget participatif",
        "Les habitants proposent et votent des projets d'investissement.",
        S,
        5,
        ["services", "modeles_economiques"],
        ORIGIN.POLITICAL,
        ["DVL", "DFIN"],
        4,
        "active",
        "l.roux",
        300,
        34,
    ),
    (
        "Parapheur électronique",
        "Signature électronique des bons de commande et des arrêtés.",
        M,
        4,
        ["ntic", "outils_gestion"],
        ORIGIN.AGENTS,
        ["DSI", "DFIN"],
        3,
        "active",
        "cheffe",
        28,
        12,
    ),
    (
        "Achats responsables mutualisés",
        "Groupement de commandes avec les communes voisines, critères écologiques.",
        M,
        3,
        ["modeles_economiques", "organisation"],
        ORIGIN.AGENTS,
        ["DFIN"],
        2,
        "active",
        "copil",
        6,
        6,
    ),
    (
        "Cantine zéro gaspillage",
        "Peser, ajuster les commandes et composter les restes des restaurants scolaires.",
        S,
        5,
        ["services", "organisation"],
        ORIGIN.CONTEST,
        ["DEF"],
        3,
        "active",
        "agent",
        14,
        11,
    ),
    (
        "Accueil téléphonique unifié",
        "Un numéro unique et un outil de suivi des appels.",
        M,
        3,
        ["organisation", "ntic"],
        ORIGIN.CONTEST,
        ["DVL", "DSI"],
        2,
        "active",
        "cheffe",
        35,
        5,
    ),
    (
        "Covoiturage des agents",
        "Une plateforme de covoiturage entre agents des différents sites.",
        M,
        1,
        ["services", "ntic"],
        ORIGIN.CONTEST,
        ["DRH"],
        1,
        "active",
        "jury",
        3,
        2,
    ),
    (
        "Chatbot des démarches",
        "Un assistant en ligne pour répondre aux questions fréquentes.",
        S,
        4,
        ["ntic", "services"],
        ORIGIN.PARTNER,
        ["DSI"],
        1,
        "stopped",
        "t.nguyen",
        55,
        9,
    ),
    (
        "Prêt de matériel aux associations",
        "Réserver en ligne tables, barnums et sonos de la ville.",
        S,
        5,
        ["services", "ntic"],
        ORIGIN.AGENTS,
        ["DVL", "DST"],
        1,
        "active",
        "l.roux",
        7,
        1,
    ),
    (
        "Éclairage public intelligent",
        "Moduler l'éclairage selon la présence pour économiser l'énergie.",
        S,
        5,
        ["ntic", "modeles_economiques"],
        ORIGIN.PARTNER,
        ["DST"],
        2,
        "on_hold",
        "m.lefebvre",
        480,
        14,
    ),
    (
        "Tableau de bord RH partagé",
        "Absentéisme, formation et mobilité suivis par direction.",
        M,
        1,
        ["outils_gestion", "ntic"],
        ORIGIN.ADMINISTRATIVE,
        ["DRH", "DSI"],
        1,
        "active",
        "cheffe",
        12,
        2,
    ),
    (
        "Aide aux devoirs en visio",
        "Des étudiants bénévoles accompagnent les collégiens à distance.",
        S,
        5,
        ["services", "ntic"],
        ORIGIN.AGENTS,
        ["DEF"],
        1,
        "active",
        "agent",
        4,
        1,
    ),
    (
        "Jardins partagés en pied d'immeuble",
        "Des parcelles cultivées par les habitants, avec le bailleur social.",
        S,
        5,
        ["services"],
        ORIGIN.PARTNER,
        ["DVL", "DST"],
        3,
        "active",
        "l.roux",
        16,
        15,
    ),
    (
        "Archivage électronique",
        "Un système d'archivage électronique à valeur probante.",
        M,
        4,
        ["ntic", "outils_gestion"],
        ORIGIN.ADMINISTRATIVE,
        ["DSI", "DG"],
        1,
        "active",
        "t.nguyen",
        90,
        3,
    ),
]

INDICATORS = {
    "Guichet unique des démarches": ("Délai moyen d'attente", "min", "25", "10", ["22", "18", "14"]),
    "Portail famille": ("Part des inscriptions en ligne", "%", "0", "70", ["35", "58", "74"]),
    "Dématérialisation des actes du conseil": (
        "Pages imprimées par conseil",
        "pages",
        "4200",
        "300",
        ["2500", "900", "250"],
    ),
    "Cantine zéro gaspillage": ("Restes par repas", "g", "120", "60", ["110", "90"]),
    "Budget participatif": ("Votants", "personnes", "0", "2000", ["850", "1430", "2210"]),
    "Signalements dans l'espace public": ("Délai de traitement d'un signalement", "jours", "12", "5", ["9", "6", "4"]),
}

LESSONS = {
    "Carte stratégique et objectifs": "Trop d'objectifs à la fois : les directions n'ont pas pu s'en saisir. "
    "À reprendre plus simple, avec trois objectifs par direction.",
    "Chatbot des démarches": "Les questions des usagers étaient trop variées pour les réponses préparées ; "
    "la base de connaissances servira à l'accueil téléphonique unifié.",
    "Portail famille": "Associer les parents dès les maquettes a évité deux refontes.",
}


# Who played a positive role in the adoption, by origin of the project (question C1's codes); every
# other project adds a second or third actor, so the shares look like a real portfolio's.
ADOPTION_ACTORS: dict[str, tuple[list[str], list[str]]] = {
    ORIGIN.ADMINISTRATIVE: (["administratif"], ["politique"]),
    ORIGIN.POLITICAL: (["politique", "administratif"], ["agents"]),
    ORIGIN.AGENTS: (["agents"], ["administratif"]),
    ORIGIN.CONTEST: (["agents", "administratif"], ["politique"]),
    ORIGIN.PARTNER: (["partenaires", "politique"], ["administratif"]),
}


def _adoption_actors(project: Project, actors: dict[str, AdoptionActor], index: int) -> None:
    """Actors for a demo project past the Adoption phase that has none yet."""
    if project.phase.code in {"emergence", Phase.ADOPTION} or project.adoption_actors.exists():
        return
    always, sometimes = ADOPTION_ACTORS[project.origin]
    codes = always + (sometimes if index % 2 else [])
    project.adoption_actors.set([actors[code] for code in codes if code in actors])


# Planned durations in months, taken in turn: from a quick trial to a two-year programme, so that the portfolio
# map shows light and heavy efforts.
PLANNED_MONTHS = [2, 5, 9, 15, 30, 4, 12]


def _map_ratings(project: Project, index: int) -> None:
    """Value, risk and (once appropriated or closed) the ex-post rating of a demo project not yet rated; one in
    eleven stays unrated, listed "à compléter" on the map. The project's history gets them too, so past
    quarters' balance reads them."""
    if project.value_rating is not None or index % 11 == 7:
        return
    value = 1 + (index * 3 + len(project.title)) % 5
    ratings = {
        "value_rating": value,
        "value_rationale": "Estimation de la démo : gain de temps pour les agents et qualité du service rendu.",
        "risk_rating": 1 + (index * 2 + project.phase.order) % 5,
    }
    if project.phase.code == "appropriation" or project.status == Project.Status.COMPLETED:
        ratings["expost_rating"] = max(1, min(5, value + (index % 3) - 1))
    Project.objects.filter(pk=project.pk).update(**ratings)
    Project.history.filter(id=project.pk).update(**ratings)
    for name, rating in ratings.items():  # the records the demo's later changes make copy this instance
        setattr(project, name, rating)


def _people() -> dict[str, User]:
    directions = {d.code: d for d in Direction.objects.all()}
    lead_group = Group.objects.get(name=Role.PROJECT_LEAD)
    for username, first, last, direction in COLLEAGUES:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "direction": directions[direction],
                "email": f"{username}@bellerive.example",
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(lead_group)
    return {user.username: user for user in User.objects.all()}


def _decisions(
    project: Project, phases: list[Phase], target: Phase, status: str, started: datetime.date, decider: User
) -> None:
    today = timezone.localdate()
    steps = [p for p in phases if p.order < target.order]
    span = max((today - started).days, 30)
    day = started
    for index, phase in enumerate(steps):
        day = started + datetime.timedelta(days=span * (index + 1) // (len(steps) + 2))
        gate = GateDecision.objects.create(
            project=project,
            decision=GateDecision.Decision.GO,
            from_phase=phase,
            to_phase=phases[index + 1],
            decided_by=decider,
            decided_on=day,
            rationale=f"Critères de sortie de la phase « {phase.label} » remplis ; moyens confirmés.",
        )
        _journal_decision(gate)
    final = {
        "on_hold": GateDecision.Decision.HOLD,
        "stopped": GateDecision.Decision.STOP,
        "completed": GateDecision.Decision.COMPLETE,
    }.get(status)
    if final:
        day = min(today, day + datetime.timedelta(days=20))
        gate = GateDecision.objects.create(
            project=project,
            decision=final,
            from_phase=target,
            to_phase=target,
            decided_by=decider,
            decided_on=day,
            rationale={
                "hold": "En attente d'un financement complémentaire.",
                "stop": "Les résultats de l'expérimentation ne justifient pas la suite.",
                "complete": "L'innovation est devenue la pratique courante ; évaluation ex post faite.",
            }[final],
        )
        _journal_decision(gate)
    Project.objects.filter(pk=project.pk).update(phase_since=day if steps or final else started)


def _journal_decision(gate: GateDecision) -> None:
    """The demonstration's past decisions in the journal, dated as they were taken."""
    journal_gate_decision(gate, at=timezone.make_aware(datetime.datetime.combine(gate.decided_on, datetime.time(10))))


def _indicator(project: Project, spec: tuple[str, str, str, str, list[str]]) -> None:
    name, unit, baseline, target, values = spec
    indicator = Indicator.objects.create(
        project=project, name=name, unit=unit, baseline=Decimal(baseline), target=Decimal(target)
    )
    today = timezone.localdate()
    for index, value in enumerate(values):
        months_back = 3 * (len(values) - index)
        Measurement.objects.create(
            indicator=indicator, measured_on=today - datetime.timedelta(days=30 * months_back), value=Decimal(value)
        )


def _scores(project: Project, factors: list[SuccessFactor], seed: int) -> None:
    FactorScore.objects.bulk_create(
        FactorScore(project=project, factor=factor, score=1 + (seed * 7 + index * 3) % 5)
        for index, factor in enumerate(factors[:11])
    )


@transaction.atomic
def seed() -> list[str]:
    people = _people()
    phases = list(Phase.objects.order_by("order"))
    domains = list(Domain.objects.order_by("order"))
    objects = {o.code: o for o in InnovationObject.objects.all()}
    directions = {d.code: d for d in Direction.objects.all()}
    factors = list(SuccessFactor.objects.order_by("order"))
    criteria = list(Tag.objects.filter(tag_set__name="Critères de décision"))
    actors = {a.code: a for a in AdoptionActor.objects.all()}
    today = timezone.localdate()
    for index, row in enumerate(PROJECTS):
        title, summary, nature, domain, codes, origin, dirs, order, status, lead, cost, months = row
        started = today - datetime.timedelta(days=30 * months)
        project, created = Project.objects.get_or_create(
            title=title,
            defaults={
                "summary": summary,
                "nature": nature,
                "domain": domains[domain - 1],
                "origin": origin,
                "lead": people[lead],
                "phase": phases[order - 1],
                "status": status,
                "start_date": started,
                "expected_end_date": started
                + datetime.timedelta(days=30 * PLANNED_MONTHS[index % len(PLANNED_MONTHS)]),
                "estimated_cost": Decimal(cost * 1000),
                "actual_cost": Decimal(cost * 1000 * (90 + index % 25) // 100) if order >= 3 else None,
                "perimeter": ["service", "direction", "organisation", "territory"][index % 4],
                "scope": Project.Scope.GLOBAL if cost >= 200 else Project.Scope.INCREMENTAL,
                "visibility": Project.Visibility.RESTRICTED if index % 9 == 4 else Project.Visibility.ALL,
                "description": f"{summary}\n\nProjet de la démo : les chiffres sont fictifs.",
                "expected_value": "Un service plus simple pour les usagers et moins de ressaisies pour les agents.",
                "observed_results": "Premiers résultats conformes aux indicateurs." if order >= 3 else "",
                "lessons_learned": LESSONS.get(title, ""),
                "created_by": people["dgs"],
                "phase_since": started,
            },
        )
        _adoption_actors(project, actors, index)  # also fills demo projects seeded before the actors existed
        _map_ratings(project, index)  # also rates demo projects seeded before the portfolio map existed
        if not created:
            continue
        logged = timezone.make_aware(datetime.datetime.combine(started, datetime.time(9, 30)))
        Project.objects.filter(pk=project.pk).update(created_at=logged)
        project.objects_of_innovation.set([objects[c] for c in codes])
        project.directions.set([directions[c] for c in dirs])
        project.team.set([people["agent"]] if index % 5 == 0 else [])
        project.tags.set(criteria[index % len(criteria) :][:1] if criteria else [])
        # The demo project was entered back then: so says its history, which past quarters read.
        Project.history.filter(id=project.pk).update(history_date=logged)
        audit.record(actor=people["dgs"], action=audit.Action.PROJECT_CREATED, obj=project, at=logged)
        _decisions(project, phases, phases[order - 1], status, started, people["dgs"])
        if title in INDICATORS:
            _indicator(project, INDICATORS[title])
        if index % 3 == 0:
            _scores(project, factors, index)
    periods.rebuild_state_ranges()  # the history was redated above, behind the receivers' back
    _taken_over(people, phases, objects, directions, actors, today)
    _decision_asked(people)
    return [f"Portefeuille : {Project.objects.count()} projets."]


TAKEN_OVER = "Maison France services itinérante"


def _taken_over(
    people: dict[str, User],
    phases: list[Phase],
    objects: dict[str, InnovationObject],
    directions: dict[str, Direction],
    actors: dict[str, AdoptionActor],
    today: datetime.date,
) -> None:
    """A project under way before the portal, registered at its current phase (« reprise de l'existant »)."""
    if Project.objects.filter(title=TAKEN_OVER).exists():
        return
    services.project_create(
        created_by=people["cheffe"],
        data={
            "title": TAKEN_OVER,
            "summary": "Un bus d'accueil qui tient une permanence de services publics dans les quartiers éloignés.",
            "nature": Project.Nature.SOCIETAL,
            "origin": Project.Origin.POLITICAL,
            "lead": people["cheffe"],
            "start_date": today - datetime.timedelta(days=700),
            "estimated_cost": Decimal(85_000),
            "perimeter": "territory",
            "objects_of_innovation": [objects["services"]],
            "directions": [directions["DVL"]],
            "adoption_actors": [actors["politique"]],  # an elected official carried it, before the portal
        },
        phase=phases[2],
        phase_since=today - datetime.timedelta(days=240),
    )


def _decision_asked(people: dict[str, User]) -> None:
    """A lead has asked the DGS for a decision: « À décider » shows it."""
    project = Project.objects.filter(title="Guichet unique des démarches", status=Project.Status.ACTIVE).first()
    if project is None or project.decision_requests.exists():
        return
    services.decision_request_create(
        project=project,
        requested_by=project.lead,
        message="Le déploiement dans les deux mairies annexes est prêt : nous proposons le passage en appropriation.",
    )
