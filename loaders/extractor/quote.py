"""Quote: the words a figure is cited with, the clauses that matter, capped around the number."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

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
