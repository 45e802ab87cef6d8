"""One-off relabelling for issue 14 (tests/eval/CONVENTIONS.md, "Period and status"): a label
of a tuning split whose figure covers part of a year, several years on average, or a
cumulative total gets `period_kind`; when it carried an indicator_id of a calendar-year
indicator, that id is set to null and the old one kept in `relabel`.

The period is read from the label's own sentence, up to its number, by the small regex list
below, written apart from loaders/kind.py on purpose (so the labels do not simply copy the
extractor); every change is printed for review. Blind splits (BLIND in
benchmarks/eval_extraction.py) are never read or touched.

    .venv/bin/python scripts/relabel_periods.py          # print the changes
    .venv/bin/python scripts/relabel_periods.py --write  # and rewrite tests/eval/labels.yaml
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.eval_set import BLIND, LABELS_YAML, load_eval_set  # noqa: E402
from loaders.kind import indicator_periods  # noqa: E402
from loaders.reference import read_yaml  # noqa: E402

SENTENCE_END = re.compile(r"[。！？；!?;\n]\s*\n?|\n\s*\n")
PERIODS = [
    (re.compile(r"[1一]\s*月?份?\s*[-—–－~～至到]\s*(?:1[01]|[2-9]|十一?|[二三四五六七八九])\s*月"), "months_to_date"),
    (re.compile(r"前\s*(?:[一二三两]|[1-3])\s*(?:个)?季度"), "months_to_date"),
    (re.compile(r"前\s*(?:1[01]|[2-9]|十一?|[二三四五六七八九两])\s*个月"), "months_to_date"),
    (re.compile(r"(?:今|本)年以来|年初以来"), "months_to_date"),
    (re.compile(r"(?<![比较于前])(?:第)?[一二三四1-4]\s*季度(?!末)"), "quarter"),
    (re.compile(r"(?<![比较于])[上下]半年"), "half"),
]
CLAUSE_PERIODS = [
    (re.compile(r"年均(?!汇率)|年平均增"), "multi_year_average"),
    (re.compile(r"累计(?=[^，,。；]*?(?:亿|万元|元|%|倍))"), "cumulative"),
]
# A count of categories or ranks does not depend on the period of the sentence it is in.
KEEP_MEASURES = ("rank",)
FULL_YEAR = re.compile(r"(?<![比较于与同])(?:(?:19|20)\d\d\s*年(?!\s*\d|\s*[一二三四上下前第])|全年)")


def period_of(text: str, number_start: int) -> str | None:
    """The partial, average or cumulative period the sentence states before the number."""
    head = text[max(0, number_start - 160) : number_start]
    cut = list(SENTENCE_END.finditer(head))
    sentence = head[cut[-1].end() :] if cut else head
    clause = re.split(r"[，,：:]", sentence)[-1]
    best: tuple[int, str] | None = None
    for regex, kind in PERIODS:
        for m in regex.finditer(sentence):
            if best is None or m.end() > best[0]:
                best = (m.end(), kind)
    for regex, kind in CLAUSE_PERIODS:
        if regex.search(clause):
            best = (len(sentence), kind)
    if best is None:
        return None
    later_year = [m for m in FULL_YEAR.finditer(sentence) if m.start() >= best[0]]
    return None if later_year and best[1] != "multi_year_average" else best[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    texts, contents, labels, _ = load_eval_set()
    split_of = {t["id"]: t["split"] for t in texts}
    periods = indicator_periods(read_yaml(ROOT / "datasets" / "reference" / "indicators.yaml"))
    lines = LABELS_YAML.read_text(encoding="utf-8").split("\n")
    label_lines = [i for i, line in enumerate(lines) if line.startswith("- {text_id:")][: len(labels)]
    changed = 0
    for label, at in zip(labels, label_lines, strict=True):
        if split_of[label.text_id] in BLIND or "period_kind" in label.raw or label.measure in KEEP_MEASURES:
            continue
        kind = period_of(contents[label.text_id], label.number_start)
        if kind is None:
            continue
        old = label.indicator_id
        extra = f", period_kind: {kind}"
        if old and periods.get(old, "year") != kind:
            lines[at] = re.sub(
                rf'indicator_id: "?{re.escape(old)}"?(?=[,}}])', "indicator_id: null", lines[at], count=1
            )
            extra += f', relabel: "issue 14: a {kind} figure; annual id {old} removed"'
        lines[at] = lines[at][:-1] + extra + "}"
        changed += 1
        print(f"{split_of[label.text_id]:12} {label.text_id:34} {kind:19} {old or '-':40} {label.quote}")
    print(f"{changed} labels given a period_kind", file=sys.stderr)
    if args.write:
        LABELS_YAML.write_text("\n".join(lines), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
