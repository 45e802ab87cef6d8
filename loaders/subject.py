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
# mapper then picks the currency's variant), and index values stated without a unit.
_SAME_BASE = ({"CNY", "USD", "EUR"}, {"index", "index_points", "none"}, {"households", "enterprises"})


def _same_base(a: str | None, b: str) -> bool:
    return a == b or any(a in group and b in group for group in _SAME_BASE)


@dataclass(frozen=True)
class Subject:
    text: str  # the words as the text writes them (quote marks and short brackets dropped)
    measure: str
    inherited: bool = False  # taken from the figure before it in its sentence
    after: bool = False  # read after the number (524家中国大陆企业), not before it


class SubjectReader:
    """Subject and measure of a figure, and the catalogue indicator they name."""

    def __init__(self, ref: Reference, alias_re: re.Pattern, to_words: tuple[str, ...]) -> None:
        cfg = ref.rules.get("subject") or {}
        self.boundary = set(cfg.get("boundary_chars", "，,、；;：:。！？!?\n"))
        self.drop_re = re.compile(cfg.get("drop", r"(?!x)x"))
        self.tail_re = re.compile(cfg.get("tail", r"(?!x)x$"))
        self.head_re = re.compile(cfg.get("head", r"(?!x)x"))
        self.min_chars = int(cfg.get("min_chars", 2))
        self.share_of = tuple(cfg.get("share_of", ["占"]))
        cut = sorted(cfg.get("cut_after", ()), key=len, reverse=True)
        self.cut_re = re.compile("|".join(re.escape(w) for w in cut)) if cut else None
        self.harmless = set(cfg.get("harmless_prefixes", ()))
        self.growth_words = tuple(cfg.get("growth_words", ()))
        self.growth_ends = tuple(cfg.get("growth_subject_ends", ()))
        self.change_words = tuple(cfg.get("change_words", ()))
        self.synonyms = sorted((cfg.get("synonyms") or {}).items(), key=lambda kv: len(kv[0]), reverse=True)
        self.to_words = tuple(w for w in to_words if w in ("到", "至")) or ("到", "至")
        self.alias_re = alias_re
        cmp_words = "|".join(re.escape(w) for w in cfg.get("tail_comparison", ()))
        self.comparison_re = re.compile(f"(?:{cmp_words})(?:{alias_re.pattern})$") if cmp_words else None
        self.right_counters = tuple(cfg.get("right_counters", ()))
        stops = sorted(cfg.get("right_stop", ()), key=len, reverse=True)
        self.right_stop_re = re.compile("|".join(re.escape(w) for w in stops)) if stops else None
        self.max_right = int(cfg.get("max_right", 12))
        indicators = {i["indicator_id"]: i for i in ref.indicators}
        self.base = {iid: i["base_unit"] for iid, i in indicators.items()}
        self.growth_id = {iid: i["growth_id"] for iid, i in indicators.items() if i.get("growth_id")}
        self.times_id = {iid: i["times_id"] for iid, i in indicators.items() if i.get("times_id")}
        self.growth_ids = set(self.growth_id.values())
        self.change_id: dict[str, str] = {}
        self.change_ids: set[str] = set()
        for iid, i in indicators.items():
            if i.get("change_of"):
                self.change_id.setdefault(i["change_of"], iid)
                self.change_ids.add(iid)
        # Names: each indicator's own name and its aliases_zh (other names texts use for
        # exactly that measure), and the keywords of plain rules (a rule without require,
        # period or list position names its indicator outright).
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
        name = self.drop_re.sub("", name)
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
        cut = max((i for i, ch in enumerate(left) if ch in self.boundary), default=-1)
        phrase = left[cut + 1 :]
        if self.cut_re is not None:
            said = list(self.cut_re.finditer(phrase))
            if said:
                phrase = phrase[said[-1].end() :]
        tail_start = len(phrase)
        while phrase:
            t = self.tail_re.search(phrase)
            if (t is None or t.start() == len(phrase)) and self.comparison_re is not None:
                t = self.comparison_re.search(phrase)
            if t is None or t.start() == len(phrase):
                break
            phrase = phrase[: t.start()]
        tail = left[len(left) - (tail_start - len(phrase)) :]  # the predicate stripped off
        while phrase:
            h = self.head_re.match(phrase) or self.alias_re.match(phrase)
            if h is None or h.end() == 0:
                break
            phrase = phrase[h.end() :]
        measure = self.measure(m, phrase, tail)
        if len(phrase) <= self.min_chars:
            # Nothing, or one word (签署, 入选), before a counter: the counted thing follows it.
            right = self._right(text, m)
            if right:
                return Subject(right, measure, after=True)
        if phrase.startswith(self.share_of) and previous is not None and not previous.text.startswith(self.share_of):
            # 利税…，占规上工业比重从6.9%: the share is of the thing named before
            owner = previous.text
            for w in self.share_of:
                owner = owner.split(w)[0]
            return Subject(owner + phrase, measure, inherited=True)
        if len(phrase) < self.min_chars and previous is not None:
            return Subject(previous.text, measure, inherited=True)
        return Subject(phrase if len(phrase) >= self.min_chars else "", measure)

    def _right(self, text: str, m: Mention) -> str:
        """The counted thing after a counter: 524家中国大陆企业 -> 中国大陆企业."""
        if not m.unit.endswith(self.right_counters):
            return ""
        after = self.drop_re.sub("", text[m.cend : m.cend + 3 * self.max_right])
        end = next((i for i, ch in enumerate(after) if ch in self.boundary), len(after))
        after = after[:end]
        if self.right_stop_re is not None:
            stop = self.right_stop_re.search(after)
            if stop is not None:
                after = after[: stop.start()]
        return after if self.min_chars <= len(after) <= self.max_right else ""

    def measure(self, m: Mention, subject: str, tail: str) -> str:
        unit = m.base_unit
        if m.kind == "rank" or unit in ("rank", "rank_from_bottom"):
            return "rank"
        if unit == "times":
            return "multiple"
        if unit == "pp":
            return "change"
        if unit == "percent":
            if subject.endswith(self.growth_ends) or self._said(tail, self.growth_words):
                return "growth"
            return "share"
        return "change" if self._said(tail, self.change_words) else "level"

    def _said(self, tail: str, words: tuple[str, ...]) -> bool:
        """A change word in the predicate, with no to-word after it (提高到67.1% is a level)."""
        last = max((tail.rfind(w) + len(w) for w in words if w in tail), default=-1)
        return last >= 0 and not any(w in tail[last:] for w in self.to_words)

    # ---- catalogue ---------------------------------------------------------------
    def indicator(self, subject: Subject, base_unit: str, field: str = "") -> str | None:
        """The catalogue indicator a subject names, for its measure: the subject is an
        indicator's name or a plain rule's keyword (after a harmless prefix at most), then
        the catalogue's links (growth_id, change_of, times_id) lead to the measure stated."""
        key = self.normalise(subject.text)
        if len(key) < 2:
            return None
        if subject.measure == "rank":
            hits: dict[str, list[str]] = {}
            for name, iid in self.rank_names:
                if key in name:
                    hits.setdefault(iid, []).append(name)
            in_field = [iid for iid, names in hits.items() if field and any(field in n for n in names)]
            if len(in_field) == 1:
                return in_field[0]
            return next(iter(hits)) if len(hits) == 1 else None
        for i in range(0, len(key) - 1):
            cands = self.names.get(key[i:])
            if not cands:
                continue
            if i and key[:i] not in self.harmless:
                return None  # 婴儿死亡率 is not 死亡率: a modifier makes it another measure
            for iid in sorted(cands):
                found = self._for_measure(iid, subject.measure, base_unit)
                if found:
                    return found
            return None  # the longest name found decides; a shorter one would be a guess
        return None

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
            if _same_base(base, base_unit):
                return self.change_id.get(iid)
            return None
        if measure == "share":
            return iid if base == "percent" and iid not in self.growth_ids else None
        # level
        if iid in self.change_ids or iid in self.growth_ids:
            return None
        return iid if _same_base(base, base_unit) else None
