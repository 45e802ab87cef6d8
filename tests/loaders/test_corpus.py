"""End to end on the real corpus: the figures a policymaker will be shown, with their citation."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from loaders.build import SOURCES_DIR


def seed(obs: pd.DataFrame) -> pd.DataFrame:
    """The seed texts' claims, not the official releases' figures (tests/loaders/test_official.py)."""
    return obs[~obs.rule_id.str.startswith("official.yaml:")]


def find(obs: pd.DataFrame, indicator: str, region: str, year: int, *, derived: bool = False) -> pd.Series:
    obs = seed(obs)
    rows = obs[
        (obs.indicator_id == indicator) & (obs.region_id == region) & (obs.year == year) & (obs.derived == derived)
    ]
    assert len(rows) == 1, f"{indicator}/{region}/{year}: {len(rows)} rows\n{rows.to_string()}"
    return rows.iloc[0]


# indicator, region, year, value, unit, qualifier, year_basis, words the quote must contain; as published, after the
# review in datasets/reviews/ (a reviewer's year has year_basis 'reviewed'; rejected figures keep the machine's)
EXPECTED = [
    ("rd_intensity_pct", "china", 2022, 2.54, "%", "exact", "stated", "研发支出占GDP的比例为2.54%"),
    ("rd_intensity_change_pp", "china", 2022, 0.11, "个百分点", "exact", "stated", "比上年提高0.11个百分点"),
    ("rd_intensity_world_rank", "china", 2022, 13, "位", "exact", "stated", "第十三位"),
    ("rd_intensity_pct", "eu", 2022, 2.2, "%", "exact", "stated", "欧盟(2.2%)"),
    ("rd_intensity_pct", "oecd", 2022, 2.7, "%", "exact", "stated", "(2.7%)"),
    ("basic_research_share_pct", "china", 2022, 6.57, "%", "exact", "context", "基础研究投入占比过低(6.57%)"),
    ("applied_experimental_share_pct", "china", 2022, 93.43, "%", "exact", "context", "(93.43%)"),
    ("rd_spending_regional_share_pct", "east", 2022, 65.74, "%", "exact", "context", "东部地区投入占比"),
    ("rd_spending_regional_share_pct", "west", 2022, 12.87, "%", "exact", "context", "西部地区投入占比过低(12.87%)"),
    ("rd_intensity_pct", "china", 2005, 1.34, "%", "exact", "stated", "1.34%"),
    ("rd_spending_usd", "china", 2005, 299, "亿美元", "exact", "stated", "R&D经费支出为299亿美元"),
    ("rd_spending_world_rank", "china", 2005, 6, "位", "exact", "stated", "位居世界第六位"),
    ("specialised_smes_count", "jiangxi", 2024, 2787, "家", "exact", "reviewed", "专精特新中小企业2787家"),
    ("little_giants_count", "jiangxi", 2024, 255, "家", "exact", "reviewed", "“小巨人”企业255家"),
    ("single_champions_count", "jiangxi", 2024, 107, "家", "exact", "unstated", "107家省级制造业单项冠军企业"),
    ("single_champion_batches", "jiangxi", 2024, 7, "批次", "exact", "unstated", "7批次"),
    ("sme_main_business_focus_share_pct", "jiangxi", 2024, 90, "%", "more_than", "reviewed", "超九成的企业"),
    ("sme_niche_5y_share_pct", "jiangxi", 2024, 80, "%", "more_than", "reviewed", "超八成的企业"),
    ("sme_key_chain_share_pct", "jiangxi", 2024, 70, "%", "nearly", "reviewed", "近七成的企业"),
    ("talent_net_inflow_share_pct", "east", 2018, 5.7, "%", "exact", "range_start", "从5.7%上升到14.1%"),
    ("talent_net_inflow_share_pct", "east", 2022, 14.1, "%", "exact", "range_end", "从5.7%上升到14.1%"),
    ("talent_net_inflow_share_pct", "yrd", 2018, 4.6, "%", "exact", "range_start", "分别从4.6%"),
    ("talent_net_inflow_share_pct", "prd", 2018, 2.2, "%", "exact", "range_start", "、2.2%"),
    ("talent_net_inflow_share_pct", "yrd", 2022, 7.9, "%", "exact", "range_end", "7.9%"),
    ("talent_net_inflow_share_pct", "prd", 2022, 3.9, "%", "exact", "range_end", "3.9%"),
    ("gdp", "china", 2022, 120, "万亿", "more_than", "stated", "GDP总量突破120万亿"),
    ("gdp_world_rank", "china", 2022, 2, "位", "exact", "stated", "稳居世界第二"),
    ("gdp_growth_avg_pct", "china", 2011, 10, "%", "exact", "computed", "前十年年均10%"),
    ("strategic_emerging_va_share_pct", "china", 2022, 13, "%", "approx", "stated", "约为13%"),
    ("education_spending_gdp_pct", "china", 2024, 4, "%", "approx", "unstated", "约为4%"),
    ("education_spending_gdp_pct", "united_states", 2024, 34, "%", "exact", "unstated", "美国的34%"),
    ("higher_ed_enrolment_pct", "china", 2022, 59.6, "%", "exact", "stated", "高等教育毛入学率59.6%"),
    ("national_hitech_zones_count", "china", 1992, 52, "个", "exact", "stated", "52个国家级"),
    ("manufacturing_top_years", "china", 2022, 13, "年", "exact", "reviewed", "连续13年"),
    ("manufacturing_world_rank", "china", 2022, 1, "位", "exact", "reviewed", "位居世界第一"),
    ("industrial_major_categories_count", "china", 2022, 41, "个", "exact", "reviewed", "41个工业大类"),
    ("industrial_medium_categories_count", "china", 2022, 207, "个", "exact", "reviewed", "207个工业中类"),
    ("industrial_minor_categories_count", "china", 2022, 666, "个", "exact", "reviewed", "666个工业"),
    ("major_industrial_products_count", "china", 2022, 500, "种", "more_than", "reviewed", "500余种"),
    ("products_world_top_share_pct", "china", 2022, 40, "%", "at_least", "reviewed", "40%以上"),
]


@pytest.mark.parametrize("expected", EXPECTED, ids=[f"{e[0]}-{e[1]}-{e[2]}" for e in EXPECTED])
def test_stated_figures(corpus_build, expected):
    indicator, region, year, value, unit, qualifier, year_basis, words = expected
    row = find(corpus_build.tables["observations"], indicator, region, year)
    assert row["value"] == pytest.approx(value)
    assert (row["unit"], row["qualifier"], row["year_basis"]) == (unit, qualifier, year_basis)
    compact_quote = "".join(row["quote"].split())
    assert "".join(words.split()) in compact_quote


def test_every_quote_is_a_verbatim_slice(corpus_build):
    sources = corpus_build.tables["sources"].set_index("source_id")
    for row in corpus_build.tables["observations"].itertuples():
        text = (SOURCES_DIR / sources.loc[row.source_id, "file"]).read_bytes().decode("utf-8")
        assert text[row.char_start : row.char_end] == row.quote
        assert text[row.number_start : row.number_end] == row.number_text


def test_only_claims_become_observations(corpus_build):
    """About forty claims: none from the reference lists, phone numbers or dates."""
    obs = seed(corpus_build.tables["observations"])
    stated = obs[~obs.derived]
    assert len(stated) == len(EXPECTED)
    assert set(obs.source_id) == {"jxdaily2024_think_tank", "huang2024_75_years", "nqpf2024_high_quality"}
    thresholds = stated[stated.number_text.isin(["高于95%", "5年以上", "1269"])]
    assert thresholds.empty


def test_prior_year_rd_intensity_is_derived(corpus_build):
    row = find(corpus_build.tables["observations"], "rd_intensity_pct", "china", 2021, derived=True)
    assert row["value"] == pytest.approx(2.43)
    assert row["note"].startswith("derived:") and "2.54" in row["note"] and "0.11" in row["note"]
    assert row["year_basis"] == "computed"


def test_implausible_figure_is_flagged_not_dropped(corpus_build):
    row = find(corpus_build.tables["observations"], "education_spending_gdp_pct", "united_states", 2024)
    assert "implausible" in row["flags"]


def test_observation_ids_are_stable_across_builds(corpus_build, tmp_path):
    from loaders.build import build

    again = build(out=tmp_path / "published")
    assert list(again.tables["observations"]["observation_id"]) == list(
        corpus_build.tables["observations"]["observation_id"]
    )


def test_mentions_cover_every_number_and_link_observations(corpus_build):
    men = corpus_build.tables["mentions"]
    obs = corpus_build.tables["observations"]
    mapped = men[men.observation_id != ""]
    assert set(mapped.observation_id) == set(seed(obs)[~seed(obs).derived].observation_id)
    assert (men[men.observation_id == ""].reason != "").all()
    assert {"year", "citation", "figure"} <= set(men.kind)


def test_published_files_carry_metadata(corpus_build):
    out = corpus_build.out
    for name in ("sources", "regions", "indicators", "observations", "mentions"):
        meta = pq.read_schema(out / f"{name}.parquet").metadata
        assert meta[b"riid:table"] == name.encode()
        digests = json.loads(meta[b"riid:source_digests"])
        assert len(digests) == len(pd.read_parquet(out / "sources.parquet"))
    sources = pd.read_parquet(out / "sources.parquet")
    for row in sources.itertuples():
        assert hashlib.sha256((SOURCES_DIR / row.file).read_bytes()).hexdigest() == row.sha256
    report = json.loads((out / "build_report.json").read_text("utf-8"))
    assert report["counts"]["observations"] == len(pd.read_parquet(out / "observations.parquet"))
    assert report["checks"] and all(c["status"] == "passed" for c in report["checks"])
    names = {c["check"] for c in report["checks"]}
    assert {"quote_matches_source", "parts_add_up_to_whole", "stated_change_agrees"} <= names
