"""Comparability guardrails: which figures a chart may draw, and how their time is written.

Why: a chart says more than its figures do. An undated figure placed at its
publication year, a ten-year average drawn as one year's bar, a figure the build
found implausible drawn as exact, a line across sixteen empty years between two
papers: each states something no source states. These rules decide, per figure,
whether it is drawn, and write its time as the text gives it.

Columns other engineers are adding (DESIGN.md 2026-12: status, period_kind,
period_start/end, review_state, year_basis = unstated) are read when present; before
they land, each has the fallback CONTRACT.md names (every row actual, machine-read).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from dashboard.i18n import t
from schemas.contract import (
    CHART_PERIOD_KINDS,
    CHART_STATUSES,
    HIDING_FLAGS,
    RANK_BASE_UNIT,
    REVIEWED_STATES,
    UNDATED_YEAR_BASES,
)

# Periods drawn as spans (on trends) or as their own lane (in comparisons).
SPAN_KINDS = ("multi_year_average",)
# Fallbacks while period_kind is not published: the loader's note says what the period is.
_NOTE_SPAN = re.compile(r"period: the (\d+) years before (\d{4})")
_NOTE_SINCE = re.compile(r"since (\d{4})")
# Words after a year that make the year approximate (1992年前后).
APPROX_YEAR_WORDS = ("前后", "左右")


@dataclass(frozen=True)
class Choice:
    """What the reader asked to see beyond the default."""

    show_flagged: bool = False
    include_machine: bool = True
    # Every source's figure for a region-year, not only the one that takes precedence.
    compare_sources: bool = False


def _col(obs: pd.DataFrame, name: str, default) -> list:
    return obs[name].astype(object).tolist() if name in obs else [default] * len(obs)


def _text(value) -> str:
    return "" if value is None or value != value else str(value)


def _year_of(value) -> int | None:
    if value is None or value is pd.NaT or value != value:
        return None
    try:
        return int(pd.Timestamp(value).year)
    except (TypeError, ValueError):
        return None


def period_of(kind: str, year: int, note: str, start, end) -> tuple[str, int, int]:
    """(period_kind, first year, last year) from the published columns or, before they
    land, from the loader's note ("period: the 10 years before 2012" is 2002–2011)."""
    first, last = _year_of(start), _year_of(end)
    if kind and first is not None:
        return kind, first, last or year
    # The kind read the period but not its start (前十年年均10%): the loader's note has the span.
    span = _NOTE_SPAN.search(note)
    if span:
        n, before = int(span.group(1)), int(span.group(2))
        return kind or "multi_year_average", before - n, before - 1
    since = _NOTE_SINCE.search(note)
    if since:
        return kind or "cumulative", int(since.group(1)), year
    return (kind, last or year, last or year) if kind else ("year", year, year)


def columns(obs: pd.DataFrame) -> dict[str, list]:
    """g_status, g_period, g_first, g_last, g_undated, g_flag, g_review of each row."""
    kinds, firsts, lasts = [], [], []
    for kind, year, note, start, end in zip(
        _col(obs, "period_kind", ""),
        _col(obs, "year", 0),
        _col(obs, "note", ""),
        _col(obs, "period_start", None),
        _col(obs, "period_end", None),
        strict=True,
    ):
        k, a, b = period_of(_text(kind), int(year), _text(note), start, end)
        kinds.append(k)
        firsts.append(a)
        lasts.append(b)
    flags = [_text(f) for f in _col(obs, "flags", "")]
    checks = [_text(c) for c in _col(obs, "check_status", "")]
    return {
        "g_status": [_text(s) or "actual" for s in _col(obs, "status", "actual")],
        "g_period": kinds,
        "g_first": firsts,
        "g_last": lasts,
        "g_undated": [_text(b) in UNDATED_YEAR_BASES for b in _col(obs, "year_basis", "stated")],
        "g_flag": [hiding_flag(f, c) for f, c in zip(flags, checks, strict=True)],
        "g_review": [_text(r) or "machine" for r in _col(obs, "review_state", "machine")],
    }


def annotate(obs: pd.DataFrame) -> pd.DataFrame:
    """The rows with the guard's columns (see columns())."""
    return obs.assign(**columns(obs))


def hiding_flag(flags: str, check_status: str = "") -> str:
    """The flag that keeps a figure off charts ('implausible: outside 0–15 %'), or ''."""
    for part in flags.split(";"):
        part = part.strip()
        if any(part.startswith(word) for word in HIDING_FLAGS):
            return part
    return "contradicted: differs from the official figure" if check_status == "differs" else ""


