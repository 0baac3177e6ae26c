"""Two collectivités in one deployment: nothing of B is ever shown to A (issue 15).

B holds one object of every kind that an address can name, each text carrying the marker ``ZZB-confidentiel``.
The access matrix walks every address of the resolver that takes a parameter, fills it with B's object (the
``ROUTES`` table: a new parametrised address missing from it fails ``test_every_parametrised_route_is_in_the_table``)
and asks it as each role of A and as an anonymous visitor, with GET and POST: never a page of B's object. The lists,
searches, exports, dashboards, reports, API and open data seen by A never contain the marker either.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Direction, Network, Organisation, OutgoingEmail, User
from accounts.roles import Role
from accounts.services import notify
from api import services as api_services
from audit.models import AuditEntry
from catalogue import services as catalogue_services
from common import tenancy
from contests.models import Comment, Contest, Criterion, Idea, Score
from portfolio import services as portfolio_services
from portfolio.models import Attachment, GateDecision, Indicator, Measurement, Phase, Project
from reports.models import Report
from surveys import services as surveys_services
from surveys.models import Answer, Campaign, Invitation, Questionnaire, Response
from surveys.national import EDITION, SERIES
from tests.factories import ContestFactory, IdeaFactory, OrganisationFactory, ProjectFactory, UserFactory

MARKER = "ZZB-confidentiel"
ROLES: dict[str, list[Role]] = {
    "dgs": [Role.DGS],
    "project_lead": [Role.PROJECT_LEAD, Role.AGENT],
    "agent": [Role.AGENT],
    "jury": [Role.JURY, Role.AGENT],
    "copil": [Role.COPIL],
}
PDF = b"%PDF-1.4\n% " + MARKER.encode() + b"\n%%EOF\n"


# --- The two collectivités ----------------------------------------------------------------------------------------


def people_of(organisation: Organisation, prefix: str, last_name: str) -> dict[str, User]:
    with tenancy.scoped(organisation):
        direction = Direction.objects.create(code=f"{prefix.upper()}DIR", name=f"Direction {last_name}")
        return {
            role: UserFactory(
                username=f"{prefix}-{role}",
                last_name=last_name,
                direction=direction,
                organisation=organisation,
                is_staff=role == "dgs",
                roles=roles,
            )
            for role, roles in ROLES.items()
        }


@pytest.fixture
def world(db, settings) -> SimpleNamespace:
    """A (the viewer) and B (the one whose objects are asked for), each with a person of every role."""
    cache.clear()  # the API's rate counts and the dashboards' cache
    a = OrganisationFactory(slug="ville-a", name="Ville A")
    # B is a member of a network that A is not in: B's publications in its catalogue are not A's to read.
    b_network = Network.objects.create(name=f"Réseau {MARKER}", slug="reseau-b")
    b = Organisation.objects.create(
        id=2, name="Ville B", slug="ville-b", kind=Organisation.Kind.COMMUNE, network=b_network
    )
    a_people = people_of(a, "a", "Alpha")
    b_people = people_of(b, "b", f"{MARKER} Bravo")
    with tenancy.scoped(a):
        ProjectFactory(title="Projet de A visible", lead=a_people["project_lead"])
    with tenancy.scoped(b):
        objects = b_objects(b_people, settings)
    return SimpleNamespace(a=a, b=b, b_network=b_network, a_people=a_people, b_people=b_people, **objects)


def b_objects(people: dict[str, User], settings: Any) -> dict[str, Any]:
    """One object of every kind an address names, in B's scope (the rows take B as their collectivité)."""
    lead, dgs, jury, agent = people["project_lead"], people["dgs"], people["jury"], people["agent"]
    public = ProjectFactory(title=f"Projet public {MARKER}", summary=f"Résumé {MARKER}", lead=lead)
    restricted = ProjectFactory(
        title=f"Projet réservé {MARKER}", summary=f"Résumé {MARKER}", lead=lead, visibility="restricted"
    )
    indicator = portfolio_services.indicator_create(project=public, name=f"Indicateur {MARKER}", created_by=lead)
    measurement = portfolio_services.measurement_add(
        indicator=indicator,
        measured_on=timezone.localdate(),
        value=Decimal(3),
        comment=f"Mesure {MARKER}",
        added_by=lead,
    )
    attachment = portfolio_services.attachment_add(
        project=public,
        uploaded_by=lead,
        file=SimpleUploadedFile(f"{MARKER}.pdf", PDF),
        content_type="application/pdf",
    )
    second = Phase.objects.order_by("order")[1]
    gate = portfolio_services.project_decide_gate(
        project=public, decided_by=dgs, decision="go", rationale=f"Motif {MARKER}", to_phase=second
    )
    decision_request = portfolio_services.decision_request_create(
        project=public, requested_by=lead, message=f"Demande {MARKER}"
    )
    contest = ContestFactory(
        title=f"Concours {MARKER}", slug="zzb-concours", description=f"Description {MARKER}", created_by=dgs
    )
    contest.jury.set([jury])
    idea = IdeaFactory(contest=contest, author=agent, title=f"Idée {MARKER}", problem=f"Problème {MARKER}")
    idea.attachment.save(f"{MARKER}.pdf", ContentFile(PDF), save=False)
    idea.attachment_name, idea.attachment_type = f"{MARKER}.pdf", "application/pdf"
    idea.save()
    comment = Comment.objects.create(idea=idea, author=lead, text=f"Commentaire {MARKER}")
    for criterion in Criterion.objects.filter(contest=contest):
        Score.objects.create(idea=idea, juror=jury, criterion=criterion, value=3, comment=f"Note {MARKER}")
    campaign = Campaign.objects.create(
        questionnaire=Questionnaire.objects.get(series=SERIES, edition=EDITION),
        title=f"Enquête {MARKER}",
        slug="zzb-enquete",
        introduction=f"Introduction {MARKER}",
        status=Campaign.Status.OPEN,
        opened_at=timezone.now(),
        created_by=dgs,
    )
    invitation = Invitation.objects.create(
        campaign=campaign, email="zzb@b.example", user=agent, token="zzb-jeton-personnel-0123456789abcdef"
    )
    response = Response.objects.create(campaign=campaign, invitation=invitation)
    text_question = campaign.questionnaire.questions.filter(kind__in=["text", "long_text"]).first()
    if text_question is not None:
        Answer.objects.create(response=response, question=text_question, text=f"Réponse {MARKER}")
    report = Report.objects.create(quarter="2026Q3", status=Report.Status.DONE, requested_by=dgs)
    report.file.save(f"rapport-{MARKER}.pdf", ContentFile(PDF))
    token_row, token = api_services.token_create(user=dgs, name=f"Jeton {MARKER}", days=30)
    notify(users=[agent, dgs], kind="idea_status", subject=f"Sujet {MARKER}", message=f"Message {MARKER}")
    failed_email = OutgoingEmail.objects.create(
        user=dgs, to=dgs.email, kind=OutgoingEmail.Kind.NOTIFICATION, subject=f"Envoi {MARKER}", body=MARKER
    )
    OutgoingEmail.objects.filter(pk=failed_email.pk).update(status=OutgoingEmail.Status.FAILED)
    publication = catalogue_services.publication_publish(
        project=public,
        published_by=dgs,
        title=f"Publication {MARKER}",
        summary=f"Résumé publié {MARKER}",
        include=["results", "lessons"],
    )
    edition = surveys_services.edition_create(
        network=dgs.organisation.network,
        questionnaire=campaign.questionnaire,
        title=f"Édition {MARKER}",
        slug="zzb-edition",
        created_by=dgs,
    )
    with tenancy.unscoped():
        surveys_services.edition_open(edition=edition)
    edition_campaign = Campaign.objects.get(edition=edition)
    questionnaire_copy = surveys_services.questionnaire_copy(
        source=campaign.questionnaire, edition="zzb-2027", year=2027, title=f"Questionnaire {MARKER}"
    )
    return {
        "questionnaire_copy": questionnaire_copy,
        "edition": edition,
        "edition_campaign": edition_campaign,
        "publication": publication,
        "public": public,
        "restricted": restricted,
        "indicator": indicator,
        "measurement": measurement,
        "attachment": attachment,
        "gate": gate,
        "decision_request": decision_request,
        "contest": contest,
        "idea": idea,
        "comment": comment,
        "campaign": campaign,
        "invitation": invitation,
        "response": response,
        "report": report,
        "api_token": token_row,
        "api_token_value": token,
        "failed_email": failed_email,
        "text_question": text_question,
    }


