"""Sources: bibliography and full text, every extracted figure marked.

A "show in source" link elsewhere arrives here as ?source=…&obs=…; the chosen
figure's sentence is shown first, then marked in the full text.
"""

from __future__ import annotations

import streamlit as st

from dashboard import charts, highlight, state
from dashboard.data import source_text, sources_dir
from dashboard.i18n import t
from dashboard.ui import context, empty, md, show_table

ctx = context()
lang = ctx.lang
tb = ctx.tables
st.header(t("nav.sources", lang))

src = tb.sources.sort_values("source_id")
options = src["source_id"].tolist()
state.single("source", options, options[0] if options else None, lang)
if not options:
    empty(ctx)
    st.stop()

by_id = src.set_index("source_id")
source_id = st.selectbox(
    t("sources.pick", lang),
    options,
    format_func=lambda s: charts.source_label(by_id.loc[s], lang),
    key="source",
)
state.publish("source", source_id)
info = by_id.loc[source_id]

obs = tb.observations[tb.observations["source_id"] == source_id].sort_values("char_start")
rows = ctx.rows(obs) if len(obs) else obs
labels = {
    r["observation_id"]: f"{r['value_display']} · {r['indicator_label']} · {r['region_label']} · {r['year']}"
    for _, r in (rows.iterrows() if len(rows) else [])
}
obs_options = ["", *labels]
state.single("obs", obs_options, "", lang)
chosen = st.selectbox(
    t("sources.selected", lang),
    obs_options,
    format_func=lambda o: labels.get(o, "—"),
    key="obs",
)
state.publish("obs", chosen)

with st.expander(t("sources.bibliography", lang), expanded=not chosen):
    link = info["url"] or (f"https://doi.org/{info['doi']}" if info["doi"] else "")
    fields = [
        ("sources.title", info["title"]),
        ("sources.title", info["title_en"]),
        ("sources.authors", info["authors"]),
        ("sources.venue", info["venue"]),
        ("sources.published", info.get("published_text") or info["published"]),
    ]
    for key, value in fields:
        if value:
            st.markdown(f"**{t(key, lang)}**: {md(value)}")
    if link.startswith(("https://", "http://")):
        st.link_button(t("sources.link", lang), link)
    st.caption(f"sha256 {md(info['sha256'])} · {md(info.get('file', ''))}")

text, hash_ok = source_text(str(sources_dir()), str(info.get("file") or ""), info["sha256"])
if text is None:
    st.error(t("sources.missing_text", lang))
else:
    if not hash_ok:
        st.warning(t("sources.hash_mismatch", lang))
    men = tb.mentions[tb.mentions["source_id"] == source_id]
    mapped = set(obs["observation_id"])
    spans = [
        highlight.Span(
            int(m.char_start),
            int(m.char_end),
            "mapped" if m.observation_id in mapped else "unmapped",
            labels.get(m.observation_id, m.reason or ""),
        )
        for m in men.itertuples()
    ]
    # Observations mark their own number too, in case mentions lag behind.
    spans += [
        highlight.Span(int(r.number_start), int(r.number_end), "mapped", labels.get(r.observation_id, ""))
        for r in obs.itertuples()
        if r.number_start >= 0
    ]
    if chosen:
        sel = obs[obs["observation_id"] == chosen].iloc[0]
        spans.append(highlight.Span(int(sel["char_start"]), int(sel["char_end"]), "quote"))
        if sel["number_start"] >= 0:
            spans.append(highlight.Span(int(sel["number_start"]), int(sel["number_end"]), "selected", labels[chosen]))
        st.subheader(t("sources.selected", lang))
        row = rows[rows["observation_id"] == chosen].iloc[0]
        st.markdown(
            f"**{md(row['value_display'])}** · {md(row['indicator_label'])} · "
            f"{md(row['region_label'])} · {md(row['year_label'])} · {md(row['kind_label'])}"
        )
        if row["note"]:
            st.caption(md(row["note"]))
        lo = max(0, int(sel["char_start"]) - 160)
        hi = min(len(text), int(sel["char_end"]) + 160)
        st.html(highlight.render(text, spans, lo, hi))
        st.caption(f"{t('common.offsets', lang)}: {int(sel['char_start'])}–{int(sel['char_end'])}")
    st.subheader(t("sources.full_text", lang))
    st.caption(t("sources.legend", lang))
    with st.container(height=560, border=True):
        st.html(highlight.render(text, spans))

if len(rows):
    st.subheader(t("sources.figures", lang))
    show_table(charts.table_view(rows, lang), ctx, key="source_figures")
