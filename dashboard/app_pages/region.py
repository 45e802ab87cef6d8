"""Regions up close: everything known about one province, city or county.

A profile mixes indicators, units, years and wholes, so it is a table, never one
chart. Enterprise tiers are drawn as a ladder only where the catalogue says each is
inside the one before; otherwise they are separate counts under their full names.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import about, charts, marks, state
from dashboard.data import mentions_for, views
from dashboard.i18n import t
from dashboard.ui import context, empty, fragment, md, region_format, region_options, show_chart, show_table

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


def text_words(rows: pd.DataFrame) -> list[str]:
    """What the text itself calls each figure (省级制造业单项冠军企业), from the mentions."""
    out = []
    for source_id, start in zip(rows["source_id"].astype(str), rows["number_start"].tolist(), strict=True):
        men = mentions_for(tb, source_id)
        hit = men.loc[men["char_start"] == int(start), "indicator_subject"]
        out.append(str(hit.iloc[0]) if len(hit) else "")
    return out


def separate_counts(tier_rows: pd.DataFrame) -> None:
    """Tiers the catalogue does not nest: each count with its full name and its period."""
    st.subheader(t("guard.counts_title", lang))
    st.caption(t("guard.counts_note", lang))
    view = charts.table_view(tier_rows, lang)
    view.insert(3, t("try_doc.col_subject", lang), text_words(tier_rows))
    show_table(view, ctx, key="region_counts")
    st.caption(md(charts.caption(tier_rows, lang)))
    about.panel(tier_rows, tb.indicators, tb.sources, lang, key="region_counts_about")


def ladders(rows: pd.DataFrame, name: str, region: str) -> set[str]:
    used: set[str] = set()
    for tiers in views().get("ladders", []):
        tier_rows = rows[rows["indicator_id"].isin(tiers)]
        if len(tier_rows) < 2:
            continue
        order = {ind: i for i, ind in enumerate(tiers)}
        tier_rows = tier_rows.sort_values("indicator_id", key=lambda s: s.astype(str).map(order))
        used |= set(tier_rows["indicator_id"].astype(str))
        if not marks.nested_tiers(tb.indicators, list(tier_rows["indicator_id"].astype(str))):
            separate_counts(tier_rows)
            continue
        st.subheader(t("region.ladder", lang))
        fig = marks.ladder(tier_rows, f"{name} · {t('region.ladder', lang)}", lang)
        show_chart(fig, tier_rows, ctx, key=f"ladder_{tiers[0]}", filename=charts.slug(region, "ladder", lang))
    return used


# A fragment: changing this page's own choices reruns only this part, not the sidebar,
# the navigation and the frame around it (a global filter still reruns everything).
@fragment
def view() -> None:
    if not options:
        empty(ctx)
        return
    region = st.selectbox(t("region.pick_region", lang), options, format_func=region_format(tb, lang), key="region")
    state.publish("region", region)
    # a figure a reviewer rejected is no value of its indicator: it stays on Sources and Quality
    mine = ctx.filtered(use_regions=False, region=region)
    if "review_state" in mine:
        mine = mine[mine["review_state"].astype(str) != "rejected"]
    mine = latest(mine)
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
        return
    rows = ctx.rows(mine)
    used = ladders(rows, ctx.region_name(region), region)
    rest = rows[~rows["indicator_id"].isin(used)]
    if len(rest):
        st.subheader(t("region.profile", lang))
        st.caption(t("guard.profile_note", lang))
        show_table(charts.table_view(rest, lang), ctx, key="region_other")
        st.caption(md(charts.caption(rest, lang)))
        about.panel(rest, tb.indicators, tb.sources, lang, key="region_other_about")


view()