# --- Every parametrised address and how to fill it with B's object ------------------------------------------------


def parametrised_routes() -> Iterator[tuple[str, str, list[str]]]:
    """(name, route, parameters) of every address of the resolver that takes a parameter, at any depth."""

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[tuple[str, str, list[str]]]:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
                yield from walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.pattern.regex.groupindex:
                name = ":".join(filter(None, [namespace, pattern.name or ""])) if pattern.name else ""
                yield (
                    name or f"<unnamed {prefix}{pattern.pattern}>",
                    prefix + str(pattern.pattern),
                    [*pattern.pattern.regex.groupindex],
                )

    yield from walk(get_resolver(), "/", "")


@dataclass(frozen=True)
class Fill:
    """How to name B's object in an address, and what A must get.

    ``kind``: ``object`` (one of B's rows: 404 for A's people, the login page or 404 for an anonymous visitor),
    ``credential`` (a personal link or a password-reset link: the token is the key; B's own link answers whoever
    holds it, nothing of B's else), ``admin`` (the administration: the same answer as for an object that does
    not exist), ``public`` (B's open data: what B publishes, to anyone), ``shared`` (reference data common to
    every collectivité: nothing of B to show).

    ``reached_by_b``: the control (``test_the_table_names_objects_that_b_people_do_reach``) asks B's people for
    the address; False where B's own people are refused by design (replicating B's own publication).
    """

    kind: str
    kwargs: Callable[[SimpleNamespace], dict[str, object]] | None = None
    reached_by_b: bool = True


