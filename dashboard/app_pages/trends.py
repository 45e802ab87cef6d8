"""Trends: one indicator over the years for the chosen regions.

Only figures with a year (or a stated span) go on the year axis; undated, flagged or
non-actual figures are listed under the chart with the reason.
"""

from __future__ import annotations

import streamlit as st

from dashboard import charts, guard, marks
from dashboard.i18n import t
from dashboard.ui import (
    context,
    empty,
    fragment,
    guard_choice,
    indicator_options,
    md,
    nested_notes,
    select_indicator,
    show_chart,
    show_hidden,
)

MAX_LINES = 12  # more lines than this is a tangle: the reader picks regions in the sidebar

ctx = context()
lang = ctx.lang
tb = ctx.tables
st.header(t("nav.trends", lang))


def cap(rows, bench: frozenset[str]):
    counts = rows["region_id"].value_counts()
    counts = counts[counts > 0]  # a categorical counts every category, seen or not
    if len(counts) <= MAX_LINES:
        return rows
    rank = {r: i for i, r in enumerate(tb.region_order)}
    keep = sorted(counts.index, key=lambda r: (r not in bench, -counts[r], rank.get(r, len(rank))))[:MAX_LINES]
    st.caption(md(t("trends.capped", lang, shown=len(keep), n=len(counts))))
    return rows[rows["region_id"].isin(keep)]


# A fragment: changing this page's own choices reruns only this part, not the sidebar,
# the navigation and the frame around it (a global filter still reruns everything).
@fragment
def view() -> None:
    indicator = select_indicator(ctx, indicator_options(tb, ctx.years), "trends.pick_indicator")
    if indicator is None:
        empty(ctx)
        return
    rows = ctx.filtered(indicators=[indicator])
    if rows.empty:
        everywhere = ctx.filtered(use_regions=False, indicators=[indicator])
        have = everywhere["region_id"].unique()
        empty(ctx, t("notice.empty_has_data", lang) + "、".join(ctx.region_name(r) for r in have))
        return
    choice = guard_choice(ctx, "trends")
    info = tb.indicators[tb.indicators["indicator_id"] == indicator].iloc[0]
    bench = frozenset(r for r in str(info["reference_regions"]).split("|") if r)
    drawn, hidden = guard.split(ctx.rows(cap(rows, bench).sort_values(["region_id", "year"])), choice)
    drawn, hidden = charts.renumber(drawn), charts.renumber(hidden)
    if drawn.empty:
        st.info(t("guard.undated_lane", lang) if hidden["g_why"].eq("undated").all() else t("notice.empty", lang))
        show_hidden(hidden, ctx, key="trend_hidden")
        return
    if drawn["g_first"].min() == drawn["g_last"].max():
        st.info(t("trends.single_year", lang))
    y0, y1 = int(drawn["g_first"].min()), int(drawn["g_last"].max())
    title = f"{ctx.indicator_name(indicator)} · {y0}–{y1}" if y0 < y1 else f"{ctx.indicator_name(indicator)} · {y0}"
    notes, _ = nested_notes(drawn, ctx)
    rank = guard.is_rank(tb.indicators, indicator)
    fig = marks.trend_lines(
        drawn, title, lang, benchmark_ids=bench, rank=rank, notes=[t("guard.line_rule", lang), *notes]
    )
    show_chart(
        fig,
        drawn,
        ctx,
        key="trend_chart",
        filename=charts.slug(indicator, f"{y0}-{y1}", "trend", lang),
        hidden=hidden,
    )


view()
