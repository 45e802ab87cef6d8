"""Subject: what a figure measures in the text's own words, and the items of a list."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from loaders.extractor.patterns import (
    _CLAUSE_MARK,
    _ITEM_LIST_END,
    _ITEM_SEP,
)
from loaders.extractor.records import MAPPABLE_KINDS, Mapped
from loaders.extractor.text import (
    Context,
)
from loaders.numbers import Mention
from loaders.subject import Subject


class SubjectDimension:
    """The subject methods of the Mapper (loaders/mapping.py), which holds the tables they read."""

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
        word = next((f for f in self.indicator_field_words if f in left), "")
        field = self.indicator_field_same.get(word, word)
        found = self.subjects.indicator(subject, m.base_unit, field)
        if found is None and m.base_unit == "none" and m.unit in self.money_scales:
            # 研发经费投入总量突破70亿: a bare 亿 after the name of an amount in yuan.
            found = self.subjects.indicator(subject, "CNY", field)
        if period not in ("", "year") and found not in self.same_period_ids:
            # 1-2月份…: the year's indicator only when it is defined on 同期 too; 一季度: the quarter's
            return self._of_quarter(found, period, keep=False)
        return found
