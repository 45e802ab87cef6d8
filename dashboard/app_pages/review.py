"""Review: a reviewer confirms, corrects or rejects each machine-read figure.

Exists only on a server started for reviewing (DASHBOARD_REVIEW=1); the public app has no
such page or route. Decisions go to the same files as `python -m loaders review`
(datasets/reviews/<source_id>.yaml), and the next build publishes them.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from dashboard import highlight
from dashboard.data import source_text, sources_dir
from dashboard.i18n import t
from dashboard.ui import context, md
from loaders import review
from loaders.errors import BuildError

SHOW_AT_MOST = 25  # figures listed at once; the rest follow as these are decided
CONTEXT_CHARS = 60  # text shown either side of the quote


def review_mode() -> bool:
    return os.environ.get("DASHBOARD_REVIEW") == "1"


def reviews_dir() -> Path:
    default = review.reviews_dir_for(sources_dir())
    return Path(os.environ.get("DASHBOARD_REVIEWS_DIR") or default)


def _pending(obs: pd.DataFrame, source_id: str, text: str | None) -> tuple[pd.DataFrame, dict]:
    """The source's published figures with the decisions on file applied (also those made
    since the last build), and what is still machine-read."""
    frame = obs[obs["source_id"] == source_id]
    frame = frame.astype({c: "object" for c in frame.select_dtypes("category").columns})
    path = reviews_dir() / f"{source_id}.yaml"
    files = {source_id: review.load_decisions(path)} if path.exists() else {}
    return review.apply_reviews(frame, {source_id: text or ""}, files, warn=lambda _: None)


def _sentence(row: pd.Series, text: str | None) -> str:
    a, b = int(row["char_start"]), int(row["char_end"])
    if text is None or text[a:b] != row["quote"]:
        return f"<div>{html.escape(str(row['quote']))}</div>"
    spans = [
        highlight.Span(a, b, "quote"),
        highlight.Span(int(row["number_start"]), int(row["number_end"]), "selected"),
    ]
    return highlight.render(text, spans, max(0, a - CONTEXT_CHARS), min(len(text), b + CONTEXT_CHARS))


def _correction_fields(row: pd.Series, key: str, lang: str) -> dict:
    tb = context().tables
    indicators = sorted(tb.indicator_ids)
    regions = sorted(tb.region_ids | {str(row["region_id"])})
    c1, c2, c3 = st.columns(3)
    fields = {
        "indicator_id": c1.selectbox(
            t("review.indicator", lang), indicators, index=indicators.index(row["indicator_id"]), key=f"{key}_ind"
        ),
        "region_id": c2.selectbox(
            t("review.region", lang), regions, index=regions.index(str(row["region_id"])), key=f"{key}_reg"
        ),
        "year": int(c3.number_input(t("review.year", lang), 1900, 2100, int(row["year"]), key=f"{key}_year")),
    }
    c4, c5 = st.columns(2)
    fields["period_kind"] = c4.selectbox(t("review.period_kind", lang), ["", *review.PERIOD_KINDS], key=f"{key}_pk")
    fields["status"] = c5.selectbox(t("review.status", lang), ["", *review.STATUSES], key=f"{key}_st")
    changed = {k: v for k, v in fields.items() if v != "" and (k not in row or v != row[k])}
    return changed


def _decision_form(row: pd.Series, text: str | None, reviewer: str, lang: str) -> None:
    key = f"rv_{row['observation_id']}"
    head = f"**{md(row['number_text'])}** · {md(row['indicator_id'])} · {md(row['region_id'])} · {int(row['year'])}"
    st.markdown(f"{head} ({md(row['year_basis'])})")
    st.html(_sentence(row, text))
    with st.form(key):
        action = st.radio(
            t("review.action", lang),
            list(review.STATE_OF_ACTION),
            format_func=lambda a: t(f"review.{a}", lang),
            horizontal=True,
            key=f"{key}_action",
        )
        corrected = _correction_fields(row, key, lang)
        why = st.text_input(t("review.why", lang), key=f"{key}_why")
        if not st.form_submit_button(t("review.save", lang)):
            return
    extra = {"why": why}
    if action == "correct":
        extra["corrected"] = corrected
    try:
        if not reviewer.strip():
            raise BuildError(t("review.reviewer", lang), t("review.need_reviewer", lang))
        decision = review.decision_for(row, action, reviewer.strip(), **extra)
        path = review.record(reviews_dir(), str(row["source_id"]), [decision])
    except ValidationError as exc:
        st.error(f"{row['number_text']}: {exc.errors()[0]['msg']}")
        return
    except BuildError as exc:
        st.error(exc.one_line())
        return
    st.session_state["review_saved"] = f"{t(f'review.{action}', lang)} {row['number_text']} → {path.name}"
    st.rerun()


ctx = context()
lang = ctx.lang
st.header(t("nav.review", lang))
if not review_mode():  # reached some other way on a public server: show nothing, write nothing
    st.error(t("review.off", lang))
    st.stop()
st.caption(t("review.intro", lang))
if "review_saved" in st.session_state:
    st.success(st.session_state.pop("review_saved"))
reviewer = st.text_input(t("review.reviewer", lang), key="review_reviewer")
src = ctx.tables.sources.sort_values("source_id")
source_id = st.selectbox(t("sources.pick", lang), src["source_id"].tolist(), key="review_source")
if source_id is None:
    st.stop()
info = src.set_index("source_id").loc[source_id]
text, _ok = source_text(str(sources_dir()), str(info.get("file") or ""), info["sha256"])
try:
    figures, report = _pending(ctx.tables.observations, source_id, text)
except BuildError as exc:
    st.error(exc.one_line())
    st.stop()
for stale in report["unmatched"]:
    st.warning(f"{Path(stale['file']).name}:{stale['line']}: {stale['number_text']} — {stale['reason']}")
pending = figures[figures["review_state"] == "machine"]
st.markdown(t("review.count", lang, pending=len(pending), total=len(figures)))
st.caption(t("review.rebuild", lang))
for _, row in pending.head(SHOW_AT_MOST).iterrows():
    with st.container(border=True):
        _decision_form(row, text, reviewer, lang)
