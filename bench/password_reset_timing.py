"""How long a password reset request takes for a known and an unknown address while the SMTP
server accepts connections and never answers (the case where timing leaked the answer).

    .venv/bin/python bench/password_reset_timing.py [RUNS]

A fresh SQLite database and the embedded broker under a temporary folder; a local SMTP server
that hangs. Ours: the portal's reset page (the message goes to the outbox, a worker sends it).
Reference, measured in the same run: Django's stock reset view, which sends during the request.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.smtp import smtp_server  # noqa: E402

KNOWN, UNKNOWN = "agent@ville.fr", "personne@ailleurs.fr"


def _setup(port: int) -> None:
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"):
        os.environ.pop(name, None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="innovation_portal.settings",
        VAR_DIR=tempfile.mkdtemp(prefix="reset-timing-"),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        EMAIL_USE_TLS="false",
        EMAIL_TIMEOUT=os.environ.get("EMAIL_TIMEOUT", "10"),
        LOG_LEVEL="ERROR",
    )
    import logging

    import django

    django.setup()
    logging.getLogger("django.contrib.auth").setLevel(logging.CRITICAL)  # the reference's SMTP timeouts
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accounts.models import User

    User.objects.create_user("agent", KNOWN, "Une-phrase-de-passe-longue")


def _ours(address: str) -> float:
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    started = time.perf_counter()
    response = client.post("/comptes/mot-de-passe/oubli/", {"email": address})
    elapsed = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    return elapsed


def _reference(address: str) -> float:
    from django.contrib.auth import views as auth_views
    from django.test import RequestFactory

    view = auth_views.PasswordResetView.as_view(
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        success_url="/",
    )
    request = RequestFactory(SERVER_NAME="127.0.0.1").post("/", {"email": address})
    request._dont_enforce_csrf_checks = True
    started = time.perf_counter()
    response = view(request)
    elapsed = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    return elapsed


def _medians(measure, runs: int) -> dict[str, float]:  # noqa: ANN001
    """Known and unknown addresses alternate, so that warming up favours neither."""
    times: dict[str, list[float]] = {KNOWN: [], UNKNOWN: []}
    for run in range(runs):
        for address in (KNOWN, UNKNOWN) if run % 2 else (UNKNOWN, KNOWN):
            times[address].append(measure(address))
    return {address: statistics.median(values) for address, values in times.items()}


def main(runs: int) -> None:
    with smtp_server("hang") as server:
        _setup(server.port)
        ours = _medians(_ours, runs)
        seen_by_smtp = server.connections
        reference = _medians(_reference, runs)
    timeout = os.environ["EMAIL_TIMEOUT"]
    print(f"SMTP server that accepts and never answers, EMAIL_TIMEOUT={timeout} s, median of {runs} requests")
    print(f"ours:      known address {ours[KNOWN]:.3f} s, unknown address {ours[UNKNOWN]:.3f} s")
    print(f"reference: known address {reference[KNOWN]:.3f} s, unknown address {reference[UNKNOWN]:.3f} s")
    ratios = ours[KNOWN] / ours[UNKNOWN], reference[KNOWN] / reference[UNKNOWN]
    print(f"ratio known/unknown: ours {ratios[0]:.2f}, reference {ratios[1]:.1f}")
    print(f"ratio ours/reference, known address: {ours[KNOWN] / reference[KNOWN]:.4f}")
    print(f"SMTP connections during our requests: {seen_by_smtp}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
