"""Region: which place a figure is about (named, relative, listed, or the text's own)."""

from __future__ import annotations

from bisect import bisect_left

from loaders.extractor.patterns import (
    _BRACKETED,
    _LIST_SEP,
    _RANK_FIELD_NEXT,
    _in_brackets,
)
from loaders.extractor.text import (
    Context,
    _inside,
)
from loaders.numbers import Mention


class RegionDimension:
    """The region methods of the Mapper (loaders/mapping.py), which holds the tables they read."""

    # ---- region ----------------------------------------------------------------
    def _resolve_shared(self, default_region: str | None) -> dict[str, str]:
        """Shared county names that the text's own region decides: in a text on 天津, 和平区
        is 天津's 和平区."""
        if not default_region or not self.shared_names:
            return {}
        if default_region in self._shared_by_region:
            return self._shared_by_region[default_region]

        own = set(self._ancestry(default_region))
        out = {}
        for name, ids in self.shared_names.items():
            inside = [rid for rid in ids if default_region in self._ancestry(rid) or rid in own]
            if len(inside) == 1:
                out[name] = inside[0]
        self._shared_by_region[default_region] = out
        return out

    def _relative_region(self, text: str, at: int, word: str, default_region: str) -> str:
        """全省 in a text on 成都 is 四川: a relative word names the text's region at its own
        level, the province holding a city or county (全市, 我市 stay the text's region)."""
        if word not in self.relative_lift or text.startswith(_RANK_FIELD_NEXT, at + len(word)):
            # 省级专精特新企业 in a county's report: a class; 全省首个: the field of a first
            return default_region
        return next(
            (rid for rid in self._ancestry(default_region) if self.level.get(rid) == "province"), default_region
        )

    def _ancestry(self, rid: str) -> list[str]:
        """The region and the regions holding it, nearest first."""
        chain: list[str] = []
        while rid and rid not in chain:
            chain.append(rid)
            rid = self.region_parent.get(rid, "")
        return chain

    def _region_of(self, ctx: Context, alias: str) -> str:
        return self.alias_to_region.get(alias) or ctx.shared_regions[alias]

    def _alias_matches(self, ctx: Context, a: int, b: int) -> list[tuple[int, int, str]]:
        """The region names a scan of text[a:b] finds, taken from one scan of the sentence
        around them (figures of one sentence look left and right in it again and again),
        unless a name found there runs across a or b: then text[a:b] is scanned itself."""
        start, end = ctx.sentence(a)
        if b > end:
            return self._scan_names(ctx, a, b)
        scanned = ctx.sentence_aliases.get(start)
        if scanned is None:
            found = self._scan_names(ctx, start, end)
            scanned = ctx.sentence_aliases[start] = (found, [x[0] for x in found])
        found, starts = scanned
        lo, hi = bisect_left(starts, a), bisect_left(starts, b)
        if (lo > 0 and found[lo - 1][1] > a) or (hi > lo and found[hi - 1][1] > b):
            return self._scan_names(ctx, a, b)
        return found[lo:hi]

    def _scan_names(self, ctx: Context, a: int, b: int) -> list[tuple[int, int, str]]:
        found = [(mt.start(), mt.end(), mt.group()) for mt in self.alias_re.finditer(ctx.text, a, b)]
        if ctx.shared_regions and self.shared_scanner is not None:
            extra = [
                (mt.start(), mt.end(), mt.group())
                for mt in self.shared_scanner.finditer(ctx.text, a, b)
                if mt.group() in ctx.shared_regions
            ]
            if extra:  # a resolved shared name beats a shorter name inside it
                kept = [f for f in found if not any(e[0] < f[1] and f[0] < e[1] for e in extra)]
                found = sorted(kept + extra)
        return found

    def _alias_hits(
        self, ctx: Context, a: int, b: int, titles, datelines=(), rank: Mention | None = None
    ) -> list[tuple[int, str]]:
        text = ctx.text
        hits = []
        yardstick_end = -1  # end of the last region that is not a subject
        for start, end, alias in self._alias_matches(ctx, a, b):
            if _inside(start, titles) or _inside(start, datelines):
                continue
            # 对欧盟、美国和东盟的进出口额: the items of a list after 对 are partners, like the first.
            continues = 0 <= yardstick_end < start and all(c in _LIST_SEP for c in text[yardstick_end:start])
            if continues or not self._is_subject(text, start, end, self.region_not_subject_before, rank):
                yardstick_end = end
                continue
            hits.append((start, self._region_of(ctx, alias)))
        return hits

    def _is_subject(self, text: str, a: int, b: int, before_words: tuple[str, ...], rank: Mention | None) -> bool:
        """A region named as a yardstick (高于全国平均, 比上海) or as the field of a rank
        (居全国第三, 全国排名由第18位) is not the region the figure describes."""
        head = text[max(0, a - 3) : a]
        if head.endswith(before_words):
            return False
        if text.startswith(self.region_not_subject_after, b) and not text.startswith(self.region_subject_after, b):
            return False
        if text[a:b] in self.field_words and text.startswith(self.field_after, b):
            return False  # 全国排名, 全省第一: the field a rank or an average is taken over
        if (
            text[a:b] in self.field_words
            and self.counted_before_re
            and self.counted_before_re.search(text, max(0, a - 2), a)
        ):
            return False  # 2家全国重点实验室: a class of the things counted, not a place
        if rank is not None and text[a:b] in self.field_words and a < rank.cstart:
            # 在全国78个创新型城市中，排名第十: a broad word before a rank is its field, unless
            # another field follows it (全国GDP居世界第二: 全国 is then what is ranked).
            between = text[b : rank.cstart]
            if not any(w in between for w in self.field_words):
                return False
        if text[a:b] in self.field_words and self.field_market_re is not None and self.field_market_re.match(text, b):
            return False  # 占据全球中高端市场80%份额: the market a share is taken of
        return not (rank is not None and self.rank_scope_gap.fullmatch(text, b, rank.cstart))

    def _region(
        self, m: Mention, ctx: Context, clause, sentence, titles, default_region: str | None
    ) -> tuple[str, str, int | None]:
        text = ctx.text
        rank = m if m.kind == "rank" else None
        if m.cstart > 0 and text[m.cstart - 1] in "(（":
            # 超过法国(2.35%)、荷兰(2.29%): a figure in brackets right after a name is that
            # region's, even where the name is a yardstick of the sentence's own figure.
            named = self._alias_matches(ctx, max(sentence[0], m.cstart - 12), m.cstart - 1)
            if named and named[-1][1] == m.cstart - 1 and not _inside(named[-1][0], titles):
                return self._region_of(ctx, named[-1][2]), "stated", named[-1][0]
        left = self._alias_hits(ctx, sentence[0], m.num_cstart, titles, ctx.datelines, rank)
        if left and any(b in text[sentence[0] : m.cstart] for b in "(（"):
            # 山区23县(平阳县、柯城区和莲都区被调出)平均…指数: names in a closed bracket are a note
            notes_at = [b.span() for b in _BRACKETED.finditer(text, sentence[0], m.cstart)]
            left = [h for h in left if not any(a0 < h[0] < a1 for a0, a1 in notes_at)]
        if rank is not None:
            # 人工智能发展潜力全国第7: what is ranked over 全国 lies inside China, so it is not China
            # (获评中国软件特色名城 earlier in the sentence names no region of the figure).
            before = text[clause[0] : m.cstart]
            over = {self.alias_to_region[w] for w in self.field_words if w in self.alias_to_region and w in before}
            left = [h for h in left if h[1] not in over]
        rel_left = []
        not_subject = self.region_not_subject_before + self.relative_not_subject_before
        if self.relative_re is not None:
            rel_left = [
                (x.start(), x.group())
                for x in self.relative_re.finditer(text, clause[0], m.cstart)
                if self._is_subject(text, x.start(), x.end(), not_subject, rank)
            ]
        # Nearest named region to the left in the clause, then in the sentence; a relative
        # word (全省) nearer than any name points to the text's own region.
        in_clause = [h for h in left if h[0] >= clause[0]]
        if rel_left and (not in_clause or rel_left[-1][0] > in_clause[-1][0]) and default_region:
            word_at, word = rel_left[-1]
            return self._relative_region(text, word_at, word, default_region), "relative", word_at
        if in_clause:
            return in_clause[-1][1], "stated", in_clause[-1][0]
        right = self._alias_hits(ctx, m.cend, clause[1], titles, ctx.datelines)
        if right:
            return right[0][1], "stated", right[0][0]
        if self.relative_re is not None and default_region:
            # …全球创新指数第二名，全省研发经费…，区域创新综合能力全国第一: 全省, nearer than the
            # name in an earlier clause, still points to the text's own region.
            rel_before = [
                (x.start(), x.group())
                for x in self.relative_re.finditer(text, sentence[0], clause[0])
                if self._is_subject(text, x.start(), x.end(), not_subject, None)
            ]
            if rel_before and (not left or rel_before[-1][0] > left[-1][0]):
                word_at, word = rel_before[-1]
                return self._relative_region(text, word_at, word, default_region), "relative", word_at
        if left:
            return left[-1][1], "stated", left[-1][0]
        if default_region:
            return default_region, "source_default", None
        return "china", "country_default", None

    # ---- lists: 长三角、珠三角…分别从4.6%、2.2%上升到7.9%、3.9% -----------------------
    def _list_regions(self, ctx: Context, clause, titles, first: int) -> tuple[int, list[str]] | None:
        """Regions listed before 分别, or right before the clause's first figure (浙江、山东、
        江苏以22家、18家、13家; 辽宁和山西均上升5位): the figures take them in order."""
        text = ctx.text
        k = min((i for w in self.respective_words if (i := text.find(w, clause[0], clause[1])) != -1), default=-1)
        if k == -1:
            k = first
            hits = self._alias_hits(ctx, clause[0], k, titles)
            if not hits:
                return None
            last_alias = self.alias_re.match(text, hits[-1][0])
            if last_alias is None or k - last_alias.end() > self.list_gap_max:
                return None
            k = last_alias.end()  # the figures after it take the regions in order
        else:
            hits = self._alias_hits(ctx, clause[0], k, titles)
            if len([h for h in hits if not _in_brackets(text, h[0], clause[0])]) < 2:
                # 江苏、广东、浙江占据前三，分别为711家、561家和400家: the list may close
                # the clause before the one with 分别.
                start = ctx.clause(clause[0] - 1)[0] if clause[0] > 0 else clause[0]
                hits = self._alias_hits(ctx, max(start, ctx.sentence(clause[0])[0]), k, titles)
        if len(hits) < 2:
            return None
        # Keep the run of regions joined by list separators right before 分别; a region in
        # brackets is a note on an item (广东(含深圳)), not an item.
        hits = [h for h in hits if not _in_brackets(text, h[0], ctx.sentence(clause[0])[0])]
        if len(hits) < 2:
            return None
        run = [hits[-1]]
        for pos, rid in reversed(hits[:-1]):
            between = text[pos : run[0][0]]
            named = self.alias_re.match(text, pos)
            alias_len = named.end() - pos if named else 0
            gap = _BRACKETED.sub("", between[alias_len:])
            if gap and all(c in _LIST_SEP for c in gap):
                run.insert(0, (pos, rid))
            else:
                break
        if len(run) < 2:
            return None
        return k, [rid for _, rid in run]
