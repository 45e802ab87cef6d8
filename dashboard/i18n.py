"""Labels in Chinese and English, from labels.yaml (one place to translate)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
_LABELS = Path(__file__).with_name("labels.yaml")
# libyaml's safe loader when present: ten times faster than the pure-Python one on a cold start.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def labels() -> dict:
    return yaml.load(_LABELS.read_text(encoding="utf-8"), Loader=LOADER)


def t(key: str, lang: str, **fmt: object) -> str:
    """Look up a dotted key; a missing key shows itself so gaps are visible, not fatal."""
    node: object = labels()
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return key
        node = node[part]
    if not isinstance(node, dict):
        return str(node)
    text = str(node.get(lang) or node.get(DEFAULT_LANG) or key)
    return text.format(**fmt) if fmt else text


def has(key: str) -> bool:
    node: object = labels()
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def name(row, lang: str) -> str:
    """A region or indicator name; falls back to the other language, then the id."""
    primary, other = ("name_en", "name_zh") if lang == "en" else ("name_zh", "name_en")
    for col in (primary, other):
        value = row.get(col) if hasattr(row, "get") else None
        if isinstance(value, str) and value.strip():
            return value
    return str(row.get("indicator_id") or row.get("region_id") or "?")


def unit_label(unit: str, lang: str) -> str:
    """The unit in the reader's language; an empty English label is meant ("41 个" reads
    as "41"), never a fallback to the Chinese word."""
    node = labels().get("unit", {}).get(unit)
    if isinstance(node, dict) and lang in node:
        return str(node[lang] or "")
    return unit
