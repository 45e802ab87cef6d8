"""The evaluation scorer's own rules, on small inline rows (benchmarks/eval_extraction.py).

The scorer decides what "found", "indicator right" and "described right" mean in the
closing numbers, so its edge cases are pinned here.
"""

from __future__ import annotations

import pytest

from benchmarks.eval_scoring import score_label, subject_matches
from benchmarks.eval_set import Label

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


# ----------------------------------------------------------------------------- issue 14 metrics
# (benchmarks/eval_precision.py): precision of published actual rows, coverage, joint, status.

from benchmarks.eval_extraction import SCORER  # noqa: E402
from benchmarks.eval_precision import old_not_figure_status, score_text, wilson  # noqa: E402


def published_row(**kw) -> dict:
    return row(**{"indicator_id": "industrial_va_growth_pct", "status": "actual", "period_kind": "year", **kw})


def idl(**kw) -> Label:
    return label(**{"indicator_id": "industrial_va_growth_pct", **kw})


def test_wilson_interval_brackets_the_share_and_narrows_with_n():
    lo, hi = wilson(9, 10)
    assert lo < 90 < hi and hi <= 100
    lo2, hi2 = wilson(900, 1000)
    assert hi2 - lo2 < hi - lo
    assert wilson(0, 0) is None


def test_a_fully_right_published_row_is_precise_and_covers_its_label():
    s = score_text([published_row()], [idl()], [], [], LOOKUP, SCORER).summary()
    assert (s["precision"]["k"], s["precision"]["n"]) == (1, 1)
    assert (s["coverage"]["k"], s["joint_all"]["k"], s["found"]["k"]) == (1, 1, 1)


def test_a_row_on_an_unlabelled_number_counts_wrong_unless_adjudicated():
    far = published_row(number_start=40, number_end=42)
    s = score_text([far], [idl()], [], [], LOOKUP, SCORER).summary()
    assert (s["precision"]["k"], s["precision"]["n"], s["published_unlabelled"]) == (0, 1, 1)
    added = idl(number_start=40, number_end=42)
    s = score_text([far], [idl()], [], [added], LOOKUP, SCORER).summary()
    assert (s["precision"]["k"], s["published_unlabelled"]) == (1, 0)
    assert s["coverage"]["n"] == 1  # an adjudicated figure judges rows; it does not join coverage


def test_a_row_on_a_not_figure_counts_wrong():
    nf = {"number_start": 40, "number_end": 42, "why": "date"}
    s = score_text([published_row(number_start=40, number_end=42)], [], [nf], [], LOOKUP, SCORER).summary()
    assert (s["precision"]["k"], s["precision"]["n"], s["published_on_not_figure"]) == (0, 1, 1)


def test_an_unstated_year_is_right_only_when_it_equals_the_labelled_year():
    rows = [published_row(year=2024, year_basis="unstated")]
    s = score_text(rows, [idl(year=2023)], [], [], LOOKUP, SCORER).summary()
    assert (s["precision"]["k"], s["coverage"]["k"]) == (0, 0)


def test_a_partial_year_label_is_wrong_as_an_annual_row_and_right_when_left_unmapped():
    ytd = idl(indicator_id=None, raw={"period_kind": "months_to_date"})
    s = score_text([published_row()], [ytd], [], [], LOOKUP, SCORER).summary()
    assert (s["precision"]["k"], s["joint_all"]["k"], s["status"]["k"], s["status_published_as_annual_actual"]) == (
        0,
        0,
        0,
        1,
    )
    unmapped = row(status="actual", period_kind="months_to_date")
    s = score_text([unmapped], [ytd], [], [], LOOKUP, SCORER).summary()
    assert (s["precision"]["n"], s["joint_all"]["k"], s["status"]["k"], s["status"]["n"]) == (0, 1, 1, 1)


def test_a_target_is_recognised_by_its_status_and_never_published():
    target = idl(indicator_id=None, raw={"status": "target"})
    s = score_text([row(status="target")], [target], [], [], LOOKUP, SCORER).summary()
    assert (s["status"]["k"], s["status"]["n"]) == (1, 1)
    s = score_text([row(status="forecast")], [target], [], [], LOOKUP, SCORER).summary()
    assert s["status"]["k"] == 0  # the wrong status is not recognised


def test_old_not_figures_that_were_targets_or_forecasts_count_for_status():
    assert old_not_figure_status('"target (力争)"') == "target"
    assert old_not_figure_status("forecast for the current year") == "forecast"
    assert old_not_figure_status("name of a plan period") is None
    assert old_not_figure_status("year of the targets") is None
    assert old_not_figure_status("target year of an aspiration (力争…到2025年)") is None
    nf = {"number_start": 10, "number_end": 12, "why": "target for 2024"}
    s = score_text([published_row()], [], [nf], [], LOOKUP, SCORER).summary()
    assert (s["status"]["k"], s["status"]["n"], s["status_published_as_annual_actual"]) == (0, 1, 1)
    s = score_text([row(status="target")], [], [nf], [], LOOKUP, SCORER).summary()
    assert (s["status"]["k"], s["precision"]["n"]) == (1, 0)


def test_coverage_counts_actual_labels_only_and_keeps_the_all_ids_figure_beside_it():
    target = idl(raw={"status": "target"})
    s = score_text([row(status="target")], [idl(), target], [], [], LOOKUP, SCORER).summary()
    assert (s["coverage"]["k"], s["coverage"]["n"]) == (0, 1)  # the target is not in the denominator
    assert (s["coverage_all_ids"]["k"], s["coverage_all_ids"]["n"]) == (0, 2)
    s = score_text([published_row()], [idl(), target], [], [], LOOKUP, SCORER).summary()
    assert (s["coverage"]["k"], s["coverage"]["n"], s["coverage_all_ids"]["k"]) == (1, 1, 1)
