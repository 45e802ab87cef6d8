"""CSV safety and source highlighting, fuzzed."""

from __future__ import annotations

import csv
import html
import io
import re

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import export, highlight

RISKY = ("=", "+", "-", "@", "\t", "\r")


@settings(max_examples=200, deadline=None)
@given(
    cells=st.lists(st.text(max_size=30), min_size=1, max_size=8),
    numbers=st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32), min_size=1, max_size=8),
)
def test_csv_never_starts_a_text_cell_with_a_formula(cells, numbers):
    n = min(len(cells), len(numbers))
    df = pd.DataFrame({"text": cells[:n], "value": numbers[:n]})
    raw = export.csv_bytes(df)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == n
    for row, original, number in zip(rows, cells[:n], numbers[:n], strict=True):
        cell = row["text"]
        assert not cell.startswith(RISKY)
        if original.startswith(export.FORMULA_START):
            assert cell.replace("\r\n", "\n") == "'" + original.replace("\r\n", "\n")
        # Numbers keep their sign and value (a negative stays a number, not text).
        assert float(row["value"]) == float(number)


def _strip(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(max_size=200),
    raw_spans=st.lists(
        st.tuples(st.integers(-5, 210), st.integers(-5, 210), st.sampled_from(list(highlight.STYLE))), max_size=10
    ),
)
def test_highlight_keeps_the_text_exactly_and_injects_nothing(text, raw_spans):
    spans = [highlight.Span(a, b, kind, title="<b>" + kind) for a, b, kind in raw_spans]
    markup = highlight.render(text, spans)
    assert _strip(markup) == text
    # The only tags are ours.
    assert set(re.findall(r"<(/?\w+)", markup)) <= {"div", "/div", "span", "/span"}


def test_highlight_window_marks_the_selected_number():
    text = "前文。2022年，研发强度为2.54%，比上年提高。后文"
    start = text.index("2.54%")
    spans = [
        highlight.Span(start, start + 5, "mapped"),
        highlight.Span(start, start + 5, "selected", "2.54%"),
        highlight.Span(3, len(text) - 2, "quote"),
    ]
    markup = highlight.render(text, spans, 3, len(text) - 2)
    assert _strip(markup) == text[3:-2]
    assert re.search(r'outline:2px solid[^>]*title="2.54%">2\.54%</span>', markup)


def test_an_unmapped_number_says_what_the_text_calls_it_then_why():
    from dashboard.prepared import unmapped_title

    assert unmapped_title("no indicator rule matched", "新建充电桩", "level", "zh") == (
        "原文所述指标：新建充电桩（数值） · no indicator rule matched"
    )
    assert unmapped_title("", "新建充电桩", "growth", "en") == "Subject in the text：新建充电桩（growth rate）"
    assert unmapped_title("date, not a figure", "", "", "zh") == "date, not a figure"
