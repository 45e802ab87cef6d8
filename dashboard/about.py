""" "关于数据 About this data": what a chart's figures are and how each was read.

Why: a policymaker handing a chart on must be able to say what it measures (definition
and unit), where each figure comes from (with a link to the original, or a plain word
that none exists), whether it is stated in the text or derived from stated figures and
how, and whether a person has reviewed it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import export, notes
from dashboard.i18n import t, unit_label

HOW_READ_SHOWN = 30  # figures listed one by one; the table and CSV hold all of them


def _md(text: object) -> str:
    from dashboard.ui import md

    return md(text)


def definitions(rows: pd.DataFrame, indicators: pd.DataFrame, lang: str) -> list[str]:
    ids = list(dict.fromkeys(rows["indicator_id"].astype(str).tolist()))
    info = indicators.set_index("indicator_id")
    out = []
    for i in ids:
        if i not in info.index:
            continue
        r = info.loc[i]
        text = (r.get("definition_zh") if lang == "zh" else "") or r.get("definition") or ""
        name = r["name_zh"] if lang == "zh" else r["name_en"]
        unit = unit_label(str(r["unit"]), lang) or str(r["unit"])
        out.append(
            f"**{_md(name)}** — {t('about.definition', lang)}: {_md(text)} · {t('about.unit', lang)}: {_md(unit)}"
        )
    return out


def source_lines(rows: pd.DataFrame, sources: pd.DataFrame, lang: str) -> list[str]:
    """'[1] title (2024) — https://doi.org/…' or '— no online original'."""
    links = export.source_links(sources)
    pairs = dict(zip(rows["cite"].tolist(), rows["source_id"].astype(str).tolist(), strict=True))
    labels = dict(zip(rows["cite"].tolist(), rows["source_label"].tolist(), strict=True))
    out = []
    for cite in sorted(pairs):
        link = links.get(pairs[cite], "")
        where = f"[{t('about.link', lang)}]({link})" if link else t("about.no_link", lang)
        out.append(f"[{int(cite)}] {_md(labels[cite])} — {where}")
    return out


def how_read(row: dict, lang: str) -> str:
    """'2.43% · 2021 · derived from stated figures: 2.54 − 0.11 = 2.43 … · machine-read'."""
    way = t("about.derived", lang) if row.get("derived") else t("about.stated", lang)
    note = notes.localise(row.get("note"), lang)
    review = t(f"review_state.{row.get('g_review', 'machine')}", lang)
    parts = [
        f"{row['value_display']}",
        f"{row['region_label']}",
        f"{row['year_label']}",
        f"{way}{'：' if lang == 'zh' else ': '}{note}" if note else way,
        review,
    ]
    if row.get("g_flag"):
        parts.append(f"⚠ {notes.localise(row['g_flag'], lang)}")
    return " · ".join(_md(p) for p in parts)


def panel(rows: pd.DataFrame, indicators: pd.DataFrame, sources: pd.DataFrame, lang: str, *, key: str) -> None:
    """The panel under a chart, collapsed until opened, and built only once opened.

    Why lazily: a closed expander's content is still computed and sent with every rerun,
    and the browser draws a changed chart only when the run ends: building and sending
    the panel (definitions, sources, up to 30 lines) on each filter change made every
    redraw wait for text nobody had asked to read. Opening it reruns the page's fragment.
    """
    if rows.empty:
        return
    box = st.expander(t("about.title", lang), icon=":material/info:", key=key, on_change="rerun")
    if not box.open:
        return
    with box:
        st.markdown("\n\n".join(definitions(rows, indicators, lang)))
        st.markdown(f"**{t('about.sources', lang)}**\n\n" + "\n\n".join(source_lines(rows, sources, lang)))
        records = rows.to_dict("records")
        lines = [f"- {how_read(r, lang)}" for r in records[:HOW_READ_SHOWN]]
        st.markdown(f"**{t('about.how_read', lang)}**\n\n" + "\n".join(lines))
        if any(r.get("g_review", "machine") == "machine" for r in records):
            st.caption(t("guard.machine_note", lang))
