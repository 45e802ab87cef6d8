"""How loaders/kind.py reads a figure's windows fast without reading them differently."""

from __future__ import annotations

import random

from loaders.kind import KIND_YAML, figure_kind, figure_windows, load_kind_rules, window

RULES = load_kind_rules(KIND_YAML)
GROUPS = (RULES.period_rules, RULES.status_rules)


def _window_by_find(text: str, start: int, end: int, scope: str) -> tuple[str, int, int]:
    """The cut as written first: one str.rfind / str.find per stop character."""
    stops = RULES.sentence_end + (RULES.clause_end if scope == "clause" else "")
    before = text[max(0, start - RULES.windows["before"]) : start]
    cut = max(before.rfind(c) for c in stops)
    before = before[cut + 1 :] if cut >= 0 else before
    after = text[end : end + RULES.windows["after"]]
    cuts = [i for i in (after.find(c) for c in stops) if i >= 0]
    after = after[: min(cuts)] if cuts else after
    return f"{before}⟦{text[start:end]}⟧{after}", len(before), len(before) + end - start + 2


def test_windows_cut_where_one_find_per_stop_character_cuts():
    rng = random.Random(13)
    alphabet = "增长全省亿元。！？；;，,：:!?12\n ]^-\\"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 300)))
        start = rng.randint(0, len(text) - 1)
        end = rng.randint(start + 1, len(text))
        for scope in ("sentence", "clause"):
            assert window(text, start, end, RULES, scope) == _window_by_find(text, start, end, scope)


def test_the_windows_of_one_figure_are_cut_once_and_forgotten_with_their_text():
    from loaders import kind

    text = "2023年一季度，全省地区生产总值增长5.2%，力争全年增长6%。"
    start = text.index("5.2%")
    figure_kind(text, start, start + 4, year=2023, rules=RULES)
    views = figure_windows(text, start, start + 4, RULES)
    assert figure_windows(text, start, start + 4, RULES) is views and {"sentence", "clause"} <= set(views)
    assert figure_windows(text, start + 1, start + 4, RULES) is not views
    kind.forget_windows()
    assert kind._LAST_WINDOWS == [None]
