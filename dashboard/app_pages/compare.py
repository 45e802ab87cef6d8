"""Compare regions: one indicator in one year, benchmarks as reference lines, wholes shown whole."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, state
from dashboard.data import views
from dashboard.i18n import t
from dashboard.ui import context, empty, fragment, indicator_options, select_indicator, show_chart

ctx = context()
lang = ctx.lang
tb = ctx.tables
st.header(t("nav.compare", lang))


# A fragment: changing the indicator or year reruns only this part of the page, not the
# sidebar, the navigation and the frame around it (a global filter still reruns it all).
@fragment
def view() -> None:
    left, right = st.columns([3, 1])
    with left:
        indicator = select_indicator(ctx, indicator_options(tb, ctx.years), "compare.pick_indicator")

    if indicator is None:
        empty(ctx)
    else:
        of_indicator = ctx.filtered(use_regions=False, indicators=[indicator])
        years = sorted({int(y) for y in of_indicator["year"].unique()}, reverse=True)
        state.single("year", years, years[0], lang, parse=int)
        with right:
            year = st.selectbox(t("compare.pick_year", lang), years, key="year")
        state.publish("year", year)

        info = tb.indicators[tb.indicators["indicator_id"] == indicator].iloc[0]
        bench_ids = [r for r in str(info["reference_regions"]).split("|") if r]
        in_year = of_indicator[of_indicator["year"] == year]
        main = in_year[~in_year["region_id"].isin(bench_ids)]
        if ctx.regions:
            main = main[main["region_id"].isin(ctx.regions)]
        # A benchmark from an earlier year still frames the comparison; its label says which year.
        bench = (
            of_indicator[of_indicator["region_id"].isin(bench_ids) & (of_indicator["year"] <= year)]
            .sort_values("year")
            .groupby("region_id", observed=True)
            .tail(1)
        )
        title = f"{ctx.indicator_name(indicator)} · {year}"
        if main.empty:
            have = sorted({ctx.region_name(r) for r in of_indicator["region_id"].unique()})
            empty(ctx, t("notice.empty_has_data", lang) + "、".join(have))
        else:
            rows = ctx.rows(pd.concat([main, bench]))
            main_rows = rows[rows["observation_id"].isin(main["observation_id"])]
            bench_rows = rows[rows["observation_id"].isin(bench["observation_id"])]
            fig = charts.bars(main_rows, title, lang, benchmarks=bench_rows)
            show_chart(
                fig,
                rows,
                ctx,
                key="compare_chart",
                filename=charts.slug(indicator, year, "compare", lang),
            )

            # Wholes use every stated part, whatever the region filter hides, so the remainder
            # is never inflated by a filter.
            parts = in_year[~in_year["region_id"].isin(bench_ids)]
            group = str(info["whole_id"])
            items = []
            if group or info["splits_region"]:
                members = tb.indicators.loc[tb.indicators["whole_id"] == group, "indicator_id"].tolist()
                siblings = ctx.filtered(use_regions=False, indicators=members) if group else of_indicator.iloc[:0]
                siblings = siblings[siblings["year"] == year]
                items = charts.wholes(
                    ctx.rows(parts),
                    tb.indicators,
                    tb.regions,
                    views().get("partitions", {}),
                    lang,
                    all_obs=ctx.rows(siblings) if group else None,
                )
            if items:
                st.subheader(t("compare.whole_title", lang))
                for by in ("region", "indicator"):
                    chosen = [w for w in items if w.meta.get("by") == by]
                    if not chosen:
                        continue
                    if any(w.over for w in chosen):
                        st.warning(t("compare.over_whole", lang))
                    part_col = "region_label" if by == "region" else "indicator_label"
                    fig = charts.whole_bars(chosen, title, lang, part_col=part_col)
                    whole_rows = pd.concat([w.parts for w in chosen])
                    show_chart(
                        fig,
                        whole_rows,
                        ctx,
                        key=f"compare_whole_{by}",
                        filename=charts.slug(indicator, year, "whole", lang),
                        table=lambda chosen=chosen: charts.whole_table(chosen, lang),
                    )


view()
