"""From numbers to observations: which indicator, region and year each figure states.

The decisions are driven by rules.yaml and the region aliases; this module only knows
the shape of a Chinese sentence: sentences end at 。！？；, clauses at ，：, a figure's
own words stand between it and its neighbours, and lists pair with 分别.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from loaders.errors import BuildError
from loaders.extractor.budget import Deadline
from loaders.extractor.engine import FigureEngine, _Document
from loaders.extractor.indicator import IndicatorDimension
from loaders.extractor.names import NameScanner
from loaders.extractor.patterns import _words_re
from loaders.extractor.period import PeriodDimension
from loaders.extractor.quote import QuoteStep
from loaders.extractor.records import Mapped, Reason
from loaders.extractor.region import RegionDimension
from loaders.extractor.stream import MentionWindow, survey
from loaders.extractor.subject import SubjectDimension
from loaders.extractor.text import RECENT_FIGURES, Context, SpanIndex
from loaders.extractor.year import YearDimension
from loaders.numbers import CompactText, Lexicon, iter_mentions
from loaders.reference import Reference, Rule
from loaders.subject import SubjectReader

__all__ = ["Mapped", "Mapper", "NameScanner", "Reason"]  # re-exported: loaders/extract.py, tests


class Mapper(
    FigureEngine, PeriodDimension, IndicatorDimension, RegionDimension, YearDimension, SubjectDimension, QuoteStep
):
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
        """Tables for the sentence patterns of statistical prose, all read from rules.yaml,
        grouped by the dimension that reads them."""
        raw = {str(r["id"]): r for r in rules["indicator_rules"]}
        self._init_rule_tables(rules, raw)
        self._init_region_tables(rules, raw)
        self._init_year_tables(rules)
        self._init_period_tables(rules)
        self._init_subject_tables(rules)
        self._init_indicator_tables(rules)

    def _init_rule_tables(self, rules: dict, raw: dict[str, dict]) -> None:
        """What single keyword rules say beyond the Rule record: their period, whether they
        reach into earlier sentences, the indicators of a list's terms, and the words that
        veto a keyword (每万人口发明专利拥有量 is a density; 出口 in 进出口)."""
        self.rule_period = {rid: str(r.get("period", "")) for rid, r in raw.items()}
        self.rule_context = {rid for rid, r in raw.items() if r.get("context")}
        self.context_sentences = int(rules.get("context_sentences", 2))
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
        self.rule_exclude_before = {
            rid: tuple(str(w) for w in r["exclude_before"]) for rid, r in raw.items() if r.get("exclude_before")
        }
        self.rule_not_inside = {
            rid: tuple(str(w) for w in r["not_inside"]) for rid, r in raw.items() if r.get("not_inside")
        }
        self.keyword_names_other = tuple(str(w) for w in rules.get("keyword_names_another_measure", []))

    def _init_region_tables(self, rules: dict, raw: dict[str, dict]) -> None:
        """The words that make a named place a field, a market or a yardstick instead of
        the region a figure describes, and the rules whose figures are the text's own."""
        self.field_words = tuple(rules.get("region_field_words", []))
        self.field_after = tuple(rules.get("region_field_after", []))
        market = rules.get("region_field_market")
        self.field_market_re = re.compile(market) if market else None
        # 2家全国重点实验室: a broad word right after a count's counter names a class of the things counted
        counters = "".join(
            sorted({str(c) for c in rules.get("subject", {}).get("right_counters", []) if len(str(c)) == 1})
        )
        self.counted_before_re = re.compile(rf"[0-9一二两三四五六七八九十百千万][{counters}]$") if counters else None
        self.list_gap_max = int(rules.get("region_list_gap_max", 0))
        self.rule_own_region = {rid for rid, r in raw.items() if r.get("region") == "source"}
        self.region_not_subject_before = tuple(rules.get("region_not_subject_before", []))
        self.region_not_subject_after = tuple(rules.get("region_not_subject_after", []))
        self.region_subject_after = tuple(rules.get("region_subject_after", []))
        self.relative_not_subject_before = tuple(rules.get("relative_region_not_subject_before", []))
        self.rank_scope_gap = re.compile(rules.get("rank_scope_gap", r"(?!x)x"))
        self.respective_words = tuple(str(w) for w in rules.get("respective_words", ["分别", "依次"]))

    def _init_year_tables(self, rules: dict) -> None:
        """The words and layouts a figure's year is read from: relative years (上年), a
        review's cues, the months a report on last year appears in, datelines, headings."""
        self.year_context_sentences = int(rules.get("year_context_sentences", 2))
        heading = rules.get("section_heading_pattern")
        self.heading_re = re.compile(heading, re.MULTILINE) if heading else None
        self.headline_max = int(rules.get("headline_max_chars", 0))
        self.since_ends_alone = tuple(rules.get("since_ends_alone", []))
        # 自2019年工信部启动…以来: the span's end word may come later in the clause.
        ends = "|".join(re.escape(w) for w in rules.get("since_ends_later", ["以来"]))
        self.since_later_re = re.compile(rf"[^，,。；;！？]{{0,40}}?(?:{ends})")
        self.review_cues = _cues_with_digits(rules.get("review_year_cues", []))
        self.last_full_year_months = frozenset(int(x) for x in rules.get("last_full_year_months", []))
        self.comparison_words = tuple(rules.get("comparison_words", []))
        rel_years = {str(k): int(v) for k, v in (rules.get("relative_years") or {}).items()}
        self.relative_years = rel_years
        self.relative_year_re = re.compile(_words_re(rel_years)) if rel_years else None
        self.last_year_words = tuple(w for w, back in rel_years.items() if back == -1)  # 上年, 去年
        self.full_year_words = tuple(str(w) for w in rules.get("full_year_words", []))
        # 本年, 上年: a statistical report's words, counted from the year it reports on
        self.report_relative = frozenset(str(w) for w in rules.get("report_relative_years", []))
        dateline = rules.get("dateline_pattern")
        self.dateline_re = re.compile(dateline) if dateline else None
        target_heading = rules.get("target_heading_pattern")
        self.target_heading_re = re.compile(target_heading, re.MULTILINE) if target_heading else None
        next_heading = rules.get("next_heading_pattern")
        self.next_heading_re = re.compile(next_heading, re.MULTILINE) if next_heading else None
        self.aspiration_words = tuple(rules.get("aspiration_words", []))

    def _init_period_tables(self, rules: dict) -> None:
        """The period words (一季度, 1—10月) as one scan, and the growth rates that a
        quarter's or a year-to-date figure also belongs to."""
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
        self.average_growth_words = tuple(rules.get("average_growth_words", []))
        cumulative = rules.get("cumulative_base_pattern")
        self.cumulative_base_re = re.compile(cumulative) if cumulative else None

    def _init_subject_tables(self, rules: dict) -> None:
        """How far a figure's own words reach and which words modify or share them."""
        self.own_subject_min = int((rules.get("subject") or {}).get("own_subject_min_chars", 4))
        self.subject_context_sentences = int((rules.get("subject") or {}).get("context_sentences", 3))
        self.list_shared_tails = sorted((str(w) for w in rules.get("list_shared_tails", [])), key=len, reverse=True)
        self.modifier_max = int(rules.get("modifier_max_chars", 6))
        self.money_scales = frozenset(str(w) for w in rules.get("money_scale_words", []))
        self.compound_max = int(rules.get("compound_subject_max_chars", 6))
        anaphora = rules.get("anaphora_pattern")
        self.anaphora_re = re.compile(anaphora) if anaphora else None
        self.modifier_words = tuple(rules.get("modifier_words", []))

    def _init_indicator_tables(self, rules: dict) -> None:
        """The words that turn an indicator into another: the field it is taken over (全国
        in 全国技术合同成交额), a batch, a net change, a share, a change of a multiple."""
        # 全国 in 全国技术合同成交额: the field an indicator is taken over (世界 = 全球)
        self.indicator_field_words = tuple(str(w) for w in rules.get("indicator_field_words", []))
        self.indicator_field_same = {str(k): str(v) for k, v in (rules.get("indicator_field_same") or {}).items()}
        batch = rules.get("batch_pattern")
        self.batch_re = re.compile(batch) if batch else None
        self.change_phrase = re.compile(rules.get("change_phrase", r"(?!x)x"))
        self.net_words = tuple(rules.get("net_change_words", []))
        share_phrase = rules.get("share_phrase")
        self.share_phrase_re = re.compile(share_phrase) if share_phrase else None
        self.ranking_lists = tuple(rules.get("ranking_list_words", []))
        self.change_words = {w for w, (_, unit, _) in self.lex.word_figures.items() if unit == "倍"}

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
        ctx.is_review = self.review_cues is not None and self.review_cues.search(text) is not None
        ctx.reports_last_year = self._reports_last_year(text, publication_month)
        ctx.target_spans = SpanIndex(self._target_sections(compact))
        deadline = deadline or Deadline(None)
        # Two passes over the numbers: the first keeps what a figure may ask of the whole
        # text (its years, list positions) in compact form, the second is mapped through a
        # window; neither holds every Mention of a long text.
        found = survey(iter_mentions(compact, self.lex, deadline), text)
        mentions = MentionWindow(iter_mentions(compact, self.lex, deadline), found.count)
        ctx.opens_with_date = found.opens_with_date
        stated_years = found.stated_years
        report_year = self._report_year(ctx, stated_years, publication_year) if self.report_relative else None
        if report_year is None and ctx.reports_last_year and publication_year is not None:
            report_year = publication_year - 1  # a communiqué out in spring reports on last year
        relative = self._relative_years(text, publication_year, report_year)
        ctx.relative_starts = {a for a, _, _ in relative}
        ctx.same_period_starts = {a for a, b, _ in relative if text.startswith("同期", b)}
        year_mentions = sorted(stated_years + relative)
        doc = _Document(mentions, found.list_pos, year_mentions)
        doc.default_region, doc.publication_year = default_region, publication_year
        window: list[Mapped] = []  # the figures no later decision looks back at are handed on
        first = 0  # the index of window[0]
        for idx in range(len(mentions)):
            mapped = Mapped(mention=mentions[idx])
            recent = window[-RECENT_FIGURES:]  # the figures before it that its decisions may look at
            window.append(mapped)
            deadline.check(idx)
            self._map_figure(ctx, doc, idx, mapped, recent)
            mentions.forget_before(idx)
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


_SMALL_NUMERALS = {"一": "1", "二": "2", "三": "3", "五": "5", "十": "10"}


def _cues_with_digits(cues: list[str]) -> re.Pattern | None:
    """Cue words whose numerals may also be written in digits: 十年来 is 10年来, 过去五年 过去5年
    (a text writes either; the word list names each cue once)."""
    if not cues:
        return None
    alternatives = []
    for cue in sorted(cues, key=len, reverse=True):
        parts = [f"(?:{re.escape(ch)}|{_SMALL_NUMERALS[ch]})" if ch in _SMALL_NUMERALS else re.escape(ch) for ch in cue]
        alternatives.append("".join(parts))
    return re.compile("|".join(alternatives))
