"""Precision before recall: which mapped figures may be published as a year's actual value.

A wrong figure on a chart costs a policymaker more than a missing one. After the mapper has
chosen indicator, region and year, this stage reads what kind of figure each number is
(loaders/kind.py) and takes the indicator back, with a reason code, when
- the figure is not an actual value (status target, forecast, hypothetical, threshold,
  difference), or
- it covers another period than the indicator (a quarter, half, months to date, multi-year
  average or cumulative figure against a calendar-year indicator), or
- its region comes only from a default in a text that states figures of several places.
A year read only from the publication date becomes year_basis "unstated".
What a text states once holds for the figures after it (kind.yaml `context`): a period
stated for one figure carries to the next ones that state none, and the items of a list
announced as targets are targets.
Figures are judged one at a time in text order (Judging), so a long text flows through: what
depends on figures further on (several places named, values in conflict) is kept in state of
fixed size (loaders/trust_state.py) and comes back as withdrawals of rows already handed on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import pandas as pd

from loaders.kind import (
    KIND_YAML,
    Kind,
    decided_by,
    figure_kind,
    figure_windows,
    forget_windows,
    indicator_periods,
    indicator_statuses,
    kind_rules,
    period_stated,
)
from loaders.reference import read_yaml
from loaders.structure import Layout, LeadPeriod, lead_period
from loaders.trust_state import Claim, Claims, PlaceCount, Withdrawal

PUBLICATION_BASES = ("publication",)
UNSTATED = "unstated"
YEAR_NOT_OVER = "year_not_over"  # evidence: a flow of the year the text is published in
KIND_COLUMNS = ["period_kind", "period_start", "period_end", "status", "confidence", "evidence"]


@dataclass
class Judgement:
    """What kind of figure one mapped number is, and how sure its mapping is."""

    kind: Kind
    confidence: float
    evidence: str

    def columns(self) -> dict[str, Any]:
        return {
            "period_kind": self.kind.period_kind,
            "period_start": pd.Timestamp(self.kind.period_start) if self.kind.period_start else pd.NaT,
            "period_end": pd.Timestamp(self.kind.period_end) if self.kind.period_end else pd.NaT,
            "status": self.kind.status,
            "confidence": self.confidence,
            "evidence": self.evidence,
        }


@lru_cache(maxsize=2)
def _settings(path: str = str(KIND_YAML)) -> dict[str, Any]:
    data = read_yaml(KIND_YAML)
    keys = ("confidence", "weak_region", "publish_min_confidence", "rank_groups", "rank_growth_words", "context")
    keys += ("scope_names", "flow_measures", "change_measures")
    settings = {k: data[k] for k in keys}
    settings["rank_name"] = re.compile(data["rank_name_words"])
    settings["withdraw_conflicts"] = bool(data.get("withdraw_conflicts"))
    settings["group_words"] = sorted(data["rank_groups"], key=len, reverse=True)
    return settings


@dataclass(frozen=True)
class Catalogue:
    """What the policy needs of the indicator catalogue, read once per catalogue object."""

    periods: dict[str, str]  # non-annual indicators -> their period kind
    statuses: dict[str, str]  # thresholds and gaps -> their status
    names: dict[str, str]  # id -> name_zh
    name_lists: dict[str, tuple[str, ...]]  # id -> (name_zh, *aliases)
    stocks: frozenset[str]  # ids of stocks (certified firms): a 累计 count to date is theirs too
    tiers: dict[str, str]  # id -> the certification tier it counts (national, provincial)
    flows: frozenset[str]  # ids measured over a period, not at a date (kind.yaml flow_measures)
    changes: frozenset[str]  # ids that are a change of something (a growth rate, a change in points)


_CATALOGUE: list[tuple[list, Catalogue]] = []


def _catalogue(indicators: list[dict[str, Any]]) -> Catalogue:
    if not _CATALOGUE or _CATALOGUE[0][0] is not indicators:
        names = {i["indicator_id"]: str(i.get("name_zh") or "") for i in indicators}
        name_lists = {
            i["indicator_id"]: (str(i.get("name_zh") or ""), *(str(a) for a in i.get("aliases_zh") or []))
            for i in indicators
        }
        stocks = frozenset(i["indicator_id"] for i in indicators if i.get("stock"))
        tiers = {i["indicator_id"]: str(i["tier"]) for i in indicators if i.get("tier")}
        periods, statuses = indicator_periods(indicators), indicator_statuses(indicators)
        settings = _settings()
        flows = _flows(indicators, settings["flow_measures"])
        changes = _changes(indicators, settings["change_measures"])
        catalogue = Catalogue(periods, statuses, names, name_lists, stocks, tiers, flows, changes)
        _CATALOGUE[:] = [(indicators, catalogue)]
    return _CATALOGUE[0][1]


def _flows(indicators: list[dict[str, Any]], rule: dict[str, Any]) -> frozenset[str]:
    """Amounts measured over a period (kind.yaml flow_measures), and the growth of each."""
    units, stock_names = set(rule["base_units"]), tuple(rule["stock_names"])
    amounts = [
        i
        for i in indicators
        if i.get("base_unit") in units and not any(w in str(i.get("name_zh") or "") for w in stock_names)
    ]
    listed = set(rule.get("ids", ()))
    named = [i for i in indicators if i["indicator_id"] in listed]
    flows = amounts + named
    return frozenset([i["indicator_id"] for i in flows] + [i["growth_id"] for i in flows if i.get("growth_id")])


def _changes(indicators: list[dict[str, Any]], rule: dict[str, Any]) -> frozenset[str]:
    """Indicators that measure a change (kind.yaml change_measures): some indicator's growth_id
    or change_of, or an id or a Chinese name that says so."""
    ids = {i.get("growth_id") for i in indicators} | {i.get("times_id") for i in indicators}
    ids |= {i["indicator_id"] for i in indicators if i.get("change_of")}
    for i in indicators:
        if any(w in i["indicator_id"] for w in rule["id_words"]) or any(w in i["name_zh"] for w in rule["name_words"]):
            ids.add(i["indicator_id"])
    return frozenset(x for x in ids if x)


def _flow_to_date(kind: Kind, indicator_id: str, catalogue: Catalogue) -> None:
    """截至2025年12月2日,全市技术合同成交额完成814.21亿元: a flow counted to a day inside the
    year covers the year up to that day (months_to_date), never the year's value."""
    end = kind.period_end
    if kind.period_kind != "as_of" or end is None or (end.month, end.day) == (12, 31):
        return
    if indicator_id in catalogue.flows:
        kind.period_kind, kind.period_start = "months_to_date", date(end.year, 1, 1)
        kind.evidence.append("flow_to_date")


