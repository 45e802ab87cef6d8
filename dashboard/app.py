"""Entry point: `streamlit run dashboard/app.py`.

Runs on every rerun as the frame around the current page: language, data,
global filters and navigation.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # streamlit puts dashboard/ on the path, we import the package
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import data, state, ui  # noqa: E402
from dashboard.i18n import DEFAULT_LANG, LANGS, t  # noqa: E402
from dashboard.memory import freeze_imports  # noqa: E402
from dashboard.page_list import page_specs  # noqa: E402

freeze_imports()  # before the first run makes its objects (dashboard/memory.py says why)

PAGES = Path(__file__).resolve().parent / "app_pages"

# A Material icon, not the emoji 📊: validating an emoji loads Streamlit's emoji catalogue
# (40 ms of every cold start); the pages' icons already load the Material names.
st.set_page_config(page_title="区域创新指标 · Regional innovation", page_icon=":material/bar_chart:", layout="wide")

state.single("lang", LANGS, DEFAULT_LANG, DEFAULT_LANG)
lang = st.session_state["lang"]
state.drop_unknown_params(lang)


def language_switch(lang: str) -> None:
    st.radio(
        t("sidebar.language", lang),
        LANGS,
        format_func={"zh": "中文", "en": "English"}.get,
        key="lang",
        horizontal=True,
    )
    state.publish("lang", st.session_state["lang"])


PAGES_SHOWN = [
    st.Page(PAGES / f, title=t(label, lang), url_path=url, icon=icon) for f, url, label, icon in page_specs()
]


def home() -> None:
    """The root URL opens the first page at its own address (/overview), links kept:
    the default page of st.navigation is served only at "/", so without this /overview
    answered "Page not found"."""
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    st.switch_page(PAGES_SHOWN[0], query_params=params)


HOME = st.Page(home, title=PAGES_SHOWN[0].title, url_path="home", default=True, visibility="hidden")
page = st.navigation([HOME, *PAGES_SHOWN])
if page is HOME:  # before anything is drawn or loaded: the page it opens does that
    home()

# The filters' values come from session state (prepared from the URL and the previous
# run), so the page runs and streams its chart first; the sidebar's widgets, whose values
# these are, are drawn after it. A filter change then redraws the chart without waiting
# for the sidebar to be sent again.
notice_slot = st.container()
tables = data.get_tables(lang)
if tables is None:
    with st.sidebar:
        language_switch(lang)
    state.flush_url()
    ui.flush_notices(notice_slot, lang)
    st.stop()

options = ui.region_options(tables)
state.multi("regions", options, lang)
regions = list(st.session_state["regions"])
years = tables.years
if years[0] < years[1]:
    state.year_range("years", years, lang)
    years = tuple(st.session_state["years"])

ui.set_context(ui.Context(lang=lang, tables=tables, regions=tuple(regions), years=tuple(years)))
try:
    page.run()
finally:  # also when the page stops early or fails: the filters stay usable
    with st.sidebar:
        language_switch(lang)
        st.subheader(t("sidebar.filters", lang))
        regions = st.multiselect(
            t("sidebar.regions", lang),
            options,
            format_func=ui.region_format(tables, lang),
            placeholder=t("sidebar.regions_placeholder", lang),
            key="regions",
        )
        state.publish("regions", regions)
        if tables.years[0] < tables.years[1]:
            years = st.slider(t("sidebar.years", lang), tables.years[0], tables.years[1], key="years")
            state.publish_years("years", years, tables.years)
        st.caption(t("sidebar.link_hint", lang))
    state.republish(["lang", "regions", "years"])
    state.flush_url()
    ui.flush_notices(notice_slot, lang)
