"""Every claim from a non-official source checked against the official figure.

For the same indicator, region and year the claim either agrees with the official figure
(within the claim's own rounding, widened by its qualifier: 约, 近, 超 ...), differs (the
official figure and its source beside it, and by how much), or has no official figure
(no_official). Official rows themselves are not checked (check_status empty). A claim whose
text gives no data year is compared with the latest official figure up to its publication
year, and the note says so. Bounds derived from an incomplete table (at_least / at_most)
check a claim only for consistency: the note says the official figure is a range.
"""

from __future__ import annotations

import re

import pandas as pd

CHECK_COLUMNS = ["check_status", "check_value", "check_source_id", "check_note"]
STATUSES = ["agrees", "differs", "no_official", ""]


def _decimals(number_text: str, value: float) -> int:
    """Digits after the point as the text states the number (2.54% → 2; 九成 → 0)."""
    m = re.search(r"\d+\.(\d+)", str(number_text))
    if m:
        return len(m.group(1))
    return 0 if float(value).is_integer() else len(repr(float(value)).split(".")[1])


def rounding(row) -> float:
    """Half a unit of the claim's last stated digit, in base units."""
    return 0.5 * 10 ** (-_decimals(row["number_text"], row["value"])) * float(row["scale"])


def agrees(claim, official_base: float, tolerance: dict) -> bool:
    """Whether an exact official figure is within what the claim says, qualifier included."""
    c, o, r = float(claim["value_base"]), official_base, rounding(claim)
    q = claim["qualifier"]
    if q == "approx":
        return abs(o - c) <= max(r, float(tolerance.get("approx_relative", 0.05)) * abs(c))
    if q == "nearly":
        return c * (1 - float(tolerance.get("nearly_relative", 0.10))) <= o <= c + r
    if q in ("more_than", "at_least"):
        return o >= c - r
    if q in ("less_than", "at_most"):
        return o <= c + r
    return abs(o - c) <= r


def _official_index(frame: pd.DataFrame, official_ids: set[str]) -> dict[tuple, pd.DataFrame]:
    official = frame[frame["source_id"].isin(official_ids)]
    return {key: rows for key, rows in official.groupby(["indicator_id", "region_id", "year"], sort=False)}


def _candidates(claim, index: dict, published: dict, undated: set[str]) -> tuple[pd.DataFrame | None, str]:
    """The official rows for the claim's indicator, region and year (or latest, when undated)."""
    key = (claim["indicator_id"], claim["region_id"], int(claim["year"]))
    if claim["year_basis"] not in undated:
        return index.get(key), ""
    limit = published.get(claim["source_id"], int(claim["year"]))
    years = sorted(y for (i, r, y) in index if i == key[0] and r == key[1] and y <= limit)
    if not years:
        return None, ""
    return index[(key[0], key[1], years[-1])], f"claim states no year; compared with the official {years[-1]} figure"


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def check_one(claim, rows: pd.DataFrame, tolerance: dict) -> tuple[str, float, str, str]:
    """(status, official value in the claim's unit, official source, note) for one claim."""
    scale = float(claim["scale"])
    exact = rows[rows["qualifier"] == "exact"]
    if len(exact):
        best = exact.iloc[0]
        o = float(best["value_base"])
        status = "agrees" if agrees(claim, o, tolerance) else "differs"
        note = f"official {_fmt(o / scale)} {claim['unit']} ({best['source_id']})"
        if status == "differs":
            c = float(claim["value_base"]) / scale
            note += f"; claim {_fmt(c)} {claim['unit']} differs by {_fmt(c - o / scale)}"
            if claim["derived"]:
                note += " (the claim is derived; a later release may restate the official figure on revised data)"
        return status, o / scale, str(best["source_id"]), note
    lo = rows[rows["qualifier"] == "at_least"]["value_base"].max()
    hi = rows[rows["qualifier"] == "at_most"]["value_base"].min()
    c, r = float(claim["value_base"]), rounding(claim)
    inside = (pd.isna(lo) or c + r >= lo) and (pd.isna(hi) or c - r <= hi)
    note = f"official figure is a range {_fmt(lo / scale)}–{_fmt(hi / scale)} {claim['unit']} ({rows.iloc[0]['source_id']})"
    note += "; the claim lies within it" if inside else "; the claim lies outside it"
    return ("agrees" if inside else "differs"), float("nan"), str(rows.iloc[0]["source_id"]), note


def cross_check(frame: pd.DataFrame, official_ids: set[str], tolerance: dict, published: dict) -> pd.DataFrame:
    """The observations with check_status, check_value, check_source_id and check_note."""
    out = frame.copy()
    out["check_status"], out["check_value"], out["check_source_id"], out["check_note"] = "", float("nan"), "", ""
    index = _official_index(out, official_ids)
    undated = set(tolerance.get("undated_year_bases") or [])
    for i, claim in out[~out["source_id"].isin(official_ids)].iterrows():
        rows, why = _candidates(claim, index, published, undated)
        if rows is None:
            out.at[i, "check_status"] = "no_official"
            continue
        status, value, sid, note = check_one(claim, rows, tolerance)
        out.loc[i, CHECK_COLUMNS] = [status, value, sid, "; ".join(x for x in (why, note) if x)]
    out["check_value"] = out["check_value"].astype("float64")
    return out
