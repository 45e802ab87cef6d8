"""Score the extractor against the hand-labelled evaluation set in tests/eval/.

    python benchmarks/eval_extraction.py                  # table per split and per text
    python benchmarks/eval_extraction.py --json           # machine-readable summary
    python benchmarks/eval_extraction.py --show-misses    # list dev and holdout_v1 misses
    python benchmarks/eval_extraction.py --split holdout  # score the 2nd holdout only
    python benchmarks/eval_extraction.py --split holdout_v22  # score the 22nd (blind) holdout only
    python benchmarks/eval_extraction.py --tuning-only --show-misses  # while tuning: no blind totals
    python benchmarks/eval_extraction.py --min-recall 95 --min-joint 80   # CI gate

A label is *found* when some extracted row's [number_start, number_end) overlaps the
label's number span and row.value*row.scale equals label.value*label.scale (relative
tolerance 1e-9; for labels with direction: decrease, -value is accepted too).
Among found labels we score indicator (only where the label has an indicator_id),
region (label region mapped through datasets/reference/regions.yaml; unscored when the
catalogue is missing or does not know the name) and year. *joint* is the share of all
labels that are found with every scorable attribute right, out of the labels on which
indicator, region and year are all scorable.

*described* (labels that carry indicator_subject and measure: all splits since session 2): the figure's
indicator is right when its catalogue id is right, or when the extractor gives no
catalogue id that contradicts the label and its indicator_subject and measure match the
label's: same measure, and one subject contains the other with the shorter at least half
as long as the longer and at least two characters, after dropping quote marks, brackets,
white space and 的. This credits a figure outside the catalogue that the extractor still
names correctly; *joint described* asks that and region and year right.

False positives: rows with an indicator_id
whose number span overlaps a `not_figures` entry.

Splits (texts.yaml): dev and holdout_v1 … holdout_v21 (earlier holdouts, no longer blind) may
be used for tuning and their misses are listed with --show-misses. holdout_v22 … holdout_v25
(collected in session 6 once holdout_v20 and holdout_v21 had been scored once and stopped being
blind; each scored once on the session's final extraction code) are scored separately and their
misses are only counted, unless --include-holdout-v22-details (… -v25-details) is given;
--tuning-only leaves them out altogether.

Exit codes: 0 ok; 1 below --min-recall / --min-joint; 2 extractor not importable or
the evaluation set is malformed.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import eval_precision as precision
else:
    from benchmarks import eval_precision as precision

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = ROOT / "tests" / "eval"
TEXTS_YAML = EVAL_DIR / "texts.yaml"
LABELS_YAML = EVAL_DIR / "labels.yaml"
# Figures a blind labeller added after being shown a published row on an unlabelled number
# (same fields as labels.yaml, under `labels:`); used only to judge such rows for precision.
ADJUDICATIONS_YAML = EVAL_DIR / "adjudications.yaml"
TEXTS_DIR = EVAL_DIR / "texts"
REGIONS_YAML = ROOT / "datasets" / "reference" / "regions.yaml"
# The blind splits: collected and labelled after the code was frozen, scored once, never tuned
# on. Add a new blind split here (and only here): it is then scored apart, pooled in BLIND
# POOLED, its misses hidden unless asked, and left out by --tuning-only.
# v22…v27 were scored once, blind, on commit 698c6e0 (session 7) and read afterwards: they are
# tuning material now. v28 and v29 were collected after the extraction code froze at c587409.
BLIND = ("holdout_v30", "holdout_v31")
TUNING = (
    "dev",
    "holdout_v1",
    "holdout",
    "holdout_v3",
    "holdout_v4",
    "holdout_v5",
    "holdout_v6",
    "holdout_v7",
    "holdout_v8",
    "holdout_v9",
    "holdout_v10",
    "holdout_v11",
    "holdout_v12",
    "holdout_v13",
    "holdout_v14",
    "holdout_v15",
    "holdout_v16",
    "holdout_v17",
    "holdout_v18",
    "holdout_v19",
    "holdout_v20",
    "holdout_v21",
    "holdout_v22",
    "holdout_v23",
    "holdout_v24",
    "holdout_v25",
    "holdout_v26",
    "holdout_v27",
    "holdout_v28",
    "holdout_v29",
)
SPLITS = TUNING + BLIND
# splits whose misses are hidden unless their flag is given (split -> argparse dest)
BLIND_SPLITS = {s: f"include_{s}_details" for s in BLIND}
_SUBJECT_DROP = str.maketrans("", "", '“”‘’"《》()（）[]【】 \u3000\t\n的')
REL_TOL = 1e-9


class EvalSetError(Exception):
    """The evaluation set itself is malformed (quote not in text, ...)."""


# ----------------------------------------------------------------------------- loading


def find_nth(haystack: str, needle: str, n: int, start: int = 0) -> int:
    """Index of the n-th (1-based) occurrence of needle in haystack[start:], or -1."""
    pos = start - 1
    for _ in range(n):
        pos = haystack.find(needle, pos + 1)
        if pos < 0:
            return -1
    return pos


@dataclass
class Label:
    text_id: str
    quote: str
    number_text: str
    value: float
    scale: float
    region: str | None
    year: int | None
    indicator: str
    indicator_id: str | None
    direction: str | None
    qualifier: str | None
    quote_start: int
    number_start: int
    number_end: int
    raw: dict[str, Any] = field(repr=False, default_factory=dict)
    subject: str | None = None
    measure: str | None = None

    @property
    def magnitude(self) -> float:
        return self.value * self.scale


def span_of(text: str, entry: dict[str, Any], where: str) -> tuple[int, int, int]:
    """(quote_start, number_start, number_end) of a label or not_figure entry."""
    quote = str(entry["quote"])
    number_text = str(entry["number_text"])
    q = find_nth(text, quote, int(entry.get("occurrence", 1)))
    if q < 0:
        raise EvalSetError(
            f"{where}: quote {quote!r} (occurrence {entry.get('occurrence', 1)}) not found in text {entry['text_id']!r}"
        )
    k = find_nth(quote, number_text, int(entry.get("number_occurrence", 1)))
    if k < 0:
        raise EvalSetError(f"{where}: number_text {number_text!r} not inside quote {quote!r}")
    return q, q + k, q + k + len(number_text)


def load_eval_set() -> tuple[list[dict[str, Any]], dict[str, str], list[Label], list[dict]]:
    """texts (bibliography entries), their contents, labels and not_figures (with spans)."""
    texts = yaml.safe_load(TEXTS_YAML.read_text(encoding="utf-8")) or []
    contents: dict[str, str] = {}
    for t in texts:
        if t.get("split") not in SPLITS:
            raise EvalSetError(f"texts.yaml: {t.get('id')!r} has split {t.get('split')!r}")
        contents[t["id"]] = (TEXTS_DIR / t["file"]).read_text(encoding="utf-8")
    data = yaml.safe_load(LABELS_YAML.read_text(encoding="utf-8")) or {}
    labels = labels_from(data.get("labels") or [], contents, "labels.yaml")
    not_figures: list[dict] = []
    for i, e in enumerate(data.get("not_figures") or []):
        where = f"labels.yaml not_figure #{i + 1}"
        if e["text_id"] not in contents:
            raise EvalSetError(f"{where}: unknown text_id {e['text_id']!r}")
        _, ns, ne = span_of(contents[e["text_id"]], e, where)
        not_figures.append({**e, "number_start": ns, "number_end": ne})
    return texts, contents, labels, not_figures


def load_adjudications(contents: dict[str, str], path: Path = ADJUDICATIONS_YAML) -> list[Label]:
    """Missed figures a blind labeller added (empty when the file does not exist)."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return labels_from(data.get("labels") or [], contents, path.name)


