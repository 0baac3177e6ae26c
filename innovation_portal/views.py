import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from innovation_portal.celery import app as celery_app

logger = logging.getLogger(__name__)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One panel per role of the signed-in person, in the order of the roles."""
    roles = request.user.roles
    panels = [f"home/{role.value}.html" for role in roles]
    return render(request, "home.html", {"roles": roles, "panels": panels})


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