def _project(w: SimpleNamespace) -> dict[str, object]:
    return {"pk": w.restricted.pk}


def _indicator(w: SimpleNamespace) -> dict[str, object]:
    return {"pk": w.public.pk, "indicator_pk": w.indicator.pk}


def _measurement(w: SimpleNamespace) -> dict[str, object]:
    return {**_indicator(w), "measurement_pk": w.measurement.pk}


def _contest(w: SimpleNamespace) -> dict[str, object]:
    return {"slug": w.contest.slug}


def _idea(w: SimpleNamespace) -> dict[str, object]:
    return {"slug": w.contest.slug, "pk": w.idea.pk}


def _campaign(w: SimpleNamespace) -> dict[str, object]:
    return {"slug": w.campaign.slug}


def _report(w: SimpleNamespace) -> dict[str, object]:
    return {"pk": w.report.pk}


PROJECT_ROUTES = [
    "detail",
    "edit",
    "scorecard",
    "decide",
    "decision_request",
    "decision_request_withdraw",
    "history",
    "indicator_create",
    "attachment_upload",
]
CONTEST_ROUTES = [
    "detail",
    "edit",
    "advance",
    "remind_jury",
    "evaluation",
    "ranking",
    "results",
    "export_csv",
    "export_xlsx",
    "export_scores_csv",
    "export_scores_xlsx",
    "idea_create",
    "idea_similar",
]
IDEA_ROUTES = [
    "idea",
    "idea_edit",
    "idea_confirmation",
    "idea_support",
    "idea_comment",
    "idea_hide",
    "idea_score",
    "idea_outcome",
    "idea_project",
    "idea_merge",
    "idea_attachment",
]
CAMPAIGN_ROUTES = [
    "campaign",
    "open",
    "close",
    "invite",
    "remind",
    "results",
    "results_csv",
    "responses_csv",
    "responses_xlsx",
    "import",
]

