"""From numbers to observations: which indicator, region and year each figure states.

The decisions are driven by rules.yaml and the region aliases; this module only knows
the shape of a Chinese sentence: sentences end at 。！？；, clauses at ，：, a figure's
own words stand between it and its neighbours, and lists pair with 分别.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import cn2an

from loaders.errors import BuildError
from loaders.extractor.names import NameScanner
from loaders.extractor.records import MAPPABLE_KINDS, Mapped, Reason
from loaders.extractor.text import (
    _CLAUSE_END,
    QUOTE_MAX_CHARS,
    RECENT_FIGURES,
    Context,
    SpanIndex,
    _Cache,
    _inside,
    _title_spans,
)
from loaders.numbers import CompactText, Deadline, Lexicon, Mention, find_mentions
from loaders.reference import Reference, Rule
from loaders.subject import Subject, SubjectReader

_RANK_FIELD_NEXT = ("首", "第", "前", "唯一")
_YEAR_LIST_SEP = {"、", "和", "及", "与", "以及", ","}
# a year that is part of a day (2024年4月1日): a date, not the year a text is on
_DAY = re.compile(r"\d{4}年?[0-9一二三四五六七八九十]{1,2}月")
# counters of places and ranks: a figure so counted (5个市) is not what a place's bracket measures
_PLACE_COUNTS = frozenset({"count", "rank", "rank_from_bottom"})
# Items named before 分别 are joined by these; a clause mark before them ends the list.
_ITEM_SEP = re.compile(r"、|以及|和|与|及")
_ITEM_LIST_END = "，,。；;：:！？!?\n("
_CLAUSE_MARK = re.compile(r"[，,。；;：:！？!?\n]")


# 1-2月份, 1—8月: a span of months from January; group 1 is its last month
_MONTH_SPAN = re.compile(r"(?:0?1|一)月?[—–\-~～至到]((?:1[0-2]|0?[2-9])|十[一二]|[二三四五六七八九十])月")
_CN_MONTHS = {w: i for i, w in enumerate("一二三四五六七八九十", 1)} | {"十一": 11, "十二": 12}


def _cn_month(word: str) -> int:
    return int(word) if word.isdigit() else _CN_MONTHS.get(word, 0)


_YEAR_RANGE = re.compile(r"((?:1[89]|20)\d\d)\s*(?:年)?\s*[—–\-~～至到]+\s*((?:1[89]|20)\d\d)年")
_RELATIVE_YEARS = re.compile(r"前([0-9一二三四五六七八九十]+)年")
_LIST_SEP = "、和及与"
# 与上年相比, 与上年基本持平, 与去年同期持平: the year is a base, not the year of a figure
_COMPARED_AFTER = re.compile(r"(?:同期)?(?:相比|比较|(?:基本)?(?:持平|相当|相同))")


def _keyword_at(text: str, rule: Rule, pos: int) -> str:
    """The keyword of the rule that stands at pos ("" if none does)."""
    return next((kw for kw in rule.keywords if text.startswith(kw, pos)), "")


def _find_all(text: str, word: str) -> list[int]:
    out, i = [], text.find(word)
    while i != -1:
        out.append(i)
        i = text.find(word, i + 1)
    return out


def _part_of(text: str, pos: int, words: tuple[str, ...]) -> bool:
    """The keyword at pos starts inside one of the longer words (出口额 in 进出口额)."""
    return any(text.startswith(w, pos - k) for w in words for k in range(1, min(len(w), pos + 1)))


def _range_item_year(
    text: str, range_pos: int, figure_pos: int, list_pos: tuple[int, int], respective: tuple[str, ...]
) -> int | None:
    """2022年至2025年…分别为39家、55家、84家、98家: one figure per year of the range, in order,
    when the list has exactly as many figures as the range has years."""
    r = _YEAR_RANGE.match(text, range_pos)
    if r is None or not any(w in text[r.end() : figure_pos] for w in respective):
        return None
    first, last = int(r.group(1)), int(r.group(2))
    position, length = list_pos
    return first + position if length == last - first + 1 and length > 1 else None


def _year_list_item(
    text: str, sentence_start: int, figure_pos: int, list_pos: tuple[int, int], year_mentions, respective
) -> int | None:
    """2020年、2021年、2022年，…分别为1533.66亿元、2343.44亿元、3053.5亿元: one figure per listed
    year, in order, when the list has exactly as many figures as years."""
    position, length = list_pos
    if length < 2:
        return None
    lo = bisect_left(year_mentions, (sentence_start, -1))
    groups: list[list[tuple[int, int, int]]] = []
    for y in year_mentions[lo:]:
        if y[0] >= figure_pos:
            break
        if groups and text[groups[-1][-1][1] : y[0]].lstrip("年") in _YEAR_LIST_SEP:
            groups[-1].append(y)
        else:
            groups.append([y])
    if (
        not groups
        or len(groups[-1]) != length
        or not any(w in text[groups[-1][-1][1] : figure_pos] for w in respective)
    ):
        return None
    return groups[-1][position][2]


_BRACKETED = re.compile(r"[(（][^()（）]{0,20}[)）]")


def _in_brackets(text: str, pos: int, start: int) -> bool:
    """pos lies inside a bracket opened after start and not closed before pos."""
    left = text[start:pos]
    return max(left.rfind("("), left.rfind("（")) > max(left.rfind(")"), left.rfind("）"))


# Between the terms of a list of figures (4.2%、5.0%和6.7%; 2.8:41.1:56.1). Nothing at all
# between two figures (52.2%47.8%, as copies of PDFs lose the 、) also joins them.
_TERM_SEP = frozenset(_LIST_SEP + ":：")


@dataclass
class _Document:
    """What the figures of one text share while they are mapped one by one."""

    mentions: list[Mention]
    positions: list[int]
    list_pos: list[tuple[int, int]]  # (position, length) of each figure in its list
    years: list[tuple[int, int, int]]  # (start, end, year) of stated and relative years
    default_region: str | None = None
    publication_year: int | None = None
    list_subjects: _Cache = field(default_factory=_Cache)  # the subject of a pair of figures, by its first
    list_cache: _Cache = field(default_factory=_Cache)  # clause -> the regions listed in it


def _words_re(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class Mapper:
    """Turns the mentions of one text into mapped figures."""

    def __init__(self, ref: Reference, lex: Lexicon) -> None:
        self.ref = ref
        self.lex = lex
        rules = ref.rules
        self.rules: list[Rule] = ref.indicator_rules
        # Rules by the base unit they accept: a number only ever meets the rules for its unit.
        self.indicator_unit = {i["indicator_id"]: i["base_unit"] for i in ref.indicators}
        self.rules_by_unit: dict[str, list[Rule]] = {}
        for rule in self.rules:
            for unit in rule.base_units:
                self.rules_by_unit.setdefault(unit, []).append(rule)
        alias_to_region: dict[str, str] = {}
        for region in ref.regions:
            for alias in region["aliases"]:
                alias_to_region.setdefault(alias, region["region_id"])
        self.alias_to_region = alias_to_region
        # County names several divisions share (和平区: 天津, 沈阳) are no alias; a text resolves
        # one when exactly one of them lies in the text's own region (see _resolve_shared).
        parent = {r["region_id"]: r["parent_id"] for r in ref.regions}
        shared: dict[str, list[str]] = {}
        for region in ref.regions:
            if region["level"] == "county" and region["name_zh"] not in alias_to_region:
                shared.setdefault(region["name_zh"], []).append(region["region_id"])
        self.shared_names = {name: ids for name, ids in shared.items() if len(ids) > 1}
        self.region_parent = parent
        self.shared_scanner = NameScanner(self.shared_names, {}) if self.shared_names else None
        self._shared_by_region: dict[str, dict[str, str]] = {}  # _resolve_shared, once per region
        # 吉林市场 is the market of 吉林, not 吉林市: a name ending in 市 is not read into 市场.
        self.alias_re = NameScanner(alias_to_region, {"市": "场"})
        self.level = {r["region_id"]: r["level"] for r in ref.regions}
        rel = rules.get("relative_regions", {})
        self.relative_words = {w: level for level, words in rel.items() for w in words}
        # relative words that name the province even in a city's or county's text
        self.relative_lift = frozenset(rules.get("relative_region_lift", []))
        # one word for two subjects (城乡居民) -> the subject of each figure after 分别
        self.pair_words = {str(k): [str(x) for x in v] for k, v in (rules.get("pair_words") or {}).items()}
        self.relative_re = (
            re.compile("|".join(re.escape(w) for w in sorted(self.relative_words, key=len, reverse=True)))
            if rel
            else None
        )
        self.since_words = tuple(rules.get("since_words", ["自", "从"]))
        self.since_ends = tuple(rules.get("since_ends", ["以来", "起"]))
        self.from_words = tuple(rules.get("from_words", ["从", "由"]))
        self.to_words = tuple(sorted(rules.get("to_words", ["到", "至"]), key=len, reverse=True))
        self.now_words = tuple(rules.get("now_words", ["目前", "当前"]))
        self.increase_words = tuple(rules.get("increase_words", []))
        self.decrease_words = tuple(rules.get("decrease_words", []))
        # Also the catalogue's links between indicators (growth_id, change_of, times_id …).
        self.subjects = SubjectReader(ref, self.alias_re, self.to_words)
        self._init_generalised(rules)

    def _init_generalised(self, rules: dict) -> None:
        """Tables for the sentence patterns of statistical prose, all read from rules.yaml."""
        raw = {str(r["id"]): r for r in rules["indicator_rules"]}
        self.rule_period = {rid: str(r.get("period", "")) for rid, r in raw.items()}
        self.rule_context = {rid for rid, r in raw.items() if r.get("context")}
        self.context_sentences = int(rules.get("context_sentences", 2))
        self.year_context_sentences = int(rules.get("year_context_sentences", 2))
        heading = rules.get("section_heading_pattern")
        self.heading_re = re.compile(heading, re.MULTILINE) if heading else None
        self.headline_max = int(rules.get("headline_max_chars", 0))
        self.since_ends_alone = tuple(rules.get("since_ends_alone", []))
        self.field_words = tuple(rules.get("region_field_words", []))
        self.field_after = tuple(rules.get("region_field_after", []))
        market = rules.get("region_field_market")
        self.field_market_re = re.compile(market) if market else None
        # 2家全国重点实验室: a broad word right after a count's counter names a class of the things counted
        counters = "".join(
            sorted({str(c) for c in rules.get("subject", {}).get("right_counters", []) if len(str(c)) == 1})
        )
        self.counted_before_re = re.compile(rf"[0-9一二两三四五六七八九十百千万][{counters}]$") if counters else None
        self.average_growth_words = tuple(rules.get("average_growth_words", []))
        cumulative = rules.get("cumulative_base_pattern")
        self.cumulative_base_re = re.compile(cumulative) if cumulative else None
        batch = rules.get("batch_pattern")
        self.batch_re = re.compile(batch) if batch else None
        self.list_gap_max = int(rules.get("region_list_gap_max", 0))
        # 自2019年工信部启动…以来: the span's end word may come later in the clause.
        ends = "|".join(re.escape(w) for w in rules.get("since_ends_later", ["以来"]))
        self.since_later_re = re.compile(rf"[^，,。；;！？]{{0,40}}?(?:{ends})")
        self.review_cues = tuple(rules.get("review_year_cues", []))
        self.last_full_year_months = frozenset(int(x) for x in rules.get("last_full_year_months", []))
        target_heading = rules.get("target_heading_pattern")
        self.target_heading_re = re.compile(target_heading, re.MULTILINE) if target_heading else None
        next_heading = rules.get("next_heading_pattern")
        self.next_heading_re = re.compile(next_heading, re.MULTILINE) if next_heading else None
        self.own_subject_min = int((rules.get("subject") or {}).get("own_subject_min_chars", 4))
        self.subject_context_sentences = int((rules.get("subject") or {}).get("context_sentences", 3))
        self.rule_own_region = {rid for rid, r in raw.items() if r.get("region") == "source"}
        self.region_not_subject_before = tuple(rules.get("region_not_subject_before", []))
        self.region_not_subject_after = tuple(rules.get("region_not_subject_after", []))
        self.region_subject_after = tuple(rules.get("region_subject_after", []))
        self.relative_not_subject_before = tuple(rules.get("relative_region_not_subject_before", []))
        self.rank_scope_gap = re.compile(rules.get("rank_scope_gap", r"(?!x)x"))
        self.comparison_words = tuple(rules.get("comparison_words", []))
        rel_years = {str(k): int(v) for k, v in (rules.get("relative_years") or {}).items()}
        self.relative_years = rel_years
        self.relative_year_re = re.compile(_words_re(rel_years)) if rel_years else None
        self.respective_words = tuple(str(w) for w in rules.get("respective_words", ["分别", "依次"]))
        self.list_shared_tails = sorted((str(w) for w in rules.get("list_shared_tails", [])), key=len, reverse=True)
        # growth rates the catalogue defines against the same period of last year (比上年（同期）):
        # a quarter's or a year-to-date figure is theirs too
        self.same_period_ids = frozenset(
            i["indicator_id"] for i in self.ref.indicators if "同期" in str(i.get("definition_zh") or "")
        )
        self.quarter_ids = {
            i["indicator_id"]: {str(q): str(t) for q, t in i["quarter_ids"].items()}
            for i in self.ref.indicators
            if i.get("quarter_ids")
        }
        self.last_year_words = tuple(w for w, back in rel_years.items() if back == -1)  # 上年, 去年
        self.full_year_words = tuple(str(w) for w in rules.get("full_year_words", []))
        # 本年, 上年: a statistical report's words, counted from the year it reports on
        self.report_relative = frozenset(str(w) for w in rules.get("report_relative_years", []))
        self.aspiration_words = tuple(rules.get("aspiration_words", []))
        dateline = rules.get("dateline_pattern")
        self.dateline_re = re.compile(dateline) if dateline else None
        periods = rules.get("periods") or {}
        # The first-character guard lets the scan skip most positions at once.
        guard = f"(?=[{re.escape(rules.get('period_start_chars', ''))}])" if rules.get("period_start_chars") else ""
        self.period_re = (
            re.compile(
                guard + "(?:" + "|".join(f"(?P<{name}>{'|'.join(words)})" for name, words in periods.items()) + ")"
            )
            if periods
            else None
        )
        self.change_phrase = re.compile(rules.get("change_phrase", r"(?!x)x"))
        # A rule with by_position maps the terms of a list (三次产业结构为2.8:41.1:56.1;
        # 第一、二、三产业增加值分别增长…) to its indicators in order.
        known = {i["indicator_id"] for i in self.ref.indicators}
        self.rule_positions: dict[str, tuple[str, ...]] = {}
        for rid, r in raw.items():
            if r.get("by_position"):
                ids = tuple(str(i) for i in r["by_position"])
                unknown = [i for i in ids if i not in known]
                if unknown:
                    raise BuildError(self.ref.folder / "rules.yaml", f"by_position names unknown {unknown}", entry=rid)
                self.rule_positions[rid] = ids
        # Words just before a keyword that make it another measure (每万人口发明专利拥有量
        # is a density, not a count; 婴儿死亡率 is not the death rate).
        self.rule_exclude_before = {
            rid: tuple(str(w) for w in r["exclude_before"]) for rid, r in raw.items() if r.get("exclude_before")
        }
        self.modifier_max = int(rules.get("modifier_max_chars", 6))
        self.money_scales = frozenset(str(w) for w in rules.get("money_scale_words", []))
        self.compound_max = int(rules.get("compound_subject_max_chars", 6))
        self.net_words = tuple(rules.get("net_change_words", []))
        share_phrase = rules.get("share_phrase")
        self.share_phrase_re = re.compile(share_phrase) if share_phrase else None
        anaphora = rules.get("anaphora_pattern")
        self.anaphora_re = re.compile(anaphora) if anaphora else None
        self.modifier_words = tuple(rules.get("modifier_words", []))
        self.ranking_lists = tuple(rules.get("ranking_list_words", []))
        # Longer words a keyword can be part of without meaning it (出口 in 进出口).
        self.rule_not_inside = {
            rid: tuple(str(w) for w in r["not_inside"]) for rid, r in raw.items() if r.get("not_inside")
        }
        self.change_words = {w for w, (_, unit, _) in self.lex.word_figures.items() if unit == "倍"}

    # ---- indicator -------------------------------------------------------------
    def _currency_variant(self, indicator_id: str, base_unit: str) -> str:
        """299亿美元 of R&D spending is rd_spending_usd: one indicator never mixes currencies,
        so a chart never puts yuan and dollars on one axis."""
        if self.indicator_unit.get(indicator_id) == base_unit or base_unit not in ("CNY", "USD", "EUR"):
            return indicator_id
        variant = f"{indicator_id.removesuffix('_' + self.indicator_unit.get(indicator_id, '').lower())}"
        for candidate in (f"{variant}_{base_unit.lower()}", variant):
            if self.indicator_unit.get(candidate) == base_unit:
                return candidate
        return indicator_id

    def _period(self, ctx: Context, m: Mention, sentence: tuple[int, int], list_pos: tuple[int, int] = (0, 1)) -> str:
        """The period a figure covers when its sentence names one before it (二季度增长6.3%,
        1—10月…增加值): the nearest marker wins; "" when none (the year). The k-th of n
        figures after n periods (一季度、上半年、前三季度、全年…分别增长6.7%、…) is of the k-th."""
        k = bisect_left(ctx.periods, (m.cstart, ""))
        if k == 0 or ctx.periods[k - 1][0] < sentence[0]:
            return ""
        position, n = list_pos
        if n > 1 and self.period_re is not None:
            listed = ctx.periods[max(bisect_left(ctx.periods, (sentence[0], "")), k - n) : k]
            if len(listed) == n:
                ends = [self.period_re.match(ctx.text, a) for a, _ in listed]
                joins = [ctx.text[e.end() : b] for e, (b, _) in zip(ends, listed[1:], strict=False) if e]
                if len(joins) == n - 1 and all(j in ("、", "和", "及", "与", ",", "，") for j in joins):
                    return listed[position][1]
        return ctx.periods[k - 1][1]

    def _best_rule(
        self,
        m: Mention,
        ctx: Context,
        seg: tuple[int, int, int, int],
        clause: tuple[int, int],
        sentence: tuple[int, int],
        region_id: str,
        period: str = "",
        list_pos: tuple[int, int] = (0, 1),
    ) -> tuple[Rule | None, int | None]:
        text = ctx.text
        seg_l0, seg_l1, seg_r0, seg_r1 = seg
        back = ctx.previous_sentences(m.cstart, self.context_sentences)
        context_start = back[-1][0] if back else sentence[0]
        best: tuple | None = None
        best_rule: Rule | None = None
        best_pos: int | None = None
        key = (sentence[0], m.base_unit, m.kind)
        candidates = ctx.rule_candidates.get(key)
        if candidates is None:
            candidates = []
            sent_text = text[sentence[0] : sentence[1]]
            context_text = text[context_start : sentence[1]]
            for rule in self.rules_by_unit.get(m.base_unit, ()):  # ranks: rank or rank_from_bottom
                if m.kind == "figure" and m.base_unit == "rank" and rule.indicator not in self.subjects.change_ids:
                    continue  # 上升6位 moves in a ranking: only a rule for the change of a rank
                # Every window a rule reads lies in the sentence (or, for context rules,
                # in the sentences before it too): no keyword there, no match.
                reach = context_text if rule.id in self.rule_context else sent_text
                if rule.require and not any(w in reach for w in rule.require):
                    continue
                # Only keywords in reach can stand in a window; their order is kept.
                keywords = tuple(kw for kw in rule.keywords if kw in reach)
                if keywords:
                    candidates.append((rule, keywords))
            ctx.rule_candidates[key] = candidates
        for rule, keywords_in_reach in candidates:
            rule_period = self.rule_period.get(rule.id, "")
            if rule_period and rule_period != period:
                continue
            in_context = rule.id in self.rule_context
            if rule.region_levels and self.level.get(region_id) not in rule.region_levels:
                continue
            positions = self.rule_positions.get(rule.id)
            if positions and (list_pos[1] < 2 or list_pos[0] >= len(positions)):
                continue  # a rule for the terms of a list, and this figure is not one
            exclude_before = self.rule_exclude_before.get(rule.id)
            not_inside = self.rule_not_inside.get(rule.id)
            windows = []  # (level, text start, text end, side)
            if rule.side in ("left", "any"):
                windows.append((0, seg_l0, seg_l1, "left"))
            if rule.side in ("right", "any"):
                windows.append((0, seg_r0, seg_r1, "right"))
            if rule.scope in ("clause", "sentence"):
                if rule.side in ("left", "any"):
                    windows.append((1, clause[0], seg_l0, "left"))
                if rule.side in ("right", "any"):
                    windows.append((1, seg_r1, clause[1], "right"))
            if (rule.scope == "sentence" or in_context) and rule.side in ("left", "any"):
                # A rule that reaches back into earlier sentences reaches its own sentence first.
                windows.append((2, sentence[0], clause[0], "left"))
            if in_context and rule.side in ("left", "any"):
                # Elliptical prose: 南昌突破7000亿元 after sentences about 地区生产总值.
                windows.append((3, context_start, sentence[0], "left"))
            for level, a, b, side in windows:
                if b <= a:
                    continue
                window = text[a:b]
                hit = None
                for kw in keywords_in_reach:
                    i = window.rfind(kw) if side == "left" else window.find(kw)
                    if i == -1:
                        continue
                    if exclude_before and any(text.find(w, max(0, a + i - 8), a + i) != -1 for w in exclude_before):
                        continue
                    if not_inside and _part_of(text, a + i, not_inside):
                        continue
                    # Words between the keyword and the number that turn it into another
                    # figure (基础研究 … 投入占比) veto the keyword.
                    if side == "left":
                        # Across sentences only the figure's own sentence can veto the keyword.
                        kw_end = a + i + len(kw) if level < 3 else sentence[0]
                        between, dist = text[kw_end : m.cstart], (b - a) - (i + len(kw))
                    else:
                        between, dist = text[m.cend : a + i], (a - seg_r0) + i
                    if rule.exclude and any(w in between for w in rule.exclude):
                        continue
                    if hit is None or dist < hit[0]:
                        hit = (dist, a + i)
                if hit is not None:
                    score = (0 if rule_period else 1, level, hit[0], -rule.priority)
                    if best is None or score < best:
                        best, best_rule, best_pos = score, rule, hit[1]
                    break
        return best_rule, best_pos

    # ---- region ----------------------------------------------------------------
    def _resolve_shared(self, default_region: str | None) -> dict[str, str]:
        """Shared county names that the text's own region decides: in a text on 天津, 和平区
        is 天津's 和平区."""
        if not default_region or not self.shared_names:
            return {}
        if default_region in self._shared_by_region:
            return self._shared_by_region[default_region]

        own = set(self._ancestry(default_region))
        out = {}
        for name, ids in self.shared_names.items():
            inside = [rid for rid in ids if default_region in self._ancestry(rid) or rid in own]
            if len(inside) == 1:
                out[name] = inside[0]
        self._shared_by_region[default_region] = out
        return out

    def _relative_region(self, text: str, at: int, word: str, default_region: str) -> str:
        """全省 in a text on 成都 is 四川: a relative word names the text's region at its own
        level, the province holding a city or county (全市, 我市 stay the text's region)."""
        if word not in self.relative_lift or text.startswith(_RANK_FIELD_NEXT, at + len(word)):
            # 省级专精特新企业 in a county's report: a class; 全省首个: the field of a first
            return default_region
        return next(
            (rid for rid in self._ancestry(default_region) if self.level.get(rid) == "province"), default_region
        )

    def _ancestry(self, rid: str) -> list[str]:
        """The region and the regions holding it, nearest first."""
        chain: list[str] = []
        while rid and rid not in chain:
            chain.append(rid)
            rid = self.region_parent.get(rid, "")
        return chain

    def _region_of(self, ctx: Context, alias: str) -> str:
        return self.alias_to_region.get(alias) or ctx.shared_regions[alias]

    def _alias_matches(self, ctx: Context, a: int, b: int) -> list[tuple[int, int, str]]:
        """The region names a scan of text[a:b] finds, taken from one scan of the sentence
        around them (figures of one sentence look left and right in it again and again),
        unless a name found there runs across a or b: then text[a:b] is scanned itself."""
        start, end = ctx.sentence(a)
        if b > end:
            return self._scan_names(ctx, a, b)
        scanned = ctx.sentence_aliases.get(start)
        if scanned is None:
            found = self._scan_names(ctx, start, end)
            scanned = ctx.sentence_aliases[start] = (found, [x[0] for x in found])
        found, starts = scanned
        lo, hi = bisect_left(starts, a), bisect_left(starts, b)
        if (lo > 0 and found[lo - 1][1] > a) or (hi > lo and found[hi - 1][1] > b):
            return self._scan_names(ctx, a, b)
        return found[lo:hi]

    def _scan_names(self, ctx: Context, a: int, b: int) -> list[tuple[int, int, str]]:
        found = [(mt.start(), mt.end(), mt.group()) for mt in self.alias_re.finditer(ctx.text, a, b)]
        if ctx.shared_regions and self.shared_scanner is not None:
            extra = [
                (mt.start(), mt.end(), mt.group())
                for mt in self.shared_scanner.finditer(ctx.text, a, b)
                if mt.group() in ctx.shared_regions
            ]
            if extra:  # a resolved shared name beats a shorter name inside it
                kept = [f for f in found if not any(e[0] < f[1] and f[0] < e[1] for e in extra)]
                found = sorted(kept + extra)
        return found

    def _alias_hits(
        self, ctx: Context, a: int, b: int, titles, datelines=(), rank: Mention | None = None
    ) -> list[tuple[int, str]]:
        text = ctx.text
        hits = []
        yardstick_end = -1  # end of the last region that is not a subject
        for start, end, alias in self._alias_matches(ctx, a, b):
            if _inside(start, titles) or _inside(start, datelines):
                continue
            # 对欧盟、美国和东盟的进出口额: the items of a list after 对 are partners, like the first.
            continues = 0 <= yardstick_end < start and all(c in _LIST_SEP for c in text[yardstick_end:start])
            if continues or not self._is_subject(text, start, end, self.region_not_subject_before, rank):
                yardstick_end = end
                continue
            hits.append((start, self._region_of(ctx, alias)))
        return hits

    def _is_subject(self, text: str, a: int, b: int, before_words: tuple[str, ...], rank: Mention | None) -> bool:
        """A region named as a yardstick (高于全国平均, 比上海) or as the field of a rank
        (居全国第三, 全国排名由第18位) is not the region the figure describes."""
        head = text[max(0, a - 3) : a]
        if head.endswith(before_words):
            return False
        if text.startswith(self.region_not_subject_after, b) and not text.startswith(self.region_subject_after, b):
            return False
        if text[a:b] in self.field_words and text.startswith(self.field_after, b):
            return False  # 全国排名, 全省第一: the field a rank or an average is taken over
        if (
            text[a:b] in self.field_words
            and self.counted_before_re
            and self.counted_before_re.search(text, max(0, a - 2), a)
        ):
            return False  # 2家全国重点实验室: a class of the things counted, not a place
        if rank is not None and text[a:b] in self.field_words and a < rank.cstart:
            # 在全国78个创新型城市中，排名第十: a broad word before a rank is its field, unless
            # another field follows it (全国GDP居世界第二: 全国 is then what is ranked).
            between = text[b : rank.cstart]
            if not any(w in between for w in self.field_words):
                return False
        if text[a:b] in self.field_words and self.field_market_re is not None and self.field_market_re.match(text, b):
            return False  # 占据全球中高端市场80%份额: the market a share is taken of
        return not (rank is not None and self.rank_scope_gap.fullmatch(text, b, rank.cstart))

    def _region(
        self, m: Mention, ctx: Context, clause, sentence, titles, default_region: str | None
    ) -> tuple[str, str, int | None]:
        text = ctx.text
        rank = m if m.kind == "rank" else None
        if m.cstart > 0 and text[m.cstart - 1] in "(（":
            # 超过法国(2.35%)、荷兰(2.29%): a figure in brackets right after a name is that
            # region's, even where the name is a yardstick of the sentence's own figure.
            named = self._alias_matches(ctx, max(sentence[0], m.cstart - 12), m.cstart - 1)
            if named and named[-1][1] == m.cstart - 1 and not _inside(named[-1][0], titles):
                return self._region_of(ctx, named[-1][2]), "stated", named[-1][0]
        left = self._alias_hits(ctx, sentence[0], m.num_cstart, titles, ctx.datelines, rank)
        if left and any(b in text[sentence[0] : m.cstart] for b in "(（"):
            # 山区23县(平阳县、柯城区和莲都区被调出)平均…指数: names in a closed bracket are a note
            notes_at = [b.span() for b in _BRACKETED.finditer(text, sentence[0], m.cstart)]
            left = [h for h in left if not any(a0 < h[0] < a1 for a0, a1 in notes_at)]
        if rank is not None:
            # 人工智能发展潜力全国第7: what is ranked over 全国 lies inside China, so it is not China
            # (获评中国软件特色名城 earlier in the sentence names no region of the figure).
            before = text[clause[0] : m.cstart]
            over = {self.alias_to_region[w] for w in self.field_words if w in self.alias_to_region and w in before}
            left = [h for h in left if h[1] not in over]
        rel_left = []
        not_subject = self.region_not_subject_before + self.relative_not_subject_before
        if self.relative_re is not None:
            rel_left = [
                (x.start(), x.group())
                for x in self.relative_re.finditer(text, clause[0], m.cstart)
                if self._is_subject(text, x.start(), x.end(), not_subject, rank)
            ]
        # Nearest named region to the left in the clause, then in the sentence; a relative
        # word (全省) nearer than any name points to the text's own region.
        in_clause = [h for h in left if h[0] >= clause[0]]
        if rel_left and (not in_clause or rel_left[-1][0] > in_clause[-1][0]) and default_region:
            word_at, word = rel_left[-1]
            return self._relative_region(text, word_at, word, default_region), "relative", word_at
        if in_clause:
            return in_clause[-1][1], "stated", in_clause[-1][0]
        right = self._alias_hits(ctx, m.cend, clause[1], titles, ctx.datelines)
        if right:
            return right[0][1], "stated", right[0][0]
        if self.relative_re is not None and default_region:
            # …全球创新指数第二名，全省研发经费…，区域创新综合能力全国第一: 全省, nearer than the
            # name in an earlier clause, still points to the text's own region.
            rel_before = [
                (x.start(), x.group())
                for x in self.relative_re.finditer(text, sentence[0], clause[0])
                if self._is_subject(text, x.start(), x.end(), not_subject, None)
            ]
            if rel_before and (not left or rel_before[-1][0] > left[-1][0]):
                word_at, word = rel_before[-1]
                return self._relative_region(text, word_at, word, default_region), "relative", word_at
        if left:
            return left[-1][1], "stated", left[-1][0]
        if default_region:
            return default_region, "source_default", None
        return "china", "country_default", None

    # ---- year ------------------------------------------------------------------
    def _years(self, text: str, a: int, b: int, titles, year_mentions) -> list[tuple[int, int, str]]:
        """(position, year, role) for years in [a, b): role plain, since, range."""
        out = []
        lo = bisect_left(year_mentions, (a, -1))
        for pos, end, year in year_mentions[lo:]:
            if pos >= b:
                break
            if _inside(pos, titles):
                continue
            before = text[max(0, pos - 1) : pos]
            after = text[end : end + 6]
            after_year = after.lstrip("年")
            if (
                (before in self.since_words and after_year.startswith(self.since_ends))
                or after_year.startswith(self.since_ends_alone)
                or (before in self.since_words and self.since_later_re.match(text, end))
            ):
                out.append((pos, year, "since"))
            elif (
                text[max(0, pos - 2) : pos].endswith(self.comparison_words)
                or _COMPARED_AFTER.match(after_year)
                or (before in ("是", "为") and after_year.startswith("的"))  # 是2012年的2.3倍
            ):
                out.append((pos, year, "comparison"))  # 比2022年加快, 与2019年相比: the base, not the year
            else:
                out.append((pos, year, "plain"))
        return out

    def _relative_years(
        self, text: str, publication_year: int | None, report_year: int | None = None
    ) -> list[tuple[int, int, int]]:
        """去年, 今年 as years, counted from the publication year; 本年, 上年 from the year the
        text reports on, when its headline or first sentence states it (a communiqué on 2023
        out in 2024: 本年新登记 is 2023); 比上年 is a comparison."""
        if publication_year is None or self.relative_year_re is None:
            return []
        out = []
        for mt in self.relative_year_re.finditer(text):
            if text[max(0, mt.start() - 2) : mt.start()].endswith(self.comparison_words) or _COMPARED_AFTER.match(
                text, mt.end()
            ):
                continue  # 比上年, 与去年同期相比: the base of a comparison
            now = report_year if report_year and mt.group() in self.report_relative else publication_year
            out.append((mt.start(), mt.end(), now + self.relative_years[mt.group()]))
        return out

    def _reports_last_year(self, text: str, publication_month: int | None) -> bool:
        """Undated figures are last year's in a text out in January-March (annual results),
        unless it reports a span of this year that has already ended (1-2月份 in March); and
        in a text whose month is unknown when it speaks of the whole year (全年)."""
        if publication_month is None:
            return any(w in text for w in self.full_year_words)
        if publication_month not in self.last_full_year_months:
            return False
        return not any(
            _cn_month(mt.group(1)) < publication_month for mt in _MONTH_SPAN.finditer(text) if _cn_month(mt.group(1))
        )

    def _report_year(self, ctx: Context, stated_years, publication_year: int | None) -> int | None:
        """The year a text reports on, from its headline or first sentence (stated years only)."""
        year = self._headline_year(ctx, stated_years) or self._lead_year(ctx, stated_years, publication_year)
        ctx.lead_year = None  # found again with every year mention, relative ones too
        if year and publication_year and publication_year - 1 <= year <= publication_year:
            return year
        return None

    def _is_from_year(self, text: str, year_pos: int) -> bool:
        """从2017年的0.95%: the year opens the from-side of a change stated in its clause."""
        clause_end = _CLAUSE_END.search(text, year_pos)
        stop = clause_end.start() if clause_end else len(text)
        return text[max(0, year_pos - 1) : year_pos] in self.from_words and any(
            w in text[year_pos:stop] for w in self.to_words
        )

    def _after_from_year(
        self, ctx: Context, m: Mention, from_year: int, year_mentions, publication_year: int, from_pos: int = -1
    ):
        """The end of a change from a stated year, when no end year is stated: the year the
        sentences before speak of, if later (a text on 2019 tracing 从2017年的…), else now;
        由上年的…调整为… ends in the year after 上年, the year the text reports on."""
        if from_pos in ctx.relative_starts and ctx.text.startswith(self.last_year_words, from_pos):
            return from_year + 1, "stated", from_pos
        if from_pos in ctx.relative_starts:
            # 2021年…由十年前的第15位上升至第8位: the year stated before the change is its end
            sentence = ctx.sentence(from_pos)
            lo, hi = bisect_left(year_mentions, (sentence[0], -1)), bisect_left(year_mentions, (from_pos, -1))
            stated = [
                (pos, y) for pos, _, y in year_mentions[lo:hi] if pos not in ctx.relative_starts and y > from_year
            ]
            if stated:
                return stated[-1][1], "stated", stated[-1][0]
        year = self._context_year(m, ctx, year_mentions, publication_year)
        if year is not None and year > from_year:
            return year, "context", None
        return self._now_year(ctx, publication_year, review=False)

    def _to_side_without_year(self, text: str, clause, year_pos: int, m: Mention) -> bool:
        """由2019年的90亿元增至150亿元: the stated year belongs to the from-side only."""
        between = text[year_pos : m.cstart]
        before = text[clause[0] : year_pos]
        return any(w in between for w in self.to_words) and any(w in before for w in self.from_words)

    def _year(
        self,
        m: Mention,
        ctx: Context,
        clause,
        sentence,
        titles,
        year_mentions,
        publication_year: int | None,
        notes: list[str],
    ) -> tuple[int | None, str, int | None]:
        text = ctx.text
        left_clause = text[clause[0] : m.cstart]
        # Stated periods: 2018—2022年…从5.7%上升到14.1%.
        # A sentence without any stated period has none before any of its figures either.
        if sentence[0] not in ctx.has_year_range:
            ctx.has_year_range[sentence[0]] = _YEAR_RANGE.search(text, sentence[0], sentence[1]) is not None
        ranges = (
            [r for r in _YEAR_RANGE.finditer(text, sentence[0], m.cstart) if not _inside(r.start(), titles)]
            if ctx.has_year_range[sentence[0]]
            else []
        )
        if ranges:
            first, last = int(ranges[-1].group(1)), int(ranges[-1].group(2))
            frm = max(left_clause.rfind(w) for w in self.from_words)
            if frm != -1:
                after_from = left_clause[frm:]
                if any(w in after_from for w in self.to_words):
                    return last, "range_end", ranges[-1].start()
                return first, "range_start", ranges[-1].start()
            return last, "range_end", ranges[-1].start()
        years = self._years(text, sentence[0], m.cstart, titles, year_mentions)
        plain = [y for y in years if y[2] == "plain"]
        since = [y for y in years if y[2] == "since"]
        rel = _RELATIVE_YEARS.search(left_clause)
        if rel and since:
            span = rel.group(1)
            n_years = int(span) if span.isdigit() else int(cn2an.cn2an(span, "smart"))
            notes.append(f"period: the {n_years} years before {since[-1][1]}")
            return since[-1][1] - 1, "computed", since[-1][0]
        if (
            plain
            and publication_year is not None
            and plain[-1][0] >= clause[0]
            and self._to_side_without_year(text, clause, plain[-1][0], m)
        ):
            notes.append(f"end of a change from {plain[-1][1]}; no end year stated")
            return self._after_from_year(ctx, m, plain[-1][1], year_mentions, publication_year, plain[-1][0])
        if (
            plain
            and publication_year is not None
            and plain[-1][0] < clause[0]
            and self._is_from_year(text, plain[-1][0])
        ):
            # 从2017年的0.95%增长到1.45%，年均增幅达到0.17个百分点: a later clause is about the
            # end of the change, not its start
            notes.append(f"after a change from {plain[-1][1]}; no end year stated")
            return self._after_from_year(ctx, m, plain[-1][1], year_mentions, publication_year, plain[-1][0])
        base = self._comparison_base(text, clause, years, m)
        if base is not None:
            notes.append(f"the value of {base[1]}, the base of the comparison")
            return base[1], "stated", base[0]
        if plain:
            return plain[-1][1], "stated", plain[-1][0]
        right = [y for y in self._years(text, m.cend, clause[1], titles, year_mentions) if y[2] == "plain"]
        if right:
            return right[0][1], "stated", right[0][0]
        if since:
            notes.append(f"since {since[-1][1]}")
            if not any(w in text[sentence[0] : m.cstart] for w in self.now_words):
                # 2013年以来…一直稳居世界第二 in a report on 2019: up to the text's own year.
                only = self._only_year(ctx, m.cstart, year_mentions, publication_year)
                if only and only > since[-1][1]:
                    return only, "only_year", None
        sent_text = text[sentence[0] : m.cstart]
        now = any(w in sent_text for w in self.now_words)
        if not since and not now:
            year = self._context_year(m, ctx, year_mentions, publication_year)
            if year is not None:
                return year, "context", None
            year = self._headline_year(ctx, year_mentions)
            if year is not None:
                return year, "headline", None
            year = self._lead_year(ctx, year_mentions, publication_year)
            if year is not None:
                notes.append(f"the year the text opens with: {year}")
                return year, "lead", None
            only = self._only_year(ctx, m.cstart, year_mentions, publication_year)
            if only:
                notes.append(f"the only year its section states: {only}")
                return only, "only_year", None
        # 目前…: the time of writing, even in the season of last year's results.
        return self._now_year(ctx, publication_year, last_year=not now)

    @staticmethod
    def _now_year(
        ctx: Context, publication_year: int | None, *, review: bool = True, last_year: bool = True
    ) -> tuple[int | None, str, int | None]:
        """The year of a figure the text dates as 'now'."""
        if publication_year is None:
            return None, "", None
        if review and ctx.is_review:
            # A work report reviews the year before it is delivered (2023年政府工作报告
            # reports 2022's results).
            return publication_year - 1, "review_year", None
        if last_year and ctx.reports_last_year:
            # Annual results come out in the first months of the next year (communiqués,
            # work reports, year-end news): an undated figure then is last year's.
            return publication_year - 1, "last_full_year", None
        return publication_year, "publication", None

    def _context_year(self, m: Mention, ctx: Context, year_mentions, publication_year: int | None) -> int | None:
        """The last year stated in the sentences before the figure's (the same for every
        figure of a sentence, so found once per sentence)."""
        key = ctx.sentence(m.cstart)[0]
        if key not in ctx.context_year:
            ctx.context_year[key] = self._find_context_year(m, ctx, year_mentions, publication_year)
        return ctx.context_year[key]

    def _find_context_year(self, m: Mention, ctx: Context, year_mentions, publication_year: int | None) -> int | None:
        text = ctx.text
        section = ctx.section_start(m.cstart)
        for a, b in ctx.previous_sentences(m.cstart, self.year_context_sentences):
            if b <= section:
                break
            a = max(a, section)
            years = self._years(text, a, b, _title_spans(text, a, b), year_mentions)
            # a year after the text's own (力争到2025年…) is a target's, not the date of the facts after it
            prev = [
                y
                for y in years
                if y[2] == "plain"
                and (publication_year is None or y[1] <= publication_year)
                # 占比由去年同期的24.9%上升到33.85%: last year's value, not the date of what follows
                and y[0] not in ctx.same_period_starts
                # 由上年的14.9:33.2:51.9调整为…: the start of a change, not the date of what follows
                and not self._is_from_year(text, y[0])
            ]
            if prev:
                return prev[-1][1]
            if any(y[2] == "since" for y in years) and publication_year is not None:
                break  # 2024年以来，…。1—10月…: a span that runs to the text's own time
        return None

    def _only_year(self, ctx: Context, pos: int, year_mentions, publication_year: int | None) -> int:
        """The one year the section holding pos states as a plain year, if it states just one
        (0 otherwise): a report on 2019 published in 2020 dates its undated figures to 2019.
        In news that opens with its day (7月14日，…) the year must come first: a figure
        before a look back (…。2022年，202家企业…) is of the news's own time."""
        start = ctx.section_start(pos)
        if start not in ctx.only_year:
            k = bisect_right(ctx.headings, pos)
            end = ctx.headings[k] if k < len(ctx.headings) else len(ctx.text)
            years = self._plain_years(ctx, start, end, year_mentions)
            if not years and start > 0:
                # 2023年，旅顺口区…。一、综合 全年地区生产总值…: a section that states no year
                # is of the one year the whole text states, when that is the year before
                # publication or the year of it (a report; an older year is another story)
                if ctx.whole_years is None:
                    ctx.whole_years = self._plain_years(ctx, 0, len(ctx.text), year_mentions)
                whole = ctx.whole_years
                if len(whole) == 1 and (publication_year is None or next(iter(whole)) >= publication_year - 1):
                    years = whole
            year = next(iter(years)) if len(years) == 1 else 0
            ok = year and (publication_year is None or year <= publication_year)
            first = 0
            if ok and start == 0 and ctx.opens_with_date:
                # a report's title (发布了《2023年…概览》) states the year too
                first = next(
                    p
                    for p, y, role in self._years(ctx.text, start, end, [], year_mentions)
                    if role == "plain" and y == year and p not in ctx.relative_starts
                )
            ctx.only_year[start] = (year, first) if ok else (0, 0)
        year, first = ctx.only_year[start]
        return year if first <= pos else 0

    def _plain_years(self, ctx: Context, start: int, end: int, year_mentions) -> set[int]:
        """The years stated as such (2023年), not counted from the publication (去年同期) nor
        part of a day (2024年4月1日, a dateline)."""
        titles = _title_spans(ctx.text, start, end)
        return {
            y
            for pos, y, role in self._years(ctx.text, start, end, titles, year_mentions)
            if role == "plain" and pos not in ctx.relative_starts and not _DAY.match(ctx.text, pos)
        }

    def _headline_year(self, ctx: Context, year_mentions) -> int | None:
        """The year a headline names (玉环市2019年国民经济和社会发展统计公报): the year the
        whole text is about, for figures that state none nearer."""
        if ctx.headline is None:
            return None
        a, b = ctx.headline
        years = {
            y
            for _, y, role in self._years(ctx.text, a, b, _title_spans(ctx.text, a, b), year_mentions)
            if role == "plain"
        }
        return years.pop() if len(years) == 1 else None  # …统计公报 2023 names its year twice

    def _lead_year(self, ctx: Context, year_mentions, publication_year: int | None) -> int | None:
        """The year a text's first sentence opens with (2024年，全市…): the year a report is
        about, for figures of later sections that state none (a communiqué out in April)."""
        if ctx.lead_year is None:
            ctx.lead_year = 0
            start = ctx.headline[1] if ctx.headline else 0
            while start < len(ctx.text) and ctx.text[start].isspace():
                start += 1
            first = ctx.sentence(start)
            years = self._years(ctx.text, first[0], first[1], _title_spans(ctx.text, *first), year_mentions)
            opens = years and years[0][0] == start and years[0][2] == "plain" and start not in ctx.relative_starts
            if opens:
                # 2024年4月1日 星期一: a dateline, not the year a report is on
                opens = not _DAY.match(ctx.text, start)
            # 2020年100家、2021年928家…: a list of years opens nothing
            if opens and len({y for _, y, role in years if role == "plain"}) == 1:
                year = years[0][1]
                # a report comes out within a year or so of the year it is on
                if publication_year is None or publication_year - 1 <= year <= publication_year:
                    ctx.lead_year = year
        return ctx.lead_year or None

    def _comparison_base(self, text: str, clause, years, m: Mention) -> tuple[int, int] | None:
        """较2022年(59.28)提高2.15: the figure in brackets right after a compared year is
        that year's value, the base of the change that follows."""
        if not years or years[-1][2] != "comparison" or years[-1][0] < clause[0]:
            return None
        if m.cstart == 0 or text[m.cstart - 1] not in "(（":
            return None
        between = text[years[-1][0] : m.cstart]
        if any(w in between for w in self.increase_words + self.decrease_words):
            return None
        return years[-1][0], years[-1][1]

    # ---- lists: 长三角、珠三角…分别从4.6%、2.2%上升到7.9%、3.9% -----------------------
    def _list_regions(self, ctx: Context, clause, titles, first: int) -> tuple[int, list[str]] | None:
        """Regions listed before 分别, or right before the clause's first figure (浙江、山东、
        江苏以22家、18家、13家; 辽宁和山西均上升5位): the figures take them in order."""
        text = ctx.text
        k = min((i for w in self.respective_words if (i := text.find(w, clause[0], clause[1])) != -1), default=-1)
        if k == -1:
            k = first
            hits = self._alias_hits(ctx, clause[0], k, titles)
            if not hits:
                return None
            last_alias = self.alias_re.match(text, hits[-1][0])
            if last_alias is None or k - last_alias.end() > self.list_gap_max:
                return None
            k = last_alias.end()  # the figures after it take the regions in order
        else:
            hits = self._alias_hits(ctx, clause[0], k, titles)
            if len([h for h in hits if not _in_brackets(text, h[0], clause[0])]) < 2:
                # 江苏、广东、浙江占据前三，分别为711家、561家和400家: the list may close
                # the clause before the one with 分别.
                start = ctx.clause(clause[0] - 1)[0] if clause[0] > 0 else clause[0]
                hits = self._alias_hits(ctx, max(start, ctx.sentence(clause[0])[0]), k, titles)
        if len(hits) < 2:
            return None
        # Keep the run of regions joined by list separators right before 分别; a region in
        # brackets is a note on an item (广东(含深圳)), not an item.
        hits = [h for h in hits if not _in_brackets(text, h[0], ctx.sentence(clause[0])[0])]
        if len(hits) < 2:
            return None
        run = [hits[-1]]
        for pos, rid in reversed(hits[:-1]):
            between = text[pos : run[0][0]]
            named = self.alias_re.match(text, pos)
            alias_len = named.end() - pos if named else 0
            gap = _BRACKETED.sub("", between[alias_len:])
            if gap and all(c in _LIST_SEP for c in gap):
                run.insert(0, (pos, rid))
            else:
                break
        if len(run) < 2:
            return None
        return k, [rid for _, rid in run]

    def map_text(
        self,
        compact: CompactText,
        *,
        default_region: str | None,
        publication_year: int | None,
        publication_month: int | None = None,
    ) -> list[Mapped]:
        return list(
            self.iter_mapped(
                compact,
                default_region=default_region,
                publication_year=publication_year,
                publication_month=publication_month,
            )
        )

    def iter_mapped(
        self,
        compact: CompactText,
        *,
        default_region: str | None,
        publication_year: int | None,
        publication_month: int | None = None,
        deadline: Deadline | None = None,
    ) -> Iterator[Mapped]:
        """The mapped figures of a text in order, each handed on as soon as no later figure
        can look back at it: memory holds a window of figures, not all of them."""
        ctx = Context(compact, self.dateline_re, self.period_re, self.heading_re, self.headline_max)
        text = ctx.text
        ctx.shared_regions = self._resolve_shared(default_region)
        ctx.is_review = any(w in text for w in self.review_cues)
        ctx.reports_last_year = self._reports_last_year(text, publication_month)
        ctx.target_spans = SpanIndex(self._target_sections(compact))
        deadline = deadline or Deadline(None)
        mentions = find_mentions(compact, self.lex, deadline)
        ctx.opens_with_date = bool(mentions) and mentions[0].kind == "date"
        stated_years = sorted(
            (m.num_cstart, m.num_cend, int(m.value)) for m in mentions if m.kind == "year" and m.value is not None
        )
        report_year = self._report_year(ctx, stated_years, publication_year) if self.report_relative else None
        if report_year is None and ctx.reports_last_year and publication_year is not None:
            report_year = publication_year - 1  # a communiqué out in spring reports on last year
        relative = self._relative_years(text, publication_year, report_year)
        ctx.relative_starts = {a for a, _, _ in relative}
        ctx.same_period_starts = {a for a, b, _ in relative if text.startswith("同期", b)}
        year_mentions = sorted(stated_years + relative)
        doc = _Document(mentions, [m.cstart for m in mentions], self._list_positions(mentions, ctx), year_mentions)
        doc.default_region, doc.publication_year = default_region, publication_year
        window: list[Mapped] = []  # the figures no later decision looks back at are handed on
        first = 0  # the index of window[0]
        for idx, m in enumerate(mentions):
            mapped = Mapped(mention=m)
            recent = window[-RECENT_FIGURES:]  # the figures before it that its decisions may look at
            window.append(mapped)
            deadline.check(idx)
            self._map_figure(ctx, doc, idx, mapped, recent)
            # No later figure looks back at the one RECENT_FIGURES before this: it is complete.
            done = idx - RECENT_FIGURES
            if done >= first:
                yield self._finish(ctx, window, done - first)
            if len(window) > 4 * RECENT_FIGURES:
                drop = len(window) - 2 * RECENT_FIGURES - 1
                del window[:drop]
                first += drop
        for done in range(max(first, len(mentions) - RECENT_FIGURES), len(mentions)):
            yield self._finish(ctx, window, done - first)

    def _finish(self, ctx: Context, window: list[Mapped], i: int) -> Mapped:
        """The figure window[i] once every figure after it that looks back at it is mapped:
        a figure in brackets after a place takes what the figure before it measures."""
        self._place_bracket_figure(ctx, window[i], window[max(0, i - RECENT_FIGURES) : i])
        return window[i]

    def _map_figure(self, ctx: Context, doc: _Document, idx: int, mapped: Mapped, recent: list[Mapped]) -> None:
        """Region, year, subject and indicator of one figure, from its text and the figures
        before it (recent)."""
        text, m, mentions, positions = ctx.text, mapped.mention, doc.mentions, doc.positions
        list_pos, list_subjects, list_cache, year_mentions = doc.list_pos, doc.list_subjects, doc.list_cache, doc.years
        default_region, publication_year = doc.default_region, doc.publication_year
        if m.kind not in MAPPABLE_KINDS:
            mapped.reason = f"{m.kind}, not a figure"
            return
        sentence = ctx.sentence(m.cstart)
        clause = ctx.clause(m.cstart)
        titles = _title_spans(text, sentence[0], sentence[1])
        in_title = _inside(m.cstart, titles)
        # An ordinal is part of a name (第一产业, 第五批), not a neighbouring figure: the
        # figure's own words run across it.
        prev = idx - 1
        while prev >= 0 and mentions[prev].kind == "ordinal":
            prev -= 1
        prev_end = mentions[prev].cend if prev >= 0 else 0
        nxt = idx + 1
        while nxt < len(mentions) and mentions[nxt].kind == "ordinal":
            nxt += 1
        next_start = positions[nxt] if nxt < len(mentions) else len(text)
        seg = (max(clause[0], prev_end), m.cstart, m.cend, min(clause[1], next_start))
        region_id, region_basis, region_pos = self._region(m, ctx, clause, sentence, titles, default_region)
        if clause not in list_cache:
            list_cache[clause] = self._list_regions(ctx, clause, titles, m.cstart)
        listed = list_cache[clause]
        if listed is not None and m.cstart > listed[0]:
            # Position in its group: count list items since the last non-separator.
            group_pos = 0
            j = idx - 1
            while j >= 0 and mentions[j].cstart > listed[0] and group_pos < len(listed[1]):
                between = text[mentions[j].cend : mentions[j + 1].cstart]
                if between and all(c in _LIST_SEP for c in between):
                    group_pos += 1
                    j -= 1
                else:
                    break
            if group_pos < len(listed[1]):
                region_id, region_basis = listed[1][group_pos], "list"
        # Region and year do not depend on the indicator: every figure gets them, so
        # `extract` can show where and when an unrecognised figure is about.
        mapped.region_id, mapped.region_basis = region_id, region_basis
        mapped.year, mapped.year_basis, year_pos = self._year(
            m, ctx, clause, sentence, titles, year_mentions, publication_year, mapped.notes
        )
        if mapped.year_basis in ("range_start", "range_end") and year_pos is not None:
            item_year = _range_item_year(text, year_pos, m.cstart, list_pos[idx], self.respective_words)
            if item_year is not None:
                mapped.year, mapped.year_basis = item_year, "range_item"
        elif mapped.year_basis == "stated" and list_pos[idx][1] > 1:
            item_year = _year_list_item(
                text, sentence[0], m.cstart, list_pos[idx], year_mentions, self.respective_words
            )
            if item_year is not None:
                mapped.year, mapped.year_basis = item_year, "range_item"
        mapped.subject = self._subject(ctx, m, sentence, recent)
        named_items = self._named_list_items(text, sentence, m, list_pos[idx]) if list_pos[idx][1] > 1 else None
        if named_items is not None and mapped.subject is not None:
            mapped.subject = replace(mapped.subject, text=named_items[0], phrase=named_items[1], inherited=False)
        elif list_pos[idx][1] == 2 and mapped.subject is not None:
            # the second figure inherits the first's subject: split the pair's subject once
            joint = list_subjects.setdefault(idx - list_pos[idx][0], mapped.subject)
            mapped.subject = self._list_item_subject(text, clause, m, joint, list_pos[idx][0])
        if in_title:
            mapped.reason = Reason.IN_TITLE.value
            return
        if self._aspiration(text, clause, m, ctx.target_spans):
            mapped.reason = Reason.TARGET.value
            return
        related = self._related(m, ctx, clause, sentence, recent, list_pos[idx])
        implied_unit = ""
        period = self._period(ctx, m, sentence, list_pos[idx])
        if related is not None:
            mapped.indicator_id, mapped.rule_id, kw_pos = related
            # 一季度…14968.97亿元，同比增长5.0%: the growth of the quarter the sentence names
            mapped.indicator_id = self._of_quarter(mapped.indicator_id, period)
            mapped.indicator_id, why = self._over_years(mapped.indicator_id, text, clause, m, mapped.year)
            if not mapped.indicator_id:
                mapped.reason = why
                return
        else:
            rule, kw_pos = self._best_rule(m, ctx, seg, clause, sentence, region_id, period, list_pos[idx])
            if (
                rule is not None
                and not (named_items and rule.id in self.rule_positions)
                and (
                    self._own_subject_differs(text, rule, kw_pos, seg, mapped.subject)
                    or self._modified_keyword(text, rule, kw_pos, mapped.subject, m.base_unit)
                    or self._verb_rule_names_another(text, rule, kw_pos, mapped.subject, m.base_unit)
                )
            ):
                # A keyword from earlier in the sentence does not reach a figure whose own
                # words name something else (研发投入强度7.4%，研发人员数量占比25.5%).
                rule, kw_pos = None, None
            if rule is None:
                named = self._named_indicator(text, clause, m, mapped.subject, period)
                if named is None:
                    named = self._compound_indicator(ctx, m, mapped.subject, sentence, recent, period)
                if (
                    named is not None
                    and any(
                        o.indicator_id == named
                        and o.mention.cstart >= clause[0]
                        and o.region_id == region_id
                        and o.year == mapped.year  # 2020年、2021年…分别为: one per year
                        and not any(w in text[o.mention.cend : m.cstart] for w in self.to_words)  # 从X增长到Y
                        for o in recent
                    )
                ):
                    # A second figure of the same indicator in one clause is its
                    # condition (超九成的企业…比重高于95%), not another measurement.
                    named = None
                if named is None:
                    mapped.reason = Reason.NO_INDICATOR.value
                    return
                rule = Rule(id="subject_names_indicator", indicator=named, base_units=(m.base_unit,), keywords=())
                if m.base_unit == "none" and self.indicator_unit.get(named) == "CNY":
                    implied_unit = "元"
            by_position = self.rule_positions.get(rule.id)
            indicator = by_position[list_pos[idx][0]] if by_position else rule.indicator
            indicator = self._of_quarter(indicator, period)
            if self.net_words and any(w in text[clause[0] : m.cstart] for w in self.net_words):
                # 高新技术企业总数净增682家: the change of the count, not the count
                change = self.subjects.change_id.get(indicator)
                if change and self.subjects.base.get(change) == self.subjects.base.get(indicator):
                    indicator = change
            batch = self.subjects.batch_id.get(indicator)
            if (
                batch
                and self.batch_re
                and (
                    self.batch_re.search(text, sentence[0], m.cstart)
                    or self.batch_re.search(text, m.cend, clause[1])  # 109家企业新入围第五批
                    or (mapped.subject and self.batch_re.search(mapped.subject.text or ""))
                )
            ):
                # 第六批…名单公示，共有3012家企业上榜: the firms named in one batch, not all
                indicator = batch
            indicator, why = self._over_years(indicator, text, clause, m, mapped.year)
            if not indicator:
                mapped.reason = why
                return
            mapped.indicator_id = self._currency_variant(indicator, m.base_unit)
            mapped.rule_id = rule.id
            implied_unit = rule.implied_unit or implied_unit
            if rule.id in self.rule_own_region:
                # A count or threshold over a class of places (超千亿元的省有12个)
                # describes the text's own region, not a place named nearby.
                region_id, region_basis = default_region or "china", "rule"
                mapped.region_id, mapped.region_basis = region_id, region_basis
        mapped.keyword_cpos = kw_pos
        mapped.context_cpos = [
            p for p in (kw_pos, region_pos, year_pos) if p is not None and sentence[0] <= p < sentence[1]
        ]
        if related is None and implied_unit and m.base_unit == "none":
            mapped.notes.append(f"unit {implied_unit} implied by the indicator, not stated")
        mapped.quote_cspan = self._quote(ctx, m, sentence, mapped.context_cpos)

    def _of_quarter(self, indicator: str | None, period: str, keep: bool = True) -> str | None:
        """The catalogue's indicator for the quarter a figure covers (quarter_ids), else the
        indicator itself (keep) or None."""
        quarter = self.quarter_ids.get(indicator or "", {}).get(period)
        return quarter or (indicator if keep else None)

    def _place_bracket_figure(self, ctx: Context, mapped: Mapped, earlier: list[Mapped]) -> None:
        """分别为青岛(58.99)、济南(48.92): a figure in brackets after a place name, naming
        nothing itself, measures what the figure before it in its sentence (or the sentence
        before) measures (全省每万人口发明专利拥有量为18.65件; 超过100亿元的地区)."""
        text = ctx.text
        m = mapped.mention
        if mapped.indicator_id or mapped.reason in (Reason.TARGET, Reason.IN_TITLE) or m.kind not in MAPPABLE_KINDS:
            return
        if not self._after_place_bracket(text, m):
            return
        back = ctx.previous_sentences(m.cstart, 1)
        lo = back[-1][0] if back else ctx.sentence(m.cstart)[0]
        for o in reversed(earlier):
            om = o.mention
            if om.cstart < lo:
                break
            if (
                not o.indicator_id
                or o.subject is None
                or not o.subject.text
                or om.base_unit in _PLACE_COUNTS
                or (m.base_unit != "none" and om.base_unit != m.base_unit)
                or self._after_place_bracket(text, om)
            ):
                continue
            found = self.subjects.indicator(o.subject, om.base_unit)
            if found is None:
                break  # the nearest figure names nothing the catalogue has: no guess further back
            mapped.indicator_id, mapped.rule_id, mapped.reason = found, "place_bracket", ""
            mapped.subject = replace(o.subject, inherited=True)
            mapped.notes.append(f"measures what {om.text} measures: the figure before it names it")
            if m.base_unit == "none" and om.unit:
                mapped.notes.append(f"unit {om.unit} implied by that figure, not stated")
            break

    def _after_place_bracket(self, text: str, m: Mention) -> bool:
        """The mention opens a bracket right after a place name (青岛(58.99))."""
        if m.cstart == 0 or text[m.cstart - 1] not in "(（" or text[m.cend : m.cend + 1] not in ")）":
            return False
        for n in range(2, 9):
            at = m.cstart - 1 - n
            if at < 0:
                break
            hit = self.alias_re.match(text, at, m.cstart - 1)
            if hit is not None and hit.stop == m.cstart - 1:
                return True
        return False

    def _named_list_items(self, text: str, sentence, m: Mention, position: tuple[int, int]) -> tuple[str, str] | None:
        """(the item's own words, the words to map) for the k-th of n figures after 分别 when
        the words before 分别 list n items (装备制造业、冶金工业、农产品加工业增加值分别增长4.5%、
        7.2%、4.4%): each figure measures its item, with the tail the last item shares
        (增加值) for mapping. None when the items and figures do not pair up."""
        k, n = position
        at = max((text.rfind(w, sentence[0], m.cstart) for w in self.respective_words), default=-1)
        if at == -1 or _CLAUSE_MARK.search(text, at, m.cstart):
            return None  # 分别 of another clause
        start = max(text.rfind(ch, sentence[0], at) for ch in _ITEM_LIST_END) + 1
        head = self.subjects.drop_re.sub("", text[max(start, sentence[0]) : at])
        head = self.subjects.head_re.sub("", head, count=1)  # the pattern is anchored at the start
        parts = [p for p in _ITEM_SEP.split(head) if p]
        if len(parts) != n or any(len(p) < 2 for p in parts):
            return None
        if any((hit := self.alias_re.match(p)) is not None and hit.stop == len(p) for p in parts):
            return None  # 宁波、深圳分别以182家、170家: places, each the region of its figure
        if n == 2 and "、" not in head:
            return None  # 城镇和农村居民人均可支配收入: a pair sharing words (_list_item_subject)
        own = parts[k]
        last = parts[-1]
        tail = next((t for t in self.list_shared_tails if last.endswith(t) and len(last) > len(t) + 1), "")
        if tail and not any(p.endswith(tail) for p in parts[:-1]):
            return own, own if own.endswith(tail) else own + tail
        return own, own

    def _list_item_subject(self, text: str, clause, m: Mention, subject: Subject, position: int) -> Subject:
        """城镇居民和农村居民人均可支配收入分别增长5.2%、7.6%; 一般公共预算收入和支出分别为
        3000亿元、5000亿元: two subjects joined by 和 share their common words, and each of
        the two figures after 分别 measures its own."""
        words = subject.text
        if not words or not any(w in text[clause[0] : m.cstart] for w in self.respective_words):
            return subject
        parts = [p for p in re.split("[和与及]", words) if p]
        pair = next((w for w in self.pair_words if w in words), None) if len(parts) == 1 else None
        if pair is not None and position < len(self.pair_words[pair]):
            # 城乡居民人均可支配收入分别增长5%和7.5%: town dwellers', then country dwellers'
            own = words.replace(pair, self.pair_words[pair][position])
            return replace(subject, text=own, phrase=own)
        if len(parts) != 2:
            return subject
        first, second = parts
        if len(first) < len(second):  # 城镇居民 | 农村居民人均可支配收入: a shared tail
            items = (first + second[len(first) :], second)
        elif len(first) > len(second):  # 一般公共预算收入 | 支出: a shared head
            items = (first, first[: len(first) - len(second)] + second)
        else:
            items = (first, second)
        return replace(subject, text=items[position], phrase=items[position])

    def _over_years(self, indicator: str, text: str, clause, m: Mention, year: int | None) -> tuple[str, str]:
        """年均增长7.1%, 较2020年增长48%: not the year's growth but the catalogue's average
        or cumulative growth (avg_id, cumulative_id), or no indicator when it has none."""
        if indicator not in self.subjects.avg_id:
            return indicator, ""
        kind = self._growth_period(text, clause, m, year)
        if not kind:
            return indicator, ""
        links = self.subjects.avg_id if kind == "avg" else self.subjects.cumulative_id
        over = links.get(indicator) or ""
        return over, "" if over else f"a growth over several years ({kind}); no catalogue indicator for it"

    def _growth_period(self, text: str, clause, m: Mention, year: int | None) -> str:
        """'avg' for an average annual growth (年均增长), 'cumulative' for growth since a year
        before last or a plan's end (较2020年增长48%, 较“十三五”末增长42%), else ''."""
        left = text[clause[0] : m.cstart]
        if any(w in left for w in self.average_growth_words):
            return "avg"
        base = self.cumulative_base_re.search(left) if self.cumulative_base_re else None
        if base is None:
            return ""
        since = base.group("year")
        if since is None or (year is not None and year - int(since) >= 2):
            return "cumulative"
        return ""

    def _subject(self, ctx: Context, m: Mention, sentence: tuple[int, int], earlier: list[Mapped]) -> Subject:
        """Read back to the figure before it in the sentence (years and dates are words of
        the subject's stretch, stripped by the grammar, not boundaries). A figure whose words
        name nothing takes the subject of the last figure before it in its sentence, or, in
        elliptical prose (a list of cities and counts after the sentence that says what is
        counted), within the sentences before it."""
        start, previous, in_context, in_context_pos = sentence[0], None, None, -1
        back = ctx.previous_sentences(m.cstart, self.subject_context_sentences)
        reach = back[-1][0] if back else sentence[0]
        for prev in reversed(earlier):
            if prev.mention.cstart < reach:
                break
            if prev.mention.kind not in MAPPABLE_KINDS:
                continue
            same_sentence = prev.mention.cstart >= sentence[0]
            if same_sentence and start == sentence[0]:
                start = max(start, prev.mention.cend)
            if prev.subject and prev.subject.text:
                if same_sentence:
                    previous = prev.subject
                in_context, in_context_pos = prev.subject, prev.mention.cstart
                break
        if previous is None and m.kind == "rank":
            previous = in_context  # a ranking told place by place: 广东保持第1位。江苏居第2位
        k = bisect_right(ctx.heading_ends, m.cstart)
        if k and ctx.heading_ends[k - 1] > start:
            start = ctx.heading_ends[k - 1]  # 二、工业 / 地区生产总值…: the heading is not a word of it
        subject = self.subjects.read(ctx.text, m, start, previous)
        if previous is None and in_context is not None and subject.phrase.startswith(self.subjects.share_of):
            # 基础研究经费支出为2497亿元…，比R&D经费增速快2.2个百分点；占R&D经费比重为6.91%:
            # the share of the thing named before the semicolon (not of a comparison's words)
            joined = ctx.joined_sentence_start(sentence[0])
            owner = next(
                (
                    prev.subject
                    for prev in reversed(earlier)
                    if prev.mention.cstart >= joined
                    and prev.subject
                    and len(prev.subject.text) >= 2
                    and not prev.subject.text.startswith(self.comparison_words)
                ),
                None,
            )
            if owner is not None:
                return Subject(owner.text, subject.measure, inherited=True, phrase=owner.text + subject.phrase)
        if not subject.text and in_context is not None:
            # 西安以1648.56亿元的输出技术成交额位居全国第三；2021年达2209.49亿元: across a
            # semicolon the sentence goes on, and its subject with it.
            joined = in_context_pos >= ctx.joined_sentence_start(sentence[0])
            return Subject(
                in_context.text, subject.measure, inherited=True, phrase=in_context.phrase, context=not joined
            )
        return subject

    def _own_subject_differs(
        self, text: str, rule: Rule, kw_pos: int | None, seg: tuple[int, int, int, int], subject: Subject | None
    ) -> bool:
        if kw_pos is None or kw_pos >= seg[0] or subject is None or subject.inherited or subject.after:
            return False
        words = subject.phrase or subject.text
        if len(words) < self.own_subject_min or subject.measure in ("change", "multiple"):
            return False
        keyword = _keyword_at(text, rule, kw_pos)
        norm = self.subjects.normalise
        return bool(keyword) and norm(keyword) not in norm(words) and keyword not in words

    def _modified_keyword(
        self, text: str, rule: Rule, kw_pos: int | None, subject: Subject | None, base_unit: str
    ) -> bool:
        """城镇常住人口 is not 常住人口, 规模以上工业企业研发经费 not all R&D spending: a
        modifier before the rule's name for its indicator (its keyword, or for a rule keyed on a
        verb its required word) in the figure's own subject makes it another measure, unless the
        catalogue knows the whole subject as the rule's indicator."""
        if kw_pos is None or subject is None or subject.context:
            return False  # (a subject inherited in the sentence is the thing measured: 规上…60亿元，增长11%)
        keyword = _keyword_at(text, rule, kw_pos)
        words = subject.text
        if subject.after:
            # 7家企业入选全省高新技术企业百强: members of a ranking list, not the keyword's count
            return bool(keyword) and any(
                words.startswith(self.ranking_lists, j + len(keyword)) for j in _find_all(words, keyword)
            )
        for name in (self.subjects.core(keyword) if keyword else "", *rule.require):  # 出口增长 names 出口
            if not name or not self.subjects.is_name(name):
                continue  # a fragment (授权量) is meant to be read inside longer names
            i = words.rfind(name)
            if i >= 0 and words[i + len(name) :].startswith(self.ranking_lists):
                return True  # 7家企业入选全省高新技术企业百强: members of a ranking list, not the count
            if i <= 0:
                continue
            prefix = words[:i].rstrip("的")
            named = self.alias_re.match(prefix)
            if named:
                prefix = prefix[named.end() :]  # 昆山市有效高企数: the place is not a modifier
            if 2 <= len(prefix) <= self.modifier_max:
                own = self.subjects.indicator(subject, base_unit)
                if any(w in prefix for w in self.modifier_words):
                    return own != rule.indicator
                # 高价值发明专利拥有量: the whole subject is another indicator's name
                return own is not None and own != rule.indicator
            return False  # a long run before the name is a heading or a clause, not a modifier
        return False

    def _verb_rule_names_another(
        self, text: str, rule: Rule, kw_pos: int | None, subject: Subject | None, base_unit: str
    ) -> bool:
        """高新技术产业增加值增长10.2%，高于全省GDP…: a rule keyed on a verb (增长) with the
        indicator's name only required somewhere in the sentence does not take a figure whose
        own subject names another catalogue indicator."""
        if kw_pos is None or not rule.require or subject is None or rule.id in self.rule_positions:
            return False  # (a rule for the terms of a list names each term by its place)
        if subject.after or subject.context:
            return False  # (inherited in its sentence, the subject is what the figure measures)
        keyword = _keyword_at(text, rule, kw_pos)
        if not keyword or self.subjects.core(keyword):
            return False  # the keyword names the thing itself
        words = subject.phrase or subject.text
        norm = self.subjects.normalise
        if any(norm(w) in norm(words) or w in words for w in rule.require):
            return False
        other = self.subjects.indicator(subject, base_unit)
        return other is not None and other != rule.indicator  # the catalogue knows what it is instead

    def _compound_indicator(
        self,
        ctx: Context,
        m: Mention,
        subject: Subject | None,
        sentence: tuple[int, int],
        earlier: list[Mapped],
        period: str,
    ) -> str | None:
        """全国共登记技术合同772507项，成交金额47791.02亿元: a short subject that names no
        indicator is read after the subject of the figure before it in the sentence
        (技术合同 + 成交金额)."""
        if subject is None or subject.inherited or subject.context or period not in ("", "year"):
            return None
        if not 2 <= len(subject.text) <= self.compound_max:
            return None
        reach = ctx.joined_sentence_start(sentence[0])  # …达106552项；成交额达8536.9亿元
        for prev in reversed(earlier):
            if prev.mention.cstart < reach:
                return None
            if prev.mention.kind in MAPPABLE_KINDS and prev.subject is not None and prev.subject.text:
                if subject.text.startswith(prev.subject.text):
                    return None
                joined = Subject(
                    prev.subject.text + subject.text, subject.measure, phrase=prev.subject.text + subject.text
                )
                return self.subjects.indicator(joined, m.base_unit)
        return None

    def _named_indicator(self, text: str, clause, m: Mention, subject: Subject | None, period: str) -> str | None:
        """The catalogue indicator the figure's subject names, when no rule matched. A
        figure of a quarter or a year-to-date is not the year's indicator."""
        if subject is None or subject.context or not (subject.text or subject.phrase):
            return None
        left = text[clause[0] : m.cstart]
        field = next((f for f in ("世界", "全球", "全国", "全省", "全市") if f in left), "")
        found = self.subjects.indicator(subject, m.base_unit, field.replace("全球", "世界"))
        if found is None and m.base_unit == "none" and m.unit in self.money_scales:
            # 研发经费投入总量突破70亿: a bare 亿 after the name of an amount in yuan.
            found = self.subjects.indicator(subject, "CNY", field.replace("全球", "世界"))
        if period not in ("", "year") and found not in self.same_period_ids:
            # 1-2月份…: the year's indicator only when it is defined on 同期 too; 一季度: the quarter's
            return self._of_quarter(found, period, keep=False)
        return found

    @staticmethod
    def _list_positions(mentions: list[Mention], ctx: Context) -> list[tuple[int, int]]:
        """(position, length) of each figure in its list: figures of one unit joined only by
        list separators (4.2%、5.0%和6.7%; 2.8:41.1:56.1). A figure alone is (0, 1)."""
        text = ctx.text
        pos = [0] * len(mentions)
        for i in range(1, len(mentions)):
            a, b = mentions[i - 1], mentions[i]
            if (
                a.kind == b.kind == "figure"
                and a.base_unit == b.base_unit
                and all(c in _TERM_SEP for c in text[a.cend : b.cstart])
            ):
                pos[i] = pos[i - 1] + 1
        out = [(0, 1)] * len(mentions)
        i = len(mentions) - 1
        while i >= 0:
            length = pos[i] + 1
            for j in range(i - pos[i], i + 1):
                out[j] = (pos[j], length)
            i -= length
        return out

    def _aspiration(self, text: str, clause: tuple[int, int], m: Mention, targets=()) -> bool:
        """早日突破1万亿元, 力争达到…, or any figure under a heading of targets (2025年主要预期
        目标): a target or a hope, not a measurement of any year."""
        left = text[clause[0] : m.cstart]
        return any(w in left for w in self.aspiration_words) or _inside(m.cstart, targets)

    def _target_sections(self, compact: CompactText) -> list[tuple[int, int]]:
        """From a heading line that announces targets to the next heading-like line."""
        if self.target_heading_re is None:
            return []
        original = compact.original
        spans = []
        for mt in self.target_heading_re.finditer(original):
            nxt = self.next_heading_re.search(original, mt.end()) if self.next_heading_re else None
            end = nxt.start() if nxt else len(original)
            spans.append((compact.to_compact(mt.end()), compact.to_compact(end)))
        return spans

    def _related(
        self,
        m: Mention,
        ctx: Context,
        clause: tuple[int, int],
        sentence: tuple[int, int],
        earlier: list[Mapped],
        list_item: tuple[int, int] = (0, 1),
    ) -> tuple[str, str, int] | None:
        """A bare change right after a figure is a change of that figure: "45.5万亿元，同比
        增长16.2%" is the growth of what 45.5万亿元 measures, "增长了11倍" its multiple,
        "比上年提高1.2个百分点" the change of a share. The catalogue says which indicator
        that is (growth_id, times_id, change_of); the nearest earlier figure in the
        sentence that has one wins."""
        left = ctx.text[clause[0] : m.cstart]
        reach = sentence[0]
        respectively = self._respective_change(m, ctx, clause, sentence, earlier, list_item)
        if respectively is not None:
            return respectively
        anaphor = self.anaphora_re.match(left) if self.anaphora_re is not None else None
        if anaphor is not None and clause[0] == sentence[0]:
            # 这一数字相比上年增加了2465.7亿元: the figure the sentence before ended with.
            left = left[anaphor.end() :]
            reach = ctx.sentence(sentence[0] - 1)[0] if sentence[0] > 0 else 0
        share = self.share_phrase_re is not None and m.base_unit == "percent" and self.share_phrase_re.fullmatch(left)
        if not share and not self.change_phrase.fullmatch(left) and not (m.word in self.change_words and not left):
            return None
        for prev in reversed(earlier):
            if prev.mention.cstart < reach:
                break
            iid = prev.indicator_id
            if not iid:
                own = prev.subject is not None and prev.subject.text and not prev.subject.inherited
                if prev.mention.kind == "figure" and own and prev.reason == Reason.NO_INDICATOR:
                    return None  # 规上工业企业研发经费60亿元，增长11%: the growth of that unmapped figure
                continue
            related = (
                self.subjects.share_id.get(iid) if share else self._related_indicator(m.base_unit, iid, "增速" in left)
            )
            if related:
                return related, f"change_of_previous:{iid}", prev.mention.cstart
        return None

    def _respective_change(
        self,
        m: Mention,
        ctx: Context,
        clause: tuple[int, int],
        sentence: tuple[int, int],
        earlier: list[Mapped],
        list_item: tuple[int, int],
    ) -> tuple[str, str, int] | None:
        """登记技术合同16320项，成交金额214亿元，较上一年分别增长49.14%和16.61%: the k-th
        change after 分别 is the change of the k-th of as many figures before its clause."""
        position, length = list_item
        if length < 2 or position >= len(earlier) + 1:
            return None
        first = m if position == 0 else earlier[-position].mention
        left = ctx.text[clause[0] : first.cstart]
        if not any(w in left for w in self.respective_words):
            return None
        bare = left
        for word in self.respective_words:
            bare = bare.replace(word, "")
        if not self.change_phrase.fullmatch(bare):
            return None
        figures = [
            o
            for o in earlier[: len(earlier) - position]
            if o.mention.kind == "figure" and sentence[0] <= o.mention.cstart < clause[0]
        ]
        if len(figures) < length:
            return None
        target = figures[-length:][position]
        if not target.indicator_id:
            return None
        related = self._related_indicator(m.base_unit, target.indicator_id, "增速" in left)
        return (related, f"change_of_previous:{target.indicator_id}", target.mention.cstart) if related else None

    def _related_indicator(self, base_unit: str, level_id: str, of_growth: bool) -> str | None:
        links = self.subjects
        level_base = links.base.get(level_id)
        if base_unit == "times":
            return links.times_id.get(level_id)
        if base_unit == "pp" or (base_unit == "percent" and level_base == "percent"):
            if of_growth:  # 增速比上年加快2.2个百分点: a change of the growth rate
                return links.change_id.get(links.growth_id.get(level_id, ""))
            return links.change_id.get(level_id)
        if base_unit == "percent":
            return links.growth_id.get(level_id)
        if base_unit == level_base:
            return links.change_id.get(level_id)
        return None

    @staticmethod
    def _quote(
        ctx: Context, m: Mention, sentence: tuple[int, int], context: list[int], max_len: int = 120
    ) -> tuple[int, int]:
        """The sentence that states the figure; a long one is cut to the clauses that matter
        (the number's, and those its indicator, region and year were read from)."""
        text = ctx.text
        start, end = sentence
        if end - start > max_len:
            first = min([m.cstart, *context])
            last = max([m.cend - 1, *context])
            start = max(start, ctx.clause(first)[0])
            end = min(end, ctx.clause(last)[1])
        if end - start > QUOTE_MAX_CHARS:
            # the clauses within half the cap of the number (its own clause always): the
            # whole sentence stays recoverable from the number's offsets
            own_start, own_end = ctx.clause(m.cstart)
            half = QUOTE_MAX_CHARS // 2
            ends = ctx.clause_ends
            k = bisect_left(ends, m.cstart - half)
            start = max(start, min(ends[k] if k < len(ends) else own_start, own_start))
            k = bisect_right(ends, m.cend + half)
            end = min(end, max(ends[k - 1] if k else own_end, own_end, m.cend))
        while start < end and text[start] in " ，,：:。；;":
            start += 1
        while end > start and text[end - 1] in " ":
            end -= 1
        return start, end
