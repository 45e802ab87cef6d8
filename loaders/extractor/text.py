"""The shape of a text the figures are read in: sentence and clause bounds indexed once
(and cut where a sentence or clause runs on for thousands of characters), titles, datelines,
headings, the headline, and the fixed bounds that keep the cost of one figure independent
of the length of the text."""

from __future__ import annotations

import heapq
import itertools
import re
from array import array
from bisect import bisect_right

from loaders.numbers import CompactText
from loaders.reference import Rule

_SENTENCE_END = re.compile(r"[。！？!?；;]")

_NOT_SPACE = re.compile(r"\S")

_LINE = re.compile(r"[^\n]*")

_LINE_CLOSED = re.compile(r"[。！？!?；;，,：:、]$")

_SHORT_LINE_MAX = 40  # a line this long or longer is body text, however short the others

# A colon between digits joins the terms of a ratio (2.8:41.1:56.1); elsewhere it ends a clause.
# (Every alternative starts with its character, so the scan skips other characters fast.)
_CLAUSE_END = re.compile(r"[，：。！？!?；;]|:(?![0-9])|:(?<![0-9]:)|,(?![0-9]{3}(?![0-9]))")

# Bounds that keep the cost of a figure independent of the length of the text. Prose never
# comes near them (the longest sentence of the evaluation texts and the corpus is about 1,600
# characters, the longest clause 250, and at most 52 figures stand in a figure's reach); a
# table pasted as one line or a run of numbers without a full stop does.
MAX_CLAUSE_CHARS = 400  # a longer clause is cut every so many characters

MAX_SENTENCE_CHARS = 2000  # a longer sentence is cut at a clause end

RECENT_FIGURES = 64  # how many figures before a figure its decisions look back over

MAX_JOINED_SENTENCES = 16  # how many sentences joined by semicolons count as one

QUOTE_MAX_CHARS = 200  # a longer quote keeps the clauses within half of it around the number


def _split_long(ends: list[int], limit: int, length: int, preferred: list[int] | None = None) -> list[int]:
    """ends, plus extra ends so that no span between two is longer than limit: at the last
    preferred position in reach (a clause end), else limit characters on."""
    out = array("q")
    prev = 0
    for end in itertools.chain(ends, (length,)):
        while end - prev > limit:
            cut = prev + limit
            if preferred:
                k = bisect_right(preferred, cut)
                if k and preferred[k - 1] > prev:
                    cut = preferred[k - 1]
            out.append(cut)
            prev = cut
        if not out or out[-1] != end:
            out.append(end)
        prev = end
    if not ends or ends[-1] != length:
        out.pop()  # the text's length: an end only where ends has it
    return out


def _merged(a, b) -> array:
    """The union of two sorted lists of positions, sorted, without repeats."""
    out = array("q")
    for x in heapq.merge(a, b):
        if not out or out[-1] != x:
            out.append(x)
    return out


def _headline(compact: CompactText, headline_max: int) -> tuple[int, int] | None:
    """The headline: a first line without sentence punctuation (玉环市2019年…统计公报), found
    without copying the text."""
    original = compact.original
    lead = _NOT_SPACE.search(original)
    if lead is None:
        return None
    i = lead.start()
    j = len(original)
    while j > i and original[j - 1].isspace():
        j -= 1
    nl = original.find("\n", i, j)
    first = original[i : nl if nl != -1 else j].strip()
    if first and len(first) <= headline_max and not _SENTENCE_END.search(first) and nl != -1:
        return 0, compact.to_compact(original.index(first) + len(first))
    return None


class SpanIndex:
    """Spans (start, end), possibly overlapping, that answer 'does one hold pos?' by bisection:
    a figure asks it of every title, dateline and target section of a long text."""

    def __init__(self, spans) -> None:
        ordered = sorted(spans)
        self.starts = [a for a, _ in ordered]
        self.reach: list[int] = []  # the furthest end among the first k spans
        furthest = -1
        for _, b in ordered:
            furthest = max(furthest, b)
            self.reach.append(furthest)

    def __bool__(self) -> bool:
        return bool(self.starts)

    def holds(self, pos: int) -> bool:
        k = bisect_right(self.starts, pos)
        return k > 0 and self.reach[k - 1] > pos


