"""Source text with its figures marked, as escaped HTML.

Every character of the document passes through html.escape; the only markup
is ours (spans with inline styles), so a quote containing <script> is shown as
those characters. st.html sanitises again on top of this.
"""

from __future__ import annotations

import html
import itertools
from dataclasses import dataclass

STYLE = {
    "mapped": "background:#FFE08A;border-radius:2px;",
    "unmapped": "background:#E6E6E6;border-radius:2px;",
    "quote": "background:#FFF4E0;",
    "selected": "outline:2px solid #D55E00;background:#FFC26B;font-weight:600;",
}
# Later classes win when styles overlap (a selected number inside the quote).
PRIORITY = ("quote", "unmapped", "mapped", "selected")
BOX = "white-space:pre-wrap;line-height:1.8;font-size:15px;font-family:'Noto Serif CJK SC','Songti SC',serif;"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # one of STYLE
    title: str = ""


def valid(spans: list[Span], n: int) -> list[Span]:
    """Drop spans outside the text: a stale table must not break the page."""
    return [s for s in spans if 0 <= s.start < s.end <= n and s.kind in STYLE]


def render(text: str, spans: list[Span], start: int = 0, end: int | None = None) -> str:
    """HTML for text[start:end] with spans marked; offsets are into the whole text.

    One sweep over the cut points (spans sorted by start, the few active ones kept in a
    list), so a long text with thousands of marks renders in milliseconds.
    """
    end = len(text) if end is None else end
    spans = [s for s in valid(spans, len(text)) if s.end > start and s.start < end]
    cuts = {start, end}
    for s in spans:
        cuts.add(max(s.start, start))
        cuts.add(min(s.end, end))
    bounds = sorted(cuts)
    rank = {kind: i for i, kind in enumerate(PRIORITY)}
    # (clamped start, position in the list): equal priorities keep the list's order.
    pending = sorted(range(len(spans)), key=lambda i: (max(spans[i].start, start), i))
    active: list[int] = []
    nxt = 0
    out = []
    for a, b in itertools.pairwise(bounds):
        while nxt < len(pending) and max(spans[pending[nxt]].start, start) <= a:
            active.append(pending[nxt])
            nxt += 1
        active = [i for i in active if spans[i].end >= b]
        piece = html.escape(text[a:b], quote=False)
        if not active:
            out.append(piece)
            continue
        here = sorted(active, key=lambda i: (rank[spans[i].kind], i))
        style = "".join(STYLE[spans[i].kind] for i in here)
        title = " | ".join(spans[i].title for i in here if spans[i].title)
        attr = f' title="{html.escape(title, quote=True)}"' if title else ""
        out.append(f'<span style="{style}"{attr}>{piece}</span>')
    return f'<div style="{BOX}">{"".join(out)}</div>'
