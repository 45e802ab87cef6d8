"""Charts over time and of ranks: lines that never claim more than the sources state.

Why apart from charts.py: these marks carry the time rules. A line joins only
consecutive years of one region's series from one source (a gap stays a gap, two
papers are two series with their own marks and citations); a multi-year average is a
span, not its last year's point; a rank is a dot on an axis with rank 1 at the top,
never a bar from zero.
"""

from __future__ import annotations

import itertools

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import (
    FLAG_COLOUR,
    HOVER,
    KIND_STYLE,
    PALETTE,
    _customdata,
    _figure,
    _headroom,
    _kind_legend,
    esc,
    flag_text,
    readable_axis,
)
from dashboard.i18n import t

# One marker shape per source, in order of citation; a derived figure has the open form.
SOURCE_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "triangle-down", "star", "hexagon", "cross"]
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


def runs(years: list[int]) -> list[list[int]]:
    """Indices of `years` (sorted) cut into runs of consecutive years: 2021, 2022 | 2005."""
    out: list[list[int]] = []
    for i, y in enumerate(years):
        if out and y - years[out[-1][-1]] == 1:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def _symbol(cite: int, kind: str) -> str:
    base = SOURCE_SYMBOLS[(int(cite) - 1) % len(SOURCE_SYMBOLS)]
    return f"{base}-open" if kind == "derived" else base


def _series_traces(part: pd.DataFrame, colour: str, dash: str, name: str, rank: bool) -> list[dict]:
    """One trace per run of consecutive years of one region from one source."""
    part = part.sort_values("year", kind="stable")
    years = part["year"].astype(int).tolist()
    out = []
    for j, idx in enumerate(runs(years)):
        run = part.iloc[idx]
        pos = run["_pos"].tolist()
        out.append(
            {
                "type": "scatter",
                "x": run["year"].astype(int).tolist(),
                "y": run["_y"].tolist(),
                "mode": ("lines+markers+text" if len(run) > 1 else "markers+text"),
                "text": [v if p else "" for v, p in zip(run["_text"].tolist(), pos, strict=True)],
                "textposition": [p or "top center" for p in pos],
                "cliponaxis": False,
                "customdata": _customdata(run),
                "hovertemplate": HOVER,
                "name": name,
                "legendgroup": name,
                "showlegend": j == 0,
                "line": {"color": colour, "dash": dash},
                "marker": {
                    "symbol": [_symbol(c, k) for c, k in zip(run["cite"].tolist(), run["kind"].tolist(), strict=True)],
                    "size": 12,
                    "color": colour,
                    "line": {
                        "color": [FLAG_COLOUR if f else colour for f in run["g_flag"].astype(bool).tolist()],
                        "width": [4 if f else 2 for f in run["g_flag"].astype(bool).tolist()],
                    },
                },
                "meta": "rank" if rank else "series",
            }
        )
    return out


def _span_trace(row: dict, y: float, colour: str, name: str, cd: list) -> dict:
    """A multi-year average as a bar across its years, labelled at its middle."""
    return {
        "type": "scatter",
        "x": [row["g_first"], row["g_last"]],
        "y": [y, y],
        "mode": "lines+markers+text",
        "text": ["", row["_text"]],
        "textposition": "top left",
        "line": {"color": colour, "width": 7},
        "marker": {"symbol": "line-ns", "size": 16, "line": {"color": colour, "width": 3}},
        "opacity": 0.75,
        "customdata": [cd, cd],
        "hovertemplate": HOVER,
        "name": name,
        "meta": "span",
    }