def labels_from(entries: list[dict[str, Any]], contents: dict[str, str], file: str) -> list[Label]:
    """Label entries with their spans in their texts."""
    labels: list[Label] = []
    for i, e in enumerate(entries):
        where = f"{file} label #{i + 1}"
        if e["text_id"] not in contents:
            raise EvalSetError(f"{where}: unknown text_id {e['text_id']!r}")
        q, ns, ne = span_of(contents[e["text_id"]], e, where)
        year = e.get("year")
        labels.append(
            Label(
                text_id=e["text_id"],
                quote=str(e["quote"]),
                number_text=str(e["number_text"]),
                value=float(e["value"]),
                scale=float(e.get("scale") or 1),
                region=(str(e["region"]) if e.get("region") else None),
                year=(int(year) if year not in (None, "") else None),
                indicator=str(e.get("indicator") or ""),
                indicator_id=(str(e["indicator_id"]) if e.get("indicator_id") else None),
                direction=e.get("direction"),
                qualifier=e.get("qualifier"),
                quote_start=q,
                number_start=ns,
                number_end=ne,
                raw=e,
                subject=(str(e["indicator_subject"]) if e.get("indicator_subject") else None),
                measure=(str(e["measure"]) if e.get("measure") else None),
            )
        )
    return labels


