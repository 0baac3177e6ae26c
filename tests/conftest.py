import shutil
import time
from types import SimpleNamespace

import pytest

from accounts.models import User
from accounts.roles import Role
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Uploaded files and e-mails of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"


@pytest.fixture(autouse=True)
def _session_activity_clock_stands_still(monkeypatch):
    """A signed-in session's activity time is written again once a minute of the wall clock has passed: on a busy
    machine a minute can pass within a test and add a session write to the queries it counts. For the tests that
    clock stands still; tests/accounts/test_session_activity.py moves it on purpose (its ``clock`` fixture)."""
    from accounts import sessions

    now = time.time()
    monkeypatch.setattr(sessions, "time", SimpleNamespace(time=lambda: now))


@pytest.fixture(scope="session", autouse=True)
def _addresses_imported_outside_any_scope():
    """As at start-up (innovation_portal.middleware.OrganisationScopeMiddleware): the views and forms are imported
    before any test, not by a test working within one collectivité's scope, which their class-level querysets
    (a form's choices) would keep."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  # the attribute imports the URLconf


@pytest.fixture(scope="session", autouse=True)
def _own_broker_emptied():
    """The messages this test process sent to its own broker (innovation_portal/test_settings.py) go with it."""
    yield
    from django.conf import settings

    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        for key in client.scan_iter(match=f"{settings.TEST_PROCESS}:*"):
            client.delete(key)
    else:
        shutil.rmtree(settings.BROKER_DIR, ignore_errors=True)


@pytest.fixture
def reference_data(transactional_db):
    """The live server needs committed data, hence transactional tests whose flush empties
    the tables: the reference lists of the data migrations are put back (the role groups
    come back by themselves through accounts' post_migrate handler)."""
    from django.apps import apps

    from portfolio.reference import seed_reference_data
    from surveys.national import seed_national_questionnaire

    seed_reference_data(apps)
    seed_national_questionnaire(apps)


@pytest.fixture
def make_user(db):
    def make(*roles: Role, **fields: object) -> User:
        return UserFactory(roles=list(roles), **fields)

    return make


@pytest.fixture
def dgs(make_user) -> User:
    return make_user(Role.DGS, username="dgs", is_staff=True)


@pytest.fixture
def agent(make_user) -> User:
    return make_user(Role.AGENT, username="agent")


@pytest.fixture
def lead(make_user) -> User:
    return make_user(Role.PROJECT_LEAD, Role.AGENT, username="cheffe")


@pytest.fixture
def copil(make_user) -> User:
    return make_user(Role.COPIL, username="copil")


@pytest.fixture
def messages_in_session(settings):
    """Messages kept in the session, so the page after a redirect shows them to a client without cookie jar."""
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"


@pytest.fixture(autouse=True)
def _outbox_sent_inline(monkeypatch):
    """A message of the outbox is sent, as a worker would send it, once its transaction commits
    (the real worker and real SMTP servers are exercised by tests/accounts/test_outbox_worker.py)."""
    from accounts import outbox, services

    monkeypatch.setattr(outbox, "_enqueue", lambda email_id: outbox.email_send(email_id=email_id))
    monkeypatch.setattr(services, "_enqueue_password_reset", lambda email: services.password_reset_send(email=email))
