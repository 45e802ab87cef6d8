"""Tables made to break the chart rules: an implausible figure, undated figures, a target,
a multi-year average, a two-source series with a gap, ranks, nested regions, an
approximate year, and (optionally) reviewed figures.

Two small texts are written beside the tables, so every quote is a real slice of its
text; the contract columns other engineers are adding (status, period_kind,
period_start/end, review_state) are set on the observations afterwards.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from fixture_data import Claim, write_fixture

TEXT_A = (
    "2010年，全国研发经费投入强度为1.71%。\n2011年，全国研发经费投入强度为1.78%。\n"
    "2015年，全国研发经费投入强度为2.06%。\n江西省研发经费投入强度为34%。\n"
    "江西省研发经费投入强度目前为2.0%。\n到2025年，全国研发经费投入强度将达到2.8%。\n"
    "2002—2011年全国研发经费投入强度年均为1.5%。\n"
    "2022年，东部地区人才净流入占比为14.1%，长三角为7.9%，珠三角为3.9%。\n"
    "2022年研发投入强度世界排名第十三位。\n2021年排名第十四位。\n"
    "1992年前后，全国研发经费投入强度约为0.7%。\n"
)
TEXT_B = "2012年，全国研发经费投入强度为1.91%。\n2013年，全国研发经费投入强度为2.01%。\n"

SOURCES = [
    {
        "source_id": "paper_a",
        "title": "测试文献甲",
        "title_en": "Test paper A",
        "short_title": "测试文献甲",
        "authors": "甲",
        "venue": "",
        "published": "2024",
        "published_text": "2024",
        "url": "https://doi.org/10.0000/test.a",
        "doi": "10.0000/test.a",
        "kind": "test",
        "region_focus": "china",
        "file": "paper_a.txt",
    },
    {
        "source_id": "paper_b",
        "title": "测试文献乙",
        "title_en": "Test paper B",
        "short_title": "测试文献乙",
        "authors": "乙",
        "venue": "",
        "published": "2023-05-01",
        "published_text": "2023-05",
        "url": "",
        "doi": "",
        "kind": "test",
        "region_focus": "china",
        "file": "paper_b.txt",
    },
]


def _a(indicator, region, year, value, start, number, **kw) -> Claim:
    unit = "位" if indicator.endswith("rank") else "%"
    return Claim(
        indicator, region, year, value, unit, kw.pop("qualifier", "exact"), "paper_a", start, "。", number, **kw
    )


CLAIMS = [
    _a("rd_intensity_pct", "china", 2010, 1.71, "2010年，", "1.71%"),
    _a("rd_intensity_pct", "china", 2011, 1.78, "2011年，", "1.78%"),
    _a("rd_intensity_pct", "china", 2015, 2.06, "2015年，", "2.06%"),
    Claim("rd_intensity_pct", "china", 2012, 1.91, "%", "exact", "paper_b", "2012年，", "。", "1.91%"),
    Claim("rd_intensity_pct", "china", 2013, 2.01, "%", "exact", "paper_b", "2013年，", "。", "2.01%"),
    _a(
        "rd_intensity_pct",
        "jiangxi",
        2015,
        34.0,
        "江西省研发经费投入强度为34%",
        "34%",
        flags="implausible: outside 0–8 %",
    ),
    _a("rd_intensity_pct", "jiangxi", 2024, 2.0, "江西省研发经费投入强度目前", "2.0%", year_basis="publication"),
    _a("rd_intensity_pct", "china", 2025, 2.8, "到2025年", "2.8%"),
    _a("rd_intensity_pct", "china", 2011, 1.5, "2002—2011年", "1.5%", year_basis="range_end", note="average"),
    _a("talent_net_inflow_share_pct", "east", 2022, 14.1, "2022年，东部", "14.1%"),
    _a("talent_net_inflow_share_pct", "yrd", 2022, 7.9, "2022年，东部", "7.9%"),
    _a("talent_net_inflow_share_pct", "prd", 2022, 3.9, "2022年，东部", "3.9%"),
    _a("rd_intensity_rank", "china", 2022, 13, "2022年研发投入强度", "第十三位"),
    _a("rd_intensity_rank", "china", 2021, 14, "2021年排名", "第十四位"),
    _a("rd_intensity_pct", "china", 1992, 0.7, "1992年前后", "0.7%", qualifier="approx"),
]
# observation key (indicator, region, value) -> contract columns set after writing.
EXTRA = {
    ("rd_intensity_pct", "china", 2.8): {"status": "target"},
    ("rd_intensity_pct", "china", 1.5): {
        "period_kind": "multi_year_average",
        "period_start": pd.Timestamp("2002-01-01"),
        "period_end": pd.Timestamp("2011-12-31"),
    },
}


def write_breakers(root: Path, *, reviewed: tuple[float, ...] = ()) -> tuple[Path, Path]:
    """(published dir, sources dir). `reviewed`: values of rd_intensity_pct figures marked
    confirmed (the rest stay machine-read)."""
    src = root / "sources"
    src.mkdir(parents=True, exist_ok=True)
    (src / "paper_a.txt").write_text(TEXT_A, encoding="utf-8")
    (src / "paper_b.txt").write_text(TEXT_B, encoding="utf-8")
    out = write_fixture(root / "published", src, sources=SOURCES, claims=CLAIMS)
    obs = pd.read_parquet(out / "observations.parquet")
    obs["status"] = "actual"
    obs["period_kind"] = "year"
    obs["period_start"] = pd.to_datetime(obs["year"].astype(str) + "-01-01")
    obs["period_end"] = pd.to_datetime(obs["year"].astype(str) + "-12-31")
    obs["review_state"] = "machine"
    for (ind, reg, value), cols in EXTRA.items():
        hit = (obs["indicator_id"] == ind) & (obs["region_id"] == reg) & (obs["value"] == value)
        for col, v in cols.items():
            obs.loc[hit, col] = v
    if reviewed:
        obs.loc[obs["value"].isin(reviewed) & (obs["indicator_id"] == "rd_intensity_pct"), "review_state"] = "confirmed"
    obs.to_parquet(out / "observations.parquet", index=False)
    reg = pd.read_parquet(out / "regions.parquet")
    reg["splits_parent"] = reg["region_id"].isin(["east", "central", "west", "northeast"])
    reg.to_parquet(out / "regions.parquet", index=False)
    return out, src
