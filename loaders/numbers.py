"""Finding numbers in raw text, with their offsets, scale, unit and qualifier.

Texts come out of PDFs: "2005 年", "为 1.34%" and "专精\n\n特新" are split by white
space that is not in the sentence. Matching runs on a compact copy of the text with that
white space removed, and every span is mapped back to the original, so quotes stay
verbatim.
"""

from __future__ import annotations

import heapq
import io
import re
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter

from loaders.extractor.budget import Deadline
from loaders.extractor.number import (
    _RANGE_DASH,
    NumberSpans,
    Reading,
    cn_year_value,
    kind_of,
    mark_ranges,
    qualifier_of,
    read_match,
    unit_of,
)

_WS = re.compile(r"[ \t\r\n\f\v\u3000\xa0\u2002\u2003\u2009\u200b]+")


_RATIO_SIGN = re.compile(r"(?<=[0-9])\u2236(?=[0-9])")


def _offset_typecode(length: int) -> str:
    """The smallest array type that holds every offset of a text this long."""
    return "i" if length < 2**31 - 1 and array("i").itemsize >= 4 else "q"


class CompactText:
    """The text without layout white space, and the map back to original offsets."""

    def __init__(self, text: str) -> None:
        self.original = text
        # Offsets live in typed arrays (4 bytes each below 2**31 characters, not a Python int
        # and a pointer): a long text out of a PDF has a white-space run every few characters.
        code = _offset_typecode(len(text))
        self._starts = array(code, [0])
        self._deltas = array(code, [0])
        compact = io.StringIO()
        pos = 0  # in original
        clen = 0  # length of compact so far
        for match in _WS.finditer(text):
            a, b = match.span()
            compact.write(text[pos:a])
            clen += a - pos
            before = text[a - 1] if a > 0 else ""
            after = text[b] if b < len(text) else ""
            # Keep one space between two ASCII letters or digits ("2 022", "R D"), so
            # English words and separate numbers are not glued together.
            if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
                compact.write(" ")
                clen += 1
            self._starts.append(clen)
            self._deltas.append(b - clen)
            pos = b
        compact.write(text[pos:])
        # One character for one, so offsets do not move: the ratio sign between digits
        # (7.1∶39.1∶53.8) is a colon; elsewhere (分别为∶) it stays what it is.
        joined = compact.getvalue()
        del compact
        self.text = _RATIO_SIGN.sub(":", joined) if "\u2236" in joined else joined
        del joined
        self._orig_starts = array(code, map(sum, zip(self._starts, self._deltas, strict=True)))

    def to_original(self, i: int) -> int:
        """Original offset of compact position i (i may equal len(text))."""
        k = bisect_right(self._starts, i) - 1
        return i + self._deltas[k]

    def to_compact(self, i: int) -> int:
        """Compact position of original offset i (white space maps to what follows it)."""
        k = bisect_right(self._orig_starts, i) - 1
        return max(
            self._starts[k],
            min(i - self._deltas[k], self._starts[k + 1] if k + 1 < len(self._starts) else len(self.text)),
        )

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of compact [start, end); end > start."""
        return self.to_original(start), self.to_original(end - 1) + 1


@dataclass(frozen=True, slots=True)
class Mention:
    """One number found in a text. Offsets are into the original text."""

    start: int
    end: int
    text: str  # verbatim span, qualifier words and unit included
    value: float | None  # in the canonical unit (九成 -> 90)
    unit: str  # canonical stated unit, scale included (亿美元, %, 家); "" if none
    scale: float  # magnitude word's factor (亿 -> 1e8), 1 when none
    base_unit: str  # percent, pp, CNY, USD, enterprises, rank, ... or "none"
    qualifier: str
    kind: str  # figure, rank, year, date, ordinal, citation, time
    cstart: int  # compact offsets, for context analysis
    cend: int
    num_cstart: int  # compact span of the digits alone
    num_cend: int
    word: str = ""  # a number said in words (翻番, 半数): the word, "" otherwise

    @property
    def value_base(self) -> float | None:
        return None if self.value is None else self.value * self.scale


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class Lexicon:
    """The number-finding regex and tables, compiled once from rules.yaml."""

    def __init__(self, rules: dict) -> None:
        self.scales: dict[str, float] = {str(k): float(v) for k, v in rules["scales"].items()}
        self.units: dict[str, dict] = {}
        for item in rules["units"]:
            self.units[str(item["unit"])] = {
                "canonical": str(item.get("canonical", item["unit"])),
                "base_unit": str(item["base_unit"]),
                "factor": float(item.get("factor", 1)),
            }
        quals = rules["qualifiers"]
        self.prefix_q = {w: q["qualifier"] for q in quals["prefix"] for w in q["words"]}
        self.infix_q = {w: q["qualifier"] for q in quals["infix"] for w in q["words"]}
        self.suffix_q = {w: q["qualifier"] for q in quals["suffix"] for w in q["words"]}
        self.counters = set(rules.get("chinese_numeral_counters", []))
        self.rank_units = set(rules.get("rank_units", ["位", "名"]))
        # A bare four-digit number followed by one of these is a count, not a year (2000强).
        self.not_year_before = set(rules.get("not_year_before", ""))
        self.rank_moves = tuple(rules.get("rank_move_words", []))
        self.not_rank_after = tuple(rules.get("not_rank_after", []))
        self.rank_lead = tuple(rules.get("rank_lead", ["世界", "全球", "全国", "居", "列", "名"]))
        self.bottom_words = list(rules.get("rank_from_bottom", ["倒数第", "倒数", "倒"]))
        self.address_re = re.compile("|".join(rules.get("address_patterns", [])) or r"(?!x)x")
        self.address_cue = re.compile(r"https?:|www\.|doi|DOI|@")
        self.date_spans = re.compile("|".join(rules.get("date_patterns", [])) or r"(?!x)x")
        # Numbers said in words (翻番 = 2 倍, 半数 = 50%): word -> (value, unit, qualifier).
        self.measure_abbreviations = frozenset(str(w) for w in rules.get("measure_abbreviations", []))
        self.word_figures: dict[str, tuple[float, str, str]] = {}
        for item in rules.get("word_figures", []):
            for w in item["words"]:
                self.word_figures[str(w)] = (float(item["value"]), str(item["unit"]), str(item.get("qualifier", "")))
        word_group = rf"(?P<word>{_alternation(self.word_figures)})|" if self.word_figures else ""
        # Every match starts with a prefix word, 第/倒, a sign or a numeral. Saying so up front
        # lets the regex engine skip other characters without trying each optional group at
        # every position: same matches, about 8x faster.
        first = {w[0] for w in (*self.prefix_q, *self.bottom_words, *self.word_figures)} | set("第-−－")
        self.pattern = re.compile(
            rf"(?=[{re.escape(''.join(sorted(first)))}0-9０-９零〇一二两三四五六七八九十百千万亿])"
            rf"(?P<pre>{_alternation(self.prefix_q)})?"
            rf"(?P<ord>{_alternation(self.bottom_words)}|第)?"
            rf"(?:{word_group}"
            r"(?P<neg>[-−－])?(?P<ar>[0-9０-９]+(?:,[0-9]{3}(?![0-9]))*(?:[.．][0-9０-９]+)?)"
            rf"(?P<scale>{_alternation(self.scales)})?"
            r"|(?P<cn>[零〇一二两三四五六七八九十百千万亿]+))"
            rf"(?P<inf>{_alternation(self.infix_q)})?"
            rf"(?P<unit>{_alternation(self.units)})?"
            rf"(?P<suf>{_alternation(self.suffix_q)})?"
        )

    @cached_property
    def qualifier_words(self) -> set[str]:
        return set(self.prefix_q) | set(self.infix_q) | set(self.suffix_q)


def find_mentions(compact: CompactText, lex: Lexicon, deadline: Deadline | None = None) -> list[Mention]:
    """Every number in the text, classified; figures and ranks are candidates for data."""
    return list(iter_mentions(compact, lex, deadline))


def iter_mentions(compact: CompactText, lex: Lexicon, deadline: Deadline | None = None) -> Iterator[Mention]:
    """The numbers of the text one by one, in text order: a long text never holds them all.
    One pass of the number pattern; what each match reads as and what kind of number it
    is are decided in loaders/extractor/number.py. Years in Chinese digits (二〇二三年) are
    merged in at their place; the ends of a range (80%—90%) are marked as pairs go by."""
    spans = NumberSpans.of(compact.text, lex)
    found = _matched_mentions(compact, lex, spans, deadline or Deadline(None))
    if spans.cn_years:
        years = (_cn_year_mention(compact, a, b) for a, b in spans.cn_years)
        found = heapq.merge(found, years, key=attrgetter("cstart"))  # ties: the match first, as a stable sort
    return mark_ranges(found, compact.text)


def _matched_mentions(compact: CompactText, lex: Lexicon, spans: NumberSpans, deadline: Deadline) -> Iterator[Mention]:
    """The mentions of the number pattern's matches; a kind may depend on the match before."""
    text = compact.text
    before: list[Mention] = []  # the mention found before this one (a list of ranks goes on)
    for i, m in enumerate(lex.pattern.finditer(text)):
        deadline.check(i)
        if spans.in_cn_year(m):
            continue  # the digits of 二〇二三年 are one year, added by iter_mentions
        reading = read_match(m, text, lex, spans)
        if reading is None:
            continue
        kind = kind_of(reading, text, lex, spans, before)
        if kind is not None:
            mention = _mention(compact, lex, reading, kind)
            before[:] = (mention,)
            yield mention


