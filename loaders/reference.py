"""Reference data (regions, indicators, extraction rules) read from YAML under datasets/.

Load, check and return plain Python structures; nothing here knows about the corpus.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loaders.errors import BuildError
from loaders.models import REGION_LEVELS, IndicatorEntry, RegionEntry, RulesFile
from loaders.validate import check, load_validated, parse_yaml, refuse_control_characters


def read_yaml(path: Path) -> Any:
    """Parse YAML, turning syntax errors (and impossible dates, control characters) into a
    BuildError with the file's line."""
    return parse_yaml(path)[0]


_KEY_VALUE = re.compile(r"""(?<![\w])([A-Za-z_][\w]*): ['"]?([^'",{}\[\]\s]+)""")


@functools.lru_cache(maxsize=16)
def _line_index(path: str, _mtime_ns: int, _size: int) -> dict[tuple[str, str], int]:
    """First line of every `key: value` in a file, read once (not once per entry)."""
    index: dict[tuple[str, str], int] = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            for key, value in _KEY_VALUE.findall(line):
                index.setdefault((key, value), number)
    return index


def _entry_line(path: Path, key: str, value: str) -> int | None:
    """Find the line that defines an entry, so errors point at it."""
    try:
        info = path.stat()
        return _line_index(str(path), info.st_mtime_ns, info.st_size).get((key, str(value)))
    except (OSError, UnicodeDecodeError):
        return None


def _require_list(path: Path, data: Any, what: str) -> list[dict]:
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise BuildError(path, f"expected a list of {what} entries")
    return data


def _require_keys(path: Path, item: dict, keys: tuple[str, ...], id_key: str) -> None:
    missing = [k for k in keys if k not in item or item[k] is None]
    if missing:
        ident = str(item.get(id_key, "?"))
        raise BuildError(
            path, f"missing field(s) {', '.join(missing)}", line=_entry_line(path, id_key, ident), entry=ident
        )


@dataclass(frozen=True)
class Rule:
    id: str
    indicator: str
    base_units: tuple[str, ...]
    keywords: tuple[str, ...]
    side: str = "any"
    scope: str = "clause"
    require: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    region_levels: tuple[str, ...] = ()
    priority: int = 0
    implied_unit: str = ""


@dataclass
class Reference:
    regions: list[dict]
    indicators: list[dict]
    rules: dict
    indicator_rules: list[Rule] = field(default_factory=list)
    folder: Path = Path(".")

    @property
    def region_ids(self) -> set[str]:
        return {r["region_id"] for r in self.regions}

    @property
    def indicator_ids(self) -> set[str]:
        return {i["indicator_id"] for i in self.indicators}

    def region(self, region_id: str) -> dict:
        return next(r for r in self.regions if r["region_id"] == region_id)


def load_regions(path: Path) -> list[dict]:
    regions = _require_list(path, load_validated(path, list[RegionEntry]), "region")
    seen: set[str] = set()
    for item in regions:
        _require_keys(path, item, ("region_id", "name_zh", "name_en", "level"), "region_id")
        rid = str(item["region_id"])
        line = _entry_line(path, "region_id", rid)
        if rid in seen:
            raise BuildError(path, f"duplicate region_id {rid!r}", line=line, entry=rid)
        seen.add(rid)
        if item["level"] not in REGION_LEVELS:
            raise BuildError(
                path, f"unknown level {item['level']!r} (one of {', '.join(REGION_LEVELS)})", line=line, entry=rid
            )
        item.setdefault("parent_id", "")
        item["parent_id"] = item["parent_id"] or ""
        item["aliases"] = [str(a) for a in item.get("aliases") or []]
        item["splits_parent"] = bool(item.get("splits_parent", False))
    for item in regions:
        if item["parent_id"] and item["parent_id"] not in seen:
            rid = item["region_id"]
            raise BuildError(
                path,
                f"parent_id {item['parent_id']!r} is not a known region",
                line=_entry_line(path, "region_id", rid),
                entry=rid,
            )
    return regions


# Fields that name another indicator (a growth rate, a change, a multiple, a share of it).
_INDICATOR_LINKS = (
    "change_of",
    "growth_id",
    "times_id",
    "share_id",
    "gdp_share_id",
    "batch_id",
    "avg_id",
    "cumulative_id",
)


