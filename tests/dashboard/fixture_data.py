"""A small published-tables fixture built from the real corpus.

Quotes and offsets are found in the real text files at write time, so the
highlight and citation code is exercised against genuine slices, not copies.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[2]
SOURCES_DIR = REPO / "datasets" / "sources"

SOURCES = [
    {
        "source_id": "nqpf2024_high_quality",
        "title": "新质生产力助力高质量发展：优势条件、关键问题和路径选择",
        "title_en": "New quality productive forces for high-quality development",
        "short_title": "新质生产力助力高质量发展",
        "authors": "",
        "venue": "",
        "published": "2024",
        "url": "",
        "doi": "",
        "kind": "journal article",
        "region_focus": "china",
        "file": "nqpf2024_high_quality.txt",
    },
    {
        "source_id": "jxdaily2024_think_tank",
        "title": "江西日报 智库版：以高水平科技创新赋能新质生产力",
        "title_en": "Jiangxi Daily think-tank page",
        "short_title": "江西日报智库版",
        "authors": "李德平、张晓宇、舒长江、陈军、艾育红、孟佳聪",
        "venue": "江西日报 (Jiangxi Daily), think-tank page",
        "published": "2024-04-01",
        "url": "",
        "doi": "",
        "kind": "newspaper page",
        "region_focus": "jiangxi",
        "file": "jxdaily2024_think_tank.txt",
    },
    {
        "source_id": "huang2024_75_years",
        "title": "新中国成立75年来科技创新驱动区域经济发展的经验与启示",
        "title_en": "Experience of regional economic development driven by innovation in 75 years",
        "short_title": "科技创新驱动区域经济发展75年",
        "authors": "黄寰、陈永祥、张秋凤",
        "venue": "",
        "published": "2024",
        "url": "https://doi.org/10.0000/example.75",
        "doi": "10.0000/example.75",
        "kind": "journal article",
        "region_focus": "china",
        "file": "huang2024_75_years.txt",
    },
]

REGIONS = [
    ("world", "世界", "World", "world", ""),
    ("eu", "欧盟", "European Union", "bloc", "world"),
    ("oecd", "经济合作与发展组织", "OECD", "bloc", "world"),
    ("china", "中国", "China", "country", "world"),
    ("east", "东部地区", "East", "macro_region", "china"),
    ("central", "中部地区", "Central", "macro_region", "china"),
    ("west", "西部地区", "West", "macro_region", "china"),
    ("northeast", "东北地区", "Northeast", "macro_region", "china"),
    ("yrd", "长三角", "Yangtze River Delta", "macro_region", "china"),
    ("prd", "珠三角", "Pearl River Delta", "macro_region", "china"),
    ("jiangxi", "江西省", "Jiangxi", "province", "china"),
    ("pingxiang", "萍乡市", "Pingxiang", "city", "jiangxi"),
]

# indicator_id, name_zh, name_en, unit, topic, whole_id, splits_region, reference_regions
INDICATORS = [
    ("rd_intensity_pct", "研发经费投入强度", "R&D intensity", "%", "rd", "", False, "eu|oecd"),
    ("rd_spending_usd", "研发经费支出", "R&D spending", "亿美元", "rd", "", False, ""),
    (
        "rd_intensity_rank",
        "研发投入强度世界排名",
        "R&D intensity world rank",
        "位",
        "rd",
        "",
        False,
        "",
    ),
    (
        "basic_research_share_pct",
        "基础研究经费占比",
        "Basic research share of R&D",
        "%",
        "rd",
        "rd_by_type",
        False,
        "",
    ),
    (
        "applied_experimental_share_pct",
        "应用研究和试验发展经费占比",
        "Applied research and experimental development share of R&D",
        "%",
        "rd",
        "rd_by_type",
        False,
        "",
    ),
    (
        "rd_spending_regional_share_pct",
        "研发经费地区占比",
        "Regional share of R&D spending",
        "%",
        "rd",
        "",
        True,
        "",
    ),
    (
        "specialised_smes_count",
        "专精特新中小企业数量",
        "Specialised and sophisticated SMEs",
        "家",
        "enterprises",
        "",
        False,
        "",
    ),
    (
        "little_giants_count",
        "专精特新“小巨人”企业数量",
        "Little giant enterprises",
        "家",
        "enterprises",
        "",
        False,
        "",
    ),
    (
        "single_champions_count",
        "制造业单项冠军企业数量",
        "Manufacturing single champions",
        "家",
        "enterprises",
        "",
        False,
        "",
    ),
    (
        "sme_main_business_share_pct",
        "主营业务收入占比高于95%的企业比例",
        "Share of SMEs with main business above 95% of revenue",
        "%",
        "enterprises",
        "",
        False,
        "",
    ),
    (
        "sme_niche_5y_share_pct",
        "深耕细分市场5年以上的企业比例",
        "Share of SMEs in a niche market for 5+ years",
        "%",
        "enterprises",
        "",
        False,
        "",
    ),
    (
        "sme_key_chain_share_pct",
        "属于重点产业链的企业比例",
        "Share of SMEs in key industrial chains",
        "%",
        "enterprises",
        "",
        False,
        "",
    ),
    (
        "talent_net_inflow_share_pct",
        "人才净流入占比",
        "Net talent inflow share",
        "%",
        "talent",
        "",
        False,
        "",
    ),
]

UNIT_INFO = {  # stated unit -> (scale, base_unit)
    "%": (1.0, "percent"),
    "家": (1.0, "enterprises"),
    "亿美元": (1e8, "USD"),
    "位": (1.0, "rank"),
    "个百分点": (1.0, "pp"),
}


@dataclass(frozen=True)
class Claim:
    """One figure: where its quote starts and ends, and the number inside it."""

    indicator_id: str
    region_id: str
    year: int
    value: float
    unit: str
    qualifier: str
    source_id: str
    quote_from: str  # text at the quote's start (first occurrence)
    quote_to: str  # text that ends the quote (first occurrence after quote_from)
    number_text: str  # the number's own text, searched inside the quote
    year_basis: str = "stated"
    region_basis: str = "stated"
    derived: bool = False
    note: str = ""
    flags: str = ""
    nth: int = 0  # which occurrence of number_text inside the quote


RD = ("nqpf2024_high_quality", "根据\n\n国家统计局数据,2022年", "平均水平之间,")
STRUCT = ("nqpf2024_high_quality", "外,我国的科研投入", "(65.74%)。")
TALENT = ("nqpf2024_high_quality", "《中国城市人才吸引力排名", "7.9%、3.9%。")
LADDER = ("jxdaily2024_think_tank", "目前，全省已培育", "梯度培育体系初具雏形。")
PROFILE = ("jxdaily2024_think_tank", "超九成的企业", "重点产业链群，")
HIST = ("huang2024_75_years", "2005 年，我国", "在发展中国家中处于首位。")

CLAIMS = [
    Claim("rd_intensity_pct", "china", 2022, 2.54, "%", "exact", *RD, "2.54%"),
    Claim(
        "rd_intensity_pct",
        "china",
        2021,
        2.43,
        "%",
        "exact",
        *RD,
        "0.11个百分点",
        derived=True,
        note="2.54 − 0.11: 比上年提高0.11个百分点",
    ),
    Claim("rd_intensity_rank", "china", 2022, 13, "位", "exact", *RD, "第十三位"),
    Claim("rd_intensity_pct", "eu", 2022, 2.2, "%", "exact", *RD, "2.2%", year_basis="context"),
    Claim("rd_intensity_pct", "oecd", 2022, 2.7, "%", "exact", *RD, "2.7%", year_basis="context"),
    Claim(
        "basic_research_share_pct",
        "china",
        2022,
        6.57,
        "%",
        "exact",
        *STRUCT,
        "6.57%",
        year_basis="context",
        region_basis="source_default",
    ),
    Claim(
        "applied_experimental_share_pct",
        "china",
        2022,
        93.43,
        "%",
        "exact",
        *STRUCT,
        "93.43%",
        year_basis="context",
        region_basis="source_default",
    ),
    Claim(
        "rd_spending_regional_share_pct",
        "west",
        2022,
        12.87,
        "%",
        "exact",
        *STRUCT,
        "12.87%",
        year_basis="context",
    ),
    Claim(
        "rd_spending_regional_share_pct",
        "east",
        2022,
        65.74,
        "%",
        "exact",
        *STRUCT,
        "65.74%",
        year_basis="context",
    ),
    Claim(
        "talent_net_inflow_share_pct",
        "east",
        2018,
        5.7,
        "%",
        "exact",
        *TALENT,
        "5.7%",
        year_basis="range_start",
    ),
    Claim(
        "talent_net_inflow_share_pct",
        "east",
        2022,
        14.1,
        "%",
        "exact",
        *TALENT,
        "14.1%",
        year_basis="range_end",
    ),
    Claim(
        "talent_net_inflow_share_pct",
        "yrd",
        2018,
        4.6,
        "%",
        "exact",
        *TALENT,
        "4.6%",
        year_basis="range_start",
        region_basis="list",
    ),
    Claim(
        "talent_net_inflow_share_pct",
        "prd",
        2018,
        2.2,
        "%",
        "exact",
        *TALENT,
        "2.2%",
        year_basis="range_start",
        region_basis="list",
    ),
    Claim(
        "talent_net_inflow_share_pct",
        "yrd",
        2022,
        7.9,
        "%",
        "exact",
        *TALENT,
        "7.9%",
        year_basis="range_end",
        region_basis="list",
    ),
    Claim(
        "talent_net_inflow_share_pct",
        "prd",
        2022,
        3.9,
        "%",
        "exact",
        *TALENT,
        "3.9%",
        year_basis="range_end",
        region_basis="list",
    ),
    Claim(
        "specialised_smes_count",
        "jiangxi",
        2024,
        2787,
        "家",
        "exact",
        *LADDER,
        "2787家",
        year_basis="publication",
        region_basis="source_default",
    ),
    Claim(
        "little_giants_count",
        "jiangxi",
        2024,
        255,
        "家",
        "exact",
        *LADDER,
        "255家",
        year_basis="publication",
        region_basis="source_default",
    ),
    Claim(
        "single_champions_count",
        "jiangxi",
        2024,
        107,
        "家",
        "exact",
        *LADDER,
        "107家",
        year_basis="publication",
        region_basis="source_default",
    ),
    Claim(
        "sme_main_business_share_pct",
        "jiangxi",
        2024,
        90,
        "%",
        "more_than",
        *PROFILE,
        "超九成",
        year_basis="publication",
        region_basis="source_default",
    ),
    Claim(
        "sme_niche_5y_share_pct",
        "jiangxi",
        2024,
        80,
        "%",
        "more_than",
        *PROFILE,
        "超八成",
        year_basis="publication",
        region_basis="source_default",
    ),
    Claim(
        "sme_key_chain_share_pct",
        "jiangxi",
        2024,
        70,
        "%",
        "nearly",
        *PROFILE,
        "近七成",
        year_basis="publication",
        region_basis="source_default",
    ),
    Claim("rd_intensity_pct", "china", 2005, 1.34, "%", "exact", *HIST, "1.34%"),
    Claim("rd_spending_usd", "china", 2005, 299, "亿美元", "exact", *HIST, "299亿美元"),
]


def _text(file: str, sources_dir: Path) -> str:
    return (sources_dir / file).read_bytes().decode("utf-8")


def _locate(claim: Claim, text: str) -> dict:
    start = text.index(claim.quote_from)
    end = text.index(claim.quote_to, start) + len(claim.quote_to)
    quote = text[start:end]
    pos = -1
    for _ in range(claim.nth + 1):
        pos = quote.index(claim.number_text, pos + 1)
    return {
        "quote": quote,
        "char_start": start,
        "char_end": end,
        "number_start": start + pos,
        "number_end": start + pos + len(claim.number_text),
    }


def observations_frame(sources_dir: Path = SOURCES_DIR, sources=SOURCES, claims=CLAIMS):
    files = {s["source_id"]: s["file"] for s in sources}
    rows = []
    for c in claims:
        loc = _locate(c, _text(files[c.source_id], sources_dir))
        scale, base = UNIT_INFO[c.unit]
        oid = hashlib.sha1(f"{c.source_id}:{loc['number_start']}:{c.indicator_id}:{c.region_id}".encode()).hexdigest()[
            :12
        ]
        rows.append(
            {
                "observation_id": oid,
                "indicator_id": c.indicator_id,
                "region_id": c.region_id,
                "year": c.year,
                "year_basis": c.year_basis,
                "region_basis": c.region_basis,
                "value": float(c.value),
                "unit": c.unit,
                "scale": scale,
                "base_unit": base,
                "value_base": float(c.value) * scale,
                "qualifier": c.qualifier,
                "source_id": c.source_id,
                **{k: loc[k] for k in ("quote", "char_start", "char_end")},
                "number_text": c.number_text,
                "number_start": loc["number_start"],
                "number_end": loc["number_end"],
                "derived": c.derived,
                "note": c.note,
                "flags": c.flags,
                "rule_id": "fixture",
            }
        )
    df = pd.DataFrame(rows)
    df["year"] = df["year"].astype("int64")
    return df


def write_fixture(
    out: Path,
    sources_dir: Path = SOURCES_DIR,
    *,
    sources=SOURCES,
    claims=CLAIMS,
    report: dict | None = None,
) -> Path:
    """Write the five published tables (and a build report) into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    src = []
    for s in sources:
        raw = (sources_dir / s["file"]).read_bytes()
        src.append(
            {
                **s,
                "language": "zh",
                "sha256": hashlib.sha256(raw).hexdigest(),
                "n_chars": len(raw.decode("utf-8")),
            }
        )
    pd.DataFrame(src).to_parquet(out / "sources.parquet", index=False)
    reg = pd.DataFrame(REGIONS, columns=["region_id", "name_zh", "name_en", "level", "parent_id"])
    reg["aliases"] = ""
    reg.to_parquet(out / "regions.parquet", index=False)
    ind = pd.DataFrame(
        INDICATORS,
        columns=[
            "indicator_id",
            "name_zh",
            "name_en",
            "unit",
            "topic",
            "whole_id",
            "splits_region",
            "reference_regions",
        ],
    )
    ind["definition"] = ind["name_en"] + " (fixture definition)"
    ind["definition_zh"] = ind["name_zh"]
    ind.to_parquet(out / "indicators.parquet", index=False)
    obs = observations_frame(sources_dir, sources, claims)
    obs.to_parquet(out / "observations.parquet", index=False)
    men = obs[
        [
            "source_id",
            "number_start",
            "number_end",
            "number_text",
            "value",
            "unit",
            "qualifier",
            "observation_id",
        ]
    ].rename(columns={"number_start": "char_start", "number_end": "char_end", "number_text": "text"})
    men["kind"] = "number"
    men["reason"] = ""
    if any(s["source_id"] == "nqpf2024_high_quality" for s in sources):
        extra = _unmapped_mention(sources_dir)
        men = pd.concat([men, pd.DataFrame([extra])], ignore_index=True)
    men.to_parquet(out / "mentions.parquet", index=False)
    if report is None:
        report = {
            "built_at": "2026-01-01T00:00:00+00:00",
            "code_version": "fixture",
            "sources": [{"source_id": s["source_id"], "sha256": s["sha256"]} for s in src],
            "checks": [
                {
                    "table": "observations",
                    "check": "quote_matches_text",
                    "status": "passed",
                    "n_failed": 0,
                    "description": "quote == text[char_start:char_end]",
                },
                {
                    "table": "observations",
                    "check": "value_range",
                    "status": "failed",
                    "n_failed": 1,
                    "description": "percent values within 0–100",
                },
            ],
            "counts": {
                "sources": len(src),
                "mentions": len(men),
                "observations": len(obs),
                "unmapped": 1,
            },
        }
    if report:
        (out / "build_report.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    return out


def _unmapped_mention(sources_dir: Path) -> dict:
    text = _text("nqpf2024_high_quality.txt", sources_dir)
    start = text.index("59.6%")
    return {
        "source_id": "nqpf2024_high_quality",
        "char_start": start,
        "char_end": start + 5,
        "text": "59.6%",
        "value": 59.6,
        "unit": "%",
        "qualifier": "exact",
        "kind": "percent",
        "observation_id": "",
        "reason": "no rule for gross enrolment ratio",
    }
