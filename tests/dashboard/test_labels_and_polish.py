"""Labels in both languages, and what readers saw wrong in the screenshots."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
import yaml
from helpers import REPO, assert_clean, captions, decode, points, run_app, specs, unmd

from dashboard import charts, fmt, marks
from dashboard.i18n import labels, t

# Deliberately empty: a count of "个" reads as a bare number in English.
EMPTY_OK = {("unit.个", "en")}


def _leaves(node, path=""):
    if isinstance(node, dict) and node and set(node) <= {"zh", "en"}:
        yield path, node
        return
    assert isinstance(node, dict), f"{path} is {node!r}, not a label or a group"
    for key, child in node.items():
        yield from _leaves(child, f"{path}.{key}" if path else str(key))


def test_every_label_has_chinese_and_english_text():
    raw = yaml.safe_load((REPO / "dashboard" / "labels.yaml").read_text(encoding="utf-8"))
    found = list(_leaves(raw))
    assert len(found) > 150
    for path, node in found:
        # A comma in an unquoted flow value splits it into a second key (with no value).
        assert set(node) == {"zh", "en"}, (path, node)
        for lang in ("zh", "en"):
            value = node[lang]
            assert isinstance(value, str), (path, lang, value)
            assert value.strip() or (path, lang) in EMPTY_OK, (path, lang)


def test_labels_with_commas_keep_their_whole_english_text():
    assert t("quality.c_keys", "en") == "Indicator, region and source ids are all defined"
    assert t("quality.c_conflicts", "en") == "Figures for the same indicator, region and year agree"
    assert t("quality.c_keys", "zh") == "指标、地区、文献编号均有定义"
    assert labels()["quality"]["c_keys"]["en"].endswith("defined")


# --- numbers in the reader's language ---------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "base", "lang", "shown"),
    [
        (120, "万亿", "more_than", "CNY", "zh", "超120万亿元"),
        (120, "万亿", "more_than", "CNY", "en", "more than 120 trillion CNY"),
        (3000, "亿元", "exact", "CNY", "en", "300 billion CNY"),
        (0.5, "亿元", "approx", "CNY", "en", "about 50 million CNY"),
        (12, "万人", "exact", "persons", "en", "120,000 people"),
        (12, "万人", "exact", "persons", "zh", "12万人"),
        (2787, "家", "exact", "enterprises", "en", "2,787 enterprises"),
        (120, "万亿", "exact", "USD", "zh", "120万亿美元"),
    ],
)
def test_amounts_read_naturally_in_each_language(value, unit, qualifier, base, lang, shown):
    assert fmt.display(value, unit, qualifier, lang, base) == shown


def _amount_rows(values, unit, base, lang):
    rows = pd.DataFrame(
        {
            "value": values,
            "unit": unit,
            "base_unit": base,
            "plot_value": [v * 1e4 for v in values],  # in the indicator's 亿元
            "unit_display": "100 million CNY",
        }
    )
    return charts.readable_axis(rows, lang)


def test_axis_of_amounts_uses_one_readable_magnitude():
    assert _amount_rows([120.0], "万亿", "CNY", "en") == ([120.0], "trillion CNY")
    assert _amount_rows([120.0], "万亿", "CNY", "zh") == ([120.0], "万亿元")
    values, title = _amount_rows([1.2, 0.3], "万亿", "CNY", "en")
    assert (values, title) == ([1.2, 0.3], "trillion CNY")
    # Percentages, or a mix of currencies, keep the indicator's own unit.
    pct = pd.DataFrame({"value": [2.5], "unit": ["%"], "base_unit": ["percent"], "plot_value": [2.5]})
    assert charts.readable_axis(pct.assign(unit_display="%"), "en") == ([2.5], "%")


def test_compare_in_english_shows_dollars_in_billions(fixture_only):
    at = run_app("compare", {"indicator": "rd_spending_usd", "year": "2005", "lang": "en"})
    assert_clean(at)
    spec = specs(at)[0]
    bar = next(tr for tr in spec["data"] if tr["type"] == "bar")
    assert [unmd(x) for x in bar["text"]] == ["29.9 billion USD"]
    assert decode(bar["y"]) == pytest.approx([29.9])
    assert spec["layout"]["yaxis"]["title"]["text"] == "billion USD"
    at = run_app("compare", {"indicator": "rd_spending_usd", "year": "2005"})
    bar = next(tr for tr in specs(at)[0]["data"] if tr["type"] == "bar")
    assert bar["text"] == ["299亿美元"] and decode(bar["y"]) == pytest.approx([299])


def test_bar_labels_sit_above_the_bars_with_room_to_spare(fixture_only):
    at = run_app("compare", {"indicator": "rd_spending_regional_share_pct", "year": "2022"})
    shares = specs(at)[0]
    bars = [tr for tr in shares["data"] if tr["type"] == "bar"]
    assert bars and all(tr["textposition"] == "outside" for tr in bars)
    top = max(v for tr in bars for v in decode(tr["y"]))
    assert shares["layout"]["yaxis"]["range"][1] > top * 1.1
    assert shares["layout"]["xaxis"]["tickangle"] == 0  # wrapped, never rotated into the footer


# --- trends: labels that do not collide -------------------------------------------------


def _boxes(points_, positions, span, height=0.08):
    h, pad = height * span, height * span / 4
    out = []
    for (x, y), pos in zip(points_, positions, strict=True):
        if not pos:
            continue
        side = "center" if "center" in pos else pos.split()[-1]
        out.append((x, side, *marks._label_box(pos, y, h, pad)))
    return out


@pytest.mark.parametrize(
    "pts",
    [
        [(2022, 2.7), (2022, 2.54), (2022, 2.2), (2021, 2.43), (2005, 1.34)],
        [(2022, 5.0), (2022, 5.0), (2022, 5.01), (2022, 4.9), (2022, 1.0)],
        [(2018, v) for v in (4.6, 5.7, 2.2)] + [(2022, v) for v in (14.1, 7.9, 3.9)],
    ],
)
def test_trend_labels_at_one_year_never_overlap(pts):
    span = max(y for _, y in pts) * 1.18
    positions = marks.label_positions(pts, span)
    for a, b in itertools.combinations(_boxes(pts, positions, span), 2):
        if a[0] != b[0]:
            continue
        shares_width = "center" in (a[1], b[1]) or a[1] == b[1]
        assert not (shares_width and a[2] < b[3] and b[2] < a[3]), (a, b)
    for x in {x for x, _ in pts}:  # the highest point of each year always keeps its label
        top = max((i for i, p in enumerate(pts) if p[0] == x), key=lambda i: pts[i][1])
        assert positions[top] == "top center"


def test_trend_at_2022_labels_every_figure_and_leaves_headroom(fixture_only):
    at = run_app("trends", {"indicator": "rd_intensity_pct"})
    assert_clean(at)
    spec = specs(at)[0]
    got = points(spec)
    labelled = [t for tr in spec["data"] if tr.get("meta") == "series" for t in tr["text"] if t]
    assert {"2.7%", "2.54%", "2.2%"} <= set(labelled)
    assert spec["layout"]["yaxis"]["range"][1] > max(got["y"]) * 1.1
    assert all(tr.get("cliponaxis") is False for tr in spec["data"] if tr.get("mode") == "lines+markers+text")
    assert not any("图中显示" in c for c in captions(at))  # three regions: no cap, no notice


# --- overview, quality, sources ---------------------------------------------------------


def test_overview_cards_show_region_and_year_in_a_short_label(fixture_only):
    at = run_app()
    assert_clean(at)
    labels_ = [unmd(m.label) for m in at.metric]
    assert "中国 · 2022" in labels_
    assert all(len(x) <= 24 for x in labels_), labels_
    assert "研发经费投入强度" in [unmd(m.value).strip("*") for m in at.markdown]
    # +0.11 is the figure the text states; 2.43 is derived from it, never the other way.
    delta = next(m.delta for m in at.metric if m.delta)
    assert "0.11" in delta and "原文所述" in delta and "推算" not in delta
    assert any("2021年的2.43%由此推算：2.54 − 0.11" in c for c in captions(at))
    assert not any("2.54 − 2.43" in c for c in captions(at))


def test_quality_counts_are_named_in_the_reader_language(fixture_only):
    at = run_app("quality")
    names = [unmd(m.label) for m in at.metric]
    assert names[:4] == ["文献", "识别到的数字", "指标数字", "未映射的数字"]
    at = run_app("quality", {"lang": "en"})
    assert [unmd(m.label) for m in at.metric][:2] == ["Sources", "Numbers found"]


def test_quality_lists_each_flagged_figure_once_with_all_its_reasons(fixture_only):
    at = run_app("quality")
    flagged = next(df.value for df in at.dataframe if "原因" in df.value.columns)
    assert flagged["observation_id"].is_unique
    assert any("超过: 超九成" in r for r in flagged["原因"])


def test_sources_page_names_the_english_title_as_such(fixture_only):
    at = run_app("sources", {"source": "jxdaily2024_think_tank"})
    text = " ".join(unmd(m.value) for m in at.markdown)
    assert "**标题**: 江西日报" in text
    assert "**英文标题**: Jiangxi Daily think-tank page" in text
    at = run_app("sources", {"source": "jxdaily2024_think_tank", "lang": "en"})
    assert "**English title**: Jiangxi Daily" in " ".join(unmd(m.value) for m in at.markdown)


# --- the table beside each chart --------------------------------------------------------


def test_table_tab_is_built_when_opened_and_holds_the_chart_rows(fixture_only):
    at = run_app("compare", {"indicator": "rd_intensity_pct", "year": "2022"})
    assert_clean(at)
    assert not list(at.dataframe)  # a closed tab costs nothing on a redraw
    at.session_state["compare_chart_tabs"] = "表格"
    at.run()
    table = next(df.value for df in at.dataframe)
    shown = set(points(specs(at)[0])["observation_id"]) | {
        oid for tr in specs(at)[0]["data"] if tr.get("meta") == "benchmark" for oid in [tr["customdata"][0][0]]
    }
    assert set(table["observation_id"]) == shown and len(shown) == 3
    # It stays open when the language changes (the tab's label changes with it).
    at.sidebar.radio[0].set_value("en").run()
    assert_clean(at)
    assert list(at.dataframe) and "Region" in next(df.value for df in at.dataframe).columns
