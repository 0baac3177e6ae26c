import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import selectors as account_selectors
from accounts.roles import Role
from contests import selectors as contest_selectors
from contests.models import Contest
from innovation_portal import accessibility as accessibility_statement
from innovation_portal.celery import app as celery_app
from portfolio import selectors as portfolio_selectors
from portfolio.models import Project

logger = logging.getLogger(__name__)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin has no login page of its own: people sign in on the portal's, where the lockout applies.

    Someone already signed in but not staff is told they may not enter, instead of looping between pages.
    """
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect(f"{reverse('accounts:login')}?{request.GET.urlencode()}" if request.GET else "accounts:login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One panel per role of the signed-in person, in the order of the roles."""
    user = request.user
    roles = user.roles
    # Whoever leads or co-leads a project runs it from the project-lead panel, whatever their roles.
    leads = Role.PROJECT_LEAD in roles or portfolio_selectors.leads_a_project(user)
    shown = [role for role in Role if role in roles or (role == Role.PROJECT_LEAD and leads)]
    context: dict[str, object] = {"roles": roles, "panels": [f"home/{role.value}.html" for role in shown]}
    if Role.DGS in roles:
        active = portfolio_selectors.projects_visible_to(user).filter(status=Project.Status.ACTIVE)
        context["phase_counts"] = portfolio_selectors.phase_counts(active)
        visible = portfolio_selectors.projects_visible_to(user)
        context["agents_share"] = portfolio_selectors.agents_adoption_share(visible)
        context["suspicious_lockouts"] = account_selectors.suspicious_lockout_count()
    if leads:
        context["can_create_project"] = portfolio_selectors.can_create_project(user)
        context["my_projects"] = portfolio_selectors.with_list_relations(
            portfolio_selectors.projects_of(user).exclude(status__in=[Project.Status.STOPPED, Project.Status.COMPLETED])
        ).order_by("-updated_at")[:5]
    if Role.AGENT in roles:
        context["open_contests"] = contest_selectors.open_contests_for(user)
    if Role.JURY in roles:
        juries = user.juries.filter(state=Contest.State.EVALUATION)
        context["evaluations"] = [(c, *contest_selectors.evaluation_progress(user, c)) for c in juries]
    return render(request, "home.html", context)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: the database does not answer")
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=3)
        return True
    except Exception:
        logger.exception("Health check: the broker does not answer")
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and docker compose: 200 when the database and the broker answer."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    status = 200 if all(checks.values()) else 503
    body = {name: "ok" if ok else "error" for name, ok in checks.items()}
    body["status"] = "ok" if status == 200 else "error"
    return JsonResponse(body, status=status)


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement: public, like the law asks, reachable from every footer."""
    return render(
        request,
        "accessibility.html",
        {
            "statement_date": accessibility_statement.STATEMENT_DATE,
            "rgaa_version": accessibility_statement.RGAA_VERSION,
            "audited_pages": accessibility_statement.AUDITED_PAGES,
            "contact": settings.ACCESSIBILITY_CONTACT,
        },
    )