ROUTES: dict[str, Fill] = {
    **{f"portfolio:{name}": Fill("object", _project) for name in PROJECT_ROUTES},
    "portfolio:detail": Fill("object", lambda w: {"pk": w.public.pk}),
    "portfolio:measurement_add": Fill("object", _indicator),
    "portfolio:indicator_edit": Fill("object", _indicator),
    "portfolio:indicator_delete": Fill("object", _indicator),
    "portfolio:measurement_edit": Fill("object", _measurement),
    "portfolio:measurement_delete": Fill("object", _measurement),
    "portfolio:attachment_download": Fill("object", lambda w: {"pk": w.public.pk, "attachment_pk": w.attachment.pk}),
    **{f"contests:{name}": Fill("object", _contest) for name in CONTEST_ROUTES},
    **{f"contests:{name}": Fill("object", _idea) for name in IDEA_ROUTES},
    "contests:comment_hide": Fill("object", lambda w: {**_idea(w), "comment_pk": w.comment.pk}),
    **{f"surveys:{name}": Fill("object", _campaign) for name in CAMPAIGN_ROUTES},
    "surveys:erase": Fill("object", lambda w: {"slug": w.campaign.slug, "pk": w.invitation.pk}),
    "surveys:results_texts": Fill(
        "object", lambda w: {"slug": w.campaign.slug, "code": w.text_question.code if w.text_question else "A1"}
    ),
    "surveys:respond": Fill("credential", lambda w: {"token": w.invitation.token}),
    "surveys:respond_step": Fill("credential", lambda w: {"token": w.invitation.token, "step": 1}),
    "surveys:respond_submit": Fill("credential", lambda w: {"token": w.invitation.token}),
    # B's open data: public by design, it shows what B publishes (nothing here: no project of B is published).
    "open_data:collectivite": Fill("public", lambda w: {"organisation": w.b.slug}),
    "open_data:collectivite_csv": Fill("public", lambda w: {"organisation": w.b.slug}),
    "open_data:collectivite_json": Fill("public", lambda w: {"organisation": w.b.slug}),
    # The national questionnaires are common to all; a copy a collectivité makes to adapt one is its own.
    "surveys:questionnaire": Fill("object", lambda w: {"pk": w.questionnaire_copy.pk}),
    "surveys:questionnaire_copy": Fill("object", lambda w: {"pk": w.questionnaire_copy.pk}),
    "reports:status": Fill("object", _report),
    "reports:download": Fill("object", _report),
    "reports:new_version": Fill("object", _report),
    "api:project_detail": Fill("object", lambda w: {"project_id": w.public.pk}),
    "api:contest_detail": Fill("object", _contest),
    "api:survey_results": Fill("object", _campaign),
    "api_tokens:revoke": Fill("object", lambda w: {"pk": w.api_token.pk}),
    "accounts:email_resend": Fill("object", lambda w: {"pk": w.failed_email.pk}),
    # B's network catalogue: A is in no network, B's publications and the publishing of B's project are not A's.
    "surveys:comparison": Fill("object", lambda w: {"slug": w.edition_campaign.slug}),
    # The edition's network page is its animateur's only: B's own people (a member's) are refused too.
    "surveys:edition": Fill("object", lambda w: {"slug": w.edition.slug}, reached_by_b=False),
    "catalogue:publish": Fill("object", lambda w: {"project_pk": w.public.pk}),
    "catalogue:detail": Fill("object", lambda w: {"pk": w.publication.pk}),
    "catalogue:withdraw": Fill("object", lambda w: {"pk": w.publication.pk}),
    # A member replicates another member's publication, never its own: B's people are refused too.
    "catalogue:replicate": Fill("object", lambda w: {"pk": w.publication.pk}, reached_by_b=False),
    "accounts:password_reset_confirm": Fill(
        "credential",
        lambda w: {
            "uidb64": urlsafe_base64_encode(force_bytes(w.b_people["agent"].pk)),
            "token": default_token_generator.make_token(w.b_people["agent"]),
        },
    ),
}

# The administration: B's row of each model of a collectivité; the shared models (reference lists, groups, sign-in
# attempts) hold nothing of B's.
ADMIN_ROWS: dict[str, Callable[[SimpleNamespace], Any]] = {
    "accounts_organisation": lambda w: w.b,
    "accounts_network": lambda w: w.b_network,
    "catalogue_publication": lambda w: w.publication,
    "surveys_nationaledition": lambda w: w.edition,
    "surveys_questionnaire": lambda w: w.questionnaire_copy,
    "accounts_direction": lambda w: w.b_people["agent"].direction,
    "accounts_user": lambda w: w.b_people["agent"],
    "accounts_outgoingemail": lambda w: w.failed_email,
    "portfolio_project": lambda w: w.restricted,
    "portfolio_gatedecision": lambda w: w.gate,
    "contests_contest": lambda w: w.contest,
    "contests_idea": lambda w: w.idea,
    "surveys_campaign": lambda w: w.campaign,
    "reports_report": lambda w: w.report,
    "audit_auditentry": lambda w: AuditEntry.objects.filter(organisation=w.b).first(),
}
ADMIN_SHARED = {
    "auth_group",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "portfolio_phase",
    "portfolio_domain",
    "portfolio_innovationobject",
    "portfolio_adoptionactor",
    "portfolio_effortrule",
    "portfolio_tagset",
    "portfolio_successfactor",
    "surveys_question",
    "surveys_referencevalue",
}


def fill_for(name: str, route: str) -> Fill | None:
    """The table's entry for a route, the administration's routes read from ``ADMIN_ROWS`` by model."""
    if name in ROUTES:
        return ROUTES[name]
    if name == "admin_view_on_site":
        return Fill("admin", _admin_special("view_on_site"))
    if name.startswith("admin:"):
        action = name.removeprefix("admin:")
        if action in {"view_on_site", "app_list", "auth_user_password_change"}:
            return Fill("admin", _admin_special(action))
        model, _sep, _verb = action.rpartition("_")
        if model in ADMIN_ROWS:
            return Fill("admin", lambda w: {"object_id": ADMIN_ROWS[model](w).pk})
        if model in ADMIN_SHARED:
            return Fill("shared")
    if name.startswith("<unnamed /admin/"):
        return Fill("shared")  # the admin's redirections of old addresses to the change pages named above
    return None


