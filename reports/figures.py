"""The Plotly figures of the dashboards and the quarterly PDF, defined once.

Each builder takes plain data and returns a ``Chart``: the figure (a JSON-ready dict
for the pages, drawn as SVG for the PDFs) and the same data as a table, shown beside
the chart for screen readers and in the PDF.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.charts import (
    ACCENT,
    PRIMARY,
    SECONDARY,
    figure_json,
    localized_number,
    percent_text,
    plot_text,
    separators,
    wrapped,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FONT = {"family": "DejaVu Sans, Liberation Sans, Arial, sans-serif", "size": 13, "color": "#1e1e1e"}


class PassageRow(TypedDict):
    """A bar of ``passages``: projects that entered a phase, and those of them that moved on."""

    label: str
    entered: int
    moved_on: int
    percent: float | None


@dataclass
class Chart:
    key: str
    title: str
    figure: dict[str, Any]  # Plotly's JSON
    headers: list[str]
    rows: Sequence[Sequence[object]]
    note: str = ""
    svg: str = field(default="", repr=False)
    alt: str = ""  # what the chart shows, in a sentence: the alternative text of its image in the PDF
    links: bool = False  # its points carry the address of a page (customdata), opened by a click


def _layout(figure: go.Figure, title: str, *, height: int = 340, **extra: object) -> dict[str, Any]:
    figure.update_layout(
        title={"text": plot_text(title), "x": 0, "xanchor": "left", "font": {"size": 16}},
        font=FONT,
        separators=separators(),
        height=height,
        margin={"l": 60, "r": 20, "t": 90, "b": 40},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        # Above the plot, under the title: a legend below the axis would run into long category labels.
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
        **extra,
    )
    figure.update_xaxes(gridcolor="#e5e7eb", automargin=True)
    figure.update_yaxes(gridcolor="#e5e7eb", automargin=True)
    return figure_json(figure)


def _count_axis(values: Sequence[float]) -> dict[str, object]:
    """An axis of counts: whole numbers only, from zero."""
    axis: dict[str, object] = {"tickformat": "d", "rangemode": "tozero"}
    if max(values, default=0) <= 10:
        axis["dtick"] = 1
    return axis


def phase_bars(key: str, title: str, labels: Sequence[str], values: Sequence[int], *, note: str = "") -> Chart:
    """Projects per phase, in the phases' order: counts only (a funnel's "percent of the first" means nothing
    here, projects enter the portfolio at different dates)."""
    chart = bars(key, title, labels, values, note=note)
    chart.headers = [_("Phase"), _("Projets")]
    return chart


def passages(key: str, title: str, rows: Sequence[PassageRow], *, note: str = "") -> Chart:
    """Share of the projects that entered a phase and moved on to the next, with its base (never above 100 %)."""
    labels = [wrapped(row["label"], 24) for row in rows]
    figure = go.Figure(
        go.Bar(
            y=labels,
            x=[row["percent"] for row in rows],
            orientation="h",
            marker={"color": PRIMARY},
            text=[_("%(n)s sur %(base)s") % {"n": row["moved_on"], "base": row["entered"]} for row in rows],
            textposition="outside",
            cliponaxis=False,  # "31 sur 35" beside a full bar stays readable
        )
    )
    figure.update_yaxes(autorange="reversed")
    layout = _layout(
        figure, title, height=max(260, 100 + 45 * len(rows)), xaxis={"title": "%", "range": [0, 130]}, showlegend=False
    )
    table = [[row["label"], row["entered"], row["moved_on"], _percent(row["percent"])] for row in rows]
    headers = [_("Passage"), _("Projets entrés dans la phase (base)"), _("Passés à la phase suivante"), _("Taux")]
    findings = [
        ngettext("%(label)s : %(n)s projet sur %(base)s", "%(label)s : %(n)s projets sur %(base)s", r["moved_on"])
        % {"label": r["label"], "n": r["moved_on"], "base": r["entered"]}
        for r in rows
    ]
    alt = _sentence(title, findings) if rows else title
    return Chart(key, title, layout, headers, table, note, alt=alt)


def bars(
    key: str,
    title: str,
    labels: Sequence[StrOrPromise],
    values: Sequence[int],
    *,
    unit: str = "",
    horizontal: bool = True,
    note: str = "",
) -> Chart:
    """Counts per category; the count axis has whole numbers only."""
    texts = [wrapped(x, 24) for x in labels]  # short lines: a phone leaves little room beside the bars
    bar = go.Bar(y=texts, x=list(values), orientation="h") if horizontal else go.Bar(x=texts, y=list(values))
    bar.marker = {"color": PRIMARY}
    figure = go.Figure(bar)
    height = max(260, 110 + 44 * len(labels)) if horizontal else 340
    if horizontal:
        figure.update_yaxes(autorange="reversed")
    axis = {"xaxis" if horizontal else "yaxis": _count_axis(values)}
    return Chart(
        key,
        title,
        _layout(figure, title, height=height, showlegend=False, **axis),
        [_("Catégorie"), unit or _("Nombre")],
        [[label, value] for label, value in zip(labels, values, strict=True)],
        note,
        alt=_counts_finding(title, labels, values),
    )


def _counts_finding(title: str, labels: Sequence[StrOrPromise], values: Sequence[int]) -> str:
    """« Projets par domaine : 12 au total ; le plus grand nombre : Vie locale (5). »"""
    total = sum(values)
    if not total:
        return _("%(title)s : aucun projet.") % {"title": title}
    top = max(range(len(values)), key=lambda i: values[i])
    return _("%(title)s : %(total)s au total ; le plus grand nombre : %(label)s (%(n)s).") % {
        "title": title,
        "total": total,
        "label": labels[top],
        "n": values[top],
    }


def versus_national(
    key: str,
    title: str,
    labels: Sequence[StrOrPromise],
    local: Sequence[float | None],
    national: Sequence[float | None],
    *,
    local_name: str,
    note: str = "",
    national_name: str = "",
) -> Chart:
    """Grouped bars: the collectivité's percentages beside the national reference (or another series)."""
    national_name = national_name or _("Référence nationale")
    texts = [wrapped(x) for x in labels]
    figure = go.Figure(
        [
            go.Bar(
                name=plot_text(local_name),
                x=texts,
                y=list(local),
                marker={"color": PRIMARY},
                text=[percent_text(v) if v is not None else "" for v in local],
                textposition="outside",
            ),
            go.Bar(
                name=plot_text(national_name),
                x=texts,
                y=list(national),
                marker={"color": ACCENT},
                text=[percent_text(v) if v is not None else "" for v in national],
                textposition="outside",
            ),
        ]
    )
    layout = _layout(figure, title, barmode="group", yaxis={"title": "%", "range": [0, 110]})
    rows = [[label, _percent(a), _percent(b)] for label, a, b in zip(labels, local, national, strict=True)]
    findings = [
        _("%(label)s : %(local)s (%(other)s : %(national)s)")
        % {"label": row[0], "local": row[1], "other": national_name, "national": row[2]}
        for row in rows
    ]
    alt = _sentence(title, findings)
    return Chart(key, title, layout, [_("Modalité"), local_name, national_name], rows, note, alt=alt)


