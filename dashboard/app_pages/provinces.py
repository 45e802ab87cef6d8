"""Provinces: the official panel ranked, a province's series with the texts' claims over it,
and the province beside its macro-region and the nation (no geographic map)."""

from __future__ import annotations

import streamlit as st

from dashboard import memo
from dashboard import panel_charts as pc
from dashboard.ui import context, fragment, show_short_table, source_ranks

ctx = context()
lang = ctx.lang
tb = ctx.tables
st.header(pc.label("header", lang))
st.caption(pc.label("intro", lang))

# Worked out once per tables (the official panel, its provinces, years and claims), not on
# every redraw: the browser draws the ranked chart only when the run ends.
data = memo.cached(tb, "panel", None, lambda: pc.panel_data(tb, source_ranks(tb)), size=2, max_rows=10**9)


def region_names() -> dict[str, str]:
    ids = set(data.official["region_id"]) | data.province_ids | {"china"}
    return {r: ctx.region_name(r) for r in ids}


def ranked_view(indicator: str, year: int) -> tuple:
    """(figure, provinces ranked, provinces without a figure), for this indicator, year and language."""
    rows, missing = pc.ranked(data.by_indicator[indicator], indicator, year, tb.regions)
    names = memo.cached(tb, "panel_names", lang, region_names)
    title = pc.label("ranked_title", lang, indicator=ctx.indicator_name(indicator), year=year)
    return pc.ranked_chart(rows, names, title, lang), rows, missing


# A fragment: changing the indicator, year or province reruns only the three charts, not the
# sidebar, the navigation and the disagreements table (a global filter still reruns it all).
@fragment
def view() -> None:
    indicator = st.selectbox(
        pc.label("pick_indicator", lang), data.options, format_func=ctx.indicator_name, key="prov_indicator"
    )
    year = st.selectbox(pc.label("pick_year", lang), data.years[indicator], key="prov_year")
    fig, rows, missing = memo.cached(
        tb, "prov_ranked", (lang, indicator, int(year)), lambda: ranked_view(indicator, int(year))
    )
    names = memo.cached(tb, "panel_names", lang, region_names)
    st.plotly_chart(fig, key="prov_ranked")
    st.caption(pc.label("values_hint", lang))
    if missing:
        st.caption(pc.label("missing", lang, n=len(missing), names="、".join(names[r] for r in missing)))

    provincial = set(data.provincial(indicator)["region_id"])
    choices = list(rows["region_id"]) + sorted(provincial - set(rows["region_id"]))
    province = st.selectbox(pc.label("pick_province", lang), choices, format_func=names.get, key="prov_region")
    province_charts(indicator, int(year), province, names)


def series_figure(indicator: str, province: str, names: dict):
    of_indicator = data.by_indicator[indicator]
    series = of_indicator[of_indicator["region_id"] == province]
    title = pc.label("series_title", lang, region=names[province], indicator=ctx.indicator_name(indicator))
    return pc.series_chart(series, data.claims(indicator, province), names[province], title, lang)


def context_figure(indicator: str, year: int, province: str, names: dict):
    macro = data.parent.get(province, "")
    beside = pc.context_rows(data.by_indicator[indicator], indicator, year, province, macro)
    title = pc.label(
        "context_title",
        lang,
        region=names[province],
        macro=ctx.region_name(macro),
        indicator=ctx.indicator_name(indicator),
        year=year,
    )
    return pc.context_chart(beside, {**names, macro: ctx.region_name(macro)}, title, lang)


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
            key = (lang, indicator, province)
            fig = memo.cached(tb, "prov_series", key, lambda: series_figure(indicator, province, names))
            st.plotly_chart(fig, key="prov_series")
    if context_tab.open:
        with context_tab:
            key = (lang, indicator, year, province)
            fig = memo.cached(tb, "prov_context", key, lambda: context_figure(indicator, year, province, names))
            st.plotly_chart(fig, key="prov_context")


CONTEXT_TABS = {pc.label("context_tab", lang) for lang in ("zh", "en")}

if not data.options:
    st.info(pc.label("no_official", lang))
else:
    view()

st.subheader(pc.label("disagreements", lang))
differing = memo.cached(tb, "panel_disagreements", lang, lambda: pc.disagreements(tb.observations, lang))
if differing.empty:
    st.caption(pc.label("no_disagreements", lang))
else:
    show_short_table(differing, key="prov_disagreements")
