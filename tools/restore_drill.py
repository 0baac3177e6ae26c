"""Restore drill: a backup of the database and the media files is restored and the portal serves it.

On the PostgreSQL server of DATABASE_URL (the same tools as the README's backup procedure):
  1. a source database gets the demonstration data and its quarterly report (PDF in a media folder);
  2. backup: ``pg_dump -Fc`` of the database, ``tar`` of the media folder;
  3. restore: ``pg_restore`` into a new database, the archive unpacked into a new media folder;
  4. gunicorn starts on the restored database and media, and a DGS account signs in, opens a project page
     and downloads the report, which must be the very PDF of the source.
Both databases and the temporary folder are removed at the end, whatever happened. Prints each step's
duration and the total; exits non-zero when the drill fails.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python tools/restore_drill.py
"""

from __future__ import annotations

import hashlib
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DEMO_PASSWORD = "Demo-Innovation-2026"  # noqa: S105 (the public password of the demonstration accounts)

# What the source database must tell about itself for the checks after the restore.
FACTS = """
import hashlib, json
from portfolio.models import Project
from reports.models import Report
project = Project.objects.order_by("pk").first()
report = Report.objects.filter(status=Report.Status.DONE).order_by("pk").first()
print(json.dumps({"project": project.pk, "title": project.title, "report": report.pk,
                  "sha256": hashlib.sha256(report.file.read()).hexdigest()}))
"""
# The demonstration's report, produced here instead of by a worker.
PRODUCE_REPORTS = """
from reports.models import Report
from reports.services import report_generate
for pk in Report.objects.filter(status=Report.Status.PENDING).values_list("pk", flat=True):
    report_generate(report_id=pk)
"""


class DrillFailed(Exception):
    pass


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("DATABASE_URL must point at PostgreSQL (the drill creates and drops two databases there).")
        return 2
    server = urllib.parse.urlsplit(url)
    suffix = f"{os.getpid()}_{int(time.time())}"
    source, restored = f"drill_source_{suffix}", f"drill_restored_{suffix}"
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="restore-drill-"))
    try:
        drill(server, source, restored, workdir)
    except (DrillFailed, subprocess.CalledProcessError) as error:
        print(f"Restore drill FAILED after {time.monotonic() - started:.1f} s: {error}")
        return 1
    finally:
        for name in (source, restored):
            dropdb = ["dropdb", *pg_args(server), "--if-exists", "--force", name]
            subprocess.run(dropdb, env=pg_env(server), check=False, capture_output=True)
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"Restore drill passed in {time.monotonic() - started:.1f} s.")
    return 0


def drill(server: urllib.parse.SplitResult, source: str, restored: str, workdir: Path) -> None:
    backup = workdir / "backup"
    backup.mkdir()
    source_env = portal_env(server, source, workdir / "source")
    with step("Source database: migrations, demonstration data, quarterly report"):
        run(["createdb", *pg_args(server), source], pg_env(server))
        manage(source_env, "migrate", "--no-input", "-v", "0")
        manage(source_env, "seed_demo")
        manage(source_env, "shell", "-c", PRODUCE_REPORTS)
        facts = json.loads(manage(source_env, "shell", "-c", FACTS).strip().splitlines()[-1])
    with step("Backup: pg_dump of the database, tar of the media files"):
        run(["pg_dump", *pg_args(server), "-Fc", "-f", str(backup / "innovation.dump"), source], pg_env(server))
        run(["tar", "czf", str(backup / "media.tar.gz"), "-C", source_env["MEDIA_ROOT"], "."], os.environ)
    restored_env = portal_env(server, restored, workdir / "restored")
    with step("Restore into a new database and a new media folder"):
        run(["createdb", *pg_args(server), restored], pg_env(server))
        dump = str(backup / "innovation.dump")
        run(["pg_restore", *pg_args(server), "--no-owner", "--no-privileges", "-d", restored, dump], pg_env(server))
        Path(restored_env["MEDIA_ROOT"]).mkdir(parents=True)
        run(["tar", "xzf", str(backup / "media.tar.gz"), "-C", restored_env["MEDIA_ROOT"]], os.environ)
        manage(restored_env, "migrate", "--check")  # the restored schema is complete: nothing left to apply
    with step("The portal serves the restored data: a project page and the report"), serving(restored_env) as base:
        check_served(base, facts)


