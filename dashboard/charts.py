"""Chart builders: pure functions from observation rows to plotly figures.

No Streamlit here, so every chart can be checked in a unit test. All text that
comes from a document is HTML-escaped before it reaches plotly, whose labels
understand a subset of HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard import fmt, guard, notes, precedence
from dashboard.chart_text import (  # noqa: F401  (re-exported: pages and tests import them from here)
    TICK_UNITS,
    caption,
    category_ticks,
    citations,
    esc,
    flatten_quote,
    quote_for_hover,
    renumber,
    show_in_source_url,
    source_label,
    text_width,
    wrap,
)
from dashboard.chart_values import KNOWN_SCALES, plot_values, readable_axis  # noqa: F401  (re-exported)
from dashboard.i18n import name, t, unit_label

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
KIND_STYLE = {
    "exact": {"color": "#0072B2", "pattern": "", "symbol": "circle"},
    "above": {"color": "#E69F00", "pattern": "/", "symbol": "triangle-up"},
    "below": {"color": "#CC79A7", "pattern": "\\", "symbol": "triangle-down"},
    "approx": {"color": "#009E73", "pattern": "x", "symbol": "diamond"},
    "derived": {"color": "#999999", "pattern": ".", "symbol": "circle-open"},
}
FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
# Order of the hover fields; tests decode customdata by these names.
CUSTOMDATA = [
    "observation_id",
    "region_label",
    "indicator_label",
    "value_display",
    "year_label",
    "source_label",
    "quote_html",
    "kind_label",
    "cite",
    # Where and when, for the one-mark-per-region-year check of every chart.
    "region_id",
    "period",
    # What the figure measures, for the one-indicator-one-unit check of every chart.
    "indicator_id",
    "unit_display",
]
HOVER = (
    "<b>%{customdata[1]}</b> · %{customdata[4]}<br>"
    "%{customdata[2]}: <b>%{customdata[3]}</b><br>"
    "%{customdata[7]}<br>"
    "[%{customdata[8]}] %{customdata[5]}<br>"
    "<i>%{customdata[6]}</i><extra></extra>"
)


@dataclass(frozen=True)
class Names:
    """Labels looked up by id, built once per language instead of once per row."""

    region: dict[str, str]
    level: dict[str, str]
    indicator: dict[str, str]
    source: dict[str, str]
    indicator_unit: dict[str, str]
    indicator_base: dict[str, str]
    # Each source's place in the order of precedence (dashboard.precedence).
    source_rank: dict[str, int] = field(default_factory=dict)


def names_for(regions: pd.DataFrame, indicators: pd.DataFrame, sources: pd.DataFrame, lang: str) -> Names:
    from dashboard.data import sources_dir  # data imports this module

    reg = regions.to_dict("records")
    ind = indicators.to_dict("records")
    return Names(
        region={r["region_id"]: name(r, lang) for r in reg},
        level={r["region_id"]: r.get("level", "") for r in reg},
        indicator={r["indicator_id"]: name(r, lang) for r in ind},
        source={r["source_id"]: source_label(r, lang) for r in sources.to_dict("records")},
        indicator_unit={r["indicator_id"]: r.get("unit", "") for r in ind},
        indicator_base={r["indicator_id"]: r.get("base_unit", "") or "" for r in ind},
        source_rank=precedence.ranks(sources, str(sources_dir())),
    )


def _col(rows: pd.DataFrame, col: str, default: object = "") -> list:
    return rows[col].tolist() if col in rows else [default] * len(rows)


def chart_rows(
    obs: pd.DataFrame,
    regions: pd.DataFrame,
    indicators: pd.DataFrame,
    sources: pd.DataFrame,
    lang: str,
    names: Names | None = None,
) -> pd.DataFrame:
    """Observation rows plus everything a chart shows: labels, kind, citation number."""
    names = names or names_for(regions, indicators, sources, lang)
    region_ids = [str(r) for r in _col(obs, "region_id")]
    indicator_ids = [str(i) for i in _col(obs, "indicator_id")]
    source_ids = [str(s) for s in _col(obs, "source_id")]
    qualifiers = [str(q) for q in _col(obs, "qualifier", "exact")]
    units = [str(u) for u in _col(obs, "unit")]
    bases = [str(b) for b in _col(obs, "base_unit")]
    # Every new column is built as a list and joined once: inserting columns one by one
    # into a frame costs more than computing them, at every redraw.
    new: dict[str, list] = {
        "region_label": [names.region.get(r, r) for r in region_ids],
        "region_level": [names.level.get(r, "") for r in region_ids],
        "indicator_label": [names.indicator.get(i, i) for i in indicator_ids],
    }
    kinds = [fmt.kind(q, bool(d)) for q, d in zip(qualifiers, _col(obs, "derived", False), strict=True)]
    kind_labels = {k: fmt.kind_label(k, lang) for k in fmt.KINDS}
    new["kind"] = kinds
    new["kind_label"] = [kind_labels.get(k, k) for k in kinds]
    new["value_display"] = [
        fmt.display(v, u, q, lang, b) for v, u, q, b in zip(_col(obs, "value"), units, qualifiers, bases, strict=True)
    ]
    new["plot_value"], plot_units = plot_values(obs, indicators, names)
    new["unit_display"] = [unit_label(u, lang) for u in plot_units]
    new.update(guard.columns(obs))
    new["year_label"] = year_labels(obs, new, lang)
    new["period"] = [str(a) if a == b else f"{a}-{b}" for a, b in zip(new["g_first"], new["g_last"], strict=True)]
    last = len(names.source_rank)
    new["g_precedence"] = [names.source_rank.get(s, last) for s in source_ids]
    new["source_label"] = [names.source.get(s, s) for s in source_ids]
    order: dict[str, int] = {}
    for s in source_ids:
        order.setdefault(s, len(order) + 1)
    new["cite"] = [order[s] for s in source_ids]
    new["quote_html"] = [quote_for_hover(q) for q in _col(obs, "quote")]
    new["link"] = [show_in_source_url(s, o, lang) for s, o in zip(source_ids, _col(obs, "observation_id"), strict=True)]
    keep = obs.drop(columns=[c for c in new if c in obs.columns])
    return pd.concat([keep, pd.DataFrame(new, index=obs.index)], axis=1)


def year_labels(obs: pd.DataFrame, guarded: dict[str, list], lang: str) -> list[str]:
    """The time as the text gives it, and how a dated year was decided when not stated."""
    basis_label: dict[str, str] = {}
    out = []
    keys = ("g_period", "g_first", "g_last", "g_undated")
    for year, basis, quote, *g in zip(
        _col(obs, "year", 0),
        _col(obs, "year_basis", "stated"),
        _col(obs, "quote"),
        *(guarded[k] for k in keys),
        strict=True,
    ):
        row = {"year": year, "quote": quote, **dict(zip(keys, g, strict=True))}
        label = guard.time_label(row, lang)
        basis = str(basis or "stated")
        if not row["g_undated"] and basis not in ("stated", "computed") and label == str(year):
            if basis not in basis_label:
                basis_label[basis] = t(f"year_basis.{basis}", lang)
            label = f"{label} ({basis_label[basis]})"
        out.append(label)
    return out


# Chinese magnitude words, for units the observations themselves do not show.
def plotly_config(filename: str) -> dict:
    """Toolbar PNG export with a file name that says what the chart is."""
    return {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
        "toImageButtonOptions": {
            "format": "png",
            "filename": filename,
            "scale": 2,
            "width": 1100,
            "height": 620,
        },
    }


def slug(*parts: object) -> str:
    text = "-".join(str(p) for p in parts if p not in (None, ""))
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_-") or "chart"


def _customdata(rows: pd.DataFrame) -> list[list]:
    escaped = ("region_label", "indicator_label", "value_display", "source_label", "unit_display")
    cols = []
    for c in CUSTOMDATA:
        values = rows[c].tolist()
        if c in escaped:
            values = [esc(v) for v in values]
        elif c == "cite":
            values = [int(v) for v in values]
        elif c == "indicator_id":
            values = [str(v) for v in values]
        cols.append(values)
    return [list(r) for r in zip(*cols, strict=True)]


# A small white theme of our own: plotly's named templates add kilobytes to every
# figure and tens of milliseconds of validation to every rerun.
TEMPLATE = {
    "layout": {
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "colorway": PALETTE,
        "font": {"color": "#2a3f5f"},
        "hovermode": "closest",
        "xaxis": {"gridcolor": "#EBF0F8", "linecolor": "#EBF0F8", "zerolinecolor": "#EBF0F8", "automargin": True},
        "yaxis": {"gridcolor": "#EBF0F8", "linecolor": "#EBF0F8", "zerolinecolor": "#EBF0F8", "automargin": True},
    }
}


FOOTER_WIDTH = 120  # display units per footer line in a 1100-px-wide image
PLOT_HEIGHT = 280  # px of plot area kept when tall category labels take the bottom margin


def _figure(
    traces: list[dict],
    layout: dict,
    title: str,
    rows: pd.DataFrame,
    lang: str,
    y_title: str = "",
    notes: list[str] | None = None,
    tick_lines: int = 1,
) -> go.Figure:
    """Title, notes and citation footer (drawn inside the figure, so the PNG export carries
    them) and a legend that explains markers; the layout is built once as a dict and handed
    to plotly without re-validation. The footer sits below the tick labels (`tick_lines`
    lines of them), and the bottom margin grows with its wrapped lines, so nothing overlaps
    or is cut off at any width."""
    footer_lines = [line for note in (notes or []) for line in wrap(note, FOOTER_WIDTH)]
    if len(rows):
        footer_lines += wrap(caption(rows, lang), FOOTER_WIDTH)
    shift = 34 + 17 * tick_lines
    bottom = shift + 16 * len(footer_lines) + 16
    yaxis = {"title": {"text": esc(y_title)}, **layout.pop("yaxis", {})}
    margin = {"l": 60, "r": 20, "t": 130, **layout.pop("margin", {}), "b": bottom}
    full = {
        "template": TEMPLATE,
        "title": {"text": esc(title), "x": 0.01, "xanchor": "left", "y": 0.98, "yref": "container", "yanchor": "top"},
        "font": {"family": FONT, "size": 13},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.03, "x": 0},
        "hoverlabel": {"align": "left"},
        "yaxis": yaxis,
        **layout,
        "margin": margin,
        "annotations": [
            *layout.get("annotations", []),
            {
                "text": "<br>".join(esc(line) for line in footer_lines),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -shift,
                "xanchor": "left",
                "yanchor": "top",
                "align": "left",
                "showarrow": False,
                "font": {"size": 11, "color": "#444"},
                "name": "citations",
            },
        ],
    }
    if "height" in full:
        full["height"] = int(full["height"]) + 16 * len(footer_lines)
    elif tick_lines > 2:  # category names read top to bottom: the figure grows, the plot keeps its room
        full["height"] = margin["t"] + bottom + PLOT_HEIGHT
    return go.Figure({"data": traces, "layout": full}, _validate=False)


def _kind_legend(kinds: list[str], lang: str) -> list[dict]:
    """Legend entries for marker shapes: dummy traces, never data."""
    out = []
    for k in fmt.KINDS:
        if k not in kinds:
            continue
        style = KIND_STYLE[k]
        out.append(
            {
                "type": "scatter",
                "x": [None],
                "y": [None],
                "mode": "markers",
                "marker": {"symbol": style["symbol"], "color": "#555", "size": 10},
                "name": fmt.kind_label(k, lang),
                "legendgroup": "kinds",
                "legendgrouptitle": {"text": t("common.status", lang)},
                "hoverinfo": "skip",
                "meta": "legend",
            }
        )
    return out


def _headroom(values: list[float], top: float = 0.18) -> list[float] | None:
    """A y range with room above the highest point for its label (and below zero if needed)."""
    finite = [v for v in values if v == v]
    if not finite:
        return None
    lo, hi = min(0.0, min(finite)), max(0.0, max(finite))
    span = (hi - lo) or abs(hi) or 1.0
    return [lo - (top * span if lo < 0 else 0.0), hi + top * span]


FLAG_COLOUR = "#D55E00"
# What a chart builder reads from a row; the rest stays behind, so each per-kind selection
# copies a dozen columns rather than fifty.
CHART_COLUMNS = (
    *CUSTOMDATA,
    "region_id",
    "source_id",
    "kind",
    "value",
    "unit",
    "base_unit",
    "plot_value",
    "g_flag",
    "year",
)


def narrow(rows: pd.DataFrame, *extra: str) -> pd.DataFrame:
    return rows[[c for c in dict.fromkeys((*CHART_COLUMNS, *extra)) if c in rows.columns]]


def flag_text(rows: pd.DataFrame, lang: str) -> list[str]:
    """Value labels, with the flag drawn on the mark of a flagged figure shown on request."""
    flags = rows["g_flag"].tolist() if "g_flag" in rows else [""] * len(rows)
    mark = t("guard.flag_mark", lang)
    return [f"{mark} {esc(v)}" if f else esc(v) for v, f in zip(rows["value_display"].tolist(), flags, strict=True)]


# Above this many bars a value label may not fit above its bar (plotly hides it, uniformtext):
# the page says where the values are (hover, the table tab).
LABELLED_BARS = 20


def bars(
    rows: pd.DataFrame,
    title: str,
    lang: str,
    *,
    category: str = "region_label",
    benchmarks: pd.DataFrame | None = None,
    notes: list[str] | None = None,
    marked: frozenset[str] = frozenset(),
) -> go.Figure:
    """One bar per figure of one indicator; colour and hatch say exact, bounded,
    approximate or derived; a flagged figure (drawn only on request) has its flag on the
    bar; `marked` regions (overlapping another shown) carry a mark explained in `notes`.

    Value labels sit above the bars (never on a hatched fill), with room left for them;
    category names are wrapped (or, when a word cannot fit its slot, turned upright) and the
    footer moves down by their height, so they never run into each other or the footer.
    """
    has_bench = benchmarks is not None and not benchmarks.empty
    rows = narrow(rows, category)
    if has_bench:
        benchmarks = narrow(benchmarks, category)
    all_rows = pd.concat([rows, benchmarks]) if has_bench else rows
    ys, y_title = readable_axis(all_rows, lang)
    rows = rows.assign(_y=ys[: len(rows)])
    bench_y = ys[len(rows) :]
    rows = rows.sort_values("_y", ascending=False, kind="stable")
    cats = rows[category].tolist()
    dup = rows[category].duplicated(keep=False).tolist()
    ids = rows["region_id"].astype(str).tolist() if "region_id" in rows else [""] * len(rows)
    labels = [f"{c} [{n}]" if d else c for c, n, d in zip(cats, rows["cite"].tolist(), dup, strict=True)]
    labels = [f"{label} ‡" if r in marked else label for label, r in zip(labels, ids, strict=True)]
    xs, tick_lines, tick_angle = category_ticks(labels)
    rows = rows.assign(x=xs, _text=flag_text(rows, lang))
    traces = []
    for k in fmt.KINDS:
        part = rows[rows["kind"] == k]
        if part.empty:
            continue
        style = KIND_STYLE[k]
        flagged = part["g_flag"].astype(bool).tolist() if "g_flag" in part else [False] * len(part)
        traces.append(
            {
                "type": "bar",
                "x": part["x"].tolist(),
                "y": part["_y"].tolist(),
                "text": part["_text"].tolist(),
                "textposition": "outside",
                "cliponaxis": False,
                "textfont": {"color": "#222"},
                "customdata": _customdata(part),
                "hovertemplate": HOVER,
                "name": fmt.kind_label(k, lang),
                "marker": {
                    "color": style["color"],
                    "pattern": {"shape": style["pattern"], "fgcolor": "#222", "solidity": 0.3},
                    "line": {
                        "color": [FLAG_COLOUR if f else "#222" for f in flagged],
                        "width": [4 if f else 1 for f in flagged],
                    },
                },
            }
        )
    layout = {
        "barmode": "overlay",
        "showlegend": True,  # even for one kind of value: the legend says what a hatch means
        "bargap": 0.65 if len(rows) < 3 else 0.3,
        "uniformtext": {"minsize": 10, "mode": "hide"},
        "xaxis": {"categoryorder": "array", "categoryarray": rows["x"].tolist(), "tickangle": tick_angle},
    }
    if has_bench:
        traces += _benchmark_lines(benchmarks, bench_y, lang)
        layout["xaxis2"] = {"overlaying": "x", "range": [0, 1], "visible": False, "fixedrange": True}
    y_range = _headroom(ys)
    if y_range:
        layout["yaxis"] = {"range": y_range}
    return _figure(traces, layout, title, all_rows, lang, y_title=y_title, notes=notes, tick_lines=tick_lines)


def _benchmark_lines(benchmarks: pd.DataFrame, ys: list[float], lang: str) -> list[dict]:
    """Benchmarks span the full width on a hidden 0–1 axis so they read as reference lines."""
    dashes = ["dash", "dot", "dashdot", "longdash"]
    out = []
    cds = _customdata(benchmarks)
    for i, (row, y, cd) in enumerate(zip(benchmarks.to_dict("records"), ys, cds, strict=True)):
        label = f"{row['region_label']} {row['value_display']} ({row['year']}) [{row['cite']}]"
        out.append(
            {
                "type": "scatter",
                "x": [0, 0.5, 1],
                "y": [y] * 3,
                "xaxis": "x2",
                "mode": "lines",
                "line": {"color": "#000000", "dash": dashes[i % len(dashes)], "width": 2},
                "name": f"{t('common.reference', lang)}: {esc(label)}",
                "customdata": [cd] * 3,
                "hovertemplate": HOVER,
                "legendgroup": "benchmarks",
                "meta": "benchmark",
            }
        )
    return out


def table_view(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The chart's data as a table, with the sentence and a link to it."""
    out = pd.DataFrame(
        {
            t("common.region", lang): rows["region_label"],
            t("common.indicator", lang): rows["indicator_label"],
            t("common.value", lang): rows["value_display"],
            t("common.year", lang): rows["year_label"],
            t("common.status", lang): rows["kind_label"],
            t("common.source", lang): [
                f"[{c}] {s}" for c, s in zip(rows["cite"].tolist(), rows["source_label"].tolist(), strict=True)
            ],
            t("common.quote", lang): [flatten_quote(q) for q in rows["quote"].tolist()],
            t("common.note", lang): [notes.localise(n, lang) for n in rows["note"].tolist()],
            "link": rows["link"],
            "observation_id": rows["observation_id"].astype(str),
        }
    )
    return out.reset_index(drop=True)


def unit_title(indicators: pd.DataFrame, indicator_id: str, lang: str) -> str:
    hit = indicators[indicators["indicator_id"] == indicator_id]
    return unit_label(hit["unit"].iloc[0], lang) if len(hit) else ""
