"""One mark per region-year of one indicator: the source that takes precedence is drawn,
the other copies stay in the table of figures not drawn with their citations, and the
reader can still ask to compare sources (dashboard/precedence.py)."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import assert_clean, captions, parse_citations, points, run_app, specs
from test_guardrails import PAGES, _hidden_table, _open_options

from dashboard import guard, precedence


@pytest.fixture
def corpus(corpus_build, monkeypatch):
    from fixture_data import SOURCES_DIR

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(corpus_build.out))
    monkeypatch.setenv("DASHBOARD_SOURCES_DIR", str(SOURCES_DIR))
    return corpus_build.out


def _doubled(at) -> list:
    return [p for spec in specs(at) for p in guard.doubled_places(spec)]


def test_no_chart_draws_two_marks_for_one_region_year(corpus):
    """Every page, every indicator on the comparison and trend pages, and every year in which
    two texts give one figure (China's R&D intensity: a release, its communique, a paper)."""
    obs = pd.read_parquet(corpus / "observations.parquet")
    for page in PAGES:
        at = run_app(page)
        assert_clean(at)
        assert _doubled(at) == [], page
    repeated = obs.groupby(["indicator_id", "region_id", "year"], observed=True)["source_id"].transform("nunique") > 1
    assert repeated.any()  # the corpus does repeat figures: the check below has something to catch
    for indicator in sorted(obs["indicator_id"].unique()):
        at = run_app("trends", {"indicator": indicator})
        assert_clean(at)
        assert _doubled(at) == [], ("trends", indicator)
        years = sorted(set(obs.loc[repeated & (obs["indicator_id"] == indicator), "year"]))
        for year in [None, *years]:  # the default year, then every year with a repeated figure
            at = run_app("compare", {"indicator": indicator, **({"year": str(year)} if year else {})})
            assert_clean(at)
            assert _doubled(at) == [], ("compare", indicator, year)


def test_the_precedence_source_is_drawn_and_the_copy_is_listed_with_its_citation(corpus):
    """China 2021: the full release (release_text) is drawn, the communique's news copy and
    the paper quoting it are listed as not drawn, each with its own citation."""
    at = run_app("compare", {"indicator": "rd_intensity_pct", "year": "2021"})
    assert_clean(at)
    drawn = points(specs(at)[0])
    china = drawn[drawn["region_id"] == "china"]
    assert len(china) == 1
    cited = parse_citations(next(c for c in captions(at) if "[1]" in c))
    assert "全文" in cited[int(china["cite"].iloc[0])]  # 2021年科技经费投入统计公报(全文)
    hidden = _hidden_table(at)
    copies = hidden[(hidden["地区"] == "中国") & hidden["未画原因"].str.contains("优先")]
    assert len(copies) >= 2
    assert copies["来源"].str.match(r"\[\d+\] ").all()


def test_compare_sources_on_request_draws_every_copy_and_the_check_catches_it(corpus):
    at = run_app("compare", {"indicator": "rd_intensity_pct", "year": "2022"})
    assert _doubled(at) == []
    _open_options(at, "compare")
    at.checkbox(key="compare_compare_sources").check().run()
    assert_clean(at)
    doubled = _doubled(at)
    assert ("rd_intensity_pct", "china", "2022") in doubled  # the check fails on a doubled mark


def test_precedence_order_official_first_then_copy_fidelity_then_bibliography(tmp_path):
    (tmp_path / "sources.yaml").write_text(
        "- {source_id: news, copy_fidelity: news_report}\n- {source_id: own, copy_fidelity: release_text}\n",
        encoding="utf-8",
    )
    sources = pd.DataFrame(
        {"source_id": ["paper", "news", "own", "third"], "kind": ["journal", "official", "official", "official"]}
    )
    ranks = precedence.ranks(sources, str(tmp_path))
    assert sorted(ranks, key=ranks.get) == ["own", "news", "third", "paper"]
    published = sources.assign(copy_fidelity=["", "release_text", "news_report", "third_party_table"])
    ranks = precedence.ranks(published, str(tmp_path))  # the published column wins over the bibliography
    assert sorted(ranks, key=ranks.get) == ["news", "own", "third", "paper"]


@pytest.mark.parametrize("compare", [False, True])
def test_supersede_keeps_one_row_per_place_unless_comparing(compare):
    rows = pd.DataFrame(
        {
            "indicator_id": ["x"] * 4,
            "region_id": ["a", "a", "a", "b"],
            "year": [2022] * 4,
            "value": [1.0, 1.0, 1.1, 2.0],
            "qualifier": ["exact"] * 4,
            "derived": [False, True, False, False],
            "g_precedence": [2, 0, 0, 5],  # rows 1 and 2: one source, derived and stated
        }
    )
    drawn, hidden = guard.split(rows, guard.Choice(compare_sources=compare))
    if compare:
        assert len(drawn) == 4 and hidden.empty
    else:
        assert drawn.index.tolist() == [2, 3]  # the stated figure of the source that takes precedence
        assert hidden["g_why"].tolist() == ["superseded", "superseded"]
