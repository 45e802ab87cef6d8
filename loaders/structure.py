"""What a text's layout states for the figures under it: its lead, its headings, its lists.

A figure's own sentence does not always say what kind of figure it is; the text around it
does, once, for many figures (datasets/reference/kind.yaml `context` and `structure`):
- the lead (新疆上半年生产总值同比增长9.9%) names the period the whole text reports on: a
  paragraph that states no period of its own is that period's, not the one the paragraph
  before happened to state (1—5月 in one paragraph does not carry into the next);
- a heading opens a section (二、2025年主要目标任务): under a heading that announces
  targets or plans, every figure is a target until a heading of the same or a higher level;
- a list announced as targets (…的主要预期目标是：) holds targets, item by item.
Lines are read once, in text order, as figures arrive (Layout.at), so a long text is never
split into a list of lines and the state stays of fixed size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from loaders.kind import KIND_YAML, SPAN_FUNCTIONS, KindRules, Rule, kind_rules
from loaders.reference import read_yaml

_INDENT = " \t\u3000"


@dataclass(frozen=True)
class StructureRules:
    """kind.yaml `structure` and the list words of `context`, compiled once."""

    heading_levels: tuple[re.Pattern, ...]
    heading_max_chars: int
    sections: tuple[tuple[str, re.Pattern, re.Pattern | None, str], ...]  # name, words, unless, status
    list_heading: re.Pattern
    list_item_start: tuple[str, ...]
    lead_chars: int
    lead_periods: frozenset[str]
    lead_open_spans: frozenset[str]


@lru_cache(maxsize=4)
def structure_rules(path: str = str(KIND_YAML)) -> StructureRules:
    data = read_yaml(Path(path))
    raw, context = data["structure"], data["context"]
    sections = tuple(
        (
            s["name"],
            re.compile(s["pattern"]),
            re.compile(s["unless"]) if s.get("unless") else None,
            s["produces"]["status"],
        )
        for s in raw["sections"]
    )
    return StructureRules(
        heading_levels=tuple(re.compile(p) for p in raw["heading_levels"]),
        heading_max_chars=int(raw["heading_max_chars"]),
        sections=sections,
        list_heading=re.compile(context["target_list_heading"]),
        list_item_start=tuple(context["list_item_start"]),
        lead_chars=int(raw["lead"]["chars"]),
        lead_periods=frozenset(context["carried_periods"]),
        lead_open_spans=frozenset(raw["lead"]["open_spans"]),
    )


@dataclass(frozen=True)
class LeadPeriod:
    """The part of the year a text's lead reports on, its dates computed for a figure's year."""

    rule: Rule
    match: re.Match
    view: str

    @property
    def period_kind(self) -> str:
        return self.rule.produces["period_kind"]

    def span(self, year: int | None, rules: KindRules) -> tuple[date | None, date | None]:
        if year is None or not 1000 <= year <= 9999:
            return None, None
        return SPAN_FUNCTIONS[self.rule.produces.get("span", "year")](self.match, year, rules, self.view)


def lead_period(text: str, rules: StructureRules, kind: KindRules | None = None) -> LeadPeriod | None:
    """The period the lead states first, when it is a part of the year (一季度，全县实现…;
    新疆上半年生产总值…); None when the lead states a whole year first or no period at all.
    A year written just before the part (2021年上半年) belongs to it."""
    kind = kind or kind_rules()
    lead = text[: rules.lead_chars]
    found = sorted(
        ((m.start(), -m.end(), rule, m) for rule in kind.period_rules for m in rule.regex.finditer(lead)),
        key=lambda f: f[:2],
    )
    found = [f for f in found if not kind.base_before.search(lead, 0, f[0])]
    partial = [f for f in found if f[2].produces["period_kind"] in rules.lead_periods]
    starts = {f[0] for f in partial}
    for _, neg_end, rule, _m in found:
        if rule.produces["period_kind"] in rules.lead_periods:
            break
        if not (rule.produces["period_kind"] == "year" and -neg_end in starts):
            return None  # a whole year, an average, a date stated first: not a part's text
    # an open part (今年以来) gives way to a bounded one the lead states too (上半年)
    bounded = [f for f in partial if f[2].produces.get("span") not in rules.lead_open_spans]
    first = (bounded or partial or [None])[0]
    return LeadPeriod(first[2], first[3], lead) if first else None


@dataclass
class LineState:
    """What the layout says of the line a figure stands on."""

    status: str = ""  # "target" inside a target section or list, else ""
    rule: str = ""  # the section or list that said so
    new_lines: int = 0  # how many lines began since the figure before


class Layout:
    """The text's lines read once, in order, as figures arrive at increasing offsets."""

    def __init__(self, original: str, rules: StructureRules | None = None) -> None:
        self.text, self.rules = original, rules or structure_rules()
        self.line_end = 0
        self.in_list = False  # the lines after a target-list heading
        self.section: tuple[int, str, str] | None = None  # (level, rule, status) of the open section
        self.line = LineState()
        if original:
            self._next_line()

    def at(self, pos: int) -> LineState:
        """The state of the line holding offset pos (offsets must not go back)."""
        crossed = 0
        while pos >= self.line_end and self.line_end < len(self.text):
            self._next_line()
            crossed += 1
        self.line.new_lines = crossed
        return self.line

    def _next_line(self) -> None:
        start = self.line_end
        cut = self.text.find("\n", start)
        end = len(self.text) if cut < 0 else cut + 1
        self.line_end = end
        line = self.text[start:end].strip("\r\n").strip(_INDENT)
        is_item = self.in_list and line.startswith(self.rules.list_item_start)
        if not is_item:
            self.in_list = self.rules.list_heading.search(line) is not None
        self._heading(line)
        if is_item:
            self.line = LineState("target", "target_list")
        elif self.section is not None:
            self.line = LineState(self.section[2], self.section[1])
        else:
            self.line = LineState()

    def _heading(self, line: str) -> None:
        """A heading closes the open section of its level or a lower one, and may open one."""
        rules = self.rules
        if not line or len(line) > rules.heading_max_chars:
            return
        level = next((i for i, p in enumerate(rules.heading_levels) if p.match(line)), None)
        if level is None:
            return
        if self.section is not None and level <= self.section[0]:
            self.section = None
        title = rules.heading_levels[level].sub("", line, count=1)
        for name, words, unless, status in rules.sections:
            if words.search(title) and not (unless and unless.search(title)):
                self.section = (level, name, status)
                return
