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
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

if __package__ in (None, ""):  # run as a script: the repository root makes `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import eval_precision as precision
from benchmarks.eval_scoring import LabelResult, Tally, overlaps, score_label, value_matches
from benchmarks.eval_set import (
    ADJUDICATIONS_YAML,
    BLIND,
    REGIONS_YAML,
    ROOT,
    SPLITS,
    EvalSetError,
    Label,
    _int,
    _str,
    load_adjudications,
    load_eval_set,
    load_region_lookup,
    region_id_for,
)

# splits whose misses are hidden unless their flag is given (split -> argparse dest)
BLIND_SPLITS = {s: f"include_{s}_details" for s in BLIND}


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
        "  coverage  = actual labels with an indicator_id mapped fully right (all id labels: coverage_all_ids);\n"
        "              joint = all labels right (no id: not published)\n"
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
                f"{s['status_published_as_annual_actual']}; coverage over all id labels "
                f"{precision.fmt_metric(s['coverage_all_ids']).strip()}"
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
