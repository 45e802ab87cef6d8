"""Precision before recall (loaders/trust.py): what a figure must not be published as."""

from __future__ import annotations

from loaders.extract import extract_text


def _row(text: str, number_text: str, **options) -> dict:
    frame = extract_text(text, **options)
    rows = [r for r in frame.to_dict("records") if r["number_text"] == number_text]
    assert len(rows) == 1, f"{number_text!r} in {list(frame['number_text'])}"
    return rows[0]


def test_a_forecast_is_left_unmapped_with_a_reason_code():
    row = _row("2024年，全省研发经费投入强度预计达到3%。", "3%", default_region="hunan", publication_year=2024)
    assert (row["indicator_id"], row["status"], row["reason"]) == ("", "forecast", "status_forecast")
    assert "withdrawn:rd_intensity_pct" in row["evidence"]


def test_a_target_says_so():
    row = _row("力争2025年全省研发经费投入强度达到3%。", "3%", default_region="hunan", publication_year=2023)
    assert (row["indicator_id"], row["status"]) == ("", "target")


def test_a_quarter_keeps_the_catalogues_quarter_indicator():
    row = _row("2023年一季度国内生产总值同比增长4.5%。", "4.5%", default_region="china", publication_year=2023)
    assert (row["indicator_id"], row["period_kind"], row["status"]) == ("gdp_growth_q1_pct", "quarter", "actual")
    assert str(row["period_start"].date()) == "2023-01-01" and str(row["period_end"].date()) == "2023-03-31"


def test_a_months_to_date_figure_never_takes_the_annual_indicator():
    row = _row("2023年1—11月，全省规模以上工业增加值同比增长5.1%。", "5.1%", default_region="hunan")
    assert (row["indicator_id"], row["reason"], row["period_kind"]) == ("", "period_months_to_date", "months_to_date")


def test_a_flow_counted_to_a_day_inside_the_year_is_the_year_to_that_day_and_a_stock_stays_at_its_date():
    text = "截至2025年10月底，全市高新技术企业达6000家，技术合同成交额完成500亿元，同比增长20%。"
    flow = _row(text, "500亿元", default_region="zhengzhou", publication_year=2025)
    assert (flow["indicator_id"], flow["reason"], flow["period_kind"]) == (
        "",
        "period_months_to_date",
        "months_to_date",
    )
    assert (str(flow["period_start"].date()), str(flow["period_end"].date())) == ("2025-01-01", "2025-10-31")
    growth = _row(text, "20%", default_region="zhengzhou", publication_year=2025)
    assert growth["indicator_id"] == "" and growth["period_kind"] == "months_to_date"  # a flow's growth too
    stock = _row(text, "6000家", default_region="zhengzhou", publication_year=2025)
    assert (stock["indicator_id"], stock["period_kind"]) == ("hitech_enterprises_count", "as_of")
    assert str(stock["period_end"].date()) == "2025-10-31"
    year_end = _row("截至2024年底，全市技术合同成交额500亿元。", "500亿元", default_region="zhengzhou")
    assert year_end["indicator_id"] == "tech_contract_turnover"  # counted to the year's end: the year


def test_a_region_only_the_country_default_gives_is_not_published():
    # no place in the text or its source: the figure is not China's on that evidence alone
    row = _row("2023年，全区规上工业增加值增长7.8%。", "7.8%", publication_year=2024)
    assert (row["region_basis"], row["indicator_id"], row["reason"]) == ("country_default", "", "low_confidence")
    named = _row("2023年，全国规上工业增加值增长4.6%。", "4.6%", publication_year=2024)
    assert (named["region_id"], named["indicator_id"]) == ("china", "industrial_va_growth_pct")


def test_a_flow_of_the_year_the_text_is_published_in_is_not_that_years_total():
    text = "2023年河南省技术合同成交额达到366.75亿元。"
    during = _row(text, "366.75亿元", default_region="henan", publication_year=2023)
    assert (during["indicator_id"], during["reason"]) == ("", "period_year_not_over")
    after = _row(text, "366.75亿元", default_region="henan", publication_year=2024)
    assert after["indicator_id"] == "tech_contract_turnover"
    stock = _row("2023年河南省高新技术企业达12000家。", "12000家", default_region="henan", publication_year=2023)
    assert stock["indicator_id"] == "hitech_enterprises_count"  # a stock is counted at a date


