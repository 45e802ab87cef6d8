"""kind.yaml `structure`: what a text's lead and headings state for the figures under them.
Every example runs through the whole extractor; each section rule needs one."""

from __future__ import annotations

import pytest

from loaders.extract import extract_text
from loaders.kind import KIND_YAML
from loaders.reference import read_yaml
from loaders.structure import Layout, lead_period, structure_rules

STRUCTURE = read_yaml(KIND_YAML)["structure"]
EXAMPLES = [("lead", ex) for ex in STRUCTURE["lead"]["examples"]]
EXAMPLES += [(s["name"], ex) for s in STRUCTURE["sections"] for ex in s.get("examples", [])]
OPTIONS = {"default_region": "anhui", "publication_year": 2025, "publication_month": 7}


def test_every_section_rule_has_an_example():
    bare = [s["name"] for s in STRUCTURE["sections"] if not s.get("examples")]
    assert not bare and STRUCTURE["lead"]["examples"], f"rules without an example: {bare}"


@pytest.mark.parametrize(("rule", "example"), EXAMPLES, ids=[f"{r}:{e['figure']}" for r, e in EXAMPLES])
def test_example(rule, example):
    frame = extract_text(example["text"], **OPTIONS)
    rows = [r for r in frame.to_dict("records") if r["number_text"] == example["figure"]]
    assert len(rows) == 1, f"{rule}: {example['figure']!r} in {list(frame['number_text'])}"
    for field in ("period_kind", "status"):
        if field in example:
            assert rows[0][field] == example[field], (rule, field, rows[0]["evidence"])


def test_a_year_written_before_the_part_belongs_to_it():
    rules = structure_rules()
    assert lead_period("2021年上半年，全区实现生产总值7328.90亿元", rules).period_kind == "half"
    assert lead_period("全年GDP增长5.2%，比前三季度加快0.1个百分点", rules) is None  # 全年 first; 比…: a base
    assert lead_period("", rules) is None


def test_layout_reads_each_line_once_and_counts_the_lines_crossed():
    text = "二、2025年主要目标任务\n增长5%;\n\n（一）扩大内需\n增长6%;\n三、2024年主要成绩\n增长9%。"
    layout = Layout(text)
    first = layout.at(text.index("5%"))
    assert (first.status, first.new_lines) == ("target", 1)
    assert layout.at(text.index("6%")).status == "target"  # a sub-heading stays inside the section
    last = layout.at(text.index("9%"))
    assert last.status == "" and last.new_lines == 2  # the heading line and its own
