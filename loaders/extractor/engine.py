"""The engine: the dimensions run in order over one figure under decision.

number → period → region → year → subject → indicator. Each step reads the Figure record
(loaders/extractor/records.py) the earlier steps filled and records its own Decision
(value, basis, rule, evidence); the dimension modules beside this one hold how each
decision is taken. A step that finds the figure is no measurement (a title, a target,
no indicator) says so in `reason` and the later steps do not run.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace

from loaders.extractor.patterns import _LIST_SEP, LIST_SEPARATORS, _keyword_at, _range_item_year, _year_list_item
from loaders.extractor.records import MAPPABLE_KINDS, Decision, Figure, Mapped, Reason
from loaders.extractor.stream import ListPositions, MentionWindow
from loaders.extractor.text import Context, _Cache, _inside, _title_spans
from loaders.reference import Rule


@dataclass
class _Document:
    """What the figures of one text share while they are mapped one by one."""

    mentions: MentionWindow  # by index, the ones near the figure being mapped
    list_pos: ListPositions  # (position, length) of each figure in its list
    years: list[tuple[int, int, int]]  # (start, end, year) of stated and relative years
    default_region: str | None = None
    publication_year: int | None = None
    list_subjects: _Cache = field(default_factory=_Cache)  # the subject of a pair of figures, by its first
    list_cache: _Cache = field(default_factory=_Cache)  # clause -> the regions listed in it


@functools.cache
def _not_a_figure(kind: str) -> str:
    """The reason of a date, an ordinal …: one string per kind, not one per number (a long
    text has a hundred thousand)."""
    return f"{kind}, not a figure"


class FigureEngine:
    """The per-figure sequence of the Mapper (loaders/mapping.py), which holds the tables
    and mixes in the dimension methods the steps call."""

    def _map_figure(self, ctx: Context, doc: _Document, idx: int, mapped: Mapped, recent: list[Mapped]) -> None:
        """Region, year, subject and indicator of one figure, from its text and the figures
        before it (recent). Region and year do not depend on the indicator: every figure
        gets them, so `extract` can show where and when an unrecognised figure is about."""
        fig = self._number_step(ctx, doc, idx, mapped, recent)
        if fig is None:
            return
        fig.period = self._period(ctx, fig.mention, fig.sentence, fig.list_pos)
        self._region_step(ctx, doc, fig)
        self._year_step(ctx, doc, fig)
        self._subject_step(ctx, doc, fig)
        if self._not_a_measurement(ctx, fig) or not self._indicator_step(ctx, doc, fig):
            return
        self._record_evidence(ctx, fig)

    # ---- number: is it a figure, and where does it stand ---------------------------
    def _number_step(
        self, ctx: Context, doc: _Document, idx: int, mapped: Mapped, recent: list[Mapped]
    ) -> Figure | None:
        """The figure record of a mention that can be mapped; None (with the reason) for a
        date, an ordinal or another kind that states no measurement."""
        m = mapped.mention
        if m.kind not in MAPPABLE_KINDS:
            mapped.reason = _not_a_figure(m.kind)
            return None
        sentence = ctx.sentence(m.cstart)
        clause = ctx.clause(m.cstart)
        titles = _title_spans(ctx.text, sentence[0], sentence[1])
        seg = self._own_words(ctx, doc, idx, clause)
        return Figure(idx, mapped, recent, sentence, clause, titles, seg, doc.list_pos[idx])

    def _own_words(self, ctx: Context, doc: _Document, idx: int, clause: tuple[int, int]) -> tuple[int, int, int, int]:
        """The figure's own words: its clause between the neighbouring figures. An ordinal is
        part of a name (第一产业, 第五批), not a neighbouring figure: the words run across it.
        The walk over ordinals stops at the clause's bounds (mentions do not overlap, so
        the neighbour beyond an ordinal outside the clause is outside it too)."""
        mentions, m = doc.mentions, doc.mentions[idx]
        prev_end = 0
        prev = idx - 1
        while prev >= 0:
            before = mentions[prev]
            if before.kind != "ordinal" or before.cend <= clause[0]:
                prev_end = before.cend if before.kind != "ordinal" else 0
                break
            prev -= 1
        next_start = len(ctx.text)
        nxt = idx + 1
        while nxt < len(mentions):
            after = mentions[nxt]
            if after.kind != "ordinal" or after.cstart >= clause[1]:
                next_start = after.cstart
                break
            nxt += 1
        return (max(clause[0], prev_end), m.cstart, m.cend, min(clause[1], next_start))

    # ---- region -------------------------------------------------------------------
    def _region_step(self, ctx: Context, doc: _Document, fig: Figure) -> None:
        """The region named nearest the figure, unless the figure takes its place in a list
        of regions (长三角、珠三角…分别): then the list's item. The evidence stays where
        the nearest name was read."""
        m = fig.mention
        region_id, basis, pos = self._region(m, ctx, fig.clause, fig.sentence, fig.titles, doc.default_region)
        listed = self._listed_region(ctx, doc, fig)
        if listed is not None:
            region_id, basis = listed, "list"
        fig.region = Decision(region_id, basis, "", pos)
        fig.mapped.region_id, fig.mapped.region_basis = region_id, basis

    def _listed_region(self, ctx: Context, doc: _Document, fig: Figure) -> str | None:
        """The region of the list before the figure's clause that this figure stands for:
        its position in its group, counted over the list items joined by separators."""
        clause, m, mentions = fig.clause, fig.mention, doc.mentions
        if clause not in doc.list_cache:
            doc.list_cache[clause] = self._list_regions(ctx, clause, fig.titles, m.cstart)
        listed = doc.list_cache[clause]
        if listed is None or m.cstart <= listed[0]:
            return None
        group_pos = 0
        j = fig.idx - 1
        while j >= 0 and mentions[j].cstart > listed[0] and group_pos < len(listed[1]):
            between = ctx.text[mentions[j].cend : mentions[j + 1].cstart]
            if not (between and all(c in _LIST_SEP for c in between)):
                break
            group_pos += 1
            j -= 1
        return listed[1][group_pos] if group_pos < len(listed[1]) else None

    # ---- year ---------------------------------------------------------------------
    def _year_step(self, ctx: Context, doc: _Document, fig: Figure) -> None:
        """The year read nearest the figure; in a list of figures over a range or a list of
        years (2019—2021年分别为…), the year of the figure's own item."""
        m, mapped = fig.mention, fig.mapped
        year, basis, pos = self._year(
            m, ctx, fig.clause, fig.sentence, fig.titles, doc.years, doc.publication_year, mapped.notes
        )
        item_year = None
        if basis in ("range_start", "range_end") and pos is not None:
            item_year = _range_item_year(ctx.text, pos, m.cstart, fig.list_pos, self.respective_words)
        elif basis == "stated" and fig.list_pos[1] > 1:
            item_year = _year_list_item(
                ctx.text, fig.sentence[0], m.cstart, fig.list_pos, doc.years, self.respective_words
            )
        if item_year is not None:
            year, basis = item_year, "range_item"
        fig.year = Decision(year, basis, "", pos)
        mapped.year, mapped.year_basis = year, basis

    # ---- subject ------------------------------------------------------------------
    def _subject_step(self, ctx: Context, doc: _Document, fig: Figure) -> None:
        """What the figure measures in the text's words; an item of a named list takes its
        item's words, and the second of a pair (城乡居民…分别) its half of the pair's subject."""
        text, m, mapped, list_pos = ctx.text, fig.mention, fig.mapped, fig.list_pos
        mapped.subject = self._subject(ctx, m, fig.sentence, fig.recent)
        fig.named_items = self._named_list_items(text, fig.sentence, m, list_pos) if list_pos[1] > 1 else None
        if fig.named_items is not None and mapped.subject is not None:
            mapped.subject = replace(
                mapped.subject, text=fig.named_items[0], phrase=fig.named_items[1], inherited=False
            )
        elif list_pos[1] == 2 and mapped.subject is not None:
            # the second figure inherits the first's subject: split the pair's subject once
            joint = doc.list_subjects.setdefault(fig.idx - list_pos[0], mapped.subject)
            mapped.subject = self._list_item_subject(text, fig.clause, m, joint, list_pos[0])

    def _not_a_measurement(self, ctx: Context, fig: Figure) -> bool:
        """A figure inside a title or a quoted name, or a target, measures nothing: it keeps
        its region, year and subject but gets no indicator."""
        if _inside(fig.mention.cstart, fig.titles):
            fig.mapped.reason = Reason.IN_TITLE.value
            return True
        if self._aspiration(ctx.text, fig.clause, fig.mention, ctx.target_spans):
            fig.mapped.reason = Reason.TARGET.value
            return True
        return False

    # ---- indicator ----------------------------------------------------------------
    def _indicator_step(self, ctx: Context, doc: _Document, fig: Figure) -> bool:
        """The indicator: from a figure before it this one relates to (its growth, its
        change), else from the best keyword rule, else from the figure's subject. False
        (with the reason) when there is none."""
        related = self._related(fig.mention, ctx, fig.clause, fig.sentence, fig.recent, fig.list_pos)
        if related is not None:
            return self._related_indicator_step(ctx, fig, related)
        rule, kw_pos = self._keyword_rule(ctx, fig)
        if rule is None:
            rule = self._subject_rule(ctx, fig)
            if rule is None:
                fig.mapped.reason = Reason.NO_INDICATOR.value
                return False
        fig.indicator = Decision(None, "rule", rule.id, kw_pos)
        return self._rule_indicator_step(ctx, doc, fig, rule)

    def _related_indicator_step(self, ctx: Context, fig: Figure, related: tuple[str, str, int | None]) -> bool:
        """A figure related to one before it: the related indicator, of the quarter its
        sentence names, or over several years (年均增长) when it says so."""
        mapped, m = fig.mapped, fig.mention
        mapped.indicator_id, mapped.rule_id, kw_pos = related
        fig.indicator = Decision(None, "related", mapped.rule_id, kw_pos)
        # 一季度…14968.97亿元，同比增长5.0%: the growth of the quarter the sentence names
        mapped.indicator_id = self._of_quarter(mapped.indicator_id, fig.period)
        mapped.indicator_id, why = self._over_years(mapped.indicator_id, ctx.text, fig.clause, m, mapped.year)
        fig.indicator.value = mapped.indicator_id
        if not mapped.indicator_id:
            mapped.reason = why
            return False
        return True

    def _keyword_rule(self, ctx: Context, fig: Figure) -> tuple[Rule | None, int | None]:
        """The best keyword rule for the figure, unless the figure's own words name
        something else: a keyword from earlier in the sentence does not reach a figure whose
        own words name another measure (研发投入强度7.4%，研发人员数量占比25.5%)."""
        text, m, subject = ctx.text, fig.mention, fig.mapped.subject
        rule, kw_pos = self._best_rule(
            m, ctx, fig.seg, fig.clause, fig.sentence, fig.region.value, fig.period, fig.list_pos
        )
        if (
            rule is not None
            and not (fig.named_items and rule.id in self.rule_positions)
            and (
                self._keyword_of_another_item(text, rule, kw_pos, fig)
                or self._joint_name_split_respectively(text, rule, kw_pos, fig)
                or self._own_subject_differs(text, rule, kw_pos, fig.seg, subject)
                or self._modified_keyword(text, rule, kw_pos, subject, m.base_unit)
                or self._verb_rule_names_another(text, rule, kw_pos, subject, m.base_unit)
            )
        ):
            return None, None
        return rule, kw_pos

    def _keyword_of_another_item(self, text: str, rule: Rule, kw_pos: int | None, fig: Figure) -> bool:
        """地方财政收入、支出分别突破300亿元和3000亿元: a figure paired by 分别 with its own list
        item (支出) measures that item; a keyword read in another item (财政收入) does not reach
        it. Only the measured thing is compared (the keyword's core without its verb), so
        产业投资增长 still reaches 高技术产业投资."""
        if not fig.named_items or kw_pos is None or rule.id in self.rule_positions:
            return False
        keyword = _keyword_at(text, rule, kw_pos)
        name = self.subjects.core(keyword) if keyword else ""
        if len(name) < 2:
            return False
        norm = self.subjects.normalise
        item = fig.named_items[1]
        return name not in item and norm(name) not in norm(item)

    def _joint_name_split_respectively(self, text: str, rule: Rule, kw_pos: int | None, fig: Figure) -> bool:
        """应用研究和试验发展经费所占比重分别为5.1%和90.7%: a keyword joining two names (A和B)
        names their sum only when one figure follows; with 分别 and a list of figures each
        figure is one of them, read from its own half of the pair."""
        if kw_pos is None or fig.list_pos[1] < 2 or kw_pos >= fig.mention.cstart:
            return False
        keyword = _keyword_at(text, rule, kw_pos)
        if not any(joint in keyword for joint in LIST_SEPARATORS):
            return False
        between = text[kw_pos + len(keyword) : fig.mention.cstart]
        return any(w in between for w in self.respective_words)

    def _subject_rule(self, ctx: Context, fig: Figure) -> Rule | None:
        """A rule made from the indicator the figure's subject names, when no keyword rule
        matched; None when it names none, or names the indicator of an earlier figure of the
        clause (a condition: 超九成的企业…比重高于95%, not another measurement)."""
        m, subject = fig.mention, fig.mapped.subject
        named = self._named_indicator(ctx.text, fig.clause, m, subject, fig.period)
        if named is None:
            named = self._compound_indicator(ctx, m, subject, fig.sentence, fig.recent, fig.period)
        if named is None or self._measured_before_in_clause(ctx, fig, named):
            return None
        if m.base_unit == "none" and self.indicator_unit.get(named) == "CNY":
            fig.implied_unit = "元"
        return Rule(id="subject_names_indicator", indicator=named, base_units=(m.base_unit,), keywords=())

    def _measured_before_in_clause(self, ctx: Context, fig: Figure, named: str) -> bool:
        """An earlier figure of the clause already measures `named` for the same region and
        year (2020年、2021年…分别为 gives one per year; 从X增长到Y is a change, not a repeat)."""
        m = fig.mention
        return any(
            o.indicator_id == named
            and o.mention.cstart >= fig.clause[0]
            and o.region_id == fig.region.value
            and o.year == fig.mapped.year
            and not any(w in ctx.text[o.mention.cend : m.cstart] for w in self.to_words)
            for o in fig.recent
        )

    def _rule_indicator_step(self, ctx: Context, doc: _Document, fig: Figure, rule: Rule) -> bool:
        """The indicator a rule decides, refined by what the clause says of it (a quarter, a
        net change, a batch, several years) and by the currency; a rule over a class of
        places (超千亿元的省有12个) also decides the region: the text's own."""
        mapped, m = fig.mapped, fig.mention
        indicator, why = self._over_years(self._refined_indicator(ctx, fig, rule), ctx.text, fig.clause, m, mapped.year)
        if not indicator:
            mapped.reason = why
            return False
        mapped.indicator_id = self._currency_variant(indicator, m.base_unit)
        mapped.rule_id = rule.id
        fig.indicator.value = mapped.indicator_id
        fig.implied_unit = rule.implied_unit or fig.implied_unit
        if rule.id in self.rule_own_region:
            fig.region = Decision(doc.default_region or "china", "rule", rule.id, fig.region.evidence)
            mapped.region_id, mapped.region_basis = fig.region.value, fig.region.basis
        return True

    def _refined_indicator(self, ctx: Context, fig: Figure, rule: Rule) -> str:
        """The rule's indicator (the k-th of a by_position rule for the k-th term of a list)
        for the quarter the sentence names, as a net change (高新技术企业总数净增682家) or
        as one batch (第六批…名单公示，共有3012家企业上榜) when the clause says so."""
        text, m, clause = ctx.text, fig.mention, fig.clause
        by_position = self.rule_positions.get(rule.id)
        indicator = by_position[fig.list_pos[0]] if by_position else rule.indicator
        indicator = self._of_quarter(indicator, fig.period)
        if self.net_words and any(w in text[clause[0] : m.cstart] for w in self.net_words):
            change = self.subjects.change_id.get(indicator)
            if change and self.subjects.base.get(change) == self.subjects.base.get(indicator):
                indicator = change
        batch = self.subjects.batch_id.get(indicator)
        if batch and self.batch_re and self._names_a_batch(text, fig):
            indicator = batch
        return indicator

    def _names_a_batch(self, text: str, fig: Figure) -> bool:
        """A batch word before the figure in its sentence, after it in its clause (109家企业
        新入围第五批), or in its subject."""
        m, subject = fig.mention, fig.mapped.subject
        return bool(
            self.batch_re.search(text, fig.sentence[0], m.cstart)
            or self.batch_re.search(text, m.cend, fig.clause[1])
            or (subject and self.batch_re.search(subject.text or ""))
        )

    # ---- evidence and quote -------------------------------------------------------
    def _record_evidence(self, ctx: Context, fig: Figure) -> None:
        """Where the keyword, region and year were read (in the figure's sentence), the
        implied unit's note, and the quote that shows them."""
        mapped, m, sentence = fig.mapped, fig.mention, fig.sentence
        kw_pos = fig.indicator.evidence
        mapped.keyword_cpos = kw_pos
        mapped.context_cpos = [
            p
            for p in (kw_pos, fig.region.evidence, fig.year.evidence)
            if p is not None and sentence[0] <= p < sentence[1]
        ]
        if fig.indicator.basis == "rule" and fig.implied_unit and m.base_unit == "none":
            mapped.notes.append(f"unit {fig.implied_unit} implied by the indicator, not stated")
        mapped.quote_cspan = self._quote(ctx, m, sentence, mapped.context_cpos)
