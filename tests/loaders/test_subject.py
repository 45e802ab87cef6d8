"""Subject and measure of a figure, and the catalogue indicator a subject names.

Small made-up sentences in the shapes of statistical prose (none from the corpus or the
evaluation set). Each case names the figure and what the extractor must say it measures.
"""

from __future__ import annotations

import pytest

from loaders.extract import engine, extract_text
from loaders.subject import MEASURES, Subject

# name, text, number_text, subject, measure, options
CASES = [
    (
        "a verb inside the words is dropped",
        "规模以上工业实现增加值1506.30亿元。",
        "1506.30亿元",
        "规模以上工业增加值",
        "level",
        {},
    ),
    (
        "a headline run into the text",
        "研发投入主体作用凸显2020年我市全社会R&D经费投入达到73.36亿元。",
        "73.36亿元",
        "全社会R&D经费投入",
        "level",
        {},
    ),
    ("a bullet bounds the words", "大产业迈入新阶段●粮食总产达到557亿斤。", "557亿", "粮食总产", "level", {}),
    ("比去年底 is a base", "全市有效发明专利4.3万件，比去年底增长4710件。", "4710件", "有效发明专利", "change", {}),
    (
        "a trend clause names the listed figures",
        "新增专精特新中小企业数量逐年上升，分别为39家、55家。",
        "55家",
        "新增专精特新中小企业数量",
        "level",
        {},
    ),
    (
        "a yardstick after 高于 is not the subject",
        "高新技术产业增加值增长15%，增速高于全省规上工业增加值3.1个百分点。",
        "3.1个百分点",
        "高新技术产业增加值",
        "change",
        {},
    ),
    ("completion of a target", "失业人员再就业12089人，完成目标任务的157%。", "157%", "失业人员再就业", "share", {}),
    ("N%的X names X", "小巨人企业贡献了6%的营业收入。", "6%", "营业收入", "share", {}),
    ("a population's members", "流动人才中男性占59%。", "59%", "男性", "share", {}),
    (
        "numerals joined by 、 inside a name",
        "第一、二、三产业增加值分别增长4.2%。",
        "4.2%",
        "第一、二、三产业增加值",
        "growth",
        {},
    ),
    (
        "growth after the level's name",
        "2023年全省规模以上工业增加值比上年增长6.3%。",
        "6.3%",
        "规模以上工业增加值",
        "growth",
        {},
    ),
    (
        "level with a from-year",
        "高新技术企业数量从2008年的1807家增长至2023年的4.2万家。",
        "1807家",
        "高新技术企业数量",
        "level",
        {},
    ),
    (
        "level after a to-word is a level",
        "高新技术企业数量从2008年的1807家增长至2023年的4.2万家。",
        "4.2万家",
        "高新技术企业数量",
        "level",
        {},
    ),
    (
        "parenthesis kept inside the subject",
        "研究与试验发展(R&D)经费投入强度为2.64%。",
        "2.64%",
        "研究与试验发展(R&D)经费投入强度",
        "share",
        {},
    ),
    (
        "change in points takes the subject before it",
        "R&D经费投入强度为2.64%，比上年提高0.08个百分点。",
        "0.08个百分点",
        "R&D经费投入强度",
        "change",
        {},
    ),
    ("quarter after quarter", "一季度国内生产总值同比增长4.5%，二季度增长6.3%。", "6.3%", "国内生产总值", "growth", {}),
    (
        "share of the thing named before",
        "利税达到6606亿元，占规上工业比重为71.3%。",
        "71.3%",
        "利税",
        "share",
        {},
    ),
    (
        "counted thing after the counter",
        "我国签署119个政府间科技合作协定。",
        "119个",
        "政府间科技合作协定",
        "level",
        {},
    ),
    (
        "region, year and filler stripped",
        "截至2023年末，浙江省专精特新中小企业达1.2万家。",
        "1.2万家",
        "专精特新中小企业",
        "level",
        {},
    ),
    ("absolute increase is a change", "全市经营主体净增15万户。", "15万户", "经营主体", "change", {}),
    ("multiple", "新能源汽车产量增长2倍。", "2倍", "新能源汽车产量", "multiple", {}),
    ("rank", "浙江省高新技术企业数量居全国第三。", "第三", "高新技术企业数量", "rank", {}),
    (
        "report verb ends nothing",
        "报告显示，数字经济核心产业增加值占GDP比重达到9.9%。",
        "9.9%",
        "数字经济核心产业增加值",
        "share",
        {},
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "number_text", "subject", "measure", "options"), CASES, ids=[c[0] for c in CASES]
)
def test_subject_and_measure(name, text, number_text, subject, measure, options):
    frame = extract_text(text, **options)
    rows = frame[frame["number_text"] == number_text]
    assert len(rows) == 1, f"{name}: {number_text!r} in {list(frame['number_text'])}"
    row = rows.iloc[0]
    assert (row["indicator_subject"], row["measure"]) == (subject, measure), name


