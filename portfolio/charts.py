"""Plotly figures of the portfolio, defined once for the pages and the PDF reports."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from common.charts import ACCENT, PRIMARY, figure_json, plot_text, separators
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
