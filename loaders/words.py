"""Word lists of rules.yaml for code outside the extractor's engine (the derived-year step,
the integrity checks): each list is defined once, in datasets/reference/rules.yaml, and
read from there wherever it is used, never restated as literals."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

RULES_YAML = Path(__file__).resolve().parent.parent / "datasets" / "reference" / "rules.yaml"


@lru_cache(maxsize=4)
def _rules(path: str) -> dict:
    return yaml.safe_load(Path(path).read_text("utf-8")) or {}


def word_list(key: str, path: Path = RULES_YAML) -> tuple[str, ...]:
    """The words rules.yaml lists under key (empty when it lists none)."""
    return tuple(str(w) for w in _rules(str(path)).get(key) or ())


def decrease_words(path: Path = RULES_YAML) -> tuple[str, ...]:
    """下降, 降低 …: a change stated after one of these is a fall."""
    return word_list("decrease_words", path)
