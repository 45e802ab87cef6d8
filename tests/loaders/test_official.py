"""Official releases: statements and tables read exactly, aggregates cited, claims cross-checked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from loaders.build import REFERENCE_DIR
from loaders.corpus import Source
from loaders.crosscheck import agrees
from loaders.errors import BuildError
from loaders.official import load_spec, read_statements, read_tables
from loaders.reference import load_reference
from schemas.official_checks import copies_agree, table_sums_ok


@pytest.fixture(scope="module")
def ref():
    return load_reference(REFERENCE_DIR)


@pytest.fixture(scope="module")
def spec(ref):
    return load_spec(REFERENCE_DIR, ref)


def release(text: str, year: int = 2022) -> Source:
    meta = {"kind": "official", "data_year": year, "published": str(year + 1), "region_focus": "china"}
    return Source(source_id="test_release", path=Path("test.txt"), text=text, sha256="", meta=meta)


def test_statements_read_value_year_and_sentence(spec):
    text = "一、经费情况\n2018年,全国共投入研究与试验发展(R&D)经费19677.9亿元,比上年增加2071.8亿元,增长11.8%;研究与试验发展(R&D)经费投入强度(与国内生产总值[2]之比)为2.19%,比上年提高0.04个百分点[3]。\n"
    rows = {r["indicator_id"]: r for r in read_statements(release(text, 2018), spec)}
    assert rows["rd_spending"]["value"] == 19677.9 and rows["rd_spending"]["value_base"] == pytest.approx(1.96779e12)
    assert rows["rd_spending_growth_pct"]["value"] == 11.8
    assert rows["rd_intensity_pct"]["value"] == 2.19 and rows["rd_intensity_pct"]["year"] == 2018
    for r in rows.values():
        assert text[r["char_start"] : r["char_end"]] == r["quote"] and r["quote"].startswith("2018年")
        assert text[r["number_start"] : r["number_end"]] == r["number_text"]
    # a region's intensity (与地区生产总值之比) is not the nation's
    assert not read_statements(release("投入强度(与地区生产总值之比)为6.83%。"), spec)


def test_a_table_row_is_its_own_quote(spec):
    text = "附表2\n| 地 区 | R&D经费(亿元) | R&D经费投入强度(%) |\n| 全 国 | 30782.9 | 2.54 |\n| 北 京 | 2843.3 | 6.83 |\n| 廣東 | 4411.9 | 3.42 |\n注:本表按现价计算。\n"
    rows = read_tables(release(text), spec)
    got = {(r["region_id"], r["indicator_id"]): r for r in rows}
    assert len(rows) == 6
    assert got[("beijing", "rd_intensity_pct")]["value"] == 6.83
    assert got[("guangdong", "rd_spending")]["quote"] == "| 廣東 | 4411.9 | 3.42 |"
    assert got[("china", "rd_spending")]["value"] == 30782.9
    for r in rows:
        assert text[r["char_start"] : r["char_end"]] == r["quote"]
        assert text[r["number_start"] : r["number_end"]] == r["number_text"]


def test_a_pattern_that_misses_its_example_stops_the_build(tmp_path, ref):
    broken = (
        (REFERENCE_DIR / "official.yaml").read_text("utf-8").replace("为(?P<value>{num})%'", "是(?P<value>{num})%'", 1)
    )
    (tmp_path / "official.yaml").write_text(broken, "utf-8")
    with pytest.raises(BuildError, match="does not read its own example"):
        load_spec(tmp_path, ref)


@pytest.mark.parametrize(
    ("qualifier", "claim", "official", "ok"),
    [
        ("exact", 2.54, 2.54, True),
        ("exact", 2.43, 2.44, False),
        ("approx", 4.0, 4.01, True),
        ("approx", 4.0, 4.5, False),
        ("more_than", 120, 121.0, True),
        ("more_than", 120, 118.0, False),
        ("nearly", 70, 68.0, True),
        ("nearly", 70, 72.0, False),
    ],
)
def test_qualifiers_widen_agreement(qualifier, claim, official, ok):
    row = pd.Series(
        {"value": claim, "value_base": claim, "scale": 1.0, "qualifier": qualifier, "number_text": repr(claim)}
    )
    assert agrees(row, official, {"approx_relative": 0.05, "nearly_relative": 0.10}) is ok


def _table_frame(values: dict[str, float], total: float) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rows = [
        {
            "source_id": "t",
            "indicator_id": "rd_spending",
            "region_id": r,
            "year": 2022,
            "value": v,
            "value_base": v,
            "scale": 1.0,
            "number_text": str(v),
            "derived": False,
            "qualifier": "exact",
            "rule_id": "official.yaml:table",
        }
        for r, v in values.items()
    ]
    rows.append(
        {
            **rows[0],
            "region_id": "china",
            "value": total,
            "value_base": total,
            "number_text": str(total),
            "rule_id": "official.yaml:rd_spending_total",
        }
    )
    sources = pd.DataFrame({"source_id": ["t"], "kind": ["official"]})
    regions = pd.DataFrame({"region_id": [*values, "china"], "level": ["province"] * len(values) + ["country"]})
    return pd.DataFrame(rows), sources, regions


def test_a_table_that_exceeds_the_national_total_fails():
    frame, sources, regions = _table_frame({"beijing": 2843.3, "guangdong": 4411.9}, 30782.9)
    assert table_sums_ok(frame, sources, regions).all()
    frame.loc[0, "value"] = 30000.0
    assert not table_sums_ok(frame, sources, regions).iloc[0]


def test_two_official_copies_must_agree():
    frame, sources, _ = _table_frame({"beijing": 2843.3}, 30782.9)
    copy = {**frame.iloc[0].to_dict(), "rule_id": "official.yaml:province_rd_spending"}
    both = pd.concat([frame, pd.DataFrame([copy])], ignore_index=True)
    assert copies_agree(both, sources).all()
    both.loc[len(both) - 1, ["value", "value_base"]] = [2834.3, 2834.3]
    assert not copies_agree(both, sources).iloc[0]


def test_the_national_series_2012_2023_is_published_and_cited(corpus_build):
    obs = corpus_build.tables["observations"]
    sources = corpus_build.tables["sources"].set_index("source_id")
    official = obs[obs.source_id.map(sources["kind"]).eq("official") & (obs.region_id == "china") & ~obs.derived]
    for indicator in ("rd_spending", "rd_spending_growth_pct", "rd_intensity_pct"):
        years = set(official[official.indicator_id == indicator].year)
        assert years == set(range(2012, 2024)), indicator
    assert official.quote.str.len().gt(0).all() and (official.check_status == "").all()
    by_year = official[official.indicator_id == "rd_intensity_pct"].set_index("year")["value"]
    assert by_year[2021] == 2.44 and by_year[2022] == 2.54


def test_seed_claims_carry_a_check(corpus_build):
    obs = corpus_build.tables["observations"]
    claims = obs[obs.check_status != ""]

    def one(indicator, region, year, derived=False):
        rows = claims[
            (claims.indicator_id == indicator)
            & (claims.region_id == region)
            & (claims.year == year)
            & (claims.derived == derived)
        ]
        assert len(rows) == 1
        return rows.iloc[0]

    implied = one("rd_intensity_pct", "china", 2021, derived=True)
    assert (implied.check_status, implied.check_value, implied.check_source_id) == (
        "differs",
        2.44,
        "nbs2021_rd_communique",
    )
    assert one("rd_intensity_pct", "china", 2022).check_status == "agrees"
    assert one("education_spending_gdp_pct", "united_states", 2024).check_status == "no_official"
    east = one("rd_spending_regional_share_pct", "east", 2022)
    assert east.check_status == "agrees" and "range" in east.check_note


def test_macro_region_sums_cite_every_province(corpus_build):
    obs = corpus_build.tables["observations"]
    derived = obs[obs.derived & (obs.rule_id == "official.yaml:macro_region")]
    central = derived[(derived.region_id == "central") & (derived.indicator_id == "rd_spending")].iloc[0]
    table = obs[(obs.rule_id == "official.yaml:table") & (obs.indicator_id == "rd_spending")]
    members = table[table.region_id.isin(["shanxi", "anhui", "jiangxi", "henan", "hubei", "hunan"])]
    assert len(members) == 6 and central.value == pytest.approx(round(members.value.sum(), 1))
    assert all(t in central.note for t in members.number_text)
    for region in ("east", "west"):
        share = derived[(derived.region_id == region) & (derived.indicator_id == "rd_spending_regional_share_pct")]
        low, high = (
            share[share.qualifier == "at_least"].value.iloc[0],
            share[share.qualifier == "at_most"].value.iloc[0],
        )
        assert low < high


def test_a_release_without_data_year_is_refused_by_name(spec):
    source = release("2022年,全国共投入研究与试验发展(R&D)经费30782.9亿元,比上年增加2826.6亿元。")
    source.meta.pop("data_year")
    with pytest.raises(BuildError, match="data_year") as err:
        read_statements(source, spec)
    assert "test.txt" in err.value.one_line()
