"""The evaluation scorer's own rules, on small inline rows (benchmarks/eval_extraction.py).

The scorer decides what "found", "indicator right" and "described right" mean in the
closing numbers, so its edge cases are pinned here.
"""

from __future__ import annotations

import pytest

from benchmarks.eval_extraction import Label, score_label, subject_matches

LOOKUP = {"浙江省": "zhejiang", "中国": "china"}


def label(**kw) -> Label:
    base = dict(
        text_id="t",
        quote="q",
        number_text="5%",
        value=5.0,
        scale=1.0,
        region="浙江省",
        year=2023,
        indicator="d",
        indicator_id=None,
        direction=None,
        qualifier="exact",
        quote_start=0,
        number_start=10,
        number_end=12,
        subject="规模以上工业增加值",
        measure="growth",
    )
    base.update(kw)
    return Label(**base)


def row(**kw) -> dict:
    base = dict(
        value=5.0,
        scale=1.0,
        number_start=10,
        number_end=12,
        indicator_id="",
        region_id="zhejiang",
        year=2023,
        indicator_subject="规模以上工业增加值",
        measure="growth",
    )
    base.update(kw)
    return base


@pytest.mark.parametrize(
    ("got", "want", "ok"),
    [
        ("规模以上工业增加值", "规模以上工业增加值", True),
        ("工业增加值", "规模以上工业增加值", True),  # 5 of 9 characters: at least half
        ("增加值", "规模以上工业增加值", False),  # too little of it
        ("“小巨人”企业", "小巨人企业", True),  # quote marks do not count
        ("规上工业的增加值", "规上工业增加值", True),  # nor does 的
        ("", "规模以上工业增加值", False),
        ("专利", "商标", False),
    ],
)
def test_subject_matches(got, want, ok):
    assert subject_matches(got, want) is ok


def test_outside_the_catalogue_the_subject_and_measure_decide():
    res = score_label(label(), [row()], LOOKUP)
    assert res.found and res.described_ok and res.described_joint_ok
    assert res.indicator_ok is None and not res.joint_scorable  # strict joint needs a catalogue id


def test_a_wrong_measure_is_not_described_right():
    assert score_label(label(), [row(measure="level")], LOOKUP).described_ok is False


def test_a_catalogue_id_the_label_does_not_have_is_wrong_even_with_the_right_words():
    assert score_label(label(), [row(indicator_id="gdp_growth_pct")], LOOKUP).described_ok is False


def test_the_right_catalogue_id_is_right_whatever_the_words():
    lab = label(indicator_id="industrial_va_growth_pct")
    res = score_label(lab, [row(indicator_id="industrial_va_growth_pct", indicator_subject="", measure="")], LOOKUP)
    assert res.indicator_ok and res.described_ok and res.joint_ok


def test_a_wrong_value_is_not_found():
    res = score_label(label(), [row(value=6.0)], LOOKUP)
    assert not res.found and not res.described_joint_ok


def test_words_agree_whatever_the_catalogue_id():
    res = score_label(label(), [row(indicator_id="gdp_growth_pct")], LOOKUP)
    assert res.words_ok is True and res.described_ok is False
    assert score_label(label(), [row(indicator_subject="专利")], LOOKUP).words_ok is False
    assert score_label(label(subject=None, measure=None), [row()], LOOKUP).words_ok is None
