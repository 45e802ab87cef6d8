"""extract_text's table built in chunks (loaders/extract_table.py) is the table built at once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from loaders import extract_table
from loaders.extract import extract_chunks, extract_text
from loaders.extract_table import TableBuilder, apply_withdrawals
from loaders.trust_state import Withdrawal

COLUMNS = ["value", "when", "name", "number_start", "number_end"]


def _rows() -> list[tuple]:
    day = pd.Timestamp(2023, 1, 1)
    rows = [(None, pd.NaT, "a", 0, 1)] * 3  # a whole chunk without a value: read as object alone
    return rows + [(float(i), day if i % 2 else pd.NaT, f"n{i}", i, i + 1) for i in range(7)]


def test_a_table_built_in_chunks_equals_one_built_at_once(monkeypatch):
    monkeypatch.setattr(extract_table, "CHUNK_ROWS", 3)
    builder = TableBuilder(COLUMNS)
    for row in _rows():
        builder.add(row)
    chunked = builder.frame()
    assert len(builder.chunks) == 0  # the chunks are released
    whole = pd.DataFrame(_rows(), columns=COLUMNS)
    pd.testing.assert_frame_equal(chunked, whole)
    assert chunked["value"].dtype == "float64" and str(chunked["when"].dtype).startswith("datetime64")


def test_an_empty_table_has_every_column():
    assert list(TableBuilder(COLUMNS).frame().columns) == COLUMNS


def test_a_withdrawal_patches_a_built_row_as_an_unmapped_row_reads():
    text = "全省地区生产总值5.2万亿元。"
    frame = pd.DataFrame(
        {
            "indicator_id": ["gdp"],
            "reason": [""],
            "confidence": [0.9],
            "evidence": ["indicator:gdp_total; region:country_default"],
            "number_start": [8],
            "number_end": [14],
            "char_start": [0],
            "char_end": [15],
            "quote": [text],
        }
    )
    apply_withdrawals(frame, text, [Withdrawal(0, "gdp", "weak_region_country_default", len("indicator:gdp_total"))])
    row = frame.iloc[0].to_dict()
    assert (row["indicator_id"], row["reason"], row["confidence"]) == ("", "weak_region_country_default", 0.0)
    assert row["evidence"] == "indicator:gdp_total; withdrawn:gdp; region:country_default"
    assert (row["quote"], row["char_start"], row["char_end"]) == ("5.2万亿元", 8, 14)


def test_withdrawals_reach_rows_in_any_chunk(monkeypatch):
    monkeypatch.setattr(extract_table, "CHUNK_ROWS", 2)
    text = "ab 12 cd 34 ef 56"
    patched = ["indicator_id", "reason", "confidence", "evidence", "number_start", "number_end"]
    builder = TableBuilder([*patched, "char_start", "char_end", "quote"])
    for start in (3, 9, 15):
        builder.add(("gdp", "", 0.9, "indicator:r", start, start + 2, 0, len(text), text))
    frame = builder.frame(text, [Withdrawal(2, "gdp", "conflicting_values", None), Withdrawal(1, "gdp", "x", -1)])
    assert list(frame["indicator_id"]) == ["gdp", "", ""]
    assert list(frame["reason"]) == ["", "x", "conflicting_values"]
    assert list(frame["quote"]) == [text, "34", "56"]
    assert list(frame["evidence"]) == ["indicator:r", "indicator:r", "indicator:r; withdrawn:gdp"]


def test_spilled_chunks_are_the_table_and_leave_no_files(monkeypatch):
    monkeypatch.setattr(extract_table, "CHUNK_ROWS", 3)
    builder = TableBuilder(COLUMNS, spill=True)
    folder = builder.chunks._folder.name
    for row in _rows():
        builder.add(row)
    chunks = list(builder.patched_chunks())
    assert [len(c) for c in chunks] == [3, 3, 3, 1]
    whole = pd.DataFrame(_rows(), columns=COLUMNS)
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True).astype(whole.dtypes), whole)
    assert not Path(folder).exists()


def test_the_command_line_chunks_are_extract_texts_table(monkeypatch):
    monkeypatch.setattr(extract_table, "CHUNK_ROWS", 5)
    text = "2023年，全省地区生产总值8.5万亿元，增长6.0%；江苏、浙江分别为12.8万亿元、8.2万亿元。" * 4
    whole = extract_text(text, default_region="zhejiang", publication_year=2024)
    chunks = list(extract_chunks(text, default_region="zhejiang", publication_year=2024))
    assert len(chunks) == -(-len(whole) // 5) > 2
    as_csv = "".join(c.to_csv(index=False, header=k == 0) for k, c in enumerate(chunks))
    assert as_csv == whole.to_csv(index=False)


def test_dictionary_columns_hold_the_same_values_as_categoricals(monkeypatch):
    """Columns of few repeated words become categoricals of the same values (None stays
    missing), withdrawals patch them as they patch strings, and "" is always a category."""
    monkeypatch.setattr(extract_table, "CHUNK_ROWS", 2)
    text = "ab 12 cd 34 ef 56"
    columns = ["indicator_id", "reason", "confidence", "evidence", "number_start", "number_end"]
    columns += ["char_start", "char_end", "quote", "unit"]
    rows = [
        ("gdp", "r1", 0.9, "indicator:r", s, s + 2, 0, len(text), text, u)
        for s, u in ((3, "元"), (9, None), (15, "元"))
    ]
    plain, coded = TableBuilder(columns), TableBuilder(columns, dictionary=["indicator_id", "reason", "unit"])
    for row in rows:
        plain.add(row)
        coded.add(row)
    withdrawals = [Withdrawal(2, "gdp", "conflicting_values", None)]
    expected, frame = plain.frame(text, withdrawals), coded.frame(text, withdrawals)
    assert [str(frame[c].dtype) for c in ("indicator_id", "reason", "unit")] == ["category"] * 3
    assert list(frame.columns) == columns
    assert repr(frame.to_dict("records")) == repr(expected.to_dict("records"))  # as extract_hashes reads them
    assert list(frame["reason"]) == ["r1", "r1", "conflicting_values"]
    assert frame["unit"].isna().tolist() == [False, True, False]
    assert "" in frame["unit"].cat.categories and list(frame["unit"].fillna("")) == ["元", "", "元"]


def test_an_empty_table_with_dictionary_columns_has_every_column():
    assert list(TableBuilder(COLUMNS, dictionary=["name"]).frame().columns) == COLUMNS
