"""Place names found in a text, fast with thousands of names."""

from __future__ import annotations

import re
from typing import NamedTuple


class _Name(NamedTuple):
    """A place name found in a text; start()/end()/group() as on a regex match."""

    at: int
    stop: int
    name: str

    def start(self) -> int:
        return self.at

    def end(self) -> int:
        return self.stop

    def group(self) -> str:
        return self.name


class NameScanner:
    """Finds place names, longest first, like a regex alternation of them but fast with
    thousands of names (every county): Python's regex engine tries an alternation branch
    by branch at each character, so this jumps to characters that start a name (one
    character class, scanned in C) and looks the candidates up in a set."""

    def __init__(self, names, not_followed_by: dict[str, str]) -> None:
        self.names = frozenset(names)
        lengths: dict[str, set[int]] = {}
        for name in self.names:
            lengths.setdefault(name[0], set()).add(len(name))
        self.lengths = {c: sorted(ls, reverse=True) for c, ls in lengths.items()}
        # the first two characters of every name (a one-character name is its own start)
        self.starts = frozenset(name[:2] for name in self.names)
        firsts = "".join(re.escape(c) for c in sorted(lengths))
        seconds = "".join(re.escape(c) for c in sorted({name[1] for name in self.names if len(name) > 1}))
        ones = "".join(re.escape(name) for name in sorted(self.names) if len(name) == 1)
        # a character that starts a name, followed by one that is second in a name
        pairs = [f"[{firsts}](?=[{seconds}])"] if seconds else []
        self.first_re = re.compile("|".join(pairs + ([f"[{ones}]"] if ones else [])) or "(?!)")
        self.not_followed_by = not_followed_by  # 吉林市场: a name ending in 市 does not run into 场

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> _Name | None:
        endpos = len(text) if endpos is None else min(endpos, len(text))
        for n in self.lengths.get(text[pos : pos + 1], ()):
            stop = pos + n
            if stop <= endpos and text[pos:stop] in self.names:
                after = self.not_followed_by.get(text[stop - 1])
                if after and stop < endpos and text[stop] in after:
                    continue
                return _Name(pos, stop, text[pos:stop])
        return None

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> list[_Name]:
        endpos = len(text) if endpos is None else min(endpos, len(text))
        out = []
        starts, search = self.starts, self.first_re.search
        while (found := search(text, pos, endpos)) is not None:
            at = found.start()
            hit = self.match(text, at, endpos) if text[at : at + 2] in starts or text[at] in starts else None
            if hit is None:
                pos = at + 1
            else:
                out.append(hit)
                pos = hit.stop
        return out
