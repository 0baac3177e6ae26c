"""Plotly figures of the survey results, defined once for the pages and the reports.

Each figure sits beside a data table that holds the same figures, so the charts are an
addition for sighted readers, never the only way to the data.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common.charts import ACCENT, PRIMARY, SECONDARY, figure_json, plot_text, separators
from surveys.results import QuestionResult, Results, SectionResult

BAR_HEIGHT = 34
RADAR_MIN_AXES = 3


def _layout(figure: go.Figure, *, height: int, x_title: str, x_range: list[float]) -> None:
    figure.update_layout(
        barmode="group",
        separators=separators(),
        height=height,
        margin={"l": 10, "r": 20, "t": 40, "b": 40},
        plot_bgcolor="#ffffff",
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        xaxis={"title": x_title, "range": x_range, "gridcolor": "#e5e7eb"},
        yaxis={"automargin": True, "autorange": "reversed"},
    )


def _wrap(label: str, width: int = 40) -> str:
    """Long labels broken over lines (Plotly reads <br>), after escaping the text."""
    words, lines, line = plot_text(label).split(), [], ""
    for word in words:
        if line and len(line) + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def question_figure(result: QuestionResult, compared: str | None) -> dict[str, Any]:
    """The collectivité's percentages, with the national ones where published and a compared campaign."""
    labels = [_wrap(row.label) for row in result.rows]
    figure = go.Figure(
        go.Bar(
            y=labels,
            x=[row.percent or 0 for row in result.rows],
            orientation="h",
            name=_("Collectivité"),
            marker_color=PRIMARY,
        )
    )
    if result.national_percents:
        national = [
            float(row.national.percent) if row.national and row.national.percent is not None else None
            for row in result.rows
        ]
        figure.add_bar(y=labels, x=national, orientation="h", name=_("National"), marker_color=ACCENT)
    if compared and result.compare_base:
        figure.add_bar(
            y=labels,
            x=[row.compare_percent for row in result.rows],
            orientation="h",
            name=plot_text(compared),
            marker_color=SECONDARY,
        )
    traces = len(figure.data)
    _layout(figure, height=90 + BAR_HEIGHT * traces * len(labels), x_title=_("% des répondants"), x_range=[0, 100])
    return figure_json(figure)


def section_figure(section: SectionResult) -> dict[str, Any]:
    """Mean score of each item of a 5-point-scale section."""
    items = section.scale_questions
    labels = [_wrap(f"{r.question.code}. {r.question.localized_text}", 50) for r in items]
    figure = go.Figure(
        go.Bar(y=labels, x=[r.mean for r in items], orientation="h", name=_("Note moyenne"), marker_color=PRIMARY)
    )
    _layout(figure, height=90 + BAR_HEIGHT * len(labels), x_title=_("Note moyenne (1 à 5)"), x_range=[1, 5])
    figure.update_layout(showlegend=False)
    return figure_json(figure)


def radar_figure(families: list[SectionResult]) -> dict[str, Any]:
    """Mean score of each family of determinants (environmental, internal, innovation-specific)."""
    shown = [f for f in families if f.mean is not None]
    theta = [_wrap(str(f.section.localized_title), 16) for f in shown]
    figure = go.Figure(
        go.Scatterpolar(
            r=[f.mean for f in shown] + [shown[0].mean],
            theta=[*theta, theta[0]],
            fill="toself",
            name=_("Collectivité"),
            line={"color": PRIMARY},
        )
    )
    figure.update_layout(
        separators=separators(),
        height=380,
        margin={"l": 110, "r": 110, "t": 40, "b": 40},
        polar={
            "angularaxis": {"rotation": 90, "direction": "clockwise"},
            "radialaxis": {"range": [1, 5], "tickvals": [1, 2, 3, 4, 5], "angle": 90, "tickangle": 90},
        },
        showlegend=False,
    )
    return figure_json(figure)


def results_figures(results: Results) -> list[tuple[str, dict[str, Any]]]:
    """Sets ``figure_id`` on each charted result and returns the (id, figure) pairs the page embeds."""
    compared = results.compared.title if results.compared and not results.compare_suppressed else None
    figures: list[tuple[str, dict[str, Any]]] = []
    for section in results.sections:
        for result in section.questions:
            if result.rows and result.question.has_choices and result.base and not result.suppressed:
                result.figure_id = f"figure-{slugify(result.question.code)}"
                figures.append((result.figure_id, question_figure(result, compared)))
        if section.scale_questions:
            section.figure_id = f"figure-section-{slugify(section.section.code)}"
            figures.append((section.figure_id, section_figure(section)))
    # A radar needs three axes; with fewer families shown (the others hidden) the table says it all.
    if sum(f.mean is not None for f in results.families) >= RADAR_MIN_AXES:
        results.radar_id = "figure-determinants"
        figures.append((results.radar_id, radar_figure(results.families)))
    return figures
