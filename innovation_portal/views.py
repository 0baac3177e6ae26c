import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import selectors as account_selectors
from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from accounts.roles import Role
from contests import selectors as contest_selectors
from innovation_portal import accessibility as accessibility_statement
from innovation_portal.celery import app as celery_app
from network import selectors as network_selectors
from portfolio import selectors as portfolio_selectors
from portfolio.filters import stalled_since
from portfolio.models import Project
from reports import selectors as report_selectors

logger = logging.getLogger(__name__)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin has no login page of its own: people sign in on the portal's, where the lockout applies.

    Someone already signed in but not staff is told they may not enter, instead of looping between pages.
    """
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect(f"{reverse('accounts:login')}?{request.GET.urlencode()}" if request.GET else "accounts:login")


def admin_view_on_site(request: HttpRequest, content_type_id: str, object_id: str) -> HttpResponse:
    """The admin's « Voir sur le site », for a row the person may read only: Django's own looks the row up through
    the model's base manager, which reads every collectivité (it would tell that another's row exists)."""
    content_type = ContentType.objects.filter(pk=content_type_id).first() if content_type_id.isdigit() else None
    model = content_type.model_class() if content_type else None
    try:
        found = model is not None and model._default_manager.filter(pk=object_id).exists()
    except (ValueError, ValidationError):
        found = False
    if not found:
        raise Http404
    return contenttype_views.shortcut(request, content_type_id, object_id)


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One panel per role of the signed-in person, in the order of the roles; a network's animateur, who has
    no collectivité and no role in one, is sent to the network's page."""
    user = request.user
    if network_selectors.is_animateur(user):
        return redirect("network:overview")
    roles = user.roles
    # Whoever leads or co-leads a project runs it from the project-lead panel, whatever their roles.
    leads = Role.PROJECT_LEAD in roles or portfolio_selectors.leads_a_project(user)
    shown = [role for role in Role if role in roles or (role == Role.PROJECT_LEAD and leads)]
    panels = [f"home/{role.value}.html" for role in shown]
    if Role.DGS in roles:
        panels.insert(0, "home/to_decide.html")  # what waits for the DGS comes first
    context: dict[str, object] = {"roles": roles, "panels": panels}
    if Role.DGS in roles:
        active = portfolio_selectors.projects_visible_to(user).filter(status=Project.Status.ACTIVE)
        context["phase_counts"] = portfolio_selectors.phase_counts(active)
        visible = portfolio_selectors.projects_visible_to(user)
        context["agents_share"] = portfolio_selectors.agents_adoption_share(visible)
        context["suspicious_lockouts"] = account_selectors.suspicious_lockout_count()
        context.update(_to_decide(user))
    if leads:
        context["can_create_project"] = portfolio_selectors.can_create_project(user)
        context["my_projects"] = portfolio_selectors.with_list_relations(
            portfolio_selectors.projects_of(user).exclude(status__in=[Project.Status.STOPPED, Project.Status.COMPLETED])
        ).order_by("-updated_at")[:5]
        context.update(_lead_queue(user))
    if Role.AGENT in roles:
        context["open_contests"] = contest_selectors.open_contests_for(user)
    if Role.JURY in roles:
        context["evaluations"] = contest_selectors.evaluations_of(user)
    return render(request, "home.html", context)


QUEUE_ROWS = 10  # rows of each list on a home page; the full list is one link away


def _to_decide(user: User) -> dict[str, object]:
    """The DGS's « À décider »: decisions asked for, projects without a move, contests waiting for an action,
    failed reports and deliveries; each row with its action one click away."""
    requests = portfolio_selectors.open_decision_requests()
    stalled_days = settings.STALLED_AFTER_DAYS
    stalled = stalled_since(portfolio_selectors.projects_visible_to(user), stalled_days)
    contests, contests_total = contest_selectors.contests_awaiting_action(limit=QUEUE_ROWS)
    context: dict[str, object] = {
        "decision_requests": list(requests[:QUEUE_ROWS]),
        "decision_requests_total": requests.count(),
        "stalled_days": stalled_days,
        "stalled_first": list(stalled.select_related("phase", "lead").order_by("phase_since", "title")[:5]),
        "stalled_total": stalled.count(),
        "contests_waiting": contests,
        "contests_waiting_total": contests_total,
    }
    if user.has_perm("reports.request_report"):
        context["failed_reports"], context["failed_reports_total"] = report_selectors.failed_reports()
    if user.has_perm("accounts.resend_outgoingemail"):
        context["failed_emails"] = account_selectors.failed_email_count()
    return context


def _lead_queue(user: User) -> dict[str, object]:
    """A lead's own list: indicators to measure, projects without a move, decisions asked for and still waited."""
    days = settings.MEASUREMENT_DUE_DAYS
    to_measure = portfolio_selectors.indicators_to_measure(user, days=days)
    stalled = portfolio_selectors.stalled_led_by(user, days=settings.STALLED_AFTER_DAYS)
    return {
        "measurement_due_days": days,
        "to_measure": list(to_measure[:QUEUE_ROWS]),
        "to_measure_total": to_measure.count(),
        "my_stalled": list(stalled[:QUEUE_ROWS]),
        "my_stalled_total": stalled.count(),
        "stalled_days": settings.STALLED_AFTER_DAYS,
        "my_requests": list(
            portfolio_selectors.open_decision_requests().filter(project__in=portfolio_selectors.led_by(user))[
                :QUEUE_ROWS
            ]
        ),
    }


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
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
