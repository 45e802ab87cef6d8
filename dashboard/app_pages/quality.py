"""Quality: what the build checked, what the dashboard checks, every figure to read with care."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import charts, prepared, quality
from dashboard.data import sources_dir
from dashboard.i18n import has, t
from dashboard.ui import context, md, show_table

SHOWN = 2000  # flagged rows drawn in the browser

ctx = context()
lang = ctx.lang
tb = ctx.tables
st.header(t("nav.quality", lang))


st.subheader(t("quality.build", lang))
report = tb.report
if report is None:
    st.info(t("quality.no_report", lang))
elif "_error" in report:
    st.warning(md(report["_error"]))
else:
    st.caption(md(f"{report.get('built_at', '?')} · {report.get('code_version', '?')}"))
    counts = report.get("counts") or {}
    if counts:
        cols = st.columns(len(counts))
        for col, (key, value) in zip(cols, counts.items(), strict=True):
            label = t(f"quality.count.{key}", lang) if has(f"quality.count.{key}") else key
            col.metric(md(label), f"{value:,}" if isinstance(value, int) else str(value))
    checks = pd.DataFrame(report.get("checks") or [])
    if len(checks):
        st.markdown(f"**{t('quality.checks', lang)}**")
        failed = checks[checks.get("status", pd.Series(dtype=str)) != "passed"]
        if len(failed):
            st.warning(f"{len(failed)} / {len(checks)} {t('quality.failed', lang)}")
        else:
            st.success(f"{len(checks)} / {len(checks)} {t('quality.passed', lang)}")
        with st.expander(t("tech.title", lang)):
            st.dataframe(checks, hide_index=True, key="build_checks")

st.subheader(t("quality.consistency", lang))
results, inconsistent, mask = prepared.checks(tb, str(sources_dir()))
table = pd.DataFrame(
    {
        t("quality.check", lang): [t(f"quality.{c.key}", lang) for c in results],
        t("quality.result", lang): [
            "✓ " + t("quality.passed", lang) if c.passed else f"✗ {c.n_failed:,}" for c in results
        ],
    }
)
st.dataframe(table, hide_index=True, key="consistency")
details = [(t(f"quality.{c.key}", lang), "; ".join(map(str, c.detail))) for c in results if c.detail]
if details:
    with st.expander(t("tech.title", lang)):
        for check, detail in details:
            st.caption(md(f"{check}: {detail}"))

st.subheader(t("quality.blind_spots", lang))
st.caption(t("quality.blind_spots_help", lang))
spots = None if report is None or "blind_spots" not in report else pd.DataFrame(report["blind_spots"])
if spots is None:
    st.info(t("quality.blind_spots_rebuild", lang))
elif not len(spots):
    st.success(t("quality.no_blind_spots", lang))
else:
    st.dataframe(
        pd.DataFrame(
            {
                t("try_doc.col_subject", lang): spots["indicator_subject"],
                t("try_doc.col_measure", lang): [t("measure." + m, lang) for m in spots["measure"]],
                t("quality.n_figures", lang): spots["n"],
                t("quality.n_sources", lang): spots["n_sources"],
            }
        ),
        hide_index=True,
        key="blind_spots",
    )

st.subheader(t("quality.flagged", lang))
pos = ctx.positions()
hit = np.flatnonzero(mask) if pos is None else pos[mask[pos]]
if not len(hit):
    st.success(t("quality.none_flagged", lang))
else:
    n = len(hit)
    if n > SHOWN:
        st.caption(md(t("quality.rows_capped", lang, n=f"{n:,}", shown=f"{SHOWN:,}")))
    hit = hit[:SHOWN]
    rows = ctx.rows(tb.observations.take(hit))
    found = quality.reasons(rows, hit, inconsistent, lang)
    view = charts.table_view(rows, lang)
    view.insert(
        0,
        t("quality.reason", lang),
        [
            "; ".join(f"{t('quality.' + k, lang)}: {r}" if r else t("quality." + k, lang) for k, r in reasons)
            for reasons in found
        ],
    )
    st.caption(md(charts.caption(rows, lang)))
    show_table(view, ctx, key="flagged")
