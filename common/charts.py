"""Helpers for Plotly figures shared by the apps' chart definitions."""

import json
from html import escape
from typing import Any

import plotly.graph_objects as go

PRIMARY = "#1b3a6b"
ACCENT = "#b34700"
SECONDARY = "#6b7280"


def plot_text(text: object) -> str:
    """User text for a Plotly label: Plotly reads a few HTML tags in labels, so they are escaped."""
    return escape(str(text), quote=False)


def figure_json(figure: go.Figure) -> dict[str, Any]:
    """A plain dict that the ``json_script`` filter embeds safely in a page (see static/js/charts.js)."""
    figure_dict: dict[str, Any] = json.loads(figure.to_json())  # Plotly's JSON
    return figure_dict


def wrapped(text: object, width: int = 22) -> str:
    """An escaped label broken into lines of about ``width`` characters (Plotly's <br>), for long category names."""
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(plot_text(part) for part in lines if part)