def _admin_special(action: str) -> Callable[[SimpleNamespace], dict[str, object]]:
    def fill(w: SimpleNamespace) -> dict[str, object]:
        if action == "view_on_site":
            from django.contrib.contenttypes.models import ContentType

            return {"content_type_id": ContentType.objects.get_for_model(Project).pk, "object_id": w.restricted.pk}
        if action == "app_list":
            return {"app_label": "portfolio"}
        return {"id": w.b_people["agent"].pk}

    return fill


def test_every_parametrised_route_is_in_the_table():
    """A new address that names an object must say here how to name B's, so that the matrix asks it."""
    missing = [f"{name} ({route})" for name, route, _params in parametrised_routes() if fill_for(name, route) is None]
    assert not missing, "Routes missing from tests/test_tenancy_matrix.py ROUTES: " + ", ".join(missing)


# --- The matrix ---------------------------------------------------------------------------------------------------


def _nowhere(kwargs: dict[str, object]) -> dict[str, object]:
    """The same address naming nothing at all: what the administration answers for a row that does not exist."""
    return {
        key: 987654 if key in {"object_id", "id"} or isinstance(value, int) else value for key, value in kwargs.items()
    }


def _path(location: str | None) -> str | None:
    """Where a redirection leads, without its ``?next=`` (which repeats the address asked)."""
    return location.split("?")[0] if location else None


# What a personal link or B's open data may never show either: B's internal texts (they show the campaign's own
# title and introduction to the link's holder, and what B publishes to everyone).
INTERNAL = [f"Projet réservé {MARKER}", f"Idée {MARKER}", f"Commentaire {MARKER}", f"Indicateur {MARKER}"]


def _verdict(fill: Fill, who: str, method: str, response: Any, nowhere: Any | None) -> str | None:
    body = _content(response)
    forbidden = INTERNAL if fill.kind in {"credential", "public"} else [MARKER]
    if any(text.encode() in body for text in forbidden):
        return f"shows B's marker ({response.status_code})"
    status = response.status_code
    if status == 403 and nowhere is not None and nowhere.status_code == 403:
        return None  # refused for any object, before looking for one: nothing told about B's
    if fill.kind == "admin":
        same = nowhere is not None and (status, _path(response.get("Location"))) == (
            nowhere.status_code,
            _path(nowhere.get("Location")),
        )
        return None if same else f"{status} where a missing row gives {nowhere.status_code if nowhere else '?'}"
    if fill.kind in {"credential", "public"}:
        return None  # the holder of the link; what matters is that nothing else of B's shows (checked above)
    if who == "anonymous":
        if status in (401, 404, 405) or (status == 302 and "/comptes/connexion/" in response["Location"]):
            return None
        return f"{status} for an anonymous visitor"
    return None if status in (404, 405) else f"{status}"


def test_no_role_of_a_reaches_any_object_of_b(client, world):
    """Every parametrised address × every role of A and an anonymous visitor × GET and POST: 404 (or the login
    page, or the method refused before anything is read), and never B's marker."""
    routes = [(name, route, fill_for(name, route)) for name, route, _params in parametrised_routes()]
    asked = [(name, fill) for name, _route, fill in routes if fill is not None and fill.kind != "shared"]
    viewers: list[tuple[str, User | None]] = [*world.a_people.items(), ("anonymous", None)]
    failures: list[str] = []
    requests = 0
    for who, user in viewers:
        client.logout()
        if user is not None:
            client.force_login(user)
        for name, fill in asked:
            assert fill.kwargs is not None
            kwargs = fill.kwargs(world)
            url = reverse(name, kwargs=kwargs)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                nowhere = None
                if fill.kind == "admin" or response.status_code == 403:
                    nowhere = getattr(client, method)(reverse(name, kwargs=_nowhere(kwargs)))
                requests += 1
                problem = _verdict(fill, who, method, response, nowhere)
                if problem:
                    failures.append(f"{who} {method.upper()} {name} {url}: {problem}")
    print(f"\nMatrix: {len(asked)} routes × {len(viewers)} viewers × 2 methods = {requests} requests")
    assert not failures, "\n".join(failures)


