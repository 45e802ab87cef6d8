"""Chart builders and formatting, without Streamlit."""

from __future__ import annotations

import html

import pandas as pd
import pytest
from fixture_data import write_fixture
from helpers import decode, points

from dashboard import charts, fmt, marks, parts


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    out = write_fixture(tmp_path_factory.mktemp("charts"))
    return {
        name: pd.read_parquet(out / f"{name}.parquet") for name in ("sources", "regions", "indicators", "observations")
    }


def rows_for(tables, lang="zh", **where):
    obs = tables["observations"]
    for col, value in where.items():
        obs = obs[obs[col].isin(value if isinstance(value, list) else [value])]
    return charts.chart_rows(obs, tables["regions"], tables["indicators"], tables["sources"], lang)


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "lang", "shown"),
    [
        # The text's own words (超, 约, 近) stay in the label, in the reader's language.
        (90, "%", "more_than", "zh", "超90%"),
        (13, "%", "approx", "en", "about 13%"),
        (13, "%", "approx", "zh", "约13%"),
        (40, "%", "at_least", "zh", "不少于40%"),
        (5, "%", "less_than", "zh", "不足5%"),
        (70, "%", "nearly", "zh", "近70%"),
        (6, "位", "exact", "zh", "第6位"),
        (2, "位", "exact", "en", "No. 2"),
        (7, "批次", "exact", "en", "7 batches"),
        (41, "个", "exact", "en", "41"),
        (2.54, "%", "exact", "en", "2.54%"),
        (2787, "家", "exact", "zh", "2787家"),
        (2787, "家", "exact", "en", "2,787 enterprises"),
        # Chinese magnitudes read as stated in Chinese, in English magnitudes in English
        # (this used to be "299 100 million USD").
        (299, "亿美元", "exact", "en", "29.9 billion USD"),
        (299, "亿美元", "exact", "zh", "299亿美元"),
    ],
)
def test_display_keeps_the_qualifier_with_the_number(value, unit, qualifier, lang, shown):
    assert fmt.display(value, unit, qualifier, lang) == shown


def test_kinds_separate_exact_bounded_and_derived():
    assert fmt.kind("exact", False) == "exact"
    assert fmt.kind("more_than", False) == "above"
    assert fmt.kind("nearly", False) == "below"
    assert fmt.kind("approx", False) == "approx"
    assert fmt.kind("exact", True) == "derived"
    styles = {(s["pattern"], s["symbol"], s["color"]) for s in charts.KIND_STYLE.values()}
    assert len(styles) == len(fmt.KINDS)


def test_bars_plot_each_row_once_with_kind_traces(tables):
    rows = rows_for(
        tables,
        region_id="jiangxi",
        indicator_id=["sme_main_business_share_pct", "sme_key_chain_share_pct", "sme_niche_5y_share_pct"],
    )
    fig = charts.bars(rows, "t", "zh", category="indicator_label").to_plotly_json()
    got = points(fig)
    assert sorted(got["observation_id"]) == sorted(rows["observation_id"])
    assert sorted(got["y"]) == sorted(rows["value"])
    patterns = {t["name"]: t["marker"]["pattern"]["shape"] for t in fig["data"]}
    assert len(set(patterns.values())) == 2 and "" not in patterns.values()


def test_citations_number_sources_in_order_of_appearance(tables):
    rows = rows_for(tables, indicator_id=["rd_intensity_pct"], region_id="china")
    cites = charts.citations(rows)
    assert [n for n, _ in cites] == list(range(1, len(cites) + 1))
    labels = dict(cites)
    for _, r in rows.iterrows():
        src = tables["sources"].set_index("source_id").loc[r["source_id"]]
        assert labels[r["cite"]] == f"{src['short_title']} ({src['published']})"
    assert charts.caption(rows, "en").startswith("Sources: [1] ")


def test_hover_escapes_document_text(tables):
    rows = rows_for(tables, indicator_id="rd_intensity_pct", year=2022, region_id="china")
    rows["quote"] = "<img src=x onerror=alert(1)>据报道\n\n研发强度"
    rows = charts.chart_rows(rows, tables["regions"], tables["indicators"], tables["sources"], "zh")
    fig = charts.bars(rows, "<b>title</b>", "zh").to_plotly_json()
    cd = fig["data"][0]["customdata"][0]
    assert "<img" not in cd[charts.CUSTOMDATA.index("quote_html")]
    assert html.unescape(cd[charts.CUSTOMDATA.index("quote_html")].replace("<br>", "")) == (
        "<img src=x onerror=alert(1)>据报道研发强度"
    )
    assert fig["layout"]["title"]["text"] == "&lt;b&gt;title&lt;/b&gt;"


