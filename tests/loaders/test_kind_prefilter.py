"""The kind rules' character filter (loaders/kind_prefilter.py) may only skip searches that
cannot match: checked on small patterns, and on every rule over the windows of every example
of kind.yaml and of the corpus's figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from loaders.kind import figure_windows, forget_windows, kind_rules
from loaders.kind_prefilter import family_needs, may_match, pattern_needs

SOURCES = Path(__file__).resolve().parents[2] / "datasets" / "sources"


def _needs(pattern: str) -> list[str]:
    return ["".join(sorted(s)) for s in pattern_needs(re.compile(pattern))]


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        ("(?:1|一)月", ["1一", "月"]),
        ("前(?P<q>[一二三])(?:个)?季度", ["前", "一三二", "季", "度"]),  # an optional 个 is not needed
        ("截至|目前|(?:年|月)末", ["截末目"]),  # one character from each alternative
        ("(?<!前)季(?!末)", ["季"]),  # a negative lookaround needs nothing
        ("以来(?=[，,])", ["以", "来", ",，"]),  # a positive lookahead's characters stand in the window
        ("⟦[^⟧]*家⟧", ["家"]),  # the brackets are in every window: they tell nothing
    ],
)
def test_needs_of_small_patterns(pattern, needs):
    assert _needs(pattern) == needs


@pytest.mark.parametrize(
    ("pattern", "needs"), [(r"\d+年", ["年"]), ("(?i)abc", []), ("a*|b", []), ("[^，]{2}", []), ("[一-龥]年?", [])]
)
def test_what_it_cannot_read_it_does_not_filter(pattern, needs):
    """A category (\\d), a case-insensitive pattern, an alternative that needs nothing, a
    negated or wide class: nothing needed from them, so they never keep a rule from its search."""
    assert _needs(pattern) == needs
    assert may_match(pattern_needs(re.compile(pattern)), frozenset("年"))


def test_family_needs_nothing_when_one_rule_needs_nothing():
    assert family_needs([(frozenset("年"),), ()]) is None
    assert family_needs([(frozenset("年"), frozenset("月份")), (frozenset("季"),)]) == frozenset("年季")


def _texts() -> list[str]:
    rules = kind_rules()
    examples = [
        e["text"]
        for fam in (rules.period_rules, rules.status_rules, rules.scope_rules)
        for r in fam
        for e in r.examples
    ]
    return examples + [p.read_text("utf-8") for p in sorted(SOURCES.glob("*.txt"))]


def test_no_rule_that_matches_a_window_is_filtered_out():
    """Over every window of every number in the examples and the corpus: a rule whose regex
    finds a match is never one the filter says cannot match (and the filter does skip some)."""
    rules = kind_rules()
    every = rules.period_rules + rules.status_rules + rules.scope_rules
    number = re.compile(r"[0-9０-９]+(?:\.[0-9]+)?[%万亿家个件项]?")
    matched = skipped = 0
    for text in _texts():
        for m in number.finditer(text):
            views = figure_windows(text, m.start(), m.end(), rules)
            for rule in every:
                chars = views.chars(rule.scope)
                if rule.regex.search(views[rule.scope][0]) is not None:
                    matched += 1
                    assert may_match(rule.needs, chars), (rule.name, views[rule.scope][0])
                elif not may_match(rule.needs, chars):
                    skipped += 1
    forget_windows()
    assert matched > 1000 and skipped > matched