def test_b_objects_are_untouched_by_a(client, world):
    """After A's people posted to every address of B's objects, B's rows are as they were."""
    for user in world.a_people.values():
        client.force_login(user)
        for name, _route, _params in parametrised_routes():
            fill = fill_for(name, _route)
            if fill is None or fill.kind != "object" or fill.kwargs is None:
                continue
            client.post(reverse(name, kwargs=fill.kwargs(world)), {"confirmer": "1", "motif": "x", "text": "x"})
    with tenancy.unscoped():
        assert Project.objects.filter(organisation=world.b).count() == 2
        assert Indicator.objects.filter(pk=world.indicator.pk).exists()
        assert Measurement.objects.filter(pk=world.measurement.pk).exists()
        assert Attachment.objects.filter(pk=world.attachment.pk).exists()
        assert GateDecision.objects.filter(project=world.public).count() == 1
        contest = Contest.objects.get(pk=world.contest.pk)
        assert contest.state == world.contest.state
        idea = Idea.objects.get(pk=world.idea.pk)
        assert idea.hidden_reason == "" and idea.status == world.idea.status
        assert Comment.objects.get(pk=world.comment.pk).hidden_reason == ""
        assert Campaign.objects.get(pk=world.campaign.pk).status == Campaign.Status.OPEN
        assert Invitation.objects.filter(pk=world.invitation.pk).exists()
        assert Report.objects.filter(organisation=world.b).count() == 1
        assert world.api_token.__class__.objects.get(pk=world.api_token.pk).revoked_at is None
        assert OutgoingEmail.objects.get(pk=world.failed_email.pk).status == OutgoingEmail.Status.FAILED


# --- Lists, searches, exports, dashboards, API, open data ---------------------------------------------------------

LIST_PAGES = [
    "/",
    "/projets/",
    "/projets/?q=public",
    "/projets/?q=confidentiel",
    "/projets/tableau/",
    "/projets/mes-projets/",
    "/projets/carte-du-portefeuille/",
    "/projets/similaires/?title=Projet+public+confidentiel",
    "/projets/export.csv",
    "/projets/export.xlsx",
    "/projets/nouveau/?team-recherche=Bravo&co_leads-recherche=Bravo",
    "/journal/",
    "/journal/export.csv",
    "/tableaux-de-bord/",
    "/rapports/",
    "/concours/",
    "/concours/mes-idees/",
    "/concours/nouveau/?jury-recherche=Bravo",
    "/enquetes/",
    "/enquetes/nouvelle/",
    "/comptes/notifications/",
    "/comptes/envois-en-echec/",
    "/comptes/jetons-api/",
    "/comptes/profil/",
    "/api/projets",
    "/api/projets?q=confidentiel",
    "/api/concours",
    "/api/tableaux-de-bord",
    "/donnees-ouvertes/",
    "/donnees-ouvertes/projets.csv",
    "/donnees-ouvertes/projets.json",
    "/donnees-ouvertes/ville-a/",
    "/donnees-ouvertes/ville-a/projets.csv",
    "/donnees-ouvertes/ville-a/projets.json",
    # The administration's lists (the DGS is staff), with their filters' choices.
    *(
        f"/admin/{model}/"
        for model in (
            "accounts/organisation",
            "accounts/direction",
            "accounts/user",
            "accounts/outgoingemail",
            "portfolio/project",
            "portfolio/gatedecision",
            "contests/contest",
            "contests/idea",
            "surveys/campaign",
            "reports/report",
            "audit/auditentry",
        )
    ),
    "/admin/portfolio/project/add/",
    "/admin/contests/contest/add/",
    "/admin/accounts/user/add/",
]


