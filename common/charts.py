"""Helpers for Plotly figures shared by the apps' chart definitions."""

import json
from html import escape
from typing import Any

import plotly.graph_objects as go
from django.utils.formats import get_format, number_format

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


def separators() -> str:
    """Plotly's ``layout.separators`` in the active language, so that a chart writes its numbers as the tables
    beside it do: the decimal separator, then the thousands one (", " in French, ".," in English)."""
    thousands = str(get_format("THOUSAND_SEPARATOR"))
    return str(get_format("DECIMAL_SEPARATOR")) + (" " if thousands.isspace() else thousands)


def localized_number(value: float | None, places: int = 0) -> str:
    """A number rounded to ``places`` decimals, in the active language ("—" for none): "52,6" or "52.6"."""
    if value is None:
        return "—"
    return number_format(round(value, places), places, force_grouping=True)


def percent_text(value: float | None) -> str:
    """A percentage as the charts label it: "53 %" ("—" for none)."""
    return "—" if value is None else f"{localized_number(value)} %"
