"""Data: the observations behind every chart, filtered, with downloads of exactly those rows."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, export, state
from dashboard.i18n import t
from dashboard.ui import context, empty, indicator_format, indicator_options, md, show_table

SHOWN = 2000  # rows drawn in the browser; downloads always carry every filtered row

ctx = context()
lang = ctx.lang
tb = ctx.tables
st.header(t("nav.data", lang))

c1, c2, c3 = st.columns(3)
ind_opts = indicator_options(tb)
topic_opts = sorted(set(tb.indicators["topic"]))
src_opts = tb.sources["source_id"].tolist()
src_by_id = tb.sources.set_index("source_id")
state.multi("indicators", ind_opts, lang)
state.multi("topics", topic_opts, lang)
state.multi("sources", src_opts, lang)
with c1:
    indicators = st.multiselect(
        t("data.indicators", lang),
        ind_opts,
        format_func=indicator_format(tb, lang),
        key="indicators",
        placeholder=t("common.all", lang),
    )
with c2:
    topics = st.multiselect(
        t("data.topics", lang),
        topic_opts,
        format_func=lambda x: t(f"topic.{x}", lang),
        key="topics",
        placeholder=t("common.all", lang),
    )
with c3:
    sources = st.multiselect(
        t("data.sources", lang),
        src_opts,
        format_func=lambda s: charts.source_label(src_by_id.loc[s], lang),
        key="sources",
        placeholder=t("common.all", lang),
    )
for key, value in (("indicators", indicators), ("topics", topics), ("sources", sources)):
    state.publish(key, value)

obs = ctx.filtered()
if indicators:
    obs = obs[obs["indicator_id"].isin(indicators)]
if topics:
    in_topics = tb.indicators.loc[tb.indicators["topic"].isin(topics), "indicator_id"]
    obs = obs[obs["indicator_id"].isin(in_topics)]
if sources:
    obs = obs[obs["source_id"].isin(sources)]
obs = obs.sort_values(["indicator_id", "region_id", "year", "observation_id"], kind="stable")

if obs.empty:
    empty(ctx)
else:
    n = len(obs)
    if n > SHOWN:
        st.caption(md(t("data.rows_capped", lang, n=f"{n:,}", shown=f"{SHOWN:,}")))
    else:
        st.caption(md(t("data.rows", lang, n=f"{n:,}")))
    show_table(charts.table_view(ctx.rows(obs.head(SHOWN)), lang), ctx, key="data_table")

    frozen = obs  # the closures below run on click, after this script has moved on

    def csv_data() -> bytes:
        return export.csv_bytes(export.export_frame(frozen, tb.sources, tb.regions, tb.indicators))

    def parquet_data() -> bytes:
        frame = export.export_frame(frozen, tb.sources, tb.regions, tb.indicators)
        return export.parquet_bytes(frame)

    stem = charts.slug("innovation-indicators", ctx.years[0], ctx.years[1], f"{n}rows")
    d1, d2 = st.columns(2)
    d1.download_button(
        t("data.csv", lang),
        csv_data,
        file_name=f"{stem}.csv",
        mime="text/csv",
        icon=":material/download:",
        key="download_csv",
        on_click="ignore",
    )
    d2.download_button(
        t("data.parquet", lang),
        parquet_data,
        file_name=f"{stem}.parquet",
        mime="application/vnd.apache.parquet",
        icon=":material/download:",
        key="download_parquet",
        on_click="ignore",
    )