def _content(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _xlsx_text(content: bytes) -> bytes:
    """The shared strings of an XLSX file (its texts), where a marker would be."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return b"".join(archive.read(name) for name in archive.namelist() if name.endswith(".xml"))
    except zipfile.BadZipFile:
        return content


def test_lists_exports_dashboards_api_and_open_data_of_a_never_show_b(client, world):
    failures = []
    dgs_statuses: dict[str, int] = {}
    pages = 0
    for who, user in [*world.a_people.items(), ("anonymous", None)]:
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in LIST_PAGES:
            response = client.get(url)
            pages += 1
            if who == "dgs":
                dgs_statuses[url] = response.status_code
            body = _xlsx_text(_content(response)) if url.endswith(".xlsx") else _content(response)
            if MARKER.encode() in body:
                failures.append(f"{who} {url}: {response.status_code} shows B")
    print(f"\nLists: {len(LIST_PAGES)} addresses × 6 viewers = {pages} requests")
    assert not failures, "\n".join(failures)
    # The pages were really read, not refused: A's DGS opens every one of them but the files of a deployment of
    # several collectivités without a collectivité in their address, and the admin pages the DGS is not given.
    refused = {url: status for url, status in dgs_statuses.items() if status != 200}
    assert refused == {
        "/donnees-ouvertes/projets.csv": 404,
        "/donnees-ouvertes/projets.json": 404,
        "/admin/accounts/outgoingemail/": 403,
        "/admin/portfolio/gatedecision/": 403,
        "/admin/portfolio/project/add/": 403,
    }


def test_a_dgs_api_token_reads_a_only(client, world):
    _row, token = api_services.token_create(user=world.a_people["dgs"], name="BI", days=30)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    listed = client.get("/api/projets", **headers)
    assert listed.status_code == 200
    assert "Projet de A visible" in listed.content.decode()
    assert MARKER not in listed.content.decode()
    for url in (
        f"/api/projets/{world.public.pk}",
        f"/api/concours/{world.contest.slug}",
        f"/api/enquetes/{world.campaign.slug}/resultats",
    ):
        assert client.get(url, **headers).status_code == 404, url
    assert MARKER not in client.get("/api/tableaux-de-bord", **headers).content.decode()


def test_b_token_reads_b_in_a_deployment_of_several(client, world):
    """A token names its owner's collectivité: B's DGS reads B's projects through the API, signed out."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.api_token_value}"}
    listed = client.get("/api/projets", **headers)
    assert listed.status_code == 200 and MARKER in listed.content.decode()
    assert "Projet de A visible" not in listed.content.decode()


def test_b_personal_link_opens_b_campaign_and_nothing_of_a(client, world):
    """A personal link is the key to its campaign: it opens for whoever holds it, in a deployment of several."""
    page = client.get(reverse("surveys:respond", args=[world.invitation.token]))
    assert page.status_code == 200
    assert f"Enquête {MARKER}" in page.content.decode()
    assert client.get(reverse("surveys:respond", args=["jeton-qui-n-existe-pas"])).status_code == 404


def test_open_data_has_an_address_per_collectivite_when_there_are_several(client, world):
    with tenancy.scoped(world.b):
        Project.objects.filter(pk=world.public.pk).update(status=Project.Status.ACTIVE)
    index = client.get("/donnees-ouvertes/")
    assert index.status_code == 200
    text = index.content.decode()
    assert "/donnees-ouvertes/ville-a/" in text and "/donnees-ouvertes/ville-b/" in text
    a_files = _content(client.get("/donnees-ouvertes/ville-a/projets.csv")).decode()
    assert MARKER not in a_files
    assert client.get("/donnees-ouvertes/inconnue/").status_code == 404


def test_a_single_collectivite_deployment_keeps_its_open_data_address(client, db):
    OrganisationFactory(slug="seule")
    ProjectFactory(title="Projet ouvert de la seule")
    assert client.get("/donnees-ouvertes/").status_code == 200
    assert client.get("/donnees-ouvertes/projets.csv").status_code == 200


def test_a_form_choices_offer_only_a_people_and_directions(client, world):
    """The pickers and lists of choices of A's forms: B's people and directions never appear."""
    client.force_login(world.a_people["dgs"])
    for url in ("/projets/nouveau/", "/concours/nouveau/", "/tableaux-de-bord/", "/rapports/", "/projets/"):
        page = client.get(url).content.decode()
        assert "BDIR" not in page and MARKER not in page, url


def test_a_task_queued_by_a_reads_a_only(world, django_capture_on_commit_callbacks):
    """A task carries the scope of the request that queued it (innovation_portal/celery.py)."""
    from innovation_portal.celery import carry_the_scope

    headers: dict[str, object] = {}
    with tenancy.scoped(world.a):
        carry_the_scope(headers=headers)
    assert headers == {"organisation_scope": {"organisation_id": world.a.pk}}


def test_the_matrix_covers_every_kind_of_b_object(world):
    """The fixture holds every kind named by the brief, each with the marker somewhere."""
    with tenancy.unscoped():
        assert AuditEntry.objects.filter(organisation=world.b).exists()
        assert not AuditEntry.objects.filter(organisation=world.a).filter(object_label__contains=MARKER).exists()
    assert world.report.file.read().startswith(b"%PDF")


# --- Work done outside any request: beat and the worker -----------------------------------------------------------


def test_a_report_rendered_outside_any_scope_reads_its_own_collectivite(world, monkeypatch):
    """A version queued again by beat (a lost worker's) carries no scope: it still counts only its collectivité."""
    from reports import services as report_services
    from reports.quarters import Quarter

    monkeypatch.setattr(report_services, "figure_svg", lambda figure: "<svg></svg>")
    quarter = Quarter.containing(timezone.localdate()).code
    rendered = {}
    for organisation in (world.a, world.b):
        with tenancy.scoped(organisation):
            report = Report.objects.create(quarter=quarter, status=Report.Status.PENDING)
        assert tenancy.current_scope() is None
        html, files = report_services.render_report(report)
        rendered[organisation.name] = html + "".join(text for _name, _description, text in files)
    assert MARKER not in rendered["Ville A"] and "Projet de A visible" in rendered["Ville A"]
    assert MARKER in rendered["Ville B"] and "Projet de A visible" not in rendered["Ville B"]
    assert "Ville B" in rendered["Ville B"]


def test_beat_schedules_the_quarterly_report_of_each_collectivite(world, monkeypatch):
    from reports import services as report_services

    monkeypatch.setattr("reports.services._enqueue", lambda report_id: None)
    reports = report_services.schedule_quarterly_reports(today=datetime.date(2026, 10, 1))
    assert sorted(report.organisation_id for report in reports) == [world.a.pk, world.b.pk]
    client_reports = {report.organisation_id: report.quarter for report in reports}
    assert client_reports == {world.a.pk: "2026Q3", world.b.pk: "2026Q3"}


def test_a_dgs_reviews_the_lockouts_of_a_accounts_and_unknown_names_only(client, world):
    from accounts.models import Lockout

    for username in ("a-agent", "b-agent", "nom-inconnu"):
        Lockout.objects.create(username=username, ip_address="192.0.2.1")
    client.force_login(world.a_people["dgs"])
    page = client.get("/comptes/verrouillages/").content.decode()
    assert "a-agent" in page and "nom-inconnu" in page
    assert "b-agent" not in page
    assert "192.0.2.1" not in client.get("/comptes/verrouillages/?compte=b-agent").content.decode()


def test_survey_links_sent_by_beat_belong_to_their_campaign_collectivite(world):
    """A reminder queued outside any scope (beat) is still B's: B's DGS sees it if it fails, A's never."""
    from accounts.selectors import collectivite_emails
    from surveys.services import _queue_links

    _queue_links([world.invitation.pk], reminder=True)
    email = OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.SURVEY_REMINDER).get()
    assert email.organisation_id == world.b.pk
    with tenancy.scoped(world.a):
        assert not collectivite_emails().filter(pk=email.pk).exists()


