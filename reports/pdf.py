"""HTML to PDF with WeasyPrint, reading nothing but our own static files."""

from __future__ import annotations

import io
import logging
import mimetypes
from collections.abc import Sequence
from pathlib import Path

from django.contrib.staticfiles import finders
from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)


class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint has no type information
    """Serves ``static:path`` from our static files and ``data:`` URIs; refuses everything else.

    A URL that slipped into a report (a project text, a chart label) can therefore
    neither read a local file nor reach the network. Refused URLs are kept in
    ``refused`` so tests and logs can show them.
    """

    def __init__(self) -> None:
        super().__init__(timeout=1, allowed_protocols={"data", "static"})
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("static:"):
            relative = url.removeprefix("static:").lstrip("/")
            found = finders.find(relative) if ".." not in Path(relative).parts else None
            if found:
                content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
                return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": content_type})
        self.refused.append(url)
        logger.warning("PDF rendering refused to fetch %s", url)
        raise ValueError(f"Only our static files may be read: {url}")


def html_to_pdf(html: str, target: Path, *, attachments: Sequence[tuple[str, str, str]] = ()) -> StaticOnlyFetcher:
    """Writes the PDF to ``target`` as PDF/UA-1 (tagged, for screen readers), with ``attachments``
    (name, description, text) embedded as files; returns the fetcher with what it refused."""
    fetcher = StaticOnlyFetcher()
    files = [
        Attachment(file_obj=io.BytesIO(text.encode("utf-8")), name=name, description=description)
        for name, description, text in attachments
    ]
    HTML(string=html, base_url="static:/", url_fetcher=fetcher).write_pdf(
        target, pdf_variant="pdf/ua-1", pdf_tags=True, attachments=files
    )
    return fetcher
