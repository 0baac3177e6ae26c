"""A real Celery worker process consumes the tasks the portal sends: on the embedded
filesystem broker by default, and on Redis when REDIS_URL is set (as in CI)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import clean_environ, manage, run_name

ROOT = Path(__file__).resolve().parent.parent

BROKERS = [pytest.param({}, id="embedded-filesystem-broker")]
if os.environ.get("REDIS_URL"):
    BROKERS.append(
        pytest.param({"REDIS_URL": os.environ["REDIS_URL"], "REDIS_KEY_PREFIX": f"{run_name()}:worker:"}, id="redis")
    )


COUNT_SESSIONS = "from django.contrib.sessions.models import Session; print(Session.objects.count())"
EXPIRED_SESSION = (
    "from datetime import timedelta; from django.utils import timezone; "
    "from django.contrib.sessions.backends.db import SessionStore; "
    "s = SessionStore(); s['x'] = 1; s.create(); "
    "from django.contrib.sessions.models import Session; "
    "Session.objects.update(expire_date=timezone.now() - timedelta(days=1))"
)
SEND_TASK = "from accounts.tasks import clear_expired_sessions; clear_expired_sessions.delay()"


@pytest.mark.parametrize("broker", BROKERS)
def test_a_worker_process_runs_the_task_sent_by_the_portal(tmp_path, broker):
    env = clean_environ(VAR_DIR=str(tmp_path), **broker)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "shell", "-c", EXPIRED_SESSION)
    assert manage(env, "shell", "-c", COUNT_SESSIONS).endswith("1")
    manage(env, "shell", "-c", SEND_TASK)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "innovation_portal",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180  # bounds a hang only: a busy machine starts a worker slowly
        while time.monotonic() < deadline:
            if manage(env, "shell", "-c", COUNT_SESSIONS).endswith("0"):
                break
            time.sleep(0.5)
        else:
            pytest.fail("The worker did not run the task within 180 s")
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
    assert "accounts.tasks.clear_expired_sessions" in output
    assert "succeeded" in output
