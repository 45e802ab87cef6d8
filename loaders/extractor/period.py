"""Period: the quarter, months or span of years a figure covers, and the indicator of that period."""

from __future__ import annotations

from bisect import bisect_left

from loaders.extractor.patterns import PERIOD_LIST_SEP
from loaders.extractor.text import (
    Context,
)
from loaders.numbers import Mention


class PeriodDimension:
    """The period methods of the Mapper (loaders/mapping.py), which holds the tables they read."""

    def _period(self, ctx: Context, m: Mention, sentence: tuple[int, int], list_pos: tuple[int, int] = (0, 1)) -> str:
        """The period a figure covers when its sentence names one before it (二季度增长6.3%,
        1—10月…增加值): the nearest marker wins; "" when none (the year). The k-th of n
        figures after n periods (一季度、上半年、前三季度、全年…分别增长6.7%、…) is of the k-th."""
        k = bisect_left(ctx.periods, (m.cstart, ""))
        if k == 0 or ctx.periods[k - 1][0] < sentence[0]:
            return ""
        position, n = list_pos
        if n > 1 and self.period_re is not None:
            listed = ctx.periods[max(bisect_left(ctx.periods, (sentence[0], "")), k - n) : k]
            if len(listed) == n:
                ends = [self.period_re.match(ctx.text, a) for a, _ in listed]
                joins = [ctx.text[e.end() : b] for e, (b, _) in zip(ends, listed[1:], strict=False) if e]
                if len(joins) == n - 1 and all(j in PERIOD_LIST_SEP for j in joins):
                    return listed[position][1]
        return ctx.periods[k - 1][1]

    def _of_quarter(self, indicator: str | None, period: str, keep: bool = True) -> str | None:
        """The catalogue's indicator for the quarter a figure covers (quarter_ids), else the
        indicator itself (keep) or None."""
        quarter = self.quarter_ids.get(indicator or "", {}).get(period)
        return quarter or (indicator if keep else None)

    def _over_years(self, indicator: str, text: str, clause, m: Mention, year: int | None) -> tuple[str, str]:
        """年均增长7.1%, 较2020年增长48%: not the year's growth but the catalogue's average
        or cumulative growth (avg_id, cumulative_id), or no indicator when it has none."""
        if indicator not in self.subjects.avg_id:
            return indicator, ""
        kind = self._growth_period(text, clause, m, year)
        if not kind:
            return indicator, ""
        links = self.subjects.avg_id if kind == "avg" else self.subjects.cumulative_id
        over = links.get(indicator) or ""
        return over, "" if over else f"a growth over several years ({kind}); no catalogue indicator for it"

    def _growth_period(self, text: str, clause, m: Mention, year: int | None) -> str:
        """'avg' for an average annual growth (年均增长), 'cumulative' for growth since a year
        before last or a plan's end (较2020年增长48%, 较“十三五”末增长42%), else ''."""
        left = text[clause[0] : m.cstart]
        if any(w in left for w in self.average_growth_words):
            return "avg"
        base = self.cumulative_base_re.search(left) if self.cumulative_base_re else None
        if base is None:
            return ""
        since = base.group("year")
        if since is None or (year is not None and year - int(since) >= 2):
            return "cumulative"
        return ""
