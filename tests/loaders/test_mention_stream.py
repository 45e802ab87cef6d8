"""Issue 13: the numbers of a long text are read as a stream. The first pass keeps a few
bytes per number (years, list positions); the mapper reads the mentions through a window
that forgets those far behind, and the two passes agree with one list of every mention."""

from __future__ import annotations

import pytest

from loaders.extract import engine, extract_text
from loaders.extractor.stream import KEEP_BEFORE, MentionWindow, survey
from loaders.numbers import CompactText, find_mentions, iter_mentions

TEXT = (
    "二〇二三年，全省地区生产总值为8.5万亿元，第一、二、三产业增加值分别为1.2万亿元、3.4万亿元和3.9万亿元；"
    "2022年、2023年研发投入强度分别为2.1%、2.3%，增长80%—90%，居全国第3位、第5位。"
)


def _lex():
    return engine()[1]


def test_the_stream_and_the_list_of_mentions_agree():
    compact = CompactText(TEXT * 3)
    streamed = list(iter_mentions(compact, _lex()))
    assert streamed == find_mentions(compact, _lex())
    assert [m.cstart for m in streamed] == sorted(m.cstart for m in streamed)
    kinds = {m.kind for m in streamed}
    assert {"year", "figure", "rank"} <= kinds
    ranges = [m.qualifier for m in streamed if m.qualifier in ("at_least", "at_most")]
    assert ranges == ["at_least", "at_most"] * 3  # 80%—90% in each copy


def test_list_positions_count_the_figures_joined_by_separators():
    compact = CompactText(TEXT)
    mentions = find_mentions(compact, _lex())
    found = survey(iter(mentions), compact.text)
    assert found.count == len(mentions)
    listed = [found.list_pos[i] for i, m in enumerate(mentions) if m.unit == "万亿元"]
    assert listed == [(0, 1), (0, 3), (1, 3), (2, 3)]
    assert [y for _, _, y in found.stated_years] == [2023, 2022, 2023]


def test_the_window_forgets_mentions_far_behind_and_says_so_when_asked_for_one():
    compact = CompactText("1，" * (4 * KEEP_BEFORE))
    count = survey(iter_mentions(compact, _lex()), compact.text).count
    window = MentionWindow(iter_mentions(compact, _lex()), count)
    for i in range(count):
        assert window[i].cstart == 2 * i
        window.forget_before(i)
    assert len(window._held) <= 3 * KEEP_BEFORE
    with pytest.raises(IndexError, match="forgotten"):
        window[0]
    with pytest.raises(IndexError):
        window[count]


def test_a_dense_text_longer_than_the_window_maps_every_number():
    text = "某市工业增加值12.5亿元，第一、第二" * (KEEP_BEFORE // 2)
    frame = extract_text(text, default_region="zhejiang", publication_year=2024)
    assert len(frame) == len(find_mentions(CompactText(text), _lex()))
    assert (frame["unit"] == "亿元").sum() == KEEP_BEFORE // 2
