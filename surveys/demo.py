"""Demo survey: the national questionnaire run among the managers of the demo commune.

Deterministic (each respondent's answers come from a random generator seeded with their
number) and idempotent (invitations are matched by e-mail, answers only written for an
invitation that has none).
"""

from __future__ import annotations

import datetime
import random
import secrets

from django.apps import apps as global_apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Network, Organisation, User
from common.tenancy import unscoped
from surveys.answers import Structure
from surveys.models import Answer, Campaign, Invitation, NationalEdition, Question, Questionnaire, Response
from surveys.national import EDITION, SERIES, seed_national_questionnaire
from surveys.selectors import questionnaire_structure
from surveys.tallies import tally_add

SLUG = "innovation-2026"
COMPLETE, PARTIAL, NOT_STARTED = 30, 4, 2
PARTIAL_SECTIONS = ("A", "B", "C")

# Probabilities of ticking each choice of the multiple-choice questions.
TICKS = {
    "B2": {"organisation": 0.7, "services": 0.6, "outils_gestion": 0.25, "ntic": 0.3, "modeles_economiques": 0.1},
    "C1": {"administratif": 0.8, "politique": 0.55, "agents": 0.45, "partenaires": 0.15},
    "I1": {"manageriaux": 0.75, "qualite_service": 0.6, "financiers": 0.15},
}
# Weights of the single-choice questions.
WEIGHTS = {
    "A1": {"commune": 70, "epci": 20, "autre": 10},
    "A2": {"dgs": 1, "dga": 3, "directeur": 12, "chef_projet": 14, "autre": 6},
    "A3": {"de_10000_a_50000": 80, "de_50000_a_100000": 20},
    "B1": {"managerial": 55, "societal": 45},
    "B3": {"rh": 3, "strategie_evaluation": 2, "process_organisation": 3, "systemes_information": 3, "vie_locale": 3},
    "E1": {"oui": 70, "non": 30},
    "E2": {"peu_ou_pas": 65, "notable": 35},
}
# Typical score of each scale section: facilitators favour, environment matters little.
SCALE_CENTRES = {"D": 3.9, "F": 2.3, "G": 3.6, "H": 4.1}
NEUTRAL_FACILITATORS = {"D6", "D7"}
TITLES = [
    "Guichet unique des démarches",
    "Portail famille",
    "Concours d'innovation interne",
    "Dématérialisation des actes du conseil",
    "Design de service à l'état civil",
    "Charte des valeurs managériales",
    "Budget participatif",
    "Tableau de bord RH partagé",
]
EFFECTS = [
    "Les équipes se parlent davantage d'un service à l'autre.",
    "Moins d'attente à l'accueil, des usagers plus satisfaits.",
    "Une méthode de projet que d'autres directions reprennent.",
]


def _single(rng: random.Random, code: str) -> str:
    weights = WEIGHTS[code]
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _ticks(rng: random.Random, code: str) -> list[str]:
    chosen = [choice for choice, p in TICKS[code].items() if rng.random() < p]
    return chosen or [next(iter(TICKS[code]))]


def _score(rng: random.Random, question: Question) -> int:
    centre = SCALE_CENTRES[question.section.code] - (1 if question.code in NEUTRAL_FACILITATORS else 0)
    return max(1, min(5, round(rng.gauss(centre, 0.9))))


def _value(rng: random.Random, question: Question, given: dict[str, list[str]]) -> list[str] | int | str | None:
    """One respondent's answer to one question, or None when left blank or not applicable."""
    code = question.code
    if question.condition_question and question.condition_value not in given.get(question.condition_question.code, []):
        return None
    if code in TICKS:
        return _ticks(rng, code)
    if code in WEIGHTS:
        return [_single(rng, code)]
    if question.kind == Question.Kind.SCALE:
        return _score(rng, question)
    if code == "A4":
        return 420 + rng.randint(-20, 20)
    if code == "B4":
        return rng.choice(TITLES)
    if code == "I2" and rng.random() < 0.4:
        return rng.choice(EFFECTS)
    return None


def _answers(response: Response, structure: Structure, rng: random.Random, sections: set[str] | None) -> list[Answer]:
    rows: list[Answer] = []
    given: dict[str, list[str]] = {}
    for question in structure.questions.values():
        if sections is not None and question.section.code not in sections:
            continue
        value = _value(rng, question, given)
        if isinstance(value, list):
            given[question.code] = value
            by_code = {c.code: c for c in question.choice_list}
            rows += [Answer(response=response, question=question, choice=by_code[v]) for v in value]
        elif isinstance(value, int):
            rows.append(Answer(response=response, question=question, number=value))
        elif value:
            rows.append(Answer(response=response, question=question, text=value))
    return rows


