"""Results the pages reuse across reruns, computed once per data version.

Every cache here is keyed by the tables' signature (which changes when a rebuild
replaces a table) and takes the tables themselves as an unhashed argument. The
values are shared between sessions and treated as read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import streamlit as st

from dashboard import charts, highlight, quality
from dashboard.data import Tables, mentions_for, release_memory
from dashboard.i18n import t


def _key(tables: Tables) -> str:
    return f"{tables.data_dir}|{tables.signature}"


@st.cache_resource(show_spinner=False, max_entries=4)
def _checks(key: str, root: str, _tables: Tables):
    results, inconsistent = quality.run_checks(_tables, Path(root))
    mask = quality.flag_mask(_tables.observations, inconsistent)
    release_memory()
    return results, inconsistent, mask


def checks(tables: Tables, root: str) -> tuple[list[quality.Check], quality.Inconsistent, np.ndarray]:
    """The consistency checks, the inconsistent figures and the mask of flagged figures."""
    return _checks(_key(tables), root, tables)


DATA_ORDER = ["indicator_id", "region_id", "year", "observation_id"]


@st.cache_resource(show_spinner=False, max_entries=4)
def _order(key: str, _tables: Tables) -> np.ndarray:
    obs = _tables.observations
    # Integer keys only (category codes are in sorted order, ids by their rank), so the
    # sort needs a few arrays of a million ints rather than copies of the text columns.
    id_rank = pc.rank(pa.array(obs["observation_id"]), sort_keys="ascending", tiebreaker="first").to_numpy()
    keys = (
        id_rank,
        obs["year"].to_numpy(),
        obs["region_id"].cat.codes.to_numpy(),
        obs["indicator_id"].cat.codes.to_numpy(),
    )
    order = np.lexsort(keys).astype("int32")
    del keys, id_rank
    release_memory()
    return order


def sorted_positions(tables: Tables, positions: np.ndarray | None) -> np.ndarray:
    """`positions` (None: every row) in the Data page's order: indicator, region, year, id."""
    order = _order(_key(tables), tables)
    if positions is None:
        return order
    keep = np.zeros(len(tables.observations), dtype=bool)
    keep[positions] = True
    return order[keep[order]]


@dataclass(frozen=True)
class SourceView:
    obs: pd.DataFrame  # the source's observations, by offset
    rows: pd.DataFrame  # the same with chart labels
    labels: dict[str, str]  # observation_id -> "value · indicator · region · year"
    table: pd.DataFrame | None  # the figures as a table


@st.cache_resource(show_spinner=False, max_entries=16)
def _source_view(key: str, source_id: str, lang: str, _tables: Tables) -> SourceView:
    tb = _tables
    pos = tb.by_source.get(source_id, np.zeros(0, dtype="int32"))
    obs = tb.observations.take(pos).sort_values("char_start", kind="stable")
    if not len(obs):
        return SourceView(obs, obs, {}, None)
    from dashboard.ui import names_of

    rows = charts.chart_rows(obs, tb.regions, tb.indicators, tb.sources, lang, names=names_of(tb, lang))
    labels = {
        o: f"{v} · {i} · {r} · {y}"
        for o, v, i, r, y in zip(
            rows["observation_id"].tolist(),
            rows["value_display"].tolist(),
            rows["indicator_label"].tolist(),
            rows["region_label"].tolist(),
            rows["year"].tolist(),
            strict=True,
        )
    }
    return SourceView(obs, rows, labels, charts.table_view(rows, lang))


def source_view(tables: Tables, source_id: str, lang: str) -> SourceView:
    return _source_view(_key(tables), source_id, lang, tables)


def unmapped_title(reason: str, subject: str, measure: str, lang: str) -> str:
    """Hover of a number no observation came from: what the text says it measures, then why
    it is not in the tables."""
    if not subject:
        return reason or ""
    what = f"{t('try_doc.col_subject', lang)}：{subject}（{t('measure.' + measure, lang)}）"
    return f"{what} · {reason}" if reason else what


@st.cache_resource(show_spinner=False, max_entries=16)
def _source_html(key: str, source_id: str, lang: str, chosen: str, text_key: str, _tables: Tables, _text: str):
    view = source_view(_tables, source_id, lang)
    obs, labels = view.obs, view.labels
    men = mentions_for(_tables, source_id)
    mapped = set(obs["observation_id"].tolist())
    spans = [
        highlight.Span(
            int(a), int(b), "mapped" if o in mapped else "unmapped", labels.get(o) or unmapped_title(r, s, m, lang)
        )
        for a, b, o, r, s, m in zip(
            men["char_start"].tolist(),
            men["char_end"].tolist(),
            men["observation_id"].tolist(),
            men["reason"].tolist(),
            men["indicator_subject"].tolist(),
            men["measure"].tolist(),
            strict=True,
        )
    ]
    # Observations mark their own number too, in case mentions lag behind.
    spans += [
        highlight.Span(int(a), int(b), "mapped", labels.get(o, ""))
        for a, b, o in zip(
            obs["number_start"].tolist(), obs["number_end"].tolist(), obs["observation_id"].tolist(), strict=True
        )
        if a >= 0
    ]
    window = None
    if chosen:
        sel = obs[obs["observation_id"] == chosen].iloc[0]
        spans.append(highlight.Span(int(sel["char_start"]), int(sel["char_end"]), "quote"))
        if sel["number_start"] >= 0:
            spans.append(highlight.Span(int(sel["number_start"]), int(sel["number_end"]), "selected", labels[chosen]))
        lo = max(0, int(sel["char_start"]) - 160)
        hi = min(len(_text), int(sel["char_end"]) + 160)
        window = highlight.render(_text, spans, lo, hi)
    return window, highlight.render(_text, spans)


def source_html(tables: Tables, source_id: str, lang: str, chosen: str, text: str, text_key: str):
    """(HTML around the chosen figure or None, HTML of the whole text), marks included."""
    return _source_html(_key(tables), source_id, lang, chosen, text_key, tables, text)
