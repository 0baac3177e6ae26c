"""Kills a worker with SIGKILL in the middle of a report, then shows that nothing half-done is served and
that the report completes once a worker runs again.

    .venv/bin/python bench/report_worker_crash.py            # embedded broker and SQLite under a temp folder
    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/report_worker_crash.py

REPORT_STUCK_SECONDS is set to 5 here so that the periodic re-queue (run by beat every five minutes
in production) takes the lost report back at once; the script runs that job itself.
"""

import os
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers import manage, portal_stack, start_worker  # noqa: E402

STATUS = "from reports.models import Report; r = Report.objects.get(quarter='2026Q3'); print(r.status, r.attempts)"
REQUEST = (
    "from reports.services import report_request; from reports.quarters import Quarter; "
    "report_request(quarter=Quarter(2026, 3), direction=None, requested_by=None)"
)
REQUEUE = "from reports.services import requeue_stuck_reports; print(requeue_stuck_reports())"


def status(env: dict) -> tuple[str, int]:
    state, attempts = manage(env, "shell", "-c", STATUS).split()[-2:]
    return state, int(attempts)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="report-crash-"))
    env = portal_stack(folder, database="innovation_crash_bench") | {"REPORT_STUCK_SECONDS": "5"}
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "seed_demo")
    final = folder / "media" / "reports" / "rapport-innovation-2026Q3-collectivite-v1.pdf"

    worker = start_worker(env, folder / "worker-1.log")
    time.sleep(4)  # the worker boots and warms its chart renderer
    manage(env, "shell", "-c", REQUEST)
    while status(env)[0] != "running":
        time.sleep(0.05)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    state, attempts = status(env)
    leftovers = sorted(p.name for p in final.parent.iterdir()) if final.parent.exists() else []
    print(
        f"after SIGKILL: status={state} attempts={attempts} final file exists={final.exists()} "
        f"files in reports/={leftovers}"
    )
    assert state == "running" and not final.exists(), "a killed worker must leave no report served as done"

    worker = start_worker(env, folder / "worker-2.log")
    try:
        time.sleep(6)  # past REPORT_STUCK_SECONDS
        print("re-queued by the periodic job:", manage(env, "shell", "-c", REQUEUE).splitlines()[-1])
        started = time.monotonic()
        while status(env)[0] != "done":
            assert time.monotonic() - started < 180, "the report did not complete"
            time.sleep(0.5)
        state, attempts = status(env)
        print(
            f"after restart: status={state} attempts={attempts} final file exists={final.exists()} "
            f"size={final.stat().st_size} bytes, in {time.monotonic() - started:.1f} s"
        )
        assert not [p for p in final.parent.iterdir() if p.name.endswith(".part")], "temporary files left"
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    print("OK: nothing half-done was served; the report completed once a worker ran again.")


if __name__ == "__main__":
    main()
