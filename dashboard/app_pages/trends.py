"""Trends: one indicator over the years for the chosen regions."""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard.i18n import t
from dashboard.ui import context, empty, indicator_options, select_indicator, show_chart

ctx = context()
lang = ctx.lang
tb = ctx.tables
st.header(t("nav.trends", lang))

obs = ctx.filtered()
indicator = select_indicator(ctx, indicator_options(tb, ctx.filtered(use_regions=False)), "trends.pick_indicator")
if indicator is None:
    empty(ctx)
else:
    rows = obs[obs["indicator_id"] == indicator]
    if rows.empty:
        everywhere = ctx.filtered(use_regions=False)
        have = everywhere.loc[everywhere["indicator_id"] == indicator, "region_id"].unique()
        empty(ctx, t("notice.empty_has_data", lang) + "、".join(ctx.region_name(r) for r in have))
    else:
        if rows["year"].nunique() < 2:
            st.info(t("trends.single_year", lang))
        info = tb.indicators[tb.indicators["indicator_id"] == indicator].iloc[0]
        bench = frozenset(r for r in str(info["reference_regions"]).split("|") if r)
        chart_rows = ctx.rows(rows.sort_values(["region_id", "year"]))
        y0, y1 = int(rows["year"].min()), int(rows["year"].max())
        title = f"{ctx.indicator_name(indicator)} · {y0}–{y1}"
        fig = charts.trend_lines(chart_rows, title, lang, benchmark_ids=bench)
        show_chart(
            fig,
            chart_rows,
            ctx,
            key="trend_chart",
            filename=charts.slug(indicator, f"{y0}-{y1}", "trend", lang),
        )
