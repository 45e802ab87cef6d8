"""Sources: bibliography and full text, every extracted figure marked.

A "show in source" link elsewhere arrives here as ?source=…&obs=…; the chosen
figure's sentence is shown first, then marked in the full text.
"""

from __future__ import annotations

import streamlit as st

from dashboard import notes, prepared, state
from dashboard.data import source_text, sources_dir
from dashboard.i18n import t
from dashboard.ui import context, empty, fragment, md, show_table

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


# A fragment: changing this page's own choices reruns only this part, not the sidebar,
# the navigation and the frame around it (a global filter still reruns everything).
@fragment
def view() -> None:
    by_id = src.set_index("source_id")
    source_labels = tb.source_labels.get(lang, {})
    source_id = st.selectbox(
        t("sources.pick", lang),
        options,
        format_func=lambda s: source_labels.get(s, s),
        key="source",
    )
    state.publish("source", source_id)
    info = by_id.loc[source_id]

    view = prepared.source_view(tb, source_id, lang)
    obs, rows, labels = view.obs, view.rows, view.labels
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
            ("sources.title_en", info["title_en"]),
            ("sources.authors", info["authors"]),
            ("sources.venue", info["venue"]),
            ("sources.published", info.get("published_text") or info["published"]),
        ]
        for key, value in fields:
            if value:
                st.markdown(f"**{t(key, lang)}**: {md(value)}")
        if link.startswith(("https://", "http://")):  # only the bibliography's own http(s) address is a link
            st.markdown(f"**{t('sources.link', lang)}**: [{md(link)}]({link})")
        else:
            st.markdown(f"**{t('sources.link', lang)}**: {t('about.no_link', lang)}")
        with st.expander(t("tech.title", lang)):
            st.caption(f"sha256 {md(info['sha256'])} · {md(info.get('file', ''))}")

    text, hash_ok = source_text(str(sources_dir()), str(info.get("file") or ""), info["sha256"])
    if text is None:
        st.error(t("sources.missing_text", lang))
    else:
        if not hash_ok:
            st.warning(t("sources.hash_mismatch", lang))
        text_key = f"{sources_dir()}|{info.get('file')}|{info['sha256']}|{hash_ok}"
        window, full = prepared.source_html(tb, source_id, lang, chosen, text, text_key)
        if chosen:
            sel = obs[obs["observation_id"] == chosen].iloc[0]
            st.subheader(t("sources.selected", lang))
            row = rows[rows["observation_id"] == chosen].iloc[0]
            st.markdown(
                f"**{md(row['value_display'])}** · {md(row['indicator_label'])} · "
                f"{md(row['region_label'])} · {md(row['year_label'])} · {md(row['kind_label'])}"
            )
            if row["note"]:
                st.caption(md(notes.localise(row["note"], lang)))
            st.html(window)
            with st.expander(t("tech.title", lang)):
                st.caption(f"{t('common.offsets', lang)}: {int(sel['char_start'])}–{int(sel['char_end'])}")
        st.subheader(t("sources.full_text", lang))
        st.caption(t("sources.legend", lang))
        with st.container(height=560, border=True):
            st.html(full)

    if view.table is not None:
        st.subheader(t("sources.figures", lang))
        show_table(view.table, ctx, key="source_figures")


view()
