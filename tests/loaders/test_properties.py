"""Properties of the parser on generated input: never raises, offsets hold, numerals round-trip."""

from __future__ import annotations

import cn2an
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.extract import engine, extract_text
from loaders.numbers import CompactText, find_mentions
from loaders.subject import MEASURES


def is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like the corpus: Chinese, digits, full-width punctuation, layout white space.
corpus_like = st.text(
    alphabet=st.sampled_from(
        list(
            "0123456789０１２.．,%％万亿元家个第十百千两三九成超近约余以上年—-－\n \u3000，。；、（）()《》“”研发经费强度我国江西东部分别从到"
        )
    ),
    max_size=200,
)


@FAST
@given(st.text(max_size=300))
def test_extract_never_raises_on_any_unicode(text):
    frame = extract_text(text)
    for row in frame.itertuples():
        assert 0 <= row.number_start < row.number_end <= len(text)
        assert 0 <= row.char_start <= row.number_start and row.number_end <= row.char_end <= len(text)
        assert text[row.char_start : row.char_end] == row.quote
        assert text[row.number_start : row.number_end] == row.number_text


@FAST
@given(corpus_like)
def test_offsets_hold_on_corpus_like_text(text):
    frame = extract_text(text, default_region="jiangxi", publication_year=2024)
    for row in frame.itertuples():
        assert text[row.char_start : row.char_end] == row.quote
        assert text[row.number_start : row.number_end] == row.number_text
        if row.indicator_id:
            assert row.region_id and row.year_basis
        # Every figure says what it measures; a subject is the text's own words (quote marks,
        # short brackets and white space aside), never invented.
        if row.kind in ("figure", "rank"):
            assert row.measure in MEASURES
        else:
            assert (row.indicator_subject, row.measure) == ("", "")
        if row.indicator_subject:
            assert is_subsequence(row.indicator_subject, CompactText(text).text)


@FAST
@given(st.text(alphabet=st.sampled_from(list("ab中文 \n\t\u3000,，12")), max_size=120))
def test_compact_text_maps_every_position(text):
    compact = CompactText(text)
    for i, ch in enumerate(compact.text):
        j = compact.to_original(i)
        # A kept space stands for a whole run of white space between two ASCII words.
        assert text[j] == ch or (ch == " " and text[j].isspace())


@FAST
@given(st.integers(min_value=3, max_value=99_999))
def test_chinese_numerals_round_trip(n):
    numeral = cn2an.an2cn(n)
    _, lex, _ = engine()
    found = [m for m in find_mentions(CompactText(f"共有{numeral}家企业"), lex) if m.kind == "figure"]
    assert [m.value for m in found] == [n]


@FAST
@given(
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["%", "家", "亿元", "万亿元", "个百分点", "亿美元"]),
)
def test_arabic_numbers_round_trip_with_units(number, unit):
    written = f"{number:f}"
    _, lex, _ = engine()
    found = [m for m in find_mentions(CompactText(f"数量为{written}{unit}，"), lex) if m.kind == "figure"]
    assert len(found) == 1
    m = found[0]
    assert m.value == float(written)
    assert m.value_base == float(written) * m.scale
    assert m.unit == unit


place_chars = st.sampled_from(list("吉林市场长春县区孟津洛阳青山"))


@FAST
@given(
    names=st.sets(st.text(alphabet=place_chars, min_size=1, max_size=5), min_size=1, max_size=12),
    text=st.text(alphabet=place_chars, max_size=60),
    a=st.integers(0, 60),
    b=st.integers(0, 60),
)
def test_name_scanner_finds_what_a_longest_first_alternation_finds(names, text, a, b):
    """The fast scanner of place names is a drop-in for the flat regex it replaced."""
    import re

    from loaders.mapping import NameScanner

    flat = re.compile(
        "|".join(re.escape(n) + ("(?!场)" if n.endswith("市") else "") for n in sorted(names, key=len, reverse=True))
    )
    scanner = NameScanner(names, {"市": "场"})
    a, b = min(a, b), max(a, b)
    assert [(h.start(), h.end()) for h in scanner.finditer(text, a, b)] == [
        (m.start(), m.end()) for m in flat.finditer(text, a, b)
    ]
    for pos in range(len(text)):
        want = flat.match(text, pos)
        got = scanner.match(text, pos)
        assert (got and got.group()) == (want and want.group())
