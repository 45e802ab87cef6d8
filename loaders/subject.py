"""What a figure measures, in the text's own words, and the catalogue indicator of that name.

Hand-written indicator rules only know the phrasings they were written from. Every figure
also gets its *subject* (the words naming what is measured, 规模以上工业增加值) and its
*measure* (level, growth, change, share, rank, multiple), read by one grammar for all
figures. A figure outside the catalogue then still says what it is, and a figure whose
subject is an indicator's name (or a rule's keyword) finds that indicator without a rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.numbers import Mention
from loaders.reference import Reference

MEASURES = ("level", "growth", "change", "share", "rank", "multiple")
# Trailing words that name a count or a total rather than the thing (专利数量 = 专利).
_NAME_ENDS = ("数量", "总数", "总量", "总额", "规模", "个数", "数")
# Base units that may stand for one another when a name decides: money in any currency (the
# mapper then picks the currency's variant), and index values stated without a unit. A
# figure's counter may also count what rules.yaml's counted_as says (户 counts businesses too).
_SAME_BASE = ({"CNY", "USD", "EUR"}, {"index", "index_points", "none"})
_BARE_SHARE_WORDS = ("占比", "比重")


_NUMERALS = "一二三四五六七八九十"


_NEXT_FIGURE = re.compile(r"[和及与、](?=[0-9])")


def _in_ratio(text: str, m: Mention) -> bool:
    """A term of 2.8:41.1:56.1 (compact text offsets)."""
    return text[m.cend : m.cend + 1] in (":", "：") or text[max(0, m.cstart - 1) : m.cstart] in (":", "：")


def _numeral_list(s: str, i: int) -> bool:
    """The 、 of 第一、二、三产业 joins numerals inside one name; it bounds nothing."""
    return s[i] == "、" and 0 < i < len(s) - 1 and s[i - 1] in _NUMERALS and s[i + 1] in _NUMERALS


def _paren_boundary(left: str, max_inner: int) -> int:
    """Where a bracket bounds the subject: the last opening bracket not closed before the
    number, or one whose content is longer than max_inner (a clause, not an abbreviation)."""
    cut, stack = -1, []
    for i, ch in enumerate(left):
        if ch in "(（":
            stack.append(i)
        elif ch in ")）":
            if stack:
                j = stack.pop()
                if i - j - 1 > max_inner:
                    cut = max(cut, i)
            else:
                cut = max(cut, i)
    return max([cut, *stack])


_RANK_FIELDS = ("世界", "全国", "全省", "全市")


@dataclass(frozen=True)
class Subject:
    text: str  # the measured thing, as the text writes it (quote marks and short brackets dropped)
    measure: str
    inherited: bool = False  # taken from the figure before it in its sentence
    after: bool = False  # read after the number (524家中国大陆企业), not before it
    phrase: str = ""  # all the words naming the figure (增加值占规上工业的比重); text is 增加值
    context: bool = False  # taken from a sentence before (elliptical prose): never used to map


class SubjectReader:
    """Subject and measure of a figure, and the catalogue indicator they name."""

    def __init__(self, ref: Reference, alias_re, to_words: tuple[str, ...]) -> None:
        cfg = ref.rules.get("subject") or {}
        self.alias_re = alias_re
        self.to_words = tuple(w for w in to_words if w in ("到", "至")) or ("到", "至")
        self._init_left_words(cfg)
        self._init_right_words(cfg, ref.rules)
        indicators = {i["indicator_id"]: i for i in ref.indicators}
        self._init_links(indicators)
        self.generic_nouns = frozenset(self.normalise(str(w)) for w in cfg.get("generic_nouns", ()))
        self._init_names(ref, indicators)

    def _init_left_words(self, cfg: dict) -> None:
        """The words that bound, trim and rewrite a subject read left of its figure."""
        self.boundary = set(cfg.get("boundary_chars", "，,、；;：:。！？!?\n"))
        self.drop_re = re.compile(cfg.get("drop", r"(?!x)x"))
        # Names are compared without what a short bracket adds (研究与试验发展(R&D)经费).
        self.name_drop_re = re.compile(cfg.get("name_drop", r"(?!x)x"))
        self.max_paren = int(cfg.get("max_paren_chars", 12))
        self.tail_re = re.compile(cfg.get("tail", r"(?!x)x$"))
        self.head_re = re.compile(cfg.get("head", r"(?!x)x"))
        self.min_chars = int(cfg.get("min_chars", 2))
        self.share_of = tuple(cfg.get("share_of", ["占"]))
        self.owner_re = re.compile(cfg.get("owner_of", r"(?!x)x"))
        self.measure_words_re = re.compile(cfg.get("measure_words", r"(?!x)x"))
        cut = sorted(cfg.get("cut_after", ()), key=len, reverse=True)
        cut_alternatives = [re.escape(w) for w in cut] + list(cfg.get("cut_after_patterns", ()))
        self.cut_re = re.compile("|".join(cut_alternatives)) if cut_alternatives else None
        # Verbs inside a subject are dropped, its two sides kept (规模以上工业实现增加值 ->
        # 规模以上工业增加值).
        inner = cfg.get("inner_verbs", ())
        self.inner_re = re.compile("|".join(inner)) if inner else None
        self.harmless = set(cfg.get("harmless_prefixes", ()))
        self.growth_words = tuple(cfg.get("growth_words", ()))
        self.growth_ends = tuple(cfg.get("growth_subject_ends", ()))
        self.change_words = tuple(cfg.get("change_words", ()))
        self.change_ends = tuple(cfg.get("change_subject_ends", ()))
        self.synonyms = sorted((cfg.get("synonyms") or {}).items(), key=lambda kv: len(kv[0]), reverse=True)
        self.comparison_words = tuple(cfg.get("tail_comparison", ()))
        self.gdp_words = tuple(cfg.get("gdp_words", ()))

    def _init_right_words(self, cfg: dict, rules: dict) -> None:
        """The words that bound a subject read right of its figure (3家企业), and the units a
        counter also counts."""
        self.right_counters = tuple(cfg.get("right_counters", ()))
        stops = sorted(cfg.get("right_stop", ()), key=len, reverse=True)
        self.right_stop_re = re.compile("|".join(re.escape(w) for w in stops)) if stops else None
        self.max_right = int(cfg.get("max_right", 12))
        self.count_verbs = tuple(cfg.get("count_verbs", ()))
        passed = cfg.get("right_passed")
        self.right_passed_re = re.compile(passed) if passed else None
        self.share_of_after = str(cfg.get("right_after_share", ""))
        superlative = cfg.get("superlative")
        self.superlative_re = re.compile(superlative) if superlative else None
        counted_as = rules.get("counted_as") or {}
        # figure's base unit -> the indicator base units its counter also counts
        self.counted_as = {str(k): {str(x) for x in v} for k, v in counted_as.items()}

    def _init_links(self, indicators: dict[str, dict]) -> None:
        """The catalogue's links between indicators (growth_id, change_of, times_id …): a
        figure related to another takes the linked indicator."""
        self.base = {iid: i["base_unit"] for iid, i in indicators.items()}
        self.growth_id = {iid: i["growth_id"] for iid, i in indicators.items() if i.get("growth_id")}
        self.times_id = {iid: i["times_id"] for iid, i in indicators.items() if i.get("times_id")}
        self.share_id = {iid: i["share_id"] for iid, i in indicators.items() if i.get("share_id")}
        self.gdp_share_id = {iid: i["gdp_share_id"] for iid, i in indicators.items() if i.get("gdp_share_id")}
        self.batch_id = {iid: i["batch_id"] for iid, i in indicators.items() if i.get("batch_id")}
        self.avg_id = {iid: i.get("avg_id") for iid in self.growth_id.values() if (i := indicators.get(iid))}
        self.cumulative_id = {
            iid: i.get("cumulative_id") for iid in self.growth_id.values() if (i := indicators.get(iid))
        }
        self.growth_ids = set(self.growth_id.values())
        self.change_id: dict[str, str] = {}
        self.change_ids: set[str] = set()
        for iid, i in indicators.items():
            if i.get("change_of"):
                self.change_id.setdefault(i["change_of"], iid)
                self.change_ids.add(iid)

    def _init_names(self, ref: Reference, indicators: dict[str, dict]) -> None:
        """The names a subject is looked up by: each indicator's own name and its aliases_zh
        (other names texts use for exactly that measure), and the keywords of plain rules (a
        rule without require, period or list position names its indicator outright)."""
        self.names: dict[str, set[str]] = {}
        for iid, i in indicators.items():
            self._add_name(str(i.get("name_zh") or ""), iid)
            for alias in i.get("aliases_zh") or ():
                self._add_name(str(alias), iid)
        raw = {str(r["id"]): r for r in ref.rules.get("indicator_rules", [])}
        for rule in ref.indicator_rules:
            r = raw.get(rule.id, {})
            if r.get("require") or r.get("period") or r.get("by_position") or r.get("context"):
                continue
            for kw in rule.keywords:
                if len(kw) >= 3 and not self.tail_re.search(kw):
                    self._add_name(kw, rule.indicator)
        self.rank_names = [
            (self.normalise(str(name)), iid)
            for iid, i in indicators.items()
            if i["base_unit"] == "rank"
            for name in (i["name_zh"], *(i.get("aliases_zh") or ()))
        ]

    # ---- names -----------------------------------------------------------------
    def normalise(self, name: str) -> str:
        name = self.name_drop_re.sub("", self.drop_re.sub("", name))
        for a, b in self.synonyms:
            name = name.replace(a, b)
        for end in _NAME_ENDS:
            if name.endswith(end) and len(name) > len(end) + 1:
                return name[: -len(end)]
        return name

    def _add_name(self, name: str, iid: str) -> None:
        key = self.normalise(name)
        if len(key) >= 2:
            self.names.setdefault(key, set()).add(iid)

    # ---- reading ----------------------------------------------------------------
    def read(self, text: str, m: Mention, start: int, previous: Subject | None) -> Subject:
        """The subject of figure m from the words in text[start:m.cstart]; previous is the
        subject of the figure before it in the same sentence, if any."""
        left = self.drop_re.sub("", text[start : m.cstart])
        if previous is not None and left and all(c in "、和及与" for c in left):
            # 分别比上年增长15.2%和28.2%: the next term of a list is measured like the first
            return Subject(previous.text, previous.measure, inherited=True, phrase=previous.phrase)
        phrase, tail, cut = self._words(left)
        measure = self.measure(text, m, phrase, tail)
        if len(self.core(phrase)) < self.min_chars and cut > 0 and self.superlative_re is not None:
            # 有效发明专利拥有量最多的是青岛，达到59414件: the figure is of the thing ranked
            best = self.superlative_re.search(left, 0, cut)  # anchored at the clause's end
            if best is not None:
                named, _, _ = self._words(left[: best.start()])
                named = self.core(named)
                if len(named) >= self.min_chars:
                    return Subject(named, measure, inherited=True, phrase=named)
        by_amount = left.endswith("以") and text.startswith("的", m.cend)  # 以2881.30亿元的输出技术成交额
        if (
            len(phrase) <= self.min_chars
            or (m.base_unit == "percent" and self.share_of_after)
            or (self.count_verbs and phrase.endswith(self.count_verbs))
            or by_amount
        ):
            # Nothing, or one word (签署, 入选), before a counter: the counted thing follows it.
            right = self._right(text, m, by_amount)
            if right:
                return Subject(right, measure, after=True, phrase=right)
        if phrase.startswith(self.share_of) and previous is not None and not previous.text.startswith(self.share_of):
            # 利税…，占规上工业比重从6.9%: the share is of the thing named before
            return Subject(previous.text, measure, inherited=True, phrase=previous.text + phrase)
        core = self.core(phrase)
        if len(core) < self.min_chars and previous is not None:
            # 二季度增长6.3%, 名义增速全省第一: the thing measured is the one named before;
            # 占GDP比重由35.1%提升至35.4%: with no words of its own, in the same words
            same = not phrase and measure == previous.measure != "rank" and previous.phrase
            return Subject(
                previous.text, measure, inherited=True, phrase=previous.phrase if same else previous.text + phrase
            )
        if len(core) < self.min_chars and cut > 0:
            # 新增专精特新中小企业数量逐年上升，分别为39家、55家: the clause before names it
            before, trend, _ = self._words(left[:cut])
            named = self.core(before)
            if len(named) >= self.min_chars and any(w in trend for w in self.growth_words):
                return Subject(named, measure, inherited=True, phrase=before)
        if len(core) < self.min_chars:
            return Subject("", measure, phrase=phrase if len(phrase) >= self.min_chars else "")
        return Subject(core, measure, phrase=phrase)

    def _words(self, left: str) -> tuple[str, str, int]:
        """(the words naming the figure, the predicate stripped off them, where the clause
        starts in left) for the words before a number."""
        cut = max(
            max((i for i, ch in enumerate(left) if ch in self.boundary and not _numeral_list(left, i)), default=-1),
            _paren_boundary(left, self.max_paren),
        )
        phrase = left[cut + 1 :]
        if self.inner_re is not None:
            phrase = self.inner_re.sub("", phrase)
        if self.cut_re is not None:
            said = list(self.cut_re.finditer(phrase))
            if said:
                phrase = phrase[said[-1].end() :]
        tail_start = len(phrase)
        while phrase:
            t = self.tail_re.search(phrase)
            start = None if t is None else t.start()
            if start is None or start == len(phrase):
                start = self._comparison_start(phrase)
            if start is None or start == len(phrase):
                break
            phrase = phrase[:start]
        tail = left[len(left) - (tail_start - len(phrase)) :]
        while phrase:
            h = self.head_re.match(phrase) or self.alias_re.match(phrase)
            if h is None or h.end() == 0:
                break
            phrase = phrase[h.end() :]
        return phrase, tail, cut

    def core(self, phrase: str) -> str:
        """The measured thing in a figure's words: X of X占Y比重 and X对Y的贡献率, without the
        words that only say the measure (增速, 占比, 排名), which `measure` carries."""
        owner = self.owner_re.match(phrase)
        if owner and len(owner.group(1).rstrip("的")) >= self.min_chars:
            phrase = owner.group(1).rstrip("的")
        while True:
            cut = self.measure_words_re.search(phrase)
            if cut is None or cut.start() == len(phrase):
                cut = self.tail_re.search(phrase)  # 比去年底增幅: the predicate before the measure word
            if cut is None or cut.start() == len(phrase):
                return phrase
            phrase = phrase[: cut.start()].rstrip("的")

    def _right(self, text: str, m: Mention, by_amount: bool = False) -> str:
        """The counted thing after a counter: 524家中国大陆企业 -> 中国大陆企业; after 以N的, the
        thing measured (by_amount)."""
        start = m.cend
        if (
            (m.base_unit == "percent" or by_amount)
            and self.share_of_after
            and text.startswith(self.share_of_after, start)
        ):
            start += len(self.share_of_after)
        elif not m.unit.endswith(self.right_counters):
            return ""
        after = self.drop_re.sub("", text[start : start + 3 * self.max_right])
        end = next((i for i, ch in enumerate(after) if ch in self.boundary), len(after))
        after = after[:end]
        passed = self.right_passed_re.match(after) if self.right_passed_re is not None else None
        if passed is not None:
            # 7912家企业通过科技型中小企业评价入库: those are 科技型中小企业; 13家企业入围全省制造业百强
            return passed.group(1) or passed.group(2)
        if self.right_stop_re is not None:
            stop = self.right_stop_re.search(after)
            if stop is not None:
                after = after[: stop.start()]
        after = after.lstrip("和与及、")
        nxt = _NEXT_FIGURE.search(after)
        if nxt is not None and nxt.start() > 0:
            after = after[: nxt.start()]  # 6%的营业收入和9.7%的利润: up to the next figure
        if any(ch.isdigit() for ch in after):
            return ""  # 134家和123家: the next figure, not the counted thing
        return after if self.min_chars <= len(after) <= self.max_right else ""

    def measure(self, text: str, m: Mention, subject: str, tail: str) -> str:
        unit = m.base_unit
        if m.kind == "figure" and unit == "rank":
            return "change"  # 排名上升6位: places moved
        if m.kind == "rank" or unit in ("rank", "rank_from_bottom") or self._top_n(text, m, tail):
            return "rank"
        if unit == "permille" or (unit == "none" and _in_ratio(text, m)):
            return "share"  # a rate in ‰, a term of 2.8:41.1:56.1
        if unit == "times":
            return "multiple"
        if unit == "pp":
            return "change"
        if unit == "percent":
            # 13.1%、32.8%的增长: the words after the figures say it is a growth rate
            after = text[m.cend : m.cend + 4].lstrip("、")
            if after.startswith(("的增长", "的增幅", "的增速")):
                return "growth"
            if subject.endswith(self.growth_ends) or self._said(tail, self.growth_words):
                return "growth"
            return "share"
        if subject.endswith(self.change_ends) or self._said(tail, self.change_words):
            return "change"
        return "level"

    def _comparison_start(self, phrase: str) -> int | None:
        """Where a yardstick closing the phrase starts (…超过北京, …高于全国): a comparison
        word followed by a place name that runs to the end; the leftmost such start."""
        starts = []
        for word in self.comparison_words:
            i = phrase.find(word)
            while i != -1:
                if phrase[i + len(word) :] in self.alias_re.names:
                    starts.append(i)
                    break
                i = phrase.find(word, i + 1)
        return min(starts) if starts else None

    @staticmethod
    def _top_n(text: str, m: Mention, tail: str) -> bool:
        """前3位, 前50强: a rank bracket, not a count of persons."""
        top = m.text.startswith("前") or tail.endswith("前")
        return top and (m.unit in ("位", "名") or text[m.cend : m.cend + 1] in ("强", "名", "位"))

    def _said(self, tail: str, words: tuple[str, ...]) -> bool:
        """A change word in the predicate, with no to-word after it (提高到67.1% is a level)."""
        last = max((tail.rfind(w) + len(w) for w in words if w in tail), default=-1)
        return last >= 0 and not any(w in tail[last:] for w in self.to_words)

    # ---- catalogue ---------------------------------------------------------------
    def indicator(self, subject: Subject, base_unit: str, field: str = "") -> str | None:
        """The catalogue indicator a subject names, for its measure: the subject is an
        indicator's name or a plain rule's keyword (after a harmless prefix at most), then
        the catalogue's links (growth_id, change_of, times_id) lead to the measure stated."""
        if subject.measure == "share" and base_unit == "percent":
            found = self._gdp_share(subject.phrase) or self._bare_share(subject)
            if found:
                return found
        for words in dict.fromkeys((subject.phrase, subject.text)):
            found = self._indicator(words, subject.measure, base_unit, field)
            if found:
                return found
        return None

    def _gdp_share(self, phrase: str) -> str | None:
        """研发经费支出占GDP比重 is R&D intensity: X占GDP比重 leads from X's level to the
        indicator of its share of GDP (gdp_share_id), whatever X's own unit."""
        owner = self.owner_re.match(phrase)
        if owner is None or not any(w in phrase[owner.end(1) :] for w in self.gdp_words):
            return None
        hits = {self.gdp_share_id[iid] for iid in self._named(owner.group(1).rstrip("的")) if iid in self.gdp_share_id}
        return hits.pop() if len(hits) == 1 else None

    def _bare_share(self, subject: Subject) -> str | None:
        """全社会R&D经费支出占比3.3% states no whole: the share of an amount that is itself
        a whole (R&D spending, not a part of it like 企业研发经费) is its share of GDP."""
        phrase = subject.phrase
        word = next((w for w in _BARE_SHARE_WORDS if phrase.endswith(w)), None)
        if word is None or self.owner_re.match(phrase[: -len(word)]):
            return None  # 占全省比重, 在…中的占比: a whole is named
        named = self._named(subject.text)
        if any(iid in self.share_id for iid in named):
            return None  # a part of a whole (企业研发经费占比 is its share of all R&D spending)
        hits = {self.gdp_share_id.get(iid) for iid in named}
        return hits.pop() if len(hits) == 1 else None

    def is_name(self, words: str) -> bool:
        """The words are an indicator's name or alias (常住人口), not a fragment of one."""
        return self.normalise(words) in self.names

    def _named(self, words: str) -> set[str]:
        """The indicators whose name or alias the words are (after a harmless prefix)."""
        key = self.normalise(words)
        for i in range(0, len(key) - 1):
            cands = self.names.get(key[i:])
            if cands:
                return set(cands) if not i or key[:i] in self.harmless else set()
        return set()

    def _indicator(self, words: str, measure: str, base_unit: str, field: str) -> str | None:
        key = self.normalise(words)
        if len(key) < 2 or key in self.generic_nouns:
            return None  # 深圳共有169家企业: some firms, not the region's count of all firms
        if measure == "rank" or (measure == "change" and base_unit == "rank"):
            # 区域创新能力…第2位; …排名上升6位: the rank the words name, or the change of it
            hits: dict[str, list[str]] = {}
            for name, iid in self.rank_names:
                if key in name and iid not in self.change_ids:
                    hits.setdefault(iid, []).append(name)
            in_field = [iid for iid, names in hits.items() if field and any(field in n for n in names)]
            found = in_field[0] if len(in_field) == 1 else next(iter(hits)) if len(hits) == 1 else None
            if (
                found
                and field
                and not in_field
                and any(f in n for n in hits[found] for f in _RANK_FIELDS if f != field)
            ):
                found = None  # 在全国各省区市中位列第23位 is not the rank in the world the name says
            return self.change_id.get(found) if found and measure == "change" else found
        for i in range(0, len(key) - 1):
            cands = self.names.get(key[i:])
            if not cands:
                continue
            if i and key[:i] not in self.harmless:
                return None  # 婴儿死亡率 is not 死亡率: a modifier makes it another measure
            for iid in sorted(cands):
                found = self._for_measure(iid, measure, base_unit)
                if found:
                    return found
            return None  # the longest name found decides; a shorter one would be a guess
        return None

    def _same_base(self, indicator_base: str | None, figure_base: str) -> bool:
        """The figure's counter counts what the indicator counts (户 counts businesses as well;
        家 counts zones an indicator counts with 个), not the other way round."""
        return (
            indicator_base == figure_base
            or any(indicator_base in group and figure_base in group for group in _SAME_BASE)
            or indicator_base in self.counted_as.get(figure_base, ())
        )

    def _for_measure(self, iid: str, measure: str, base_unit: str) -> str | None:
        base = self.base.get(iid)
        if measure == "multiple":
            return iid if base == "times" else self.times_id.get(iid)
        if measure == "growth":
            if iid in self.growth_ids:
                return iid
            return self.growth_id.get(iid)
        if measure == "change":
            if iid in self.change_ids and base == base_unit:
                return iid
            if base_unit == "pp" and base == "percent" and iid not in self.growth_ids:
                return self.change_id.get(iid)
            if base_unit == "pp" and iid in self.growth_ids:
                return self.change_id.get(iid)
            if self._same_base(base, base_unit):
                return self.change_id.get(iid)
            return None
        if measure == "share":
            if base == "percent" and iid not in self.growth_ids:
                return iid
            return self.share_id.get(iid) if base_unit == "percent" else None
        # level
        if iid in self.change_ids or iid in self.growth_ids:
            return None
        return iid if self._same_base(base, base_unit) else None
