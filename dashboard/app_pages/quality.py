"""Quality: what the build checked, what the dashboard checks, every figure to read with care."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import charts, quality
from dashboard.data import signature, sources_dir
from dashboard.i18n import t
from dashboard.ui import context, md, show_table

ctx = context()
lang = ctx.lang
tb = ctx.tables
st.header(t("nav.quality", lang))


@st.cache_resource(show_spinner=False, max_entries=4)
def checks_for(path: str, sig: str, _tables, root: str):
    return quality.run_checks(_tables, Path(root))


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
            col.metric(md(key), f"{value:,}" if isinstance(value, int) else str(value))
    checks = pd.DataFrame(report.get("checks") or [])
    if len(checks):
        st.markdown(f"**{t('quality.checks', lang)}**")
        failed = checks[checks.get("status", pd.Series(dtype=str)) != "passed"]
        if len(failed):
            st.warning(f"{len(failed)} / {len(checks)} {t('quality.failed', lang)}")
        else:
            st.success(f"{len(checks)} / {len(checks)} {t('quality.passed', lang)}")
        st.dataframe(checks, hide_index=True, key="build_checks")

st.subheader(t("quality.consistency", lang))
sig = repr(signature(tb.data_dir))
results, inconsistent = checks_for(str(tb.data_dir), sig, tb, str(sources_dir()))
table = pd.DataFrame(
    {
        t("quality.check", lang): [t(f"quality.{c.key}", lang) for c in results],
        t("quality.result", lang): [
            "✓ " + t("quality.passed", lang) if c.passed else f"✗ {c.n_failed}" for c in results
        ],
        t("quality.detail", lang): ["; ".join(map(str, c.detail)) for c in results],
    }
)
st.dataframe(table, hide_index=True, key="consistency")

st.subheader(t("quality.flagged", lang))
flags = quality.flagged(ctx.filtered(), inconsistent)
if flags.empty:
    st.success(t("quality.none_flagged", lang))
else:
    obs = tb.observations.set_index("observation_id").loc[flags["observation_id"]].reset_index()
    rows = ctx.rows(obs)
    view = charts.table_view(rows, lang)
    view.insert(
        0,
        t("quality.reason", lang),
        [
            f"{t('quality.' + k, lang)}: {r}" if r else t("quality." + k, lang)
            for k, r in zip(flags["reason_key"], flags["reason"], strict=True)
        ],
    )
    st.caption(md(charts.caption(rows, lang)))
    show_table(view, ctx, key="flagged")
