"""Consistency checks the dashboard can make itself, on top of the build's schema checks.

Everything here is vectorised or loops once per source or per offending group, never
once per observation in Python, and the results are kept per data version by the page:
at a million observations the checks take a second or two once, and a rerun only
selects rows from boolean masks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard import notes, parts
from dashboard.data import SAFE_FILE, Tables
from dashboard.i18n import has, t


@dataclass
class Check:
    key: str  # label key under quality.*
    n_failed: int
    detail: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.n_failed == 0


@dataclass
class Groups:
    """Offending groups of observations, as row positions grouped CSR-style: group g is
    rows[starts[g]:starts[g + 1]]. Reasons are written only for the groups shown."""

    rows: np.ndarray
    starts: np.ndarray
    describe: Callable[[np.ndarray], str]  # one group's rows -> its reason

    def __len__(self) -> int:
        return len(self.starts) - 1

    def reason(self, g: int) -> str:
        return self.describe(self.rows[self.starts[g] : self.starts[g + 1]])

    def first_reasons(self, k: int = 20) -> list[str]:
        """The first reasons in key order (ids and years sort the same way as the text)."""
        return sorted(self.reason(g) for g in range(min(k, len(self))))


def _no_groups() -> Groups:
    return Groups(np.zeros(0, dtype="int32"), np.zeros(1, dtype="int64"), lambda rows: "")


@dataclass
class Inconsistent:
    """Observations found inconsistent, by row position of tables.observations.

    `group[i]` is row i's group across all `families` (-1: consistent); four bytes a row
    instead of a dict entry and a reason string per row.
    """

    group: np.ndarray
    families: list[Groups]

    @property
    def mask(self) -> np.ndarray:
        return self.group >= 0

    def reason(self, positions: np.ndarray) -> list[str]:
        offsets = np.cumsum([0, *(len(f) for f in self.families)])
        groups = self.group[positions]
        family = np.searchsorted(offsets, groups, side="right") - 1
        return [
            self.families[f].reason(g - int(offsets[f])) if g >= 0 else ""
            for g, f in zip(groups.tolist(), family.tolist(), strict=True)
        ]

    def by_id(self, observations: pd.DataFrame) -> dict[str, str]:
        """{observation_id: reason} (for small tables and tests)."""
        hit = np.flatnonzero(self.mask)
        ids = observations["observation_id"].take(hit).tolist()
        return dict(zip(ids, self.reason(hit), strict=True))


def _source_file(root: Path, file: str) -> Path | None:
    path = (root / file).resolve() if SAFE_FILE.match(file or "") else None
    if path is None or path.parent != root.resolve() or not path.is_file():
        return None
    return path


def run_checks(tables: Tables, root: Path) -> tuple[list[Check], Inconsistent]:
    """All checks, and the observations found inconsistent with the reason for each."""
    obs = tables.observations
    checks = []

    # Quotes against the text and texts against their hash, one source at a time so
    # only one text is in memory.
    bad_quotes: list[str] = []
    bad_hash: list[str] = []
    n_bad_quotes = 0
    starts = obs["char_start"].to_numpy()
    ends = obs["char_end"].to_numpy()
    sources = tables.sources[["source_id", "file", "sha256"]].to_dict("records")
    known = set()
    for src in sources:
        sid = src["source_id"]
        known.add(sid)
        path = _source_file(root, src["file"])
        text = None
        if path is None:
            bad_hash.append(sid)
        else:
            raw = path.read_bytes()
            if hashlib.sha256(raw).hexdigest() != src["sha256"]:
                bad_hash.append(sid)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = None
        pos = tables.by_source.get(sid)
        if pos is None or not len(pos):
            continue
        quotes = obs["quote"].take(pos).tolist()
        text = text or ""
        spans = zip(pos.tolist(), starts[pos].tolist(), ends[pos].tolist(), quotes, strict=True)
        wrong = [i for i, a, b, q in spans if text[a:b] != q]
        n_bad_quotes += len(wrong)
        if len(bad_quotes) < 20 and wrong:
            bad_quotes += obs["observation_id"].take(wrong[: 20 - len(bad_quotes)]).tolist()
    # Observations citing a source the sources table lacks have no text to match.
    orphan = [p for s, p in tables.by_source.items() if s not in known]
    if orphan:
        orphan_pos = np.sort(np.concatenate(orphan))
        n_bad_quotes += len(orphan_pos)
        if len(bad_quotes) < 20:
            bad_quotes += obs["observation_id"].take(orphan_pos[: 20 - len(bad_quotes)]).tolist()
    checks.append(Check("c_quotes", n_bad_quotes, bad_quotes[:20]))
    checks.append(Check("c_hash", len(bad_hash), bad_hash))

    unknown = (
        ~obs["indicator_id"].isin(list(tables.indicator_ids))
        | ~obs["region_id"].isin(list(tables.region_ids))
        | ~obs["source_id"].isin(list(tables.source_ids))
    ).to_numpy()
    checks.append(
        Check("c_keys", int(unknown.sum()), obs["observation_id"].take(np.flatnonzero(unknown)[:20]).tolist())
    )

    over = parts.over_whole(tables)
    checks.append(Check("c_wholes", sum(len(g) for g in over), sorted(r for g in over for r in g.first_reasons())[:20]))
    conflicts = conflicting(obs)
    checks.append(Check("c_conflicts", len(conflicts), conflicts.first_reasons()))
    # A figure over its whole is reported as that; a conflict only where it is not.
    families = [*over, conflicts]
    group = np.full(len(obs), -1, dtype="int32")
    offset = 0
    for fam in families:
        if len(fam):
            gid = np.repeat(np.arange(len(fam), dtype="int32"), np.diff(fam.starts)) + offset
            free = group[fam.rows] < 0
            group[fam.rows[free]] = gid[free]
        offset += len(fam)
    return checks, Inconsistent(group, families)


def _texts(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(category texts, row codes) of a categorical column: text of row i without the
    cost of a pandas scalar lookup."""
    return np.asarray([*map(str, column.cat.categories), ""], dtype=object), column.cat.codes.to_numpy()


