import datetime
from pathlib import Path

import pytest

from reports.pdf import StaticOnlyFetcher, html_to_pdf
from reports.quarters import Quarter


@pytest.mark.parametrize("text", ["2026Q3", "2026q3", "2026-3", "2026T3"])
def test_quarters_are_read_in_several_spellings(text):
    assert Quarter.parse(text) == Quarter(2026, 3)


@pytest.mark.parametrize("text", ["2026Q5", "T3 2026", "", "2026"])
def test_a_wrong_quarter_is_refused_in_french(text):
    with pytest.raises(ValueError, match="n'est pas un trimestre"):
        Quarter.parse(text)


def test_quarter_bounds_and_neighbours():
    q = Quarter(2026, 1)
    assert (q.start, q.end) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert q.previous() == Quarter(2025, 4) and Quarter(2025, 4).next() == q
    assert Quarter.containing(datetime.date(2026, 11, 22)).code == "2026Q4"
    assert Quarter(2026, 3).label() == "3e trimestre 2026"


def test_the_fetcher_serves_our_static_files_and_data_uris():
    fetcher = StaticOnlyFetcher()
    assert b"@page" in fetcher.fetch("static:reports/report.css").read()
    assert fetcher.fetch("data:text/plain;base64,b2s=").read() == b"ok"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.org/a.css",
        "static:../../innovation_portal/settings.py",
        "static:inexistant.css",
        "ftp://127.0.0.1/x",
    ],
)
def test_the_fetcher_refuses_local_files_and_the_network(url):
    fetcher = StaticOnlyFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch(url)


def test_urls_injected_in_a_report_are_not_fetched(tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("mot de passe")
    html = (
        f'<p>Projet</p><img src="file://{secret}"><img src="http://127.0.0.1:9/pixel.png">'
        f'<link rel="stylesheet" href="file:///etc/passwd"><div style="background: url(https://example.org/x)">'
        f"</div>"
    )
    fetcher = html_to_pdf(html, tmp_path / "out.pdf")
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")
    assert set(fetcher.refused) >= {f"file://{secret}", "http://127.0.0.1:9/pixel.png"}
