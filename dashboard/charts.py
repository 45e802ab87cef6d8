"""Chart builders: pure functions from observation rows to plotly figures.

No Streamlit here, so every chart can be checked in a unit test. All text that
comes from a document is HTML-escaped before it reaches plotly, whose labels
understand a subset of HTML.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

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


def show_in_source_url(source_id: str, observation_id: str, lang: str) -> str:
    """A relative link to the sources page; ids come from the tables, never from the user."""
    query = {"source": source_id, "lang": lang}
    if observation_id:
        query["obs"] = observation_id
    return "./sources?" + urlencode(query)


def chart_rows(
    obs: pd.DataFrame,
    regions: pd.DataFrame,
    indicators: pd.DataFrame,
    sources: pd.DataFrame,
    lang: str,
) -> pd.DataFrame:
    """Observation rows plus everything a chart shows: labels, kind, citation number."""
    rows = obs.copy()
    reg = regions.set_index("region_id")
    ind = indicators.set_index("indicator_id")
    src = sources.set_index("source_id")
    rows["region_label"] = [name(reg.loc[r], lang) if r in reg.index else str(r) for r in rows["region_id"]]
    rows["region_level"] = [reg.at[r, "level"] if r in reg.index else "" for r in rows["region_id"]]
    rows["indicator_label"] = [name(ind.loc[i], lang) if i in ind.index else str(i) for i in rows["indicator_id"]]
    rows["kind"] = [fmt.kind(q, bool(d)) for q, d in zip(rows["qualifier"], rows["derived"], strict=True)]
    rows["kind_label"] = [fmt.kind_label(k, lang) for k in rows["kind"]]
    rows["value_display"] = [
        fmt.display(v, u, q, lang) for v, u, q in zip(rows["value"], rows["unit"], rows["qualifier"], strict=True)
    ]
    rows["plot_value"], plot_units = plot_values(rows, indicators)
    rows["unit_display"] = [unit_label(u, lang) for u in plot_units]
    rows["year_label"] = [
        f"{y} ({t(f'year_basis.{b}', lang)})" if b and b != "stated" else str(y)
        for y, b in zip(rows["year"], rows["year_basis"], strict=True)
    ]
    rows["source_label"] = [source_label(src.loc[s], lang) if s in src.index else str(s) for s in rows["source_id"]]
    order = list(dict.fromkeys(rows["source_id"]))
    rows["cite"] = [order.index(s) + 1 for s in rows["source_id"]]
    rows["quote_html"] = [quote_for_hover(q) for q in rows["quote"]]
    rows["link"] = [
        show_in_source_url(s, o, lang) for s, o in zip(rows["source_id"], rows["observation_id"], strict=True)
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


def plot_values(rows: pd.DataFrame, indicators: pd.DataFrame) -> tuple[list[float], list[str]]:
    """Values in the indicator's display unit, so 0.3 万亿元 and 3000 亿元 share one axis.

    Only rescales within one base unit; a figure in another currency keeps its stated
    value and unit rather than being silently relabelled.
    """
    scale_of_unit = {**KNOWN_SCALES, **dict(zip(rows["unit"], rows["scale"], strict=True))}
    info = indicators.set_index("indicator_id")
    values, units = [], []
    for ind, value, base, unit, scale, base_unit in zip(
        rows["indicator_id"],
        rows["value"],
        rows["value_base"],
        rows["unit"],
        rows["scale"],
        rows["base_unit"],
        strict=True,
    ):
        target = info.at[ind, "unit"] if ind in info.index else unit
        target_base = info.at[ind, "base_unit"] if "base_unit" in info.columns and ind in info.index else base_unit
        target_scale = scale_of_unit.get(target)
        same_base = not target_base or not base_unit or target_base == base_unit
        if target == unit or not target_scale or not same_base or not scale:
            values.append(float(value))
            units.append(unit)
        else:
            values.append(float(base) / float(target_scale))
            units.append(target)
    return values, units


def citations(rows: pd.DataFrame) -> list[tuple[int, str]]:
    pairs = rows[["cite", "source_label"]].drop_duplicates().sort_values("cite")
    return [(int(c), str(s)) for c, s in pairs.itertuples(index=False)]


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
    cols = rows[CUSTOMDATA].copy()
    for col in ("region_label", "indicator_label", "value_display", "source_label"):
        cols[col] = cols[col].map(esc)
    cols["cite"] = cols["cite"].astype(int)
    return cols.values.tolist()


def _finish(fig: go.Figure, title: str, rows: pd.DataFrame, lang: str, y_title: str = "") -> None:
    """Title, citation footer (kept in the PNG export) and a legend that explains markers."""
    footer = caption(rows, lang) if len(rows) else ""
    fig.update_layout(
        title={"text": esc(title), "x": 0.01, "xanchor": "left", "y": 0.98, "yref": "container", "yanchor": "top"},
        font={"family": FONT, "size": 13},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.03, "x": 0},
        margin={"l": 60, "r": 20, "t": 130, "b": 100},
        hoverlabel={"align": "left"},
        yaxis_title=esc(y_title),
        template="plotly_white",
        annotations=[
            *fig.layout.annotations,
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
    )


def _kind_legend(fig: go.Figure, kinds: list[str], lang: str) -> None:
    """Legend entries for marker shapes: dummy traces, never data."""
    for k in fmt.KINDS:
        if k not in kinds:
            continue
        style = KIND_STYLE[k]
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": style["symbol"], "color": "#555", "size": 10},
                name=fmt.kind_label(k, lang),
                legendgroup="kinds",
                legendgrouptitle={"text": t("common.status", lang)},
                hoverinfo="skip",
                meta="legend",
            )
        )


def bars(
    rows: pd.DataFrame,
    title: str,
    lang: str,
    *,
    category: str = "region_label",
    benchmarks: pd.DataFrame | None = None,
) -> go.Figure:
    """One bar per figure; colour and hatch say exact, bounded, approximate or derived."""
    rows = rows.sort_values("plot_value", ascending=False, kind="stable").copy()
    dup = rows[category].duplicated(keep=False)
    rows["x"] = [f"{c} [{n}]" if d else c for c, n, d in zip(rows[category], rows["cite"], dup, strict=True)]
    rows["x"] = rows["x"].map(esc)
    fig = go.Figure()
    for k in fmt.KINDS:
        part = rows[rows["kind"] == k]
        if part.empty:
            continue
        style = KIND_STYLE[k]
        fig.add_trace(
            go.Bar(
                x=part["x"].tolist(),
                y=part["plot_value"].tolist(),
                text=part["value_display"].map(esc).tolist(),
                textposition="auto",
                customdata=_customdata(part),
                hovertemplate=HOVER,
                name=fmt.kind_label(k, lang),
                marker={
                    "color": style["color"],
                    "pattern": {"shape": style["pattern"], "fgcolor": "#222", "solidity": 0.3},
                    "line": {"color": "#222", "width": 1},
                },
            )
        )
    all_rows = rows
    if benchmarks is not None and not benchmarks.empty:
        _benchmark_lines(fig, benchmarks, lang)
        all_rows = pd.concat([rows, benchmarks])
    fig.update_layout(
        barmode="overlay",
        bargap=0.65 if len(rows) < 3 else 0.3,
        xaxis={"categoryorder": "array", "categoryarray": rows["x"].tolist()},
    )
    unit = rows["unit_display"].iloc[0] if "unit_display" in rows and len(rows) else ""
    _finish(fig, title, all_rows, lang, y_title=unit)
    return fig


def _benchmark_lines(fig: go.Figure, benchmarks: pd.DataFrame, lang: str) -> None:
    """Benchmarks span the full width on a hidden 0–1 axis so they read as reference lines."""
    dashes = ["dash", "dot", "dashdot", "longdash"]
    for i, (_, row) in enumerate(benchmarks.iterrows()):
        label = f"{row['region_label']} {row['value_display']} ({row['year']}) [{row['cite']}]"
        fig.add_trace(
            go.Scatter(
                x=[0, 0.5, 1],
                y=[row["plot_value"]] * 3,
                xaxis="x2",
                mode="lines",
                line={"color": "#000000", "dash": dashes[i % len(dashes)], "width": 2},
                name=f"{t('common.reference', lang)}: {esc(label)}",
                customdata=_customdata(pd.DataFrame([row])) * 3,
                hovertemplate=HOVER,
                legendgroup="benchmarks",
                meta="benchmark",
            )
        )
    fig.update_layout(xaxis2={"overlaying": "x", "range": [0, 1], "visible": False, "fixedrange": True})


def trend_lines(rows: pd.DataFrame, title: str, lang: str, benchmark_ids: frozenset[str] = frozenset()) -> go.Figure:
    """One line per region; marker shape carries the kind of value."""
    fig = go.Figure()
    rows = rows.sort_values(["region_label", "year", "kind"], kind="stable")
    for i, (region_id, part) in enumerate(rows.groupby("region_id", sort=False)):
        colour = PALETTE[i % len(PALETTE)]
        fig.add_trace(
            go.Scatter(
                x=part["year"].astype(int).tolist(),
                y=part["plot_value"].tolist(),
                mode="lines+markers+text",
                text=part["value_display"].map(esc).tolist(),
                textposition="top center",
                customdata=_customdata(part),
                hovertemplate=HOVER,
                name=esc(part["region_label"].iloc[0]),
                line={"color": colour, "dash": "dash" if region_id in benchmark_ids else "solid"},
                marker={
                    "symbol": [KIND_STYLE[k]["symbol"] for k in part["kind"]],
                    "size": 11,
                    "color": colour,
                    "line": {"color": colour, "width": 2},
                },
            )
        )
    _kind_legend(fig, list(rows["kind"].unique()), lang)
    fig.update_layout(xaxis={"dtick": 1, "tickformat": "d", "title": t("common.year", lang)})
    unit = rows["unit_display"].iloc[0] if "unit_display" in rows and len(rows) else ""
    _finish(fig, title, rows, lang, y_title=unit)
    return fig


def ladder(rows: pd.DataFrame, title: str, lang: str) -> go.Figure:
    """A funnel of the tiers as stated (2787 → 255 → 107).

    No tier-to-tier percentages: the texts do not say one tier is a subset of the one
    above, so a ratio would be a figure no source states.
    """
    fig = go.Figure(
        go.Funnel(
            y=rows["indicator_label"].map(esc).tolist(),
            x=rows["plot_value"].tolist(),
            text=rows["value_display"].map(esc).tolist(),
            texttemplate="%{text}",
            customdata=_customdata(rows),
            hovertemplate=HOVER,
            marker={"color": [KIND_STYLE[k]["color"] for k in rows["kind"]]},
            connector={"line": {"color": "#999", "dash": "dot"}},
            showlegend=False,
        )
    )
    _kind_legend(fig, list(rows["kind"].unique()), lang)
    _finish(fig, title, rows, lang)
    fig.update_layout(xaxis={"visible": False})
    return fig


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
    reg = regions.set_index("region_id")
    indicator_id = rows["indicator_id"].iloc[0]
    info = ind.loc[indicator_id] if indicator_id in ind.index else {}
    pct = rows["unit"].eq("%").all()
    if not pct:
        return out
    exact_rows = rows[~rows["derived"].astype(bool)]
    if bool(info.get("splits_region", False)):
        parent = exact_rows["region_id"].map(lambda r: reg.at[r, "parent_id"] if r in reg.index else "")
        for parent_id, parts in exact_rows.groupby(parent.values, sort=False):
            if not parent_id:
                continue
            parts = parts.drop_duplicates("region_id").sort_values("plot_value", ascending=False)
            rest, formula = remainder_formula(parts["plot_value"].tolist(), lang)
            members = list(partitions.get(parent_id, []))
            if "splits_parent" in reg.columns:
                flagged = reg.index[(reg["parent_id"] == parent_id) & reg["splits_parent"]]
                members = members or list(flagged)
            names = [name(reg.loc[r], lang) for r in members if r in reg.index and r not in set(parts["region_id"])]
            sep = "+" if lang == "zh" else " + "
            rest_name = sep.join(names) or t("common.remainder", lang)
            parent_name = name(reg.loc[parent_id], lang) if parent_id in reg.index else parent_id
            whole = _whole(parent_name, parts, rest, rest_name, formula, lang)
            whole.meta["by"] = "region"
            out.append(whole)
    whole_id = str(info.get("whole_id", "") or "")
    if whole_id and all_obs is not None:
        members = ind.index[ind["whole_id"] == whole_id]
        for region_id, region_rows in exact_rows.groupby("region_id", sort=False):
            year = region_rows["year"].iloc[0]
            parts = all_obs[
                all_obs["indicator_id"].isin(members)
                & (all_obs["region_id"] == region_id)
                & (all_obs["year"] == year)
                & ~all_obs["derived"].astype(bool)
            ].drop_duplicates("indicator_id")
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
    fig = go.Figure()
    labels = [esc(w.label) for w in items]
    part_names = list(dict.fromkeys(p for w in items for p in w.parts[part_col]))
    all_parts = pd.concat([w.parts for w in items]) if items else pd.DataFrame()
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
        fig.add_trace(
            go.Bar(
                y=ys,
                x=xs,
                orientation="h",
                name=esc(part_name),
                text=texts,
                textposition="inside",
                customdata=cds,
                hovertemplate=HOVER,
                marker={"color": PALETTE[i % len(PALETTE)], "line": {"color": "#fff", "width": 1}},
            )
        )
    rest = [(w, label) for w, label in zip(items, labels, strict=True) if w.remainder]
    if rest:
        fig.add_trace(
            go.Bar(
                y=[label for _, label in rest],
                x=[w.remainder for w, _ in rest],
                orientation="h",
                name=esc(rest[0][0].remainder_label),
                text=[esc(fmt.with_unit(w.remainder, "%", lang)) for w, _ in rest],
                textposition="inside",
                hovertext=[esc(w.remainder_label) for w, _ in rest],
                hovertemplate="%{hovertext}<extra></extra>",
                marker={
                    "color": "#ffffff",
                    "pattern": {"shape": ".", "fgcolor": "#555", "solidity": 0.4},
                    "line": {"color": "#555", "width": 1},
                },
                meta="remainder",
            )
        )
    fig.update_layout(barmode="stack", xaxis={"range": [0, 100], "ticksuffix": "%"})
    _finish(fig, title, all_parts, lang)
    fig.update_layout(height=260 + 60 * len(items))
    return fig


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
            t("common.source", lang): [f"[{c}] {s}" for c, s in zip(rows["cite"], rows["source_label"], strict=True)],
            t("common.quote", lang): rows["quote"].map(flatten_quote),
            t("common.note", lang): rows["note"].fillna(""),
            "link": rows["link"],
            "observation_id": rows["observation_id"],
        }
    )
    return out.reset_index(drop=True)


def unit_title(indicators: pd.DataFrame, indicator_id: str, lang: str) -> str:
    hit = indicators[indicators["indicator_id"] == indicator_id]
    return unit_label(hit["unit"].iloc[0], lang) if len(hit) else ""