def timeline(key: str, title: str, months: Sequence[str], values: Sequence[int]) -> Chart:
    figure = go.Figure(go.Bar(x=list(months), y=list(values), marker={"color": PRIMARY}))
    total = sum(values)
    alt = _("%(title)s : %(total)s sur la période, de %(first)s à %(last)s.") % {
        "title": title,
        "total": total,
        "first": months[0] if months else "",
        "last": months[-1] if months else "",
    }
    return Chart(
        key,
        title,
        _layout(figure, title, xaxis={"type": "category"}, yaxis=_count_axis(values), showlegend=False),
        [_("Mois"), _("Passages de phase")],
        [[month, value] for month, value in zip(months, values, strict=True)],
        alt=alt,
    )


def contests_conversion(key: str, title: str, rows: Sequence[Mapping[str, Any]]) -> Chart:
    # rows: those of contests.selectors.contests_conversion, each given a "name"
    names = [wrapped(row["name"]) for row in rows]
    series = [
        ("submitted", _("Idées déposées"), PRIMARY),
        ("selected", _("Idées retenues"), ACCENT),
        ("projects", _("Devenues projets"), SECONDARY),
    ]
    figure = go.Figure(
        [go.Bar(name=label, x=names, y=[row[k] for row in rows], marker={"color": color}) for k, label, color in series]
    )
    counts = [row[k] for row in rows for k, _label, _color in series]
    findings = [
        _("%(name)s : %(submitted)s idées déposées, %(selected)s retenues, %(projects)s devenues projets")
        % {"name": row["name"], **{k: row[k] for k in ("submitted", "selected", "projects")}}
        for row in rows
    ]
    alt = _sentence(title, findings) if rows else _("%(title)s : aucun concours.") % {"title": title}
    return Chart(
        key,
        title,
        _layout(figure, title, barmode="group", yaxis=_count_axis(counts)),
        [_("Concours"), *[label for _k, label, _c in series]],
        [[row["name"], row["submitted"], row["selected"], row["projects"]] for row in rows],
        alt=alt,
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
    note: str = "",
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
    # The first axis on top, clockwise, and the scale's numbers between two axes: they never sit on a label.
    polar = {
        "radialaxis": {"range": [0, 5], "angle": 90 - 180 / max(len(axes), 1), "tickangle": 0, "dtick": 1},
        "angularaxis": {"rotation": 90, "direction": "clockwise"},
    }
    layout = _layout(figure, title, polar=polar)
    headers = [_("Famille"), name, *([reference_name] if reference else [])]
    rows = [
        [axis, value, *([reference[i]] if reference else [])]
        for i, (axis, value) in enumerate(zip(axes, values, strict=True))
    ]
    findings = [
        _("%(label)s : %(value)s") % {"label": axis, "value": localized_number(value, 1)}
        for axis, value in zip(axes, values, strict=True)
    ]
    return Chart(key, title, layout, headers, rows, note, alt=_sentence(title, findings))


def _sentence(title: str, findings: Sequence[str]) -> str:
    """The alternative text of a chart: its title, then what it shows."""
    return _("%(title)s. %(findings)s.") % {"title": title, "findings": _(" ; ").join(findings)}


def _percent(value: float | None) -> str:
    return percent_text(value)


def share(part: int, base: int) -> float | None:
    """``part`` as a percentage of ``base``; None (shown "—") when there is no base or the part does not fit in
    it, so that no figure can read Infinity, NaN or more than 100 %."""
    if base <= 0 or not 0 <= part <= base:
        return None
    return 100 * part / base


QUADRANT_COLOURS = ["#2e7d4f", PRIMARY, SECONDARY, ACCENT]  # quick wins, bets, small steps, to reconsider


def quadrant_balance(
    key: str, title: str, quarters: Sequence[str], rows: Sequence[dict[str, Any]], *, note: str = ""
) -> Chart:
    """The share of each quadrant of the portfolio map per quarter, as stacked bars on the base of the projects
    placed then. Each row: ``counts`` ({label: count}, in the quadrants' order), ``base`` (the projects placed)
    and ``incomplete`` (the projects "à compléter", outside the base). A quarter without a base has no bar."""
    labels = list(rows[0]["counts"]) if rows else []
    figure = go.Figure(
        [
            go.Bar(
                name=plot_text(label),
                x=list(quarters),
                y=[share(row["counts"][label], row["base"]) for row in rows],
                marker={"color": QUADRANT_COLOURS[index % len(QUADRANT_COLOURS)]},
            )
            for index, label in enumerate(labels)
        ]
    )
    layout = _layout(
        figure, title, barmode="stack", yaxis={"title": "%", "range": [0, 100]}, xaxis={"type": "category"}
    )
    table = [
        [
            quarter,
            *[_percent(share(row["counts"][label], row["base"])) for label in labels],
            row["base"],
            row["incomplete"],
        ]
        for quarter, row in zip(quarters, rows, strict=True)
    ]
    headers = [_("Trimestre"), *labels, _("Base : projets placés"), _("À compléter (hors base)")]
    findings = [
        f"{line[0]} : " + ", ".join(f"{h} {v}" for h, v in zip(labels, line[1:], strict=False)) for line in table
    ]
    return Chart(key, title, layout, headers, table, note, alt=_sentence(title, findings) if rows else title)
