"""Regions up close: everything known about one province, city or county."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, state
from dashboard.data import views
from dashboard.i18n import t
from dashboard.ui import context, empty, fragment, region_format, region_options, show_chart, show_table

ctx = context()
lang = ctx.lang
tb = ctx.tables
st.header(t("nav.region", lang))

options = [r for r in region_options(tb) if tb.region_levels.get(r) not in ("world", "bloc")]
preferred = views().get("default_region")
default = preferred if preferred in options else (options[0] if options else None)
state.single("region", options, default, lang)


def latest(rows: pd.DataFrame) -> pd.DataFrame:
    """One figure per indicator: the latest year, stated before derived."""
    ranked = rows.assign(_d=rows["derived"].astype(int)).sort_values(
        ["indicator_id", "year", "_d"], ascending=[True, False, True]
    )
    return ranked.groupby("indicator_id", sort=False, observed=True).head(1).drop(columns="_d")


# A fragment: changing this page's own choices reruns only this part, not the sidebar,
# the navigation and the frame around it (a global filter still reruns everything).
@fragment
def view() -> None:
    if not options:
        empty(ctx)
    else:
        region = st.selectbox(t("region.pick_region", lang), options, format_func=region_format(tb, lang), key="region")
        state.publish("region", region)
        mine = latest(ctx.filtered(use_regions=False, region=region))
        children = tb.regions.loc[tb.regions["parent_id"] == region, "region_id"].tolist()
        children = [c for c in children if len(ctx.positions(use_regions=False, region=c))]
        if children:
            cols = st.columns(min(len(children), 4))
            for i, child in enumerate(children):
                cols[i % len(cols)].page_link(
                    "app_pages/region.py",
                    label=ctx.region_name(child),
                    icon=":material/subdirectory_arrow_right:",
                    query_params={"region": child, "lang": lang},
                )
        if mine.empty:
            empty(ctx, t("region.none", lang))
        else:
            name = ctx.region_name(region)
            rows = ctx.rows(mine)
            used: set[str] = set()
            for tiers in views().get("ladders", []):
                tier_rows = rows[rows["indicator_id"].isin(tiers)]
                if len(tier_rows) < 2:
                    continue
                order = {ind: i for i, ind in enumerate(tiers)}
                tier_rows = tier_rows.sort_values("indicator_id", key=lambda s: s.astype(str).map(order))
                used |= set(tier_rows["indicator_id"])
                st.subheader(t("region.ladder", lang))
                fig = charts.ladder(tier_rows, f"{name} · {t('region.ladder', lang)}", lang)
                show_chart(
                    fig,
                    tier_rows,
                    ctx,
                    key=f"ladder_{tiers[0]}",
                    filename=charts.slug(region, "ladder", lang),
                )
            shares = rows[(rows["unit"] == "%") & ~rows["indicator_id"].isin(used)]
            if len(shares):
                used |= set(shares["indicator_id"])
                st.subheader(t("region.profile", lang))
                fig = charts.bars(shares, f"{name} · {t('region.profile', lang)}", lang, category="indicator_label")
                show_chart(fig, shares, ctx, key="profile", filename=charts.slug(region, "shares", lang))
            rest = rows[~rows["indicator_id"].isin(used)]
            if len(rest):
                st.subheader(t("region.other", lang))
                show_table(charts.table_view(rest, lang), ctx, key="region_other")


view()
