"""Trends: one indicator over the years for the chosen regions."""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard.i18n import t
from dashboard.ui import context, empty, fragment, indicator_options, md, select_indicator, show_chart

MAX_LINES = 12  # more lines than this is a tangle: the reader picks regions in the sidebar

ctx = context()
lang = ctx.lang
tb = ctx.tables
st.header(t("nav.trends", lang))


# A fragment: changing this page's own choices reruns only this part, not the sidebar,
# the navigation and the frame around it (a global filter still reruns everything).
@fragment
def view() -> None:
    indicator = select_indicator(ctx, indicator_options(tb, ctx.years), "trends.pick_indicator")
    if indicator is None:
        empty(ctx)
    else:
        rows = ctx.filtered(indicators=[indicator])
        if rows.empty:
            everywhere = ctx.filtered(use_regions=False, indicators=[indicator])
            have = everywhere["region_id"].unique()
            empty(ctx, t("notice.empty_has_data", lang) + "、".join(ctx.region_name(r) for r in have))
        else:
            if rows["year"].nunique() < 2:
                st.info(t("trends.single_year", lang))
            info = tb.indicators[tb.indicators["indicator_id"] == indicator].iloc[0]
            bench = frozenset(r for r in str(info["reference_regions"]).split("|") if r)
            counts = rows["region_id"].value_counts()
            counts = counts[counts > 0]  # a categorical counts every category, seen or not
            if len(counts) > MAX_LINES:
                rank = {r: i for i, r in enumerate(tb.region_order)}
                keep = sorted(counts.index, key=lambda r: (r not in bench, -counts[r], rank.get(r, len(rank))))
                keep = keep[:MAX_LINES]
                st.caption(md(t("trends.capped", lang, shown=len(keep), n=len(counts))))
                rows = rows[rows["region_id"].isin(keep)]
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


view()
