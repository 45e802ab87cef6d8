"""Consistency checks the dashboard can make itself, on top of the build's schema checks."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.data import SAFE_FILE, Tables


@dataclass
class Check:
    key: str  # label key under quality.*
    n_failed: int
    detail: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.n_failed == 0


def _texts(tables: Tables, root: Path) -> dict[str, tuple[str | None, bool]]:
    out = {}
    for row in tables.sources.itertuples():
        path = (root / row.file).resolve() if SAFE_FILE.match(row.file or "") else None
        if path is None or path.parent != root.resolve() or not path.is_file():
            out[row.source_id] = (None, False)
            continue
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        out[row.source_id] = (text, hashlib.sha256(raw).hexdigest() == row.sha256)
    return out


def run_checks(tables: Tables, root: Path) -> tuple[list[Check], dict[str, str]]:
    """All checks, and the observations found inconsistent with the reason for each."""
    obs = tables.observations
    texts = _texts(tables, root)
    checks = []

    bad_quotes = [
        r.observation_id
        for r in obs[["observation_id", "source_id", "quote", "char_start", "char_end"]].itertuples()
        if (texts.get(r.source_id, (None,))[0] or "")[r.char_start : r.char_end] != r.quote
    ]
    checks.append(Check("c_quotes", len(bad_quotes), bad_quotes[:20]))

    bad_hash = [s for s, (_, ok) in texts.items() if not ok]
    checks.append(Check("c_hash", len(bad_hash), bad_hash))

    unknown = (
        ~obs["indicator_id"].isin(tables.indicator_ids)
        | ~obs["region_id"].isin(tables.region_ids)
        | ~obs["source_id"].isin(tables.source_ids)
    )
    checks.append(Check("c_keys", int(unknown.sum()), obs.loc[unknown, "observation_id"][:20].tolist()))

    inconsistent: dict[str, str] = {}
    over = over_whole(tables)
    for oid, reason in over.items():
        inconsistent.setdefault(oid, reason)
    checks.append(Check("c_wholes", len(set(over.values())), sorted(set(over.values()))[:20]))

    conflicts = conflicting(obs)
    for oid, reason in conflicts.items():
        inconsistent.setdefault(oid, reason)
    checks.append(Check("c_conflicts", len(set(conflicts.values())), sorted(set(conflicts.values()))[:20]))
    return checks, inconsistent


def over_whole(tables: Tables) -> dict[str, str]:
    """Parts of one whole (shared whole_id, or regions splitting a parent) above 100%."""
    obs = tables.observations
    ind = tables.indicators
    stated = obs[~obs["derived"] & (obs["unit"] == "%")]
    out: dict[str, str] = {}
    grouped = ind[ind["whole_id"] != ""][["indicator_id", "whole_id"]]
    parts = stated.merge(grouped, on="indicator_id")
    for (whole, region, year), g in parts.groupby(["whole_id", "region_id", "year"]):
        g = g.drop_duplicates("indicator_id")
        if g["value"].sum() > 100.05:
            reason = f"{whole} {region} {year}: {g['value'].sum():g}% > 100%"
            out.update(dict.fromkeys(g["observation_id"], reason))
    splits = ind.loc[ind["splits_region"], "indicator_id"]
    parents = tables.regions.set_index("region_id")["parent_id"]
    parts = stated[stated["indicator_id"].isin(splits)]
    parts = parts.assign(parent=parts["region_id"].map(parents).fillna(""))
    for (indicator, parent, year), g in parts.groupby(["indicator_id", "parent", "year"]):
        g = g.drop_duplicates("region_id")
        if parent and g["value"].sum() > 100.05:
            reason = f"{indicator} {parent} {year}: {g['value'].sum():g}% > 100%"
            out.update(dict.fromkeys(g["observation_id"], reason))
    return out


def conflicting(obs: pd.DataFrame) -> dict[str, str]:
    """Exact stated figures for the same indicator, region and year that disagree."""
    exact = obs[~obs["derived"] & (obs["qualifier"] == "exact")]
    keys = ["indicator_id", "region_id", "year"]
    spread = exact.groupby(keys)["value_base"].agg(["min", "max"])
    bad = spread[(spread["max"] - spread["min"]).abs() > 1e-9 * spread["max"].abs().clip(lower=1)]
    out: dict[str, str] = {}
    if bad.empty:
        return out
    hit = exact.merge(bad.reset_index()[keys], on=keys)
    for (i, r, y), g in hit.groupby(keys):
        values = ", ".join(f"{v:g}" for v in sorted(g["value"].unique()))
        out.update(dict.fromkeys(g["observation_id"], f"{i} {r} {y}: {values}"))
    return out


def flagged(obs: pd.DataFrame, inconsistent: dict[str, str]) -> pd.DataFrame:
    """Every figure a reader should handle with care, with one row per reason."""
    rows = []
    for r in obs.itertuples():
        if r.derived:
            rows.append((r.observation_id, "r_derived", r.note or ""))
        if r.qualifier != "exact":
            rows.append((r.observation_id, "r_bounded", f"{r.qualifier}: {r.number_text}"))
        if r.observation_id in inconsistent:
            rows.append((r.observation_id, "r_inconsistent", inconsistent[r.observation_id]))
        if r.flags:
            rows.append((r.observation_id, "r_flag", r.flags))
    return pd.DataFrame(rows, columns=["observation_id", "reason_key", "reason"])
