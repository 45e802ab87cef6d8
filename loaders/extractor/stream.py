"""The numbers of a long text read as a stream: what the whole text's numbers say that a
figure may ask about (its years, where each figure stands in its list) gathered in a first
pass into typed arrays, and a window over a second pass that holds only the mentions near
the figure being mapped. Memory then grows by a few bytes per number, not by the hundreds a
Mention object and its strings take."""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass

from loaders.extractor.patterns import _TERM_SEP
from loaders.extractor.text import MAX_CLAUSE_CHARS, RECENT_FIGURES
from loaders.numbers import Mention

# How many mentions before the one being mapped stay readable: a figure's own words and the
# list it ends look back within its clause (at most MAX_CLAUSE_CHARS characters, so at most
# that many mentions), its decisions over RECENT_FIGURES figures.
KEEP_BEFORE = 2 * (MAX_CLAUSE_CHARS + RECENT_FIGURES)


class ListPositions:
    """(position, length) of each figure in its list, as two typed arrays: figures of one
    unit joined only by list separators (4.2%、5.0%和6.7%; 2.8:41.1:56.1). A figure alone is
    (0, 1)."""

    def __init__(self) -> None:
        self._pos = array("i")
        self._length = array("i")
        self._last: Mention | None = None

    def add(self, m: Mention, text: str) -> None:
        a = self._last
        joined = (
            a is not None
            and a.kind == m.kind == "figure"
            and a.base_unit == m.base_unit
            and all(c in _TERM_SEP for c in text[a.cend : m.cstart])
        )
        self._pos.append(self._pos[-1] + 1 if joined else 0)
        self._last = m

    def close(self) -> None:
        """Each run's length, from its last figure back (once every mention is added)."""
        pos = self._pos
        length = array("i", bytes(len(pos) * pos.itemsize))
        i = len(pos) - 1
        while i >= 0:
            n = pos[i] + 1
            for j in range(i - pos[i], i + 1):
                length[j] = n
            i -= n
        self._length = length
        self._last = None

    def __len__(self) -> int:
        return len(self._pos)

    def __getitem__(self, i: int) -> tuple[int, int]:
        return self._pos[i], self._length[i]


@dataclass
class Survey:
    """What a first pass over a text's numbers keeps: how many there are, whether the first is
    a date, the stated years (compact start and end of the digits, year) and list positions."""

    count: int
    opens_with_date: bool
    stated_years: list[tuple[int, int, int]]
    list_pos: ListPositions


def survey(mentions: Iterator[Mention], text: str) -> Survey:
    first_kind = ""
    years: list[tuple[int, int, int]] = []
    list_pos = ListPositions()
    for m in mentions:
        if not first_kind:
            first_kind = m.kind
        if m.kind == "year" and m.value is not None:
            years.append((m.num_cstart, m.num_cend, int(m.value)))
        list_pos.add(m, text)
    list_pos.close()
    years.sort()
    return Survey(len(list_pos), first_kind == "date", years, list_pos)


class MentionWindow:
    """The mentions of a text by index, read lazily from a second pass: those from KEEP_BEFORE
    before the last one asked for (see `forget_before`) to the furthest one looked ahead at.
    Asking for one already forgotten is a bug in a bound, and says so."""

    def __init__(self, mentions: Iterator[Mention], count: int) -> None:
        self._source = mentions
        self._held: list[Mention] = []
        self._first = 0  # the index of _held[0]
        self.count = count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, i: int) -> Mention:
        if not 0 <= i < self.count:
            raise IndexError(i)
        if i < self._first:
            raise IndexError(f"mention {i} was forgotten (the window starts at {self._first})")
        while i >= self._first + len(self._held):
            self._held.append(next(self._source))
        return self._held[i - self._first]

    def forget_before(self, i: int) -> None:
        """Mentions more than KEEP_BEFORE before i will not be read again."""
        drop = i - KEEP_BEFORE - self._first
        if drop > KEEP_BEFORE:
            del self._held[:drop]
            self._first += drop
