"""Precision, coverage, joint, found and status accuracy of the extractor (issue 14), with
Wilson 95 % intervals. Used by benchmarks/eval_extraction.py; kept apart so each stays small.

- precision: of the rows that would be published as an actual fact (an indicator_id and
  status actual), the share whose indicator, region, year and period are all right. A row on
  a number no label covers counts WRONG, unless tests/eval/adjudications.yaml (a blind
  labeller shown the row) adds the missed figure: then it is scored against that label. A
  row on a labelled not_figure is wrong; so is a row on a label with no indicator_id, or on a
  label whose status is not actual. A row's year is right only if it equals the label's,
  whatever its year_basis (an `unstated` year is not excused).
- coverage: of labelled figures with an indicator_id and status actual, the share some
  published row maps fully right (indicator, region, year, period). A target, forecast,
  hypothetical or threshold is never published as a year's value, so it cannot be covered;
  status measures those (tests/eval/CONVENTIONS.md, settled in session 10).
  `coverage_all_ids` keeps the older denominator (every label with an id) for comparison.
- joint: over all labels: a label with an indicator_id is right when covered; a label without
  one is right when it is found and no row publishes it as an actual fact.
- found: labels found at the labelled number with the right value.
- status: labels whose status is target/forecast/hypothetical/threshold or whose period is
  partial-year (quarter, half, months_to_date), and old not_figures whose `why` calls them
  targets, aspirations or forecasts: recognised when a row at the number carries that status
  (or period) and no row publishes it as an actual fact; `as_annual` counts the ones
  published as an annual actual.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

ACTUAL = "actual"
ANNUAL_PERIODS = ("year", "as_of")
PARTIAL_PERIODS = ("quarter", "half", "months_to_date")
NOT_ACTUAL = ("target", "forecast", "hypothetical", "threshold")
_OLD_STATUS = re.compile(r"\b(target|aspiration|forecast)\b|力争|预期目标|预计")
# names, and a target *year* (a date), are not status cases
_OLD_NAMES = re.compile(r"^(?:year|name|part of the name)|\btarget year\b|\byear of\b")


def wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float] | None:
    """Wilson score 95 % interval of k successes in n, in percent; None when n is 0."""
    if n == 0:
        return None
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)


def old_not_figure_status(why: str) -> str | None:
    """The status an old not_figure stands for: target or forecast when its `why` says so."""
    text = str(why or "").strip().strip('"').lower()
    if not text or _OLD_NAMES.search(text):
        return None
    found = _OLD_STATUS.search(text)
    if not found:
        return None
    return "forecast" if found.group(0) in ("forecast", "预计") else "target"


def label_status(label: Any) -> str:
    return str(label.raw.get("status") or ACTUAL)


def label_period(label: Any) -> str:
    return str(label.raw.get("period_kind") or "year")


def _row_status(row: dict[str, Any]) -> str:
    return str(row.get("status") or ACTUAL)


def _row_period(row: dict[str, Any]) -> str:
    value = row.get("period_kind")
    return str(value) if isinstance(value, str) and value else "year"


def published(row: dict[str, Any], text_of) -> bool:
    """Would this row be published as an actual fact?"""
    return bool(text_of(row.get("indicator_id"))) and _row_status(row) == ACTUAL


def period_ok(row: dict[str, Any], label: Any) -> bool:
    """The row covers the label's period. A label that states no period_kind but carries a
    catalogue id of a period (gdp_growth_q1_pct, *_avg_pct) has that id's period: agreeing on
    the id is agreeing on the period."""
    got, want = _row_period(row), label_period(label)
    if "period_kind" not in label.raw and label.indicator_id and row.get("indicator_id") == label.indicator_id:
        return True
    if want in ANNUAL_PERIODS:
        return got in (*ANNUAL_PERIODS, "unknown")
    return got == want


@dataclass
class PrecisionTally:
    published: int = 0
    published_ok: int = 0
    unlabelled: int = 0
    on_not_figure: int = 0
    coverage_n: int = 0
    coverage_ok: int = 0
    coverage_all_n: int = 0
    coverage_all_ok: int = 0
    joint_n: int = 0
    joint_ok: int = 0
    found_n: int = 0
    found_ok: int = 0
    status_n: int = 0
    status_ok: int = 0
    as_annual: int = 0
    wrong: list[str] = field(default_factory=list)

    def merge(self, other: PrecisionTally) -> None:
        for k in self.__dataclass_fields__:
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def summary(self) -> dict[str, Any]:
        def metric(k: int, n: int) -> dict[str, Any]:
            return {"k": k, "n": n, "pct": (100.0 * k / n if n else None), "wilson95": wilson(k, n)}

        return {
            "precision": metric(self.published_ok, self.published),
            "coverage": metric(self.coverage_ok, self.coverage_n),
            "coverage_all_ids": metric(self.coverage_all_ok, self.coverage_all_n),
            "joint_all": metric(self.joint_ok, self.joint_n),
            "found": metric(self.found_ok, self.found_n),
            "status": metric(self.status_ok, self.status_n),
            "published_unlabelled": self.unlabelled,
            "published_on_not_figure": self.on_not_figure,
            "status_published_as_annual_actual": self.as_annual,
        }


@dataclass
class Scorer:
    """What the precision scorer needs from eval_extraction (passed in, not imported, so the
    two modules do not import each other)."""

    overlaps: Any
    value_matches: Any
    region_id_for: Any
    text_of: Any  # _str: a cell as a stripped string or None
    int_of: Any  # _int


def _at(rows: list[dict[str, Any]], start: int, end: int, sc: Scorer) -> list[dict[str, Any]]:
    return [
        r
        for r in rows
        if sc.int_of(r.get("number_start")) is not None
        and sc.overlaps(sc.int_of(r["number_start"]), sc.int_of(r["number_end"]), start, end)
    ]


def row_right(row: dict[str, Any], label: Any, lookup: Any, sc: Scorer) -> bool:
    """Indicator, region, year and period of a published row all agree with the label."""
    if label.indicator_id is None or label_status(label) != ACTUAL:
        return False
    region = sc.region_id_for(label.region, lookup)
    return (
        sc.value_matches(row, label)
        and sc.text_of(row.get("indicator_id")) == label.indicator_id
        and region is not None
        and sc.text_of(row.get("region_id")) == region
        and label.year is not None
        and sc.int_of(row.get("year")) == label.year
        and period_ok(row, label)
    )


def _match(row: dict[str, Any], labels: list[Any], sc: Scorer) -> Any:
    a0, a1 = sc.int_of(row["number_start"]), sc.int_of(row["number_end"])
    hits = [lab for lab in labels if sc.overlaps(a0, a1, lab.number_start, lab.number_end)]
    return next((lab for lab in hits if sc.value_matches(row, lab)), hits[0] if hits else None)


def _score_rows(rows, labels, not_figures, adjudicated, lookup, sc: Scorer, tally: PrecisionTally) -> None:
    for row in rows:
        if not published(row, sc.text_of) or sc.int_of(row.get("number_start")) is None:
            continue
        tally.published += 1
        label = _match(row, labels, sc)
        a0, a1 = sc.int_of(row["number_start"]), sc.int_of(row["number_end"])
        if label is None and any(sc.overlaps(a0, a1, nf["number_start"], nf["number_end"]) for nf in not_figures):
            tally.on_not_figure += 1
            tally.wrong.append(f"on a not_figure: {row.get('number_text')!r} -> {row.get('indicator_id')}")
            continue
        label = label or _match(row, adjudicated, sc)
        if label is None:
            tally.unlabelled += 1
            tally.wrong.append(f"unlabelled: {row.get('number_text')!r} -> {row.get('indicator_id')}")
        elif row_right(row, label, lookup, sc):
            tally.published_ok += 1
        else:
            tally.wrong.append(
                f"wrong: {label.quote!r} {row.get('number_text')!r} -> {row.get('indicator_id')}/"
                f"{row.get('region_id')}/{row.get('year')}/{_row_period(row)} != {label.indicator_id}/"
                f"{label.region}/{label.year}/{label_period(label)}/{label_status(label)}"
            )


def _status_case(rows: list[dict[str, Any]], want_status: set[str], want_period: str | None, sc: Scorer) -> tuple:
    """(recognised, published as an annual actual) for one status or partial-period case."""
    as_annual = any(published(r, sc.text_of) and _row_period(r) in ANNUAL_PERIODS for r in rows)
    if want_period is not None:  # a partial-year figure may be published with its period's own id
        return not as_annual and any(_row_period(r) == want_period for r in rows), as_annual
    if any(published(r, sc.text_of) for r in rows):
        return False, as_annual
    return any(_row_status(r) in want_status for r in rows), as_annual


def _score_labels(rows, labels, not_figures, lookup, sc: Scorer, tally: PrecisionTally) -> None:
    for label in labels:
        at = [r for r in _at(rows, label.number_start, label.number_end, sc) if sc.value_matches(r, label)]
        tally.found_n += 1
        tally.found_ok += int(bool(at))
        covered = any(published(r, sc.text_of) and row_right(r, label, lookup, sc) for r in at)
        if label.indicator_id is not None:
            tally.coverage_all_n += 1
            tally.coverage_all_ok += int(covered)
        if label.indicator_id is not None and label_status(label) == ACTUAL:
            tally.coverage_n += 1
            tally.coverage_ok += int(covered)
        tally.joint_n += 1
        if label.indicator_id is not None:
            tally.joint_ok += int(covered)
        else:
            tally.joint_ok += int(bool(at) and not any(published(r, sc.text_of) for r in at))
        status, period = label_status(label), label_period(label)
        if status in NOT_ACTUAL or period in PARTIAL_PERIODS:
            want_period = period if status == ACTUAL else None
            ok, annual = _status_case(at, {status}, want_period, sc)
            tally.status_n += 1
            tally.status_ok += int(ok)
            tally.as_annual += int(annual)
    for nf in not_figures:
        status = nf.get("status") or old_not_figure_status(nf.get("why", ""))
        if status not in NOT_ACTUAL:
            continue
        at = _at(rows, nf["number_start"], nf["number_end"], sc)
        wanted = {"target", "forecast"} if not nf.get("status") else {status}
        ok, annual = _status_case(at, wanted, None, sc)
        tally.status_n += 1
        tally.status_ok += int(ok)
        tally.as_annual += int(annual)


def score_text(rows, labels, not_figures, adjudicated, lookup, sc: Scorer) -> PrecisionTally:
    """All issue-14 metrics for one text's extracted rows against its labels."""
    tally = PrecisionTally()
    _score_rows(rows, labels, not_figures, adjudicated, lookup, sc, tally)
    _score_labels(rows, labels, not_figures, lookup, sc, tally)
    return tally


def fmt_metric(m: dict[str, Any]) -> str:
    if not m["n"]:
        return f"{'n/a':>22}"
    lo, hi = m["wilson95"]
    return f"{m['pct']:5.1f}% [{lo:4.1f}–{hi:5.1f}] {m['k']:>4}/{m['n']:<4}"


HEADER = (
    f"{'':28} {'precision (published actual)':>29} {'coverage (actual id labels)':>29} "
    f"{'joint (all labels)':>29} {'found':>29} {'status (target/fc/ytd)':>29}"
)


def line(name: str, s: dict[str, Any]) -> str:
    cells = [fmt_metric(s[k]) for k in ("precision", "coverage", "joint_all", "found", "status")]
    return f"{name:28} " + " ".join(f"{c:>29}" for c in cells)