def _cn_year_mention(compact: CompactText, a: int, b: int) -> Mention:
    ostart, oend = compact.span(a, b + 1)
    year = cn_year_value(compact.text, a, b)
    return Mention(
        ostart, oend, compact.original[ostart:oend], year, "年", 1.0, "year", "exact", "year", a, b + 1, a, b
    )


def _mention(compact: CompactText, lex: Lexicon, r: Reading, kind: str) -> Mention:
    """The Mention of a reading of a given kind: value in the canonical unit, the stated
    unit with its magnitude word, offsets into the original text."""
    canonical, base_unit, factor = unit_of(r, kind, compact.text, lex)
    value = r.value * factor if r.value is not None else None
    stated_unit = (r.scale_word + canonical) if canonical else r.scale_word
    ostart, oend = compact.span(r.start, r.end)
    return Mention(
        start=ostart,
        end=oend,
        text=compact.original[ostart:oend],
        value=value,
        unit=stated_unit,
        scale=r.scale,
        base_unit=base_unit,
        qualifier=qualifier_of(r, lex),
        kind=kind,
        cstart=r.start,
        cend=r.end,
        num_cstart=r.num_start,
        num_cend=r.num_end,
        word=r.word or "",
    )


def range_dash_after(text: str, pos: int) -> bool:
    return pos < len(text) and text[pos] in _RANGE_DASH
