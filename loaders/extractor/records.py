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
