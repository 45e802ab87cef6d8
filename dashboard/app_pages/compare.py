"""Compare regions: one indicator in one year (or one stated period), benchmarks as
reference lines, ranks as dots, wholes shown whole; undated and flagged figures in a table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, guard, marks, memo, parts, state
from dashboard.data import views
from dashboard.i18n import t
from dashboard.ui import (
    context,
    empty,
    fragment,
    guard_choice,
    indicator_options,
    nested_notes,
    select_indicator,
    show_chart,
    show_hidden,
)

ctx = context()
lang = ctx.lang
tb = ctx.tables
st.header(t("nav.compare", lang))


def lane_order(lanes: set[str]) -> list:
    """Years newest first (as ints, as links have always written them), then stated
    periods, then the undated lane last."""
    years = sorted((int(x) for x in lanes if x.isdigit()), reverse=True)
    spans = sorted((x for x in lanes if "-" in x), reverse=True)
    return [*years, *spans, *(["undated"] if "undated" in lanes else [])]


def lane_label(lane) -> str:
    if lane == "undated":
        return t("period.lane_undated", lang)
    if isinstance(lane, str) and "-" in lane:
        first, last = lane.split("-")
        return t("period.lane_span", lang, first=first, last=last)
    return str(lane)


def _parse(value: str):
    return int(value) if value.isdigit() else value


def draw(indicator: str, lane, rows: pd.DataFrame, all_rows: pd.DataFrame, choice: guard.Choice) -> None:
    info = tb.indicators[tb.indicators["indicator_id"] == indicator].iloc[0]
    bench_ids = [r for r in str(info["reference_regions"]).split("|") if r]
    drawn, hidden = guard.split(rows, choice)
    hidden = charts.renumber(hidden)
    main = drawn[~drawn["region_id"].isin(bench_ids)]
    if ctx.regions:
        main = main[main["region_id"].isin(ctx.regions)]
        hidden = hidden[hidden["region_id"].isin([*ctx.regions, *bench_ids])]
    bench = all_rows.iloc[:0]
    if isinstance(lane, int):  # a benchmark from an earlier year still frames the comparison
        ok, _ = guard.split(all_rows[all_rows["region_id"].isin(bench_ids)], choice)
        bench = ok[ok["year"] <= lane].sort_values("year").groupby("region_id", observed=True).tail(1)
    title = f"{ctx.indicator_name(indicator)} · {lane_label(lane)}"
    if main.empty:
        have = sorted({ctx.region_name(r) for r in all_rows["region_id"].unique()})
        empty(ctx, t("notice.empty_has_data", lang) + "、".join(have))
        if len(hidden):
            show_hidden(hidden, ctx, key="compare_hidden")
        return
    both = charts.renumber(pd.concat([main, bench]))
    main, bench = both.iloc[: len(main)], both.iloc[len(main) :]
    notes, marked = nested_notes(main, ctx)
    filename = charts.slug(indicator, lane, "compare", lang)
    if guard.is_rank(tb.indicators, indicator):
        fig = marks.rank_dots(main, title, lang, notes=notes)
        show_chart(fig, main, ctx, key="compare_chart", filename=filename, hidden=hidden)
        return
    fig = charts.bars(main, title, lang, benchmarks=bench, notes=notes, marked=marked)
    shown = pd.concat([main, bench])
    # Many bars leave no room for a label on each: the values are in the hover and the table.
    note = t("compare.values_hidden", lang) if len(main) > charts.LABELLED_BARS else ""
    show_chart(fig, shown, ctx, key="compare_chart", filename=filename, hidden=hidden, note=note)
    draw_wholes(indicator, info, drawn[~drawn["region_id"].isin(bench_ids)], lane, choice, title)


def draw_wholes(indicator, info, drawn: pd.DataFrame, lane, choice, title: str) -> None:
    """Wholes use every stated part the chart may draw, whatever the region filter hides,
    so the remainder is never inflated by a filter."""
    group = str(info["whole_id"])
    if not (group or info["splits_region"]) or not isinstance(lane, int):
        return
    siblings = None
    if group:
        members = tb.indicators.loc[tb.indicators["whole_id"] == group, "indicator_id"].tolist()
        sib = ctx.filtered(use_regions=False, indicators=members)
        sib, _ = guard.split(ctx.rows(sib[sib["year"] == lane]), choice)
        siblings = sib
    items = parts.wholes(drawn, tb.indicators, tb.regions, views().get("partitions", {}), lang, all_obs=siblings)
    if not items:
        return
    st.subheader(t("compare.whole_title", lang))
    for by in ("region", "indicator"):
        chosen = [w for w in items if w.meta.get("by") == by]
        if not chosen:
            continue
        if any(w.over for w in chosen):
            st.warning(t("compare.over_whole", lang))
        part_col = "region_label" if by == "region" else "indicator_label"
        fig = parts.whole_bars(chosen, title, lang, part_col=part_col)
        show_chart(
            fig,
            pd.concat([w.parts for w in chosen]),
            ctx,
            key=f"compare_whole_{by}",
            filename=charts.slug(indicator, lane, "whole", lang),
            table=lambda chosen=chosen: parts.whole_table(chosen, lang),
        )


def indicator_rows(indicator: str) -> tuple[pd.DataFrame, list]:
    """The indicator's rows in the year filter, with their lane, and the lanes in order:
    kept per filter, so flipping back to an indicator does not rebuild them."""
    all_rows = ctx.rows(ctx.filtered(use_regions=False, indicators=[indicator]))
    lanes = guard.lanes(all_rows)
    return all_rows.assign(g_lane=lanes), lane_order(set(lanes))


# A fragment: changing the indicator or year reruns only this part of the page, not the
# sidebar, the navigation and the frame around it (a global filter still reruns it all).
@fragment
def view() -> None:
    left, right = st.columns([3, 1])
    with left:
        indicator = select_indicator(ctx, indicator_options(tb, ctx.years), "compare.pick_indicator")
    if indicator is None:
        empty(ctx)
        return
    all_rows, options = memo.cached(tb, "compare_rows", (lang, indicator, ctx.years), lambda: indicator_rows(indicator))
    state.single("year", options, options[0], lang, parse=_parse)
    with right:
        lane = st.selectbox(t("compare.pick_year", lang), options, format_func=lane_label, key="year")
    state.publish("year", lane)
    choice = guard_choice(ctx, "compare")
    rows = all_rows[all_rows["g_lane"] == str(lane)]
    if lane == "undated":
        st.info(t("guard.undated_lane", lang))
        hidden = rows.assign(g_why="undated")
        if ctx.regions:
            hidden = hidden[hidden["region_id"].isin(ctx.regions)]
        show_hidden(hidden, ctx, key="compare_undated")
        return
    draw(indicator, lane, rows, all_rows, choice)


view()
