"""Helpers for Plotly figures shared by the apps' chart definitions."""

import json
from html import escape

import plotly.graph_objects as go

PRIMARY = "#1b3a6b"
ACCENT = "#b34700"
SECONDARY = "#6b7280"


def plot_text(text: object) -> str:
    """User text for a Plotly label: Plotly reads a few HTML tags in labels, so they are escaped."""
    return escape(str(text), quote=False)


def figure_json(figure: go.Figure) -> dict:
    """A plain dict that the ``json_script`` filter embeds safely in a page (see static/js/charts.js)."""
    return json.loads(figure.to_json())
