"""The Content-Security-Policy: sent with every response, strict (no inline code, no eval), and its
violation reports logged by /csp-rapport/, which refuses what is not a small violation report."""

import json
import logging

import pytest
from django.core.cache import cache
from django.test import Client

from innovation_portal import csp
from tests.factories import ProjectFactory

REPORT = {
    "csp-report": {
        "document-uri": "https://innovation.example.fr/tableaux-de-bord/",
        "referrer": "",
        "violated-directive": "style-src-elem",
        "effective-directive": "style-src-elem",
        "original-policy": "default-src 'self'",
        "disposition": "enforce",
        "blocked-uri": "inline",
        "line-number": 12,
        "source-file": "https://innovation.example.fr/static/js/charts.js",
        "status-code": 200,
        "script-sample": "p {}",
    }
}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # the reports' budget is counted in the cache
    yield
    cache.clear()


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


def _assert_strict(response) -> None:
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'" and policy["style-src"][0] == "'self'"
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["report-uri"] == ["/csp-rapport/"]
    assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/comptes/connexion/", "/", "/healthz", "/page-inconnue/", "/static/css/portal.css", "/csp-rapport/"]
)
def test_every_response_carries_the_strict_policy(client, url):
    response = client.get(url)
    assert response.status_code in {200, 302, 404, 405, 503}
    _assert_strict(response)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/projets/", "/projets/export.csv", "/projets/export.xlsx", "/tableaux-de-bord/"])
def test_pages_and_exports_of_a_signed_in_person_carry_the_policy(client, dgs, url):
    ProjectFactory()
    client.force_login(dgs)
    response = client.get(url)
    assert response.status_code == 200
    _assert_strict(response)


def _post(body, content_type="application/csp-report", client=None):
    client = client or Client(enforce_csrf_checks=True)  # browsers send no CSRF token
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post("/csp-rapport/", data=data, content_type=content_type)


@pytest.mark.django_db
def test_a_violation_report_is_logged_without_csrf_token(caplog):
    with caplog.at_level(logging.WARNING, logger="innovation_portal.csp"):
        response = _post(REPORT)
    assert response.status_code == 204
    (record,) = [r for r in caplog.records if r.name == "innovation_portal.csp"]
    message = record.getMessage()
    assert "effective-directive='style-src-elem'" in message and "blocked-uri='inline'" in message
    assert "source-file='https://innovation.example.fr/static/js/charts.js'" in message
    assert "line-number='12'" in message


@pytest.mark.django_db
def test_reports_of_the_reporting_api_are_logged_too(caplog):
    body = [
        {
            "type": "csp-violation",
            "url": "https://innovation.example.fr/",
            "body": {"documentURL": "https://innovation.example.fr/", "effectiveDirective": "script-src-elem",
                     "blockedURL": "https://cdn.example.com/x.js", "disposition": "enforce"},
        }
    ]  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="innovation_portal.csp"):
        assert _post(body, "application/reports+json").status_code == 204
    (record,) = [r for r in caplog.records if r.name == "innovation_portal.csp"]
    assert "effective-directive='script-src-elem'" in record.getMessage()
    assert "blocked-uri='https://cdn.example.com/x.js'" in record.getMessage()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [b"", b"\xff\xfe garbage", "pas du JSON", [], [1, 2], {"csp-report": "texte"}, {"csp-report": {"blocked-uri": "x"}},
     [{"type": "deprecation", "body": {}}], {"autre": {"effective-directive": "script-src"}}],
)  # fmt: skip
def test_a_body_that_is_not_a_violation_report_is_refused_and_not_logged(body, caplog):
    with caplog.at_level(logging.WARNING, logger="innovation_portal.csp"):
        response = _post(body)
    assert response.status_code == 400
    assert not [r for r in caplog.records if r.name == "innovation_portal.csp"]


@pytest.mark.django_db
def test_a_report_too_large_is_refused(caplog):
    large = {"csp-report": {**REPORT["csp-report"], "script-sample": "x" * csp.MAX_BYTES}}
    with caplog.at_level(logging.WARNING, logger="innovation_portal.csp"):
        assert _post(large).status_code == 413
    assert not [r for r in caplog.records if r.name == "innovation_portal.csp"]


@pytest.mark.django_db
def test_the_report_address_takes_posts_only(client):
    assert client.get("/csp-rapport/").status_code == 405


@pytest.mark.django_db
def test_logged_fields_are_shortened_and_cannot_forge_log_lines(caplog):
    forged = {"csp-report": {**REPORT["csp-report"], "blocked-uri": "x\n2026-01-01 ERROR faux" + "y" * 1000}}
    with caplog.at_level(logging.WARNING, logger="innovation_portal.csp"):
        assert _post(forged).status_code == 204
    (record,) = [r for r in caplog.records if r.name == "innovation_portal.csp"]
    assert "\n" not in record.getMessage() and "x\\n2026" in record.getMessage()
    assert len(record.getMessage()) < 1500


@pytest.mark.django_db
def test_reports_beyond_the_budget_of_the_minute_are_refused_and_not_logged(monkeypatch, caplog):
    monkeypatch.setattr(csp, "REPORTS_PER_MINUTE", 3)
    with caplog.at_level(logging.WARNING, logger="innovation_portal.csp"):
        statuses = [_post(REPORT).status_code for _ in range(5)]
    assert statuses == [204, 204, 204, 429, 429]
    assert len([r for r in caplog.records if r.name == "innovation_portal.csp"]) == 3
