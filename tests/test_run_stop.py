"""Ctrl-C after `make run` stops the web server, the worker and beat (honcho, Procfile) within 10 s, even while
the worker is rendering a report."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers import ROOT, manage, portal_stack

STOP_SECONDS = 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def wait_for(condition, seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.2)


def test_ctrl_c_stops_web_worker_and_beat_within_ten_seconds_while_a_report_renders(tmp_path):
    env = portal_stack(tmp_path, database="innovation_run_stop")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"  # as the Makefile does
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "seed_demo")  # the worker renders the demo report as soon as it starts
    log = tmp_path / "honcho.log"
    honcho = subprocess.Popen(
        [sys.executable, "-m", "honcho", "start", "--port", str(free_port())],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own terminal process group, which Ctrl-C signals as a whole
    )
    try:
        wait_for(lambda: "celery@" in log.read_text() and " ready." in log.read_text(), 180, "worker not ready")
        # The worker's log tells at once that it took the report (a poll of the database through a new process
        # every few seconds could miss a report rendered between two polls).
        wait_for(lambda: "reports.tasks.generate_report" in log.read_text(), 180, "report never started")
        groups = [int(pid) for pid in re.findall(r"started \(pid=(\d+)\)", log.read_text())]
        assert len(groups) == 3
        os.killpg(honcho.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
        interrupted = time.monotonic()
        honcho.wait(timeout=120)
        stopped = time.monotonic() - interrupted
        wait_for(lambda: not any(alive(group) for group in groups), 5, "processes left behind")
    finally:
        if honcho.poll() is None:
            os.killpg(honcho.pid, signal.SIGKILL)
    print(f"Ctrl-C: honcho and its processes stopped in {stopped:.1f} s")
    assert stopped < STOP_SECONDS, log.read_text()[-3000:]
