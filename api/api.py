"""The read API (``/api/``): the same objects as the pages, through the same access helpers (a project a
person may not see answers 404 here as on its page), paginated, rate-limited, described at
``/api/openapi.json`` with its documentation served by the portal at ``/api/docs``."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.throttling import AuthRateThrottle

from accounts.models import Direction, User
from api import schemas
from api.auth import SignedInSession, TokenAuth
from contests import selectors as contests
from contests.models import Contest
from portfolio import selectors as portfolio
from portfolio.models import GateDecision, Indicator, Measurement, Project
from reports import selectors as reports
from reports.quarters import Quarter
from surveys import selectors as surveys
from surveys.results import campaign_results, results_table

api = NinjaAPI(
    title="Portail de l'innovation — API de lecture",
    version="1",
    description=(
        "Lecture seule. Authentification : `Authorization: Bearer <jeton>` (jeton personnel créé dans « Mon compte "
        "› Jetons d'API »), ou la session du portail. Chaque objet suit les mêmes droits que les pages."
    ),
    urls_namespace="api",
    auth=[TokenAuth(), SignedInSession()],
    throttle=[AuthRateThrottle(f"{settings.API_RATE_PER_MINUTE}/m")],
)


PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)  # set by TokenAuth or SignedInSession
    if not isinstance(user, User):
        raise HttpError(401, "Unauthorized")
    return user


def _brief(project: Project) -> dict[str, object]:
    return {
        "id": project.pk,
        "title": project.title,
        "summary": project.summary,
        "nature": project.nature,
        "phase": {"code": project.phase.code, "label": project.phase.label},
        "status": project.status,
        "phase_since": project.phase_since,
        "directions": [d.code for d in project.directions.all()],
        "lead": str(project.lead),
        "updated_at": project.updated_at,
    }


class ProjectFilters(Schema):
    phase: str | None = None
    statut: str | None = None
    nature: str | None = None
    direction: str | None = None
    q: str | None = None


@api.get("/projets", response=list[schemas.ProjectBrief], tags=["projets"], summary="Projets visibles")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def project_list(request: HttpRequest, filters: Query[ProjectFilters]) -> list[dict[str, object]]:
    """The projects the person may see, filtered as on the list (`phase`, `statut`, `nature`, `direction`, `q`)."""
    params = {name: value for name, value in filters.dict().items() if value}
    listed = portfolio.project_list(user=_user(request), params=params)
    if not listed.is_valid():
        raise HttpError(400, "; ".join(str(e) for errors in listed.errors.values() for e in errors))
    projects: QuerySet[Project] = listed.qs.select_related("phase", "lead").prefetch_related("directions")
    return _Lazy(projects.order_by("-updated_at", "-pk"), _brief)  # type: ignore[return-value]


class _Lazy:
    """A queryset whose page is turned into dicts only once sliced: the paginator counts and slices in SQL."""

    def __init__(self, queryset: QuerySet[Project], convert: object) -> None:
        self.queryset, self.convert = queryset, convert

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, object]]:
        return [self.convert(item) for item in self.queryset[index]]  # type: ignore[operator]


@api.get("/projets/{project_id}", response=schemas.ProjectDetail, tags=["projets"], summary="Un projet")
def project_detail(request: HttpRequest, project_id: int) -> dict[str, object]:
    project = portfolio.get_project_for_user(_user(request), project_id)
    indicators = Indicator.objects.filter(project=project).prefetch_related(
        Prefetch("measurements", queryset=Measurement.objects.order_by("measured_on"))
    )
    decisions = GateDecision.objects.filter(project=project).select_related("from_phase", "to_phase")
    return {
        **_brief(project),
        "description": project.description,
        "origin": project.origin,
        "objects": [{"code": o.code, "label": o.label} for o in project.objects_of_innovation.all()],
        "domain": project.domain.name if project.domain else None,
        "start_date": project.start_date,
        "expected_end_date": project.expected_end_date,
        "estimated_cost": project.estimated_cost,
        "perimeter": project.perimeter,
        "scope": project.scope,
        "visibility": project.visibility,
        "expected_value": project.expected_value,
        "observed_results": project.observed_results,
        "lessons_learned": project.lessons_learned,
        "indicators": [
            {
                "id": i.pk,
                "name": i.name,
                "unit": i.unit,
                "baseline": i.baseline,
                "target": i.target,
                "measurements": list(i.measurements.all()),
            }
            for i in indicators
        ],
        "decisions": [
            {
                "decided_on": d.decided_on,
                "decision": d.decision,
                "label": d.label,
                "from_phase": d.from_phase.code,
                "to_phase": d.to_phase.code,
                "prior_existing": d.prior_existing,
                "rationale": d.rationale,
            }
            for d in decisions
        ],
    }


@api.get("/concours", response=list[schemas.ContestBrief], tags=["concours"], summary="Concours visibles")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def contest_list(request: HttpRequest) -> QuerySet[Contest]:
    return contests.contests_visible_to(_user(request)).order_by("-opens_on", "pk")


@api.get("/concours/{slug}", response=schemas.ContestDetail, tags=["concours"], summary="Un concours et ses idées")
def contest_detail(request: HttpRequest, slug: str) -> dict[str, object]:
    """The ideas the person sees in the contest's list, without their authors."""
    user = _user(request)
    contest = contests.get_contest_for_user(user, slug)
    ideas = contests.ideas_listed(user, contest).annotate(support_count=Count("supports", distinct=True))
    return {
        **{f: getattr(contest, f) for f in ("slug", "title", "theme", "state", "opens_on", "closes_on")},
        "description": contest.description,
        "ideas": [
            {"id": idea.pk, "title": idea.title, "status": idea.status, "supports": idea.support_count}
            for idea in ideas.order_by("pk")
        ],
    }


