"""The trust stage's state across figures (loaders/trust_state.py): decisions that depend on
figures later in the text come out the same as if the whole text had been read first."""

from __future__ import annotations

from loaders.extract import extract_text, observations_from_text
from loaders.trust import _ABOUT, _LOWER, _UPPER, _consistent
from loaders.trust_state import CONFLICT_REASON, Claims, Withdrawal

PLACES = "2022年，湖南地区生产总值5.2万亿元，广东地区生产总值12.9万亿元。"
UNPLACED = "2022年，地区生产总值增长5.2%。"


def _growth_row(text: str) -> dict:
    frame = extract_text(text, default_region=None, publication_year=2023)
    rows = [r for r in frame.to_dict("records") if r["number_text"] == "5.2%"]
    assert len(rows) == 1
    return rows[0]


def test_a_default_region_figure_is_withdrawn_whether_the_places_come_before_or_after_it():
    """kind.yaml weak_region: the text names two places, so a figure placed only by the
    country default is withdrawn, even when it stands before both names."""
    before, after = _growth_row(UNPLACED + PLACES), _growth_row(PLACES + UNPLACED)
    for row in (before, after):
        assert (row["indicator_id"], row["reason"]) == ("", "weak_region_country_default")
        assert row["evidence"].startswith("indicator:gdp_growth; withdrawn:gdp_growth_pct; region:country_default")
        assert row["confidence"] == 0.0 and row["quote"] == "5.2%"
    # alone, the country default is still no evidence of the region (kind.yaml confidence)
    alone = _growth_row(UNPLACED)
    assert (alone["indicator_id"], alone["reason"]) == ("", "low_confidence")


def test_the_table_and_the_build_path_agree_on_late_withdrawals():
    text = UNPLACED + PLACES + "2022年，湖南地区生产总值4.8万亿元。"
    frame = extract_text(text, default_region=None, publication_year=2023)
    _, mentions = observations_from_text(text, "t", default_region=None, publication_year=2023)
    assert list(frame["reason"]) == [m["reason"] for m in mentions]
    assert list(frame["evidence"]) == [m["evidence"] for m in mentions]
    assert list(frame["reason"]).count(CONFLICT_REASON) == 2  # hunan's 5.2 and 4.8 trillion


def _claims() -> Claims:
    return Claims((*_LOWER, *_UPPER, *_ABOUT), _consistent)


def test_claims_withdraw_every_row_of_a_key_that_cannot_all_be_true():
    claims = _claims()
    key = ("gdp", "hunan", 2022, "year")
    claims.add(3, (key, 90.0, "more_than"))
    claims.add(5, (key, 100.0, "exact"))
    claims.add(8, (("gdp", "guangdong", 2022, "year"), 1.0, "exact"))
    assert list(claims.withdrawals()) == []
    claims.add(1, (key, 50.0, "less_than"))  # a row settled late, earlier in the text
    assert sorted(w.row for w in claims.withdrawals()) == [1, 3, 5]


def test_claims_compare_with_the_first_exact_value_in_text_order_not_arrival_order():
    claims = _claims()
    key = ("gdp", "hunan", 2022, "year")
    claims.add(4, (key, 100.0, "exact"))
    claims.add(6, (key, 108.0, "approx"))  # within 10% of 100
    assert list(claims.withdrawals()) == []
    claims.add(2, (key, 100.0, "exact"))
    assert list(claims.withdrawals()) == []
    claims.add(0, (key, 100.5, "exact"))  # now first: 100 differs from it
    assert sorted(w.row for w in claims.withdrawals()) == [0, 2, 4, 6]


def test_a_withdrawal_puts_its_evidence_where_judge_would_have():
    before = "indicator:gdp_total; region:country_default; year:stated"
    inserted = Withdrawal(0, "gdp", "weak_region_country_default", len("indicator:gdp_total"))
    assert inserted.evidence(before) == "indicator:gdp_total; withdrawn:gdp; region:country_default; year:stated"
    assert Withdrawal(0, "gdp", CONFLICT_REASON, None).evidence(before) == before + "; withdrawn:gdp"
    assert Withdrawal(0, "gdp", "weak_region_country_default", -1).evidence(before) == before


def test_the_trust_stage_judges_a_figure_only_after_the_mapper_has_stopped_reading_it():
    """The mapper reads a figure again when it finishes the ones after it: 郑州(344.72亿元)
    measures what 超过100亿元 measures. The trust stage takes that threshold's indicator back,
    and must do so only after the bracket figures have read it."""
    text = "2022年，河南研究与试验发展(R&D)经费投入超过100亿元的地区有2个,分别为郑州(344.72亿元)和洛阳(168.09亿元)。"
    frame = extract_text(text, default_region="henan", publication_year=2023)
    by_number = dict(zip(frame["number_text"], frame["indicator_id"], strict=True))
    assert by_number["超过100亿元"] == "" and by_number["344.72亿元"] == by_number["168.09亿元"] == "rd_spending"
    _, mentions = observations_from_text(text, "t", default_region="henan", publication_year=2023)
    assert list(frame["evidence"]) == [m["evidence"] for m in mentions]


def test_judge_over_a_list_agrees_with_the_figures_judged_as_they_come():
    from loaders.extract import engine, map_text
    from loaders.trust import judge

    text = UNPLACED + PLACES + "2022年，湖南地区生产总值4.8万亿元。"
    compact, mapped = map_text(text, default_region=None, publication_year=2023)
    judged = judge(compact, mapped, publication_year=2023, indicators=engine()[0].indicators)
    frame = extract_text(text, default_region=None, publication_year=2023)
    assert [j.evidence for j in judged] == list(frame["evidence"])
    assert [mp.reason for mp in mapped] == list(frame["reason"])


def test_the_layout_reads_each_line_once_whatever_the_steps_between_figures():
    """loaders/structure.Layout crosses exactly the text's lines ("\n"-ended, "\r\n" too),
    however far apart the figures it is asked about stand."""
    import random

    from loaders.structure import Layout

    rng = random.Random(13)
    pieces = ["\n", "\r\n", "◆", "目标：", "一、", "x", "5%"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        layout, crossed, pos = Layout(text), 0, 0
        while pos < len(text):
            crossed += layout.at(pos).new_lines
            pos += rng.randint(1, 8)
        crossed += layout.at(len(text) - 1).new_lines
        assert crossed == text[: len(text) - 1].count("\n"), repr(text)
