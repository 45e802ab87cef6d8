"""Number: what one match of the number pattern reads as (value, scale, unit words) and
what kind of number it is (figure, rank, year, date, ordinal, citation, time, code).

loaders/numbers.py runs the pattern over a text and builds the Mentions; the decisions
about a single match live here, one small function per question, so each can be read
(and tested) on its own. The spans a text's numbers are checked against (dates, web
addresses, ratios, clock times, years in Chinese digits) are found once per text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import cn2an

if TYPE_CHECKING:
    from loaders.numbers import Lexicon, Mention

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")
_CN_DIGIT_CHARS = set("零〇一二两三四五六七八九十")

_DATE_AFTER = set("月日号")
_RANK_LIST_SEP = ("、", "和", "及", "与", "或")
_DIGITS = frozenset("0123456789")
_MONEY = {"CNY", "USD", "EUR"}
_MAGNITUDE_ALONE = {"百", "千", "万", "百亿", "千亿", "万亿", "百万", "千万"}
_RANGE_DASH = set("—–-~～至到")
_LATIN_BEFORE = re.compile(r"(?<![A-Za-z&])[A-Za-z&]+$")
_LATIN_AFTER = re.compile(r"[A-Za-z]+")
_CLAUSE_BREAK = re.compile(r"[，,。；;：:！？!?、\n]")
_MAGNITUDE_LETTERS = {"K", "k", "W", "w"}
_CLAUSE_CLOSERS = set("，,。；;、！？!?）)")
# 二〇二三年, 二O二三年 (a Latin O, as headlines of communiqués write it): a year in Chinese digits.
_CN_YEAR = re.compile(r"(?:一[九八]|二[〇零OＯ○])[〇零OＯ○一二三四五六七八九]{2}(?=年)")
_CN_YEAR_DIGITS = str.maketrans("〇零OＯ○一二三四五六七八九", "00000123456789")


def _parse_cn(cn: str) -> tuple[float | None, str, float]:
    """Chinese numeral -> (value, trailing scale word, scale)."""
    scale_word = ""
    for word in ("万亿", "亿", "万"):
        if cn.endswith(word) and len(cn) > len(word):
            scale_word, cn = word, cn[: -len(word)]
            break
    try:
        value = float(cn2an.cn2an(cn, "strict"))
    except (ValueError, KeyError, IndexError, TypeError):
        try:
            value = float(cn2an.cn2an(cn, "smart"))
        except Exception:  # cn2an raises bare ValueErrors and worse on odd strings
            return None, "", 1.0
    factor = {"万亿": 1e12, "亿": 1e8, "万": 1e4}.get(scale_word, 1.0)
    return value, scale_word, factor


def _date_starts(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """Spans of timestamps and month ranges (2023-09-19 08:41:11, 1—10月): every number
    inside one is part of a date, found in one pass over the text."""
    return [mt.span() for mt in lex.date_spans.finditer(text)]


_RUN_CHARS = frozenset("0123456789.:")


def _colon_runs(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Runs of numbers joined by colons: (ratios, clock times). 2.8:41.1:56.1 is a
    structure or a ratio; 08:41 and 16:11:05 are times of day. Found from the colons,
    which are few, rather than by trying every digit."""
    out: list[tuple[int, int]] = []
    clocks: list[tuple[int, int]] = []
    n = len(text)
    i = text.find(":")
    while i != -1:
        if not (0 < i < n - 1 and text[i - 1] in _DIGITS and text[i + 1] in _DIGITS):
            i = text.find(":", i + 1)
            continue
        a, b = i - 1, i + 1
        while a > 0 and text[a - 1] in _RUN_CHARS:
            a -= 1
        while b < n and text[b] in _RUN_CHARS:
            b += 1
        run = text[a:b].strip(".:")
        a += len(text[a:b]) - len(text[a:b].lstrip(".:"))
        parts = run.split(":")
        if all(p and p.count(".") <= 1 and p.replace(".", "").isdigit() for p in parts):
            clock = (
                len(parts) <= 3
                and all(p.isdigit() for p in parts)
                and int(parts[0]) <= 24
                and all(len(p) == 2 and int(p) <= 59 for p in parts[1:])
            )
            (clocks if clock else out).append((a, a + len(run)))
        i = text.find(":", b)
    return out, clocks


