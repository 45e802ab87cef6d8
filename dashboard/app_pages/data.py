"""Data: the observations behind every chart, filtered, with downloads of exactly those rows."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, export, prepared, state
from dashboard.i18n import t
from dashboard.ui import context, empty, fragment, indicator_format, indicator_options, md, show_table

SHOWN = 2000  # rows drawn in the browser; downloads always carry every filtered row

ctx = context()
lang = ctx.lang
tb = ctx.tables
st.header(t("nav.data", lang))


# A fragment: changing this page's own choices reruns only this part, not the sidebar,
# the navigation and the frame around it (a global filter still reruns everything).
@fragment
def view() -> None:
    c1, c2, c3 = st.columns(3)
    ind_opts = indicator_options(tb)
    topic_opts = sorted(set(tb.indicators["topic"]))
    src_opts = tb.sources["source_id"].tolist()
    source_labels = tb.source_labels.get(lang, {})
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
            format_func=lambda s: source_labels.get(s, s),
            key="sources",
            placeholder=t("common.all", lang),
        )
    for key, value in (("indicators", indicators), ("topics", topics), ("sources", sources)):
        state.publish(key, value)

    chosen = None
    if indicators:
        chosen = list(indicators)
    if topics:
        in_topics = set(tb.indicators.loc[tb.indicators["topic"].isin(topics), "indicator_id"])
        chosen = [i for i in (chosen if chosen is not None else ind_opts) if i in in_topics]
    positions = ctx.positions(indicators=chosen, sources=sources or None)
    # Positions in the table's order (indicator, region, year, id); nothing is copied until a
    # row is drawn or a download is asked for.
    ordered = prepared.sorted_positions(tb, positions)
    n = len(ordered)

    if not n:
        empty(ctx)
    else:
        if n > SHOWN:
            st.caption(md(t("data.rows_capped", lang, n=f"{n:,}", shown=f"{SHOWN:,}")))
        else:
            st.caption(md(t("data.rows", lang, n=f"{n:,}")))
        show_table(charts.table_view(ctx.rows(tb.observations.take(ordered[:SHOWN])), lang), ctx, key="data_table")

        # The downloads are built when clicked (the closures run after this script moved on),
        # never on a rerun: a million rows of CSV take seconds.
        def frame():
            return export.export_frame(tb.observations.take(ordered), tb.sources, tb.regions, tb.indicators)

        def readable_csv() -> bytes:
            rows = ctx.rows(tb.observations.take(ordered))
            return export.csv_bytes(export.readable_frame(rows, lang, export.source_links(tb.sources)))

        def full_csv() -> bytes:
            return export.csv_bytes(frame())

        def parquet_data() -> bytes:
            return export.parquet_bytes(frame())

        stem = charts.slug("innovation-indicators", ctx.years[0], ctx.years[1], f"{n}rows")
        buttons = [
            ("data.csv", readable_csv, f"{stem}.csv", "text/csv", "download_csv"),
            ("data.csv_full", full_csv, f"{stem}-full.csv", "text/csv", "download_csv_full"),
            ("data.parquet", parquet_data, f"{stem}.parquet", "application/vnd.apache.parquet", "download_parquet"),
        ]
        st.caption(t("data.csv_help", lang))
        for col, (label, payload, name, mime, key) in zip(st.columns(len(buttons)), buttons, strict=True):
            col.download_button(
                t(label, lang),
                payload,
                file_name=name,
                mime=mime,
                icon=":material/download:",
                key=key,
                on_click="ignore",
            )


view()
