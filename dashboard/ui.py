"""Streamlit pieces every page shares: context, filters, chart frame, messages."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, state
from dashboard.data import LEVELS, Tables
from dashboard.i18n import name, t

_CTX = "_ctx"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def md(text: object) -> str:
    """Escape Markdown so titles and quotes are shown as typed, never interpreted."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


@dataclass(frozen=True)
class Context:
    """What app.py decided for this run: language, tables and the global filters."""

    lang: str
    tables: Tables
    regions: tuple[str, ...]
    years: tuple[int, int]

    def filtered(self, *, use_regions: bool = True) -> pd.DataFrame:
        obs = self.tables.observations
        mask = obs["year"].between(self.years[0], self.years[1])
        if use_regions and self.regions:
            mask &= obs["region_id"].isin(self.regions)
        return obs[mask]

    def rows(self, obs: pd.DataFrame) -> pd.DataFrame:
        tb = self.tables
        return charts.chart_rows(obs, tb.regions, tb.indicators, tb.sources, self.lang)

    def region_name(self, region_id: str) -> str:
        reg = self.tables.regions
        hit = reg[reg["region_id"] == region_id]
        return name(hit.iloc[0], self.lang) if len(hit) else region_id

    def indicator_name(self, indicator_id: str) -> str:
        ind = self.tables.indicators
        hit = ind[ind["indicator_id"] == indicator_id]
        return name(hit.iloc[0], self.lang) if len(hit) else indicator_id


def set_context(ctx: Context) -> None:
    st.session_state[_CTX] = ctx


def context() -> Context:
    return st.session_state[_CTX]


def region_options(tables: Tables, only_with_data: bool = True) -> list[str]:
    """Region ids grouped by level (bloc, country, macro-region, province, city)."""
    reg = tables.regions
    if only_with_data:
        reg = reg[reg["region_id"].isin(tables.observations["region_id"].unique())]
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    ordered = reg.assign(_r=reg["level"].map(rank).fillna(len(LEVELS))).sort_values(["_r", "region_id"], kind="stable")
    return ordered["region_id"].tolist()


def region_format(tables: Tables, lang: str):
    reg = tables.regions.set_index("region_id")

    def fmt(region_id: str) -> str:
        if region_id not in reg.index:
            return region_id
        row = reg.loc[region_id]
        level = t("level." + row["level"], lang)
        return f"{level} · {name(row, lang)}"

    return fmt


def indicator_options(tables: Tables, obs: pd.DataFrame | None = None) -> list[str]:
    ind = tables.indicators
    used = (obs if obs is not None else tables.observations)["indicator_id"].unique()
    ind = ind[ind["indicator_id"].isin(used)]
    return ind.sort_values(["topic", "indicator_id"], kind="stable")["indicator_id"].tolist()


def indicator_format(tables: Tables, lang: str):
    ind = tables.indicators.set_index("indicator_id")

    def fmt(indicator_id: str) -> str:
        if indicator_id not in ind.index:
            return indicator_id
        row = ind.loc[indicator_id]
        topic = t("topic." + row["topic"], lang)
        return f"{topic} · {name(row, lang)}"

    return fmt


def select_indicator(ctx: Context, options: list[str], label_key: str) -> str | None:
    default = _default_indicator(options)
    state.single("indicator", options, default, ctx.lang)
    if not options:
        return None
    value = st.selectbox(
        t(label_key, ctx.lang),
        options,
        format_func=indicator_format(ctx.tables, ctx.lang),
        key="indicator",
    )
    state.publish("indicator", value)
    return value


def _default_indicator(options: list[str]) -> str | None:
    from dashboard.data import views

    preferred = views().get("default_indicator")
    if preferred in options:
        return preferred
    return options[0] if options else None


def empty(ctx: Context, hint: str = "") -> None:
    """Never an error for an empty selection: say what to change."""
    st.info(t("notice.empty", ctx.lang) + (f"\n\n{md(hint)}" if hint else ""))


def show_chart(
    fig: go.Figure,
    rows: pd.DataFrame,
    ctx: Context,
    *,
    key: str,
    filename: str,
    table: pd.DataFrame | None = None,
) -> None:
    """Chart and its data side by side in tabs, the citations under both."""
    tab_chart, tab_table = st.tabs([t("common.chart", ctx.lang), t("common.table", ctx.lang)])
    with tab_chart:
        st.plotly_chart(fig, config=charts.plotly_config(filename), key=key, width="stretch")
    with tab_table:
        frame = charts.table_view(rows, ctx.lang) if table is None else table
        show_table(frame, ctx, key=f"{key}_table")
    st.caption(md(charts.caption(rows, ctx.lang)))


def show_table(frame: pd.DataFrame, ctx: Context, *, key: str) -> None:
    st.dataframe(
        frame,
        hide_index=True,
        key=key,
        column_config={
            "link": st.column_config.LinkColumn(
                t("common.show_in_source", ctx.lang),
                display_text=t("common.show_in_source", ctx.lang),
            ),
            "observation_id": None,
        },
    )


def flush_notices(slot, lang: str) -> None:
    msgs = state.notices()
    if msgs:
        slot.info("\n\n".join(md(m) for m in msgs), icon="ℹ️")
        msgs.clear()
