"""Which kind rules can match a window at all, told from the characters the window holds.

A figure's windows are read by some forty rules (loaders/kind.py), and most windows hold the
words of none of them: a regex search per rule per window was a fifth of the extractor's time.
Every rule's pattern is read once (Python's own regex parser) for the characters any match
must contain: `(?:1|一)月…` needs 1 or 一, and 月; `截至|截止|目前` needs 截, 目 or a first
character of each branch. A window whose set of characters misses one of them cannot match,
so the rule's search is skipped; the rule is searched exactly as before otherwise. This is a
filter only: it never decides, and a pattern it cannot read (case-insensitive, a class of
characters such as \\d) simply keeps its rule searched every time.
"""

from __future__ import annotations

import re
from re import _constants as sre  # the parser's opcodes (stable since Python 3.11)
from re import _parser as sre_parse

# Characters every window holds (the figure's brackets, loaders/kind.py OPEN and CLOSE): a
# rule needing one of them is needed by every window, so such a set says nothing.
ALWAYS_PRESENT = frozenset("⟦⟧")
_MAX_RANGE = 64  # a class wider than this ([一-龥]) is not worth listing

Needs = tuple[frozenset[str], ...]  # every set must meet the window's characters


def pattern_needs(regex: re.Pattern) -> Needs:
    """The character sets every match of the pattern (its lookarounds included) draws from:
    each set holds at least one character of any window the pattern matches in. An empty
    tuple: nothing is known, the rule is always searched."""
    if regex.flags & re.IGNORECASE or not isinstance(regex.pattern, str):
        return ()
    try:
        parsed = sre_parse.parse(regex.pattern, regex.flags)
    except (re.error, RecursionError):
        return ()
    return tuple(s for s in _sequence(parsed) if not s & ALWAYS_PRESENT)


def _sequence(items) -> list[frozenset[str]]:
    """A sequence needs what each of its items needs."""
    found: list[frozenset[str]] = []
    for op, av in items:
        found.extend(_item(op, av))
    return found


def _item(op, av) -> list[frozenset[str]]:
    if op is sre.LITERAL:
        return [frozenset(chr(av))]
    if op is sre.IN:
        chars = _class_chars(av)
        return [chars] if chars else []
    if op is sre.SUBPATTERN:
        _, add_flags, _, sub = av
        return [] if add_flags & re.IGNORECASE else _sequence(sub)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        low, _, sub = av
        return _sequence(sub) if low >= 1 else []
    if op is sre.ASSERT:  # a lookahead or lookbehind: its characters stand in the window too
        return _sequence(av[1])
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _sequence(av)
    if op is sre.BRANCH:
        return _branch(av[1])
    return []  # negative lookarounds, anchors, any character, categories: nothing needed


def _branch(branches) -> list[frozenset[str]]:
    """Alternatives: one set from each (its most telling one), joined; nothing when one
    alternative needs nothing."""
    union: set[str] = set()
    for sub in branches:
        sets = [s for s in _sequence(sub) if not s & ALWAYS_PRESENT]
        if not sets:
            return []
        union |= min(sets, key=len)
    return [frozenset(union)]


def _class_chars(av) -> frozenset[str] | None:
    """The characters of a class such as [至到~] or [1-4]; None for a negated class, a
    category (\\d) or a wide range."""
    chars: set[str] = set()
    for op, arg in av:
        if op is sre.LITERAL:
            chars.add(chr(arg))
        elif op is sre.RANGE and arg[1] - arg[0] < _MAX_RANGE:
            chars.update(chr(c) for c in range(arg[0], arg[1] + 1))
        else:
            return None
    return frozenset(chars)


def may_match(needs: Needs, chars: frozenset[str]) -> bool:
    """Could a pattern with these needs match in a window of these characters?"""
    for need in needs:  # noqa: SIM110 -- a plain loop: all() over a generator costs more per window
        if need.isdisjoint(chars):
            return False
    return True


def family_needs(needs_of_rules: list[Needs]) -> frozenset[str] | None:
    """One set for a family of rules read in the same window: a window holding none of its
    characters can match none of the rules. None when some rule needs nothing known."""
    union: set[str] = set()
    for needs in needs_of_rules:
        if not needs:
            return None
        union |= min(needs, key=len)
    return frozenset(union)