def _in_spans(spans: list[tuple[int, int]], pos: int) -> bool:
    k = bisect_right(spans, (pos, float("inf"))) - 1
    return k >= 0 and spans[k][0] <= pos < spans[k][1]


def _cn_amount(cn: str, unit: str, lex: Lexicon) -> bool:
    """三万亿元, 两千万人, 五百亿美元: a Chinese numeral with a magnitude (万, 亿, or for
    money 十/百/千) before a unit is an amount even without a counter."""
    if not unit:
        return False
    if "万" in cn or "亿" in cn:
        return True
    return lex.units.get(unit, {}).get("base_unit") in _MONEY and any(c in cn for c in "十百千")


def _bare_magnitude(cn: str, pre: str, unit: str, lex: Lexicon) -> tuple[float, str, float] | None:
    """超千亿元, 逾千家: a magnitude word alone is a number only after a qualifier and
    before a unit (千亿元市值公司, 千家万户 stay words)."""
    if not pre or cn not in _MAGNITUDE_ALONE or not unit:
        return None
    head, scale_word = cn[0], cn[1:]
    value = {"百": 100.0, "千": 1000.0, "万": 1e4}[head]
    return value, scale_word, lex.scales.get(scale_word, 1.0)


def mark_ranges(mentions: Iterable[Mention], text: str) -> Iterator[Mention]:
    """80%—90%: the first end of a range is a lower bound, the second an upper bound. Each
    mention is handed on once the one after it is seen (an end marked once is not marked
    again as the start of the next pair)."""
    held = None
    for b in mentions:
        if held is not None and _range_pair(held, b, text):
            held, b = replace(held, qualifier="at_least"), replace(b, qualifier="at_most")
        if held is not None:
            yield held
        held = b
    if held is not None:
        yield held


def _range_pair(a: Mention, b: Mention, text: str) -> bool:
    return (
        a.kind == b.kind == "figure"
        and a.base_unit == b.base_unit != "none"
        and a.qualifier == b.qualifier == "exact"
        and b.cstart - a.cend == 1
        and text[a.cend] in _RANGE_DASH
    )


def _after_bracketed_figure(text: str, start: int, out: list) -> bool:
    """广东(1982家)、浙江(1806): a bare number in brackets that continues a list of
    bracketed figures is a figure like them, not a year."""
    if not out or out[-1].kind != "figure":
        return False
    between = text[out[-1].cend : start]
    return len(between) <= 12 and between[:1] in ")）" and "、" in between


@dataclass
class NumberSpans:
    """The spans of one text that decide the kind of a number inside them, found once."""

    dates: list[tuple[int, int]]  # timestamps and month ranges (2023-09-19 08:41:11, 1—10月)
    addresses: list[tuple[int, int]]  # web and DOI addresses, e-mail: numbers there are names
    ratios: list[tuple[int, int]]  # 2.8:41.1:56.1
    clocks: list[tuple[int, int]]  # 08:41, 16:11:05
    cn_years: list[tuple[int, int]]  # 二〇二三 of 二〇二三年

    @classmethod
    def of(cls, text: str, lex: Lexicon) -> NumberSpans:
        addresses = [mt.span() for mt in lex.address_re.finditer(text)] if lex.address_cue.search(text) else []
        ratios, clocks = _colon_runs(text) if ":" in text else ([], [])
        cn_years = [mt.span() for mt in _CN_YEAR.finditer(text)]
        return cls(_date_starts(text, lex), addresses, ratios, clocks, cn_years)

    def in_cn_year(self, m: re.Match) -> bool:
        """The digits of 二〇二三年 are one year, added as a whole (cn_year_values)."""
        return bool(self.cn_years) and (_in_spans(self.cn_years, m.start()) or _in_spans(self.cn_years, m.end() - 1))