def load_region_lookup(path: Path = REGIONS_YAML) -> dict[str, str] | None:
    """Chinese/English name or alias -> region_id; None when there is no catalogue."""
    if not path.exists():
        return None
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        print(f"warning: cannot read {path}: {exc}; region accuracy not scored", file=sys.stderr)
        return None
    if isinstance(raw, dict):  # tolerate {regions: [...]}
        raw = raw.get("regions") or next((v for v in raw.values() if isinstance(v, list)), [])
    lookup: dict[str, str] = {}
    for entry in raw or []:
        if not isinstance(entry, dict) or not entry.get("region_id"):
            continue
        rid = str(entry["region_id"])
        names = [rid, entry.get("name_zh"), entry.get("name_en"), *(entry.get("aliases") or [])]
        for name in names:
            if name:
                lookup.setdefault(str(name).strip(), rid)
    counties = path.parent / "counties.csv"  # county-level divisions, kept apart (about 2,850)
    if counties.exists():
        with counties.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                names = [
                    row.get("region_id"),
                    row.get("name_zh"),
                    row.get("name_en"),
                    *(row.get("aliases") or "").split(";"),
                ]
                for name in names:
                    if name:
                        lookup.setdefault(name.strip(), row["region_id"])
    return lookup


def region_id_for(name: str | None, lookup: dict[str, str] | None) -> str | None:
    if not name or lookup is None:
        return None
    return lookup.get(name.strip())


# ----------------------------------------------------------------------------- scoring


def _num(x: Any) -> float | None:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _str(x: Any) -> str | None:
    if x is None:
        return None
    try:
        if pd.isna(x):
            return None
    except (TypeError, ValueError):  # pd.isna of a list-like
        pass
    s = str(x).strip()
    return s or None


def _int(x: Any) -> int | None:
    f = _num(x)
    return None if f is None else round(f)


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


def publication_month(published: object) -> int | None:
    """The month of a YYYY-MM(-DD) date; None for a bare year (the extractor then cannot tell the season)."""
    match = re.fullmatch(r"\d{4}-(\d{2})(?:-\d{2})?", str(published))
    return int(match.group(1)) if match else None


def rows_of(df: Any) -> list[dict[str, Any]]:
    missing = {"value", "number_start", "number_end"} - set(getattr(df, "columns", []))
    if missing:
        raise EvalSetError(f"extract_text() result lacks columns {sorted(missing)}")
    return df.to_dict("records")


