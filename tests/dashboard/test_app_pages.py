"""AppTest: every page, on the fixture and on the real build when it exists."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import (
    assert_clean,
    benchmark_traces,
    captions,
    configs,
    decode,
    parse_citations,
    points,
    read_parquet,
    run_app,
    specs,
    unmd,
)

from dashboard import precedence
from schemas.contract import HIDING_FLAGS, UNDATED_YEAR_BASES

PAGES = ["overview", "compare", "trends", "region", "sources", "data", "quality", "try_document"]


@pytest.mark.parametrize("page_name", PAGES)
def test_every_page_renders_without_error(data_dir, page_name):
    at = run_app(page_name)
    assert_clean(at)
    assert at.query_params.get("lang") == "zh"


@pytest.mark.parametrize("page_name", PAGES)
def test_every_page_in_english(data_dir, page_name):
    at = run_app(page_name, {"lang": "en"})
    assert_clean(at)
    assert at.sidebar.radio[0].value == "en"
    assert any("Filters" in h.value for h in at.sidebar.subheader)


def _source_labels(data_dir) -> dict[str, str]:
    src = read_parquet(data_dir, "sources")
    title = src["short_title"].where(src["short_title"].fillna("") != "", src["title"])
    date = src["published"].astype(str)
    if "published_text" in src:  # the precision the source gave: "2024", not "2024-01-01"
        date = src["published_text"].where(src["published_text"].fillna("") != "", date)
    return dict(zip(src["source_id"], title + " (" + date + ")", strict=True))


def _check_chart_against(spec, expected: pd.DataFrame, data_dir, caption: str, also_cited=()) -> None:
    """Plotted points are exactly the expected observations, with the right citations (the
    caption cites them and the sources of `also_cited`, the reference lines)."""
    got = points(spec)
    assert sorted(got["observation_id"]) == sorted(expected["observation_id"])
    merged = got.merge(expected, on="observation_id")
    assert (merged["y"].astype(float) - merged["value"].astype(float)).abs().max() < 1e-9
    cites = parse_citations(caption)
    labels = _source_labels(data_dir)
    for _, row in merged.iterrows():
        assert cites[int(row["cite"])] == labels[row["source_id"]]
    assert set(cites.values()) == {labels[s] for s in [*expected["source_id"], *also_cited]}


def _chartable(obs: pd.DataFrame) -> pd.DataFrame:
    """Figures a chart draws by default: a stated or inferred data year, an actual figure, no
    hiding flag, not contradicted by the official figure, not rejected by a reviewer — and,
    once any figure is reviewed, only reviewed ones."""
    dated = ~obs["year_basis"].isin(UNDATED_YEAR_BASES)
    clean = ~obs["flags"].fillna("").str.contains("|".join(HIDING_FLAGS))
    keep = dated & clean
    if "status" in obs:
        keep &= obs["status"] == "actual"
    if "check_status" in obs:
        keep &= obs["check_status"].fillna("") != "differs"
    if "review_state" in obs:
        reviewed = obs["review_state"].isin(["confirmed", "corrected"])
        keep &= reviewed if reviewed.any() else obs["review_state"] != "rejected"
    return obs[keep]


def _one_per_region(rows: pd.DataFrame, data_dir) -> pd.DataFrame:
    """The one figure a chart draws per region and year: a stated figure before a derived
    one, then the source that takes precedence (dashboard.precedence, tested on its own in
    test_precedence.py), an exact figure before a bound, then the first."""
    from fixture_data import SOURCES_DIR

    rank = precedence.ranks(read_parquet(data_dir, "sources"), str(SOURCES_DIR))
    keys = rows.assign(_r=rows["source_id"].map(rank), _d=rows["derived"].astype(bool), _q=rows["qualifier"] != "exact")
    return rows.loc[keys.sort_values(["_d", "_r", "_q"], kind="stable").drop_duplicates("region_id").index]


def _pick_compare_case(obs, ind):
    """An indicator/year with several regions, preferring one with benchmarks."""
    obs = _chartable(obs)
    with_refs = ind[ind["reference_regions"].fillna("") != ""]["indicator_id"]
    counts = obs.groupby(["indicator_id", "year"])["region_id"].nunique().reset_index()
    counts["ref"] = counts["indicator_id"].isin(with_refs)
    best = counts.sort_values(["ref", "region_id", "year"], ascending=False).iloc[0]
    return best["indicator_id"], int(best["year"])


def test_compare_chart_equals_filtered_observations(data_dir):
    obs = read_parquet(data_dir, "observations")
    ind = read_parquet(data_dir, "indicators")
    indicator, year = _pick_compare_case(obs, ind)
    at = run_app("compare", {"indicator": indicator, "year": str(year)})
    assert_clean(at)
    refs = str(ind.set_index("indicator_id").at[indicator, "reference_regions"] or "").split("|")
    chosen = _one_per_region(_chartable(obs[(obs["indicator_id"] == indicator) & (obs["year"] == year)]), data_dir)
    main = chosen[~chosen["region_id"].isin(refs)]
    spec = specs(at)[0]
    cap = next(c for c in captions(at) if "[1]" in c)
    bench = chosen[chosen["region_id"].isin(refs)]
    _check_chart_against(spec, main, data_dir, cap, also_cited=bench["source_id"])
    got = sorted(decode_first_y(t) for t in benchmark_traces(spec))
    assert got == sorted(bench["value"].tolist())
    assert configs(at)[0]["toImageButtonOptions"]["filename"].startswith(f"{indicator}-{year}")


def decode_first_y(trace) -> float:
    return float(decode(trace["y"])[0])


def test_compare_benchmarks_are_eu_and_oecd(fixture_only):
    at = run_app("compare", {"indicator": "rd_intensity_pct", "year": "2022"})
    spec = specs(at)[0]
    names = [t["name"] for t in benchmark_traces(spec)]
    assert any("欧盟" in n and "2.2%" in n for n in names)
    assert any("2.7%" in n for n in names)
    assert points(spec)["value_display"].tolist() == ["2.54%"]


def test_changing_filters_changes_chart_and_url(data_dir):
    obs = read_parquet(data_dir, "observations")
    ind = read_parquet(data_dir, "indicators")
    indicator, year = _pick_compare_case(obs, ind)
    at = run_app("compare", {"indicator": indicator, "year": str(year)})
    before = sorted(points(specs(at)[0])["observation_id"])
    other = obs[obs["indicator_id"] != indicator].groupby("indicator_id").size().idxmax()
    at.selectbox(key="indicator").set_value(other).run()
    assert_clean(at)
    assert at.query_params["indicator"] == other
    new_year = int(at.selectbox(key="year").value)
    assert at.query_params["year"] == str(new_year)
    after = sorted(points(specs(at)[0])["observation_id"])
    assert after != before
    expected = obs[(obs["indicator_id"] == other) & (obs["year"] == new_year)]
    assert set(after) <= set(expected["observation_id"])


def test_region_and_year_filters_round_trip_through_the_url(fixture_only):
    params = {"indicator": "talent_net_inflow_share_pct", "regions": ["east", "prd"], "years": "2018-2022"}
    at = run_app("trends", params)
    assert_clean(at)
    assert at.sidebar.multiselect[0].value == ["east", "prd"]
    assert at.sidebar.slider[0].value == (2018, 2022)
    got = points(specs(at)[0])
    obs = read_parquet(fixture_only, "observations")
    want = obs[(obs["indicator_id"] == "talent_net_inflow_share_pct") & obs["region_id"].isin(["east", "prd"])]
    assert sorted(got["observation_id"]) == sorted(want["observation_id"])
    # Changing the region filter rewrites the link.
    at.sidebar.multiselect[0].set_value(["yrd"]).run()
    assert at.query_params["regions"] == "yrd"
    got = points(specs(at)[0])
    assert set(got["value_display"]) == {"4.6%", "7.9%"}
    # The link the app wrote reopens the same view in a fresh session.
    again = run_app("trends", dict(at.query_params))
    assert sorted(points(specs(again)[0])["observation_id"]) == sorted(got["observation_id"])


def test_trend_shows_years_in_order_and_marks_derived(fixture_only):
    at = run_app("trends", {"indicator": "rd_intensity_pct", "regions": ["china"]})
    spec = specs(at)[0]
    series = [t for t in spec["data"] if t.get("meta") == "series"]
    # 2005 (one paper) stands alone; 2021–2022 (another paper) is one line: no line
    # across the sixteen empty years, none between two sources.
    runs = sorted((decode(t["x"]), decode(t["y"]), t["mode"]) for t in series)
    assert [r[0] for r in runs] == [[2005], [2021, 2022]]
    assert runs[0][1] == pytest.approx([1.34]) and "lines" not in runs[0][2]
    assert runs[1][1] == pytest.approx([2.43, 2.54]) and "lines" in runs[1][2]
    first, later = (t for t in sorted(series, key=lambda t: decode(t["x"])[0]))
    assert first["name"] != later["name"]  # each source its own legend entry and citation
    assert first["marker"]["symbol"][0].split("-")[0] != later["marker"]["symbol"][1]  # own marks
    symbols = later["marker"]["symbol"]
    assert symbols[0] == symbols[1] + "-open"  # 2.43 is derived and drawn apart
    legend = [t["name"] for t in spec["data"] if t.get("meta") == "legend"]
    assert any("推算" in n for n in legend)


def test_unknown_params_and_ids_are_ignored_with_a_notice(fixture_only):
    at = run_app("compare", {"indicator": "no_such_indicator", "regions": ["atlantis", "east"], "utm_source": "mail"})
    assert_clean(at)
    notice = unmd(" ".join(i.value for i in at.info))
    assert "utm_source" in notice
    assert "regions=atlantis" in notice and "indicator=no_such_indicator" in notice
    assert "utm_source" not in at.query_params
    assert at.query_params["regions"] == "east"
    assert at.query_params["indicator"] != "no_such_indicator"


def test_path_like_ids_never_reach_the_file_system(fixture_only):
    at = run_app("sources", {"source": "../../etc/passwd", "obs": "<script>"})
    assert_clean(at)
    assert at.query_params["source"] in set(read_parquet(fixture_only, "sources")["source_id"])
    assert "obs" not in at.query_params


def test_empty_selection_shows_a_helpful_message(fixture_only):
    at = run_app("compare", {"indicator": "rd_intensity_pct", "regions": ["jiangxi"]})
    assert_clean(at)
    assert not at.get("plotly_chart")
    text = " ".join(i.value for i in at.info)
    assert "没有数据" in text and "中国" in text


def test_compare_shows_the_whole_with_a_derived_remainder(fixture_only):
    at = run_app("compare", {"indicator": "rd_spending_regional_share_pct", "year": "2022"})
    assert_clean(at)
    whole = specs(at)[1]
    rest = next(t for t in whole["data"] if t.get("meta") == "remainder")
    assert decode(rest["x"]) == pytest.approx([100 - 65.74 - 12.87])
    assert "推算" in rest["name"] and "100 − 65.74 − 12.87" in rest["name"]
    assert "中部地区" in rest["name"] and "东北地区" in rest["name"]
    parts = points(whole)
    assert sorted(parts["value_display"]) == ["12.87%", "65.74%"]


def test_compare_whole_of_indicators_has_no_remainder_when_complete(fixture_only):
    at = run_app("compare", {"indicator": "basic_research_share_pct", "year": "2022"})
    whole = specs(at)[1]
    assert not [t for t in whole["data"] if t.get("meta") == "remainder"]
    assert sorted(points(whole)["value_display"]) == ["6.57%", "93.43%"]


def test_region_page_shows_separate_counts_and_a_profile_table_not_charts(fixture_only):
    """The catalogue does not say the tiers are nested, so no ladder; a profile mixes
    indicators and wholes, so it is a table, never one bar chart."""
    at = run_app("region", {"region": "jiangxi"})
    assert_clean(at)
    assert specs(at) == []
    counts = next(df.value for df in at.dataframe if "2787家" in df.value.to_string())
    assert {"2787家", "255家", "107家"} <= set(counts["数值"])
    profile = next(df.value for df in at.dataframe if "超90%" in df.value.to_string())
    assert sorted(profile["数值"]) == ["超80%", "超90%", "近70%"]  # the text's own words kept
    assert any("江西日报智库版 (2024-04-01)" in c for c in captions(at))
    assert any("不画成梯度图" in c for c in captions(at))


def test_show_in_source_link_opens_the_sentence(data_dir):
    obs = read_parquet(data_dir, "observations")
    row = obs[(obs["number_start"] >= 0) & (obs["quote"].str.len() > 5)].iloc[0]
    at = run_app("sources", {"source": row["source_id"], "obs": row["observation_id"]})
    assert_clean(at)
    assert at.selectbox(key="obs").value == row["observation_id"]
    context_html = at.get("html")[0].value
    import html

    flat = html.unescape(__import__("re").sub(r"<[^>]+>", "", context_html))
    assert row["quote"] in flat
    assert "outline:2px solid" in context_html  # the chosen number is boxed
    number = html.escape(row["number_text"], quote=False)
    assert f">{number}</span>" in context_html


def test_overview_cards_cite_their_sources(fixture_only):
    at = run_app()
    assert_clean(at)
    values = [m.value for m in at.metric]
    assert "2.54%" in values and "2787家" in values
    deltas = [m.delta for m in at.metric if m.delta]
    assert any("0.11" in d for d in deltas)
    assert any("2021" in c and "2.43" in c for c in captions(at))
    assert any("新质生产力助力高质量发展 (2024)" in c for c in captions(at))
    links = [p.proto.page_link.query_string if hasattr(p.proto, "page_link") else "" for p in at.get("page_link")]
    assert links


def test_quality_page_lists_checks_and_flagged_figures(fixture_only):
    at = run_app("quality")
    assert_clean(at)
    frames = [df.value for df in at.dataframe]
    build_checks = next(f for f in frames if "check" in f.columns)
    assert "value_range" in set(build_checks["check"])
    flagged = next(f for f in frames if "原因" in f.columns)
    reasons = " ".join(flagged.iloc[:, 0])
    assert "推算值" in reasons and "约数或界限值" in reasons
    assert "2.43%" in set(flagged["数值"])
    consistency = next(f for f in frames if "检查" in f.columns)
    assert consistency.iloc[:, 1].str.startswith("✓").all()
    assert flagged["observation_id"].is_unique


def test_quality_page_without_report_says_so(tmp_path, monkeypatch):
    from fixture_data import write_fixture

    out = write_fixture(tmp_path / "pub", report={})
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(out))
    at = run_app("quality")
    assert_clean(at)
    assert any("build_report.json" in i.value for i in at.info)


def test_quality_page_lists_what_the_catalogue_does_not_cover_yet(corpus_build, monkeypatch):
    """Every row is a subject and measure of unmapped figures with their true count,
    recomputed here from the mentions table itself."""
    import pandas as pd

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(corpus_build.out))
    at = run_app("quality")
    assert_clean(at)
    spots = next(df.value for df in at.dataframe if "原文所述指标" in df.value.columns)
    men = pd.read_parquet(corpus_build.out / "mentions.parquet")
    unmapped = men[
        (men["observation_id"] == "") & men["kind"].isin(["figure", "rank"]) & (men["indicator_subject"] != "")
    ]
    want = unmapped.groupby("indicator_subject").size()
    assert len(spots) > 0
    got = spots.groupby("原文所述指标")["数字个数"].sum()
    for subject, n in got.items():
        assert want[subject] == n, subject
    assert list(spots["数字个数"]) == sorted(spots["数字个数"], reverse=True)


def test_quality_page_asks_for_a_rebuild_when_mentions_have_no_subjects(fixture_only):
    at = run_app("quality")
    assert_clean(at)
    assert any("python -m loaders build" in i.value for i in at.info)