def _year_not_over(kind: Kind, mp: Any, catalogue: Catalogue, publication_year: int | None) -> None:
    """2023年…技术合同成交额达到366.75亿元 in a text of 2023: a flow's year is not over while the
    text that states it is published, so the figure is a part of that year (or a plan), never
    its total. (A year read only from the publication date is shown as unstated anyway.)"""
    if publication_year is None or mp.year != publication_year or mp.year_basis == UNSTATED:
        return
    if mp.indicator_id in catalogue.flows and kind.period_kind in ("year", "unknown"):
        kind.evidence.append(YEAR_NOT_OVER)


def _indicator_weight(rule_id: str, weights: dict[str, float]) -> float:
    head = rule_id.split(":", 1)[0]
    return float(weights.get(head, weights["rule"]))


def _confidence(mp: Any, settings: dict[str, Any]) -> float:
    weights = settings["confidence"]
    score = _indicator_weight(mp.rule_id or "", weights["indicator"])
    score *= float(weights["region_basis"].get(mp.region_basis, 0.5))
    score *= float(weights["year_basis"].get(mp.year_basis, 0.5))
    return round(score, 3)


def _group(words: str, settings: dict) -> str | None:
    """The ranking group named in some words (the longest group word found)."""
    found = next((w for w in settings["group_words"] if w in words), None)
    return settings["rank_groups"][found] if found else None


def _rank_reason(mp: Any, text: str, catalogue: Catalogue, settings: dict) -> str:
    """A rank mapped to a ranking of another group, or of a level when it ranks a growth rate."""
    measure = mp.subject.measure if mp.subject else ""
    if mp.mention.kind != "rank" and measure != "rank":
        return ""
    name = catalogue.names.get(mp.indicator_id, "")
    windows = figure_windows(text, mp.mention.cstart, mp.mention.cend, kind_rules())
    clause, open_at, _ = windows["clause"]
    before = clause[:open_at]
    stated, indicator_group = _group(before, settings), _group(name, settings)
    if stated and indicator_group and stated != indicator_group:
        return "weak_rank_group"
    growth = settings["rank_growth_words"]
    if any(w in before for w in growth) and not any(w in name for w in growth):
        return "weak_rank_subject"
    sentence, s_open, _ = windows["sentence"]
    return rank_measure_reason(sentence[:s_open], catalogue.name_lists.get(mp.indicator_id, (name,)), settings)


