"""The provincial panel: official figures by province and year, and claims drawn over them.

Pure functions from the published tables to frames and plotly figures (no Streamlit), so
every chart is tested without a browser. Official figures are those of sources with kind
official; a claim is a figure from any other source, shown as a mark with its citation and
its cross-check status. Text from documents is HTML-escaped before it reaches plotly.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import yaml

from dashboard.i18n import LOADER
from dashboard.notes import localise

LABELS = Path(__file__).resolve().parent / "panel_labels.yaml"
UNDATED = ("publication", "unstated")  # year_basis values whose year is no data year
OFFICIAL_COLOR, CLAIM_COLOR, DIFFERS_COLOR = "#0072B2", "#E69F00", "#D55E00"


@lru_cache(maxsize=1)
def _labels() -> dict:
    return yaml.load(LABELS.read_text(encoding="utf-8"), Loader=LOADER)


def label(key: str, lang: str, **fmt: object) -> str:
    node = _labels()
    for part in key.split("."):
        node = node[part]
    return str(node[lang]).format(**fmt)


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def official_ids(sources: pd.DataFrame) -> set[str]:
    kind = sources.get("kind", pd.Series("", index=sources.index)).astype(str).str.strip()
    return set(sources.loc[kind == "official", "source_id"].astype(str))


def panel(obs: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Official figures: exact values and derived bounds, one row per figure (none a reviewer rejected)."""
    rows = obs[obs["source_id"].astype(str).isin(official_ids(sources))].copy()
    if "review_state" in rows:
        rows = rows[rows["review_state"].astype(str) != "rejected"]
    for col in ("indicator_id", "region_id", "source_id", "qualifier"):
        rows[col] = rows[col].astype(str)
    return rows


def claims(obs: pd.DataFrame, sources: pd.DataFrame, indicator: str, region: str) -> pd.DataFrame:
    """Claims from non-official texts that may be drawn: a data year, nothing implausible."""
    rows = obs[(obs["indicator_id"].astype(str) == indicator) & (obs["region_id"].astype(str) == region)]
    return drawable_claims(rows, sources)