def test_a_year_from_the_publication_date_is_unstated_with_a_low_confidence():
    row = _row("全省地区生产总值5.2万亿元。", "5.2万亿元", default_region="hunan", publication_year=2024)
    assert (row["indicator_id"], row["year"], row["year_basis"]) == ("gdp", 2024, "unstated")
    assert row["confidence"] < 0.55 and row["period_kind"] == "unknown"


def test_a_figure_dated_by_a_rule_is_published():
    text = "改革持续深化。" * 3 + "全省地区生产总值5.2万亿元。"
    row = _row(text, "5.2万亿元", default_region="hunan", publication_year=2024, publication_month=2)
    assert (row["year_basis"], row["indicator_id"], row["reason"]) == ("last_full_year", "gdp", "")


def test_a_stated_figure_is_published_with_its_confidence_and_evidence():
    row = _row("2022年，全省地区生产总值5.2万亿元。", "5.2万亿元", default_region="hunan", publication_year=2024)
    assert (row["indicator_id"], row["status"], row["period_kind"]) == ("gdp", "actual", "year")
    assert 0.55 <= row["confidence"] <= 1 and "region:" in row["evidence"] and "year:stated" in row["evidence"]


def test_a_rank_within_another_group_is_not_the_national_rank():
    text = "2023年，陕西研发投入强度位居西部第一。"
    row = _row(text, "第一", default_region="shaanxi", publication_year=2024)
    assert row["indicator_id"] == ""


def test_two_different_exact_values_for_one_indicator_region_and_year_are_both_withdrawn():
    text = "2022年，全省地区生产总值5.2万亿元。2022年，全省地区生产总值4.8万亿元。"
    frame = extract_text(text, default_region="hunan", publication_year=2024)
    figures = frame[frame["number_text"].str.contains("万亿元")]
    assert list(figures["indicator_id"]) == ["", ""]
    assert set(figures["reason"]) == {"conflicting_values"}
    consistent = extract_text("2022年，全省地区生产总值5.2万亿元，突破5万亿元。", default_region="hunan")
    assert list(consistent[consistent["number_text"].str.contains("万亿元")]["indicator_id"]) == ["gdp", "gdp"]


def test_a_period_stated_once_carries_to_later_figures_that_state_none():
    """kind.yaml context.carried_periods: 4.16亿元 after 一季度，全市实现… is the first quarter's too."""
    text = "一季度，义乌全市实现地区生产总值437.38亿元，同比增长7.3%。第一产业增加值4.16亿元。"
    row = _row(text, "4.16亿元", default_region="zhejiang", publication_year=2023, publication_month=4)
    assert row["period_kind"] == "quarter" and "period_carried:quarter" in row["evidence"]
    assert row["indicator_id"] == ""  # a quarter's value never takes the annual indicator
    stated = _row("2023年，全市第一产业增加值4.16亿元。", "4.16亿元", default_region="zhejiang")
    assert "period_carried" not in stated["evidence"]  # nothing stated before: nothing carried


def test_the_items_of_a_list_announced_as_targets_are_targets():
    """kind.yaml context.target_list_heading: every ◆ item after 主要预期目标是: is a target."""
    # items ending in 。 each: the inline rule (target_list_inline) cannot see the heading
    text = "今年全省经济社会发展的主要预期目标是:\n◆地区生产总值增长5%。\n◆固定资产投资增长4%。\n全年粮食产量1270万吨。"
    options = {"default_region": "guangdong", "publication_year": 2024, "publication_month": 1}
    assert _row(text, "4%", **options)["status"] == "target"
    assert "status:target_list" in _row(text, "4%", **options)["evidence"]
    assert "status:target_list" not in _row(text, "1270万吨", **options)["evidence"]  # the list has ended


def test_a_count_of_members_in_a_part_year_text_is_that_parts():
    """kind.yaml within_part through the carry: 有28个 after the lead's 上半年 counts the half's industries."""
    text = "上半年，全市规上工业增加值同比增长12.6%。\n全市36个大类行业有28个实现增长，行业增长面达77.8%。"
    row = _row(text, "28个", default_region="yichun_jx", publication_year=2024, publication_month=8)
    assert row["period_kind"] == "half", row["evidence"]
    stock = _row("2023年末，全市共有高新技术企业1200家。", "1200家", default_region="yichun_jx", publication_year=2024)
    assert stock["period_kind"] == "as_of"  # no part of the year stated: a stock at a date
