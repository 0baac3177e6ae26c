"""Plotly figures of the portfolio, defined once for the pages and the PDF reports."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from common.charts import ACCENT, PRIMARY, SECONDARY, figure_json, plot_text, separators
from portfolio.effort import Quadrant
from portfolio.models import Indicator


def indicator_figure(indicator: Indicator) -> dict[str, Any]:
    """Measured values over time, with the baseline and the target as reference lines."""
    measurements = list(indicator.measurements.all())
    unit = plot_text(indicator.unit)
    figure = go.Figure(
        go.Scatter(
            x=[m.measured_on.isoformat() for m in measurements],
            y=[float(m.value) for m in measurements],
            mode="lines+markers",
            name=_("Mesures"),
            line={"color": PRIMARY, "width": 3},
            marker={"size": 9},
        )
    )
    for value, label, dash in ((indicator.baseline, _("Départ"), "dot"), (indicator.target, _("Cible"), "dash")):
        if value is not None:
            figure.add_hline(
                y=float(value),
                line_dash=dash,
                line_color=ACCENT,
                annotation_text=f"{label} : {number_format(value)} {unit}".strip(),
                annotation_position="top left",
            )
    figure.update_layout(
        title={"text": plot_text(indicator.name)},
        yaxis_title=unit,
        separators=separators(),
        margin={"l": 50, "r": 20, "t": 50, "b": 40},
        height=320,
        showlegend=False,
        plot_bgcolor="#ffffff",
        xaxis={"gridcolor": "#e5e7eb"},
        yaxis={"gridcolor": "#e5e7eb"},
    )
    return figure_json(figure)


# --- The portfolio map (docs/carte-du-portefeuille.md) -----------------------------------------------------------

NATURE_COLOURS = {"managerial": PRIMARY, "societal": ACCENT}
PHASE_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "star"]  # by the phase's order
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
SPREAD = 0.38  # how far from its cell's centre a bubble may go: never into the next value or effort


def spread_in_cells(points: Sequence[dict[str, Any]]) -> list[tuple[float, float]]:
    """Where to draw each point (its ``effort``, ``value``), so that several at the same value and effort do not
    hide one another: the points of a cell are laid on a sunflower spiral around its centre, in the order of
    their ``pk``, within ``SPREAD``. The same data always gives the same drawing (no random jitter), and a
    bubble stays inside its cell, so its value and effort still read on the axes."""
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, point in sorted(enumerate(points), key=lambda item: item[1]["pk"]):
        cells[(point["effort"], point["value"])].append(index)
    places: list[tuple[float, float]] = [(0.0, 0.0)] * len(points)
    for (effort, value), members in cells.items():
        for rank, index in enumerate(members):
            if len(members) == 1:
                places[index] = (float(effort), float(value))
                continue
            radius = SPREAD * math.sqrt((rank + 0.5) / len(members))
            angle = rank * GOLDEN_ANGLE
            # Three decimals are a thousandth of a cell: finer would only weigh on the page (500 points).
            places[index] = (
                round(effort + radius * math.cos(angle), 3),
                round(value + radius * math.sin(angle), 3),
            )
    return places


def _bubble_pixels(count: int) -> float:
    """The largest bubble's diameter: smaller as the map fills, so that 500 projects stay apart."""
    return max(14.0, min(44.0, 300 / math.sqrt(max(count, 1))))


