"""How one label is scored against the extracted rows (found, indicator, region, year, described)
and how labels add up per text and split. Split out of benchmarks/eval_extraction.py."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from benchmarks.eval_set import Label, _int, _num, _str, region_id_for

_SUBJECT_DROP = str.maketrans("", "", '“”‘’"《》()（）[]【】 \u3000\t\n的')
REL_TOL = 1e-9


def value_matches(row: dict[str, Any], label: Label) -> bool:
    v, s = _num(row.get("value")), _num(row.get("scale"))
    if v is None:
        return False
    got = v * (1.0 if s is None else s)
    want = label.magnitude
    if math.isclose(got, want, rel_tol=REL_TOL, abs_tol=0.0):
        return True
    return label.direction == "decrease" and math.isclose(got, -want, rel_tol=REL_TOL)


def subject_matches(got: str | None, want: str | None) -> bool:
    """One subject contains the other, and the shorter says at least half as much."""
    a = (got or "").translate(_SUBJECT_DROP)
    b = (want or "").translate(_SUBJECT_DROP)
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 2 and short in long_ and 2 * len(short) >= len(long_)


def overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


@dataclass
class LabelResult:
    label: Label
    found: bool = False
    row: dict[str, Any] | None = None
    indicator_ok: bool | None = None  # None: not scorable
    region_ok: bool | None = None
    year_ok: bool | None = None
    region_want: str | None = None
    described_ok: bool | None = None  # None: the label has no subject
    words_ok: bool | None = None  # subject and measure agree with the label's, whatever the id

    @property
    def described_joint_scorable(self) -> bool:
        return self.label.subject is not None and self.region_want is not None and self.label.year is not None

    @property
    def described_joint_ok(self) -> bool:
        return self.found and bool(self.described_ok) and bool(self.region_ok) and bool(self.year_ok)

    @property
    def joint_scorable(self) -> bool:
        return self.label.indicator_id is not None and self.region_want is not None and self.label.year is not None

    @property
    def joint_ok(self) -> bool:
        return self.found and bool(self.indicator_ok) and bool(self.region_ok) and bool(self.year_ok)


def score_label(label: Label, rows: list[dict[str, Any]], lookup: dict[str, str] | None) -> LabelResult:
    res = LabelResult(label=label, region_want=region_id_for(label.region, lookup))
    candidates = [
        r
        for r in rows
        if _int(r.get("number_start")) is not None
        and _int(r.get("number_end")) is not None
        and overlaps(_int(r["number_start"]), _int(r["number_end"]), label.number_start, label.number_end)
        and value_matches(r, label)
    ]
    if not candidates:
        return res
    res.found = True

    def checks(r: dict[str, Any]) -> tuple[bool | None, bool | None, bool | None]:
        ind = None if label.indicator_id is None else _str(r.get("indicator_id")) == label.indicator_id
        reg = None if res.region_want is None else _str(r.get("region_id")) == res.region_want
        yr = None if label.year is None else _int(r.get("year")) == label.year
        return ind, reg, yr

    def described(r: dict[str, Any]) -> bool | None:
        if label.subject is None:
            return None
        got_id = _str(r.get("indicator_id"))
        if label.indicator_id is not None and got_id == label.indicator_id:
            return True
        if got_id and got_id != label.indicator_id:
            return False  # a catalogue indicator that the label does not have
        return _str(r.get("measure")) == label.measure and subject_matches(
            _str(r.get("indicator_subject")), label.subject
        )

    # the extractor may emit several rows for one number: judge it by its best one
    best = max(candidates, key=lambda r: (sum(bool(c) for c in checks(r)), bool(described(r))))
    res.row = best
    res.indicator_ok, res.region_ok, res.year_ok = checks(best)
    res.described_ok = described(best)
    if label.subject is not None:
        res.words_ok = _str(best.get("measure")) == label.measure and subject_matches(
            _str(best.get("indicator_subject")), label.subject
        )
    return res


@dataclass
class Tally:
    labels: int = 0
    found: int = 0
    ind_n: int = 0
    ind_ok: int = 0
    reg_n: int = 0
    reg_ok: int = 0
    year_n: int = 0
    year_ok: int = 0
    joint_n: int = 0
    joint_ok: int = 0
    desc_n: int = 0
    desc_ok: int = 0
    desc_joint_n: int = 0
    desc_joint_ok: int = 0
    words_n: int = 0
    words_ok: int = 0
    mapped: int = 0
    region_year_ok: int = 0
    region_unmapped: int = 0
    not_figures: int = 0
    false_positives: int = 0
    not_figure_mentions: int = 0
    rows: int = 0
    rows_mapped: int = 0
    rows_mapped_unlabelled: int = 0

    def add_label(self, r: LabelResult) -> None:
        self.labels += 1
        if r.label.region and r.region_want is None:
            self.region_unmapped += 1
        if r.joint_scorable:
            self.joint_n += 1
            self.joint_ok += int(r.joint_ok)
        if r.described_joint_scorable:
            self.desc_joint_n += 1
            self.desc_joint_ok += int(r.described_joint_ok)
        if not r.found:
            return
        self.found += 1
        self.mapped += int(bool(_str((r.row or {}).get("indicator_id"))))
        self.region_year_ok += int(bool(r.region_ok) and bool(r.year_ok))
        for ok, n_attr, ok_attr in (
            (r.indicator_ok, "ind_n", "ind_ok"),
            (r.described_ok, "desc_n", "desc_ok"),
            (r.words_ok, "words_n", "words_ok"),
            (r.region_ok, "reg_n", "reg_ok"),
            (r.year_ok, "year_n", "year_ok"),
        ):
            if ok is not None:
                setattr(self, n_attr, getattr(self, n_attr) + 1)
                setattr(self, ok_attr, getattr(self, ok_attr) + int(ok))

    def merge(self, other: Tally) -> None:
        for k in self.__dataclass_fields__:
            setattr(self, k, getattr(self, k) + getattr(other, k))

    @staticmethod
    def pct(num: int, den: int) -> float | None:
        return None if den == 0 else 100.0 * num / den

    def summary(self) -> dict[str, Any]:
        return {
            "labels": self.labels,
            "found": self.found,
            "recall_pct": self.pct(self.found, self.labels),
            "indicator_acc_pct": self.pct(self.ind_ok, self.ind_n),
            "indicator_scored": self.ind_n,
            "region_acc_pct": self.pct(self.reg_ok, self.reg_n),
            "region_scored": self.reg_n,
            "region_unmapped_labels": self.region_unmapped,
            "year_acc_pct": self.pct(self.year_ok, self.year_n),
            "year_scored": self.year_n,
            "joint_pct": self.pct(self.joint_ok, self.joint_n),
            "joint_scored": self.joint_n,
            "described_acc_pct": self.pct(self.desc_ok, self.desc_n),
            "described_scored": self.desc_n,
            "joint_described_pct": self.pct(self.desc_joint_ok, self.desc_joint_n),
            "joint_described_scored": self.desc_joint_n,
            "subject_words_pct": self.pct(self.words_ok, self.words_n),
            "mapped_pct": self.pct(self.mapped, self.labels),
            "region_and_year_pct": self.pct(self.region_year_ok, self.labels),
            "not_figures": self.not_figures,
            "false_positives": self.false_positives,
            "not_figure_mentions": self.not_figure_mentions,
            "rows": self.rows,
            "rows_mapped": self.rows_mapped,
            "rows_mapped_unlabelled": self.rows_mapped_unlabelled,
        }
