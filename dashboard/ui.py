"""Streamlit pieces every page shares: context, filters, chart frame, messages."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import about, charts, export, guard, notes, precedence, state
from dashboard.data import LEVELS, Tables, sources_dir
from dashboard.i18n import t

_CTX = "_ctx"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


# GFM turns http://…, www.… and a@b.c in text into links even when escaped (the autolink pass
# runs on the unescaped text): an invisible word joiner (U+2060) inside each keeps them text.
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)")


def md(text: object) -> str:
    """Escape Markdown so titles and quotes are shown as typed, never interpreted or linked."""
    return _MD_SPECIAL.sub(r"\\\1", _AUTOLINK.sub("\u2060", str(text))).replace("\n", " ")


EMPTY = np.zeros(0, dtype="int32")


def _union(arrays) -> np.ndarray:
    parts = [a for a in arrays if len(a)]
    if not parts:
        return EMPTY
    return parts[0] if len(parts) == 1 else np.sort(np.concatenate(parts))


@dataclass(frozen=True)
class Context:
    """What app.py decided for this run: language, tables and the global filters."""

    lang: str
    tables: Tables
    regions: tuple[str, ...]
    years: tuple[int, int]

    def _narrow(self, pos: np.ndarray | None, col: str, ids, index: dict) -> np.ndarray:
        """Rows of `pos` (None: all rows) whose `col` is one of `ids`: from the precomputed
        index when nothing narrowed yet, else by category code on the rows kept so far."""
        ids = [str(i) for i in ids]
        if pos is None:
            return _union(index.get(i, EMPTY) for i in ids)
        series = self.tables.observations[col]
        wanted = series.cat.categories.get_indexer(ids)
        codes = series.cat.codes.to_numpy()
        return pos[np.isin(codes[pos], wanted[wanted >= 0])]

    def positions(
        self,
        *,
        use_regions: bool = True,
        indicators=None,
        region: str | None = None,
        sources=None,
    ) -> np.ndarray | None:
        """Sorted row positions of the observations matching the filters; None means every row."""
        tb = self.tables
        pos = None
        if indicators is not None:
            pos = self._narrow(pos, "indicator_id", indicators, tb.by_indicator)
        if region is not None:
            pos = self._narrow(pos, "region_id", [region], tb.by_region)
        if sources is not None:
            pos = self._narrow(pos, "source_id", sources, tb.by_source)
        if use_regions and self.regions:
            pos = self._narrow(pos, "region_id", self.regions, tb.by_region)
        if tuple(self.years) != tuple(tb.years):
            lo, hi = self.years
            years = tb.year if pos is None else tb.year[pos]
            keep = (years >= lo) & (years <= hi)
            pos = np.flatnonzero(keep).astype("int32") if pos is None else pos[keep]
        return pos

    def filtered(self, *, use_regions: bool = True, indicators=None, region: str | None = None) -> pd.DataFrame:
        """The observations matching the filters (the table itself when nothing is filtered)."""
        pos = self.positions(use_regions=use_regions, indicators=indicators, region=region)
        obs = self.tables.observations
        return obs if pos is None else obs.take(pos)

    def rows(self, obs: pd.DataFrame) -> pd.DataFrame:
        tb = self.tables
        return charts.chart_rows(obs, tb.regions, tb.indicators, tb.sources, self.lang, names=self.names)

    @property
    def names(self) -> charts.Names:
        return names_of(self.tables, self.lang)

    def region_name(self, region_id: str) -> str:
        return self.tables.region_names.get(self.lang, {}).get(region_id, region_id)

    def indicator_name(self, indicator_id: str) -> str:
        return self.tables.indicator_names.get(self.lang, {}).get(indicator_id, indicator_id)


_NAMES: dict[tuple[int, str], tuple[Tables, charts.Names]] = {}


def names_of(tables: Tables, lang: str) -> charts.Names:
    """Chart labels for these tables and language, built once (the tables never change)."""
    key = (id(tables), lang)
    hit = _NAMES.get(key)
    if hit is None or hit[0] is not tables:
        if len(_NAMES) > 8:
            _NAMES.clear()
        ind = tables.indicators
        hit = (
            tables,
            charts.Names(
                region=tables.region_names.get(lang, {}),
                level=tables.region_levels,
                indicator=tables.indicator_names.get(lang, {}),
                source=tables.source_labels.get(lang, {}),
                indicator_unit=dict(zip(ind["indicator_id"], ind["unit"], strict=True)),
                indicator_base=dict(
                    zip(ind["indicator_id"], ind["base_unit"] if "base_unit" in ind else [""] * len(ind), strict=True)
                ),
                source_rank=source_ranks(tables),
            ),
        )
        _NAMES[key] = hit
    return hit[1]


def source_ranks(tables: Tables) -> dict[str, int]:
    """The sources' order of precedence, worked out once per sources table."""
    return guard.per_table("source_rank", tables.sources, lambda s: precedence.ranks(s, str(sources_dir())))


