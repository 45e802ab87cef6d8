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

from loaders.errors import BuildError
from loaders.extractor.names import NameScanner
from loaders.extractor.patterns import (
    _LIST_SEP,
    _PLACE_COUNTS,
    _TERM_SEP,
    _find_all,
    _keyword_at,
    _part_of,
    _range_item_year,
    _words_re,
    _year_list_item,
)
from loaders.extractor.records import MAPPABLE_KINDS, Mapped, Reason
from loaders.extractor.region import RegionDimension
from loaders.extractor.subject import SubjectDimension
from loaders.extractor.text import (
    QUOTE_MAX_CHARS,
    RECENT_FIGURES,
    Context,
    SpanIndex,
    _Cache,
    _inside,
    _title_spans,
)
from loaders.extractor.year import YearDimension
from loaders.numbers import CompactText, Deadline, Lexicon, Mention, find_mentions
from loaders.reference import Reference, Rule
from loaders.subject import Subject, SubjectReader


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


class Mapper(RegionDimension, YearDimension, SubjectDimension):
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