def evaluate_text(
    text_entry: dict[str, Any],
    text: str,
    labels: list[Label],
    not_figures: list[dict],
    lookup: dict[str, str] | None,
    extract,
    adjudicated: list[Label] | None = None,
) -> tuple[Tally, list[LabelResult], precision.PrecisionTally]:
    default_region = region_id_for(text_entry.get("region_focus"), lookup)
    df = extract(
        text,
        default_region=default_region,
        publication_year=text_entry.get("publication_year"),
        publication_month=publication_month(text_entry.get("published", "")),
    )
    rows = rows_of(df)
    tally = Tally(rows=len(rows))
    results = [score_label(lab, rows, lookup) for lab in labels]
    for r in results:
        tally.add_label(r)
    labelled_spans = [(lab.number_start, lab.number_end) for lab in labels]
    nf_spans = [(nf["number_start"], nf["number_end"]) for nf in not_figures]
    tally.not_figures = len(not_figures)
    for nf0, nf1 in nf_spans:
        hits = [
            r
            for r in rows
            if _int(r.get("number_start")) is not None
            and overlaps(_int(r["number_start"]), _int(r["number_end"]), nf0, nf1)
        ]
        tally.not_figure_mentions += int(bool(hits))
        tally.false_positives += int(any(_str(r.get("indicator_id")) for r in hits))
    for r in rows:
        if not _str(r.get("indicator_id")) or _int(r.get("number_start")) is None:
            continue
        tally.rows_mapped += 1
        a0, a1 = _int(r["number_start"]), _int(r["number_end"])
        if not any(overlaps(a0, a1, b0, b1) for b0, b1 in labelled_spans + nf_spans):
            tally.rows_mapped_unlabelled += 1
    return tally, results, precision.score_text(rows, labels, not_figures, adjudicated or [], lookup, SCORER)


SCORER = precision.Scorer(
    overlaps=overlaps, value_matches=value_matches, region_id_for=region_id_for, text_of=_str, int_of=_int
)


# ----------------------------------------------------------------------------- output


def fmt(p: float | None) -> str:
    return "   n/a" if p is None else f"{p:5.1f}%"


HEADER = (
    f"{'':28} {'labels':>6} {'found':>7} {'mapped':>7} {'indic.':>7} {'region':>7} "
    f"{'year':>7} {'reg+yr':>7} {'joint':>7} {'descr.':>7} {'joint*':>7} {'FP/nf':>7}"
)


def line(name: str, s: dict[str, Any]) -> str:
    return (
        f"{name:28} {s['labels']:6d} {fmt(s['recall_pct']):>7} {fmt(s['mapped_pct']):>7} "
        f"{fmt(s['indicator_acc_pct']):>7} {fmt(s['region_acc_pct']):>7} "
        f"{fmt(s['year_acc_pct']):>7} {fmt(s['region_and_year_pct']):>7} "
        f"{fmt(s['joint_pct']):>7} {fmt(s['described_acc_pct']):>7} {fmt(s['joint_described_pct']):>7} "
        f"{s['false_positives']:>3d}/{s['not_figures']:<3d}"
    )


def describe_miss(r: LabelResult) -> str:
    lab = r.label
    head = f"  [{lab.text_id}] {lab.quote!r} -> {lab.number_text!r}"
    if not r.found:
        return f"{head}: NOT FOUND (want {lab.value:g} x {lab.scale:g})"
    row = r.row or {}
    wrong = []
    if r.indicator_ok is False:
        wrong.append(f"indicator {row.get('indicator_id')!r} != {lab.indicator_id!r}")
    if r.described_ok is False:
        wrong.append(
            f"subject {row.get('indicator_subject')!r}/{row.get('measure')!r} != {lab.subject!r}/{lab.measure!r}"
        )
    if r.region_ok is False:
        wrong.append(f"region {row.get('region_id')!r} != {r.region_want!r}")
    if r.year_ok is False:
        wrong.append(f"year {row.get('year')!r} != {lab.year!r}")
    return f"{head}: " + "; ".join(wrong) if wrong else ""


def precision_summary(per_split: dict[str, precision.PrecisionTally]) -> dict[str, Any]:
    """Issue-14 metrics per split scored, pooled over tuning splits and over blind splits."""
    out: dict[str, Any] = {}
    pooled = {"TUNING pooled": precision.PrecisionTally(), "BLIND pooled": precision.PrecisionTally()}
    for s in SPLITS:
        t = per_split[s]
        if not (t.found_n or t.published):
            continue
        out[s] = t.summary()
        pooled["BLIND pooled" if s in BLIND else "TUNING pooled"].merge(t)
    for name, t in pooled.items():
        if t.found_n or t.published:
            out[name] = t.summary()
    return out


