"""Text on charts: escaping, quotes on one line, citations, widths and wrapping of labels.

Kept apart from the chart builders (dashboard/charts.py, which re-exports these names) so
each module stays small; pure functions, tested without a browser.
"""

from __future__ import annotations

import html
import math
import re
from urllib.parse import quote_plus

import pandas as pd

from dashboard.i18n import t


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def flatten_quote(quote: str) -> str:
    """Undo PDF line breaks: join CJK across the break, keep a space between Latin words."""

    def join(m: re.Match) -> str:
        before, after = m.group(1), m.group(2)
        sep = " " if before.isascii() and after.isascii() and before.isalnum() else ""
        return before + sep + after

    return re.sub(r"(\S)\s*\n\s*(\S)", join, quote).strip()


def quote_for_hover(quote: str, width: int = 36, limit: int = 360) -> str:
    flat = flatten_quote(quote)
    if len(flat) > limit:
        flat = flat[:limit] + "…"
    lines = [flat[i : i + width] for i in range(0, len(flat), width)]
    return "<br>".join(esc(line) for line in lines)


def source_label(src: pd.Series | dict, lang: str) -> str:
    """Short title and date: enough to find the source in the bibliography."""
    title = ""
    if lang == "en":
        title = src.get("title_en") or ""
    title = title or src.get("short_title") or src.get("title") or src.get("source_id", "?")
    # published_text keeps the precision the source gave ("2024", not "2024-01-01").
    date = src.get("published_text") or src.get("published") or "n.d."
    return f"{title} ({date})"


_PLAIN = re.compile(r"^[A-Za-z0-9_.\-]*$")


def _q(value: str) -> str:
    return value if _PLAIN.match(value) else quote_plus(value)


def show_in_source_url(source_id: str, observation_id: str, lang: str) -> str:
    """A relative link to the sources page; ids come from the tables, never from the user.

    The same as urlencode({"source": …, "lang": …, "obs": …}), without its cost per row.
    """
    url = f"./sources?source={_q(str(source_id))}&lang={_q(str(lang))}"
    return f"{url}&obs={_q(str(observation_id))}" if observation_id else url


def text_width(text: str) -> int:
    """Display width: a CJK character takes two Latin ones."""
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` display units, broken at spaces or between CJK characters,
    so a long citation or category name never runs off the image."""
    lines, line = [], ""
    for token in re.findall(r"[\u2e80-\uffff]|\S+\s*|\s+", text):
        if line and text_width(line + token.rstrip()) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


TICK_UNITS = 100  # display units across the plot that category names may share
LINE_UNITS = 2.4  # display units of an upright name that fill one line of tick height


def category_ticks(labels: list[str]) -> tuple[list[str], int, int]:
    """(tick texts, lines of height they take, angle). Each name wraps to the width its slot
    holds: 31 provinces get one CJK character a line, read top to bottom. A Latin word wider
    than its slot (Inner Mongolia among 31) cannot wrap, so the names stand upright instead."""
    width = max(3, TICK_UNITS // max(len(labels), 1))  # one CJK character, or a citation [1]
    tokens = [tok for label in labels for tok in re.findall(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+", label)]
    if all(text_width(tok) <= width for tok in tokens):
        xs = ["<br>".join(esc(line) for line in wrap(label, width)) for label in labels]
        return xs, max((x.count("<br>") + 1 for x in xs), default=1), 0
    longest = max(text_width(label) for label in labels)
    return [esc(label) for label in labels], max(1, math.ceil(longest / LINE_UNITS)), -90


def renumber(rows: pd.DataFrame) -> pd.DataFrame:
    """Citation numbers 1, 2, … in order of appearance within these rows: a chart cut from
    a larger set cites only its own sources, from [1]."""
    order: dict[str, int] = {}
    for s in rows["source_id"].astype(str).tolist():
        order.setdefault(s, len(order) + 1)
    return rows.assign(cite=[order[s] for s in rows["source_id"].astype(str).tolist()])


def citations(rows: pd.DataFrame) -> list[tuple[int, str]]:
    pairs = dict(zip(rows["cite"].tolist(), rows["source_label"].tolist(), strict=True))
    return [(int(c), str(pairs[c])) for c in sorted(pairs)]


def caption(rows: pd.DataFrame, lang: str) -> str:
    """'Sources: [1] title (date); [2] …' in the order the chart cites them."""
    cites = "; ".join(f"[{n}] {label}" for n, label in citations(rows))
    return f"{t('common.sources', lang)}: {cites}"
