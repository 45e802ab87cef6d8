"""Year: the year a figure is of (stated, ranged, compared, from context, the headline's, the lead's, the only one, or now)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

import cn2an

from loaders.extractor.patterns import (
    _COMPARED_AFTER,
    _DAY,
    _MONTH_SPAN,
    _RELATIVE_YEARS,
    _YEAR_RANGE,
    _cn_month,
    items_from,
)
from loaders.extractor.text import (
    _CLAUSE_END,
    Context,
    _inside,
    _title_spans,
)
from loaders.numbers import Mention


class YearDimension:
    """The year methods of the Mapper (loaders/mapping.py), which holds the tables they read."""

    # ---- year ------------------------------------------------------------------
    def _years(self, text: str, a: int, b: int, titles, year_mentions) -> list[tuple[int, int, str]]:
        """(position, year, role) for years in [a, b): role plain, since, range."""
        out = []
        lo = bisect_left(year_mentions, (a, -1))
        for pos, end, year in items_from(year_mentions, lo):
            if pos >= b:
                break
            if _inside(pos, titles):
                continue
            before = text[max(0, pos - 1) : pos]
            after = text[end : end + 6]
            after_year = after.lstrip("年")
            if (
                (before in self.since_words and after_year.startswith(self.since_ends))
                or after_year.startswith(self.since_ends_alone)
                or (before in self.since_words and self.since_later_re.match(text, end))
            ):
                out.append((pos, year, "since"))
            elif (
                text[max(0, pos - 2) : pos].endswith(self.comparison_words)
                or _COMPARED_AFTER.match(after_year)
                or (before in ("是", "为") and after_year.startswith("的"))  # 是2012年的2.3倍
            ):
                out.append((pos, year, "comparison"))  # 比2022年加快, 与2019年相比: the base, not the year
            else:
                out.append((pos, year, "plain"))
        return out

    def _relative_years(
        self, text: str, publication_year: int | None, report_year: int | None = None
    ) -> list[tuple[int, int, int]]:
        """去年, 今年 as years, counted from the publication year; 本年, 上年 from the year the
        text reports on, when its headline or first sentence states it (a communiqué on 2023
        out in 2024: 本年新登记 is 2023); 比上年 is a comparison."""
        if publication_year is None or self.relative_year_re is None:
            return []
        out = []
        for mt in self.relative_year_re.finditer(text):
            if text[max(0, mt.start() - 2) : mt.start()].endswith(self.comparison_words) or _COMPARED_AFTER.match(
                text, mt.end()
            ):
                continue  # 比上年, 与去年同期相比: the base of a comparison
            now = report_year if report_year and mt.group() in self.report_relative else publication_year
            out.append((mt.start(), mt.end(), now + self.relative_years[mt.group()]))
        return out

    def _reports_last_year(self, text: str, publication_month: int | None) -> bool:
        """Undated figures are last year's in a text out in January-March (annual results),
        unless it reports a span of this year that has already ended (1-2月份 in March); and
        in a text whose month is unknown when it speaks of the whole year (全年)."""
        if publication_month is None:
            return any(w in text for w in self.full_year_words)
        if publication_month not in self.last_full_year_months:
            return False
        return not any(
            _cn_month(mt.group(1)) < publication_month for mt in _MONTH_SPAN.finditer(text) if _cn_month(mt.group(1))
        )

    def _report_year(self, ctx: Context, stated_years, publication_year: int | None) -> int | None:
        """The year a text reports on, from its headline or first sentence (stated years only)."""
        year = self._headline_year(ctx, stated_years) or self._lead_year(ctx, stated_years, publication_year)
        ctx.lead_year = None  # found again with every year mention, relative ones too
        if year and publication_year and publication_year - 1 <= year <= publication_year:
            return year
        return None

    def _is_from_year(self, text: str, year_pos: int) -> bool:
        """从2017年的0.95%: the year opens the from-side of a change stated in its clause."""
        clause_end = _CLAUSE_END.search(text, year_pos)
        stop = clause_end.start() if clause_end else len(text)
        return text[max(0, year_pos - 1) : year_pos] in self.from_words and any(
            w in text[year_pos:stop] for w in self.to_words
        )

    def _after_from_year(
        self, ctx: Context, m: Mention, from_year: int, year_mentions, publication_year: int, from_pos: int = -1
    ):
        """The end of a change from a stated year, when no end year is stated: the year the
        sentences before speak of, if later (a text on 2019 tracing 从2017年的…), else now;
        由上年的…调整为… ends in the year after 上年, the year the text reports on."""
        if from_pos in ctx.relative_starts and ctx.text.startswith(self.last_year_words, from_pos):
            return from_year + 1, "stated", from_pos
        if from_pos in ctx.relative_starts:
            # 2021年…由十年前的第15位上升至第8位: the year stated before the change is its end
            sentence = ctx.sentence(from_pos)
            lo, hi = bisect_left(year_mentions, (sentence[0], -1)), bisect_left(year_mentions, (from_pos, -1))
            stated = [
                (pos, y)
                for pos, _, y in items_from(year_mentions, lo, hi)
                if pos not in ctx.relative_starts and y > from_year
            ]
            if stated:
                return stated[-1][1], "stated", stated[-1][0]
        year = self._context_year(m, ctx, year_mentions, publication_year)
        if year is not None and year > from_year:
            return year, "context", None
        return self._now_year(ctx, publication_year, review=False)

    def _to_side_without_year(self, text: str, clause, year_pos: int, m: Mention) -> bool:
        """由2019年的90亿元增至150亿元: the stated year belongs to the from-side only."""
        between = text[year_pos : m.cstart]
        before = text[clause[0] : year_pos]
        return any(w in between for w in self.to_words) and any(w in before for w in self.from_words)

    def _year(
        self,
        m: Mention,
        ctx: Context,
        clause,
        sentence,
        titles,
        year_mentions,
        publication_year: int | None,
        notes: list[str],
    ) -> tuple[int | None, str, int | None]:
        """(year, basis, where it was read) of a figure, tried in order of how directly the
        text states it: a span of years before it, a year in its sentence (or the change or
        comparison that year starts), a year after it in its clause, then what the text
        implies (context, headline, lead, the section's only year, the time of writing).
        Notes on how the year was reached go to `notes`."""
        ranged = self._range_year(m, ctx, clause, sentence, titles)
        if ranged is not None:
            return ranged
        years = self._years(ctx.text, sentence[0], m.cstart, titles, year_mentions)
        stated = self._stated_year(m, ctx, clause, years, year_mentions, publication_year, notes)
        if stated is not None:
            return stated
        right = [y for y in self._years(ctx.text, m.cend, clause[1], titles, year_mentions) if y[2] == "plain"]
        if right:
            return right[0][1], "stated", right[0][0]
        since = [y for y in years if y[2] == "since"]
        return self._implied_year(m, ctx, sentence, since, year_mentions, publication_year, notes)

    def _range_year(self, m: Mention, ctx: Context, clause, sentence, titles) -> tuple[int, str, int] | None:
        """Stated periods (2018—2022年…从5.7%上升到14.1%): the span's end, or its start when
        the figure stands after 从 with no 到 yet. A sentence without any stated period has
        none before any of its figures either, which is remembered per sentence."""
        text = ctx.text
        if sentence[0] not in ctx.has_year_range:
            ctx.has_year_range[sentence[0]] = _YEAR_RANGE.search(text, sentence[0], sentence[1]) is not None
        if not ctx.has_year_range[sentence[0]]:
            return None
        ranges = [r for r in _YEAR_RANGE.finditer(text, sentence[0], m.cstart) if not _inside(r.start(), titles)]
        if not ranges:
            return None
        first, last = int(ranges[-1].group(1)), int(ranges[-1].group(2))
        left_clause = text[clause[0] : m.cstart]
        frm = max(left_clause.rfind(w) for w in self.from_words)
        if frm != -1 and not any(w in left_clause[frm:] for w in self.to_words):
            return first, "range_start", ranges[-1].start()
        return last, "range_end", ranges[-1].start()

    def _stated_year(
        self, m: Mention, ctx: Context, clause, years, year_mentions, publication_year: int | None, notes: list[str]
    ) -> tuple[int | None, str, int | None] | None:
        """The year from the years stated before the figure in its sentence: the year before
        近N年 counted since a year, the end of a change from a year, the base of a comparison,
        else the nearest plain year; None when the sentence states none of these."""
        text = ctx.text
        plain = [y for y in years if y[2] == "plain"]
        since = [y for y in years if y[2] == "since"]
        rel = _RELATIVE_YEARS.search(text[clause[0] : m.cstart])
        if rel and since:
            span = rel.group(1)
            n_years = int(span) if span.isdigit() else int(cn2an.cn2an(span, "smart"))
            notes.append(f"period: the {n_years} years before {since[-1][1]}")
            return since[-1][1] - 1, "computed", since[-1][0]
        after = self._after_change_year(m, ctx, clause, plain, year_mentions, publication_year, notes)
        if after is not None:
            return after
        base = self._comparison_base(text, clause, years, m)
        if base is not None:
            notes.append(f"the value of {base[1]}, the base of the comparison")
            return base[1], "stated", base[0]
        if plain:
            return plain[-1][1], "stated", plain[-1][0]
        return None

    def _after_change_year(
        self, m: Mention, ctx: Context, clause, plain, year_mentions, publication_year: int | None, notes: list[str]
    ) -> tuple[int | None, str, int | None] | None:
        """A figure at the end of a change from a stated year, in the same clause (从2017年的
        …增长到1.45%) or a later one (从2017年的0.95%增长到1.45%，年均增幅达到0.17个百分点):
        it is about the change's end, whose year is not stated."""
        if not plain or publication_year is None:
            return None
        text, (at, year) = ctx.text, plain[-1][:2]
        if at >= clause[0] and self._to_side_without_year(text, clause, at, m):
            notes.append(f"end of a change from {year}; no end year stated")
        elif at < clause[0] and self._is_from_year(text, at):
            notes.append(f"after a change from {year}; no end year stated")
        else:
            return None
        return self._after_from_year(ctx, m, year, year_mentions, publication_year, at)

    def _implied_year(
        self, m: Mention, ctx: Context, sentence, since, year_mentions, publication_year: int | None, notes: list[str]
    ) -> tuple[int | None, str, int | None]:
        """The year a figure with no plain year in reach is of: up to the text's own year
        after 以来; else from the context, headline, lead or the section's only year; else
        the time of writing (目前…: even in the season of last year's results)."""
        text = ctx.text
        if since:
            notes.append(f"since {since[-1][1]}")
            if not any(w in text[sentence[0] : m.cstart] for w in self.now_words):
                # 2013年以来…一直稳居世界第二 in a report on 2019: up to the text's own year.
                only = self._only_year(ctx, m.cstart, year_mentions, publication_year)
                if only and only > since[-1][1]:
                    return only, "only_year", None
        now = any(w in text[sentence[0] : m.cstart] for w in self.now_words)
        if not since and not now:
            found = self._year_from_layout(m, ctx, year_mentions, publication_year, notes)
            if found is not None:
                return found
        return self._now_year(ctx, publication_year, last_year=not now)

    def _year_from_layout(
        self, m: Mention, ctx: Context, year_mentions, publication_year: int | None, notes: list[str]
    ) -> tuple[int, str, None] | None:
        """The year the text around the figure gives it: the sentences before it, the
        headline, the year the text opens with, the only year its section states."""
        year = self._context_year(m, ctx, year_mentions, publication_year)
        if year is not None:
            return year, "context", None
        year = self._headline_year(ctx, year_mentions)
        if year is not None:
            return year, "headline", None
        year = self._lead_year(ctx, year_mentions, publication_year)
        if year is not None:
            notes.append(f"the year the text opens with: {year}")
            return year, "lead", None
        only = self._only_year(ctx, m.cstart, year_mentions, publication_year)
        if only:
            notes.append(f"the only year its section states: {only}")
            return only, "only_year", None
        return None

    @staticmethod
    def _now_year(
        ctx: Context, publication_year: int | None, *, review: bool = True, last_year: bool = True
    ) -> tuple[int | None, str, int | None]:
        """The year of a figure the text dates as 'now'."""
        if publication_year is None:
            return None, "", None
        if review and ctx.is_review:
            # A work report reviews the year before it is delivered (2023年政府工作报告
            # reports 2022's results).
            return publication_year - 1, "review_year", None
        if last_year and ctx.reports_last_year:
            # Annual results come out in the first months of the next year (communiqués,
            # work reports, year-end news): an undated figure then is last year's.
            return publication_year - 1, "last_full_year", None
        return publication_year, "publication", None

    def _context_year(self, m: Mention, ctx: Context, year_mentions, publication_year: int | None) -> int | None:
        """The last year stated in the sentences before the figure's (the same for every
        figure of a sentence, so found once per sentence)."""
        key = ctx.sentence(m.cstart)[0]
        if key not in ctx.context_year:
            ctx.context_year[key] = self._find_context_year(m, ctx, year_mentions, publication_year)
        return ctx.context_year[key]

    def _find_context_year(self, m: Mention, ctx: Context, year_mentions, publication_year: int | None) -> int | None:
        text = ctx.text
        section = ctx.section_start(m.cstart)
        for a, b in ctx.previous_sentences(m.cstart, self.year_context_sentences):
            if b <= section:
                break
            a = max(a, section)
            years = self._years(text, a, b, _title_spans(text, a, b), year_mentions)
            # a year after the text's own (力争到2025年…) is a target's, not the date of the facts after it
            prev = [
                y
                for y in years
                if y[2] == "plain"
                and (publication_year is None or y[1] <= publication_year)
                # 占比由去年同期的24.9%上升到33.85%: last year's value, not the date of what follows
                and y[0] not in ctx.same_period_starts
                # 由上年的14.9:33.2:51.9调整为…: the start of a change, not the date of what follows
                and not self._is_from_year(text, y[0])
            ]
            if prev:
                return prev[-1][1]
            if any(y[2] == "since" for y in years) and publication_year is not None:
                break  # 2024年以来，…。1—10月…: a span that runs to the text's own time
        return None

    def _only_year(self, ctx: Context, pos: int, year_mentions, publication_year: int | None) -> int:
        """The one year the section holding pos states as a plain year, if it states just one
        (0 otherwise): a report on 2019 published in 2020 dates its undated figures to 2019.
        In news that opens with its day (7月14日，…) the year must come first: a figure
        before a look back (…。2022年，202家企业…) is of the news's own time."""
        start = ctx.section_start(pos)
        if start not in ctx.only_year:
            k = bisect_right(ctx.headings, pos)
            end = ctx.headings[k] if k < len(ctx.headings) else len(ctx.text)
            years = self._plain_years(ctx, start, end, year_mentions)
            if not years and start > 0:
                # 2023年，旅顺口区…。一、综合 全年地区生产总值…: a section that states no year
                # is of the one year the whole text states, when that is the year before
                # publication or the year of it (a report; an older year is another story)
                if ctx.whole_years is None:
                    ctx.whole_years = self._plain_years(ctx, 0, len(ctx.text), year_mentions)
                whole = ctx.whole_years
                if len(whole) == 1 and (publication_year is None or next(iter(whole)) >= publication_year - 1):
                    years = whole
            year = next(iter(years)) if len(years) == 1 else 0
            ok = year and (publication_year is None or year <= publication_year)
            first = 0
            if ok and start == 0 and ctx.opens_with_date:
                # a report's title (发布了《2023年…概览》) states the year too
                first = next(
                    p
                    for p, y, role in self._years(ctx.text, start, end, [], year_mentions)
                    if role == "plain" and y == year and p not in ctx.relative_starts
                )
            ctx.only_year[start] = (year, first) if ok else (0, 0)
        year, first = ctx.only_year[start]
        return year if first <= pos else 0

    def _plain_years(self, ctx: Context, start: int, end: int, year_mentions) -> set[int]:
        """The years stated as such (2023年), not counted from the publication (去年同期) nor
        part of a day (2024年4月1日, a dateline)."""
        titles = _title_spans(ctx.text, start, end)
        return {
            y
            for pos, y, role in self._years(ctx.text, start, end, titles, year_mentions)
            if role == "plain" and pos not in ctx.relative_starts and not _DAY.match(ctx.text, pos)
        }

    def _headline_year(self, ctx: Context, year_mentions) -> int | None:
        """The year a headline names (玉环市2019年国民经济和社会发展统计公报): the year the
        whole text is about, for figures that state none nearer."""
        if ctx.headline is None:
            return None
        a, b = ctx.headline
        years = {
            y
            for _, y, role in self._years(ctx.text, a, b, _title_spans(ctx.text, a, b), year_mentions)
            if role == "plain"
        }
        return years.pop() if len(years) == 1 else None  # …统计公报 2023 names its year twice

    def _lead_year(self, ctx: Context, year_mentions, publication_year: int | None) -> int | None:
        """The year a text's first sentence opens with (2024年，全市…): the year a report is
        about, for figures of later sections that state none (a communiqué out in April)."""
        if ctx.lead_year is None:
            ctx.lead_year = 0
            start = ctx.headline[1] if ctx.headline else 0
            while start < len(ctx.text) and ctx.text[start].isspace():
                start += 1
            first = ctx.sentence(start)
            years = self._years(ctx.text, first[0], first[1], _title_spans(ctx.text, *first), year_mentions)
            opens = years and years[0][0] == start and years[0][2] == "plain" and start not in ctx.relative_starts
            if opens:
                # 2024年4月1日 星期一: a dateline, not the year a report is on
                opens = not _DAY.match(ctx.text, start)
            # 2020年100家、2021年928家…: a list of years opens nothing
            if opens and len({y for _, y, role in years if role == "plain"}) == 1:
                year = years[0][1]
                # a report comes out within a year or so of the year it is on
                if publication_year is None or publication_year - 1 <= year <= publication_year:
                    ctx.lead_year = year
        return ctx.lead_year or None

    def _comparison_base(self, text: str, clause, years, m: Mention) -> tuple[int, int] | None:
        """较2022年(59.28)提高2.15: the figure in brackets right after a compared year is
        that year's value, the base of the change that follows."""
        if not years or years[-1][2] != "comparison" or years[-1][0] < clause[0]:
            return None
        if m.cstart == 0 or text[m.cstart - 1] not in "(（":
            return None
        between = text[years[-1][0] : m.cstart]
        if any(w in between for w in self.increase_words + self.decrease_words):
            return None
        return years[-1][0], years[-1][1]
