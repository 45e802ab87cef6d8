"""Quote: the words a figure is cited with, the clauses that matter, capped around the number."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from loaders.extractor.patterns import (
    _TERM_SEP,
)
from loaders.extractor.text import (
    QUOTE_MAX_CHARS,
    Context,
)
from loaders.numbers import Mention


class QuoteStep:
    """The quote methods of the Mapper (loaders/mapping.py), which holds the tables they read."""

    @staticmethod
    def _quote(
        ctx: Context, m: Mention, sentence: tuple[int, int], context: list[int], max_len: int = 120
    ) -> tuple[int, int]:
        """The sentence that states the figure; a long one is cut to the clauses that matter
        (the number's, and those its indicator, region and year were read from)."""
        text = ctx.text
        start, end = sentence
        if end - start > max_len:
            first = min([m.cstart, *context])
            last = max([m.cend - 1, *context])
            start = max(start, ctx.clause(first)[0])
            end = min(end, ctx.clause(last)[1])
        if end - start > QUOTE_MAX_CHARS:
            # the clauses within half the cap of the number (its own clause always): the
            # whole sentence stays recoverable from the number's offsets
            own_start, own_end = ctx.clause(m.cstart)
            half = QUOTE_MAX_CHARS // 2
            ends = ctx.clause_ends
            k = bisect_left(ends, m.cstart - half)
            start = max(start, min(ends[k] if k < len(ends) else own_start, own_start))
            k = bisect_right(ends, m.cend + half)
            end = min(end, max(ends[k - 1] if k else own_end, own_end, m.cend))
        while start < end and text[start] in " ，,：:。；;":
            start += 1
        while end > start and text[end - 1] in " ":
            end -= 1
        return start, end

    @staticmethod
    def _list_positions(mentions: list[Mention], ctx: Context) -> list[tuple[int, int]]:
        """(position, length) of each figure in its list: figures of one unit joined only by
        list separators (4.2%、5.0%和6.7%; 2.8:41.1:56.1). A figure alone is (0, 1)."""
        text = ctx.text
        pos = [0] * len(mentions)
        for i in range(1, len(mentions)):
            a, b = mentions[i - 1], mentions[i]
            if (
                a.kind == b.kind == "figure"
                and a.base_unit == b.base_unit
                and all(c in _TERM_SEP for c in text[a.cend : b.cstart])
            ):
                pos[i] = pos[i - 1] + 1
        out = [(0, 1)] * len(mentions)
        i = len(mentions) - 1
        while i >= 0:
            length = pos[i] + 1
            for j in range(i - pos[i], i + 1):
                out[j] = (pos[j], length)
            i -= length
        return out
