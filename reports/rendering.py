"""Charts as SVG for the PDFs: Plotly through kaleido, with one warm browser per worker process.

Kaleido drives a headless Chromium (Debian's, found through BROWSER_PATH). Starting it
costs about two seconds; each worker process starts it once when it boots and keeps it
for every report it renders.
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from typing import Any

import kaleido
import plotly.graph_objects as go
from celery.signals import worker_process_init, worker_process_shutdown
from django.conf import settings

logger = logging.getLogger(__name__)
_lock = threading.Lock()


def start_chart_renderer() -> None:
    """Starts this process's kaleido server (idempotent)."""
    os.environ.setdefault("BROWSER_PATH", settings.BROWSER_PATH)
    with _lock:
        kaleido.start_sync_server(silence_warnings=True)


def stop_chart_renderer() -> None:
    with _lock:
        kaleido.stop_sync_server(silence_warnings=True)


@worker_process_init.connect  # type: ignore[untyped-decorator]  # celery has no type information
def _warm_up(**_kwargs: object) -> None:
    try:
        start_chart_renderer()
    except Exception:  # the report task says so if charts cannot be drawn; the worker itself must start
        logger.exception("Could not start the chart renderer (kaleido) in this worker process")


@worker_process_shutdown.connect  # type: ignore[untyped-decorator]  # celery has no type information
def _shut_down(**_kwargs: object) -> None:
    stop_chart_renderer()


def figure_svg(figure: dict[str, Any], *, width: int = 760, height: int = 320) -> str:
    """The figure (as stored for the pages: a plain dict) drawn as an SVG document, as tall as its layout asks."""
    height = figure.get("layout", {}).get("height", height)
    start_chart_renderer()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The kopts argument is ignored")  # the warm server has its own
        svg: bytes = go.Figure(figure).to_image(format="svg", width=width, height=height)
    return svg.decode("utf-8")
