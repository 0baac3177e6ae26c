"""Reports of Content-Security-Policy violations, sent by browsers to ``/csp-rapport/``, written to the log.

The policy itself is in the settings (``CONTENT_SECURITY_POLICY``, applied by django-csp's middleware to
every response). Browsers post a report on their own, without a CSRF token and without asking anyone:
the address takes small JSON bodies only, at most ``REPORTS_PER_MINUTE`` a minute for the whole portal
(a page with a fault may send dozens; a flood must not fill the logs), and logs a few fields, shortened.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("innovation_portal.csp")

MAX_BYTES = 16 * 1024
REPORTS_PER_MINUTE = 60
# The fields logged, in the names of ``report-uri`` reports (``application/csp-report``); the Reporting
# API (``application/reports+json``) names them in camelCase.
FIELDS = {
    "document-uri": "documentURL",
    "effective-directive": "effectiveDirective",
    "blocked-uri": "blockedURL",
    "source-file": "sourceFile",
    "line-number": "lineNumber",
    "disposition": "disposition",
    "script-sample": "sample",
}


class BadReport(ValueError):
    """The body is not a violation report."""


def violations(body: bytes) -> list[dict[str, str]]:
    """The violations of a report body, each with the ``FIELDS`` it has, as short strings."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadReport("not JSON") from error
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        return [_fields(data["csp-report"], camel=False)]
    if isinstance(data, list) and data and all(_is_reporting_api_violation(item) for item in data):
        return [_fields(item["body"], camel=True) for item in data]
    raise BadReport("not a CSP violation report")


def _is_reporting_api_violation(item: object) -> bool:
    return isinstance(item, dict) and item.get("type") == "csp-violation" and isinstance(item.get("body"), dict)


def _fields(report: dict[str, object], *, camel: bool) -> dict[str, str]:
    found = {}
    for name, camel_name in FIELDS.items():
        value = report.get(camel_name if camel else name)
        if value not in (None, ""):
            found[name] = str(value)[:300]
    if "effective-directive" not in found and report.get("violated-directive"):
        found["effective-directive"] = str(report["violated-directive"])[:300]
    if not found.get("effective-directive"):
        raise BadReport("no directive")
    return found


def _within_budget() -> bool:
    """At most REPORTS_PER_MINUTE reports a minute, counted in the cache (shared by the web workers).
    A cache out of service lets reports through: they are still small, and only logged."""
    key = f"csp-reports:{int(time.time() // 60)}"
    with contextlib.suppress(Exception):
        cache.add(key, 0, 90)
        return cache.incr(key) <= REPORTS_PER_MINUTE
    return True


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """204 for a report logged; 400 for a body that is not one, 413 for a body too large, 429 past the
    budget. Only browsers read these answers: they have no body."""
    body = request.read(MAX_BYTES + 1)
    if len(body) > MAX_BYTES:
        return HttpResponse(status=413)
    try:
        found = violations(body)
    except BadReport:
        return HttpResponse(status=400)
    if not _within_budget():
        return HttpResponse(status=429)
    for violation in found:
        logger.warning(
            "CSP violation: %s",
            " ".join(f"{name}={value!r}" for name, value in violation.items()),
        )
    return HttpResponse(status=204)