class _Cache(dict):
    """A memo that forgets everything when it grows past its size: every entry can be found
    again, and a long text must not keep one per sentence."""

    def __init__(self, size: int = 4096) -> None:
        super().__init__()
        self.size = size

    def __setitem__(self, key, value) -> None:
        if len(self) >= self.size:
            self.clear()
        super().__setitem__(key, value)


class Context:
    """Sentence and clause boundaries of one compact text, found once."""

    def __init__(
        self,
        compact: CompactText,
        datelines: re.Pattern | None = None,
        periods: re.Pattern | None = None,
        headings: re.Pattern | None = None,
        headline_max: int = 0,
    ) -> None:
        text = compact.text
        self.text = text
        # Typed arrays from the start: a long text has a clause end every few characters.
        self.sentence_ends = array("q", map(re.Match.end, _SENTENCE_END.finditer(text)))
        self.clause_ends = array("q", map(re.Match.end, _CLAUSE_END.finditer(text)))
        # Datelines (本报北京1月17日电) name where a report was filed, not what it is about.
        self.datelines = SpanIndex(_dateline_span(text, m) for m in datelines.finditer(text)) if datelines else ()
        # Period markers (一季度, 1—10月, 全年): (position, period) in text order.
        self.periods = [(m.start(), m.lastgroup or "") for m in periods.finditer(text)] if periods else []
        self._find_headings(compact, headings)
        self._close_short_lines(compact)
        self.clause_ends = _split_long(self.clause_ends, MAX_CLAUSE_CHARS, len(text))
        self.sentence_ends = _split_long(self.sentence_ends, MAX_SENTENCE_CHARS, len(text), self.clause_ends)
        self.headline = _headline(compact, headline_max)
        self._init_document_facts()
        self._init_caches()

    def _find_headings(self, compact: CompactText, headings: re.Pattern | None) -> None:
        """Section headings (一、综合, (二)产业基础…) on the original lines: a year stated in one
        section does not date the figures of the next; where a heading is a line of its own
        (二、工业), no subject runs across its end."""
        original = compact.original
        self.headings: list[int] = []
        self.heading_ends: list[int] = []
        for m in headings.finditer(original) if headings else ():
            self.headings.append(compact.to_compact(m.end("start")))
            eol = original.find("\n", m.end())
            if (
                eol != -1
                and len(original[m.end() : eol].strip()) <= 30
                and not _SENTENCE_END.search(original, m.end(), eol)
            ):
                self.heading_ends.append(compact.to_compact(eol))

    def _close_short_lines(self, compact: CompactText) -> None:
        """A short line without punctuation (a caption 图1 2019-2023年地区生产总值…, a
        sub-heading, the headline) is not the start of the sentence on the next line either:
        its end, and the ends of headings, close a sentence and a clause. Short is measured
        against the text's median line, so a text of fewer than three lines has none."""
        original = compact.original
        lengths = sorted(mt.end() - mt.start() for mt in _LINE.finditer(original) if mt.end() > mt.start())
        if len(lengths) < 3:
            return
        short = min(_SHORT_LINE_MAX, lengths[len(lengths) // 2] * 0.6)
        del lengths
        for mt in _LINE.finditer(original):
            a, b = mt.span()
            line = original[a:b].strip()
            if line and len(line) < short and b < len(original) and not _LINE_CLOSED.search(line):
                self.heading_ends.append(compact.to_compact(b))
        self.heading_ends.sort()
        self.sentence_ends = _merged(self.sentence_ends, self.heading_ends)
        self.clause_ends = _merged(self.clause_ends, self.heading_ends)

    def _init_document_facts(self) -> None:
        """What the Mapper learns about the whole text before its figures (set by
        Mapper.iter_mapped and the year methods; these are the values of a text that says
        nothing of them)."""
        self.is_review = False  # the text reviews the year before its publication
        self.shared_regions: dict[str, str] = {}  # shared county names the text's region decides
        self.reports_last_year = False  # published in the season of last year's results
        self.target_spans = SpanIndex(())  # sections that list targets (compact)
        # where 去年, 今年 … stand: dates of comparisons (由去年同期的24%), not the year a text is about
        self.relative_starts: set[int] = set()
        self.same_period_starts: set[int] = set()  # …of them, 去年同期 and the like
        self.opens_with_date = False  # news whose first number is its day (7月14日，四川省…)
        self.lead_year: int | None = None  # the year the first sentence opens with (0: none)
        self.whole_years: set[int] | None = None  # the plain years the whole text states (found once)

    def _init_caches(self) -> None:
        """Answers the figures of one sentence or section ask again and again, kept in
        bounded caches (_Cache) so memory does not grow with the text."""
        # section start -> the one plain year it states (0: none or several) and where it is first stated
        self.only_year: dict[int, tuple[int, int]] = _Cache()
        # (sentence start, base unit) -> the rules whose require words and some keyword
        # stand in reach of that sentence, each with those of its keywords that do.
        self.rule_candidates: dict[tuple[int, str], list[tuple[Rule, tuple[str, ...]]]] = _Cache()
        # sentence start -> the region names in that sentence (start, end, name) and their starts.
        self.sentence_aliases: dict[int, tuple[list[tuple[int, int, str]], list[int]]] = _Cache()
        # sentence start -> whether the sentence states a period (2018—2022年) at all.
        self.has_year_range: dict[int, bool] = _Cache()
        # sentence start -> the year stated in the sentences before it (None: none).
        self.context_year: dict[int, int | None] = _Cache()

    @staticmethod
    def _bounds(ends: list[int], pos: int, limit: int) -> tuple[int, int]:
        k = bisect_right(ends, pos)
        start = ends[k - 1] if k > 0 else 0
        end = ends[k] if k < len(ends) else limit
        return start, end

    def sentence(self, pos: int) -> tuple[int, int]:
        return self._bounds(self.sentence_ends, pos, len(self.text))

    def clause(self, pos: int) -> tuple[int, int]:
        return self._bounds(self.clause_ends, pos, len(self.text))

    def section_start(self, pos: int) -> int:
        """Where the section holding pos begins (0 without a heading before it)."""
        k = bisect_right(self.headings, pos)
        return self.headings[k - 1] if k > 0 else 0

    def joined_sentence_start(self, start: int) -> int:
        """Where the sentence starting at start begins if the semicolons before it do not end it."""
        for _ in range(MAX_JOINED_SENTENCES):
            if start <= 0 or self.text[start - 1] not in "；;":
                break
            start = self.sentence(start - 1)[0]
        return start

    def previous_sentences(self, pos: int, n: int) -> list[tuple[int, int]]:
        out = []
        start, _ = self.sentence(pos)
        for _ in range(n):
            if start <= 0:
                break
            prev_start, _ = self.sentence(start - 1)
            out.append((prev_start, start))
            start = prev_start
        return out


def _title_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """《…》 and “…” spans: names of works and plans, whose words and years are not context."""
    spans = []
    for opener, closer in (("《", "》"), ("“", "”")):
        i = text.find(opener, start, end)
        while i != -1:
            j = text.find(closer, i + 1, end)
            if j == -1:
                break
            spans.append((i, j + 1))
            i = text.find(opener, j + 1, end)
    return SpanIndex(spans) if len(spans) > 8 else spans


def _inside(pos: int, spans) -> bool:
    if isinstance(spans, SpanIndex):
        return spans.holds(pos)
    return any(a <= pos < b for a, b in spans)


def _dateline_span(text: str, date: re.Match, max_place: int = 8) -> tuple[int, int]:
    """The dateline around a matched date (1月17日电): the date and the Chinese words
    (本报北京, 新华社北京) right before it. Matching the date first and walking back keeps
    the scan linear; a pattern that starts with the place would be tried at every character."""
    start = date.start()
    while start > 0 and date.start() - start < max_place and "\u4e00" <= text[start - 1] <= "\u9fff":
        start -= 1
    return start, date.end()
