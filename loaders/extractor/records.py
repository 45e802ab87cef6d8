"""The records of the extractor: a figure under decision and why it has no indicator."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from loaders.numbers import Mention
from loaders.subject import Subject

MAPPABLE_KINDS = ("figure", "rank")


class Reason(StrEnum):
    """Why a figure has no indicator: the fixed texts of the `reason` column. Code compares
    members (mapped.reason == Reason.TARGET), never prefixes of free text."""

    IN_TITLE = "inside a title or a quoted name"
    TARGET = "target, not a measurement"
    NO_INDICATOR = "no indicator rule matched its words, and its subject names no indicator"
    NO_YEAR = "no year stated or implied"


@dataclass
class Mapped:
    """A mention with what the text says about it; indicator_id is "" when unmapped."""

    mention: Mention
    indicator_id: str = ""
    rule_id: str = ""
    region_id: str = ""
    region_basis: str = ""
    year: int | None = None
    year_basis: str = ""
    quote_cspan: tuple[int, int] = (0, 0)
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    keyword_cpos: int | None = None
    context_cpos: list[int] = field(default_factory=list)  # where region and year were read
    subject: Subject | None = None  # what it measures, in the text's words (every figure)


@dataclass
class Decision:
    """What one dimension decided for a figure and why: the value, its basis (stated, list,
    relative, source_default …), the rule that decided it when a rule did, and the evidence
    (the offset of the word it was read from), so a later step or a reviewer can see where
    a decision came from without re-running it."""

    value: object = None
    basis: str = ""
    rule: str = ""
    evidence: int | None = None


@dataclass
class Figure:
    """One figure under decision: the parameters that travel together from one dimension
    to the next (where the figure stands in its text and list, the figures before it) and
    the decisions taken so far. The engine fills it step by step; Mapped is what is kept."""

    idx: int  # the figure's index among the text's mentions
    mapped: Mapped
    recent: list[Mapped]  # the figures before it that its decisions may look at
    sentence: tuple[int, int]
    clause: tuple[int, int]
    titles: list[tuple[int, int]]  # title and quoted-name spans of its sentence
    seg: tuple[int, int, int, int]  # its own words: (left start, number start, number end, right end)
    list_pos: tuple[int, int]  # (position, length) in its list of figures
    period: str = ""
    region: Decision = field(default_factory=Decision)
    year: Decision = field(default_factory=Decision)
    indicator: Decision = field(default_factory=Decision)
    named_items: tuple[str, str] | None = None  # (text, phrase) of the list item naming it
    implied_unit: str = ""

    @property
    def mention(self) -> Mention:
        return self.mapped.mention
