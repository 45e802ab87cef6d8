"""The schemas reject what they promise to reject, naming the row and the rule."""

from __future__ import annotations

import pandas as pd
import pytest

from schemas.integrity import validate_tables


@pytest.fixture()
def tables(corpus_build):
    return {name: frame.copy() for name, frame in corpus_build.tables.items()}


@pytest.fixture()
def texts(corpus_build):
    from loaders.build import SOURCES_DIR

    src = corpus_build.tables["sources"]
    return {r.source_id: (SOURCES_DIR / r.file).read_text("utf-8") for r in src.itertuples()}


def failed(tables, texts) -> dict[str, list[str]]:
    _, results = validate_tables(tables, texts)
    return {r.check: r.examples for r in results if r.n_failed}


def row_of(obs: pd.DataFrame, indicator: str, region: str = "china") -> int:
    return obs.index[(obs.indicator_id == indicator) & (obs.region_id == region) & ~obs.derived][0]


def test_the_real_build_passes(tables, texts):
    assert failed(tables, texts) == {}


def test_a_quote_that_is_not_the_slice_fails(tables, texts):
    obs = tables["observations"]
    i = row_of(obs, "rd_intensity_pct")
    obs.loc[i, "quote"] = obs.loc[i, "quote"] + "。"
    fails = failed(tables, texts)
    assert "quote_matches_source" in fails
    assert obs.loc[i, "observation_id"] in fails["quote_matches_source"][0]


def test_parts_of_a_whole_must_add_up(tables, texts):
    obs = tables["observations"]
    obs.loc[row_of(obs, "basic_research_share_pct"), "value"] = 7.57
    fails = failed(tables, texts)
    assert "parts_add_up_to_whole" in fails
    assert any("basic_research_share_pct" in e or "applied_experimental" in e for e in fails["parts_add_up_to_whole"])


def test_regional_shares_cannot_exceed_the_whole(tables, texts):
    obs = tables["observations"]
    obs.loc[row_of(obs, "rd_spending_regional_share_pct", "west"), "value"] = 40.0
    assert "regional_shares_within_whole" in failed(tables, texts)


def test_stated_change_must_agree_with_stated_values(tables, texts):
    # Only the seed's own figures: the 2021 release's 2.44% would agree with "+0.11" on its own.
    obs = tables["observations"] = tables["observations"][tables["observations"]["check_status"] != ""].copy()
    # Turn the derived 2021 value into a stated one that disagrees with "+0.11".
    i = obs.index[obs.derived][0]
    obs.loc[i, ["derived", "value", "value_base", "note"]] = [False, 2.30, 2.30, ""]
    assert "stated_change_agrees" in failed(tables, texts)


def test_percent_share_outside_0_100_fails(tables, texts):
    obs = tables["observations"]
    i = row_of(obs, "sme_niche_5y_share_pct", "jiangxi")
    obs.loc[i, ["value", "value_base"]] = [180.0, 180.0]
    assert "share_within_0_100" in failed(tables, texts)


def test_unknown_region_and_duplicate_id_fail(tables, texts):
    obs = tables["observations"]
    obs.loc[obs.index[0], "region_id"] = "atlantis"
    obs.loc[obs.index[2], "observation_id"] = obs.loc[obs.index[1], "observation_id"]
    fails = failed(tables, texts)
    assert "region_exists" in fails
    assert "observation_id:field_uniqueness" in fails


def test_year_out_of_range_fails(tables, texts):
    obs = tables["observations"]
    obs.loc[obs.index[0], "year"] = 1492
    assert any(k.startswith("year:") for k in failed(tables, texts))


def test_a_figure_in_another_unit_than_its_indicator_fails(tables, texts):
    obs = tables["observations"]
    i = row_of(obs, "rd_spending_usd")
    obs.loc[i, "indicator_id"] = "rd_spending"  # 299亿美元 under the yuan indicator
    assert "unit_matches_indicator" in failed(tables, texts)


def test_validations_do_not_leak_into_each_other(tables, texts):
    """Checks close over one build's texts; a second validation must not inherit them."""
    from schemas import Observations

    n_checks = len(Observations.to_schema().checks)
    failed(tables, texts)
    failed(tables, texts)
    assert len(Observations.to_schema().checks) == n_checks
    other_texts = {k: v + "追加" for k, v in texts.items()}
    assert failed(tables, other_texts) == {}


def test_blind_spots_group_unmapped_figures_by_subject_most_frequent_first():
    import pandas as pd

    from loaders.build import blind_spots

    men = pd.DataFrame(
        [
            # source, kind, observation_id, subject, measure
            ("a", "figure", "", "充电桩", "level"),
            ("b", "figure", "", "充电桩", "level"),
            ("a", "figure", "", "充电桩", "growth"),
            ("a", "rank", "", "营商环境", "rank"),
            ("a", "figure", "obs_1", "研发经费", "level"),  # mapped: not a blind spot
            ("a", "year", "", "", ""),  # not a figure
            ("a", "figure", "", "", "level"),  # names nothing
        ],
        columns=["source_id", "kind", "observation_id", "indicator_subject", "measure"],
    )
    assert blind_spots(men) == [
        {"indicator_subject": "充电桩", "measure": "level", "n": 2, "n_sources": 2},
        {"indicator_subject": "充电桩", "measure": "growth", "n": 1, "n_sources": 1},
        {"indicator_subject": "营商环境", "measure": "rank", "n": 1, "n_sources": 1},
    ]
    assert blind_spots(men.iloc[4:]) == []