@dataclass
class Reading:
    """What one match reads as before its kind is decided: its spans (compact), value,
    magnitude word and the words around the number the pattern matched."""

    start: int
    end: int
    num_start: int
    num_end: int
    value: float | None
    scale_word: str
    scale: float
    ar: str
    word: str | None
    pre: str
    ordinal: str
    unit: str
    inf: str
    suf: str
    word_q: str = ""  # the qualifier a number word carries (超半数)
    kind_hint: str = ""  # "code" for a digit inside a name (H5N1, 5G)
    prev: str = ""
    nxt: str = ""


def read_match(m: re.Match, text: str, lex: Lexicon, spans: NumberSpans) -> Reading | None:
    """The reading of a match, or None when it is no number (第 before a word figure, a
    Chinese numeral in prose, 一批)."""
    ar, cn = m.group("ar"), m.group("cn")
    word = m.group("word") if lex.word_figures else None
    pre, ordinal, unit, inf, suf = (m.group(k) or "" for k in ("pre", "ord", "unit", "inf", "suf"))
    num_key = "ar" if ar else "word" if word else "cn"
    r = Reading(
        m.start(), m.end(), m.start(num_key), m.end(num_key), None, "", 1.0, ar, word, pre, ordinal, unit, inf, suf
    )
    r.nxt = text[r.end] if r.end < len(text) else ""
    r.prev = text[r.start - 1] if r.start > 0 else ""
    if word:
        return _read_word(m, r, lex)
    if ar:
        return _read_arabic(m, r, text, lex, spans)
    return _read_chinese(cn, r, text, lex)


def _read_word(m: re.Match, r: Reading, lex: Lexicon) -> Reading | None:
    """翻番, 半数: the word is the number and its unit; a unit matched after it belongs to
    the next word. 第 before a word figure: not a number."""
    if r.ordinal:
        return None
    r.value, r.unit, r.word_q = lex.word_figures[r.word]
    if m.group("unit"):
        r.end, r.inf, r.suf = m.end("word"), "", ""
    return r


def _read_arabic(m: re.Match, r: Reading, text: str, lex: Lexicon, spans: NumberSpans) -> Reading | None:
    """An Arabic number: a minus sign after a digit, letter or bracket is the dash of a
    range (483-492); a digit next to Latin letters is part of a name (see _is_code)."""
    neg = m.group("neg")
    if neg and ((r.prev.isascii() and r.prev.isalnum()) or r.prev.isdigit() or r.prev in ")）"):
        neg = None  # 483-492 is a range, not a negative number
        if not r.pre and not r.ordinal:
            r.start = m.start("ar")
    digits = r.ar.translate(_FULLWIDTH_DIGITS).replace(",", "")
    try:
        value = float(digits)
    except ValueError:
        return None
    if neg:
        value = -value
    else:
        r.num_start = m.start("ar")
    r.value = value
    r.scale_word = m.group("scale") or ""
    r.scale = lex.scales.get(r.scale_word, 1.0)
    r.kind_hint = "code" if _is_code(m, r, text, lex, spans) else ""
    return r


def _is_code(m: re.Match, r: Reading, text: str, lex: Lexicon, spans: NumberSpans) -> bool:
    """H5N1, 5G, B2B: a digit after a Latin letter is part of a name; after a whole
    abbreviation of a measure (高于全省GDP5.8个百分点) it is that measure's figure. 5G and
    3D打印机 are names; 8K (thousand) and 3W (万) are not. Numbers in addresses are names."""
    start, prev, nxt = r.start, r.prev, r.nxt
    letters = _LATIN_BEFORE.search(text, max(0, start - 8), start)
    named_measure = letters is not None and letters.group() in lex.measure_abbreviations
    return bool(
        (prev.isascii() and prev.isalpha() and not r.pre and not named_measure)
        or (
            nxt.isascii()
            and nxt.isalpha()
            and not m.group("unit")
            and not r.scale_word
            and _LATIN_AFTER.match(text, r.end).group() not in _MAGNITUDE_LETTERS
        )
        or _in_spans(spans.addresses, r.num_start)
    )