def fragment(func: Callable[[], None]) -> Callable[[], None]:
    """st.fragment that sends its URL changes when it ends: a change to the page's own
    choices reruns only the fragment, not the sidebar, navigation and frame around it."""

    @functools.wraps(func)
    def run() -> None:
        try:
            func()
        finally:
            state.flush_url()

    return st.fragment(run)


def set_context(ctx: Context) -> None:
    st.session_state[_CTX] = ctx


def context() -> Context:
    return st.session_state[_CTX]


def region_options(tables: Tables, only_with_data: bool = True) -> list[str]:
    """Region ids grouped by level (bloc, country, macro-region, province, city)."""
    if only_with_data:
        return list(tables.region_order)
    reg = tables.regions
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    ordered = reg.assign(_r=reg["level"].map(rank).fillna(len(LEVELS))).sort_values(["_r", "region_id"], kind="stable")
    return ordered["region_id"].tolist()


def region_format(tables: Tables, lang: str):
    names = tables.region_names.get(lang, {})
    levels = {lvl: t("level." + lvl, lang) for lvl in set(tables.region_levels.values())}
    shown = {r: f"{levels[tables.region_levels[r]]} · {n}" for r, n in names.items()}
    return lambda region_id: shown.get(region_id, region_id)


_OPTIONS: dict[tuple[int, tuple[int, int] | None], tuple[Tables, list[str]]] = {}


def indicator_options(tables: Tables, years: tuple[int, int] | None = None) -> list[str]:
    """Indicators with figures (in `years`, when given), by topic; worked out once per
    tables and year range, since every redraw of a chart page asks again."""
    key = (id(tables), None if years is None else tuple(years))
    hit = _OPTIONS.get(key)
    if hit is None or hit[0] is not tables:
        if len(_OPTIONS) > 64:
            _OPTIONS.clear()
        hit = (tables, _indicator_options(tables, years))
        _OPTIONS[key] = hit
    return list(hit[1])


def _indicator_options(tables: Tables, years: tuple[int, int] | None) -> list[str]:
    used = tables.indicator_years
    if years is not None:
        lo, hi = years
        used = {i: ys for i, ys in used.items() if any(lo <= y <= hi for y in ys)}
    ind = tables.indicators
    ind = ind[ind["indicator_id"].isin(list(used))]
    return ind.sort_values(["topic", "indicator_id"], kind="stable")["indicator_id"].tolist()


def indicator_format(tables: Tables, lang: str):
    names = tables.indicator_names.get(lang, {})
    topics = {tp: t("topic." + tp, lang) for tp in set(tables.indicator_topics.values())}
    shown = {i: f"{topics[tables.indicator_topics[i]]} · {n}" for i, n in names.items()}
    return lambda indicator_id: shown.get(indicator_id, indicator_id)


def select_indicator(ctx: Context, options: list[str], label_key: str) -> str | None:
    default = _default_indicator(options)
    state.single("indicator", options, default, ctx.lang)
    if not options:
        return None
    value = st.selectbox(
        t(label_key, ctx.lang),
        options,
        format_func=indicator_format(ctx.tables, ctx.lang),
        key="indicator",
    )
    state.publish("indicator", value)
    return value


def _default_indicator(options: list[str]) -> str | None:
    from dashboard.data import views

    preferred = views().get("default_indicator")
    if preferred in options:
        return preferred
    return options[0] if options else None


def empty(ctx: Context, hint: str = "") -> None:
    """Never an error for an empty selection: say what to change."""
    st.info(t("notice.empty", ctx.lang) + (f"\n\n{md(hint)}" if hint else ""))


