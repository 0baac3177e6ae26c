"""Helpers shared by tests and scripts that start the portal in subprocesses."""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent

# Debian's chromium, as the browser tests and the page-weight bench start it: without the background
# networking flags, its connections are refused by closed networks, many at a time.
CHROMIUM = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def clean_environ(**overrides: str) -> dict[str, str]:
    """The environment for a subprocess of the portal: no variable of this test run leaks into it."""
    leaked = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    environ = {key: value for key, value in os.environ.items() if key not in leaked}
    environ["DJANGO_SETTINGS_MODULE"] = "innovation_portal.settings"
    environ.update(overrides)
    return environ


def manage(env: dict[str, str], *args: str, timeout: int = 300) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip()


def run_name() -> str:
    """A name of this test process that no other test process beside it shares: the name of its database (each
    copy of the suite runs on its own) and its pytest-xdist worker. The portals a test starts take their
    PostgreSQL database and their Redis keys under it, so two copies of the suite, or two workers of one, never
    read each other's rows or take each other's tasks."""
    url = os.environ.get("DATABASE_URL", "")
    checkout = hashlib.sha1(str(ROOT).encode()).hexdigest()[:8]  # noqa: S324 (a name, not a secret)
    database = urlsplit(url).path.lstrip("/") if url.startswith("postgres") else f"sqlite_{checkout}"
    return f"{database}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def fresh_postgres_database(url: str, name: str) -> str:
    """Drops and creates database ``name`` on the server of ``url``; returns the URL of the new database."""
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def portal_stack(var_dir: Path, database: str = "innovation_worker") -> dict[str, str]:
    """Environment of a separate portal: SQLite and the embedded broker under ``var_dir`` by default, or a
    fresh PostgreSQL database and Redis when this run has DATABASE_URL / REDIS_URL (as in CI). The database
    and the Redis keys are this test process's own (``run_name``)."""
    extra = {"VAR_DIR": str(var_dir)}
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        extra["DATABASE_URL"] = fresh_postgres_database(os.environ["DATABASE_URL"], f"{database}_{run_name()}")
    if os.environ.get("REDIS_URL"):
        extra["REDIS_URL"] = os.environ["REDIS_URL"]
        extra["REDIS_KEY_PREFIX"] = f"{run_name()}:{database}:"
    return clean_environ(**extra)


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    """A real Celery worker (prefork, one child), in its own process group so it can be killed whole."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "innovation_portal",
            "worker",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def openpyxl_workbook(title: str, header: list[str], rows: list[list[object]]) -> bytes:
    """The export's workbook as openpyxl writes it cell by cell (``common.exports`` before its rows were
    written as text): the reference the XLSX exports are compared with."""
    import datetime
    import io
    from decimal import Decimal

    from django.utils import timezone
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from common.exports import neutralise

    def cell(sheet: object, value: object) -> object:
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            styled = WriteOnlyCell(sheet, value=local.replace(tzinfo=None))
            styled.number_format = "DD/MM/YYYY HH:MM"
            return styled
        if isinstance(value, datetime.date):
            styled = WriteOnlyCell(sheet, value=value)
            styled.number_format = "DD/MM/YYYY"
            return styled
        if isinstance(value, (int, float, Decimal)):
            return value
        return neutralise(str(value))

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(len(str(name)) + 4, 40))
    sheet.freeze_panes = "A2"
    titles = []
    for name in header:
        titles.append(WriteOnlyCell(sheet, value=neutralise(str(name))))
        titles[-1].font = Font(bold=True)
    sheet.append(titles)
    for row in rows:
        sheet.append([cell(sheet, value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def purge_broker(env: dict[str, str]) -> None:
    """Empties the task queue of the portal's broker."""
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "innovation_portal", "purge", "--force"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def worker_child(worker_pid: int) -> int:
    """The pid of the pool process of a worker started by ``start_worker`` (one child): the one running tasks."""
    children = subprocess.run(["pgrep", "-P", str(worker_pid)], capture_output=True, text=True).stdout.split()
    pythons = [int(pid) for pid in children if "chrom" not in Path(f"/proc/{pid}/comm").read_text()]
    if len(pythons) != 1:
        raise AssertionError(f"expected one pool process under worker {worker_pid}, found {pythons}")
    return pythons[0]


def stop_worker(worker: subprocess.Popen) -> None:
    """Stops a worker started by ``start_worker``: a warm shutdown, then a kill if a busy machine keeps it
    finishing its task for more than a minute (what the tests check is done by then)."""
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