def _read_chinese(cn: str, r: Reading, text: str, lex: Lexicon) -> Reading | None:
    """A Chinese numeral is a number only with a counter, a percent, a magnitude before a
    unit, or a qualifier before a magnitude word (超千亿元); 三万家 is 30000, while money
    keeps its magnitude word apart (三万亿元 = 3 万亿元), as Arabic amounts do."""
    unit = r.unit
    bare = _bare_magnitude(cn, r.pre, unit, lex)
    if bare is not None:
        value, scale_word, scale = bare
    elif not (set(cn) & _CN_DIGIT_CHARS):
        return None  # 千万, 万亿 alone are words here
    elif (
        not r.ordinal
        and unit not in lex.counters
        and not (unit and unit in ("%", "成"))
        and not _cn_amount(cn, unit, lex)
    ):
        # Without a counter a Chinese numeral is prose (一些, 统一, 五中全会), but the
        # match may have eaten a counter-less prefix; nothing to keep.
        return None
    else:
        value, scale_word, scale = _parse_cn(cn)
        if scale_word and value is not None and lex.units.get(unit, {}).get("base_unit") not in _MONEY:
            value, scale_word, scale = value * scale, "", 1.0
    if value is None or _prose_one_or_two(r, text, value, scale_word):
        return None
    r.value, r.scale_word, r.scale = value, scale_word, scale
    return r


def _prose_one_or_two(r: Reading, text: str, value: float, scale_word: str) -> bool:
    """一批, 两个大局: prose, not figures; 一万家 is one, and so is 国家级绿色工厂两家。 (a
    unit closing its clause), and 增长一倍 (a multiple)."""
    closes_clause = bool(r.unit) and (r.end >= len(text) or text[r.end] in _CLAUSE_CLOSERS)
    return (
        not r.ordinal
        and value in (1.0, 2.0)
        and not scale_word
        and not r.pre
        and not r.suf
        and not closes_clause
        and r.unit != "倍"
    )


def kind_of(r: Reading, text: str, lex: Lexicon, spans: NumberSpans, out: list[Mention]) -> str | None:
    """The kind of number a reading is (figure, rank, ordinal, code, citation, time, date,
    year), or None when a word that can be a rank (首位) is a name here (首位度, 首位城市).
    `out` holds the mentions found before it: a list of ranks or bracketed figures goes on."""
    if r.kind_hint == "code":
        return "code"
    if r.ordinal and r.ordinal != "第":
        return "rank"  # 倒数第一, 倒一: counted from the bottom
    if r.word and r.unit in lex.rank_units:
        # 居全国首位, 均居中西部地区首位: a rank in a word after a verb of placing in its clause.
        before = _CLAUSE_BREAK.split(text[max(0, r.start - 10) : r.start])[-1]
        return "rank" if any(w in before for w in lex.rank_lead) else None
    if r.ordinal:
        return _rank_or_ordinal(r, text, lex, out)
    kind = _kind_by_place(r, text, lex, spans, out)
    if kind == "year" and r.unit == "年" and r.suf:
        return "figure"  # 2000年以上 is a duration, rare but possible
    return kind


def _rank_or_ordinal(r: Reading, text: str, lex: Lexicon, out: list[Mention]) -> str:
    """第十三位, 世界第二: a rank. 第一，… (an enumeration) and 第一代: ordinals. The second
    term of a list of ranks (排名第三、第四) is a rank like the first; 第一大贸易伙伴 is a rank
    among the largest; 全市第一方阵 is a tier, not a place."""
    start, unit = r.start, r.unit
    before = text[max(0, start - 2) : start]
    after_rank = bool(out) and out[-1].kind == "rank" and text[out[-1].cend : start] in _RANK_LIST_SEP
    largest = text[r.end : r.end + 1] == "大" and not unit
    tier = text.startswith(lex.not_rank_after, r.end)
    if unit in lex.rank_units or (
        not unit and not tier and (after_rank or largest or any(w in before for w in lex.rank_lead))
    ):
        return "rank"
    return "ordinal"


