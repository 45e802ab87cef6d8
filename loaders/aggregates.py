"""Macro-region figures derived from a release's provincial table, each input cited.

East, Central, West and Northeast are the NBS macro-regions: the regions in regions.yaml
that split China (splits_parent) and the provinces whose parent they are. A region's R&D
spending is the sum of its provinces' table rows, and its share of the nation is that sum
over the national total the releases state. When a table lacks some of a region's
provinces the sum is not published as a value; if the table is ranked (largest first) and
the national total is known, the region's figure is bounded instead (at_least / at_most),
because each missing province is no larger than the table's last row and all missing
provinces together are the national total less the listed rows.
"""

from __future__ import annotations

import math

import pandas as pd

from loaders.corpus import Source
from loaders.official import TABLE_RULE, Spec, _row
from loaders.reference import Reference

SPENDING = "rd_spending"
SHARE = "rd_spending_regional_share_pct"


def macro_members(ref: Reference) -> dict[str, list[str]]:
    """Macro-region id -> its provinces' ids, from regions.yaml."""
    macros = [r["region_id"] for r in ref.regions if r.get("splits_parent") and r["parent_id"] == "china"]
    return {
        m: [r["region_id"] for r in ref.regions if r["parent_id"] == m and r["level"] == "province"] for m in macros
    }


def _national_total(official: pd.DataFrame, year: int) -> pd.Series | None:
    rows = official[
        (official["indicator_id"] == SPENDING)
        & (official["region_id"] == "china")
        & (official["year"] == year)
        & ~official["derived"]
    ]
    return rows.iloc[0] if len(rows) else None


def _names(ref: Reference) -> dict[str, str]:
    return {r["region_id"]: r["name_zh"] for r in ref.regions}


def _inputs(rows: pd.DataFrame, names: dict[str, str]) -> str:
    return " + ".join(f"{names[r]} {t}" for r, t in zip(rows["region_id"], rows["number_text"], strict=True))


def _derived(source: Source, spec: Spec, span: pd.DataFrame, **kw) -> dict:
    first = span.iloc[0]
    return _row(
        source,
        spec,
        year=int(first["year"]),
        char_start=int(span["char_start"].min()),
        char_end=int(span["char_end"].max()),
        number_start=int(first["number_start"]),
        number_end=int(first["number_end"]),
        derived=True,
        flags="derived",
        region_basis="rule",
        rule_id="official.yaml:macro_region",
        **kw,
    )


def _complete(source, spec, members: pd.DataFrame, macro: str, total, names) -> list[dict]:
    value = round(float(members["value"].sum()), 1)
    cited = f"{_inputs(members, names)} ({source.source_id}, table rows)"
    out = [
        _derived(
            source,
            spec,
            members,
            indicator_id=SPENDING,
            region_id=macro,
            value=value,
            unit="亿元",
            note=f"derived: sum of {cited} = {value}",
        )
    ]
    if total is not None:
        share = round(value / float(total["value"]) * 100, 2)
        out.append(
            _derived(
                source,
                spec,
                members,
                indicator_id=SHARE,
                region_id=macro,
                value=share,
                unit="%",
                note=f"derived: ({cited}) / national total {total['number_text']} ({total['source_id']}) × 100 = {share}",
            )
        )
    return out


def _bounds(source, spec, table: pd.DataFrame, members: pd.DataFrame, n_missing: int, macro: str, total, names):
    ranked = bool((table["value"].diff().dropna() <= 0).all())
    unlisted = float(total["value"]) - float(table["value"].sum())
    room = max(unlisted, 0.0) + 0.05 * (len(table) + 1)
    if ranked:
        room = min(room, n_missing * float(table["value"].min()))
    known = float(members["value"].sum())
    t = float(total["value"])
    lo, hi = round(known, 1), round(known + room, 1)
    share_lo, share_hi = math.floor(lo / t * 10000) / 100, math.ceil(hi / t * 10000) / 100
    why = (
        f"derived: {n_missing} of its provinces are not in the table ({source.source_id}); listed "
        f"{_inputs(members, names)}; unlisted provinces together = national total {total['number_text']} "
        f"({total['source_id']}) − listed rows = {unlisted:.1f}"
        + (f", each at most the last row {table['value'].min()}" if ranked else "")
    )
    out = []
    for indicator, unit, low, high in ((SPENDING, "亿元", lo, hi), (SHARE, "%", share_lo, share_hi)):
        for qualifier, value in (("at_least", low), ("at_most", high)):
            out.append(
                _derived(
                    source,
                    spec,
                    table,
                    indicator_id=indicator,
                    region_id=macro,
                    value=value,
                    unit=unit,
                    qualifier=qualifier,
                    note=f"{why}; bound {qualifier} {value}",
                )
            )
    return out


def macro_region_rows(official: pd.DataFrame, sources: list[Source], ref: Reference, spec: Spec) -> list[dict]:
    """Derived macro-region rows for every provincial R&D spending table in the releases."""
    if official.empty:
        return []
    by_id = {s.source_id: s for s in sources}
    names = _names(ref)
    tables = official[(official["rule_id"] == TABLE_RULE) & (official["indicator_id"] == SPENDING)]
    tables = tables[tables["region_id"] != "china"]
    out: list[dict] = []
    for (sid, year), table in tables.groupby(["source_id", "year"], sort=True):
        total = _national_total(official, int(year))
        for macro, provinces in macro_members(ref).items():
            members = table[table["region_id"].isin(provinces)]
            n_missing = len(set(provinces) - set(members["region_id"]))
            if n_missing == 0:
                out.extend(_complete(by_id[sid], spec, members, macro, total, names))
            elif total is not None and len(members):
                out.extend(_bounds(by_id[sid], spec, table, members, n_missing, macro, total, names))
    return out
