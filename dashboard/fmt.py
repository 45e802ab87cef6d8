"""How a figure is written for people: qualifier, unit and kind of value."""

from __future__ import annotations

import math

from dashboard.i18n import t, unit_label

# A qualifier is shown as a sign before the number so "超九成" never reads as exactly 90.
QUALIFIER_SIGN = {
    "exact": "",
    "approx": "≈ ",
    "more_than": "> ",
    "at_least": "≥ ",
    "less_than": "< ",
    "at_most": "≤ ",
    "nearly": "≲ ",
}

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


def with_unit(value: float, unit: str, lang: str) -> str:
    label = unit_label(unit, lang)
    num = number(value, lang)
    if not label:
        return num
    if label == "%" or lang == "zh":
        return f"{num}{label}"
    return f"{num} {label}"


def display(value: float, unit: str, qualifier: str, lang: str) -> str:
    """'> 90%', '≈ 13%', '2.54%': the qualifier travels with the number everywhere."""
    return QUALIFIER_SIGN.get(qualifier, "") + with_unit(value, unit, lang)


def kind_label(k: str, lang: str) -> str:
    return t(f"kind.{k}", lang)
