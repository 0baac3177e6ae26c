"""/healthz answers docker compose: 200 when the database and the broker answer, 503 otherwise."""

import pytest
from django.db import OperationalError, connections

from innovation_portal.celery import app as celery_app


@pytest.mark.django_db
def test_health_is_ok_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "status": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_health_reports_a_broker_that_is_down(client):
    saved = {key: celery_app.conf[key] for key in ("broker_url", "broker_transport_options")}
    celery_app.conf.update(broker_url="redis://127.0.0.1:1/0", broker_transport_options={})
    try:
        response = client.get("/healthz")
    finally:
        celery_app.conf.update(saved)
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "error", "status": "error"}


@pytest.mark.django_db
def test_health_reports_a_database_that_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("innovation_portal.views.connection.cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_health_needs_no_login_and_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_health_answers_503_not_500_to_a_signed_in_browser_when_the_database_is_down(client, agent, monkeypatch):
    client.force_login(agent)  # the session cookie makes the session middleware read the database
    client.raise_request_exception = False

    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refused)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "error", "broker": "ok", "status": "error"}