def _kind_by_place(r: Reading, text: str, lex: Lexicon, spans: NumberSpans, out: list[Mention]) -> str:
    """The kind of a plain number from where it stands: in [brackets] a citation, in a
    ratio a figure, before a colon or in a clock a time, in a date span a date, a bare
    four-digit number from 1800 to 2100 a year (not 2000强, not 广东(1982家)、浙江(1806)),
    before 月日号 or / a date; else a figure."""
    ar, unit, prev, nxt, num_start = r.ar, r.unit, r.prev, r.nxt, r.num_start
    if prev == "[" or (prev == "［" and nxt and nxt in "]］"):
        return "citation"
    if spans.ratios and _in_spans(spans.ratios, num_start):
        return "figure"  # 2.8:41.1:56.1, one term of a ratio
    if nxt == ":" and ar and not unit and not r.scale_word:
        return "time"
    if _in_spans(spans.dates, num_start):
        return "date"
    if spans.clocks and _in_spans(spans.clocks, num_start):
        return "time"  # the minutes of 08:41
    if _is_year(r, text, lex, out):
        return "year"
    if (ar and not unit and nxt in _DATE_AFTER) or (ar and not unit and nxt == "/"):
        return "date"
    return "figure"


def _is_year(r: Reading, text: str, lex: Lexicon, out: list[Mention]) -> bool:
    """A four-digit integer from 1800 to 2100 with 年, or bare and not before a counter
    word (2000强), and not a bare number in brackets continuing a list of bracketed figures."""
    value, unit, nxt = r.value, r.unit, r.nxt
    is_int = value is not None and float(value).is_integer()
    return bool(
        r.ar
        and is_int
        and not r.pre
        and not r.scale_word
        and 1800 <= value <= 2100
        and len(r.ar) == 4
        and (unit == "年" or (not unit and not (nxt and nxt in lex.not_year_before)))
        and not (not unit and r.prev in "(（" and _after_bracketed_figure(text, r.start, out))
    )


def unit_of(r: Reading, kind: str, text: str, lex: Lexicon) -> tuple[str, str, float]:
    """(canonical unit, base unit, factor) of a reading of a given kind. The match may have
    swallowed a unit that belongs to the next word (年 of 年均): it is kept; context rules
    read the compact text, not the unit. 排名上升6位 moves places in a ranking, not persons."""
    unit, ordinal = r.unit, r.ordinal
    unit_info = lex.units.get(unit) if unit else None
    if kind == "rank":
        base_unit = "rank_from_bottom" if ordinal and ordinal != "第" else "rank"
        canonical, factor = (unit_info["canonical"] if unit_info else "位"), 1.0
    elif unit_info:
        canonical, base_unit, factor = unit_info["canonical"], unit_info["base_unit"], unit_info["factor"]
    else:
        canonical, base_unit, factor = "", "none", 1.0
    if kind in ("year", "date", "time", "citation", "ordinal", "code"):
        base_unit = kind if kind != "code" else "none"
    elif (
        kind == "figure"
        and unit in lex.rank_units
        and text[max(0, r.start - 4) : r.start].rstrip("了").endswith(lex.rank_moves)
    ):
        base_unit = "rank"
    return canonical, base_unit, factor


def qualifier_of(r: Reading, lex: Lexicon) -> str:
    """The qualifier words around the number (超, 以上, 近) or of its number word, else exact."""
    return lex.prefix_q.get(r.pre) or lex.infix_q.get(r.inf) or lex.suffix_q.get(r.suf) or r.word_q or "exact"


def cn_year_value(text: str, a: int, b: int) -> float:
    """The year 二〇二三 (or 二O二三) stands for."""
    return float(text[a:b].translate(_CN_YEAR_DIGITS))
