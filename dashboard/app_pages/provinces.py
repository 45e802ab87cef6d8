"""Provinces: the official panel ranked, a province's series with the texts' claims over it,
and the province beside its macro-region and the nation (no geographic map)."""

from __future__ import annotations

import streamlit as st

from dashboard import panel_charts as pc
from dashboard.ui import context, fragment

ctx = context()
lang = ctx.lang
tb = ctx.tables
st.header(pc.label("header", lang))
st.caption(pc.label("intro", lang))

official = pc.panel(tb.observations, tb.sources)
province_ids = set(pc.provinces(tb.regions)["region_id"].astype(str))
by_province = official[official["region_id"].isin(province_ids) & (official["qualifier"] == "exact")]
parent = dict(zip(tb.regions["region_id"].astype(str), tb.regions["parent_id"].astype(str), strict=True))


# A fragment: changing the indicator, year or province reruns only the three charts, not the
# sidebar, the navigation and the disagreements table (a global filter still reruns it all).
@fragment
def view() -> None:
    indicator = st.selectbox(
        pc.label("pick_indicator", lang),
        sorted(by_province["indicator_id"].unique()),
        format_func=ctx.indicator_name,
        key="prov_indicator",
    )
    of_indicator = by_province[by_province["indicator_id"] == indicator]
    year = st.selectbox(
        pc.label("pick_year", lang), sorted(of_indicator["year"].unique(), reverse=True), key="prov_year"
    )
    rows, missing = pc.ranked(official, indicator, int(year), tb.regions)
    names = {r: ctx.region_name(r) for r in set(official["region_id"]) | province_ids | {"china"}}
    title = pc.label("ranked_title", lang, indicator=ctx.indicator_name(indicator), year=year)
    st.plotly_chart(pc.ranked_chart(rows, names, title, lang), key="prov_ranked")
    if missing:
        st.caption(pc.label("missing", lang, n=len(missing), names="、".join(names[r] for r in missing)))

    choices = list(rows["region_id"]) + sorted(set(of_indicator["region_id"]) - set(rows["region_id"]))
    province = st.selectbox(pc.label("pick_province", lang), choices, format_func=names.get, key="prov_region")
    province_charts(indicator, int(year), province, names)


def province_charts(indicator: str, year: int, province: str, names: dict) -> None:
    """The province's series and the province beside its macro-region and the nation, one
    tab each, only the open one built and sent (switching reruns the fragment): the browser
    draws a run's charts when the run ends, so each chart sent with a change delays the
    ranked chart above."""
    labels = [pc.label("series_tab", lang), pc.label("context_tab", lang)]
    if st.session_state.get("prov_tabs") not in (None, *labels):  # opened in the other language
        st.session_state["prov_tabs"] = labels[1] if st.session_state["prov_tabs"] in CONTEXT_TABS else labels[0]
    series_tab, context_tab = st.tabs(labels, key="prov_tabs", on_change="rerun")
    if series_tab.open:
        with series_tab:
            series = official[(official["indicator_id"] == indicator) & (official["region_id"] == province)]
            marks = pc.claims(tb.observations, tb.sources, indicator, province)
            title = pc.label("series_title", lang, region=names[province], indicator=ctx.indicator_name(indicator))
            st.plotly_chart(pc.series_chart(series, marks, names[province], title, lang), key="prov_series")
    if context_tab.open:
        with context_tab:
            macro = parent.get(province, "")
            beside = pc.context_rows(official, indicator, year, province, macro)
            title = pc.label(
                "context_title",
                lang,
                region=names[province],
                macro=ctx.region_name(macro),
                indicator=ctx.indicator_name(indicator),
                year=year,
            )
            names = {**names, macro: ctx.region_name(macro)}
            st.plotly_chart(pc.context_chart(beside, names, title, lang), key="prov_context")


CONTEXT_TABS = {pc.label("context_tab", lang) for lang in ("zh", "en")}

if by_province.empty:
    st.info(pc.label("no_official", lang))
else:
    view()

st.subheader(pc.label("disagreements", lang))
differing = pc.disagreements(tb.observations, lang)
if differing.empty:
    st.caption(pc.label("no_disagreements", lang))
else:
    st.dataframe(differing, hide_index=True)