_BRACKETS = str.maketrans("", "", '()（）“”"‘’《》')


def rank_measure_reason(before: str, names: Sequence[str], settings: dict) -> str:
    """weak_rank_measure when the words before a rank do not name what the indicator ranks.
    Brackets and quotation marks are ignored: 研究与试验发展(R&D)经费投入强度 says R&D经费投入强度."""
    before = before.translate(_BRACKETS)
    for name in names:
        name = name.translate(_BRACKETS)
        measure = _rank_measure(name, settings["rank_name"])
        if len(measure) < 2:
            continue
        at = before.find(measure)
        while at >= 0:
            if "人均" in measure or before[max(0, at - 2) : at] != "人均":
                return ""
            at = before.find(measure, at + 1)
    return "weak_rank_measure"


def _rank_measure(name: str, words: re.Pattern) -> str:
    """地区生产总值全国排名 → 地区生产总值: cut ranking and generic words until none is left."""
    while True:
        cut = words.sub("", name)
        if cut == name or len(cut) < 3:
            return name
        name = cut


def _withdraw_reason(mp: Any, kind: Kind, catalogue: Catalogue, several_places: bool, settings: dict) -> str:
    """The reason code for taking a figure's indicator back, or "" to keep it."""
    if kind.status != "actual" and catalogue.statuses.get(mp.indicator_id) != kind.status:
        return f"status_{kind.status}"
    if YEAR_NOT_OVER in kind.evidence:
        return "period_year_not_over"
    ind_period = catalogue.periods.get(mp.indicator_id, "year")
    counted_to_date = kind.period_kind == "cumulative" and mp.indicator_id in catalogue.stocks
    if kind.period_kind in kind_rules().non_annual and ind_period != kind.period_kind and not counted_to_date:
        return f"period_{kind.period_kind}"
    if _measure(mp) == "growth" and mp.indicator_id not in catalogue.changes:
        return "measure_growth"  # 教育支出12.67亿元，比上年增长0.12% is no share of GDP
    if kind.scope != "whole" and not _name_carries_scope(mp.indicator_id, kind.scope, catalogue, settings):
        return f"scope_{kind.scope}"
    tier = catalogue.tiers.get(mp.indicator_id)
    if tier and kind.tier and kind.tier not in (tier, f"{tier}_and_above"):
        return "scope_tier"
    # A threshold (营业收入超1亿元的企业) conditions a count; it covers no period of its own.
    timeless = catalogue.statuses.get(mp.indicator_id) == "threshold"
    if kind.period_kind == "unknown" and period_stated(kind) and ind_period == "year" and not timeless:
        return "period_not_a_year"
    if several_places and mp.region_basis in settings["weak_region"]["bases"]:
        return f"weak_region_{mp.region_basis}"
    # A figure with no year or no region is never published anyway (extract shows it as read);
    # one whose year is unstated is published with year_basis "unstated", never as that year's
    # value (the dashboard shows 年份未注明), and keeps its low confidence for whoever filters on it.
    publishable = mp.year is not None and bool(mp.region_id) and mp.year_basis != UNSTATED
    if publishable and _confidence(mp, settings) < float(settings["publish_min_confidence"]):
        return "low_confidence"
    return ""


def _measure(mp: Any) -> str:
    subject = getattr(mp, "subject", None)
    return str(getattr(subject, "measure", "") or "")


def _name_carries_scope(indicator_id: str, scope: str, catalogue: Catalogue, settings: dict) -> bool:
    """Does the indicator's own name narrow it the same way (户均研发强度, 企业研发经费)?"""
    words = settings["scope_names"].get(scope, ())
    return any(word in name for name in catalogue.name_lists.get(indicator_id, ()) for word in words)


