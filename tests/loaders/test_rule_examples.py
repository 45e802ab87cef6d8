"""Every extraction rule carries its own examples (datasets/reference/rule_examples.yaml, in the manner
of Duckling's Corpus.hs), and this one test runs them all: the figure must get the example's indicator,
decided by the rule the example stands under. A rule with no example fails here, so a new rule cannot
land without showing what it is for.

An example may say `withdrawn: <reason>`: the rule decides the indicator, and the trust dimension
(loaders/trust.py) then takes it back for that reason (a 1—10月 figure is not the year's value). The
example shows both decisions, and the test checks both."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from loaders.extract import extract_text

REFERENCE = Path(__file__).resolve().parents[2] / "datasets" / "reference"
EXAMPLES = yaml.safe_load((REFERENCE / "rule_examples.yaml").read_text(encoding="utf-8"))
RULES = yaml.safe_load((REFERENCE / "rules.yaml").read_text(encoding="utf-8"))["indicator_rules"]
CORPUS = REFERENCE.parent / "sources"


def _cases() -> list[tuple[str, dict]]:
    cases = []
    for section in ("indicator_rules", "code_rules"):
        for rule_id, examples in EXAMPLES[section].items():
            cases += [(rule_id, example) for example in examples]
    return cases


def _family(rule_id: str) -> str:
    """change_of_previous:gdp is one rule (the family) applied to one indicator."""
    return rule_id.split(":", 1)[0]


@pytest.mark.parametrize(("rule_id", "example"), _cases(), ids=lambda v: v if isinstance(v, str) else "")
def test_example_is_decided_by_its_rule(rule_id: str, example: dict) -> None:
    # an example is read as a sentence of a national source (the country default alone is no
    # evidence of a region); an example may name its source's region
    rows = extract_text(example["text"], publication_year=2024, default_region=example.get("default_region", "china"))
    figure = rows[rows["number_text"] == example["figure"]]
    assert len(figure) >= 1, f"{rule_id}: the figure {example['figure']!r} is not found in {example['text']!r}"
    want = example.get("rule_id", rule_id)
    decided = figure[figure["rule_id"] == want]
    got = figure[["rule_id", "indicator_id", "reason"]].to_dict("records")
    assert len(decided) >= 1, f"{rule_id}: {example['figure']!r} was decided by {got}, not by {want}"
    row = decided.iloc[0]
    if "withdrawn" in example:
        assert (row["indicator_id"], row["reason"]) == ("", example["withdrawn"]), f"{rule_id}: {got}"
        assert f"withdrawn:{example['indicator_id']}" in row["evidence"], f"{rule_id}: {row['evidence']}"
    else:
        assert row["indicator_id"] == example["indicator_id"], f"{rule_id}: {got}"


def test_every_indicator_rule_has_an_example() -> None:
    missing = [r["id"] for r in RULES if not EXAMPLES["indicator_rules"].get(r["id"])]
    assert missing == []


def test_examples_name_only_existing_rules() -> None:
    unknown = set(EXAMPLES["indicator_rules"]) - {r["id"] for r in RULES}
    assert unknown == set()


def test_every_rule_the_corpus_fires_has_an_example() -> None:
    """Rules living in code are covered too: any rule id the engine emits on the corpus needs an example."""
    known = set(EXAMPLES["indicator_rules"]) | set(EXAMPLES["code_rules"])
    emitted: set[str] = set()
    for path in sorted(CORPUS.glob("*.txt")):
        rows = extract_text(path.read_text(encoding="utf-8"), publication_year=2024)
        emitted |= {_family(r) for r in rows["rule_id"] if r}
    assert emitted, "the corpus should fire at least one rule"
    assert emitted - known == set()