@pytest.fixture(scope="module")
def reader():
    return engine()[2].subjects


@pytest.mark.parametrize(
    ("subject", "measure", "base_unit", "want"),
    [
        ("研发经费投入强度", "share", "percent", "rd_intensity_pct"),
        ("R&D经费投入强度", "share", "percent", "rd_intensity_pct"),  # synonym R&D = 研发
        ("研发经费投入强度", "change", "pp", "rd_intensity_change_pp"),  # change_of link
        ("高等学校研发经费", "share", "percent", "higher_ed_share_of_rd_pct"),  # share_id link
        ("全社会研发经费投入强度", "share", "percent", "rd_intensity_pct"),  # harmless prefix
        ("婴儿研发经费投入强度", "share", "percent", None),  # any other modifier: another measure
        ("研发经费投入强度", "level", "CNY", None),  # a yuan amount is not an intensity
        ("完全不在目录里的东西", "level", "count", None),
    ],
)
def test_catalogue_lookup_by_name_and_measure(reader, subject, measure, base_unit, want):
    assert reader.indicator(Subject(subject, measure), base_unit) == want


def test_every_figure_has_a_known_measure_and_other_numbers_none():
    frame = extract_text("2023年12月5日，全省GDP增长5%，第一批企业42家，居全国第3位。")
    for _, row in frame.iterrows():
        if row["kind"] in ("figure", "rank"):
            assert row["measure"] in MEASURES, row["number_text"]
        else:
            assert (row["indicator_subject"], row["measure"]) == ("", ""), row["number_text"]


def test_a_condition_on_the_same_indicator_is_not_a_second_observation():
    """超九成的企业…比重高于95%: the 95% says which firms are counted."""
    frame = extract_text("超九成的企业主营业务收入占营业收入比重高于95%。", default_region="jiangxi")
    by_number = dict(zip(frame["number_text"], frame["indicator_id"], strict=True))
    assert by_number["超九成"] != ""
    assert by_number["高于95%"] == ""


def test_a_figure_whose_own_words_name_something_else_is_not_the_sentence_keywords_figure():
    frame = extract_text("全省研发投入强度2.1%，企业研发人员数量占比25.5%。")
    by_number = dict(zip(frame["number_text"], frame["indicator_id"], strict=True))
    assert by_number["2.1%"] == "rd_intensity_pct"
    assert by_number["25.5%"] != "rd_intensity_pct"
    staff = frame[frame["number_text"] == "25.5%"].iloc[0]
    assert (staff["indicator_subject"], staff["measure"]) == ("企业研发人员数量", "share")


@pytest.mark.parametrize(
    ("text", "number_text", "subject", "phrase"),
    [
        ("利税达到6606亿元，占规上工业比重为71.3%。", "71.3%", "利税", "利税占规上工业比重"),
        ("最终消费支出对经济增长的贡献率达到82.5%。", "82.5%", "最终消费支出", "最终消费支出对经济增长的贡献率"),
        ("一季度地区生产总值增长5%，名义增速全省第一。", "第一", "地区生产总值", "地区生产总值名义增速"),
        ("2022年(截至9月30日)的4955家", "4955家", "", ""),
    ],
)
def test_the_measured_thing_and_all_the_words_that_name_the_figure(text, number_text, subject, phrase):
    row = extract_text(text).set_index("number_text").loc[number_text]
    assert (row["indicator_subject"], row["subject_phrase"]) == (subject, phrase)


def test_a_firm_groups_average_rd_intensity_is_not_the_regions():
    # R&D over revenue of a group of firms, not R&D spending over GDP.
    frame = extract_text("冠军企业平均研发投入强度7.4%。")
    assert frame.loc[frame["number_text"] == "7.4%", "indicator_id"].item() != "rd_intensity_pct"


@pytest.mark.parametrize(
    ("text", "number_text", "subject"),
    [
        ("贡献了6%的营业收入和9.7%的利润。", "6%", "营业收入"),  # up to the next figure
        ("精心打造8条特色餐饮街区。", "8条", "特色餐饮街区"),  # a verb before a count: the counted thing follows
        ("建成1000余处城市公园。", "1000余处", "城市公园"),
        ("有2000多家小巨人企业承担过国家重大科技项目。", "2000多家", "小巨人企业"),
    ],
)
def test_the_counted_thing_after_a_count(text, number_text, subject):
    frame = extract_text(text)
    assert frame.loc[frame["number_text"] == number_text, "indicator_subject"].item() == subject