def _period_of_indicator(kind: Kind, indicator_period: str) -> None:
    """The mapper chose the catalogue's quarter (average, ...) indicator from words the period
    rules do not pair with the figure (一季度、上半年…分别增长): the period is the indicator's."""
    if indicator_period != "year" and kind.period_kind in ("year", "unknown"):
        kind.period_kind, kind.period_start, kind.period_end = indicator_period, None, None
        kind.evidence.append(f"period_of_indicator:{indicator_period}")


def judge(
    compact: Any, mapped: Sequence[Any], *, publication_year: int | None, indicators: list[dict[str, Any]]
) -> list[Judgement]:
    """Kind, confidence and evidence for every mapped number (in order); takes back, in
    place, the indicators that must not be published (reason code in Mapped.reason) and marks
    years read only from the publication date as unstated."""
    judging = Judging(compact, publication_year=publication_year, indicators=indicators)
    out = [judging.judge(mp) for mp in mapped]
    for w in judging.finish():
        mp, j = mapped[w.row], out[w.row]
        mp.indicator_id, mp.reason, j.confidence, j.evidence = "", w.reason, 0.0, w.evidence(j.evidence)
    return out


class Judging:
    """judge() one figure at a time, in text order, with state of fixed size (the place count,
    the period carried, the claims per indicator, region, year and period): a long text
    flows through without its figures held. A decision that depends on figures not yet seen
    (several places named; values that conflict) comes back from late() and finish() as
    Withdrawals of rows already handed on, numbered in the order they were judged."""

    def __init__(self, compact: Any, *, publication_year: int | None, indicators: list[dict[str, Any]]) -> None:
        self.settings = settings = _settings()
        self.catalogue = _catalogue(indicators)
        self.text, self.publication_year = compact.text, publication_year
        weak = settings["weak_region"]
        self.places = PlaceCount(weak["bases"], int(weak["several_places"]))
        self.claims = Claims((*_LOWER, *_UPPER, *_ABOUT), _consistent) if settings["withdraw_conflicts"] else None
        self.layout = Layout(compact.original)  # lines exist only in the original
        self.carried = _PeriodCarry(settings["context"], lead_period(compact.original, self.layout.rules))
        self.rows = 0
        self.pending: list[Withdrawal] = []

    def judge(self, mp: Any) -> Judgement:
        """The judgement of the next figure, as far as the text up to it allows."""
        row, self.rows = self.rows, self.rows + 1
        self.pending += self.places.see(mp)
        m = mp.mention
        if mp.year_basis in PUBLICATION_BASES:
            mp.year_basis = UNSTATED
        stated_year = None if mp.year_basis == UNSTATED else mp.year
        kind = figure_kind(self.text, m.cstart, m.cend, year=stated_year, publication_year=self.publication_year)
        line = self.layout.at(m.start)
        if line.new_lines:
            self.carried.new_paragraph()
        self.carried.apply(kind, mp.year)
        if line.status and kind.status == "actual":
            kind.status = line.status
            kind.evidence.append(f"status:{line.rule}")
        evidence = [f"indicator:{mp.rule_id}"] if mp.indicator_id else []
        _period_of_indicator(kind, self.catalogue.periods.get(mp.indicator_id, "year"))
        _flow_to_date(kind, mp.indicator_id, self.catalogue)
        _year_not_over(kind, mp, self.catalogue, self.publication_year)
        held = self._withdraw(row, mp, kind, evidence) if mp.indicator_id else None
        evidence += [f"region:{mp.region_basis}", f"year:{mp.year_basis}", *kind.evidence]
        confidence = _confidence(mp, self.settings) if mp.indicator_id else 0.0
        claim = self._claim(mp, kind)
        if held is not None:
            self.places.hold(held, claim)
        elif claim is not None and self.claims is not None:
            self.claims.add(row, claim)
        return Judgement(kind=kind, confidence=confidence, evidence="; ".join(evidence))

    def _withdraw(self, row: int, mp: Any, kind: Kind, evidence: list[str]) -> Withdrawal | None:
        """Take the indicator back if it must not be published, as far as the places named so
        far tell; the Withdrawal to apply should the text name several later (else None)."""
        settings, catalogue = self.settings, self.catalogue
        reason = _withdraw_reason(mp, kind, catalogue, self.places.several, settings)
        if_several = reason if self.places.several else _withdraw_reason(mp, kind, catalogue, True, settings)
        depends = if_several != reason  # decided by the places the rest of the text names
        reason = reason or _rank_reason(mp, self.text, catalogue, settings)
        held = None
        if depends:
            insert_at = len(evidence[0]) if not reason else -1
            held = Withdrawal(row, mp.indicator_id, if_several, insert_at)
        if reason:
            evidence.append(f"withdrawn:{mp.indicator_id}")
            mp.indicator_id, mp.reason = "", reason
        return held

    @staticmethod
    def _claim(mp: Any, kind: Kind) -> Claim | None:
        value = mp.mention.value_base
        if not mp.indicator_id or value is None:
            return None
        return (mp.indicator_id, mp.region_id, mp.year, kind.period_kind), value, mp.mention.qualifier

    def late(self) -> list[Withdrawal]:
        """Withdrawals decided since the last call (several places are now named)."""
        out, self.pending = self.pending, []
        return out

    def finish(self) -> list[Withdrawal]:
        """At the end of the text: what is still to withdraw, conflicting values included."""
        out = self.late()
        forget_windows()
        for row, claim in self.places.settle():
            if self.claims is not None:
                self.claims.add(row, claim)
        if self.claims is not None:
            out.extend(self.claims.withdrawals())
        return out


