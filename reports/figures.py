"""The Plotly figures of the dashboards and the quarterly PDF, defined once.

Each builder takes plain data and returns a ``Chart``: the figure (a JSON-ready dict
for the pages, drawn as SVG for the PDFs) and the same data as a table, shown beside
the chart for screen readers and in the PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from common.charts import ACCENT, PRIMARY, SECONDARY, figure_json, plot_text, wrapped

FONT = {"family": "DejaVu Sans, Liberation Sans, Arial, sans-serif", "size": 13, "color": "#1e1e1e"}


@dataclass
class Chart:
    key: str
    title: str
    figure: dict
    headers: list[str]
    rows: list[list[object]]
    note: str = ""
    svg: str = field(default="", repr=False)


def _layout(figure: go.Figure, title: str, *, height: int = 340, **extra: object) -> dict:
    figure.update_layout(
        title={"text": plot_text(title), "x": 0, "xanchor": "left", "font": {"size": 16}},
        font=FONT,
        separators=", ",
        height=height,
        margin={"l": 60, "r": 20, "t": 60, "b": 60},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        legend={"orientation": "h", "y": -0.2},
        **extra,
    )
    figure.update_xaxes(gridcolor="#e5e7eb", automargin=True)
    figure.update_yaxes(gridcolor="#e5e7eb", automargin=True)
    return figure_json(figure)


def _count_axis(values: Sequence[float]) -> dict:
    """An axis of counts: whole numbers only, from zero."""
    axis = {"tickformat": "d", "rangemode": "tozero"}
    if max(values, default=0) <= 10:
        axis["dtick"] = 1
    return axis


def funnel(key: str, title: str, labels: Sequence[str], values: Sequence[int]) -> Chart:
    figure = go.Figure(
        go.Funnel(
            y=[plot_text(x) for x in labels],
            x=list(values),
            marker={"color": PRIMARY},
            textinfo="value+percent initial",
        )
    )
    return Chart(
        key,
        title,
        _layout(figure, title),
        [_("Phase"), _("Projets")],
        [[label, value] for label, value in zip(labels, values, strict=True)],
    )


def bars(
    key: str, title: str, labels: Sequence[str], values: Sequence[float], *, unit: str = "", horizontal: bool = True
) -> Chart:
    texts = [wrapped(x, 40) for x in labels]
    bar = go.Bar(y=texts, x=list(values), orientation="h") if horizontal else go.Bar(x=texts, y=list(values))
    bar.marker = {"color": PRIMARY}
    figure = go.Figure(bar)
    height = max(260, 80 + 40 * len(labels)) if horizontal else 340
    if horizontal:
        figure.update_yaxes(autorange="reversed")
    return Chart(
        key,
        title,
        _layout(figure, title, height=height),
        [_("Catégorie"), unit or _("Nombre")],
        [[label, value] for label, value in zip(labels, values, strict=True)],
    )


def versus_national(
    key: str,
    title: str,
    labels: Sequence[str],
    local: Sequence[float | None],
    national: Sequence[float | None],
    *,
    local_name: str,
    note: str = "",
) -> Chart:
    """Grouped bars: the collectivité's percentages beside the national reference."""
    texts = [wrapped(x) for x in labels]
    figure = go.Figure(
        [
            go.Bar(
                name=plot_text(local_name),
                x=texts,
                y=list(local),
                marker={"color": PRIMARY},
                text=[f"{v:.0f} %" if v is not None else "" for v in local],
                textposition="outside",
            ),
            go.Bar(
                name=_("Référence nationale"),
                x=texts,
                y=list(national),
                marker={"color": ACCENT},
                text=[f"{v:.0f} %" if v is not None else "" for v in national],
                textposition="outside",
            ),
        ]
    )
    layout = _layout(figure, title, barmode="group", yaxis={"title": "%", "range": [0, 110]})
    rows = [[label, _percent(a), _percent(b)] for label, a, b in zip(labels, local, national, strict=True)]
    return Chart(key, title, layout, [_("Modalité"), local_name, _("Référence nationale")], rows, note)


def timeline(key: str, title: str, months: Sequence[str], values: Sequence[int]) -> Chart:
    figure = go.Figure(go.Bar(x=list(months), y=list(values), marker={"color": PRIMARY}))
    return Chart(
        key,
        title,
        _layout(figure, title, xaxis={"type": "category"}),
        [_("Mois"), _("Passages de phase")],
        [[month, value] for month, value in zip(months, values, strict=True)],
    )


def contests_conversion(key: str, title: str, rows: Sequence[dict]) -> Chart:
    names = [wrapped(row["name"]) for row in rows]
    series = [
        ("submitted", _("Idées déposées"), PRIMARY),
        ("selected", _("Idées retenues"), ACCENT),
        ("projects", _("Devenues projets"), SECONDARY),
    ]
    figure = go.Figure(
        [go.Bar(name=label, x=names, y=[row[k] for row in rows], marker={"color": color}) for k, label, color in series]
    )
    return Chart(
        key,
        title,
        _layout(figure, title, barmode="group"),
        [_("Concours"), *[label for _k, label, _c in series]],
        [[row["name"], row["submitted"], row["selected"], row["projects"]] for row in rows],
    )


def radar(
    key: str,
    title: str,
    axes: Sequence[str],
    values: Sequence[float | None],
    *,
    name: str,
    reference: Sequence[float | None] | None = None,
    reference_name: str = "",
) -> Chart:
    texts = [plot_text(x) for x in axes]
    traces = [
        go.Scatterpolar(
            r=[*values, values[0]],
            theta=[*texts, texts[0]],
            name=plot_text(name),
            line={"color": PRIMARY},
            fill="toself",
        )
    ]
    if reference:
        traces.append(
            go.Scatterpolar(
                r=[*reference, reference[0]],
                theta=[*texts, texts[0]],
                name=plot_text(reference_name),
                line={"color": ACCENT, "dash": "dash"},
            )
        )
    figure = go.Figure(traces)
    layout = _layout(figure, title, polar={"radialaxis": {"range": [0, 5]}})
    headers = [_("Famille"), name, *([reference_name] if reference else [])]
    rows = [
        [axis, value, *([reference[i]] if reference else [])]
        for i, (axis, value) in enumerate(zip(axes, values, strict=True))
    ]
    return Chart(key, title, layout, headers, rows)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} %"