def drawable_claims(obs: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    rows = obs[~obs["source_id"].astype(str).isin(official_ids(sources))]
    rows = rows[~rows["year_basis"].astype(str).isin(UNDATED)]
    rows = rows[~rows["flags"].astype(str).str.contains("implausible")]
    if "status" in rows.columns:
        rows = rows[rows["status"].astype(str).isin(["actual", ""])]
    return rows


def provinces(regions: pd.DataFrame) -> pd.DataFrame:
    """The 31 provinces: level province under a macro-region that splits China."""
    macros = set(regions.loc[regions["splits_parent"].astype(bool), "region_id"].astype(str))
    return regions[(regions["level"].astype(str) == "province") & regions["parent_id"].astype(str).isin(macros)]


@dataclass(frozen=True)
class PanelData:
    """What the provinces page reads on every redraw, worked out once per tables: the
    official rows (the copy that takes precedence first, so one row per region-year is
    the one drawn), per indicator; the indicators and years with provincial figures; each
    region's parent; and where each (indicator, region)'s drawable claims are."""

    official: pd.DataFrame
    by_indicator: dict[str, pd.DataFrame]
    options: list[str]
    years: dict[str, list[int]]
    province_ids: frozenset[str]
    parent: dict[str, str]
    observations: pd.DataFrame
    claims_at: dict[tuple[str, str], np.ndarray]  # row positions in `observations`

    def claims(self, indicator: str, region: str) -> pd.DataFrame:
        pos = self.claims_at.get((indicator, region))
        return self.observations.iloc[:0] if pos is None else self.observations.take(pos)

    def provincial(self, indicator: str) -> pd.DataFrame:
        rows = self.by_indicator.get(indicator, self.official.iloc[:0])
        return rows[rows["region_id"].isin(self.province_ids) & (rows["qualifier"] == "exact")]


def panel_data(tables, source_rank: dict[str, int]) -> PanelData:
    official = panel(tables.observations, tables.sources)
    rank = official["source_id"].map(source_rank).fillna(len(source_rank))
    official = official.iloc[rank.argsort(kind="stable")]
    ids = frozenset(provinces(tables.regions)["region_id"].astype(str))
    by_province = official[official["region_id"].isin(ids) & (official["qualifier"] == "exact")]
    years = {
        str(i): sorted((int(y) for y in g.unique()), reverse=True)
        for i, g in by_province.groupby("indicator_id", sort=True)["year"]
    }
    claim_rows = drawable_claims(tables.observations, tables.sources)
    at = tables.observations.index.get_indexer(claim_rows.index)  # positions, not a copy of the rows
    keys = [claim_rows["indicator_id"].astype(str).tolist(), claim_rows["region_id"].astype(str).tolist()]
    claims_at = pd.Series(at).groupby(keys, sort=False).indices if len(at) else {}
    return PanelData(
        official=official,
        by_indicator={str(i): g for i, g in official.groupby("indicator_id", sort=False, observed=True)},
        options=sorted(years),
        years=years,
        province_ids=ids,
        parent=dict(zip(tables.regions["region_id"].astype(str), tables.regions["parent_id"].astype(str), strict=True)),
        observations=tables.observations,
        claims_at={k: at[v] for k, v in claims_at.items()},
    )


def ranked(
    panel_rows: pd.DataFrame, indicator: str, year: int, regions: pd.DataFrame
) -> tuple[pd.DataFrame, list[str]]:
    """(one exact official row per province, largest first; provinces without a figure)."""
    prov = provinces(regions)
    rows = panel_rows[
        (panel_rows["indicator_id"] == indicator)
        & (panel_rows["year"] == year)
        & (panel_rows["qualifier"] == "exact")
        & panel_rows["region_id"].isin(set(prov["region_id"].astype(str)))
    ]
    rows = rows.drop_duplicates("region_id").sort_values("value", ascending=False)
    missing = sorted(set(prov["region_id"].astype(str)) - set(rows["region_id"]))
    return rows, missing


HOVER_COLUMNS = ("region_id", "year", "value", "unit", "source_id", "quote")


def _records(rows: pd.DataFrame) -> list[dict]:
    """The columns a hover reads, as plain dicts: iterrows builds a Series per row, which
    cost a redraw of the provinces page more than the chart itself."""
    return rows[list(HOVER_COLUMNS)].to_dict("records")


def _hover(row, name: str, lang: str, status: str = "") -> str:
    parts = [f"<b>{esc(name)}</b> · {int(row['year'])}", f"{esc(row['value'])} {esc(row['unit'])}"]
    if status:
        parts.append(esc(label(f"status.{status}", lang)))
    parts += [f"[{esc(row['source_id'])}]", f"<i>{esc(str(row['quote'])[:160])}</i>"]
    return "<br>".join(parts)


def ranked_chart(rows: pd.DataFrame, names: dict[str, str], title: str, lang: str) -> go.Figure:
    """All provinces with a figure as horizontal bars, the largest on top, each citing its row."""
    rows = rows.iloc[::-1]  # plotly draws the first category at the bottom
    fig = go.Figure(
        go.Bar(
            x=rows["value"].tolist(),
            y=[names.get(r, r) for r in rows["region_id"]],
            orientation="h",
            marker_color=OFFICIAL_COLOR,
            text=[
                f"{v:g}{'' if u == '%' else ' '}{esc(u)}"
                for v, u in zip(rows["value"].tolist(), rows["unit"].tolist(), strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            hovertext=[_hover(r, names.get(r["region_id"], r["region_id"]), lang) for r in _records(rows)],
            hoverinfo="text",
            name=label("official", lang),
        )
    )
    # Every value written beside its bar (a horizontal bar has room for it): 31 provinces
    # are read without hovering.
    fig.update_layout(title=esc(title), height=max(320, 22 * len(rows) + 120), margin={"l": 110, "r": 90})
    return fig


def series_chart(official: pd.DataFrame, claim_rows: pd.DataFrame, name: str, title: str, lang: str) -> go.Figure:
    """A region's official series over the years, and the texts' claims as marks over it."""
    official = official[official["qualifier"] == "exact"].drop_duplicates("year").sort_values("year")
    fig = go.Figure(
        go.Scatter(
            x=official["year"].tolist(),
            y=official["value"].tolist(),
            mode="lines+markers",
            line={"color": OFFICIAL_COLOR},
            name=label("official", lang),
            hovertext=[_hover(r, name, lang) for r in _records(official)],
            hoverinfo="text",
        )
    )
    if len(claim_rows):
        status = claim_rows.get("check_status", pd.Series("", index=claim_rows.index)).astype(str)
        fig.add_trace(
            go.Scatter(
                x=claim_rows["year"].tolist(),
                y=claim_rows["value"].tolist(),
                mode="markers",
                marker={
                    "symbol": "diamond-open",
                    "size": 13,
                    "line": {"width": 2},
                    "color": [DIFFERS_COLOR if s == "differs" else CLAIM_COLOR for s in status],
                },
                name=label("claim", lang),
                hovertext=[_hover(r, name, lang, s) for r, s in zip(_records(claim_rows), status, strict=True)],
                hoverinfo="text",
            )
        )
    fig.update_layout(title=esc(title), xaxis={"dtick": 1})
    return fig


def context_rows(panel_rows: pd.DataFrame, indicator: str, year: int, region: str, macro: str) -> pd.DataFrame:
    """The province's, its macro-region's and the nation's figures for one year (bounds kept)."""
    rows = panel_rows[(panel_rows["indicator_id"] == indicator) & (panel_rows["year"] == year)]
    rows = rows[rows["region_id"].isin([region, macro, "china"])]
    order = {region: 0, macro: 1, "china": 2}
    return rows.assign(_o=rows["region_id"].map(order)).sort_values(["_o", "qualifier"]).drop(columns="_o")


def context_chart(rows: pd.DataFrame, names: dict[str, str], title: str, lang: str) -> go.Figure:
    """Bars for exact figures; a range (derived from an incomplete table) as an error bar, only
    where no table of the year gives the region's exact figure."""
    fig = go.Figure()
    exact = rows[rows["qualifier"] == "exact"].drop_duplicates("region_id")
    fig.add_trace(
        go.Bar(
            x=[names.get(r, r) for r in exact["region_id"]],
            y=exact["value"].tolist(),
            marker_color=[OFFICIAL_COLOR if not d else "#999999" for d in exact["derived"]],
            hovertext=[_hover(r, names.get(r["region_id"], r["region_id"]), lang) for r in _records(exact)],
            hoverinfo="text",
            name=label("official", lang),
        )
    )
    low = rows[rows["qualifier"] == "at_least"].drop_duplicates("region_id").set_index("region_id")["value"]
    high = rows[rows["qualifier"] == "at_most"].drop_duplicates("region_id").set_index("region_id")["value"]
    for region in low.index.intersection(high.index).difference(exact["region_id"]):  # exact beats a range
        mid = (low[region] + high[region]) / 2
        fig.add_trace(
            go.Scatter(
                x=[names.get(region, region)],
                y=[mid],
                mode="markers",
                error_y={"type": "data", "array": [high[region] - mid], "visible": True},
                marker={"color": "#999999", "symbol": "line-ew-open", "size": 18},
                name=label("bound", lang),
                hovertext=[f"{esc(names.get(region, region))}: {low[region]}–{high[region]}"],
                hoverinfo="text",
            )
        )
    fig.update_layout(title=esc(title))
    return fig


def disagreements(obs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every claim that differs from the official figure, both figures and both sources cited."""
    if "check_status" not in obs.columns:
        return pd.DataFrame()
    rows = obs[obs["check_status"].astype(str) == "differs"]
    return pd.DataFrame(
        {
            label("columns.source", lang): rows["source_id"].astype(str),
            label("columns.claim", lang): [f"{v:g} {u}" for v, u in zip(rows["value"], rows["unit"], strict=True)],
            label("columns.official", lang): [
                f"{v:g} ({s})" for v, s in zip(rows["check_value"], rows["check_source_id"], strict=True)
            ],
            label("columns.note", lang): [localise(n, lang) for n in rows["check_note"].astype(str)],
            label("columns.quote", lang): rows["quote"].astype(str),
        }
    )
