"""The number finder on small named examples, one per pattern the corpus uses."""

from __future__ import annotations

import pytest

from loaders.extract import engine
from loaders.numbers import CompactText, find_mentions


def mentions(text: str):
    _, lex, _ = engine()
    return find_mentions(CompactText(text), lex)


def figures(text: str):
    return [m for m in mentions(text) if m.kind in ("figure", "rank")]


# name, text, expected (number text, value, unit, scale, base_unit, qualifier, kind)
CASES = [
    ("plain count in enterprises", "中小企业2787家、", ("2787家", 2787, "家", 1, "enterprises", "exact", "figure")),
    ("percent with decimals", "比例为2.54%,", ("2.54%", 2.54, "%", 1, "percent", "exact", "figure")),
    ("space inside from PDF", "经费强度为 1.34%，", ("1.34%", 1.34, "%", 1, "percent", "exact", "figure")),
    ("percentage points", "比上年提高0.11个百分点,", ("0.11个百分点", 0.11, "个百分点", 1, "pp", "exact", "figure")),
    ("scale and currency", "支出为299亿美元，", ("299亿美元", 299, "亿美元", 1e8, "USD", "exact", "figure")),
    (
        "scale without currency, 突破",
        "GDP总量突破120万亿大关",
        ("突破120万亿", 120, "万亿", 1e12, "none", "more_than", "figure"),
    ),
    ("Chinese tenths, 超", "超九成的企业", ("超九成", 90, "%", 1, "percent", "more_than", "figure")),
    ("Chinese tenths, 近", "近七成的企业", ("近七成", 70, "%", 1, "percent", "nearly", "figure")),
    ("约为", "比重约为13%,", ("约为13%", 13, "%", 1, "percent", "approx", "figure")),
    ("以上 after the unit", "有40%以上的产品", ("40%以上", 40, "%", 1, "percent", "at_least", "figure")),
    ("余 between number and unit", "在500余种主要工业产品", ("500余种", 500, "种", 1, "kinds", "more_than", "figure")),
    ("高于 threshold", "比重高于95%，", ("高于95%", 95, "%", 1, "percent", "more_than", "figure")),
    ("batches", "累计培育认定7批次共", ("7批次", 7, "批次", 1, "batches", "exact", "figure")),
    ("Chinese ordinal rank with 位", "在世界上位列第十三位,", ("第十三位", 13, "位", 1, "rank", "exact", "rank")),
    ("ordinal after 世界 without unit", "稳居世界第二,", ("第二", 2, "位", 1, "rank", "exact", "rank")),
    ("Chinese count with counter", "十二个省份", ("十二个", 12, "个", 1, "count", "exact", "figure")),
    ("years as a duration", "从事特定细分市场5年以上，", ("5年以上", 5, "年", 1, "years", "at_least", "figure")),
    ("full-width digits", "共有１２３家", ("１２３家", 123, "家", 1, "enterprises", "exact", "figure")),
    ("negative value", "增速为-12.5%。", ("-12.5%", -12.5, "%", 1, "percent", "exact", "figure")),
    ("thousands separator", "共1,260,582亿元，", ("1,260,582亿元", 1260582, "亿元", 1e8, "CNY", "exact", "figure")),
    ("不足", "占比不足5%", ("不足5%", 5, "%", 1, "percent", "less_than", "figure")),
    ("左右", "增长10%左右", ("10%左右", 10, "%", 1, "percent", "approx", "figure")),
]


@pytest.mark.parametrize(("name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_number_patterns(name, text, expected):
    span, value, unit, scale, base_unit, qualifier, kind = expected
    found = [m for m in figures(text) if m.text == span]
    assert len(found) == 1, f"{name}: expected {span!r} in {[m.text for m in figures(text)]}"
    m = found[0]
    assert m.value == pytest.approx(value)
    assert (m.unit, m.scale, m.base_unit, m.qualifier, m.kind) == (unit, scale, base_unit, qualifier, kind)
    assert text[m.start : m.end] == span


NOT_FIGURES = [
    ("year", "2022年,我国", "year"),
    ("year range start", "2018—2022年东部", "year"),
    ("month and day", "2023年9月7日", "date"),
    ("citation marker", "内需潜力[19]。", "citation"),
    ("enumeration ordinal", "第一,进一步完善", "ordinal"),
    ("generation ordinal", "第一代杂交水稻", "ordinal"),
    ("time of day", "2025/12/04 16:11", "time"),
]


@pytest.mark.parametrize(("name", "text", "kind"), NOT_FIGURES, ids=[c[0] for c in NOT_FIGURES])
def test_numbers_that_are_not_figures(name, text, kind):
    kinds = [m.kind for m in mentions(text)]
    assert kind in kinds, f"{name}: {kinds}"
    assert not figures(text) or all(m.kind != "figure" or m.text not in text[:4] for m in figures(text))


@pytest.mark.parametrize("text", ["一些企业", "统一大市场", "五中全会", "千家万户", "一批专精特新企业", "两个大局"])
def test_chinese_words_are_not_numbers(text):
    assert figures(text) == []


def test_range_dash_is_not_a_minus():
    found = mentions("2026, 15(3): 483-492.")
    values = sorted(m.value for m in found if m.kind == "figure" and m.value > 400)
    assert values == [483, 492]
    assert all(m.text != "-492" for m in found)


def test_compact_text_maps_offsets_back():
    text = "专精\n\n特新“小巨人”企业 255 家。"
    compact = CompactText(text)
    assert "\n" not in compact.text
    i = compact.text.index("255")
    a, b = compact.span(i, i + 3)
    assert text[a:b] == "255"
    whole = compact.span(0, len(compact.text))
    assert text[whole[0] : whole[1]] == text.rstrip()


def test_ascii_words_keep_one_space():
    compact = CompactText("R&D expenditure\n2 022 and 3")
    assert compact.text == "R&D expenditure 2 022 and 3"
