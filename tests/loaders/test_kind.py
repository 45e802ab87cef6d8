"""Every rule of datasets/reference/kind.yaml carries examples, and every example holds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from loaders.errors import BuildError
from loaders.kind import KIND_YAML, figure_kind, indicator_periods, load_kind_rules

RULES = load_kind_rules(KIND_YAML)
ALL_RULES = [*RULES.period_rules, *RULES.status_rules, *RULES.scope_rules]
EXAMPLES = [(rule.name, ex) for rule in ALL_RULES for ex in rule.examples]


def test_every_rule_has_an_example():
    bare = [rule.name for rule in ALL_RULES if not rule.examples]
    assert not bare, f"rules without an example: {bare}"


@pytest.mark.parametrize(("rule", "example"), EXAMPLES, ids=[f"{r}:{e['text'][:12]}" for r, e in EXAMPLES])
def test_example(rule, example):
    text, figure = example["text"], example["figure"]
    start = text.find(figure)
    assert start >= 0, f"{rule}: figure {figure!r} not in {text!r}"
    assert any(k in example for k in ("period_kind", "status", "scope")), f"{rule}: example states no expectation"
    kind = figure_kind(
        text,
        start,
        start + len(figure),
        year=example.get("year"),
        publication_year=example.get("publication_year"),
        rules=RULES,
    )
    if "period_kind" in example:
        assert kind.period_kind == example["period_kind"], (rule, kind)
    if "status" in example:
        assert kind.status == example["status"], (rule, kind)
    if "scope" in example:
        assert kind.scope == example["scope"], (rule, kind)
    for bound in ("period_start", "period_end"):
        if bound in example:
            assert getattr(kind, bound) == date.fromisoformat(str(example[bound])), (rule, kind)


def test_a_plain_figure_is_the_years_actual_value():
    text = "2023年，全市地区生产总值达到5000亿元"
    start = text.find("5000亿元")
    kind = figure_kind(text, start, start + 6, year=2023, rules=RULES)
    assert (kind.period_kind, kind.status, kind.evidence[0].startswith("stated_year")) == ("year", "actual", True)
    assert (kind.period_start, kind.period_end) == (date(2023, 1, 1), date(2023, 12, 31))


def test_words_in_another_sentence_do_not_count():
    text = "力争明年增长6%。2023年全市地区生产总值增长5%"
    start = text.rfind("5%")
    assert figure_kind(text, start, start + 2, year=2023, rules=RULES).status == "actual"


def test_a_rule_without_words_or_pattern_names_itself(tmp_path: Path):
    data = yaml.safe_load(KIND_YAML.read_text(encoding="utf-8"))
    data["status_rules"].append({"name": "broken", "produces": {"status": "target"}})
    bad = tmp_path / "kind.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(BuildError, match="broken"):
        load_kind_rules(bad)


def test_indicator_periods_follow_catalogue_links():
    catalogue = [
        {"indicator_id": "gdp_growth_pct", "name_zh": "GDP增长率", "avg_id": "gdp_avg", "quarter_ids": {"q1": "gq1"}},
        {"indicator_id": "gdp_avg", "name_zh": "GDP年均增长率"},
        {"indicator_id": "gq1", "name_zh": "一季度增长"},
        {"indicator_id": "va_ytd", "name_zh": "增加值（年内累计）"},
        {"indicator_id": "gdp", "name_zh": "地区生产总值"},
    ]
    periods = indicator_periods(catalogue, RULES)
    assert periods == {"gdp_avg": "multi_year_average", "gq1": "quarter", "va_ytd": "months_to_date"}


def test_a_narrower_scope_is_withdrawn_unless_the_indicator_names_it():
    """trust: 十强企业…研发人员 is withdrawn from the region's R&D personnel, kept for an indicator
    whose own name names a group (企业研发人员); a 累计 count stays with a stock indicator."""
    from loaders.trust import _catalogue, _name_carries_scope, _settings

    catalogue = _catalogue(
        [
            {"indicator_id": "rd_personnel", "name_zh": "研发人员数量"},
            {"indicator_id": "enterprise_rd_personnel", "name_zh": "企业研发人员数量"},
            {"indicator_id": "little_giants_count", "name_zh": "小巨人企业数量", "stock": True},
        ]
    )
    settings = _settings()
    assert not _name_carries_scope("rd_personnel", "subgroup", catalogue, settings)
    assert _name_carries_scope("enterprise_rd_personnel", "subgroup", catalogue, settings)
    assert "little_giants_count" in catalogue.stocks and "rd_personnel" not in catalogue.stocks


@pytest.mark.parametrize("example", yaml.safe_load(KIND_YAML.read_text(encoding="utf-8"))["tier_examples"])
def test_tier_examples(example):
    """kind.yaml tier_examples: the tier a figure's own list item names."""
    text, figure = example["text"], example["figure"]
    start = text.find(figure)
    assert figure_kind(text, start, start + len(figure), rules=RULES).tier == example["tier"]