@api.get("/enquetes/{slug}/resultats", response=schemas.SurveyResults, tags=["enquêtes"], summary="Résultats agrégés")
def survey_results(request: HttpRequest, slug: str) -> dict[str, object]:
    """The aggregates of the results page (never an answer): a question with fewer than 5 respondents is
    masked, as on the page."""
    user = _user(request)
    campaign = surveys.get_campaign_for_user(user, slug)
    if not user.has_perm("surveys.view_results"):
        raise PermissionDenied
    structure = surveys.questionnaire_structure(campaign.questionnaire)
    comparable = surveys.series_campaigns(campaign, surveys.campaigns_visible_to(user))
    outcome = campaign_results(campaign=campaign, structure=structure, params={}, comparable=comparable)
    rows = [
        dict(zip(("question", "choice", "count", "percent", "national_percent", "base", "note"), row, strict=True))
        for row in results_table(outcome)
    ]
    return {"campaign": campaign.slug, "suppressed": bool(outcome.suppressed), "rows": rows}


@api.get("/tableaux-de-bord", response=schemas.Dashboard, tags=["tableaux de bord"], summary="Chiffres clés")
def dashboard(request: HttpRequest, trimestre: str | None = None, direction: str | None = None) -> dict[str, object]:
    """The key figures of a quarter (`trimestre=2026Q3`, the last complete one by default) and the projects in
    progress per phase at its date, for the collectivité or a direction (`direction=CODE`)."""
    user = _user(request)
    if not user.has_perm("reports.view_dashboards"):
        raise PermissionDenied
    try:
        quarter = Quarter.parse(trimestre) if trimestre else reports.default_quarter()
    except ValueError as error:
        raise HttpError(400, str(error)) from None
    if quarter.start > timezone.localdate():
        raise HttpError(400, "Ce trimestre n'a pas encore commencé.")
    chosen = get_object_or_404(Direction, code=direction) if direction else None
    scope = reports.Scope(
        quarter=quarter,
        direction=chosen,
        stalled_days=settings.STALLED_AFTER_DAYS,
        detailed=user.has_perm("portfolio.view_all_projects"),
    )
    return {
        "quarter": quarter.code,
        "as_of": scope.as_of,
        "direction": chosen.code if chosen else None,
        "key_figures": reports.key_figures(scope),
        "phases_in_progress": [
            {"code": phase.code, "label": phase.label, "count": count} for phase, count in scope.phases.in_progress
        ],
    }
