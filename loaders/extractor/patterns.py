"""The sentence patterns of statistical prose the dimensions share: year ranges, month
spans, list separators, place brackets, and the helpers that read them."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence

from loaders.reference import Rule
from loaders.words import word_list

_RANK_FIELD_NEXT = ("首", "第", "前", "唯一")


def items_from(seq: Sequence, lo: int, hi: int | None = None) -> Iterator:
    """seq[lo:hi] without copying it: a figure reads the few years after a bisection, and a
    slice to the end of a long text's year list would copy it once per figure."""
    return map(seq.__getitem__, range(lo, len(seq) if hi is None else hi))


# The words that join the items of a list (rules.yaml list_separators), defined once; the
# patterns below are read from them. Punctuation that joins years or periods is added here.
LIST_SEPARATORS = word_list("list_separators")
_YEAR_LIST_SEP = {*LIST_SEPARATORS, ","}
PERIOD_LIST_SEP = frozenset({w for w in LIST_SEPARATORS if len(w) == 1} | {",", "，"})


# a year that is part of a day (2024年4月1日): a date, not the year a text is on
_DAY = re.compile(r"\d{4}年?[0-9一二三四五六七八九十]{1,2}月")


# counters of places and ranks: a figure so counted (5个市) is not what a place's bracket measures
_PLACE_COUNTS = frozenset({"count", "rank", "rank_from_bottom"})


# Items named before 分别 are joined by these; a clause mark before them ends the list.
_ITEM_SEP = re.compile("|".join(re.escape(w) for w in sorted(LIST_SEPARATORS, key=len, reverse=True)))


_ITEM_LIST_END = "，,。；;：:！？!?\n("


_CLAUSE_MARK = re.compile(r"[，,。；;：:！？!?\n]")


# 1-2月份, 1—8月: a span of months from January; group 1 is its last month
_MONTH_SPAN = re.compile(r"(?:0?1|一)月?[—–\-~～至到]((?:1[0-2]|0?[2-9])|十[一二]|[二三四五六七八九十])月")


_CN_MONTHS = {w: i for i, w in enumerate("一二三四五六七八九十", 1)} | {"十一": 11, "十二": 12}


def _cn_month(word: str) -> int:
    return int(word) if word.isdigit() else _CN_MONTHS.get(word, 0)


_YEAR_RANGE = re.compile(r"((?:1[89]|20)\d\d)\s*(?:年)?\s*[—–\-~～至到]+\s*((?:1[89]|20)\d\d)年")


_RELATIVE_YEARS = re.compile(r"前([0-9一二三四五六七八九十]+)年")


_LIST_SEP = "".join(w for w in LIST_SEPARATORS if len(w) == 1)


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
    for y in items_from(year_mentions, lo):
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


def _words_re(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