def load_indicators(path: Path, region_ids: set[str]) -> list[dict]:
    indicators = _require_list(path, load_validated(path, list[IndicatorEntry]), "indicator")
    seen: set[str] = set()
    for item in indicators:
        keys = ("indicator_id", "name_zh", "name_en", "unit", "base_unit", "topic", "definition")
        _require_keys(path, item, keys, "indicator_id")
        iid = str(item["indicator_id"])
        line = _entry_line(path, "indicator_id", iid)
        if iid in seen:
            raise BuildError(path, f"duplicate indicator_id {iid!r}", line=line, entry=iid)
        seen.add(iid)
        for ref in item.get("reference_regions") or []:
            if ref not in region_ids:
                raise BuildError(path, f"reference region {ref!r} is not in regions.yaml", line=line, entry=iid)
        plausible = item.get("plausible")
        if plausible is not None and (not isinstance(plausible, list) or len(plausible) != 2):
            raise BuildError(path, "plausible must be [min, max]", line=line, entry=iid)
    for item in indicators:
        quarters = item.get("quarter_ids") or {}
        for link, target in [(link, item.get(link)) for link in _INDICATOR_LINKS] + [
            (f"quarter_ids.{q}", t) for q, t in quarters.items()
        ]:
            if target and target not in seen:
                iid = item["indicator_id"]
                raise BuildError(
                    path,
                    f"{link} {target!r} is not a known indicator",
                    line=_entry_line(path, "indicator_id", iid),
                    entry=iid,
                )
    return indicators


def load_rules(path: Path, indicator_ids: set[str], region_levels: tuple[str, ...]) -> tuple[dict, list[Rule]]:
    data, node = parse_yaml(path)
    if not isinstance(data, dict):
        raise BuildError(path, "expected a mapping of rule sections")
    for section in ("scales", "units", "qualifiers", "indicator_rules"):
        if section not in data:
            raise BuildError(path, f"missing section {section!r}")
    check(path, data, node, RulesFile)
    rules: list[Rule] = []
    seen: set[str] = set()
    for item in _require_list(path, data["indicator_rules"], "indicator rule"):
        _require_keys(path, item, ("id", "indicator", "base_units", "keywords"), "id")
        rid = str(item["id"])
        line = _entry_line(path, "id", rid)
        if rid in seen:
            raise BuildError(path, f"duplicate rule id {rid!r}", line=line, entry=rid)
        seen.add(rid)
        if item["indicator"] not in indicator_ids:
            raise BuildError(path, f"rule names unknown indicator {item['indicator']!r}", line=line, entry=rid)
        for level in item.get("region_levels") or []:
            if level not in region_levels:
                raise BuildError(path, f"rule names unknown region level {level!r}", line=line, entry=rid)
        if item.get("side", "any") not in ("left", "right", "any"):
            raise BuildError(path, "side must be left, right or any", line=line, entry=rid)
        if item.get("scope", "clause") not in ("segment", "clause", "sentence"):
            raise BuildError(path, "scope must be segment, clause or sentence", line=line, entry=rid)
        rules.append(
            Rule(
                id=rid,
                indicator=item["indicator"],
                base_units=tuple(str(u) for u in item["base_units"]),
                keywords=tuple(str(k) for k in item["keywords"]),
                side=item.get("side", "any"),
                scope=item.get("scope", "clause"),
                require=tuple(str(k) for k in item.get("require") or ()),
                exclude=tuple(str(k) for k in item.get("exclude") or ()),
                region_levels=tuple(item.get("region_levels") or ()),
                priority=int(item.get("priority", 0)),
                implied_unit=str(item.get("implied_unit", "")),
            )
        )
    return data, rules


def load_counties(path: Path, regions: list[dict]) -> list[dict]:
    """County-level divisions (counties.csv, made by scripts/make_counties.py from cpca), as
    regions; kept apart from regions.yaml because there are nearly three thousand of them."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except UnicodeDecodeError:
        raise BuildError(path, "not valid UTF-8") from None
    except OSError as exc:
        raise BuildError(path, f"cannot read: {exc.strerror or exc}") from None
    refuse_control_characters(text, path)
    known = {r["region_id"] for r in regions}
    out = []
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        rid = (row.get("region_id") or "").strip()
        missing = [k for k in ("region_id", "name_zh", "name_en", "parent_id") if not (row.get(k) or "").strip()]
        if missing:
            raise BuildError(path, f"missing {', '.join(missing)}", line=line, entry=rid or None)
        if rid in known:
            raise BuildError(path, f"duplicate region_id {rid!r}", line=line, entry=rid)
        if row["parent_id"] not in known:
            raise BuildError(path, f"parent_id {row['parent_id']!r} is not a known region", line=line, entry=rid)
        known.add(rid)
        out.append(
            {
                "region_id": rid,
                "name_zh": row["name_zh"],
                "name_en": row["name_en"],
                "level": "county",
                "parent_id": row["parent_id"],
                "aliases": [a for a in (row.get("aliases") or "").split(";") if a],
                "splits_parent": False,
            }
        )
    return out


def load_reference(folder: Path) -> Reference:
    regions = load_regions(folder / "regions.yaml")
    regions += load_counties(folder / "counties.csv", regions)
    ids = {r["region_id"] for r in regions}
    indicators = load_indicators(folder / "indicators.yaml", ids)
    rules, indicator_rules = load_rules(folder / "rules.yaml", {i["indicator_id"] for i in indicators}, REGION_LEVELS)
    return Reference(
        regions=regions, indicators=indicators, rules=rules, indicator_rules=indicator_rules, folder=folder
    )