def print_precision(summary: dict[str, Any]) -> None:
    print(
        "\nIssue 14 (Wilson 95% intervals; see benchmarks/eval_precision.py):\n"
        "  precision = published actual rows (indicator_id, status actual) with indicator, region, year and\n"
        "              period right; rows on unlabelled numbers and on not_figures count wrong\n"
        "  coverage  = labels with an indicator_id mapped fully right; joint = all labels right (no id: not published)\n"
        "  status    = targets/forecasts/hypotheticals/thresholds/partial-year figures recognised, none published\n"
    )
    print(precision.HEADER)
    for name, s in summary.items():
        print(precision.line(name.upper() if "pooled" in name else name, s))
    for name in ("TUNING pooled", "BLIND pooled"):
        if name in summary:
            s = summary[name]
            print(
                f"{name}: published rows on unlabelled numbers {s['published_unlabelled']}, on not_figures "
                f"{s['published_on_not_figure']}; status cases published as an annual actual "
                f"{s['status_published_as_annual_actual']}"
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--json", action="store_true", help="print a JSON summary instead")
    ap.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    ap.add_argument(
        "--min-recall", type=float, default=None, metavar="PCT", help="exit 1 if overall recall (percent) is below this"
    )
    ap.add_argument(
        "--min-joint",
        type=float,
        default=None,
        metavar="PCT",
        help="exit 1 if overall joint indicator+region+year rate is below this",
    )
    ap.add_argument(
        "--show-misses",
        action="store_true",
        help="list labels of the tuning splits not found or with a wrong attribute",
    )
    for split in BLIND_SPLITS:
        ap.add_argument(
            f"--include-{split.replace('_', '-')}-details",
            action="store_true",
            help=f"with --show-misses, list misses of the blind {split} split too (do not tune on them)",
        )
    ap.add_argument(
        "--tuning-only",
        action="store_true",
        help="score only the splits that may be tuned on (no totals of the blind splits)",
    )
    args = ap.parse_args(argv)

    try:
        texts, contents, labels, not_figures = load_eval_set()
    except (EvalSetError, OSError, KeyError, yaml.YAMLError) as exc:
        print(f"error: evaluation set is malformed: {exc}", file=sys.stderr)
        return 2
    try:
        sys.path.insert(0, str(ROOT))
        from loaders.extract import extract_text
    except Exception as exc:  # ImportError, or an error while importing the module
        print(
            f"error: cannot import loaders.extract.extract_text ({type(exc).__name__}: {exc}).\n"
            "The extractor is not available yet; nothing was scored.",
            file=sys.stderr,
        )
        return 2
    lookup = load_region_lookup()
    try:
        adjudicated = load_adjudications(contents)
    except (EvalSetError, OSError, KeyError, yaml.YAMLError) as exc:
        print(f"error: {ADJUDICATIONS_YAML.name} is malformed: {exc}", file=sys.stderr)
        return 2
    per_split_p = {s: precision.PrecisionTally() for s in SPLITS}

    per_text: dict[str, dict[str, Any]] = {}
    per_split = {s: Tally() for s in SPLITS}
    overall = Tally()
    misses: dict[str, list[str]] = {s: [] for s in SPLITS}
    for t in texts:
        if args.split != "all" and t["split"] != args.split:
            continue
        if args.tuning_only and t["split"] in BLIND_SPLITS:
            continue
        tl = [lab for lab in labels if lab.text_id == t["id"]]
        tn = [nf for nf in not_figures if nf["text_id"] == t["id"]]
        try:
            ta = [lab for lab in adjudicated if lab.text_id == t["id"]]
            tally, results, ptally = evaluate_text(t, contents[t["id"]], tl, tn, lookup, extract_text, ta)
        except EvalSetError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except Exception as exc:
            print(f"error: extract_text() failed on {t['id']}: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 2
        per_text[t["id"]] = {"split": t["split"], **tally.summary()}
        per_split[t["split"]].merge(tally)
        per_split_p[t["split"]].merge(ptally)
        per_text[t["id"]]["issue14"] = ptally.summary()
        overall.merge(tally)
        misses[t["split"]].extend(m for m in map(describe_miss, results) if m)

    summary = {
        "region_catalogue": str(REGIONS_YAML.relative_to(ROOT)) if lookup is not None else None,
        "overall": overall.summary(),
        "splits": {s: per_split[s].summary() for s in SPLITS if per_split[s].labels},
        "texts": per_text,
        "issue14": precision_summary(per_split_p),
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(
            "Extraction evaluation (tests/eval)\n"
            "  found   = labels found with the right value and scale at the labelled number\n"
            "  mapped  = labels found and given an indicator (of all labels)\n"
            "  indic./region/year = accuracy among found labels (where scorable)\n"
            "  reg+yr  = found with region and year both right (of all labels)\n"
            "  joint   = found with indicator, region and year right, of labels where all\n"
            "            three are scorable (needs indicator_id in labels.yaml)\n"
            "  descr.  = indicator right, or (outside the catalogue) named by the right subject\n"
            "            and measure, among found labels that carry indicator_subject\n"
            "  joint*  = found with descr., region and year right (labels with indicator_subject)\n"
            "  FP/nf   = not-figure spans given an indicator / not-figures listed"
        )
        if lookup is None:
            print("(no datasets/reference/regions.yaml: region accuracy and joint not scored)")
        print()
        print(HEADER)
        for s in SPLITS:
            split_texts = [k for k, v in per_text.items() if v["split"] == s]
            if not split_texts:
                continue
            for k in split_texts:
                print(line(f"  {k}", per_text[k]))
            print(line(f"{s.upper()} total", summary["splits"][s]))
            print()
        print(line("ALL", summary["overall"]))
        o = summary["overall"]
        print(
            f"\nrows extracted: {o['rows']}, mapped to an indicator: {o['rows_mapped']}, "
            f"of which at no labelled span: {o['rows_mapped_unlabelled']}; "
            f"label regions unknown to the catalogue: {o['region_unmapped_labels']}; "
            f"labels with an indicator_id: {sum(1 for lab in labels if lab.indicator_id)}"
            f"/{len(labels)}"
        )
        words = ", ".join(
            f"{k} {fmt(v['subject_words_pct']).strip()}" for k, v in summary["splits"].items() if v["subject_words_pct"]
        )
        print(f"subject and measure agree with the label's words (found labels): {words}")
        print_precision(summary["issue14"])
        if args.show_misses:
            hidden = {s for s, dest in BLIND_SPLITS.items() if not getattr(args, dest)}
            for s in SPLITS:
                if per_split[s].labels and s not in hidden:
                    print(f"\n{s} misses ({len(misses[s])}):")
                    print("\n".join(misses[s]) if misses[s] else "  none")
                    wrong = per_split_p[s].wrong
                    print(f"{s} published rows counted wrong ({len(wrong)}):")
                    print("\n".join(f"  {w}" for w in wrong) if wrong else "  none")
            for s in BLIND_SPLITS:
                if per_split[s].labels and s in hidden:
                    flag = "--" + BLIND_SPLITS[s].replace("_", "-")
                    print(
                        f"\n{s} misses: {len(misses[s])} (details hidden: {s} is a holdout split, "
                        f"not for tuning; {flag} shows them)"
                    )

    rc = 0
    o = summary["overall"]
    if args.min_recall is not None and (o["recall_pct"] or 0.0) < args.min_recall:
        print(f"FAIL: recall {fmt(o['recall_pct']).strip()} < {args.min_recall}%", file=sys.stderr)
        rc = 1
    if args.min_joint is not None and (o["joint_pct"] or 0.0) < args.min_joint:
        print(f"FAIL: joint {fmt(o['joint_pct']).strip()} < {args.min_joint}%", file=sys.stderr)
        rc = 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
