"""Write datasets/reference/counties.csv: China's county-level divisions, from cpca's table.

A one-off, kept so that the table can be remade and checked: run it where cpca 0.5.5 and
pypinyin are installed (`pip install cpca==0.5.5 pypinyin==0.55.0`; neither is a project
requirement). cpca's names are from about 2018: a county made a district or a city since
(孟津县 → 孟津区, 2021) keeps its stem, so the stem with 区 or 市 is an alias as well where no
other division has that name.

Which names the extractor may look for (column `aliases`):
- the name with its prefecture before it, full and short (洛阳市孟津区, 洛阳孟津区), always;
- the name alone (孟津区) only where it is unique in the country, has three characters or
  more, and is not an ordinary word of prose (老城区 is also "the old town"); the reason
  is in `note` when it is left out.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import yaml
from pypinyin import lazy_pinyin

ROOT = Path(__file__).resolve().parent.parent
REF = ROOT / "datasets" / "reference"
# Names of divisions that are also ordinary words of prose: never looked for alone.
ORDINARY_WORDS = {
    "老城区": "老城区 is also 'the old town'",
    "新城区": "新城区 is also 'the new town'",
    "城关区": "城关区 is also 'the town centre'",
    "市中区": "市中区 is also 'the city centre'",
    "城中区": "城中区 is also 'the city centre'",
    "城东区": "城东区 is also 'the east of town'",
    "城西区": "城西区 is also 'the west of town'",
    "城北区": "城北区 is also 'the north of town'",
    "城南区": "城南区 is also 'the south of town'",
    "新市区": "新市区 is also 'the new urban area'",
    "开发区": "开发区 is also 'a development zone'",
    "平安区": "平安 is an ordinary word",
    "和平区": "和平 is an ordinary word",
    "长安区": "长安 is an ordinary word",
    "新华区": "新华 is a news agency",
    "高新区": "高新区 is also 'a high-tech zone'",
    "新兴县": "新兴 is an ordinary word",
    "永久区": "永久 is an ordinary word",
}
SUFFIX_EN = {
    "县": "County",
    "区": "District",
    "新区": "New Area",
    "市": "City",
    "旗": "Banner",
    "林区": "Forestry District",
}
SPECIAL = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
MERGED_INTO = {"3712": "3701"}
MUNICIPALITIES = {"11": "beijing", "12": "tianjin", "31": "shanghai", "50": "chongqing"}


def stem_pinyin(name: str, suffix: str) -> str:
    """Pinyin read from the whole name, so that its words decide polyphones (朝阳区 chao-)."""
    syllables = lazy_pinyin(name)
    return "".join(syllables[: len(syllables) - len(suffix)] if suffix else syllables)


def english(name: str) -> str:
    for suffix in sorted(SUFFIX_EN, key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix):
            if name[: -len(suffix)].endswith("自治"):
                return stem_pinyin(name, "自治" + suffix).title() + " Autonomous " + SUFFIX_EN[suffix]
            return stem_pinyin(name, suffix).title() + " " + SUFFIX_EN[suffix]
    return stem_pinyin(name, "").title()


def main() -> int:
    spec = importlib.util.find_spec("cpca")  # the package's table, without importing its matcher
    table = Path(spec.submodule_search_locations[0]) / "resources" / "adcodes.csv"
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    counties = [
        r for r in rows if r["adcode"][4:6] != "00" and r["adcode"][6:] == "000000" and r["name"] not in SPECIAL
    ]
    prefectures = {r["adcode"][:4]: r for r in csv.DictReader((REF / "prefectures.csv").open(encoding="utf-8"))}
    province_of = {r["adcode"][:2]: r["province_id"] for r in prefectures.values()}
    province_of.update(MUNICIPALITIES)
    known = yaml.safe_load((REF / "regions.yaml").read_text(encoding="utf-8"))
    taken = {r["name_zh"] for r in known} | {a for r in known for a in r.get("aliases") or []}
    counts = Counter(r["name"] for r in counties)
    out = []
    for r in sorted(counties, key=lambda r: r["adcode"]):
        name, code = r["name"], r["adcode"]
        pref = prefectures.get(code[:4])
        if pref and not pref["region_id"]:
            pref = prefectures[MERGED_INTO[code[:4]]]  # 莱芜市 was merged into 济南市 (2019)
        parent = pref["region_id"] if pref else province_of[code[:2]]
        if name in taken:
            continue  # already in regions.yaml, with its own id and aliases
        parent_names = []
        if pref:
            parent_names = [pref["name_zh"], pref["short_name"]]
        elif code[:2] in MUNICIPALITIES:
            full = {"11": "北京市", "12": "天津市", "31": "上海市", "50": "重庆市"}[code[:2]]
            parent_names = [full, full[:-1]]
        names = [name]
        if name.endswith("县") and not name.endswith("自治县") and len(name) >= 3:
            names += [name[:-1] + "区", name[:-1] + "市"]  # 撤县设区, 撤县设市
        aliases, note = [], ""
        for n in names:
            aliases += [p + n for p in parent_names if p]
        if counts[name] > 1:
            note = f"{name} names {counts[name]} divisions: only with its prefecture"
        elif len(name) < 3:
            # 叶县, 沛县: two characters ending in 县 are names; 城区, 郊区 are words
            note = "" if name.endswith("县") else "too short to look for alone"
        elif name in ORDINARY_WORDS:
            note = ORDINARY_WORDS[name]
        if not note:
            aliases.append(name)
            aliases += [n for n in names[1:] if counts[n] == 0]
        out.append(
            {
                "adcode": code,
                "cpca_name": name,
                "region_id": stem_pinyin(name, name[-1] if len(name) > 2 else "").lower() + "_" + code[:6],
                "name_zh": name,
                "name_en": english(name),
                "parent_id": parent,
                "aliases": ";".join(dict.fromkeys(aliases)),
                "note": note,
            }
        )
    # a variant (孟津区) must not be another division's name or alias
    seen = Counter(a for row in out for a in row["aliases"].split(";"))
    for row in out:
        row["aliases"] = ";".join(a for a in row["aliases"].split(";") if seen[a] == 1 and a not in taken)
    with (REF / "counties.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(out[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    print(f"{len(out)} county-level divisions written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
