"""Parts of a whole: shares that add up to 100%, for the charts and the Quality page.

Why one module: the Compare page draws a whole (the East's and West's shares of
China's R&D spending, with the unstated remainder derived and named), and the Quality
page reports wholes whose stated parts exceed 100%. Both must agree on what a whole
is: indicators sharing a `whole_id` within one region and year, or regions that
partition their parent (`splits_region` indicators over `splits_parent` regions).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import fmt
from dashboard.charts import HOVER, PALETTE, _customdata, _figure, esc, table_view
from dashboard.i18n import name, t


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
            whole.meta["key"] = str(indicator_id)
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
            whole.meta["key"] = whole_id
            out.append(whole)
    return out


def _whole(label, parts, rest, rest_name, formula, lang) -> Whole:
    over = rest < -0.05
    rest = max(rest, 0.0) if abs(rest) > 0.05 else 0.0
    rest_label = t("compare.remainder_label", lang, names=rest_name, formula=formula)
    return Whole(label, parts, rest, rest_label if rest else "", formula, over)


def whole_key(items: list[Whole]) -> str:
    """What the chart's parts are parts of: the catalogue's whole_id, or the indicator whose
    regions split their parent. Charts of parts are checked against one such key."""
    keys = {str(w.meta.get("key", "")) for w in items}
    return keys.pop() if len(keys) == 1 else "|".join(sorted(keys))


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
                "meta": f"whole:{whole_key(items)}",
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


def over_whole(tables) -> list:
    """Parts of one whole (shared whole_id, or regions splitting a parent) above 100%:
    quality.Groups of row positions, one family per kind of whole."""
    from dashboard.quality import _texts  # quality imports this module at load

    obs = tables.observations
    ind = tables.indicators
    value = obs["value"].to_numpy()
    indicator = obs["indicator_id"]
    region = obs["region_id"]
    year = obs["year"].to_numpy()
    pct = (~obs["derived"].to_numpy()) & (obs["unit"] == "%").to_numpy()
    ind_text, ind_code = _texts(indicator)
    reg_text, reg_code = _texts(region)
    out = []

    grouped = ind[ind["whole_id"] != ""]
    whole_of = dict(zip(grouped["indicator_id"], grouped["whole_id"], strict=True))
    if whole_of:
        sel = np.flatnonzero(pct & indicator.isin(list(whole_of)).to_numpy())
        parts = pd.DataFrame(
            {
                "whole_id": [whole_of[i] for i in indicator.take(sel).tolist()],
                "region_id": region.take(sel).to_numpy(),
                "year": year[sel],
                "indicator_id": indicator.take(sel).to_numpy(),
                "value": value[sel],
            },
            index=sel,
        ).drop_duplicates(["whole_id", "region_id", "year", "indicator_id"])

        def whole_reason(rows: np.ndarray) -> str:
            first = int(rows[0])
            whole = whole_of[ind_text[ind_code[first]]]
            return f"{whole} {reg_text[reg_code[first]]} {year[first]}: {value[rows].sum():g}% > 100%"

        out.append(_over(parts, ["whole_id", "region_id", "year"], whole_reason))

    splits = ind.loc[ind["splits_region"], "indicator_id"].tolist()
    if splits:
        parent_of = dict(zip(tables.regions["region_id"], tables.regions["parent_id"], strict=True))
        sel = np.flatnonzero(pct & indicator.isin(splits).to_numpy())
        parts = pd.DataFrame(
            {
                "indicator_id": indicator.take(sel).to_numpy(),
                "parent": [parent_of.get(r, "") or "" for r in region.take(sel).tolist()],
                "year": year[sel],
                "region_id": region.take(sel).to_numpy(),
                "value": value[sel],
            },
            index=sel,
        )
        parts = parts[parts["parent"] != ""].drop_duplicates(["indicator_id", "parent", "year", "region_id"])

        def split_reason(rows: np.ndarray) -> str:
            first = int(rows[0])
            parent = parent_of.get(reg_text[reg_code[first]], "")
            return f"{ind_text[ind_code[first]]} {parent} {year[first]}: {value[rows].sum():g}% > 100%"

        out.append(_over(parts, ["indicator_id", "parent", "year"], split_reason))
    return out


def _over(parts: pd.DataFrame, keys: list[str], describe):
    from dashboard.quality import _group

    total = parts.groupby(keys, observed=True, sort=False)["value"].transform("sum")
    return _group(parts[(total > 100.05).to_numpy()], keys, describe)
