"""Indicator: the catalogue indicator a figure measures (keyword rules, a change of the figure before, a place in brackets, a target)."""

from __future__ import annotations

from dataclasses import replace

from loaders.extractor.patterns import (
    _PLACE_COUNTS,
    _find_all,
    _keyword_at,
    _part_of,
)
from loaders.extractor.records import MAPPABLE_KINDS, Mapped, Reason
from loaders.extractor.text import (
    Context,
    _inside,
)
from loaders.numbers import CompactText, Mention
from loaders.reference import Rule
from loaders.subject import Subject


class IndicatorDimension:
    """The indicator methods of the Mapper (loaders/mapping.py), which holds the tables they read."""

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
        """The keyword rule for a figure and where its keyword stands. Of the rules that
        apply, each is scored by its nearest keyword in its narrowest window (own words,
        clause, sentence, earlier sentences); a rule of the figure's period beats a general
        one, then the narrower window, the nearer keyword, the higher priority."""
        back = ctx.previous_sentences(m.cstart, self.context_sentences)
        context_start = back[-1][0] if back else sentence[0]
        best: tuple | None = None
        best_rule: Rule | None = None
        best_pos: int | None = None
        for rule, keywords_in_reach in self._rule_candidates(ctx, m, sentence, context_start):
            if not self._rule_applies(rule, period, region_id, list_pos):
                continue
            for level, a, b, side in self._rule_windows(rule, seg, clause, sentence, context_start):
                if b <= a:
                    continue
                hit = self._nearest_keyword(ctx.text, rule, keywords_in_reach, m, seg, sentence, (level, a, b, side))
                if hit is not None:
                    score = (0 if self.rule_period.get(rule.id, "") else 1, level, hit[0], -rule.priority)
                    if best is None or score < best:
                        best, best_rule, best_pos = score, rule, hit[1]
                    break
        return best_rule, best_pos

    def _rule_candidates(
        self, ctx: Context, m: Mention, sentence: tuple[int, int], context_start: int
    ) -> list[tuple[Rule, tuple[str, ...]]]:
        """The rules for the figure's unit with a keyword in reach, and those keywords in
        the rule's order. Every window a rule reads lies in the sentence (or, for context
        rules, in the sentences before it too): no keyword there, no match. Cached per
        sentence, unit and kind, as the figures of one sentence ask again and again."""
        key = (sentence[0], m.base_unit, m.kind)
        candidates = ctx.rule_candidates.get(key)
        if candidates is not None:
            return candidates
        candidates = []
        sent_text = ctx.text[sentence[0] : sentence[1]]
        context_text = ctx.text[context_start : sentence[1]]
        for rule in self.rules_by_unit.get(m.base_unit, ()):  # ranks: rank or rank_from_bottom
            if m.kind == "figure" and m.base_unit == "rank" and rule.indicator not in self.subjects.change_ids:
                continue  # 上升6位 moves in a ranking: only a rule for the change of a rank
            reach = context_text if rule.id in self.rule_context else sent_text
            if rule.require and not any(w in reach for w in rule.require):
                continue
            keywords = tuple(kw for kw in rule.keywords if kw in reach)
            if keywords:
                candidates.append((rule, keywords))
        ctx.rule_candidates[key] = candidates
        return candidates

    def _rule_applies(self, rule: Rule, period: str, region_id: str, list_pos: tuple[int, int]) -> bool:
        """A rule for one period only meets figures of that period, a rule for some region
        levels only their figures, a rule for the terms of a list only a list's terms."""
        rule_period = self.rule_period.get(rule.id, "")
        if rule_period and rule_period != period:
            return False
        if rule.region_levels and self.level.get(region_id) not in rule.region_levels:
            return False
        positions = self.rule_positions.get(rule.id)
        return not (positions and (list_pos[1] < 2 or list_pos[0] >= len(positions)))

    def _rule_windows(
        self, rule: Rule, seg, clause: tuple[int, int], sentence: tuple[int, int], context_start: int
    ) -> list[tuple[int, int, int, str]]:
        """(level, start, end, side) of the windows a rule reads, narrowest first: the
        figure's own words, the rest of its clause, its sentence before the clause, and for
        context rules the sentences before (elliptical prose: 南昌突破7000亿元 after
        sentences about 地区生产总值)."""
        seg_l0, seg_l1, seg_r0, seg_r1 = seg
        left, right = rule.side in ("left", "any"), rule.side in ("right", "any")
        in_context = rule.id in self.rule_context
        windows = []
        if left:
            windows.append((0, seg_l0, seg_l1, "left"))
        if right:
            windows.append((0, seg_r0, seg_r1, "right"))
        if rule.scope in ("clause", "sentence"):
            if left:
                windows.append((1, clause[0], seg_l0, "left"))
            if right:
                windows.append((1, seg_r1, clause[1], "right"))
        if (rule.scope == "sentence" or in_context) and left:
            # A rule that reaches back into earlier sentences reaches its own sentence first.
            windows.append((2, sentence[0], clause[0], "left"))
        if in_context and left:
            windows.append((3, context_start, sentence[0], "left"))
        return windows

    def _nearest_keyword(
        self, text: str, rule: Rule, keywords, m: Mention, seg, sentence, window: tuple[int, int, int, str]
    ) -> tuple[int, int] | None:
        """(distance, position) of the rule's keyword nearest the figure in one window, or
        None. A keyword is skipped when a word just before it or a longer word around it
        makes it another measure, or when words between it and the number (基础研究 … 投入
        占比) turn it into another figure; across sentences only the figure's own sentence
        can veto it."""
        level, a, b, side = window
        exclude_before = self.rule_exclude_before.get(rule.id)
        not_inside = self.rule_not_inside.get(rule.id)
        found = text[a:b]
        hit = None
        for kw in keywords:
            i = found.rfind(kw) if side == "left" else found.find(kw)
            if i == -1:
                continue
            if exclude_before and any(text.find(w, max(0, a + i - 8), a + i) != -1 for w in exclude_before):
                continue
            if not_inside and _part_of(text, a + i, not_inside):
                continue
            if text.startswith(self.keyword_names_other, a + i + len(kw)):
                continue  # 对经济增长的贡献率: 增长 names a contribution, not a growth rate
            if side == "left":
                kw_end = a + i + len(kw) if level < 3 else sentence[0]
                between, dist = text[kw_end : m.cstart], (b - a) - (i + len(kw))
            else:
                between, dist = text[m.cend : a + i], (a - seg[2]) + i
            if rule.exclude and any(w in between for w in rule.exclude):
                continue
            if hit is None or dist < hit[0]:
                hit = (dist, a + i)
        return hit

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
