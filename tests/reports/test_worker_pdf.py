"""A real worker renders the real demo report (kaleido, WeasyPrint) on the configured broker and database:
the embedded ones locally, Redis and PostgreSQL in CI."""

import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.helpers import manage, portal_stack, start_worker, stop_worker


@pytest.fixture(autouse=True)
def _no_chart_browser():
    """Overrides the stub of tests/reports/conftest.py: this test draws the charts for real."""


def test_a_worker_renders_the_demo_report_and_its_text_reads_back(tmp_path):
    env = portal_stack(tmp_path)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "seed_demo")
    log = tmp_path / "worker.log"
    worker = start_worker(env, log)
    try:
        output = manage(env, "make_report", "--quarter", "2026Q3", "--wait", "--timeout", "240").splitlines()
    finally:
        stop_worker(worker)
    path = Path(output[-1])
    assert path.name == "rapport-innovation-2026Q3-collectivite-v1.pdf"
    assert "Version existante renvoyée : v1" in output[0]  # seed_demo requested it; the worker produced it
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Rapport trimestriel de l'innovation" in text
    assert "3e trimestre 2026" in text and "Ville de Bellerive-sur-Loire" in text
    assert "Projets en cours par phase" in text and "Guichet unique des démarches" in text
    assert "Référence nationale" in text
    assert len(reader.pages) >= 8
    assert "reports.tasks.generate_report" in log.read_text()
    broker = "redis" if os.environ.get("REDIS_URL") else "filesystem"
    assert f"Connected to {broker}://" in log.read_text()
