"""What the pages with charts weigh in a cold browser, and how soon their first chart shows.

    .venv/bin/python bench/page_weight.py [--runs N]

Starts a production-like portal in a throw-away folder (temporary VAR_DIR with SQLite, DEBUG=false,
collectstatic, gunicorn on 127.0.0.1:8392, static files served by whitenoise), loads the demo data
and signs in as the DGS. Then headless Chromium (Debian's) opens each page in a new browser context,
so with an empty cache, and reports:

- the bytes transferred (headers and bodies as received, compressed where the server compressed);
- the milliseconds from the start of the navigation to the first chart drawn and painted (Plotly's
  SVG in a ``[data-figure]`` element; the page is scrolled to that chart as soon as it is parsed,
  as a reader going straight to it), and to the page's ``load`` event.

The reference, measured in the same run, is the sign-in page: the lightest page a person sees
(the portal's stylesheet and icon). Each ratio is page / reference. With --runs N, each page is
opened N times and the median is kept.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PYTHON = sys.executable
PORT = 8392
BASE = f"http://127.0.0.1:{PORT}"
# Set before the page's own scripts run: the time the first chart's SVG is in the page, then painted.
# The reader goes straight to the first chart (the project page's is below the fold).
FIRST_CHART_PROBE = """
(() => {
  document.addEventListener("DOMContentLoaded", () => {
    const first = document.querySelector("[data-figure]");
    if (first) { first.scrollIntoView({block: "center"}); }
  });
  const found = () => document.querySelector("[data-figure] .main-svg");
  const observer = new MutationObserver(() => {
    if (window.__firstChart === undefined && found()) {
      window.__firstChart = null;
      observer.disconnect();
      requestAnimationFrame(() => { window.__firstChart = performance.now(); });
    }
  });
  observer.observe(document, {childList: true, subtree: true});
})();
"""
TARGET_BYTES = 1_500_000
TARGET_FIRST_CHART_MS = 1500


@dataclass
class Measure:
    bytes: int
    requests: int
    first_chart_ms: float | None
    load_ms: float
    html_ms: float  # the page's HTML received: the server's share of the time


def portal_environment(var_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        VAR_DIR=str(var_dir),
        STATIC_ROOT=str(var_dir / "static"),
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on the loopback: no redirect to HTTPS, cookies sent without TLS.
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return done.stdout


def prepare(env: dict[str, str]) -> tuple[str, str, str]:
    """Database, demo data, static files; returns the paths of a project page with indicators and of
    the demo survey's results, and the demo password."""
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "seed_demo", "--force")
    manage(env, "collectstatic", "--no-input", "-v", "0")
    found = (
        manage(
            env,
            "shell",
            "-c",
            "from accounts.demo import DEMO_PASSWORD; from portfolio.models import Indicator; "
            "from surveys.demo import SLUG; "
            "i = Indicator.objects.filter(measurements__isnull=False).order_by('project_id').first(); "
            "print(i.project_id, SLUG, DEMO_PASSWORD)",
        )
        .splitlines()[-1]
        .split()
    )  # the last line: the shell may announce its automatic imports first
    return f"/projets/{found[0]}/", f"/enquetes/{found[1]}/resultats/", found[2]


def start_server(env: dict[str, str]) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            *(PYTHON, "-m", "gunicorn", "innovation_portal.wsgi"),
            *("--bind", f"127.0.0.1:{PORT}", "--workers", "2", "--threads", "4", "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{BASE}/comptes/connexion/", timeout=2):  # noqa: S310 - our http URL
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn stopped at start") from None
            time.sleep(0.3)
    server.send_signal(signal.SIGTERM)
    raise SystemExit("gunicorn did not answer within 30 s")


def sign_in(browser, username: str, password: str) -> dict:  # noqa: ANN001
    context = browser.new_context(base_url=BASE, locale="fr-FR")
    page = context.new_page()
    page.goto("/comptes/connexion/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    if "/comptes/connexion/" in page.url:
        raise SystemExit("sign-in failed")
    state = context.storage_state()
    context.close()
    return state


def measure(browser, path: str, state: dict | None, *, chart: bool) -> Measure:  # noqa: ANN001
    """One cold load: a new context has its own empty cache."""
    context = browser.new_context(
        base_url=BASE, locale="fr-FR", viewport={"width": 1280, "height": 900}, storage_state=state
    )
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    received: dict[str, int] = {}  # bytes on the wire (headers and encoded body) per request

    def finished(event: dict) -> None:
        received[event["requestId"]] = event["encodedDataLength"]

    cdp.on("Network.loadingFinished", finished)
    page.add_init_script(FIRST_CHART_PROBE)
    page.goto(path, wait_until="load")
    first_chart = None
    if chart:
        page.wait_for_function("typeof window.__firstChart === 'number'", timeout=60_000)
        first_chart = page.evaluate("window.__firstChart")
    load, html = page.evaluate("(([n]) => [n.loadEventEnd, n.responseEnd])(performance.getEntriesByType('navigation'))")
    page.wait_for_timeout(300)  # late requests (fonts, images drawn by the charts) are counted too
    context.close()
    return Measure(sum(received.values()), len(received), first_chart, load, html)


def median_of(runs: list[Measure]) -> Measure:
    charts = [m.first_chart_ms for m in runs if m.first_chart_ms is not None]
    return Measure(
        int(statistics.median(m.bytes for m in runs)),
        int(statistics.median(m.requests for m in runs)),
        statistics.median(charts) if charts else None,
        statistics.median(m.load_ms for m in runs),
        statistics.median(m.html_ms for m in runs),
    )


def report(name: str, ours: Measure, reference: Measure) -> None:
    chart = "—" if ours.first_chart_ms is None else f"{ours.first_chart_ms:7.0f}"
    ratio_time = "" if ours.first_chart_ms is None else f"  {ours.first_chart_ms / reference.load_ms:5.1f} ×"
    print(
        f"{name:<22} {ours.bytes / 1000:9.1f} kB {ours.requests:4d} req  {ours.bytes / reference.bytes:6.1f} ×"
        f"   html {ours.html_ms:5.0f} ms   first chart {chart} ms   load {ours.load_ms:6.0f} ms{ratio_time}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="loads of each page; the median is kept")
    runs = parser.parse_args().runs
    from playwright.sync_api import sync_playwright

    var_dir = Path(tempfile.mkdtemp(prefix="page-weight-"))
    env = portal_environment(var_dir)
    server = None
    try:
        project, survey, password = prepare(env)
        server = start_server(env)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            state = sign_in(browser, "dgs", password)
            pages = [("dashboard", "/tableaux-de-bord/"), ("project", project), ("survey results", survey)]
            reference = median_of([measure(browser, "/comptes/connexion/", None, chart=False) for _ in range(runs)])
            print(f"cold cache, median of {runs} loads; reference: the sign-in page\n")
            report("reference (sign-in)", reference, reference)
            results = {}
            for name, path in pages:
                results[name] = median_of([measure(browser, path, state, chart=True) for _ in range(runs)])
                report(f"{name} {path}"[:22], results[name], reference)
            browser.close()
        dashboard = results["dashboard"]
        print(
            f"\ndashboard targets: ≤ {TARGET_BYTES / 1e6:.1f} MB transferred "
            f"({'met' if dashboard.bytes <= TARGET_BYTES else 'MISSED'}), "
            f"first chart ≤ {TARGET_FIRST_CHART_MS} ms "
            f"({'met' if (dashboard.first_chart_ms or 1e9) <= TARGET_FIRST_CHART_MS else 'MISSED'})"
        )
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
