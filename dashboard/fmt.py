"""How a figure is written for people: qualifier, unit and kind of value."""

from __future__ import annotations

import math

from dashboard.i18n import has, t, unit_label
from schemas.contract import RANK_BASE_UNIT

# A qualifier is written as a word before the number (labels.yaml, qualifier_word) so
# "超九成" never reads as exactly 90, and the text's own word (约, 超, 近) stays in the label.

# Five kinds of value, each drawn differently (marker, pattern and colour).
KINDS = ("exact", "above", "below", "approx", "derived")
_KIND_OF_QUALIFIER = {
    "exact": "exact",
    "more_than": "above",
    "at_least": "above",
    "less_than": "below",
    "at_most": "below",
    "nearly": "below",
    "approx": "approx",
}


def kind(qualifier: str, derived: bool) -> str:
    if derived:
        return "derived"
    return _KIND_OF_QUALIFIER.get(qualifier, "approx")


def number(value: float, lang: str) -> str:
    """Up to four decimals without trailing zeros; thousands separators in English only."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}" if lang == "en" else str(int(value))
    text = f"{value:,.4f}" if lang == "en" else f"{value:.4f}"
    return text.rstrip("0").rstrip(".")


# Amounts whose unit is a Chinese magnitude word (万, 亿, 万亿) over a known base: money and
# people. Chinese readers see them as stated ("120万亿元"); English readers in English
# magnitudes ("120 trillion CNY"), never "1,200,000 100 million CNY".
MAGNITUDE_WORDS = {"": 1.0, "千": 1e3, "万": 1e4, "亿": 1e8, "万亿": 1e12}
# base unit -> (Chinese suffix, English name)
BASES = {"CNY": ("元", "CNY"), "USD": ("美元", "USD"), "persons": ("人", "people")}
_SUFFIX_BASE = {zh: base for base, (zh, _) in BASES.items()}
ZH_SCALES = [(1e12, "万亿"), (1e8, "亿"), (1e4, "万"), (1.0, "")]
EN_SCALES = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1.0, "")]


def amount_unit(unit: str, base_unit: str = "") -> tuple[float, str] | None:
    """(scale, base) when `unit` is a magnitude word over money or people: 亿美元 -> (1e8, USD);
    a bare 万亿 takes its base from `base_unit`. None for every other unit."""
    unit = str(unit or "")
    for suffix in sorted(_SUFFIX_BASE, key=len, reverse=True):
        if unit.endswith(suffix) and unit[: -len(suffix)] in MAGNITUDE_WORDS:
            base = _SUFFIX_BASE[suffix]
            if base_unit and base_unit != base:
                return None
            return MAGNITUDE_WORDS[unit[: -len(suffix)]], base
    if unit in MAGNITUDE_WORDS and unit and base_unit in BASES:
        return MAGNITUDE_WORDS[unit], base_unit
    return None


def pick_scale(magnitude: float, lang: str) -> tuple[float, str]:
    """The largest magnitude that keeps the number at 1 or more: 1.2e14 -> (1e12, 万亿 / trillion)."""
    ladder = ZH_SCALES if lang == "zh" else EN_SCALES
    size = abs(magnitude)
    for scale, word in ladder:
        if size >= scale:
            return scale, word
    return ladder[-1]


def scaled_unit(word: str, base: str, lang: str) -> str:
    """'万亿元', 'trillion CNY', 'people'."""
    zh, en = BASES[base]
    if lang == "zh":
        return f"{word}{zh}"
    return f"{word} {en}".strip()


def with_unit(value: float, unit: str, lang: str, base_unit: str = "") -> str:
    amount = amount_unit(unit, base_unit)
    if amount is not None and value is not None and value == value:
        scale, base = amount
        if lang == "zh":
            return f"{number(value, lang)}{unit if unit.endswith(BASES[base][0]) else unit + BASES[base][0]}"
        total = float(value) * scale
        unit_scale, word = pick_scale(total, lang)
        return f"{number(round(total / unit_scale, 6), lang)} {scaled_unit(word, base, lang)}"
    label = unit_label(unit, lang)
    num = number(value, lang)
    if not label:
        return num
    if label == "%" or lang == "zh":
        return f"{num}{label}"
    return f"{num} {label}"


def qualifier_word(qualifier: str, lang: str) -> str:
    key = f"qualifier_word.{qualifier}"
    return t(key, lang) if qualifier and qualifier != "exact" and has(key) else ""


def display(value: float, unit: str, qualifier: str, lang: str, base_unit: str = "") -> str:
    """'超90%', '约13%', '2.54%', 'more than 120 trillion CNY': the qualifier travels with
    the number everywhere, in the reader's words."""
    if base_unit == RANK_BASE_UNIT or (unit == "位" and not base_unit):
        return t("guard.rank_text", lang, n=number(value, lang))
    word = qualifier_word(qualifier, lang)
    sep = " " if word and lang == "en" else ""
    return f"{word}{sep}{with_unit(value, unit, lang, base_unit)}"


def kind_label(k: str, lang: str) -> str:
    return t(f"kind.{k}", lang)