def test_the_table_names_objects_that_b_people_do_reach(client, world):
    """The control of the matrix: each address filled with B's object is reached by one of B's people (with GET or
    POST), so the 404s that A gets come from the isolation, not from a wrong entry of the table."""
    unreached = []
    for name, route, _params in parametrised_routes():
        fill = fill_for(name, route)
        if fill is None or fill.kind != "object" or fill.kwargs is None or not fill.reached_by_b:
            continue
        url = reverse(name, kwargs=fill.kwargs(world))
        reached = False
        for user in world.b_people.values():
            client.force_login(user)
            if client.get(url).status_code not in (403, 404) or client.post(url).status_code not in (403, 404):
                reached = True
                break
        if not reached:
            unreached.append(f"{name} {url}")
    assert not unreached, "\n".join(unreached)


def test_the_forms_choices_built_at_import_keep_no_collectivite():
    """The querysets a form class builds when its module is imported hold no collectivité's filter: the addresses,
    views and forms are imported at start-up, outside any scope (the middleware imports them), never by the first
    request within its visitor's collectivité, which every later visitor would then be offered."""
    from innovation_portal.middleware import OrganisationScopeMiddleware

    OrganisationScopeMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    from contests.forms import IdeaForm
    from portfolio.forms import ProjectForm
    from reports.forms import ScopeForm

    for form, name in (
        (IdeaForm, "direction"),
        (ScopeForm, "direction"),
        (ScopeForm, "enquete"),
        (ProjectForm, "lead"),
    ):
        sql = str(form.base_fields[name].queryset.query)
        assert '"organisation_id" =' not in sql and '"organisation_id" IN' not in sql, (form, name, sql)