def excluded_reason(row, choice: Choice) -> str:
    """Why an annotated row is not drawn ('' when it is): a key under guard.why."""
    if row["g_undated"]:
        return "undated"
    if row["g_status"] not in CHART_STATUSES:
        return "status"
    if row["g_period"] not in (*CHART_PERIOD_KINDS, *SPAN_KINDS):
        return "period"
    if row["g_flag"] and not choice.show_flagged:
        return "flagged"
    if row["g_review"] == "rejected":
        return "rejected"
    if row["g_review"] not in REVIEWED_STATES and not choice.include_machine:
        return "machine"
    return ""


def split(rows: pd.DataFrame, choice: Choice) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows a chart may draw, rows kept for the table with a g_why reason)."""
    if rows.empty:
        return rows, rows.assign(g_why=[])
    if "g_status" not in rows:
        rows = annotate(rows)
    keys = ("g_undated", "g_status", "g_period", "g_flag", "g_review")
    why = [
        excluded_reason(dict(zip(keys, values, strict=True)), choice)
        for values in zip(*(rows[k].tolist() for k in keys), strict=True)
    ]
    if not choice.compare_sources:
        why = supersede(rows, why)
    drawn = [w == "" for w in why]
    hidden = [not d for d in drawn]
    return rows[drawn], rows[hidden].assign(g_why=[w for w in why if w])


def supersede(rows: pd.DataFrame, why: list[str]) -> list[str]:
    """One mark per region-year (or stated span) of one indicator: of the figures a chart
    may draw, a figure a text states before one the build derived from other figures (no
    source states a derived figure), then the one from the source that takes precedence
    (`g_precedence`, from dashboard.precedence), then an exact figure before a bound, then
    the first. The others get the reason "superseded" and stay in the table of figures not
    drawn, with their citations."""
    n = len(rows)
    cols = [rows[c].astype(str).tolist() for c in ("indicator_id", "region_id")]
    spans = [rows[c].tolist() for c in ("g_first", "g_last")]
    rank = rows["g_precedence"].tolist() if "g_precedence" in rows else [0] * n
    derived = rows["derived"].astype(bool).tolist() if "derived" in rows else [False] * n
    qualifier = rows["qualifier"].astype(str).tolist() if "qualifier" in rows else ["exact"] * n
    order = sorted((i for i in range(n) if not why[i]), key=lambda i: (derived[i], rank[i], qualifier[i] != "exact", i))
    out, seen = list(why), set()
    for i in order:
        place = (cols[0][i], cols[1][i], spans[0][i], spans[1][i])
        if place in seen:
            out[i] = "superseded"
        seen.add(place)
    return out


def default_choice(obs: pd.DataFrame) -> Choice:
    """Machine-read figures are drawn unless some figures have been reviewed: once a
    reviewer has confirmed figures, charts show only those unless the reader asks."""
    reviewed = "review_state" in obs and obs["review_state"].astype(str).isin(REVIEWED_STATES).any()
    return Choice(show_flagged=False, include_machine=not bool(reviewed))


def approx_year(quote: str, year: int) -> bool:
    flat = re.sub(r"\s+", "", quote or "")
    return any(f"{year}年{w}" in flat for w in APPROX_YEAR_WORDS)


def time_label(row, lang: str) -> str:
    """The figure's time as the text gives it: '2022', '2002–2011年均', '1992年前后',
    '年份未注明（2024年发表）'. Never the publication year as if it were a data year."""
    year = int(row["g_last"]) if "g_last" in row else int(row["year"])
    kind = row.get("g_period", "year")
    first = int(row.get("g_first", year))
    if row.get("g_undated"):
        if kind == "cumulative" and first < int(row["year"]):
            return t("period.since_undated", lang, first=first, year=int(row["year"]))
        return t("period.undated", lang, year=int(row["year"]))
    if kind in SPAN_KINDS and first < year:
        return t("period.average", lang, first=first, last=year)
    if kind == "cumulative" and first < year:
        return t("period.cumulative", lang, first=first, last=year)
    if approx_year(str(row.get("quote", "")), year):
        return t("period.approx_year", lang, year=year)
    return str(year)


def lane(row) -> str:
    """The comparison a figure belongs to: its year, its span, or the undated lane."""
    if row.get("g_undated"):
        return "undated"
    if row.get("g_period") in SPAN_KINDS and int(row["g_first"]) < int(row["g_last"]):
        return f"{int(row['g_first'])}-{int(row['g_last'])}"
    return str(int(row["year"]))


def lanes(rows: pd.DataFrame) -> list[str]:
    """`lane` of every row, read column by column (no per-row dicts: this runs on every
    redraw of the comparison page)."""
    cols = [
        rows[c].tolist() if c in rows else [None] * len(rows) for c in ("g_undated", "g_period", "g_first", "g_last")
    ]
    keys = ("g_undated", "g_period", "g_first", "g_last", "year")
    return [lane(dict(zip(keys, vals, strict=True))) for vals in zip(*cols, rows["year"].tolist(), strict=True)]


_MEMO: dict[tuple[str, int], tuple[object, object]] = {}


def per_table(name: str, frame: pd.DataFrame, build):
    """`build(frame)`, computed once per table object: the loaded tables never change, and
    what is derived from the whole regions or indicators table (3,000 regions' ancestors)
    need not be rebuilt on every redraw."""
    key = (name, id(frame))
    hit = _MEMO.get(key)
    if hit is None or hit[0] is not frame:
        if len(_MEMO) > 64:
            _MEMO.clear()
        hit = (frame, build(frame))
        _MEMO[key] = hit
    return hit[1]


def _rank_ids(indicators: pd.DataFrame) -> frozenset[str]:
    base = indicators["base_unit"].astype(str) if "base_unit" in indicators else pd.Series("", index=indicators.index)
    ranked = (base == RANK_BASE_UNIT) | (indicators["unit"].astype(str) == "位")
    return frozenset(indicators.loc[ranked, "indicator_id"].astype(str))


def is_rank(indicators: pd.DataFrame, indicator_id: str) -> bool:
    return indicator_id in per_table("rank_ids", indicators, _rank_ids)


def ancestors(regions: pd.DataFrame) -> dict[str, list[str]]:
    parent = dict(zip(regions["region_id"], regions["parent_id"], strict=True))
    out = {}
    for r in parent:
        chain, seen = [], {r}
        p = parent.get(r, "")
        while p and p not in seen:
            chain.append(p)
            seen.add(p)
            p = parent.get(p, "")
        out[r] = chain
    return out


def _membership(regions: pd.DataFrame) -> dict[str, tuple[str, str, bool]]:
    """(parent, level, splits its parent) of every region, as plain values: looked up for
    every pair of the regions a chart shows, which a DataFrame lookup per value made the
    slowest step of a comparison's first draw."""
    splits = regions["splits_parent"].tolist() if "splits_parent" in regions else [False] * len(regions)
    return {
        str(r): (p, lv, bool(s))
        for r, p, lv, s in zip(
            regions["region_id"].tolist(), regions["parent_id"].tolist(), regions["level"].tolist(), splits, strict=True
        )
    }


def overlapping(region_ids: list[str], regions: pd.DataFrame) -> list[tuple[str, str]]:
    """Pairs of the given regions that are not disjoint: one inside the other (China and
    the East), or, under one parent, a region of the parent's partition beside one that is
    not part of it (the East and the Yangtze River Delta, which lies mostly inside it).
    Two regions with no word on either's membership are not called overlapping."""
    info = per_table("membership", regions, _membership)
    up = per_table("ancestors", regions, ancestors)
    ids = [r for r in dict.fromkeys(region_ids) if r in info]
    pairs = []
    for i, a in enumerate(ids):
        parent_a, level_a, splits_a = info[a]
        for b in ids[i + 1 :]:
            parent_b, level_b, splits_b = info[b]
            nested = a in up.get(b, []) or b in up.get(a, [])
            siblings = parent_a == parent_b and level_a == level_b
            if nested or (siblings and splits_a != splits_b):
                pairs.append((a, b))
    return pairs


def measures_of(spec: dict) -> set[tuple[str, str]]:
    """(what, unit) of every figure a plotly figure (as JSON) draws: the indicator, or the
    whole its parts make up. One chart must give exactly one pair: one indicator, one unit.
    Works on AppTest's spec and on a browser's `gd.data` alike."""
    from dashboard.charts import CUSTOMDATA

    at_id, at_unit = CUSTOMDATA.index("indicator_id"), CUSTOMDATA.index("unit_display")
    out = set()
    for trace in spec.get("data", []):
        meta = str(trace.get("meta") or "")
        for cd in trace.get("customdata") or []:
            if not isinstance(cd, list) or len(cd) <= max(at_id, at_unit):
                continue
            what = meta[len("whole:") :] if meta.startswith("whole:") else str(cd[at_id])
            out.add((what, str(cd[at_unit])))
    return out


def doubled_places(spec: dict) -> list[tuple[str, str, str]]:
    """(indicator, region, period) drawn by more than one mark in a plotly figure (as
    JSON): a chart draws each region-year once unless the reader asked to compare sources.
    A span is one mark however many points draw it; reference lines and legend entries are
    no marks."""
    from dashboard.charts import CUSTOMDATA

    at = [CUSTOMDATA.index(c) for c in ("indicator_id", "region_id", "period")]
    counts: dict[tuple[str, str, str], int] = {}
    for trace in spec.get("data", []):
        if trace.get("meta") in ("benchmark", "legend"):
            continue
        cds = [cd for cd in trace.get("customdata") or [] if isinstance(cd, list) and len(cd) > max(at)]
        places = [tuple(str(cd[i]) for i in at) for cd in cds]
        for place in set(places) if trace.get("meta") == "span" else places:
            counts[place] = counts.get(place, 0) + 1
    return sorted(p for p, n in counts.items() if n > 1)
