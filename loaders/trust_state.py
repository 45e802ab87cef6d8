"""The state the trust stage (loaders/trust.py) keeps while figures flow through it one by one.

Two of its decisions look across the whole text: a figure whose region is only a default is
withdrawn when the text names several places, and values for one indicator, region, year and
period that cannot all be true are all withdrawn. Neither needs every figure in memory:
- the places named are a set of region ids (bounded by the region list); until it holds
  several, a figure whose fate depends on it is held as a row number and what to do;
- claims are kept per (indicator, region, year, period) as the first exact value and the
  distinct values stated, with the rows that made them.
What is decided only later comes back as a Withdrawal of a row already handed on, which the
caller applies to wherever it keeps its rows (a list of judgements, or table columns).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

CONFLICT_REASON = "conflicting_values"


class Withdrawal(NamedTuple):
    """A row handed on earlier whose indicator is taken back now. `insert_at` says where the
    evidence gains withdrawn:<id>: an offset (after the indicator's own evidence), None to
    append it, or -1 when the evidence already says so."""

    row: int
    indicator_id: str
    reason: str
    insert_at: int | None

    def evidence(self, before: str) -> str:
        if self.insert_at == -1:
            return before
        note = f"; withdrawn:{self.indicator_id}"
        if self.insert_at is None:
            return before + note
        return before[: self.insert_at] + note + before[self.insert_at :]


Claim = tuple[tuple, float, str]  # (indicator, region, year, period), value in base units, qualifier


@dataclass
class _KeyClaims:
    first_row: int = -1  # the row of the first exact value (text order decides which is first)
    first: tuple[float, str] | None = None
    stated: set[tuple[float, str]] = field(default_factory=set)
    rows: array = field(default_factory=lambda: array("q"))


class Claims:
    """What each (indicator, region, year, period) is claimed to be, in fixed state per key:
    the distinct (value, qualifier) pairs and the first exact one, which is all `consistent`
    (trust._consistent) reads. Rows may arrive out of text order (a held figure is settled later)."""

    def __init__(self, bounded_qualifiers: tuple[str, ...], consistent: Callable[[list], bool]) -> None:
        self.bounded = frozenset(bounded_qualifiers)
        self.consistent = consistent
        self.keys: dict[tuple, _KeyClaims] = {}

    def add(self, row: int, claim: Claim) -> None:
        key, value, qualifier = claim
        entry = self.keys.get(key)
        if entry is None:
            entry = self.keys[key] = _KeyClaims()
        entry.stated.add((value, qualifier))
        entry.rows.append(row)
        if qualifier not in self.bounded and (entry.first is None or row < entry.first_row):
            entry.first_row, entry.first = row, (value, qualifier)

    def withdrawals(self) -> Iterator[Withdrawal]:
        """Every row of a key whose claims cannot all be true."""
        for key, entry in self.keys.items():
            claims = ([entry.first] if entry.first else []) + list(entry.stated)
            if not self.consistent(claims):
                for row in entry.rows:
                    yield Withdrawal(row, key[0], CONFLICT_REASON, None)


@dataclass
class _Held:
    withdrawal: Withdrawal  # what happens to the row if several places are named
    claim: Claim | None  # what the row claims if they are not


class PlaceCount:
    """How many places the text itself names as a figure's region, counted as figures come.
    Once it reaches `several` the answer holds for the whole text, earlier figures included:
    the figures held until then are withdrawn; if it never does, they stand."""

    def __init__(self, weak_bases: tuple[str, ...] | list[str], several: int) -> None:
        self.defaults = frozenset(weak_bases) | {"source_default", ""}
        self.threshold = several
        self.places: set[str] = set()
        self.several = len(self.places) >= several
        self.held: list[_Held] = []

    def see(self, mp: Any) -> list[Withdrawal]:
        """Count the figure's place; the held rows' withdrawals when the count gets to several."""
        if self.several or not mp.region_id or mp.region_basis in self.defaults:
            return []
        self.places.add(mp.region_id)
        if len(self.places) < self.threshold:
            return []
        self.several, held, self.held = True, self.held, []
        self.places.clear()  # no longer needed: the answer cannot change
        return [h.withdrawal for h in held]

    def hold(self, withdrawal: Withdrawal, claim: Claim | None) -> None:
        self.held.append(_Held(withdrawal, claim))

    def settle(self) -> list[tuple[int, Claim]]:
        """At the end of the text, never several places: the held rows stand, with their claims."""
        held, self.held = self.held, []
        return [(h.withdrawal.row, h.claim) for h in held if h.claim is not None]
