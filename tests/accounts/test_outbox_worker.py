"""A real Celery worker sends the outbox to a real (local) SMTP server: one that hangs, one that
refuses, then one that accepts; the web side never talks to SMTP."""

import time

import pytest

from tests.helpers import manage, portal_stack, start_worker, stop_worker
from tests.smtp import smtp_server

CREATE_PERSON = (
    "from accounts.models import User; "
    "User.objects.create_user('agent', 'agent@ville.fr', 'Une-phrase-de-passe-longue')"
)
NOTIFY = (
    "from django.db import transaction; from accounts.models import User, NotificationKind; "
    "from accounts.services import notify\n"
    "with transaction.atomic(): notify(users=[User.objects.get(username='agent')], "
    "kind=NotificationKind.REPORT_READY, subject='Rapport {n}', message='Message {n}')"
)
STATES = (
    "from accounts.models import OutgoingEmail as E; "
    "print(';'.join(f'{e.subject}|{e.status}|{e.attempts}|{e.last_error}' for e in E.objects.order_by('pk')))"
)
RESEND_FIRST = (
    "from accounts.models import OutgoingEmail as E; from accounts.outbox import email_resend; "
    "print(email_resend(email=E.objects.order_by('pk').first()))"
)


def _states(env: dict[str, str]) -> dict[str, tuple[str, int, str]]:
    rows = [row.split("|", 3) for row in manage(env, "shell", "-v", "0", "-c", STATES).split(";") if row]
    return {subject: (status, int(attempts), error) for subject, status, attempts, error in rows}


def _wait_for(env: dict[str, str], subject: str, status: str, timeout: float = 90) -> tuple[str, int, str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = _states(env).get(subject)
        if state and state[0] == status:
            return state
        time.sleep(0.5)
    pytest.fail(f"« {subject} » did not become {status} within {timeout} s: {_states(env)}")


def test_the_worker_retries_then_fails_on_a_hanging_and_a_refusing_server_and_sends_when_it_answers(tmp_path):
    with smtp_server("hang") as server:
        env = portal_stack(tmp_path, database="innovation_outbox_worker")
        env.update(
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(server.port),
            EMAIL_USE_TLS="false",
            EMAIL_TIMEOUT="1",
            EMAIL_MAX_ATTEMPTS="2",
            EMAIL_RETRY_DELAY="1",
        )
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "shell", "-v", "0", "-c", CREATE_PERSON)
        log = tmp_path / "worker.log"
        worker = start_worker(env, log)
        try:
            manage(env, "shell", "-v", "0", "-c", NOTIFY.format(n=1))
            _status, attempts, error = _wait_for(env, "Rapport 1", "failed")
            assert attempts == 2 and "timed out" in error
            assert server.connections == 2

            server.mode = "refuse"
            manage(env, "shell", "-v", "0", "-c", NOTIFY.format(n=2))
            _status, attempts, error = _wait_for(env, "Rapport 2", "failed")
            assert attempts == 2 and "554" in error

            server.mode = "accept"
            manage(env, "shell", "-v", "0", "-c", NOTIFY.format(n=3))
            _wait_for(env, "Rapport 3", "sent")
            assert manage(env, "shell", "-v", "0", "-c", RESEND_FIRST) == "True"  # the DGS resends the first one
            _wait_for(env, "Rapport 1", "sent")
        finally:
            stop_worker(worker)
    assert sorted(m.split("Subject: ")[1].split("\n")[0].strip() for m in server.messages) == ["Rapport 1", "Rapport 3"]
    output = log.read_text()
    assert "accounts.tasks.send_email" in output
    assert "failed (attempt 1 of 2), next attempt in 1 s" in output
    assert "failed for good after 2 attempts" in output
