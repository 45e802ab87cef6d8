"""The loader's notes in the reader's language (rules in notes.yaml).

Why: the Chinese view must not show English remarks. Each note part ("; "-joined) is
read by the first rule whose pattern matches and rewritten with that rule's production;
a part no rule reads is shown as written, so nothing is ever lost.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from dashboard.i18n import LOADER

RULES = Path(__file__).with_name("notes.yaml")


@cache
def _rules() -> tuple[tuple[re.Pattern, dict], ...]:
    rules = yaml.load(RULES.read_text(encoding="utf-8"), Loader=LOADER).get("rules", [])
    return tuple((re.compile(r["pattern"]), r) for r in rules)


def localise(note: object, lang: str) -> str:
    text = "" if note is None or note != note else str(note)
    if not text:
        return ""
    out = []
    for part in text.split("; "):
        for pattern, rule in _rules():
            m = pattern.match(part)
            if m:
                part = rule.get(lang, rule["en"]).format(**m.groupdict())
                break
        out.append(part)
    return "；".join(out) if lang == "zh" else "; ".join(out)
