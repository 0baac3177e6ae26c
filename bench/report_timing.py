"""How long the demo report takes on a warm worker, and the worker's peak memory.

    .venv/bin/python bench/report_timing.py [RUNS]

A real worker (prefork, one child) starts, warms its chart renderer, renders the 2026Q3 demo
report once, then RUNS more times; the script prints the task times read from the worker's log
and the peak resident memory (VmHWM) of the worker child and of the Chromium that draws the charts.
"""

import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers import manage, portal_stack, start_worker  # noqa: E402

REQUEST = (
    "from reports.services import report_request; from reports.quarters import Quarter; "
    "report_request(quarter=Quarter(2026, 3), direction=None, requested_by=None, new=True)"
)
DONE = "from reports.models import Report; print(Report.objects.filter(quarter='2026Q3').latest('version').status)"


def descendants(pid: int) -> list[int]:
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(c) for c in children] + [g for c in children for g in descendants(int(c))]


def peak_kib(pid: int) -> tuple[str, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    name = re.search(r"Name:\s+(\S+)", status).group(1)
    peak = re.search(r"VmHWM:\s+(\d+)", status)
    return name, int(peak.group(1)) if peak else 0


def render_once(env: dict) -> None:
    manage(env, "shell", "-c", REQUEST)
    while manage(env, "shell", "-c", DONE).splitlines()[-1] != "done":
        time.sleep(0.2)


def main(runs: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="report-timing-"))
    env = portal_stack(folder, database="innovation_timing_bench")
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "seed_demo")
    log = folder / "worker.log"
    worker = start_worker(env, log)
    try:
        time.sleep(4)
        for _ in range(runs + 1):
            render_once(env)
        times = [float(t) for t in re.findall(r"generate_report\[[^\]]+\] succeeded in ([\d.]+)s", log.read_text())]
        memory = [peak_kib(pid) for pid in descendants(worker.pid)]
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    print(f"first report on a fresh worker: {times[0]:.2f} s")
    warm = times[1:]
    print(
        f"warm worker, {len(warm)} reports: median {statistics.median(warm):.2f} s, "
        f"min {min(warm):.2f} s, max {max(warm):.2f} s"
    )
    python = [kib for name, kib in memory if name.startswith(("python", "celery"))]
    browser = [kib for name, kib in memory if "chrom" in name]
    print(
        f"peak memory: worker child {max(python) / 1024:.0f} MiB; chart browser "
        f"{sum(browser) / 1024:.0f} MiB over {len(browser)} processes"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
