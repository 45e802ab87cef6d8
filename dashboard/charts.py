"""Chart builders: pure functions from observation rows to plotly figures.

No Streamlit here, so every chart can be checked in a unit test. All text that
comes from a document is HTML-escaped before it reaches plotly, whose labels
understand a subset of HTML.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import quote_plus

import pandas as pd
import plotly.graph_objects as go

from dashboard import fmt
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
]
HOVER = (
    "<b>%{customdata[1]}</b> · %{customdata[4]}<br>"
    "%{customdata[2]}: <b>%{customdata[3]}</b><br>"
    "%{customdata[7]}<br>"
    "[%{customdata[8]}] %{customdata[5]}<br>"
    "<i>%{customdata[6]}</i><extra></extra>"
)


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def flatten_quote(quote: str) -> str:
    """Undo PDF line breaks: join CJK across the break, keep a space between Latin words."""

    def join(m: re.Match) -> str:
        before, after = m.group(1), m.group(2)
        sep = " " if before.isascii() and after.isascii() and before.isalnum() else ""
        return before + sep + after

    return re.sub(r"(\S)\s*\n\s*(\S)", join, quote).strip()


def quote_for_hover(quote: str, width: int = 36, limit: int = 360) -> str:
    flat = flatten_quote(quote)
    if len(flat) > limit:
        flat = flat[:limit] + "…"
    lines = [flat[i : i + width] for i in range(0, len(flat), width)]
    return "<br>".join(esc(line) for line in lines)


def source_label(src: pd.Series | dict, lang: str) -> str:
    """Short title and date: enough to find the source in the bibliography."""
    title = ""
    if lang == "en":
        title = src.get("title_en") or ""
    title = title or src.get("short_title") or src.get("title") or src.get("source_id", "?")
    # published_text keeps the precision the source gave ("2024", not "2024-01-01").
    date = src.get("published_text") or src.get("published") or "n.d."
    return f"{title} ({date})"


_PLAIN = re.compile(r"^[A-Za-z0-9_.\-]*$")


def _q(value: str) -> str:
    return value if _PLAIN.match(value) else quote_plus(value)


def show_in_source_url(source_id: str, observation_id: str, lang: str) -> str:
    """A relative link to the sources page; ids come from the tables, never from the user.

    The same as urlencode({"source": …, "lang": …, "obs": …}), without its cost per row.
    """
    url = f"./sources?source={_q(str(source_id))}&lang={_q(str(lang))}"
    return f"{url}&obs={_q(str(observation_id))}" if observation_id else url


@dataclass(frozen=True)
class Names:
    """Labels looked up by id, built once per language instead of once per row."""

    region: dict[str, str]
    level: dict[str, str]
    indicator: dict[str, str]
    source: dict[str, str]
    indicator_unit: dict[str, str]
    indicator_base: dict[str, str]


def names_for(regions: pd.DataFrame, indicators: pd.DataFrame, sources: pd.DataFrame, lang: str) -> Names:
    reg = regions.to_dict("records")
    ind = indicators.to_dict("records")
    return Names(
        region={r["region_id"]: name(r, lang) for r in reg},
        level={r["region_id"]: r.get("level", "") for r in reg},
        indicator={r["indicator_id"]: name(r, lang) for r in ind},
        source={r["source_id"]: source_label(r, lang) for r in sources.to_dict("records")},
        indicator_unit={r["indicator_id"]: r.get("unit", "") for r in ind},
        indicator_base={r["indicator_id"]: r.get("base_unit", "") or "" for r in ind},
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
    rows = obs.copy()
    region_ids = [str(r) for r in _col(rows, "region_id")]
    indicator_ids = [str(i) for i in _col(rows, "indicator_id")]
    source_ids = [str(s) for s in _col(rows, "source_id")]
    qualifiers = [str(q) for q in _col(rows, "qualifier", "exact")]
    units = [str(u) for u in _col(rows, "unit")]
    bases = [str(b) for b in _col(rows, "base_unit")]
    rows["region_label"] = [names.region.get(r, r) for r in region_ids]
    rows["region_level"] = [names.level.get(r, "") for r in region_ids]
    rows["indicator_label"] = [names.indicator.get(i, i) for i in indicator_ids]
    kinds = [fmt.kind(q, bool(d)) for q, d in zip(qualifiers, _col(rows, "derived", False), strict=True)]
    rows["kind"] = kinds
    kind_labels = {k: fmt.kind_label(k, lang) for k in fmt.KINDS}
    rows["kind_label"] = [kind_labels.get(k, k) for k in kinds]
    rows["value_display"] = [
        fmt.display(v, u, q, lang, b) for v, u, q, b in zip(_col(rows, "value"), units, qualifiers, bases, strict=True)
    ]
    rows["plot_value"], plot_units = plot_values(rows, indicators, names)
    rows["unit_display"] = [unit_label(u, lang) for u in plot_units]
    basis_label = {}
    year_labels = []
    for y, b in zip(_col(rows, "year"), _col(rows, "year_basis", "stated"), strict=True):
        if b and b != "stated":
            if b not in basis_label:
                basis_label[b] = t(f"year_basis.{b}", lang)
            year_labels.append(f"{y} ({basis_label[b]})")
        else:
            year_labels.append(str(y))
    rows["year_label"] = year_labels
    rows["source_label"] = [names.source.get(s, s) for s in source_ids]
    order: dict[str, int] = {}
    for s in source_ids:
        order.setdefault(s, len(order) + 1)
    rows["cite"] = [order[s] for s in source_ids]
    rows["quote_html"] = [quote_for_hover(q) for q in _col(rows, "quote")]
    rows["link"] = [
        show_in_source_url(s, o, lang) for s, o in zip(source_ids, _col(rows, "observation_id"), strict=True)
    ]
    return rows


# Chinese magnitude words, for units the observations themselves do not show.
KNOWN_SCALES = {
    "万": 1e4,
    "亿": 1e8,
    "万亿": 1e12,
    "亿元": 1e8,
    "万亿元": 1e12,
    "亿美元": 1e8,
    "万元": 1e4,
    "万人": 1e4,
}


def plot_values(
    rows: pd.DataFrame, indicators: pd.DataFrame, names: Names | None = None
) -> tuple[list[float], list[str]]:
    """Values in the indicator's display unit, so 0.3 万亿元 and 3000 亿元 share one axis.

    Only rescales within one base unit; a figure in another currency keeps its stated
    value and unit rather than being silently relabelled.
    """
    if names is not None:
        target_unit, target_base_of = names.indicator_unit, names.indicator_base
    else:
        target_unit = dict(zip(indicators["indicator_id"], indicators["unit"], strict=True))
        bases = indicators["base_unit"] if "base_unit" in indicators else [""] * len(indicators)
        target_base_of = dict(zip(indicators["indicator_id"], bases, strict=True))
    units = [str(u) for u in rows["unit"]]
    scales = rows["scale"].tolist() if "scale" in rows else [1.0] * len(rows)
    scale_of_unit = {**KNOWN_SCALES, **dict(zip(units, scales, strict=True))}
    values, out_units = [], []
    for ind, value, base, unit, scale, base_unit in zip(
        rows["indicator_id"].tolist(),
        rows["value"].tolist(),
        rows["value_base"].tolist() if "value_base" in rows else rows["value"].tolist(),
        units,
        scales,
        rows["base_unit"].tolist() if "base_unit" in rows else [""] * len(rows),
        strict=True,
    ):
        target = target_unit.get(ind, unit)
        target_base = target_base_of.get(ind, base_unit) if ind in target_unit else base_unit
        target_scale = scale_of_unit.get(target)
        same_base = not target_base or not base_unit or target_base == base_unit
        if target == unit or not target_scale or not same_base or not scale:
            values.append(float(value))
            out_units.append(unit)
        else:
            values.append(float(base) / float(target_scale))
            out_units.append(target)
    return values, out_units


def readable_axis(rows: pd.DataFrame, lang: str) -> tuple[list[float], str]:
    """Plotted values and the axis title, in one magnitude the reader's language has words for.

    Amounts of money or people (120 万亿, 3000 亿元) share an axis in 万亿元 / trillion CNY
    chosen from the largest value; any other unit keeps the indicator's display unit.
    """
    fallback = rows["plot_value"].tolist(), (rows["unit_display"].iloc[0] if len(rows) else "")
    if rows.empty or "unit" not in rows:
        return fallback
    bases = rows["base_unit"].tolist() if "base_unit" in rows else [""] * len(rows)
    amounts = [fmt.amount_unit(u, b) for u, b in zip(rows["unit"].tolist(), bases, strict=True)]
    if any(a is None for a in amounts) or len({a[1] for a in amounts}) != 1:
        return fallback
    totals = [float(v) * a[0] for v, a in zip(rows["value"].tolist(), amounts, strict=True)]
    scale, word = fmt.pick_scale(max(abs(v) for v in totals), lang)
    return [round(v / scale, 9) for v in totals], fmt.scaled_unit(word, amounts[0][1], lang)


def citations(rows: pd.DataFrame) -> list[tuple[int, str]]:
    pairs = dict(zip(rows["cite"].tolist(), rows["source_label"].tolist(), strict=True))
    return [(int(c), str(pairs[c])) for c in sorted(pairs)]


def caption(rows: pd.DataFrame, lang: str) -> str:
    """'Sources: [1] title (date); [2] …' in the order the chart cites them."""
    cites = "; ".join(f"[{n}] {label}" for n, label in citations(rows))
    return f"{t('common.sources', lang)}: {cites}"


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
    escaped = ("region_label", "indicator_label", "value_display", "source_label")
    cols = []
    for c in CUSTOMDATA:
        values = rows[c].tolist()
        if c in escaped:
            values = [esc(v) for v in values]
        elif c == "cite":
            values = [int(v) for v in values]
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


def _figure(
    traces: list[dict],
    layout: dict,
    title: str,
    rows: pd.DataFrame,
    lang: str,
    y_title: str = "",
) -> go.Figure:
    """Title, citation footer (kept in the PNG export) and a legend that explains markers;
    the layout is built once as a dict and handed to plotly without re-validation."""
    footer = caption(rows, lang) if len(rows) else ""
    yaxis = {"title": {"text": esc(y_title)}, **layout.pop("yaxis", {})}
    full = {
        "template": TEMPLATE,
        "title": {"text": esc(title), "x": 0.01, "xanchor": "left", "y": 0.98, "yref": "container", "yanchor": "top"},
        "font": {"family": FONT, "size": 13},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.03, "x": 0},
        "margin": {"l": 60, "r": 20, "t": 130, "b": 100},
        "hoverlabel": {"align": "left"},
        "yaxis": yaxis,
        **layout,
        "annotations": [
            *layout.get("annotations", []),
            {
                "text": esc(footer),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -48,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "font": {"size": 11, "color": "#444"},
                "name": "citations",
            },
        ],
    }
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


def bars(
    rows: pd.DataFrame,
    title: str,
    lang: str,
    *,
    category: str = "region_label",
    benchmarks: pd.DataFrame | None = None,
) -> go.Figure:
    """One bar per figure; colour and hatch say exact, bounded, approximate or derived.

    Value labels sit above the bars (never on a hatched fill), with room left for them.
    """
    has_bench = benchmarks is not None and not benchmarks.empty
    all_rows = pd.concat([rows, benchmarks]) if has_bench else rows
    ys, y_title = readable_axis(all_rows, lang)
    rows = rows.assign(_y=ys[: len(rows)])
    bench_y = ys[len(rows) :]
    rows = rows.sort_values("_y", ascending=False, kind="stable")
    cats = rows[category].tolist()
    dup = rows[category].duplicated(keep=False).tolist()
    xs = [esc(f"{c} [{n}]" if d else c) for c, n, d in zip(cats, rows["cite"].tolist(), dup, strict=True)]
    rows = rows.assign(x=xs)
    traces = []
    for k in fmt.KINDS:
        part = rows[rows["kind"] == k]
        if part.empty:
            continue
        style = KIND_STYLE[k]
        traces.append(
            {
                "type": "bar",
                "x": part["x"].tolist(),
                "y": part["_y"].tolist(),
                "text": [esc(v) for v in part["value_display"].tolist()],
                "textposition": "outside",
                "cliponaxis": False,
                "textfont": {"color": "#222"},
                "customdata": _customdata(part),
                "hovertemplate": HOVER,
                "name": fmt.kind_label(k, lang),
                "marker": {
                    "color": style["color"],
                    "pattern": {"shape": style["pattern"], "fgcolor": "#222", "solidity": 0.3},
                    "line": {"color": "#222", "width": 1},
                },
            }
        )
    layout = {
        "barmode": "overlay",
        "showlegend": True,  # even for one kind of value: the legend says what a hatch means
        "bargap": 0.65 if len(rows) < 3 else 0.3,
        "uniformtext": {"minsize": 10, "mode": "hide"},
        "xaxis": {"categoryorder": "array", "categoryarray": rows["x"].tolist()},
    }
    if has_bench:
        traces += _benchmark_lines(benchmarks, bench_y, lang)
        layout["xaxis2"] = {"overlaying": "x", "range": [0, 1], "visible": False, "fixedrange": True}
    y_range = _headroom(ys)
    if y_range:
        layout["yaxis"] = {"range": y_range}
    return _figure(traces, layout, title, all_rows, lang, y_title=y_title)


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


# Where a value label can go, and which part of the width around its point it takes:
# a centred label covers the point's column, a side label only that side.
LABEL_SLOTS = (
    ("top center", "center"),
    ("bottom center", "center"),
    ("middle right", "right"),
    ("middle left", "left"),
)


def _label_box(slot: str, y: float, height: float, pad: float) -> tuple[float, float]:
    if slot.startswith("top"):
        return y + pad, y + pad + height
    if slot.startswith("bottom"):
        return y - pad - height, y - pad
    return y - height / 2, y + height / 2


def label_positions(points: list[tuple[int, float]], span: float, height: float = 0.08) -> list[str]:
    """Where each point's value label goes, so labels at one x never overlap each other
    or another point's marker.

    `points` are (x, y); `span` is the y axis' extent; a label is `height` of it tall.
    Each point, highest first, takes the first free slot of above, below, right, left;
    a point with no free slot gets "" (no label: the value is still in the hover and
    the table).
    """
    out = [""] * len(points)
    h = height * (span or 1.0)
    pad = h / 4  # a marker's half-height
    by_x: dict[int, list[int]] = {}
    for i, (x, _) in enumerate(points):
        by_x.setdefault(x, []).append(i)
    for idx in by_x.values():
        idx.sort(key=lambda i: -points[i][1])
        markers = [points[i][1] for i in idx]
        labels: list[tuple[str, float, float]] = []
        for i in idx:
            y = points[i][1]
            for slot, side in LABEL_SLOTS:
                lo, hi = _label_box(slot, y, h, pad)
                # A centred label must clear the other markers; any label must clear the
                # labels it shares width with.
                clash = side == "center" and any(
                    lo < m + pad and m - pad < hi for j, m in zip(idx, markers, strict=True) if j != i
                )
                clash = clash or any(
                    lo < t_hi and t_lo < hi and (side == "center" or t_side in ("center", side))
                    for t_side, t_lo, t_hi in labels
                )
                if not clash:
                    out[i] = slot
                    labels.append((side, lo, hi))
                    break
    return out


def trend_lines(rows: pd.DataFrame, title: str, lang: str, benchmark_ids: frozenset[str] = frozenset()) -> go.Figure:
    """One line per region; marker shape carries the kind of value.

    Value labels only where they do not collide (crowded points keep theirs in the hover),
    and headroom above the highest point so its label is never clipped.
    """
    rows = rows.sort_values(["region_label", "year", "kind"], kind="stable")
    ys, y_title = readable_axis(rows, lang)
    rows = rows.assign(_y=ys)
    y_range = _headroom(ys)
    span = (y_range[1] - y_range[0]) if y_range else 1.0
    positions = label_positions(list(zip(rows["year"].astype(int).tolist(), ys, strict=True)), span)
    rows = rows.assign(_pos=positions)
    traces = []
    for i, (region_id, part) in enumerate(rows.groupby("region_id", sort=False, observed=True)):
        colour = PALETTE[i % len(PALETTE)]
        pos = part["_pos"].tolist()
        traces.append(
            {
                "type": "scatter",
                "x": part["year"].astype(int).tolist(),
                "y": part["_y"].tolist(),
                "mode": "lines+markers+text",
                "text": [esc(v) if p else "" for v, p in zip(part["value_display"].tolist(), pos, strict=True)],
                "textposition": [p or "top center" for p in pos],
                "cliponaxis": False,
                "customdata": _customdata(part),
                "hovertemplate": HOVER,
                "name": esc(part["region_label"].iloc[0]),
                "line": {"color": colour, "dash": "dash" if region_id in benchmark_ids else "solid"},
                "marker": {
                    "symbol": [KIND_STYLE[k]["symbol"] for k in part["kind"].tolist()],
                    "size": 11,
                    "color": colour,
                    "line": {"color": colour, "width": 2},
                },
            }
        )
    traces += _kind_legend(list(rows["kind"].unique()), lang)
    layout = {
        "xaxis": {"dtick": 1, "tickformat": "d", "title": {"text": t("common.year", lang)}},
        "height": 520,
        "margin": {"l": 60, "r": 70, "t": 130, "b": 100},  # room for a label right of the last year
    }
    if y_range:
        layout["yaxis"] = {"range": y_range}
    return _figure(traces, layout, title, rows, lang, y_title=y_title)


def ladder(rows: pd.DataFrame, title: str, lang: str) -> go.Figure:
    """A funnel of the tiers as stated (2787 → 255 → 107).

    No tier-to-tier percentages: the texts do not say one tier is a subset of the one
    above, so a ratio would be a figure no source states.
    """
    traces = [
        {
            "type": "funnel",
            "y": [esc(v) for v in rows["indicator_label"].tolist()],
            "x": rows["plot_value"].tolist(),
            "text": [esc(v) for v in rows["value_display"].tolist()],
            "texttemplate": "%{text}",
            "customdata": _customdata(rows),
            "hovertemplate": HOVER,
            "marker": {"color": [KIND_STYLE[k]["color"] for k in rows["kind"].tolist()]},
            "connector": {"line": {"color": "#999", "dash": "dot"}},
            "showlegend": False,
        },
        *_kind_legend(list(rows["kind"].unique()), lang),
    ]
    return _figure(traces, {"xaxis": {"visible": False}}, title, rows, lang)


@dataclass
class Whole:
    """Parts of one whole (100%), with the unstated remainder computed."""

    label: str
    parts: pd.DataFrame
    remainder: float = 0.0
    remainder_label: str = ""
    formula: str = ""
    over: bool = False
    meta: dict = field(default_factory=dict)


def remainder_formula(values: list[float], lang: str) -> tuple[float, str]:
    rest = round(100.0 - sum(values), 6)
    terms = " − ".join(fmt.number(v, lang) for v in values)
    return rest, f"100 − {terms}"


def wholes(
    rows: pd.DataFrame,
    indicators: pd.DataFrame,
    regions: pd.DataFrame,
    partitions: dict[str, list[str]],
    lang: str,
    *,
    all_obs: pd.DataFrame | None = None,
) -> list[Whole]:
    """Group share-of-a-whole figures into wholes.

    Two kinds: regions splitting their parent (splits_region) and indicators
    sharing a whole_id within one region. `all_obs` supplies the sibling parts
    for whole_id groups (the rows only hold the chosen indicator).
    """
    out: list[Whole] = []
    if rows.empty:
        return out
    ind = indicators.set_index("indicator_id")
    reg_records = {r["region_id"]: r for r in regions.to_dict("records")}
    indicator_id = rows["indicator_id"].iloc[0]
    info = ind.loc[indicator_id] if indicator_id in ind.index else {}
    pct = rows["unit"].eq("%").all()
    if not pct:
        return out
    exact_rows = rows[~rows["derived"].astype(bool)]
    if bool(info.get("splits_region", False)):
        parent = [str(reg_records.get(r, {}).get("parent_id", "") or "") for r in exact_rows["region_id"].tolist()]
        for parent_id, parts in exact_rows.groupby(parent, sort=False):
            if not parent_id:
                continue
            parts = parts.drop_duplicates("region_id").sort_values("plot_value", ascending=False)
            rest, formula = remainder_formula(parts["plot_value"].tolist(), lang)
            members = list(partitions.get(parent_id, []))
            if not members:
                members = [
                    r
                    for r, rec in reg_records.items()
                    if rec.get("parent_id") == parent_id and bool(rec.get("splits_parent", False))
                ]
            present = set(parts["region_id"].tolist())
            names = [name(reg_records[r], lang) for r in members if r in reg_records and r not in present]
            sep = "+" if lang == "zh" else " + "
            rest_name = sep.join(names) or t("common.remainder", lang)
            parent_name = name(reg_records[parent_id], lang) if parent_id in reg_records else parent_id
            whole = _whole(parent_name, parts, rest, rest_name, formula, lang)
            whole.meta["by"] = "region"
            out.append(whole)
    whole_id = str(info.get("whole_id", "") or "")
    if whole_id and all_obs is not None:
        members = ind.index[ind["whole_id"] == whole_id]
        siblings = all_obs[all_obs["indicator_id"].isin(members) & ~all_obs["derived"].astype(bool)]
        by_place = dict(list(siblings.groupby(["region_id", "year"], sort=False, observed=True)))
        for region_id, region_rows in exact_rows.groupby("region_id", sort=False, observed=True):
            year = region_rows["year"].iloc[0]
            parts = by_place.get((region_id, year), siblings.iloc[:0]).drop_duplicates("indicator_id")
            parts = parts.sort_values("plot_value", ascending=False)
            rest, formula = remainder_formula(parts["plot_value"].tolist(), lang)
            label = region_rows["region_label"].iloc[0]
            whole = _whole(label, parts, rest, t("common.remainder", lang), formula, lang)
            whole.meta["by"] = "indicator"
            out.append(whole)
    return out


def _whole(label, parts, rest, rest_name, formula, lang) -> Whole:
    over = rest < -0.05
    rest = max(rest, 0.0) if abs(rest) > 0.05 else 0.0
    rest_label = t("compare.remainder_label", lang, names=rest_name, formula=formula)
    return Whole(label, parts, rest, rest_label if rest else "", formula, over)


def whole_bars(items: list[Whole], title: str, lang: str, *, part_col: str) -> go.Figure:
    """Stacked 100% bars: the stated parts, then the derived remainder, hatched."""
    labels = [esc(w.label) for w in items]
    part_names = list(dict.fromkeys(p for w in items for p in w.parts[part_col]))
    all_parts = pd.concat([w.parts for w in items]) if items else pd.DataFrame()
    traces = []
    for i, part_name in enumerate(part_names):
        ys, xs, texts, cds = [], [], [], []
        for w, label in zip(items, labels, strict=True):
            hit = w.parts[w.parts[part_col] == part_name]
            if hit.empty:
                continue
            ys.append(label)
            xs.append(float(hit["plot_value"].iloc[0]))
            texts.append(esc(hit["value_display"].iloc[0]))
            cds.extend(_customdata(hit.iloc[:1]))
        traces.append(
            {
                "type": "bar",
                "y": ys,
                "x": xs,
                "orientation": "h",
                "name": esc(part_name),
                "text": texts,
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"color": _text_on(PALETTE[i % len(PALETTE)])},
                "customdata": cds,
                "hovertemplate": HOVER,
                "marker": {"color": PALETTE[i % len(PALETTE)], "line": {"color": "#fff", "width": 1}},
            }
        )
    rest = [(w, label) for w, label in zip(items, labels, strict=True) if w.remainder]
    if rest:
        traces.append(
            {
                "type": "bar",
                "y": [label for _, label in rest],
                "x": [w.remainder for w, _ in rest],
                "orientation": "h",
                "name": esc(rest[0][0].remainder_label),
                "text": [esc(fmt.with_unit(w.remainder, "%", lang)) for w, _ in rest],
                "textposition": "inside",
                "insidetextanchor": "middle",
                # A label on a hatched fill gets a white box so it stays legible.
                "textfont": {"color": "#222", "shadow": "0 0 3px #fff, 0 0 3px #fff"},
                "hovertext": [esc(w.remainder_label) for w, _ in rest],
                "hovertemplate": "%{hovertext}<extra></extra>",
                "marker": {
                    "color": "#ffffff",
                    "pattern": {"shape": ".", "fgcolor": "#555", "solidity": 0.4},
                    "line": {"color": "#555", "width": 1},
                },
                "meta": "remainder",
            }
        )
    layout = {
        "barmode": "stack",
        "xaxis": {"range": [0, 100], "ticksuffix": "%"},
        "height": 260 + 60 * len(items),
    }
    return _figure(traces, layout, title, all_parts, lang)


def _text_on(colour: str) -> str:
    """Black or white text, whichever reads better on `colour` (#RRGGBB)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"


def whole_table(items: list[Whole], lang: str) -> pd.DataFrame:
    """The parts' rows plus one derived row per remainder, with its formula."""
    frames = []
    for w in items:
        frames.append(table_view(w.parts, lang))
        if w.remainder:
            first = table_view(w.parts.iloc[:1], lang)
            row = {col: "" for col in first.columns}
            row[t("common.region", lang)] = w.label
            row[t("common.indicator", lang)] = w.remainder_label
            row[t("common.year", lang)] = first.iloc[0][t("common.year", lang)]
            row[t("common.value", lang)] = fmt.with_unit(w.remainder, "%", lang)
            row[t("common.status", lang)] = fmt.kind_label("derived", lang)
            row[t("common.note", lang)] = w.formula
            frames.append(pd.DataFrame([row]))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def table_view(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The chart's data as a table, with the sentence and a link to it."""
    out = pd.DataFrame(
        {
            t("common.region", lang): rows["region_label"],
            t("common.indicator", lang): rows["indicator_label"],
            t("common.year", lang): rows["year_label"],
            t("common.value", lang): rows["value_display"],
            t("common.status", lang): rows["kind_label"],
            t("common.source", lang): [
                f"[{c}] {s}" for c, s in zip(rows["cite"].tolist(), rows["source_label"].tolist(), strict=True)
            ],
            t("common.quote", lang): [flatten_quote(q) for q in rows["quote"].tolist()],
            t("common.note", lang): ["" if n is None or n != n else str(n) for n in rows["note"].tolist()],
            "link": rows["link"],
            "observation_id": rows["observation_id"].astype(str),
        }
    )
    return out.reset_index(drop=True)


def unit_title(indicators: pd.DataFrame, indicator_id: str, lang: str) -> str:
    hit = indicators[indicators["indicator_id"] == indicator_id]
    return unit_label(hit["unit"].iloc[0], lang) if len(hit) else ""