def test_flatten_quote_joins_pdf_line_breaks():
    assert charts.flatten_quote("研发经\n\n费投入") == "研发经费投入"
    assert charts.flatten_quote("with\nOECD") == "with OECD"


def test_whole_remainder_is_computed_and_named(tables):
    rows = rows_for(tables, indicator_id="rd_spending_regional_share_pct", year=2022)
    items = parts.wholes(
        rows, tables["indicators"], tables["regions"], {"china": ["east", "central", "west", "northeast"]}, "en"
    )
    assert len(items) == 1
    whole = items[0]
    assert whole.remainder == pytest.approx(100 - 65.74 - 12.87)
    assert whole.formula == "100 − 65.74 − 12.87"
    assert "Central + Northeast" in whole.remainder_label
    assert "derived" in whole.remainder_label
    fig = parts.whole_bars(items, "t", "en", part_col="region_label").to_plotly_json()
    rest = next(t for t in fig["data"] if t.get("meta") == "remainder")
    assert decode(rest["x"]) == pytest.approx([whole.remainder])
    assert rest["marker"]["pattern"]["shape"] == "."


def test_whole_over_100_is_flagged(tables):
    rows = rows_for(tables, indicator_id="rd_spending_regional_share_pct", year=2022)
    rows.loc[rows["region_id"] == "west", ["value", "plot_value"]] = 50.0
    items = parts.wholes(rows, tables["indicators"], tables["regions"], {}, "zh")
    assert items[0].over and items[0].remainder == 0


def test_trend_markers_follow_kind_and_legend_explains(tables):
    rows = rows_for(tables, indicator_id="rd_intensity_pct", region_id="china")
    fig = marks.trend_lines(rows, "t", "en").to_plotly_json()
    runs = [t for t in fig["data"] if t.get("meta") == "series"]
    years = [y for t in runs for y in decode(t["x"])]
    assert sorted(years) == [2005, 2021, 2022]
    derived_year = int(rows.loc[rows["derived"], "year"].iloc[0])
    symbol = {y: s for t in runs for y, s in zip(decode(t["x"]), t["marker"]["symbol"], strict=True)}
    assert symbol[derived_year].endswith("-open") and not symbol[2022].endswith("-open")
    legend = {t["name"] for t in fig["data"] if t.get("meta") == "legend"}
    assert legend == {fmt.kind_label("derived", "en")}


def test_palette_is_okabe_ito():
    okabe_ito = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    assert set(charts.PALETTE) <= okabe_ito


def test_image_download_has_a_meaningful_name():
    cfg = charts.plotly_config(charts.slug("rd_intensity_pct", 2022, "compare", "zh"))
    assert cfg["toImageButtonOptions"]["filename"] == "rd_intensity_pct-2022-compare-zh"
    assert charts.slug("../../x", "研发") == "x"
    assert charts.slug("a/b", None, "") == "a_b"


def test_show_in_source_url_is_encoded():
    url = charts.show_in_source_url("src&x=1", "o#1", "en")
    assert url == "./sources?source=src%26x%3D1&lang=en&obs=o%231"


def test_plot_values_rescale_within_a_base_unit_only():
    rows = pd.DataFrame(
        {
            "indicator_id": ["gdp", "rd_spending"],
            "value": [120.0, 299.0],
            "unit": ["万亿", "亿美元"],
            "scale": [1e12, 1e8],
            "base_unit": ["CNY", "USD"],
            "value_base": [1.2e14, 2.99e10],
        }
    )
    indicators = pd.DataFrame(
        {
            "indicator_id": ["gdp", "rd_spending"],
            "unit": ["亿元", "亿元"],
            "base_unit": ["CNY", "CNY"],
        }
    )
    values, units = charts.plot_values(rows, indicators)
    assert values == [1.2e6, 299.0]
    assert units == ["亿元", "亿美元"]  # dollars are never relabelled as yuan
