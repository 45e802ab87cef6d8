"""Finding numbers in raw text, with their offsets, scale, unit and qualifier.

Texts come out of PDFs: "2005 年", "为 1.34%" and "专精\n\n特新" are split by white
space that is not in the sentence. Matching runs on a compact copy of the text with that
white space removed, and every span is mapped back to the original, so quotes stay
verbatim.
"""

from __future__ import annotations

import io
import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import cached_property

import cn2an

from loaders.extractor.budget import Deadline

_WS = re.compile(r"[ \t\r\n\f\v\u3000\xa0\u2002\u2003\u2009\u200b]+")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")
_CN_DIGIT_CHARS = set("零〇一二两三四五六七八九十")


_RATIO_SIGN = re.compile(r"(?<=[0-9])\u2236(?=[0-9])")


class CompactText:
    """The text without layout white space, and the map back to original offsets."""

    def __init__(self, text: str) -> None:
        self.original = text
        # Offsets live in typed arrays (8 bytes each, not a Python int and a pointer): a long
        # text out of a PDF has a white-space run every few characters.
        self._starts = array("q", [0])
        self._deltas = array("q", [0])
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
        self._orig_starts = array("q", map(sum, zip(self._starts, self._deltas, strict=True)))

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


def _mark_ranges(out: list[Mention], text: str) -> list[Mention]:
    """80%—90%: the first end of a range is a lower bound, the second an upper bound."""
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if (
            a.kind == b.kind == "figure"
            and a.base_unit == b.base_unit != "none"
            and a.qualifier == b.qualifier == "exact"
            and b.cstart - a.cend == 1
            and text[a.cend] in _RANGE_DASH
        ):
            out[i] = replace(a, qualifier="at_least")
            out[i + 1] = replace(b, qualifier="at_most")
    return out


def _after_bracketed_figure(text: str, start: int, out: list) -> bool:
    """广东(1982家)、浙江(1806): a bare number in brackets that continues a list of
    bracketed figures is a figure like them, not a year."""
    if not out or out[-1].kind != "figure":
        return False
    between = text[out[-1].cend : start]
    return len(between) <= 12 and between[:1] in ")）" and "、" in between