def show_chart(
    fig: go.Figure,
    rows: pd.DataFrame,
    ctx: Context,
    *,
    key: str,
    filename: str,
    table: pd.DataFrame | Callable[[], pd.DataFrame] | None = None,
    hidden: pd.DataFrame | None = None,
    note: str = "",
) -> None:
    """Chart and its data side by side in tabs, the citations under both, then its own
    downloads (CSV of its rows; PNG from the toolbar, citations drawn in the image), the
    figures kept off it with the reason, and "About this data".

    The table is built and sent only while its tab is open (opening it reruns the page's
    fragment): a redraw after a filter change does not pay for a table nobody looks at.
    """
    labels = [t("common.chart", ctx.lang), t("common.table", ctx.lang)]
    tabs_key = f"{key}_tabs"
    if st.session_state.get(tabs_key) not in (None, *labels):  # opened in the other language
        st.session_state[tabs_key] = labels[1] if st.session_state[tabs_key] in _TABLE_LABELS else labels[0]
    tab_chart, tab_table = st.tabs(labels, key=tabs_key, on_change="rerun")
    with tab_chart:
        st.plotly_chart(fig, config=charts.plotly_config(filename), key=key, width="stretch")
    if tab_table.open:
        with tab_table:
            if callable(table):
                table = table()
            show_table(charts.table_view(rows, ctx.lang) if table is None else table, ctx, key=f"{key}_table")
    if note:  # under the chart, before its sources: how to read what the chart cannot show
        st.caption(md(note))
    st.caption(md(charts.caption(rows, ctx.lang)))
    chart_downloads(rows, ctx, key=key, filename=filename)
    if hidden is not None and len(hidden):
        show_hidden(hidden, ctx, key=f"{key}_hidden", lazy=True)
    about.panel(rows, ctx.tables.indicators, ctx.tables.sources, ctx.lang, key=f"{key}_about")


def chart_downloads(rows: pd.DataFrame, ctx: Context, *, key: str, filename: str) -> None:
    """The chart's own rows as CSV (built when clicked), and under it where the PNG is: one
    element each, not a two-column row (every element after the chart is sent before the
    run ends, and the browser draws the new chart only when it ends)."""
    tables, lang = ctx.tables, ctx.lang

    def csv_data() -> bytes:
        return export.csv_bytes(export.readable_frame(rows, lang, export.source_links(tables.sources)))

    st.download_button(
        t("guard.csv", lang),
        csv_data,
        file_name=f"{filename}.csv",
        mime="text/csv",
        icon=":material/download:",
        key=f"{key}_csv",
        on_click="ignore",
    )
    st.caption(t("guard.png_hint", lang))


def show_hidden(hidden: pd.DataFrame, ctx: Context, *, key: str, lazy: bool = False) -> None:
    """Figures a chart does not draw (undated, flagged, not actual, not a year), each with
    its reason and its flag: in a table, never on the year axis.

    Under a chart (`lazy`) the table is built and sent only once opened (opening reruns the
    page's fragment): a filter change then sends one collapsed header, not a table that
    would delay the end of the run and so the drawing of the new chart. Where the table is
    the page's only content (the undated lane) it is sent with the page.
    """
    lang = ctx.lang
    label = t("guard.not_drawn", lang, n=len(hidden))
    icon = ":material/visibility_off:"
    if lazy:
        box = st.expander(label, icon=icon, key=f"{key}_open", on_change="rerun")
        if not box.open:
            return
    else:
        box = st.expander(label, icon=icon)
    with box:
        st.caption(t("guard.not_drawn_help", lang))
        view = charts.table_view(hidden, lang)
        # After region, indicator, value and time: what the figure is comes first, then why.
        view.insert(4, t("guard.why_col", lang), [t(f"guard.why.{w}", lang) for w in hidden["g_why"].tolist()])
        view.insert(5, t("common.flags", lang), [notes.localise(f, lang) for f in hidden["g_flag"].tolist()])
        show_table(view, ctx, key=key)


