"""The table extract_text returns, built in chunks so memory holds the Python objects of a few
thousand rows at a time, not of every row of a long text.

Rows arrive as tuples in column order; every CHUNK_ROWS of them become a small DataFrame (the
same constructor, so the same dtypes, as one built from all rows). Columns of a few repeated
words (units, ids, reasons: `dictionary`) are kept apart as one code per row and become
categoricals of the same values: a long text's table then takes a byte a row for each, not
the string. extract_text joins the
chunks column by column at the end, each chunk's column released once copied; the command
line (`python -m loaders extract`) keeps them on disk instead (SpilledChunks) and writes them
one by one, so its memory does not grow with the text. Rows handed on before the trust stage
could decide them (loaders/trust_state.py Withdrawal) are patched in their chunk afterwards.
"""

from __future__ import annotations

import contextlib
import tempfile
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from itertools import accumulate
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from loaders.trust_state import Withdrawal

CHUNK_ROWS = 8192

SPILLED_CHUNK_ROWS = 2048  # a chunk on its way to disk: fewer rows held as Python objects at once


@contextlib.contextmanager
def system_memory_pool():
    """Arrow buffers (pandas' str columns) from the C library's allocator while a table is
    built: arrow's own pool (mimalloc) keeps what the chunks and their join freed, and its
    peak stayed a third above the table's (27,000 rows: 43 MB grown, not 27). Buffers are
    freed to the pool that made them, so the default comes back safely after."""
    before = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(before)


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


class DictionaryColumn:
    """A column of few distinct strings as one code per row into its words; "" is always one
    of them, so `fillna("")` and `== ""` read the categorical as they read strings."""

    def __init__(self) -> None:
        self.codes = array("i")
        self.words: list[str] = [""]
        self._code = {"": 0}

    def code(self, value: str | None) -> int:
        if value is None:
            return -1
        code = self._code.get(value)
        if code is None:
            code = self._code[value] = len(self.words)
            self.words.append(value)
        return code

    def series(self) -> pd.Series:
        codes = np.frombuffer(self.codes, dtype=np.int32) if self.codes else np.zeros(0, dtype=np.int32)
        return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(self.words, dtype="str")))


class TableBuilder:
    def __init__(self, columns: Sequence[str], spill: bool = False, dictionary: Sequence[str] = ()) -> None:
        if spill and dictionary:
            raise ValueError("dictionary columns are for a table held in memory")
        self.columns = list(columns)
        self.dictionary = {name: DictionaryColumn() for name in dictionary if name in self.columns}
        self._dictionary_at = [(i, self.dictionary[n]) for i, n in enumerate(self.columns) if n in self.dictionary]
        self._rest_at = [i for i, n in enumerate(self.columns) if n not in self.dictionary]
        self.rest = [self.columns[i] for i in self._rest_at]
        self.rows: list[tuple] = []
        self.chunks: SpilledChunks | MemoryChunks = SpilledChunks() if spill else MemoryChunks()
        self._chunk_rows = min(CHUNK_ROWS, SPILLED_CHUNK_ROWS) if spill else CHUNK_ROWS

    def add(self, row: tuple) -> None:
        if len(row) != len(self.columns):
            raise ValueError(f"a row of {len(row)} values for {len(self.columns)} columns")
        if self.dictionary:
            for i, column in self._dictionary_at:
                column.codes.append(column.code(row[i]))
            row = tuple([row[i] for i in self._rest_at])
        self.rows.append(row)
        if len(self.rows) >= self._chunk_rows:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            data = dict(zip(self.rest, map(list, zip(*self.rows, strict=True)), strict=True))
            self.chunks.append(pd.DataFrame(data, columns=self.rest))
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
            yield pd.DataFrame([], columns=self.rest)
        for k in range(len(self.chunks)):
            chunk = self.chunks.take(k)
            apply_withdrawals(chunk, text, by_chunk.get(k, []))
            yield chunk
        self.chunks.close()

    def frame(self, text: str = "", withdrawals: Sequence[Withdrawal] = ()) -> pd.DataFrame:
        """All rows, with the withdrawals applied chunk by chunk (patching a column of the whole
        table would copy it); an empty table has every column (of dtype object)."""
        self._withdraw_codes(withdrawals)
        chunks = list(self.patched_chunks(text, withdrawals))
        if not any(len(chunk) for chunk in chunks):
            return pd.DataFrame([], columns=self.columns)
        joined = {}
        for name in self.columns:
            if name in self.dictionary:
                joined[name] = self.dictionary.pop(name).series()
            elif len(chunks) == 1:
                joined[name] = chunks[0].pop(name)
            else:
                joined[name] = _join([chunk.pop(name) for chunk in chunks])
        return pd.DataFrame(joined, columns=self.columns)

    def _withdraw_codes(self, withdrawals: Sequence[Withdrawal]) -> None:
        """The withdrawals' patch of dictionary columns (indicator_id, reason), on their codes."""
        values = withdrawal_values(withdrawals)
        for name, patch in values.items():
            column = self.dictionary.get(name)
            if column is not None:
                for w, value in zip(withdrawals, patch, strict=True):
                    column.codes[w.row] = column.code(value)


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
        **withdrawal_values(withdrawals),
        "evidence": [w.evidence(e) for w, e in zip(withdrawals, evidence, strict=True)],
        "char_start": starts,
        "char_end": ends,
        "quote": [text[a:b] for a, b in zip(starts, ends, strict=True)],
    }
    for name, values in patch.items():
        if name in frame.columns:  # a dictionary column is patched on its codes (TableBuilder)
            frame.iloc[rows, at([name])[0]] = values


def withdrawal_values(withdrawals: Sequence[Withdrawal]) -> dict[str, list]:
    """What a withdrawal writes whatever the row held: no indicator, its reason, no confidence."""
    return {
        "indicator_id": [""] * len(withdrawals),
        "reason": [w.reason for w in withdrawals],
        "confidence": [0.0] * len(withdrawals),
    }