def check_served(base: str, facts: dict) -> None:
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    login = fetch(browser, f"{base}/comptes/connexion/").decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login)
    if token is None:
        raise DrillFailed("no CSRF token on the sign-in page")
    form = {"csrfmiddlewaretoken": token.group(1), "username": "dgs", "password": DEMO_PASSWORD}
    home = fetch(browser, f"{base}/comptes/connexion/", form).decode()
    if "Direction générale" not in home:
        raise DrillFailed("the DGS demonstration account could not sign in on the restored database")
    page = fetch(browser, f"{base}/projets/{facts['project']}/").decode()
    if facts["title"] not in page.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&"):
        raise DrillFailed(f"the project page does not show « {facts['title']} »")
    pdf = fetch(browser, f"{base}/rapports/{facts['report']}/telecharger/")
    if hashlib.sha256(pdf).hexdigest() != facts["sha256"]:
        raise DrillFailed("the report downloaded is not the PDF of the source")
    print(f"  project {facts['project']} and report {facts['report']} ({len(pdf):,} bytes, same PDF) served")


def fetch(browser: urllib.request.OpenerDirector, url: str, form: dict | None = None) -> bytes:
    data = urllib.parse.urlencode(form).encode() if form else None
    request = urllib.request.Request(url, data=data, headers={"Referer": url})  # noqa: S310 (http://127.0.0.1)
    with browser.open(request, timeout=60) as response:
        return response.read()


@contextmanager
def serving(environ: dict[str, str]) -> Iterator[str]:
    """gunicorn on a free local port, as the compose stack runs it; stopped on the way out."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [GUNICORN, "innovation_portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    server = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def wait_until_up(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise DrillFailed(f"gunicorn stopped: {server.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5):  # noqa: S310 (http://127.0.0.1)
                return
        except OSError:
            time.sleep(0.3)
    raise DrillFailed("the portal did not answer /healthz within 60 s")


def portal_env(server: urllib.parse.SplitResult, database: str, folder: Path) -> dict[str, str]:
    """The portal on ``database``, its files in ``folder``: nothing shared with the caller's environment."""
    leaked = {"DATABASE_URL", "REDIS_URL", "VAR_DIR", "MEDIA_ROOT", "DJANGO_SETTINGS_MODULE", "DEBUG"}
    environ = {key: value for key, value in os.environ.items() if key not in leaked}
    environ.update(
        DATABASE_URL=urllib.parse.urlunsplit(server._replace(path=f"/{database}")),
        VAR_DIR=str(folder / "var"),
        MEDIA_ROOT=str(folder / "media"),
        DJANGO_SETTINGS_MODULE="innovation_portal.settings",
        DEBUG="true",  # the demonstration accounts; static files without collectstatic
    )
    return environ


def pg_args(server: urllib.parse.SplitResult) -> list[str]:
    return ["-h", server.hostname or "127.0.0.1", "-p", str(server.port or 5432), "-U", server.username or "postgres"]


def pg_env(server: urllib.parse.SplitResult) -> dict[str, str]:
    environ = dict(os.environ)
    if server.password:
        environ["PGPASSWORD"] = urllib.parse.unquote(server.password)
    return environ


def manage(environ: dict[str, str], *args: str) -> str:
    return run([PYTHON, "manage.py", *args], environ)


def run(command: list[str], environ: dict[str, str]) -> str:
    result = subprocess.run(command, cwd=ROOT, env=environ, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise DrillFailed(f"{' '.join(command[:3])}… exited with {result.returncode}: {result.stderr[-2000:]}")
    return result.stdout


@contextmanager
def step(title: str) -> Iterator[None]:
    started = time.monotonic()
    print(f"- {title}", flush=True)
    yield
    print(f"  {time.monotonic() - started:.1f} s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