def portfolio_map_figure(
    points: Sequence[dict[str, Any]], *, high_value_from: int, high_effort_from: int, title: str
) -> dict[str, Any]:
    """Value (1 to 5) against effort (1 to 5), a bubble per project: its area follows the estimated cost, its
    colour the nature, its symbol the phase; the four quadrants are named. Each point is a dict of plain data:
    ``pk``, ``title``, ``url``, ``nature``, ``nature_label``, ``phase_order``, ``phase_label``, ``value``,
    ``effort``, ``cost`` (euros) and ``quadrant_label``."""
    places = spread_in_cells(points)
    largest = max((float(p["cost"] or 0) for p in points), default=0) or 1
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for index, point in enumerate(points):
        groups[(point["nature"], point["phase_order"])].append(index)
    traces = []
    for (nature, order), members in sorted(groups.items()):
        first = points[members[0]]
        traces.append(
            go.Scatter(
                x=[places[i][0] for i in members],
                y=[places[i][1] for i in members],
                mode="markers",
                name=plot_text(f"{first['nature_label']} · {first['phase_label']}"),
                showlegend=False,  # the legend names the colours and the symbols apart (``_legend``)
                customdata=[points[i]["url"] for i in members],
                text=[_hover(points[i]) for i in members],
                hovertemplate="%{text}<extra></extra>",
                marker={
                    "color": NATURE_COLOURS.get(nature, SECONDARY),
                    "symbol": PHASE_SYMBOLS[(order - 1) % len(PHASE_SYMBOLS)],
                    "size": [max(float(points[i]["cost"] or 0), 0) for i in members],
                    "sizemode": "area",
                    "sizeref": 2 * largest / _bubble_pixels(len(points)) ** 2,
                    "sizemin": 5,
                    "opacity": 0.75,
                    "line": {"color": "#ffffff", "width": 1},
                },
            )
        )
    figure = go.Figure([*traces, *_legend(points)])
    _quadrants(figure, high_value_from - 0.5, high_effort_from - 0.5)
    axis = {"range": [0.4, 5.6], "tickvals": [1, 2, 3, 4, 5], "zeroline": False, "gridcolor": "#e5e7eb"}
    figure.update_layout(
        title={"text": plot_text(title)},
        xaxis={**axis, "title": _("Effort (calculé, de 1 léger à 5 lourd)")},
        yaxis={**axis, "title": _("Valeur attendue (de 1 à 5)")},
        separators=", ",
        height=560,
        margin={"l": 60, "r": 20, "t": 90, "b": 50},
        plot_bgcolor="#ffffff",
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
        hoverlabel={"align": "left"},
    )
    return figure_json(figure)


def _legend(points: Sequence[dict[str, Any]]) -> list[go.Scatter]:
    """Legend entries without points: each nature's colour, then each phase's symbol (six short entries rather
    than one per nature and phase)."""
    natures = {p["nature"]: p["nature_label"] for p in points}
    phases = {p["phase_order"]: p["phase_label"] for p in points}
    entries = [
        ({"color": NATURE_COLOURS.get(code, SECONDARY), "symbol": "circle"}, label)
        for code, label in sorted(natures.items())
    ]
    entries += [
        ({"color": SECONDARY, "symbol": PHASE_SYMBOLS[(order - 1) % len(PHASE_SYMBOLS)]}, label)
        for order, label in sorted(phases.items())
    ]
    return [
        go.Scatter(x=[None], y=[None], mode="markers", name=plot_text(label), marker={**marker, "size": 11})
        for marker, label in entries
    ]


def _hover(point: dict[str, Any]) -> str:
    # Short: the phase and nature read from the symbol and colour, the quadrant from the corner.
    return _("%(title)s<br>valeur %(value)s · effort %(effort)s") % {
        "title": plot_text(point["title"]),
        "value": point["value"],
        "effort": point["effort"],
    }


def _quadrants(figure: go.Figure, value_cut: float, effort_cut: float) -> None:
    """The two cuts, the quick wins' corner tinted, and the four names in the corners."""
    figure.add_shape(
        type="rect", x0=0.4, x1=effort_cut, y0=value_cut, y1=5.6, fillcolor="#e8f3ec", line={"width": 0}, layer="below"
    )
    for line in (
        {"x0": effort_cut, "x1": effort_cut, "y0": 0.4, "y1": 5.6},
        {"x0": 0.4, "x1": 5.6, "y0": value_cut, "y1": value_cut},
    ):
        figure.add_shape(type="line", line={"color": "#4b5563", "dash": "dash", "width": 1}, layer="below", **line)
    corners = [
        (Quadrant.QUICK_WINS, 0.45, 5.55, "left", "top"),
        (Quadrant.STRATEGIC_BETS, 5.55, 5.55, "right", "top"),
        (Quadrant.SMALL_STEPS, 0.45, 0.45, "left", "bottom"),
        (Quadrant.RECONSIDER, 5.55, 0.45, "right", "bottom"),
    ]
    for quadrant, x, y, xanchor, yanchor in corners:
        figure.add_annotation(
            x=x,
            y=y,
            text=plot_text(quadrant.label),  # no <b>: plotly.js would set it as an inline style, which the CSP refuses
            showarrow=False,
            xanchor=xanchor,
            yanchor=yanchor,
            font={"color": "#1e1e1e", "size": 14},
            bgcolor="rgba(255,255,255,0.8)",
        )
