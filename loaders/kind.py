"""What kind of figure a number is: the period it covers (period_kind, period_start/end) and
whether it states a fact (status: actual) or a target, forecast, hypothesis, threshold or
difference.

A policymaker reading "力争到2025年…达到3%" or "前三季度…增长5.2%" as the year's value is
misled; so every figure is read in its own sentence, through fixed windows (linear in the
text), by the rules in datasets/reference/kind.yaml. The words live there; this module only
knows how to apply a rule and the small set of span functions and conditions rules name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from loaders.errors import BuildError
from loaders.kind_prefilter import Needs, family_needs, may_match, pattern_needs
from loaders.kind_spans import SPAN_FUNCTIONS
from loaders.reference import read_yaml

KIND_YAML = Path(__file__).resolve().parent.parent / "datasets" / "reference" / "kind.yaml"
OPEN, CLOSE = "⟦", "⟧"
PERIOD_KINDS = ("year", "quarter", "half", "months_to_date", "multi_year_average", "cumulative", "as_of", "unknown")
STATUSES = ("actual", "target", "forecast", "hypothetical", "threshold", "difference")
# Whose figure it is: the whole place's (the default), one unit's average (平均每家), a flow of
# newcomers (新增, 新认定), or a narrower group's that the sentence is about (十强企业研发人员).
FIGURE_SCOPES = ("whole", "per_unit", "flow", "subgroup", "subset", "union")
# Windows: the sentence (cut at 。；), the clause (cut at ，： too) and the passage (cut only at
# 。！？, so the topic of clauses joined by ； is still in view).
SCOPES = ("sentence", "clause", "passage")
PLACES = ("before", "after", "any")
UNLESS_BEFORE = 6  # an `unless` word may stand this many characters before the trigger (全面完成…目标)


@dataclass(frozen=True)
class Rule:
    """One typed rule of kind.yaml: where to look, what to match, what it produces."""

    name: str
    regex: re.Pattern
    scope: str
    where: str
    produces: dict[str, str]
    unless: re.Pattern | None = None
    when: str = ""
    examples: tuple[dict, ...] = ()
    needs: Needs = ()  # characters any match needs (loaders/kind_prefilter.py): a filter, not a rule


@dataclass
class Kind:
    """What kind of figure one number is, with the rule and words that decided it."""

    period_kind: str = "unknown"
    period_start: date | None = None
    period_end: date | None = None
    status: str = "actual"
    scope: str = "whole"
    tier: str = ""  # the certification tier its own words name (省级 → provincial), "" if none
    evidence: list[str] = field(default_factory=list)  # "rule:trigger words"


@dataclass(frozen=True)
class KindRules:
    windows: dict[str, int]
    sentence_end: str
    clause_end: str
    plan_periods: dict[str, tuple[int, int]]
    numerals: dict[str, int]
    indicator_period_words: dict[str, str]
    indicator_status_words: dict[str, str]
    base_before: re.Pattern
    base_value_after: re.Pattern
    non_annual: frozenset[str]
    period_rules: tuple[Rule, ...]
    status_rules: tuple[Rule, ...]
    passage_end: str = "。！？!?"
    scope_rules: tuple[Rule, ...] = ()
    tier_words: re.Pattern | None = None
    tiers: dict[str, str] = field(default_factory=dict)
    period_rule_names: frozenset[str] = frozenset()  # to tell a period read from a status or scope
    within_part: frozenset[str] = frozenset()  # 累计 rules that count over a part of the year stated before
    dated_yields: frozenset[str] = frozenset()  # period rules a day the count runs to governs
    dated_to: str = ""  # the rule that reads that day (as_of)
    parts: frozenset[str] = frozenset()  # the period kinds that are a part of the year


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _rule(path: Path, raw: dict, produced: str, allowed: tuple[str, ...]) -> Rule:
    name = str(raw.get("name") or "")
    if not name or ("words" not in raw and "pattern" not in raw):
        raise BuildError(path, "a rule needs a name and words or a pattern", entry=name or "?")
    value = (raw.get("produces") or {}).get(produced)
    if value not in allowed:
        raise BuildError(path, f"produces.{produced} must be one of {', '.join(allowed)}", entry=name)
    if raw.get("scope", "sentence") not in SCOPES or raw.get("where", "before") not in PLACES:
        raise BuildError(path, f"scope must be one of {SCOPES} and where one of {PLACES}", entry=name)
    words = _alternation([str(w) for w in raw.get("words") or []])
    pattern = str(raw["pattern"]).replace("{words}", words) if "pattern" in raw else words
    try:
        regex = re.compile(pattern)
        unless = re.compile(_alternation(raw["unless"])) if raw.get("unless") else None
    except re.error as exc:
        raise BuildError(path, f"bad pattern: {exc}", entry=name) from None
    if raw.get("when") and raw["when"] not in CONDITIONS:
        raise BuildError(path, f"unknown condition {raw['when']!r}", entry=name)
    span = (raw.get("produces") or {}).get("span", "year")
    if produced == "period_kind" and span not in SPAN_FUNCTIONS:
        raise BuildError(path, f"unknown span {span!r}", entry=name)
    return Rule(
        name=name,
        regex=regex,
        scope=str(raw.get("scope", "sentence")),
        where=str(raw.get("where", "before")),
        produces={str(k): str(v) for k, v in raw["produces"].items()},
        unless=unless,
        when=str(raw.get("when") or ""),
        examples=tuple(raw.get("examples") or ()),
        needs=pattern_needs(regex),
    )


def load_kind_rules(path: Path = KIND_YAML) -> KindRules:
    """Read and check kind.yaml; a malformed rule is a BuildError naming it."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise BuildError(path, "expected a mapping")
    try:
        period_rules = tuple(_rule(path, r, "period_kind", PERIOD_KINDS) for r in data["period_rules"])
        return KindRules(
            windows={k: int(v) for k, v in data["windows"].items()},
            sentence_end=str(data["sentence_end"]),
            clause_end=str(data["clause_end"]),
            plan_periods={str(k): (int(v[0]), int(v[1])) for k, v in data["plan_periods"].items()},
            numerals={str(k): int(v) for k, v in data["numerals"].items()},
            indicator_period_words={str(k): str(v) for k, v in data["indicator_period_words"].items()},
            indicator_status_words={str(k): str(v) for k, v in data["indicator_status_words"].items()},
            base_before=re.compile(str(data["base_before"])),
            base_value_after=re.compile(str(data["base_value_after"])),
            non_annual=frozenset(data["non_annual"]),
            period_rules=period_rules,
            status_rules=tuple(_rule(path, r, "status", STATUSES) for r in data["status_rules"]),
            passage_end=str(data["passage_end"]),
            scope_rules=tuple(_rule(path, r, "scope", FIGURE_SCOPES) for r in data["scope_rules"]),
            tier_words=re.compile(_alternation(list(data["tier_words"]))),
            tiers={str(k): str(v) for k, v in data["tier_words"].items()},
            period_rule_names=frozenset(rule.name for rule in period_rules),
            within_part=frozenset(data.get("within_part", {}).get("rules", ())),
            dated_yields=frozenset(data.get("dated_count", {}).get("yields", ())),
            dated_to=str(data.get("dated_count", {}).get("to", "")),
            parts=frozenset(data.get("within_part", {}).get("parts", ())),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BuildError(path, f"missing or malformed section: {exc}") from None


@lru_cache(maxsize=2)
def kind_rules(path: str = str(KIND_YAML)) -> KindRules:
    """Rules compiled once per process."""
    return load_kind_rules(Path(path))


# ----------------------------------------------------------------------------- windows


def window(text: str, start: int, end: int, rules: KindRules, scope: str) -> tuple[str, int, int]:
    """before⟦figure⟧after, cut at the sentence (and clause) ends; and where ⟦ and ⟧ stand."""
    if scope == "passage":
        stops = rules.passage_end
    else:
        stops = rules.sentence_end + (rules.clause_end if scope == "clause" else "")
    lo = max(0, start - rules.windows["before"])
    before = text[lo:start]
    last_stop, first_stop = _stop_patterns(stops)
    cut = last_stop.match(before)
    before = before[cut.end() :] if cut else before
    after = text[end : end + rules.windows["after"]]
    cut = first_stop.search(after)
    after = after[: cut.start()] if cut else after
    view = f"{before}{OPEN}{text[start:end]}{CLOSE}{after}"
    return view, len(before), len(before) + end - start + 2


@lru_cache(maxsize=16)
def _stop_patterns(stops: str) -> tuple[re.Pattern, re.Pattern]:
    """Where the last stop before a figure and the first after it stand: one scan each in
    the regex engine instead of one str.find per stop character."""
    chars = "[" + "".join(re.escape(c) for c in stops) + "]"
    return re.compile(f"(?s).*{chars}"), re.compile(chars)


class _Windows(dict):
    """A figure's windows, one per scope, cut once: the thirty rules read the same two."""

    def __init__(self, text: str, start: int, end: int, rules: KindRules) -> None:
        super().__init__()
        self.args = (text, start, end, rules)
        self.char_sets: dict[str, frozenset[str]] = {}

    def __missing__(self, scope: str) -> tuple[str, int, int]:
        self[scope] = window(*self.args, scope)
        return self[scope]

    def chars(self, scope: str) -> frozenset[str]:
        """The characters of the scope's window, for the rules' filter (loaders/kind_prefilter.py)."""
        held = self.char_sets.get(scope)
        if held is None:
            held = self.char_sets[scope] = frozenset(self[scope][0])
        return held


def figure_windows(text: str, start: int, end: int, rules: KindRules) -> _Windows:
    """The windows of the figure asked for last are cut once: the period and status rules and
    the trust stage (loaders/trust.py) read the same ones."""
    last = _LAST_WINDOWS[0]
    if last is not None and last.args[1:3] == (start, end) and last.args[0] is text and last.args[3] is rules:
        return last
    _LAST_WINDOWS[0] = _Windows(text, start, end, rules)
    return _LAST_WINDOWS[0]


def forget_windows() -> None:
    """Let go of the last figure's windows (and so of its text) once a text is judged."""
    _LAST_WINDOWS[0] = None


_LAST_WINDOWS: list[_Windows | None] = [None]


def _placed(rule: Rule, view: str, open_at: int, close_at: int) -> list[re.Match]:
    """The rule's matches that stand where the rule says (before / after / any)."""
    found = []
    for m in rule.regex.finditer(view):
        # 完成预期目标: words at or after the trigger that cancel it; for words leading up to
        # the figure, only up to it (新增…102家(累计202家): the 累计 after is another figure's)
        unless_end = close_at if rule.where == "before" else len(view)
        if rule.unless is not None and _cancelled(rule.unless, view, m, unless_end):
            continue
        if rule.where == "before" and m.end() > open_at:
            continue
        if rule.where == "after" and m.start() < close_at:
            continue
        found.append(m)
    return found


def _cancelled(unless: re.Pattern, view: str, m: re.Match, end: int) -> bool:
    """An `unless` word near the trigger (from UNLESS_BEFORE characters before it up to `end`)
    cancels it, but not one inside the trigger itself (力争完成: the striving's own verb)."""
    words = unless.finditer(view, max(0, m.start() - UNLESS_BEFORE), end)
    return any(w.start() < m.start() or w.start() >= m.end() for w in words)


def _searched(rules: tuple[Rule, ...], views: _Windows) -> list[Rule]:
    """The rules of a family (in file order) whose needed characters the figure's windows
    hold: the others cannot match, and the whole family is passed over when its windows hold
    none of the characters any of its rules needs (a dense table of bare numbers)."""
    scopes = _family_scopes(rules)
    if all(need is not None and need.isdisjoint(views.chars(scope)) for scope, need in scopes.items()):
        return []
    return [rule for rule in rules if may_match(rule.needs, views.chars(rule.scope))]


def _family_scopes(rules: tuple[Rule, ...]) -> dict[str, frozenset[str] | None]:
    """Per scope, the characters one of the family's rules of that scope needs (cached per
    family: the rules are compiled once per process)."""
    held = _FAMILY_SCOPES.get(id(rules))
    if held is None or held[0] is not rules:
        scopes = {rule.scope for rule in rules}
        held = (rules, {s: family_needs([r.needs for r in rules if r.scope == s]) for s in scopes})
        _FAMILY_SCOPES[id(rules)] = held
    return held[1]


_FAMILY_SCOPES: dict[int, tuple[tuple[Rule, ...], dict[str, frozenset[str] | None]]] = {}


# ----------------------------------------------------------------------------- periods


def _period(text: str, start: int, end: int, year: int | None, rules: KindRules, kind: Kind) -> None:
    """The period rule matching nearest before the figure decides (ties: the longer match)."""
    best: tuple[int, int, Rule, re.Match] | None = None
    part: tuple[int, int, Rule, re.Match] | None = None  # the nearest part of the year stated
    dated: tuple[int, int, Rule, re.Match] | None = None  # the nearest day or month a count runs to
    views = figure_windows(text, start, end, rules)
    for rule in _searched(rules.period_rules, views):
        view, open_at, close_at = views[rule.scope]
        if rule.regex.search(view) is None:
            continue  # most windows hold none of a rule's words: no matches to walk
        for m in _placed(rule, view, open_at, close_at):
            if rules.base_before.search(view, 0, m.start()) and not rules.base_value_after.match(view, m.end()):
                continue  # 比上半年, 比上年12月份: the base of a comparison (unless its value follows)
            key = (m.end() - open_at, m.end() - m.start())
            if best is None or key > best[:2]:
                best = (*key, rule, m)
            if rule.produces["period_kind"] in rules.parts and (part is None or key > part[:2]):
                part = (*key, rule, m)
            if rule.name == rules.dated_to and m.groupdict().get("month") and (dated is None or key > dated[:2]):
                dated = (*key, rule, m)
    if best is not None and part is not None and best[2].name in rules.within_part:
        best = part  # 1-8月份，…累计数… / 前三季度，…累计完成投资65亿元: counted over that part
    if best is not None and dated is not None and best[2].name in rules.dated_yields:
        best = dated  # 截至12月8日,2021年全省…14876项: the count runs to that day (kind.yaml dated_count)
    if best is None:
        if year is not None:
            kind.period_kind, kind.period_start, kind.period_end = "year", date(year, 1, 1), date(year, 12, 31)
        return
    _, _, rule, m = best
    view = views["sentence"][0]  # a span may be stated clauses earlier
    kind.period_kind = rule.produces["period_kind"]
    kind.evidence.append(f"{rule.name}:{m.group(0)}")
    if year is not None and 1000 <= year <= 9999:
        kind.period_start, kind.period_end = SPAN_FUNCTIONS[rule.produces.get("span", "year")](m, year, rules, view)


# ----------------------------------------------------------------------------- status


@dataclass(frozen=True)
class Dates:
    """What a status condition may know: the figure's year and the text's publication year."""

    year: int | None
    publication_year: int | None


def _year_not_past(m: re.Match, dates: Dates, rules: KindRules) -> bool:
    """到2025年 in a text of 2023 is a target; 到2023年 in a text of 2023 or later is not."""
    return dates.publication_year is not None and int(m.group("y")) > dates.publication_year


def _plan_not_past(m: re.Match, dates: Dates, rules: KindRules) -> bool:
    """A plan period that has not ended when the text appeared speaks of targets."""
    span = rules.plan_periods.get(m.group("plan"))
    return bool(span and dates.publication_year is not None and span[1] >= dates.publication_year)


def _period_not_ended(m: re.Match, dates: Dates, rules: KindRules) -> bool:
    """预计 of a year that ended before the text appeared is a preliminary actual (a work
    report's 预计全年增长6%), not a forecast."""
    return dates.year is None or dates.publication_year is None or dates.year >= dates.publication_year


CONDITIONS = {"year_not_past": _year_not_past, "plan_not_past": _plan_not_past, "period_not_ended": _period_not_ended}


def _first_rule(views, rules: tuple[Rule, ...], dates: Dates, kind_rules_: KindRules) -> tuple[Rule, re.Match] | None:
    """The first rule (in file order) whose words stand where it says, its condition holding."""
    for rule in _searched(rules, views):
        view, open_at, close_at = views[rule.scope]
        if rule.regex.search(view) is None:
            continue  # most windows hold none of a rule's words: no matches to walk
        for m in _placed(rule, view, open_at, close_at):
            if rule.when and not CONDITIONS[rule.when](m, dates, kind_rules_):
                continue
            return rule, m
    return None


def _status(text: str, start: int, end: int, dates: Dates, rules: KindRules, kind: Kind) -> None:
    """The first status rule (in file order) whose words stand where it says decides."""
    hit = _first_rule(figure_windows(text, start, end, rules), rules.status_rules, dates, rules)
    if hit:
        kind.status = hit[0].produces["status"]
        kind.evidence.append(f"{hit[0].name}:{hit[1].group(0)}")


def _scope(text: str, start: int, end: int, rules: KindRules, kind: Kind) -> None:
    """The first scope rule (in file order) whose words stand where it says decides."""
    hit = _first_rule(figure_windows(text, start, end, rules), rules.scope_rules, Dates(None, None), rules)
    if hit:
        kind.scope = hit[0].produces["scope"]
        kind.evidence.append(f"{hit[0].name}:{hit[1].group(0)}")


def decided_by(kind: Kind, names: frozenset[str]) -> bool:
    """Did one of these rules leave its evidence ("rule:trigger words") on the figure?"""
    return any(e.split(":", 1)[0] in names for e in kind.evidence)


def period_stated(kind: Kind, rules: KindRules | None = None) -> bool:
    """Did a period rule (not a status, scope or tier reading) decide the figure's period?"""
    return decided_by(kind, (rules or kind_rules()).period_rule_names)


_ITEM_END = "、，,；;。！？!?：:"


def _tier(text: str, start: int, rules: KindRules, kind: Kind) -> None:
    """The tier named in the figure's own list item: the last tier word before it."""
    if rules.tier_words is None:
        return
    lo = max(0, start - rules.windows["before"])
    item = text[lo:start]
    cut = _stop_patterns(_ITEM_END)[0].match(item)
    found = list(rules.tier_words.finditer(item[cut.end() :] if cut else item))
    if found:
        kind.tier = rules.tiers[found[-1].group(0)]
        kind.evidence.append(f"tier:{found[-1].group(0)}")


def figure_kind(
    text: str,
    start: int,
    end: int,
    *,
    year: int | None = None,
    publication_year: int | None = None,
    rules: KindRules | None = None,
) -> Kind:
    """Period and status of the figure text[start:end] (the number as found, with its
    qualifier and unit), read in its own sentence; `year` is the year mapped to it."""
    rules = rules or kind_rules()
    kind = Kind()
    _period(text, start, end, year, rules, kind)
    _status(text, start, end, Dates(year, publication_year), rules, kind)
    _scope(text, start, end, rules, kind)
    _tier(text, start, rules, kind)
    return kind


def indicator_periods(indicators: list[dict[str, Any]], rules: KindRules | None = None) -> dict[str, str]:
    """Indicator id -> its period kind when it is not a calendar year's value, read from the
    catalogue's links (quarter_ids, avg_id, cumulative_id, times_id) and its Chinese name."""
    rules = rules or kind_rules()
    periods: dict[str, str] = {}
    words = sorted(rules.indicator_period_words.items(), key=lambda kv: len(kv[0]), reverse=True)
    for ind in indicators:
        name = str(ind.get("name_zh") or "")
        hit = next((kind for word, kind in words if word in name), None)
        if hit:
            periods.setdefault(ind["indicator_id"], hit)
    for ind in indicators:
        for qid in (ind.get("quarter_ids") or {}).values():
            periods[str(qid)] = "quarter"
        if ind.get("avg_id"):
            periods[str(ind["avg_id"])] = "multi_year_average"
        for link in ("cumulative_id", "times_id"):
            if ind.get(link):
                periods[str(ind[link])] = "cumulative"
    return periods


def indicator_statuses(indicators: list[dict[str, Any]], rules: KindRules | None = None) -> dict[str, str]:
    """Indicator id -> the status its figures have when it is not `actual` (a threshold used
    in counts, a gap between two places), read from words in its names."""
    rules = rules or kind_rules()
    statuses: dict[str, str] = {}
    for ind in indicators:
        names = f"{ind.get('name_zh') or ''} {ind.get('name_en') or ''}"
        hit = next((status for word, status in rules.indicator_status_words.items() if word in names), None)
        if hit:
            statuses[ind["indicator_id"]] = hit
    return statuses