def _group(frame: pd.DataFrame, keys: list[str], describe) -> Groups:
    """Rows of `frame` (its index = row positions) grouped by `keys`, in key order."""
    if frame.empty:
        return _no_groups()
    ordered = frame.sort_values(keys, kind="stable")
    gid = ordered.groupby(keys, sort=False, observed=True).ngroup().to_numpy()
    starts = np.flatnonzero(np.r_[True, gid[1:] != gid[:-1], True]).astype("int64")
    return Groups(ordered.index.to_numpy().astype("int32"), starts, describe)


def conflicting(obs: pd.DataFrame) -> Groups:
    """Exact stated figures for the same indicator, region and year that disagree.

    On integer keys with numpy (sort once, min and max per run), so a million figures
    need a few arrays of a million numbers, not a pandas groupby's copies.
    """
    sel = np.flatnonzero((~obs["derived"].to_numpy()) & (obs["qualifier"] == "exact").to_numpy())
    if not len(sel):
        return _no_groups()
    indicator, region = obs["indicator_id"], obs["region_id"]
    year = obs["year"].to_numpy()
    n_reg = len(region.cat.categories) + 1
    y0 = int(year.min())
    n_year = int(year.max()) - y0 + 1
    key = (indicator.cat.codes.to_numpy()[sel].astype("int64") * n_reg + region.cat.codes.to_numpy()[sel]) * n_year
    key += year[sel] - y0
    order = np.argsort(key, kind="stable")
    rows = sel[order]
    key = key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    del key, order
    base = obs["value_base"].to_numpy()[rows]
    lo, hi = np.minimum.reduceat(base, starts), np.maximum.reduceat(base, starts)
    bad = np.abs(hi - lo) > 1e-9 * np.clip(np.abs(hi), 1, None)
    lengths = np.diff(np.r_[starts, len(rows)])
    rows = rows[np.repeat(bad, lengths)].astype("int32")
    starts = np.r_[0, np.cumsum(lengths[bad])].astype("int64")
    value = obs["value"].to_numpy()
    ind_text, ind_code = _texts(indicator)
    reg_text, reg_code = _texts(region)

    def reason(group_rows: np.ndarray) -> str:
        first = int(group_rows[0])
        shown = ", ".join(f"{v:g}" for v in sorted(set(value[group_rows].tolist())))
        return f"{ind_text[ind_code[first]]} {reg_text[reg_code[first]]} {year[first]}: {shown}"

    return Groups(rows, starts, reason)


def flag_mask(obs: pd.DataFrame, inconsistent: Inconsistent) -> np.ndarray:
    """Every figure a reader should handle with care (derived, bounded, inconsistent, flagged)."""
    return (
        obs["derived"].to_numpy()
        | (obs["qualifier"] != "exact").to_numpy()
        | inconsistent.mask
        | (obs["flags"] != "").to_numpy()
    )


def reasons(
    rows: pd.DataFrame, positions: np.ndarray, inconsistent: Inconsistent, lang: str | None = None
) -> list[list[tuple[str, str]]]:
    """For each row (at `positions` in the observations): its (reason key, detail) pairs;
    with `lang`, a qualifier is named in that language ("超过: 超九成")."""
    why = inconsistent.reason(positions)
    out = []
    for derived, note, qualifier, number_text, flags, bad in zip(
        rows["derived"].tolist(),
        rows["note"].tolist(),
        rows["qualifier"].tolist(),
        rows["number_text"].tolist(),
        rows["flags"].tolist(),
        why,
        strict=True,
    ):
        found = []
        if derived:
            found.append(("r_derived", notes.localise(note, lang) if lang else str(note or "")))
        if qualifier != "exact":
            shown = t(f"qualifier.{qualifier}", lang) if lang and has(f"qualifier.{qualifier}") else qualifier
            found.append(("r_bounded", f"{shown}: {number_text}"))
        if bad:
            found.append(("r_inconsistent", bad))
        if flags:
            found.append(("r_flag", notes.localise(flags, lang) if lang else str(flags)))
        out.append(found)
    return out


def flagged(obs: pd.DataFrame, inconsistent: Inconsistent) -> pd.DataFrame:
    """Every flagged figure, one row per figure with all its reasons (small tables, tests)."""
    hit = np.flatnonzero(flag_mask(obs, inconsistent))
    rows = obs.take(hit)
    found = reasons(rows, hit, inconsistent)
    return pd.DataFrame(
        {
            "observation_id": rows["observation_id"].tolist(),
            "reasons": found,
        }
    )