def find_mentions(compact: CompactText, lex: Lexicon, deadline: Deadline | None = None) -> list[Mention]:
    """Every number in the text, classified; figures and ranks are candidates for data."""
    text = compact.text
    deadline = deadline or Deadline(None)
    out: list[Mention] = []
    dates = _date_starts(text, lex)
    # Web and DOI addresses, e-mail: every number inside one is part of a name (doi 10.12677).
    addresses = [mt.span() for mt in lex.address_re.finditer(text)] if lex.address_cue.search(text) else []
    ratios, clocks = _colon_runs(text) if ":" in text else ([], [])
    cn_years = [mt.span() for mt in _CN_YEAR.finditer(text)]
    for i, m in enumerate(lex.pattern.finditer(text)):
        deadline.check(i)
        if cn_years and (_in_spans(cn_years, m.start()) or _in_spans(cn_years, m.end() - 1)):
            continue  # the digits of 二〇二三年 are one year, added below
        word_q = ""
        ar, cn, word = m.group("ar"), m.group("cn"), m.group("word") if lex.word_figures else None
        pre, ordinal, unit, inf, suf = (m.group(k) or "" for k in ("pre", "ord", "unit", "inf", "suf"))
        start, end = m.start(), m.end()
        num_key = "ar" if ar else "word" if word else "cn"
        num_start, num_end = m.start(num_key), m.end(num_key)
        nxt = text[end] if end < len(text) else ""
        prev = text[start - 1] if start > 0 else ""
        if word:
            if ordinal:
                continue  # 第 before a word figure: not a number
            # 翻番, 半数: the word is the number and its unit; a unit matched after it
            # belongs to the next word.
            value, unit, word_q = lex.word_figures[word]
            if m.group("unit"):
                end, inf, suf = m.end("word"), "", ""
            scale_word, scale, kind_hint = "", 1.0, ""
        elif ar:
            neg = m.group("neg")
            if neg and ((prev.isascii() and prev.isalnum()) or prev.isdigit() or prev in ")）"):
                neg = None  # 483-492 is a range, not a negative number
                if not pre and not ordinal:
                    start = m.start("ar")
            digits = ar.translate(_FULLWIDTH_DIGITS).replace(",", "")
            try:
                value: float | None = float(digits)
            except ValueError:
                continue
            if neg:
                value = -value
            else:
                num_start = m.start("ar")
            scale_word = m.group("scale") or ""
            scale = lex.scales.get(scale_word, 1.0)
            # H5N1, 5G, B2B: a digit after a Latin letter is part of a name; after a whole
            # abbreviation of a measure (高于全省GDP5.8个百分点) it is that measure's figure.
            letters = _LATIN_BEFORE.search(text, max(0, start - 8), start)
            named_measure = letters is not None and letters.group() in lex.measure_abbreviations
            kind_hint = (
                "code"
                if (prev.isascii() and prev.isalpha() and not pre and not named_measure)
                or (  # 5G, 3D打印机; not 8K (thousand) or 3W (万)
                    nxt.isascii()
                    and nxt.isalpha()
                    and not m.group("unit")
                    and not scale_word
                    and _LATIN_AFTER.match(text, end).group() not in _MAGNITUDE_LETTERS
                )
                or _in_spans(addresses, num_start)
                else ""
            )
        else:
            bare = _bare_magnitude(cn, pre, unit, lex)
            if bare is not None:
                value, scale_word, scale = bare
            elif not (set(cn) & _CN_DIGIT_CHARS):
                continue  # 千万, 万亿 alone are words here
            elif (
                not ordinal
                and unit not in lex.counters
                and not (unit and unit in ("%", "成"))
                and not _cn_amount(cn, unit, lex)
            ):
                # Without a counter a Chinese numeral is prose (一些, 统一, 五中全会), but the
                # match may have eaten a counter-less prefix; nothing to keep.
                continue
            else:
                value, scale_word, scale = _parse_cn(cn)
                if scale_word and value is not None and lex.units.get(unit, {}).get("base_unit") not in _MONEY:
                    # 三万家 is the number 30000; only money keeps its magnitude word apart
                    # (三万亿元 = 3 万亿元), as Arabic amounts do.
                    value, scale_word, scale = value * scale, "", 1.0
            if value is None:
                continue
            closes_clause = bool(unit) and (end >= len(text) or text[end] in _CLAUSE_CLOSERS)
            if (
                not ordinal
                and value in (1.0, 2.0)
                and not scale_word
                and not pre
                and not suf
                and not closes_clause
                and unit != "倍"  # 增长一倍: a multiple
            ):
                continue  # 一批, 两个大局: prose, not figures (一万家 is; so is 国家级绿色工厂两家。)
            kind_hint = ""
        # Decide what kind of number this is.
        is_int = value is not None and float(value).is_integer()
        kind = "figure"
        if kind_hint == "code":
            kind = "code"
        elif ordinal and ordinal != "第":
            kind = "rank"  # 倒数第一, 倒一: counted from the bottom
        elif word and unit in lex.rank_units:
            # 居全国首位, 均居中西部地区首位: a rank in a word after a verb of placing in its
            # clause; 首位度 and 首位城市 are names.
            before = _CLAUSE_BREAK.split(text[max(0, start - 10) : start])[-1]
            if not any(w in before for w in lex.rank_lead):
                continue
            kind = "rank"
        elif ordinal:
            # 第十三位, 世界第二: a rank. 第一，… (an enumeration) and 第一代: ordinals.
            before = text[max(0, start - 2) : start]
            # The second term of a list of ranks (排名第三、第四) is a rank like the first.
            after_rank = bool(out) and out[-1].kind == "rank" and text[out[-1].cend : start] in _RANK_LIST_SEP
            # 第一大贸易伙伴, 第二大经济体: a rank among the largest.
            largest = text[end : end + 1] == "大" and not unit
            tier = text.startswith(lex.not_rank_after, end)  # 全市第一方阵: a tier, not a place
            if unit in lex.rank_units or (
                not unit and not tier and (after_rank or largest or any(w in before for w in lex.rank_lead))
            ):
                kind = "rank"
            else:
                kind = "ordinal"
        elif prev == "[" or (prev == "［" and nxt and nxt in "]］"):
            kind = "citation"
        elif ratios and _in_spans(ratios, num_start):
            kind = "figure"  # 2.8:41.1:56.1, one term of a ratio
        elif nxt == ":" and ar and not unit and not scale_word:
            kind = "time"
        elif _in_spans(dates, num_start):
            kind = "date"
        elif clocks and _in_spans(clocks, num_start):
            kind = "time"  # the minutes of 08:41
        elif (
            ar
            and is_int
            and not pre
            and not scale_word
            and 1800 <= value <= 2100
            and len(ar) == 4
            and (unit == "年" or (not unit and not (nxt and nxt in lex.not_year_before)))
            and not (not unit and prev in "(（" and _after_bracketed_figure(text, start, out))
        ):
            kind = "year"
        elif (ar and not unit and nxt in _DATE_AFTER) or (ar and not unit and nxt == "/"):
            kind = "date"
        if kind == "year" and unit == "年" and suf:
            kind = "figure"  # 2000年以上 is a duration, rare but possible
        # The match may have swallowed a unit that belongs to the next word (年 of 年均):
        # keep it; context rules read the compact text, not the unit.
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
            and text[max(0, start - 4) : start].rstrip("了").endswith(lex.rank_moves)
        ):
            base_unit = "rank"  # 排名上升6位: places moved in a ranking, not persons
        qualifier = lex.prefix_q.get(pre) or lex.infix_q.get(inf) or lex.suffix_q.get(suf) or word_q or "exact"
        if value is not None:
            value = value * factor
        stated_unit = (scale_word + canonical) if canonical else scale_word
        ostart, oend = compact.span(start, end)
        out.append(
            Mention(
                start=ostart,
                end=oend,
                text=compact.original[ostart:oend],
                value=value,
                unit=stated_unit,
                scale=scale,
                base_unit=base_unit,
                qualifier=qualifier,
                kind=kind,
                cstart=start,
                cend=end,
                num_cstart=num_start,
                num_cend=num_end,
                word=word or "",
            )
        )
    for a, b in cn_years:
        ostart, oend = compact.span(a, b + 1)
        year = float(text[a:b].translate(_CN_YEAR_DIGITS))
        out.append(
            Mention(
                ostart, oend, compact.original[ostart:oend], year, "年", 1.0, "year", "exact", "year", a, b + 1, a, b
            )
        )
    if cn_years:
        out.sort(key=lambda x: x.cstart)
    return _mark_ranges(out, text)


def range_dash_after(text: str, pos: int) -> bool:
    return pos < len(text) and text[pos] in _RANGE_DASH
