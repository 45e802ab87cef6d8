"""The provinces page: the official panel's charts as pure functions, and the page itself."""

from __future__ import annotations

import pytest
from helpers import assert_clean, run_app

from dashboard import panel_charts as pc


@pytest.fixture(scope="module")
def tables(corpus_build):
    return corpus_build.tables


def _names(tables):
    return dict(zip(tables["regions"]["region_id"], tables["regions"]["name_zh"], strict=True))


def test_ranked_chart_orders_provinces_and_cites_each_row(tables):
    official = pc.panel(tables["observations"], tables["sources"])
    rows, missing = pc.ranked(official, "rd_spending", 2022, tables["regions"])
    assert len(rows) == 31 and not missing  # the 2022 release's full table (附表2)
    assert list(rows["value"]) == sorted(rows["value"], reverse=True)
    assert rows["region_id"].iloc[-1] == "tibet"
    # the publisher's text (its table, or its 分地区 sentence), never the third party's copy
    assert set(rows["source_id"]) <= {"nbs2022_rd_release", "nbs2022_rd_communique"}
    _, before = pc.ranked(official, "rd_spending", 2016, tables["regions"])
    assert len(before) == 31  # no provincial table for 2016 is held: every province is listed as missing
    fig = pc.ranked_chart(rows, _names(tables), "t", "zh")
    bar = fig.data[0]
    assert list(bar.x)[-1] == rows["value"].max() and bar.y[-1] == "广东省"  # largest on top
    assert all("[nbs2022_" in h for h in bar.hovertext)


def test_series_chart_draws_claims_over_the_official_series(tables):
    official = pc.panel(tables["observations"], tables["sources"])
    series = official[(official["indicator_id"] == "rd_intensity_pct") & (official["region_id"] == "china")]
    marks = pc.claims(tables["observations"], tables["sources"], "rd_intensity_pct", "china")
    fig = pc.series_chart(series, marks, "全国", "t", "zh")
    line, claims = fig.data
    assert list(line.x) == list(range(2012, 2024))
    assert 2.43 in list(claims.y) and 2.54 in list(claims.y)
    differs = next(h for h, y in zip(claims.hovertext, claims.y, strict=True) if y == 2.43)
    assert "与官方不一致" in differs and "nqpf2024_high_quality" in differs
    assert pc.DIFFERS_COLOR in list(claims.marker.color)


def test_context_chart_shows_a_range_when_the_table_is_incomplete(tables):
    official = pc.panel(tables["observations"], tables["sources"])
    rows = pc.context_rows(official, "rd_spending", 2022, "guangdong", "east")
    assert {"at_least", "at_most"} <= set(rows["qualifier"])  # the third party's partial table bounds it
    (bars,) = pc.context_chart(rows, _names(tables), "t", "zh").data  # the full table's exact sum wins
    assert list(bars.x) == ["广东省", "东部地区", "中国"]
    only_range = rows[~((rows["region_id"] == "east") & (rows["qualifier"] == "exact"))]
    bars, bound = pc.context_chart(only_range, _names(tables), "t", "zh").data
    assert list(bars.x) == ["广东省", "中国"]  # where the East is only a range: no bar for it
    assert bound.error_y.array[0] > 0
    central = pc.context_rows(official, "rd_spending", 2022, "hubei", "central")
    assert list(pc.context_chart(central, _names(tables), "t", "zh").data[0].x) == ["湖北省", "中部地区", "中国"]


def test_document_text_is_escaped(tables):
    official = pc.panel(tables["observations"], tables["sources"])
    rows, _ = pc.ranked(official, "rd_spending", 2022, tables["regions"])
    rows = rows.copy()
    rows.loc[rows.index[0], "quote"] = "<script>x</script>"
    fig = pc.ranked_chart(rows, _names(tables), "<b>", "zh")
    assert "<script>" not in "".join(fig.data[0].hovertext) and fig.layout.title.text == "&lt;b&gt;"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_provinces_page_renders(data_dir, lang):
    at = run_app("provinces", {"lang": lang})
    assert_clean(at)


def test_csv_export_carries_the_cross_check(tables):
    from dashboard.export import export_frame

    out = export_frame(tables["observations"], tables["sources"], tables["regions"], tables["indicators"])
    implied = out[(out["indicator_id"] == "rd_intensity_pct") & (out["year"] == 2021) & out["derived"]].iloc[0]
    assert (implied["check_status"], implied["check_value"]) == ("differs", 2.44)
    assert implied["check_source_id"] == "nbs2021_rd_release"


def test_disagreements_list_both_figures_and_sources(tables):
    table = pc.disagreements(tables["observations"], "en")
    assert len(table) == (tables["observations"]["check_status"] == "differs").sum() >= 1
    row = table[table["Claim"] == "2.43 %"].iloc[0]
    assert row["Official"] == "2.44 (nbs2021_rd_release)" and row["Source"] == "nqpf2024_high_quality"


def test_provinces_page_sends_only_the_open_tabs_chart(corpus_build, monkeypatch):
    """The province's series and its context are one tab each; only the open one is built,
    and the other opens on request with its own title."""
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(corpus_build.out))
    at = run_app("provinces", {"lang": "en"})
    assert_clean(at)
    titles = [c.proto.spec for c in at.get("plotly_chart")]
    assert len(titles) == 2 and "official series and claims" in titles[1]
    at.session_state["prov_tabs"] = "Beside its region and the nation"
    at.run()
    assert_clean(at)
    titles = [c.proto.spec for c in at.get("plotly_chart")]
    assert len(titles) == 2 and "and the nation" in titles[1] and "official series" not in titles[1]


def test_many_bars_keep_their_values_readable(corpus_build, monkeypatch):
    """31 provinces: the ranked chart writes each value beside its bar; the comparison, whose
    labels plotly hides when they do not fit, says the values are in the hover and the table."""
    import json

    from helpers import captions, points, specs

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(corpus_build.out))
    at = run_app("provinces", {"lang": "zh"})
    (bar,) = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    assert len(bar["text"]) >= 31 and all(t.split()[0][0].isdigit() for t in bar["text"])
    assert any("数值写在柱子旁" in c for c in captions(at))
    for lang, words in (("zh", "表格"), ("en", "Table")):
        at = run_app("compare", {"indicator": "rd_intensity_pct", "year": "2022", "lang": lang})
        assert_clean(at)
        assert len(points(specs(at)[0])) > 20
        assert any(words in c and ("hover" in c or "鼠标" in c) for c in captions(at)), lang
    at = run_app("compare", {"indicator": "rd_intensity_pct", "year": "2018"})
    if len(points(specs(at)[0])) <= 20:  # few bars: every label fits, no note
        assert not any("放不下的数值标签" in c for c in captions(at))