def trend_lines(
    rows: pd.DataFrame,
    title: str,
    lang: str,
    benchmark_ids: frozenset[str] = frozenset(),
    *,
    rank: bool = False,
    notes: list[str] | None = None,
) -> go.Figure:
    """One indicator over the years: colour per region, marker shape per source.

    Value labels only where they do not collide (crowded points keep theirs in the hover),
    headroom above the highest point; for a rank, the axis is reversed (1 on top).
    """
    if "g_period" not in rows:
        from dashboard import guard

        rows = guard.annotate(rows)
    rows = rows.sort_values(["region_label", "source_id", "year"], kind="stable")
    ys, y_title = readable_axis(rows, lang)
    rows = rows.assign(_y=ys, _text=flag_text(rows, lang))
    is_span = (rows["g_period"] == "multi_year_average") & (rows["g_first"] < rows["g_last"])
    y_range = None if rank else _headroom(ys)
    span = (y_range[1] - y_range[0]) if y_range else (max(ys) - min(ys) or 1.0) if ys else 1.0
    points = list(zip(rows["year"].astype(int).tolist(), ys, strict=True))
    positions = ["top center" if s else p for p, s in zip(label_positions(points, span), is_span, strict=True)]
    rows = rows.assign(_pos=positions)
    traces: list[dict] = []
    colours = {r: PALETTE[i % len(PALETTE)] for i, r in enumerate(dict.fromkeys(rows["region_id"].tolist()))}
    for (region_id, _source), part in rows[~is_span].groupby(["region_id", "source_id"], sort=False, observed=True):
        name = esc(f"{part['region_label'].iloc[0]} [{int(part['cite'].iloc[0])}]")
        dash = "dash" if region_id in benchmark_ids else "solid"
        traces += _series_traces(part, colours[region_id], dash, name, rank)
    spans = rows[is_span]
    for row, cd in zip(spans.to_dict("records"), _customdata(spans), strict=True):
        name = esc(f"{row['region_label']} [{int(row['cite'])}] · {row['year_label']}")
        traces.append(_span_trace(row, row["_y"], colours[row["region_id"]], name, cd))
    traces += _kind_legend([k for k in rows["kind"].unique() if k == "derived"], lang)
    x_lo, x_hi = int(rows["g_first"].min()), int(rows["g_last"].max())
    xaxis = {"tickformat": "d", "title": {"text": t("common.year", lang)}, "range": [x_lo - 0.7, x_hi + 0.7]}
    if x_hi - x_lo <= 12:
        xaxis["dtick"] = 1
    layout = {"xaxis": xaxis, "height": 520, "margin": {"l": 60, "r": 70, "t": 130}}
    if rank:
        layout["yaxis"] = {"autorange": "reversed", "zeroline": False, "tickformat": "d", "rangemode": "normal"}
        y_title = t("guard.rank_axis", lang)
    elif y_range:
        layout["yaxis"] = {"range": y_range}
    return _figure(traces, layout, title, rows, lang, y_title=y_title, notes=notes)


def rank_dots(rows: pd.DataFrame, title: str, lang: str, *, notes: list[str] | None = None) -> go.Figure:
    """Ranks of several regions (or sources) as dots on a rank axis, 1 at the top, each
    labelled 第N位: never a bar whose length means nothing."""
    rows = rows.sort_values("value", kind="stable")
    labels = [f"{r} [{int(c)}]" for r, c in zip(rows["region_label"].tolist(), rows["cite"].tolist(), strict=True)]
    trace = {
        "type": "scatter",
        "x": [esc(v) for v in labels],
        "y": rows["value"].astype(float).tolist(),
        "mode": "markers+text",
        "text": flag_text(rows, lang),
        "textposition": "middle right",
        "cliponaxis": False,
        "customdata": _customdata(rows),
        "hovertemplate": HOVER,
        "marker": {"size": 14, "color": PALETTE[0]},
        "showlegend": False,
        "meta": "rank",
    }
    hi = max(rows["value"].astype(float).max(), 1.0)
    layout = {
        "yaxis": {"range": [hi + 1, 0.5], "zeroline": False, "tickformat": "d", "dtick": max(1, int(hi // 8) or 1)},
        "xaxis": {"tickangle": 0},
        "height": 420,
    }
    return _figure([trace], layout, title, rows, lang, y_title=t("guard.rank_axis", lang), notes=notes)


def ladder(rows: pd.DataFrame, title: str, lang: str) -> go.Figure:
    """A funnel of tiers the catalogue says are nested (each inside the one above).

    Drawn only for such tiers (see nested_tiers); no tier-to-tier percentages, which
    would be figures no source states.
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


def nested_tiers(indicators: pd.DataFrame, tiers: list[str]) -> bool:
    """True when the catalogue says each tier lies inside the one before it: the
    indicator's `inside_id` (optional catalogue column) names the broader tier. Without
    that, tiers are separate counts (省级, 累计, 国家级 may differ), never a ladder."""
    if "inside_id" not in indicators or len(tiers) < 2:
        return False
    inside = dict(zip(indicators["indicator_id"], indicators["inside_id"].fillna("").astype(str), strict=True))
    return all(inside.get(inner) == outer for outer, inner in itertools.pairwise(tiers))