def _respond(invitation: Invitation, number: int, structure: Structure) -> None:
    rng = random.Random(f"bellerive-{number}")
    complete = number < COMPLETE
    response = Response.objects.create(
        campaign=invitation.campaign,
        invitation=invitation,
        status=Response.Status.SUBMITTED if complete else Response.Status.IN_PROGRESS,
        # Sent over the first weeks of the campaign (opened 100 days ago), hence by the last quarter's end.
        submitted_at=timezone.now() - datetime.timedelta(days=95 - number) if complete else None,
        last_step=len(structure.sections) if complete else len(PARTIAL_SECTIONS),
    )
    Response.objects.filter(pk=response.pk).update(  # started when the campaign opened (100 days ago)
        started_at=timezone.now() - datetime.timedelta(days=99 - number % 4)
    )
    answers = _answers(response, structure, rng, None if complete else set(PARTIAL_SECTIONS))
    Answer.objects.bulk_create(answers)
    tally_add(campaign_id=response.campaign_id, responses=[response], answers=answers)


@transaction.atomic
def seed() -> list[str]:
    seed_national_questionnaire(global_apps)
    questionnaire = Questionnaire.objects.get(series=SERIES, edition=EDITION)
    campaign, _created = Campaign.objects.get_or_create(
        slug=SLUG,
        defaults={
            "questionnaire": questionnaire,
            "title": "L'innovation à Bellerive : enquête auprès des cadres 2026",
            "introduction": "La direction générale pose à ses cadres le questionnaire national sur l'innovation "
            "publique locale, pour situer Bellerive par rapport aux résultats nationaux.",
            "status": Campaign.Status.OPEN,
            # Opened during the last complete quarter, so that its report compares with the survey.
            "opened_at": timezone.now() - datetime.timedelta(days=100),
            "created_by": User.objects.get(username="dgs"),
        },
    )
    structure = questionnaire_structure(questionnaire)
    for section in structure.sections:
        for question in section.question_list:
            question.section = section
    link = ""
    for number in range(COMPLETE + PARTIAL + NOT_STARTED):
        invitation, _created = Invitation.objects.get_or_create(
            campaign=campaign,
            email=f"cadre{number + 1:02d}@bellerive.example",
            defaults={"token": secrets.token_urlsafe(32), "sent_at": timezone.now()},
        )
        if number >= COMPLETE + PARTIAL:
            link = link or f"{settings.PORTAL_URL}{invitation.get_absolute_url()}"
        elif not Response.objects.filter(invitation=invitation).exists():
            _respond(invitation, number, structure)
    return [
        f"Enquête de démonstration : {settings.PORTAL_URL}{campaign.get_absolute_url()}",
        f"  lien de réponse : {link}",
    ]


EDITION_SLUG = "edition-nationale-2026"


def seed_national_edition(
    *,
    network: Network,
    members: list[Organisation],
    created_by: User,
    respondents: int = 8,
    slug: str = EDITION_SLUG,
    title: str = "Édition nationale 2026 du questionnaire sur l'innovation publique locale",
) -> NationalEdition:
    """The network's national edition, open (a campaign for each of its members), with ``respondents``
    answers (complete, deterministic) in the campaign of each of ``members`` that has none yet: for
    ``seed_demo --network``. Idempotent: the edition is found by its address, answers are added once.
    ``created_by`` (an animateur of the network) is named as the author of the members' campaigns."""
    from surveys.services import edition_create, edition_open

    seed_national_questionnaire(global_apps)
    questionnaire = Questionnaire.objects.get(series=SERIES, edition=EDITION)
    structure = questionnaire_structure(questionnaire)
    for section in structure.sections:
        for question in section.question_list:
            question.section = section
    with unscoped(), transaction.atomic():
        edition = NationalEdition.objects.filter(network=network, slug=slug).first()
        if edition is None:
            edition = edition_create(
                network=network, questionnaire=questionnaire, title=title, slug=slug, created_by=created_by
            )
        if not edition.is_open:
            edition_open(edition=edition)
        campaigns = {c.organisation_id: c for c in Campaign.objects.filter(edition=edition, organisation__in=members)}
        for member in members:
            campaign = campaigns.get(member.pk)
            if campaign is None or campaign.responses.exists():
                continue
            for number in range(respondents):
                invitation = Invitation.objects.create(
                    campaign=campaign,
                    email=f"repondant{number + 1:02d}@{member.slug or member.pk}.example",
                    token=secrets.token_urlsafe(32),
                    sent_at=timezone.now(),
                )
                rng = random.Random(f"{slug}-{member.pk}-{number}")
                response = Response.objects.create(
                    campaign=campaign,
                    invitation=invitation,
                    status=Response.Status.SUBMITTED,
                    submitted_at=timezone.now(),
                    last_step=len(structure.sections),
                )
                answers = _answers(response, structure, rng, None)
                Answer.objects.bulk_create(answers)
                tally_add(campaign_id=campaign.pk, responses=[response], answers=answers)
    return edition
