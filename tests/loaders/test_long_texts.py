"""Issue 13: cost linear in the text, memory bounded, quotes capped. These check the
bounds themselves (what a figure may look at, how long a quote may be), not timings."""

from __future__ import annotations

from itertools import pairwise

from loaders.extract import extract_text, iter_map_text, map_text
from loaders.extractor.text import MAX_CLAUSE_CHARS, MAX_SENTENCE_CHARS, QUOTE_MAX_CHARS, Context
from loaders.numbers import CompactText

SENTENCE = "2023年，全省研发经费投入强度为2.5%，比上年提高0.1个百分点"


def test_a_run_on_sentence_is_cut_at_clause_ends_and_a_run_on_clause_every_so_often():
    text = "，".join([SENTENCE] * 200) + "。"  # one sentence of about 8,000 characters
    ctx = Context(CompactText(text))
    starts = [0, *ctx.sentence_ends]
    assert max(b - a for a, b in pairwise(starts)) <= MAX_SENTENCE_CHARS
    assert set(ctx.sentence_ends) <= set(ctx.clause_ends) | {len(text)}  # cut at clause ends only
    unbroken = "甲" * (3 * MAX_CLAUSE_CHARS)
    ctx = Context(CompactText(unbroken))
    assert max(b - a for a, b in pairwise([0, *ctx.clause_ends])) <= MAX_CLAUSE_CHARS


def test_quotes_of_a_long_sentence_are_capped_around_the_number_and_stay_verbatim():
    text = "，".join([SENTENCE] * 40) + "。"
    frame = extract_text(text, default_region="zhejiang", publication_year=2024)
    mapped = frame[frame["indicator_id"] != ""]
    assert len(mapped) >= 40
    for row in mapped.itertuples():
        assert row.quote == text[row.char_start : row.char_end]
        assert row.char_start <= row.number_start and row.number_end <= row.char_end
        assert len(row.quote) <= QUOTE_MAX_CHARS + MAX_CLAUSE_CHARS
    assert max(len(q) for q in mapped["quote"]) < len(text) // 4


def test_the_figures_of_a_long_sentence_are_mapped_alike_wherever_they_stand():
    text = "，".join([SENTENCE] * 120) + "。"
    frame = extract_text(text, default_region="zhejiang", publication_year=2024)
    intensity = frame[frame["number_text"] == "2.5%"]
    assert len(intensity) == 120
    assert set(intensity["indicator_id"]) == {"rd_intensity_pct"}  # the 1st and the 120th alike
    assert set(intensity["year"]) == {2023}


def test_streamed_figures_are_the_figures_of_the_list():
    text = "。".join([SENTENCE] * 150) + "。"  # more figures than any look-back window
    _, listed = map_text(text, default_region="zhejiang", publication_year=2024)
    _, streamed = iter_map_text(text, default_region="zhejiang", publication_year=2024)
    streamed = list(streamed)
    assert len(streamed) == len(listed) > 300
    key = [(m.mention.start, m.indicator_id, m.region_id, m.year, m.quote_cspan) for m in listed]
    assert key == [(m.mention.start, m.indicator_id, m.region_id, m.year, m.quote_cspan) for m in streamed]
