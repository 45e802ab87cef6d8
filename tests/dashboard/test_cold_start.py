"""What a cold start no longer pays for (issue 15), shown to change nothing a reader sees:
small tables read in one pass convert exactly as the column-by-column read does, and a
short table is text (no grid for the browser to load) with every row and cell kept."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest
from helpers import assert_clean, run_app, unmd
from streamlit.testing.v1 import AppTest

from dashboard import data

TABLES = ["sources", "regions", "indicators", "observations", "mentions"]


@pytest.mark.parametrize("table", TABLES)
def test_a_small_table_read_whole_equals_the_column_by_column_read(corpus_build, monkeypatch, table):
    f = corpus_build.out / f"{table}.parquet"
    names = pq.read_schema(f).names
    dictionary = [c for c in data.CATEGORICAL.get(table, ()) if c in names]
    monkeypatch.setattr(data, "WHOLE_READ_ROWS", -1)
    by_column = data._read_frame(f, dictionary)
    monkeypatch.setattr(data, "WHOLE_READ_ROWS", 10**9)
    whole = data._read_frame(f, dictionary)
    assert len(whole) > 0
    pd.testing.assert_frame_equal(whole, by_column, check_exact=True)


def test_the_provinces_disagreements_are_text_with_both_figures(corpus_build, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(corpus_build.out))
    at = run_app("provinces", {"lang": "en"})
    assert_clean(at)
    differing = (pd.read_parquet(corpus_build.out / "observations.parquet")["check_status"] == "differs").sum()
    assert 1 <= differing <= 12  # the corpus's few disagreements: a text table, no grid to load
    assert not at.dataframe
    (table,) = [unmd(m.value) for m in at.markdown if m.value.startswith("| ")]
    rows = table.splitlines()
    assert rows[0].startswith("| Source | Claim | Official") and len(rows) == 2 + differing
    assert any("2.43 %" in r and "2.44 (nbs2021_rd_release)" in r for r in rows[2:])


def _short_tables() -> None:
    import pandas as pd

    from dashboard.ui import show_short_table

    show_short_table(pd.DataFrame({"说法": ["2.43 %"], "原文": ["上年\r\n提高 | 0.11 个百分点\r末"]}), key="one")
    show_short_table(pd.DataFrame({"n": range(13)}), key="many")


def test_a_short_table_keeps_each_row_on_one_line_and_a_long_one_keeps_the_grid():
    at = AppTest.from_function(_short_tables).run()
    assert_clean(at)
    (table,) = [m.value for m in at.markdown]
    rows = table.splitlines()
    assert len(rows) == 3 and unmd(rows[2]) == "| 2.43 % | 上年 提高 | 0.11 个百分点 末 |"
    assert rows[2].count(" | ") == 1  # the quote's own bar is escaped, not a third column
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == 13


def test_the_imports_are_frozen_once_so_a_first_run_does_not_rescan_them(monkeypatch):
    import gc

    from dashboard import memory

    monkeypatch.setattr(memory, "_IMPORTS_FROZEN", [False])
    gc.unfreeze()
    try:
        memory.freeze_imports()
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # Streamlit, pandas, plotly and the dashboard's modules
        made_later = [[i] for i in range(1000)]
        memory.freeze_imports()
        assert gc.get_freeze_count() == frozen  # once per process: later objects are still scanned
        assert any(o is made_later[0] for o in gc.get_objects())  # not in the frozen generation
    finally:
        gc.freeze()  # leave the process as frozen as it was, and more