class _PeriodCarry:
    """A period a text states for one figure (一季度，全市实现…) holds for the later figures that
    state no period or year of their own (第一产业增加值4.16亿元), until one does. When the lead
    names the part of the year the text reports on (loaders/structure.py), each paragraph
    starts again from it."""

    def __init__(self, context: dict, lead: LeadPeriod | None) -> None:
        self.periods = frozenset(context["carried_periods"])
        self.lead = lead
        self.last: Kind | LeadPeriod | None = lead

    def new_paragraph(self) -> None:
        if self.lead is not None:
            self.last = self.lead

    def apply(self, kind: Kind, year: int | None) -> None:
        stated = period_stated(kind)
        # a stated year or a new part of the year ends the carried period; an average, a
        # cumulative total or a stock at a date (两年平均增长7.0%, 3月末贷款余额) does not
        if stated and kind.period_kind in (*self.periods, "year"):
            self.last = kind if kind.period_kind in self.periods else None
        elif stated and not (self.last is not None and _counted_within_part(kind)):
            return
        elif self.last is not None and kind.period_kind in ("unknown", "year", "as_of"):
            last = self.last
            kind.period_kind = last.period_kind
            if isinstance(last, LeadPeriod):
                kind.period_start, kind.period_end = last.span(year, kind_rules())
                kind.evidence.append(f"period_of_lead:{last.match.group(0)}")
            else:
                kind.period_start, kind.period_end = last.period_start, last.period_end
                kind.evidence.append(f"period_carried:{last.period_kind}")


def _counted_within_part(kind: Kind) -> bool:
    """A count of members (有28个, 共有; kind.yaml within_part) counts over the part of the year
    the text reports on: 上半年 (the lead) … 全市36个大类行业有28个实现增长 is the half's. (A
    累计 total stated in another sentence stays cumulative.)"""
    return kind.period_kind == "as_of" and decided_by(kind, kind_rules().within_part)


_LOWER = ("more_than", "at_least")
_UPPER = ("less_than", "at_most")
_ABOUT = ("approx", "nearly")


def _fits(exact: float, bound: float, qualifier: str) -> bool:
    """Is an exact value compatible with a bounded or approximate claim?"""
    if qualifier in _LOWER:
        return exact >= bound
    if qualifier in _UPPER:
        return exact <= bound
    if qualifier in _ABOUT:
        return abs(exact - bound) <= 0.1 * abs(bound)
    return math.isclose(exact, bound, rel_tol=1e-9)


def _consistent(claims: list[tuple[float, str]]) -> bool:
    exact = [v for v, q in claims if q not in (*_LOWER, *_UPPER, *_ABOUT)]
    if any(not math.isclose(a, exact[0], rel_tol=1e-9) for a in exact):
        return False
    return all(_fits(e, v, q) for e in exact[:1] for v, q in claims)


def restate_period(observation: dict[str, Any]) -> dict[str, Any]:
    """A derived figure (the previous year's value) covers its own year, not its base's."""
    if observation.get("period_kind") == "year":
        year = int(observation["year"])
        observation["period_start"], observation["period_end"] = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    return observation
