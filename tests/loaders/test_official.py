"""Official releases: statements and tables read exactly, aggregates cited, claims cross-checked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from loaders.build import REFERENCE_DIR
from loaders.corpus import Source
from loaders.crosscheck import agrees
from loaders.errors import BuildError
from loaders.official import by_fidelity, load_spec, official_rows, read_statements, read_tables
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


def test_a_saved_page_with_full_width_brackets_reads_the_same(spec):
    # The publisher's page keeps （）and ，; a stored search copy had ASCII. Both read alike.
    text = (
        "　　2019年，全国共投入研究与试验发展（R&D）经费22143.6亿元，比上年增加2465.7亿元，增长12.5%；"
        "研究与试验发展（R&D）经费投入强度（与国内生产总值[2]之比）为2.23%，比上年提高0.09个百分点。\n"
        "　　分地区看，超过千亿元的省（市）有6个，分别为广东（3098.5亿元）、江苏（2779.5亿元）。\n"
        "附表2　2019年各地区研究与试验发展（R&D）经费情况\n"
        "地 区 | R&D经费 （亿元） | R&D经费投入强度 （%）\n全 国 | 22143.6 | 2.23\n北 京 | 2233.6 | 6.31\n"
        "附注：\n"
    )
    source = release(text, 2019)
    said = {(r["indicator_id"], r["region_id"]): r["value"] for r in read_statements(source, spec)}
    assert said[("rd_spending", "china")] == 22143.6 and said[("rd_spending_growth_pct", "china")] == 12.5
    assert said[("rd_intensity_pct", "china")] == 2.23 and said[("rd_spending", "jiangsu")] == 2779.5
    table = {(r["indicator_id"], r["region_id"]): r for r in read_tables(source, spec)}
    assert len(table) == 4 and table[("rd_intensity_pct", "beijing")]["quote"] == "北 京 | 2233.6 | 6.31"


def test_the_publishers_text_comes_before_a_third_partys_copy(spec):
    fidelity = ["third_party_table", "news_report", "release_text", ""]
    sources = [release(f"{f}", 2022) for f in fidelity]
    for s, f in zip(sources, fidelity, strict=True):
        s.meta["copy_fidelity"] = f
    ordered = [s.meta["copy_fidelity"] for s in by_fidelity(sources, spec)]
    assert ordered == ["release_text", "news_report", "third_party_table", ""]


def test_a_third_partys_misprint_is_flagged_not_fatal(spec, ref):
    header = "| 地区 | R&D经费投入强度(%) |\n"
    own, copy = (
        release(header + "| 河北 | 2.00 |\n| 北京 | 6.83 |\n"),
        release(header + "| 河北 | 2.04 |\n| 北京 | 6.83 |\n"),
    )
    own.meta["copy_fidelity"], copy.meta["copy_fidelity"] = "release_text", "third_party_table"
    copy = Source("copy", copy.path, copy.text, "", copy.meta)
    rows = official_rows([copy, own], ref, spec)
    flagged = {(r["source_id"], r["region_id"]): r["flags"] for r in rows}
    assert flagged[("copy", "hebei")].startswith("contradicted: the more faithful copy test_release gives 2.00")
    assert not flagged[("copy", "beijing")] and not flagged[("test_release", "hebei")]
    frame = pd.DataFrame(rows).assign(check_status="")
    assert copies_agree(frame, pd.DataFrame({"source_id": ["copy", "test_release"], "kind": ["official"] * 2})).all()
    frame.loc[:, "flags"] = ""  # unflagged, the two copies would stop the build
    assert not copies_agree(
        frame, pd.DataFrame({"source_id": ["copy", "test_release"], "kind": ["official"] * 2})
    ).all()


def test_the_provincial_tables_2018_2023_are_complete_and_cited(corpus_build):
    obs = corpus_build.tables["observations"]
    provinces = set(corpus_build.tables["regions"].query("level == 'province'").region_id)
    for year in range(2018, 2024):
        rows = obs[(obs.source_id == f"nbs{year}_rd_release") & (obs.rule_id == "official.yaml:table")]
        rows = rows[rows.region_id.isin(provinces)]
        for indicator in ("rd_spending", "rd_intensity_pct"):
            cells = rows[rows.indicator_id == indicator]
            assert cells.region_id.nunique() == 31 == len(cells), (year, indicator)
        assert not rows.quote.str.contains("\n").any()  # a quote is one row of the table
        assert all(n in q.split(" | ") for n, q in zip(rows.number_text, rows.quote, strict=True))
    # A province's row, as the 2022 release prints it (its 附表2), and the misprint it corrects.
    hebei = obs[(obs.region_id == "hebei") & (obs.year == 2022) & (obs.indicator_id == "rd_intensity_pct")]
    assert hebei.set_index("source_id").loc["nbs2022_rd_release", "value"] == 2.00


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
    by_year = official[official.indicator_id == "rd_intensity_pct"].groupby("year")["value"].agg(set)
    assert by_year[2021] == {2.44} and by_year[2022] == {2.54}  # every copy (sentence, table row) agrees


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
        "nbs2021_rd_release",  # the publisher's full text comes before a news report of it
    )
    assert one("rd_intensity_pct", "china", 2022).check_status == "agrees"
    assert one("education_spending_gdp_pct", "united_states", 2024).check_status == "no_official"
    # The seed's East 65.74% and West 12.87% recomputed from the release's full provincial table.
    for region, share in (("east", 65.74), ("west", 12.87)):
        claim = one("rd_spending_regional_share_pct", region, 2022)
        assert claim.check_status == "agrees" and claim.check_source_id == "nbs2022_rd_release"
        assert abs(claim.check_value - share) <= 0.01


def test_macro_region_sums_cite_every_province(corpus_build):
    obs = corpus_build.tables["observations"]
    derived = obs[obs.derived & (obs.rule_id == "official.yaml:macro_region")]
    for (sid, year), group in derived[derived.qualifier == "exact"].groupby(["source_id", "year"]):
        central = group[(group.region_id == "central") & (group.indicator_id == "rd_spending")].iloc[0]
        table = obs[(obs.rule_id == "official.yaml:table") & (obs.indicator_id == "rd_spending")]
        table = table[(table.source_id == sid) & (table.year == year)]
        members = table[table.region_id.isin(["shanxi", "anhui", "jiangxi", "henan", "hubei", "hunan"])]
        assert len(members) == 6 and central.value == pytest.approx(round(members.value.sum(), 1))
        assert all(t in central.note for t in members.number_text)
    # The third party's table that stops after 26 rows still bounds the East and the West.
    ranked = derived[derived.source_id == "nbs2022_rd_provinces_ranked"]
    for region in ("east", "west"):
        share = ranked[(ranked.region_id == region) & (ranked.indicator_id == "rd_spending_regional_share_pct")]
        low, high = (
            share[share.qualifier == "at_least"].value.iloc[0],
            share[share.qualifier == "at_most"].value.iloc[0],
        )
        exact = derived[
            (derived.source_id == "nbs2022_rd_release")
            & (derived.region_id == region)
            & (derived.indicator_id == "rd_spending_regional_share_pct")
        ].value.iloc[0]
        assert low < exact < high  # the full table's exact share lies within the partial table's bounds


def test_a_release_without_data_year_is_refused_by_name(spec):
    source = release("2022年,全国共投入研究与试验发展(R&D)经费30782.9亿元,比上年增加2826.6亿元。")
    source.meta.pop("data_year")
    with pytest.raises(BuildError, match="data_year") as err:
        read_statements(source, spec)
    assert "test.txt" in err.value.one_line()
