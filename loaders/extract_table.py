"""The table extract_text returns, built in chunks so memory holds the Python objects of a few
thousand rows at a time, not of every row of a long text.

Rows arrive as tuples in column order; every CHUNK_ROWS of them become a small DataFrame (the
same constructor, so the same dtypes, as one built from all rows). extract_text joins the
chunks column by column at the end, each chunk's column released once copied; the command
line (`python -m loaders extract`) keeps them on disk instead (SpilledChunks) and writes them
one by one, so its memory does not grow with the text. Rows handed on before the trust stage
could decide them (loaders/trust_state.py Withdrawal) are patched in their chunk afterwards.
"""

from __future__ import annotations

import tempfile
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from itertools import accumulate
from pathlib import Path

import pandas as pd

from loaders.trust_state import Withdrawal

CHUNK_ROWS = 8192

SPILLED_CHUNK_ROWS = 2048  # a chunk on its way to disk: fewer rows held as Python objects at once


class SpilledChunks:
    """Chunks written to a private temporary folder as they are made and read back one at a
    time (pickle keeps every dtype as built); the folder goes on close()."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="extract_chunks_")
        self._lengths: list[int] = []

    def _path(self, k: int) -> Path:
        return Path(self._folder.name) / f"{k:06d}.pkl"

    def append(self, frame: pd.DataFrame) -> None:
        frame.to_pickle(self._path(len(self._lengths)))
        self._lengths.append(len(frame))

    def __len__(self) -> int:
        return len(self._lengths)

    def lengths(self) -> list[int]:
        return list(self._lengths)

    def take(self, k: int) -> pd.DataFrame:
        path = self._path(k)
        frame = pd.read_pickle(path)  # written by this process, into its own folder
        path.unlink()
        return frame

    def close(self) -> None:
        self._folder.cleanup()


class MemoryChunks(list):
    """Chunks kept in memory (extract_text returns them joined)."""

    def lengths(self) -> list[int]:
        return [len(c) for c in self]

    def take(self, k: int) -> pd.DataFrame:
        frame, self[k] = self[k], None
        return frame

    def close(self) -> None:
        self.clear()


class TableBuilder:
    def __init__(self, columns: Sequence[str], spill: bool = False) -> None:
        self.columns = list(columns)
        self.rows: list[tuple] = []
        self.chunks: SpilledChunks | MemoryChunks = SpilledChunks() if spill else MemoryChunks()
        self._chunk_rows = min(CHUNK_ROWS, SPILLED_CHUNK_ROWS) if spill else CHUNK_ROWS

    def add(self, row: tuple) -> None:
        if len(row) != len(self.columns):
            raise ValueError(f"a row of {len(row)} values for {len(self.columns)} columns")
        self.rows.append(row)
        if len(self.rows) >= self._chunk_rows:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            data = dict(zip(self.columns, map(list, zip(*self.rows, strict=True)), strict=True))
            self.chunks.append(pd.DataFrame(data, columns=self.columns))
        self.rows = []

    def patched_chunks(self, text: str = "", withdrawals: Sequence[Withdrawal] = ()) -> Iterator[pd.DataFrame]:
        """Each chunk in turn with its withdrawals applied, released by the builder as it is
        handed on; an empty table is one chunk with every column (of dtype object)."""
        self._flush()
        firsts = list(accumulate(self.chunks.lengths(), initial=0))
        by_chunk: dict[int, list[Withdrawal]] = {}
        for w in withdrawals:
            k = bisect_right(firsts, w.row) - 1
            by_chunk.setdefault(k, []).append(w._replace(row=w.row - firsts[k]))
        if not len(self.chunks):
            yield pd.DataFrame([], columns=self.columns)
        for k in range(len(self.chunks)):
            chunk = self.chunks.take(k)
            apply_withdrawals(chunk, text, by_chunk.get(k, []))
            yield chunk
        self.chunks.close()

    def frame(self, text: str = "", withdrawals: Sequence[Withdrawal] = ()) -> pd.DataFrame:
        """All rows, with the withdrawals applied chunk by chunk (patching a column of the whole
        table would copy it); an empty table has every column (of dtype object)."""
        chunks = list(self.patched_chunks(text, withdrawals))
        if len(chunks) == 1:
            return chunks[0]
        joined = {}
        for name in self.columns:
            parts = [chunk.pop(name) for chunk in chunks]
            joined[name] = _join(parts)
        return pd.DataFrame(joined, columns=self.columns)


def _join(parts: list[pd.Series]) -> pd.Series:
    """One column from its chunks. A chunk whose values were all missing may have been read as
    object where the others are numbers: then the values are read again as one list, as a
    table built from all rows at once would have read them."""
    if len({str(p.dtype) for p in parts}) == 1:
        return pd.concat(parts, ignore_index=True)
    values = [v for p in parts for v in p.tolist()]
    return pd.Series(values)


def apply_withdrawals(frame: pd.DataFrame, text: str, withdrawals: list[Withdrawal]) -> None:
    """Rows whose indicator the trust stage took back after they were built: no indicator, the
    reason, no confidence, the evidence noted, and the quote back to the number alone (as a row
    without an indicator is quoted)."""
    if not withdrawals:
        return
    rows = [w.row for w in withdrawals]
    evidence = frame["evidence"].iloc[rows].tolist()  # only these rows become Python strings
    starts = frame["number_start"].iloc[rows].tolist()
    ends = frame["number_end"].iloc[rows].tolist()
    at = frame.columns.get_indexer
    patch = {
        "indicator_id": [""] * len(rows),
        "reason": [w.reason for w in withdrawals],
        "confidence": [0.0] * len(rows),
        "evidence": [w.evidence(e) for w, e in zip(withdrawals, evidence, strict=True)],
        "char_start": starts,
        "char_end": ends,
        "quote": [text[a:b] for a, b in zip(starts, ends, strict=True)],
    }
    for name, values in patch.items():
        frame.iloc[rows, at([name])[0]] = values