def guard_choice(ctx: Context, key: str) -> guard.Choice:
    """What the reader asked to see beyond the default (flagged figures, machine-read).

    The checkboxes are built only while their expander is open (opening reruns the
    fragment), so a filter change sends one collapsed header before the chart instead of
    three elements. The choice outlives the closed expander in `{key}_choice`: a widget not
    drawn in a run loses its state, the reader's choice must not."""
    store = f"{key}_choice"
    chosen = st.session_state.get(store) or default_choice(ctx.tables)
    box = st.expander(t("guard.options", ctx.lang), icon=":material/tune:", key=f"{key}_options", on_change="rerun")
    if box.open:
        with box:
            flagged = st.checkbox(
                t("guard.show_flagged", ctx.lang), value=chosen.show_flagged, key=f"{key}_show_flagged"
            )
            machine = st.checkbox(
                t("guard.include_machine", ctx.lang), value=chosen.include_machine, key=f"{key}_machine"
            )
            every = st.checkbox(
                t("guard.compare_sources", ctx.lang), value=chosen.compare_sources, key=f"{key}_compare_sources"
            )
        chosen = guard.Choice(show_flagged=flagged, include_machine=machine, compare_sources=every)
        st.session_state[store] = chosen
    return chosen


_DEFAULT_CHOICE: dict[int, tuple[Tables, guard.Choice]] = {}


def default_choice(tables: Tables) -> guard.Choice:
    hit = _DEFAULT_CHOICE.get(id(tables))
    if hit is None or hit[0] is not tables:
        _DEFAULT_CHOICE.clear()
        hit = (tables, guard.default_choice(tables.observations))
        _DEFAULT_CHOICE[id(tables)] = hit
    return hit[1]


def nested_notes(rows: pd.DataFrame, ctx: Context) -> tuple[list[str], frozenset[str]]:
    """A note naming the regions shown that overlap or contain one another, and their ids."""
    pairs = guard.overlapping(rows["region_id"].astype(str).tolist(), ctx.tables.regions)
    if not pairs:
        return [], frozenset()
    return [t("guard.nested", ctx.lang, pairs=overlap_words(pairs, ctx))], frozenset(r for p in pairs for r in p)


def overlap_words(pairs: list[tuple[str, str]], ctx: Context, shown: int = 3) -> str:
    """中国与北京市、上海市、天津市等31个地区: one region overlapping many is named once, with
    the first few it overlaps and their number, not as thirty-one pairs."""
    groups: dict[str, list[str]] = {}
    for a, b in pairs:
        groups.setdefault(a, []).append(b)
    zh = ctx.lang == "zh"
    parts = []
    for a, bs in groups.items():
        names = [ctx.region_name(b) for b in bs]
        listed = ("、" if zh else ", ").join(names[:shown])
        if len(names) > shown:
            listed += f"等{len(names)}个地区" if zh else f" and {len(names) - shown} more"
        parts.append(f"{ctx.region_name(a)}与{listed}" if zh else f"{ctx.region_name(a)} and {listed}")
    return ("；" if zh else "; ").join(parts)


_TABLE_LABELS = {t("common.table", lang) for lang in ("zh", "en")}


def show_table(frame: pd.DataFrame, ctx: Context, *, key: str) -> None:
    st.dataframe(
        frame,
        hide_index=True,
        key=key,
        column_config={
            "link": st.column_config.LinkColumn(
                t("common.show_in_source", ctx.lang),
                display_text=t("common.show_in_source", ctx.lang),
            ),
            "observation_id": None,
        },
    )


# Up to this many rows a table under a chart is written as text (a Markdown table). Why:
# st.dataframe's grid is about 1.6 MB of JavaScript the browser loads and compiles before
# it draws the page's charts; one row of /provinces' disagreements made its cold start
# miss 1.2x of the minimal app (issue 15). More rows keep the sortable, searchable grid.
TEXT_TABLE_ROWS = 12


def show_short_table(frame: pd.DataFrame, *, key: str) -> None:
    """A few rows as text, every cell escaped and on one line; more as a dataframe."""
    if len(frame) > TEXT_TABLE_ROWS:
        st.dataframe(frame, hide_index=True, key=key)
        return

    def cell(value: object) -> str:  # a line break of any kind would end the table's row
        return md(str(value).replace("\r\n", " ").replace("\r", " "))

    lines = ["| " + " | ".join(cell(c) for c in frame.columns) + " |", "|" + " --- |" * len(frame.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False, name=None)]
    st.markdown("\n".join(lines))


def flush_notices(slot, lang: str) -> None:
    msgs = state.notices()
    if msgs:
        slot.info("\n\n".join(md(m) for m in msgs), icon="ℹ️")
        msgs.clear()
