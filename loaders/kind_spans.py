"""The dates a period rule's match covers (kind.yaml `span`): 2023年1—11月 ends on 30 November,
近五年 starts five years back. Read by loaders/kind.py; one function per span name."""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loaders.kind import KindRules


def _number(token: str | None, rules: KindRules) -> int | None:
    if not token:
        return None
    return int(token) if token.isdigit() else rules.numerals.get(token)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _span_months_to_date(m: re.Match, year: int, rules: KindRules, view: str) -> tuple[date | None, date | None]:
    month = _number(m.group("m"), rules)
    return date(year, 1, 1), (_month_end(year, month) if month and 1 <= month <= 12 else None)


def _span_first_quarters(m: re.Match, year: int, rules: KindRules, view: str) -> tuple[date | None, date | None]:
    quarters = _number(m.group("q"), rules) or 0
    return date(year, 1, 1), (_month_end(year, 3 * quarters) if 1 <= quarters <= 4 else None)


def _span_quarter(m: re.Match, year: int, rules: KindRules, view: str) -> tuple[date | None, date | None]:
    q = _number(m.group("q"), rules) or 0
    return (date(year, 3 * q - 2, 1), _month_end(year, 3 * q)) if 1 <= q <= 4 else (None, None)


def _span_half(m: re.Match, year: int, rules: KindRules, view: str) -> tuple[date | None, date | None]:
    return (date(year, 1, 1), date(year, 6, 30)) if m.group("h") == "上" else (date(year, 7, 1), date(year, 12, 31))


def _span_month(m: re.Match, year: int, rules: KindRules, view: str) -> tuple[date | None, date | None]:
    month = _number(m.group("m"), rules)
    return (date(year, month, 1), _month_end(year, month)) if month and 1 <= month <= 12 else (None, None)


_YEAR_RANGE = re.compile(r"((?:19|20)\d\d)年?\s*[-—–－~～至到]\s*((?:19|20)\d\d)年")
_LAST_YEARS = re.compile(r"(?:近|过去|最近)(\d{1,2}|[二两三四五六七八九十])年")


def _span_years_in_window(m: re.Match, year: int, rules: KindRules, view: str) -> tuple[date | None, date | None]:
    """年均: the span stated in the sentence (2019—2023年, 近五年, “十三五”), else unknown start."""
    stated = _YEAR_RANGE.search(view)
    if stated:
        return date(int(stated.group(1)), 1, 1), date(int(stated.group(2)), 12, 31)
    last = _LAST_YEARS.search(view)
    n = _number(last.group(1), rules) if last else None
    if n:
        return date(year - n + 1, 1, 1), date(year, 12, 31)
    for plan, (first, final) in rules.plan_periods.items():
        if plan in view:
            return date(first, 1, 1), date(final, 12, 31)
    return None, date(year, 12, 31)


def _span_since(m: re.Match, year: int, rules: KindRules, view: str) -> tuple[date | None, date | None]:
    return date(int(m.group("y")), 1, 1), date(year, 12, 31)


def _span_consecutive(m: re.Match, year: int, rules: KindRules, view: str) -> tuple[date | None, date | None]:
    n = _number(m.group("n"), rules)
    return (date(year - n + 1, 1, 1) if n else None), date(year, 12, 31)


def _span_year_start(m: re.Match, year: int, rules: KindRules, view: str) -> tuple[date | None, date | None]:
    return date(year, 1, 1), None


def _span_unknown(m: re.Match, year: int, rules: KindRules, view: str) -> tuple[date | None, date | None]:
    return None, None


def _span_as_of(m: re.Match, year: int, rules: KindRules, view: str) -> tuple[date | None, date | None]:
    """The date a stock is counted at: the day or month end named (截至10月底 is 10-31), else the
    year's end when a year is named (截至2023年底), else unknown (目前)."""
    found = m.groupdict()
    month = found.get("month") or found.get("month_end")
    if month and 1 <= int(month) <= 12:
        last = calendar.monthrange(year, int(month))[1]
        day = int(found["day"]) if found.get("day") else last
        at = date(year, int(month), min(max(day, 1), last))
        return at, at
    if "年" in m.group(0):
        return date(year, 12, 31), date(year, 12, 31)
    return None, None


def _span_year(m: re.Match, year: int, rules: KindRules, view: str) -> tuple[date | None, date | None]:
    return date(year, 1, 1), date(year, 12, 31)


SPAN_FUNCTIONS = {
    "months_to_date": _span_months_to_date,
    "first_quarters": _span_first_quarters,
    "quarter": _span_quarter,
    "half": _span_half,
    "month": _span_month,
    "years_in_window": _span_years_in_window,
    "since": _span_since,
    "consecutive": _span_consecutive,
    "year_start": _span_year_start,
    "unknown": _span_unknown,
    "as_of": _span_as_of,
    "year": _span_year,
}
