"""How long and how thick the quarterly report gets with many projects.

    .venv/bin/python bench/report_pages.py [PROJECTS] [--png DIR]

In a throw-away SQLite portal (under a temporary VAR_DIR): the demo data, the report of the last
complete quarter (the reference, measured in the same run), then PROJECTS more projects spread over
the phases with dated gate decisions, and the same report again. Prints, for both, the seconds to
render, the number of pages and the size of the PDF with its attached CSV lists; with --png, writes
every page of the big report as PNG (pdftoppm) to look at.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="report-pages-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovation_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from bench.data import load_projects  # noqa: E402
from portfolio.models import Project  # noqa: E402
from reports import services  # noqa: E402
from reports.quarters import Quarter  # noqa: E402


def render(quarter: Quarter) -> tuple[float, Path]:
    report, _new = services.report_request(quarter=quarter, direction=None, requested_by=None, new=True)
    started = time.perf_counter()
    services.report_generate(report_id=report.pk)
    elapsed = time.perf_counter() - started
    report.refresh_from_db()
    return elapsed, services.final_path(report)


def describe(label: str, seconds: float, path: Path) -> int:
    reader = PdfReader(path)
    pages = len(reader.pages)
    attached = sum(len(files[0]) for files in reader.attachments.values())
    print(
        f"{label}: {seconds:.2f} s, {pages} pages, {path.stat().st_size / 1024:.0f} KiB "
        f"(of which {attached / 1024:.0f} KiB of attached CSV lists)"
    )
    return pages


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1000
    png = Path(sys.argv[sys.argv.index("--png") + 1]) if "--png" in sys.argv else None
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    quarter = Quarter.containing(timezone.localdate()).previous()
    reference_time, reference = render(quarter)
    load_projects(count)
    big_time, big = render(quarter)
    reference_pages = describe(
        f"reference, demo data ({Project.objects.count() - count} projects)", reference_time, reference
    )
    big_pages = describe(f"ours, demo + {count} projects", big_time, big)
    print(f"ratio: {big_time / reference_time:.2f} × the time, {big_pages / reference_pages:.2f} × the pages")
    if png:
        png.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(big), str(png / "page")], check=True)
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(reference), str(png / "demo")], check=True)
        print(f"pages as PNG in {png}")
    services.stop_chart_renderer() if hasattr(services, "stop_chart_renderer") else None


if __name__ == "__main__":
    main()
