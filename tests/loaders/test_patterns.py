"""Generic patterns of Chinese statistical prose, one small named example each.

Each case runs the whole extractor (`extract_text`) on a made-up sentence and checks the
figure it states: value, unit, qualifier, and where the pattern is about mapping, the
indicator, region and year. None of these sentences is from the corpus or the
evaluation set; they are the shapes those texts (and the next ones) are written in.
"""

from __future__ import annotations

import pytest

from loaders.extract import extract_text, map_text

# name, text, number_text, expected fields; options: default_region, publication_year
CASES = [
    (
        "amount with 万亿 scale",
        "2021年,数字经济规模达到3.3万亿元。",
        "3.3万亿元",
        dict(value=3.3, unit="万亿元", scale=1e12, indicator_id="digital_economy_size", year=2021),
        {},
    ),
    (
        "large amount in 亿元",
        "2023年全年国内生产总值(GDP)1260582亿元。",
        "1260582亿元",
        dict(value=1260582, unit="亿元", scale=1e8, indicator_id="gdp", region_id="china", year=2023),
        {},
    ),
    (
        "bare 千 after a qualifier is a threshold",
        "2022年研发经费投入超千亿元的省(市)有12个。",
        "超千亿元",
        dict(
            value=1000,
            unit="亿元",
            qualifier="more_than",
            indicator_id="rd_spending_province_threshold",
            region_id="china",
        ),
        {},
    ),
    (
        "count of provinces over a threshold",
        "2022年研发经费投入超千亿元的省(市)有12个。",
        "12个",
        dict(value=12, unit="个", indicator_id="provinces_rd_over_100bn_count", region_id="china", year=2022),
        {},
    ),
    (
        "growth of the figure before it",
        "2021年,数字产业化规模为8.35万亿元,同比名义增长11.9%。",
        "11.9%",
        dict(value=11.9, unit="%", indicator_id="digital_industrialisation_growth_pct", year=2021),
        {},
    ),
    (
        "同比增长 after a level",
        "2024年,全省高新技术产业增加值为1.24万亿元,同比增长8.1%。",
        "8.1%",
        dict(value=8.1, indicator_id="hitech_industry_va_growth_pct", region_id="zhejiang", year=2024),
        dict(default_region="zhejiang", publication_year=2025),  # (in 2024 the year was not over)
    ),
    (
        "a year-to-date growth is not the year's growth (period months_to_date, left unmapped)",
        "1—10月,全省高新技术产业增加值为1.24万亿元,同比增长8.1%。",
        "8.1%",
        dict(value=8.1, indicator_id="", period_kind="months_to_date", reason="period_months_to_date"),
        dict(default_region="zhejiang", publication_year=2024),
    ),
    (
        "year-to-date level has its own indicator",
        "1—10月,全省高新技术产业增加值为1.24万亿元,同比增长8.1%。",
        "1.24万亿元",
        dict(indicator_id="hitech_industry_va_ytd", year=2024),
        dict(default_region="zhejiang", publication_year=2024),
    ),
    (
        "decrease kept as stated",
        "2023年城镇调查失业率平均值比上年下降0.4个百分点。",
        "0.4个百分点",
        dict(value=0.4, unit="个百分点", indicator_id="urban_unemployment_rate_change_pp", year=2023),
        {},
    ),
    ("negative value", "2023年人口自然增长率为-0.86‰。", "-0.86‰", dict(value=-0.86, unit="‰"), {}),
    (
        "rank 第10位",
        "2022年江西省地区生产总值全国排名第10位。",
        "第10位",
        dict(value=10, kind="rank", indicator_id="gdp_national_rank", region_id="jiangxi", year=2022),
        {},
    ),
    ("rank 排名第8名", "该市综合实力排名第8名。", "第8名", dict(value=8, kind="rank"), {}),
    (
        "rank from the bottom",
        "2022年萍乡市GDP名义增速全省倒数第一。",
        "倒数第一",
        dict(
            value=1,
            kind="rank",
            base_unit="rank_from_bottom",
            region_id="pingxiang",
            indicator_id="gdp_nominal_growth_provincial_rank_from_bottom",
        ),
        {},
    ),
    (
        "rank field is not the subject",
        "2022年,南昌地区生产总值突破7000亿元,稳居江西省第一位。",
        "第一位",
        dict(value=1, region_id="nanchang", indicator_id="gdp_provincial_rank", year=2022),
        {},
    ),
    (
        "multiple 倍 of the figure before it",
        "全省高新技术产业产值从2006年的0.57万亿元增加至2023年的6.87万亿元,增长了11倍。",
        "11倍",
        dict(value=11, unit="倍", indicator_id="hitech_industry_output_growth_times", year=2023),
        dict(default_region="zhejiang"),
    ),
    (
        "paired values 42家和37家",
        "2023年,全省有专精特新中小企业420家和“小巨人”企业37家。",
        "37家",
        dict(value=37, indicator_id="little_giants_count", region_id="jiangxi", year=2023),
        dict(default_region="jiangxi"),
    ),
    (
        "listed values with 分别为",
        "2023年,南昌、赣州、九江的高新技术企业分别为61家、53家、44家。",
        "44家",
        dict(value=44, indicator_id="hitech_enterprises_count", region_id="jiujiang", year=2023),
        {},
    ),
    (
        "from-side keeps its year",
        "全省研发经费由2019年的90亿元增至150亿元。",
        "90亿元",
        dict(value=90, indicator_id="rd_spending", year=2019),
        dict(publication_year=2024),
    ),
    (
        "to-side without a year is the text's own time",
        "全省研发经费由2019年的90亿元增至150亿元。",
        "150亿元",
        dict(value=150, indicator_id="rd_spending", year=2024),
        dict(publication_year=2024),
    ),
    ("Chinese-numeral count", "共有十二个省份参与。", "十二个", dict(value=12, unit="个"), {}),
    ("threshold 不低于", "比重不低于10%。", "不低于10%", dict(value=10, qualifier="at_least"), {}),
    ("threshold 分以上", "得分80分以上。", "80分以上", dict(value=80, unit="分", qualifier="at_least"), {}),
    ("range 80%—90%, lower end", "均占全省的80%—90%。", "80%", dict(value=80, qualifier="at_least"), {}),
    ("range 80%—90%, upper end", "均占全省的80%—90%。", "90%", dict(value=90, qualifier="at_most"), {}),
    (
        "去年 is the publication year minus one",
        "去年全国研发经费投入33278.2亿元。",
        "33278.2亿元",
        dict(indicator_id="rd_spending", year=2022),
        dict(publication_year=2023),
    ),
    (
        "比2022年 is a comparison base, not the year",
        "2023年我国GDP超过126万亿元,增速比2022年加快2.2个百分点。",
        "2.2个百分点",
        dict(indicator_id="gdp_growth_change_pp", year=2023),
        {},
    ),
    (
        "2012年以来…年均 ends at the text's time",
        "2012年以来我国数字经济年均增速高达15.9%。",
        "15.9%",
        dict(indicator_id="digital_economy_growth_avg_pct", year=2022),
        dict(publication_year=2022),
    ),
    (
        "quarter has its own indicator",
        "2023年一季度国内生产总值同比增长4.5%,二季度增长6.3%。",
        "6.3%",
        dict(indicator_id="gdp_growth_q2_pct", year=2023),
        {},
    ),
    (
        "dateline city is not the region",
        "本报北京1月17日电 国家统计局公布:2023年全年国内生产总值1260582亿元。",
        "1260582亿元",
        dict(region_id="china", indicator_id="gdp"),
        {},
    ),
    (
        "yardstick region is not the subject",
        "2022年全省GDP同比增长4.7%。高出全国平均水平1.7个百分点。",
        "1.7个百分点",
        dict(region_id="jiangxi", indicator_id="gdp_growth_gap_vs_national_pp", year=2022),
        dict(default_region="jiangxi"),
    ),
    (
        "share of the province's GDP",
        "2022年南昌在全省GDP占比22.46%。",
        "22.46%",
        dict(region_id="nanchang", indicator_id="gdp_share_of_province_pct", year=2022),
        {},
    ),
    (
        "absolute change of the figure before it",
        "2022年末全省常住人口4527.98万人,比上年末增加10.58万人,增长0.23%。",
        "10.58万人",
        dict(value=10.58, unit="万人", indicator_id="resident_population_change", year=2022),
        {},
    ),
    (
        "ratio of the three sectors",
        "2022年全市三次产业结构调整为3.5:38.2:58.3。",
        "38.2",
        dict(value=38.2, kind="figure", indicator_id="secondary_va_share_pct", year=2022),
        {},
    ),
    (
        "list of sector growth rates by position",
        "2021年第一、二、三产业增加值分别增长3.1%、4.5%和5.2%。",
        "5.2%",
        dict(value=5.2, indicator_id="tertiary_va_growth_pct", year=2021),
        {},
    ),
    (
        "翻番 is a doubling",
        "2020年全省出口额比2015年翻了一番。",
        "翻了一番",
        dict(value=2, unit="倍", base_unit="times", qualifier="exact"),
        {},
    ),
    (
        "接近翻番 is nearly a doubling",
        "全省高新技术企业数量五年间接近翻番。",
        "接近翻番",
        dict(value=2, unit="倍", qualifier="nearly"),
        {},
    ),
    (
        "半数 is fifty percent",
        "调查显示超过半数的企业增加了研发投入。",
        "超过半数",
        dict(value=50, unit="%", base_unit="percent", qualifier="more_than"),
        {},
    ),
    (
        "Chinese-numeral money",
        "2023年全国研发经费投入突破三万亿元。",
        "突破三万亿元",
        dict(value=3, unit="万亿元", scale=1e12, qualifier="more_than", indicator_id="rd_spending", year=2023),
        {},
    ),
    (
        "index value without a unit",
        "2023年全省科技成果转化总指数为158.4。",
        "158.4",
        dict(value=158.4, unit="", indicator_id="tech_transfer_index", year=2023),
        {},
    ),
    (
        "bracketed value of a compared year",
        "2023年县域平均科技成果转化指数为70.5,较2022年(66.1)提高4.4。",
        "66.1",
        dict(indicator_id="tech_transfer_index_county_avg", year=2022),
        {},
    ),
    (
        "change after a bracketed base is of the stated year",
        "2023年县域平均科技成果转化指数为70.5,较2022年(66.1)提高4.4。",
        "4.4",
        dict(indicator_id="tech_transfer_index_county_avg_change", year=2023),
        {},
    ),
    (
        "headline amount before a colon is not a time",
        "地区生产总值突破5万亿元:经济实力再上台阶",
        "突破5万亿元",
        dict(value=5, unit="万亿元", kind="figure", indicator_id="gdp"),
        dict(publication_year=2024),
    ),
    (
        "shares of men and women in order",
        "2022年末男性人口3100万人,女性人口2900万人,分别占总人口的51.7%和48.3%。",
        "48.3%",
        dict(indicator_id="female_population_share_pct", year=2022),
        {},
    ),
    (
        "birth rate in permille",
        "2022年全年出生人口40万人,出生率为6.1‰。",
        "6.1‰",
        dict(value=6.1, unit="‰", indicator_id="birth_rate_permille", year=2022),
        {},
    ),
    (
        "infant mortality is not the death rate",
        "2022年婴儿死亡率为4.5‰。",
        "4.5‰",
        dict(indicator_id=""),
        {},
    ),
    (
        "patents per 10,000 people are a density, not a count",
        "2022年每万人口发明专利拥有量达到12.5件。",
        "12.5件",
        dict(indicator_id="invention_patents_per_10k"),
        {},
    ),
    (
        "new urban jobs",
        "2023年全国城镇新增就业1200万人,城镇调查失业率平均为5.1%。",
        "1200万人",
        dict(value=1200, unit="万人", indicator_id="new_urban_jobs", region_id="china", year=2023),
        {},
    ),
    (
        "listed companies by board",
        "截至2022年底,科创板上市公司500家。",
        "500家",
        dict(indicator_id="star_market_listed_count", year=2022),
        {},
    ),
    (
        "a figure without an indicator still has a region and a year",
        "2023年,浙江省共建成未来工厂72个。",
        "72个",
        dict(indicator_id="", region_id="zhejiang", region_basis="stated", year=2023, year_basis="stated"),
        {},
    ),
    (
        "(R&D)经费 as written in the communiqués, and its increase",
        "2022年,全国共投入研究与试验发展(R&D)经费30782.9亿元,比上年增加2826.3亿元。",
        "2826.3亿元",
        dict(indicator_id="rd_spending_increase", region_id="china", year=2022),
        {},
    ),
    (
        "an ordinal inside a name (第一产业) is part of the figure's words",
        "2023年全年第一产业增加值89755亿元。",
        "89755亿元",
        dict(indicator_id="primary_va", region_id="china", year=2023),
        {},
    ),
    (
        "growth after a level of a part of R&D spending",
        "2022年,全国基础研究经费2023.5亿元,比上年增长11.4%。",
        "11.4%",
        dict(indicator_id="basic_research_spending_growth_pct", year=2022),
        {},
    ),
    (
        "shares of the three R&D activities, by position",
        "2022年基础研究、应用研究和试验发展经费所占比重分别为6.57%、11.31%和82.12%。",
        "11.31%",
        dict(indicator_id="applied_research_share_pct", year=2022),
        {},
    ),
    (
        "shares of the three R&D performers, by position",
        "2022年企业、政府属研究机构、高等学校经费所占比重分别为77.6%、12.4%和7.8%。",
        "7.8%",
        dict(indicator_id="higher_ed_share_of_rd_pct", year=2022),
        {},
    ),
    (
        "average growth over a period (年均增长)",
        "2016—2020年,我国R&D经费年均增长11.8%。",
        "11.8%",
        dict(indicator_id="rd_spending_growth_avg_pct", year=2020, year_basis="range_end"),
        {},
    ),
    (
        "相当于美国的: the United States is the yardstick, not the subject",
        "2022年我国R&D经费相当于美国的54%。",
        "54%",
        dict(indicator_id="rd_spending_relative_to_us_pct", region_id="china"),
        {},
    ),
    (
        "share of GDP in the clause after the level",
        "2023年,浙江省数字经济核心产业增加值9867亿元,占GDP比重为11.4%。",
        "11.4%",
        dict(indicator_id="digital_economy_share_pct", region_id="zhejiang", year=2023),
        {},
    ),
    (
        "share of a part named earlier in the sentence (占…的比重)",
        "2023年,数字产品制造业增加值2600亿元,占数字经济核心产业增加值的比重为26.3%。",
        "26.3%",
        dict(indicator_id="digital_product_manufacturing_share_pct", year=2023),
        {},
    ),
    (
        "a class defined by a threshold: the threshold",
        "2021年,“小巨人”企业超过百家的城市有12个。",
        "超过百家",
        dict(value=100, qualifier="more_than", indicator_id="little_giants_city_count_threshold", region_id="china"),
        {},
    ),
    (
        "a class defined by a threshold: the count of its members",
        "2023年,GDP超万亿元的城市有26个。",
        "26个",
        dict(indicator_id="trillion_gdp_cities_count", region_id="china", year=2023),
        {},
    ),
    (
        "the group against the whole (高于求职者整体的)",
        "2023年,流动人才中男性占比58.1%,高于求职者整体的52.4%。",
        "52.4%",
        dict(indicator_id="job_seekers_male_share_pct", year=2023),
        {},
    ),
    (
        "a rank within a macro-region (中西部第1位) is ranked in that field",
        "2023年全省营商环境评价居全国第3位、中西部第1位。",
        "第3位",
        dict(indicator_id="business_environment_national_rank", region_id="hunan", year=2023),
        {"default_region": "hunan"},
    ),
    (
        "a rank within a macro-region, the second rank",
        "2023年全省营商环境评价居全国第3位、中西部第1位。",
        "第1位",
        dict(indicator_id="business_environment_central_western_rank", region_id="hunan", year=2023),
        {"default_region": "hunan"},
    ),
    (
        "入选全球…50强: the list's scope is not the region described",
        "2023年,入选全球工程机械50强的企业有5家。",
        "5家",
        dict(indicator_id="construction_machinery_global_top50_firms_count", region_id="hunan", year=2023),
        {"default_region": "hunan"},
    ),
    (
        "businesses counted in 户",
        "2023年末,全省实有经营主体635万户,净增50.2万户。",
        "50.2万户",
        dict(value=50.2, unit="万户", indicator_id="market_entities_net_increase", region_id="hunan", year=2023),
        {"default_region": "hunan"},
    ),
    (
        "a target in the list of a work report's 主要预期目标",
        "今年主要预期目标是:地区生产总值增长6%左右;城镇新增就业70万人以上。",
        "70万人以上",
        dict(indicator_id="new_urban_jobs_target", qualifier="at_least", year=2024),
        {"publication_year": 2024},
    ),
    (
        "a year stated many sentences back still dates a figure of its section",
        "2022年,全省经济运行总体平稳。" + "改革持续深化。" * 8 + "地区生产总值5.2万亿元。",
        "5.2万亿元",
        dict(indicator_id="gdp", region_id="hunan", year=2022, year_basis="context"),
        {"default_region": "hunan", "publication_year": 2024},
    ),
    (
        "a section heading ends the reach of a year stated before it",
        "2022年,全省经济运行总体平稳。\n二、工业\n地区生产总值5.2万亿元。",
        "5.2万亿元",
        dict(indicator_id="gdp", year=2024, year_basis="unstated"),
        {"default_region": "hunan", "publication_year": 2024},
    ),
    (
        "the year a report's first sentence opens with dates the figures of its sections",
        "2024年,全市经济承压稳进。\n一、综合\n全年全市地区生产总值2458.8亿元。",
        "2458.8亿元",
        dict(indicator_id="gdp", year=2024, year_basis="lead"),
        {"default_region": "hunan", "publication_year": 2025, "publication_month": 4},
    ),
    (
        "a dateline's year (2024年4月1日) is not the year a report opens with",
        "以科技创新赋能新质生产力\n2024年4月1日 星期一\n一、综合\n地区生产总值5.2万亿元。",
        "5.2万亿元",
        dict(indicator_id="gdp", year=2025, year_basis="unstated"),
        {"default_region": "hunan", "publication_year": 2025, "publication_month": 4},
    ),
    (
        "last year's figure a change starts from (由去年同期的) is not the year the text is on",
        "截至6月底,我省发明专利拥有量112497件,占比由去年同期的53.1%上升至55.2%。",
        "112497件",
        dict(indicator_id="invention_patents_count", year=2024, year_basis="unstated"),
        {"default_region": "hunan", "publication_year": 2024, "publication_month": 8},
    ),
    (
        "news that opens with its day dates a figure before a look back to its own time",
        "7月14日,省经信厅公示名单。成都累计培育专精特新中小企业1647家。2022年,这些企业营业收入增长12.5%。",
        "1647家",
        dict(indicator_id="specialised_smes_count", year=2023, year_basis="unstated"),
        {"default_region": "chengdu", "publication_year": 2023, "publication_month": 7},
    ),
    (
        "a rank among the autonomous region's places (全区第一) is a rank",
        "2023年,南宁市工业投资总量位居全区第一。",
        "第一",
        dict(kind="rank", region_id="nanning", year=2023),
        {"default_region": "nanning", "publication_year": 2024},
    ),
    (
        "家 counts the zones an indicator counts with 个",
        "2021年,河南国家级高新区增加到9家。",
        "9家",
        dict(indicator_id="national_hitech_zones_count", region_id="henan", year=2021),
        {"default_region": "henan", "publication_year": 2022},
    ),
    (
        "个 does not count firms: 五个梯次 are tiers, not champion firms",
        "2025年,构建制造业单项冠军五个梯次。",
        "五个",
        dict(indicator_id=""),
        {"default_region": "xianning", "publication_year": 2025},
    ),
    (
        "a share of R&D spending that names no whole is R&D intensity",
        "2024年,全社会研究与试验发展(R&D)经费支出占比突破3.3%。",
        "突破3.3%",
        dict(indicator_id="rd_intensity_pct", region_id="jiangsu", year=2024),
        {"default_region": "jiangsu", "publication_year": 2025},
    ),
    (
        "a share of a part of R&D spending that names no whole is not R&D intensity",
        "2024年,企业研发经费占比80%。",
        "80%",
        dict(indicator_id="enterprise_share_of_rd_pct"),
        {"default_region": "jiangsu", "publication_year": 2025},
    ),
    (
        "listed years before 分别 date the listed figures one by one",
        "2020年、2021年、2022年,陕西技术合同成交额分别为1533.66亿元、2343.44亿元、3053.5亿元。",
        "2343.44亿元",
        dict(indicator_id="tech_contract_turnover", region_id="shaanxi", year=2021, year_basis="range_item"),
        {"default_region": "shaanxi", "publication_year": 2023},
    ),
    (
        "全省 in a text on a city is the city's province",
        "2023年,全省共有109家企业新入围第五批专精特新“小巨人”企业名单。",
        "109家",
        dict(indicator_id="little_giants_batch_count", region_id="sichuan", year=2023),
        {"default_region": "chengdu", "publication_year": 2023},
    ),
    (
        "省级 in a text on a county names a class, not the province",
        "2023年,新增省级专精特新企业12家。",
        "12家",
        dict(region_id="chengdu"),
        {"default_region": "chengdu", "publication_year": 2024},
    ),
    (
        "last year's value in a change (由去年同期的) does not date the next sentence",
        "1至6月,发明专利授权11941件,占比由去年同期的24.9%上升至33.85%。实用新型专利授权17044件。",
        "17044件",
        dict(year=2024),
        {"default_region": "hunan", "publication_year": 2024, "publication_month": 8},
    ),
    (
        "城乡居民…分别 gives the first figure to town dwellers",
        "2024年,城乡居民人均可支配收入分别增长5%和7.5%左右。",
        "5%",
        dict(indicator_id="urban_disposable_income_per_capita_growth_pct"),
        {"default_region": "chifeng", "publication_year": 2025},
    ),
    (
        "城乡居民…分别 gives the second figure to country dwellers",
        "2024年,城乡居民人均可支配收入分别增长5%和7.5%左右。",
        "7.5%左右",
        dict(indicator_id="rural_disposable_income_per_capita_growth_pct"),
        {"default_region": "chifeng", "publication_year": 2025},
    ),
    (
        "the k-th change after 分别 is the change of the k-th figure before its clause",
        "2021年,全省共登记技术合同16320项,成交金额2143959.69万元,较上一年分别增长49.14%和16.61%。",
        "16.61%",
        dict(indicator_id="tech_contract_turnover_growth_pct", year=2021),
        {"default_region": "fujian", "publication_year": 2022},
    ),
    (
        "a headline year dates figures that state no year nearer",
        "某市2020年国民经济和社会发展统计公报\n全市经济平稳。\n一、综合\n地区生产总值500亿元。",
        "500亿元",
        dict(indicator_id="gdp", year=2020, year_basis="headline"),
        {"publication_year": 2022},
    ),
]


def _row(text: str, number_text: str, options: dict) -> dict:
    # a made-up sentence is read as from a national source unless its case names another
    # (the country default alone is no evidence of a region: kind.yaml confidence)
    frame = extract_text(text, **{"default_region": "china", **options})
    rows = [r for r in frame.to_dict("records") if r["number_text"] == number_text]
    assert len(rows) == 1, f"{number_text!r} in {list(frame['number_text'])}"
    return rows[0]


@pytest.mark.parametrize(("name", "text", "number_text", "expected", "options"), CASES, ids=[c[0] for c in CASES])
def test_pattern(name, text, number_text, expected, options):
    row = _row(text, number_text, options)
    for key, want in expected.items():
        got = row[key]
        if isinstance(want, float | int) and key != "year":
            assert got == pytest.approx(want), f"{name}: {key} {got!r} != {want!r}"
        else:
            assert got == want, f"{name}: {key} {got!r} != {want!r}"
    assert text[row["number_start"] : row["number_end"]] == number_text


ASPIRATIONS = [
    ("早日突破", "让南昌GDP早日突破1万亿元大关。", "突破1万亿元"),
    ("力争", "力争2025年研发经费投入强度达到2.8%。", "2.8%"),
]


@pytest.mark.parametrize(("name", "text", "number_text"), ASPIRATIONS, ids=[a[0] for a in ASPIRATIONS])
def test_targets_are_not_observations(name, text, number_text):
    row = _row(text, number_text, {"publication_year": 2023})
    assert row["indicator_id"] == "", name
    assert row["reason"] == "target, not a measurement"


@pytest.mark.parametrize("text", ["时间 : 2023-09-19 08:41:11 来源", "1—10月,全省", "发布时间 09:30"])
def test_timestamps_and_month_ranges_are_dates(text):
    frame = extract_text(text)
    assert set(frame["kind"]) <= {"date", "time", "year"}, list(zip(frame["number_text"], frame["kind"], strict=True))


def test_businesses_counted_in_hu_are_published_as_enterprises():
    """户 counts businesses as well as households: the observation takes the indicator's base unit."""
    from loaders.extract import observations_from_text

    obs, _ = observations_from_text(
        "2023年末,全省实有经营主体635万户。", "t", default_region="hunan", publication_year=2024
    )
    assert [(o["indicator_id"], o["base_unit"], o["value_base"]) for o in obs] == [
        ("market_entities_count", "enterprises", 635e4)
    ]


# Regions and years decided by the shape of the sentence (lists, rank lists, reviews).
SHAPES = [
    (
        "regions listed before the figures, no 分别",
        "山东、江苏、浙江以22家、18家、13家位列前三。",
        {"22家": "shandong", "18家": "jiangsu", "13家": "zhejiang"},
        "region_id",
        {},
    ),
    ("均 after two regions: the first", "辽宁和山西均上升5位。", {"5位": "liaoning"}, "region_id", {}),
    (
        "second rank of a rank list",
        "宁波、深圳分别以182家、170家排名第三、第四。",
        {"第四": "shenzhen"},
        "region_id",
        {},
    ),
    (
        "a yardstick region after 超越 is not the subject",
        "成都超越南京上升至第六。",
        {"第六": "chengdu"},
        "region_id",
        {},
    ),
    ("a market is not the subject", "产品进入欧盟市场，出口增长12%。", {"12%": "china"}, "region_id", {}),
    (
        "a region in brackets is a note on a list item",
        "江苏、广东(含深圳)、浙江分别为711家、561家和400家。",
        {"561家": "guangdong", "400家": "zhejiang"},
        "region_id",
        {},
    ),
    (
        "a list closing the clause before 分别",
        "省份上，江苏、广东(含深圳)、浙江占据前三，分别为711家、561家和400家。",
        {"711家": "jiangsu", "561家": "guangdong", "400家": "zhejiang"},
        "region_id",
        {},
    ),
    (
        "仅次于 names a yardstick",
        "深圳企业总数达到1040家，仅次于北京，位居全国第二。",
        {"第二": "shenzhen"},
        "region_id",
        {"default_region": "shenzhen"},
    ),
    ("a field before 位居 is not the region", "安徽进出口总值在全国位居第9位。", {"第9位": "anhui"}, "region_id", {}),
    ("a rank within a macro-region", "陕西研发经费投入强度西部第一。", {"第一": "shaanxi"}, "region_id", {}),
    (
        "自…以来 with words between opens a span, not a year",
        "自2019年启动培育计划以来，成效显著。本月初，共有3012家企业上榜。",
        {"3012家": 2024},
        "year",
        {"publication_year": 2024},
    ),
    ("a city name is not read into 市场", "吉林市场主体达到300万户。", {"300万户": "jilin"}, "region_id", {}),
    (
        "any prefecture-level city is a region",
        "宿州市规模以上工业增加值增长8%。",
        {"8%": "suzhou_anhui"},
        "region_id",
        {},
    ),
    (
        "a work report reviews the year before",
        "政府工作报告指出，全省地区生产总值增长6%。",
        {"6%": 2023},
        "year",
        {"publication_year": 2024},
    ),
]


@pytest.mark.parametrize(("name", "text", "want", "field", "options"), SHAPES, ids=[s[0] for s in SHAPES])
def test_sentence_shapes(name, text, want, field, options):
    frame = extract_text(text, **options)
    got = {n: frame.loc[frame["number_text"] == n, field].tolist() for n in want}
    assert got == {n: [v] for n, v in want.items()}, name


def test_a_count_before_强_is_not_a_year():
    frame = extract_text("524家企业进入全球工业研发投入2000强。")
    assert frame.loc[frame["number_text"].str.startswith("2000"), "kind"].tolist() == ["figure"]


@pytest.mark.parametrize(
    ("text", "derived"),
    [
        ("2023年研发经费投入强度为2.64%，比上年提高0.08个百分点。", [(2022, 2.56)]),
        ("2023年研发经费投入强度为2.64%，比2020年提高0.24个百分点。", [(2020, 2.40)]),
        ("2023年研发经费投入强度为2.64%，较“十三五”末提高0.24个百分点。", []),  # no year to put it in
    ],
    ids=["previous year", "a stated year", "a plan period"],
)
def test_a_stated_change_gives_the_value_of_the_year_it_is_measured_from(text, derived):
    from loaders.extract import observations_from_text

    observations, _ = observations_from_text(text, "t", default_region="china", publication_year=2024)
    got = [(o["year"], round(o["value"], 2)) for o in observations if o["derived"]]
    assert got == derived


def test_numbers_inside_web_addresses_dois_and_e_mail_are_names():
    text = "见 https://doi.org/10.12677/wer.2025.141005 或 www.stats.gov.cn/2024/t1.html，邮箱 ab12@qq.com。全省GDP增长5%。"
    frame = extract_text(text)
    kinds = dict(zip(frame["number_text"], frame["kind"], strict=False))
    assert kinds.pop("5%") == "figure"
    assert set(kinds.values()) == {"code"}, kinds


@pytest.mark.parametrize(
    ("name", "text", "number_text", "field", "want", "options"),
    [
        (
            "one year of a range per listed figure",
            "2022年至2025年，新增企业数量逐年上升，分别为39家、55家、84家。",
            "55家",
            "year",
            None,
            {},
        ),  # three figures for four years: no year per item
        (
            "one year of a range per listed figure, as many as years",
            "2022年至2024年，新增企业数量逐年上升，分别为39家、55家、84家。",
            "55家",
            "year",
            2023,
            {},
        ),
        (
            "与去年同期相比 is a comparison, not a year",
            "2021年，全市城镇新增就业50801人，与去年同期相比增长20.61%。",
            "20.61%",
            "year",
            2021,
            {"publication_year": 2021},
        ),
        ("a fraction in words", "专精特新企业占全市规上工业企业的三分之一。", "三分之一", "value", 33.33, {}),
        ("几乎翻倍", "出口几乎翻倍。", "几乎翻倍", "qualifier", "nearly", {}),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) > 12 else None,
)
def test_years_and_words_of_figures(name, text, number_text, field, want, options):
    row = _row(text, number_text, options)
    got = row[field]
    if want is None:
        assert got != 2023 and row["year_basis"] != "range_item", name
    elif isinstance(want, float):
        assert got == pytest.approx(want), name
    else:
        assert got == want, name


def test_the_first_largest_is_a_rank():
    row = _row("我国连续8年保持货物贸易第一大国地位。", "第一", {})
    assert (row["kind"], row["value"]) == ("rank", 1)


def test_figures_under_a_heading_of_targets_are_targets():
    text = "■ 2024年成绩单\n●地区生产总值增长5.8%\n■ 2025年经济社会发展的主要预期目标\n●经济增长6%左右\n●城镇新增就业70万人以上\n"
    frame = extract_text(text, default_region="hubei", publication_year=2025)
    reasons = dict(zip(frame["number_text"], frame["reason"], strict=False))
    assert frame.loc[frame["number_text"] == "5.8%", "indicator_id"].item() == "gdp_growth_pct"
    assert reasons["6%左右"] == reasons["70万人以上"] == "target, not a measurement"


def test_a_decade_review_dates_its_undated_figures_to_the_last_full_year():
    row = _row("十年来，全省经济总量占全国的5%。", "5%", {"publication_year": 2022, "default_region": "henan"})
    assert (row["year"], row["year_basis"]) == (2021, "review_year")
    # the cue's numeral written in digits (mapping._cues_with_digits)
    row = _row("10年来研发投入年均增长15.9%。", "15.9%", {"publication_year": 2021, "default_region": "chongqing"})
    assert (row["year"], row["year_basis"]) == (2020, "review_year")


def test_a_multiple_of_a_stated_year_is_not_of_that_year():
    row = _row("2021年货物进出口总值8208亿元，是2012年的2.3倍。", "2.3倍", {})
    assert row["year"] == 2021


@pytest.mark.parametrize(
    ("month", "year", "basis"), [(2, 2023, "last_full_year"), (3, 2023, "last_full_year"), (6, 2024, "unstated")]
)
def test_an_undated_figure_published_early_in_the_year_is_last_years(month, year, basis):
    # Communiqués and work reports come out in January-March with last year's results.
    text = "一、综合\n全年实现地区生产总值92068.7亿元，比上年增长6.0%。"
    options = {"publication_year": 2024, "publication_month": month, "default_region": "shandong"}
    for number_text in ("92068.7亿元", "6.0%"):
        row = _row(text, number_text, options)
        assert (row["year"], row["year_basis"]) == (year, basis), number_text


def test_a_stated_year_beats_the_season_of_publication():
    row = _row("2024年一季度，地区生产总值增长5.2%。", "5.2%", {"publication_year": 2024, "publication_month": 3})
    assert (row["year"], row["year_basis"]) == (2024, "stated")


def test_a_whole_year_in_a_text_of_unknown_month_is_last_year():
    # a communiqué whose copy gives only the year it came out: 全年 is over, so it is last year's
    text = "一、综合\n全年实现地区生产总值4502.13亿元，比上年增长4.1%。"
    row = _row(text, "4502.13亿元", {"publication_year": 2023, "default_region": "wuhu"})
    assert (row["year"], row["year_basis"]) == (2022, "last_full_year")
    row = _row("新认定企业42家。", "42家", {"publication_year": 2023})
    assert row["year"] == 2023  # no 全年: nothing says the year is over


def test_months_of_this_year_already_over_are_this_years():
    text = "国家统计局18日公布，1-2月份，规模以上工业增加值同比增长7.0%，比上年12月份加快0.2个百分点。"
    for month, year in ((3, 2024), (2, 2023)):
        row = _row(text, "7.0%", {"publication_year": 2024, "publication_month": month})
        assert row["year"] == year, month


def test_a_year_in_chinese_digits_dates_a_report_and_its_words_for_this_year():
    text = "嵩明县二O二三年国民经济和社会发展统计公报\n本年新登记市场主体9980户，其中私营企业2568户。"
    frame = extract_text(text, publication_year=2024)
    assert frame.loc[frame["number_text"] == "二O二三年", "kind"].item() == "year"
    assert "23" not in set(frame["number_text"])  # not 二 and 二三年
    assert frame.loc[frame["number_text"] == "2568户", "year"].item() == 2023  # 本年 of a report on 2023


def test_last_year_in_a_report_on_last_year_is_the_year_before_it():
    text = "2023年，全县经济平稳。全县三次产业结构由上年的14.9:33.2:51.9调整为15.3:31.3:53.4。粮食产量54300吨，与上年基本持平。"
    frame = extract_text(text, publication_year=2024)
    years = dict(zip(frame["number_text"], frame["year"], strict=False))
    assert (years["14.9"], years["53.4"], years["54300吨"]) == (2022, 2023, 2023)


@pytest.mark.parametrize("text", ["三次产业比达到38.8:19.3:41.9。", "三次产业结构比例为:15.5:24.7:59.8。"])
def test_the_sector_words_alone_name_a_three_sector_ratio(text):
    frame = extract_text(text)
    assert list(frame.loc[frame["kind"] == "figure", "indicator_id"]) == [
        "primary_va_share_pct",
        "secondary_va_share_pct",
        "tertiary_va_share_pct",
    ]


def test_items_listed_before_fenbie_are_the_subjects_of_the_figures_in_turn():
    text = "装备制造业、冶金工业、农产品加工业增加值分别增长4.5%、7.2%、4.4%。货物贸易、服务贸易分别增长15.3%、29.6%。"
    frame = extract_text(text)
    subjects = dict(zip(frame["number_text"], frame["indicator_subject"], strict=False))
    assert [subjects[n] for n in ("4.5%", "7.2%", "4.4%", "15.3%", "29.6%")] == [
        "装备制造业",
        "冶金工业",
        "农产品加工业增加值",
        "货物贸易",
        "服务贸易",
    ]
    phrases = dict(zip(frame["number_text"], frame["subject_phrase"], strict=False))
    assert phrases["4.5%"] == "装备制造业增加值"  # the tail only the last item says is shared
    # places listed before 分别 are regions, not subjects
    frame = extract_text("宁波、深圳分别以182家、170家排名第三、第四。")
    regions = dict(zip(frame["number_text"], frame["region_id"], strict=False))
    assert (regions["182家"], regions["170家"]) == ("ningbo", "shenzhen")


def test_a_keyword_in_one_listed_item_does_not_reach_the_figure_of_another():
    # engine._keyword_of_another_item: 支出 is the second figure's own item, not 财政收入
    frame = extract_text("2024年，全区地方财政收入、支出分别突破300亿元和3000亿元。", default_region="xizang")
    ids = dict(zip(frame["number_text"], frame["indicator_id"], strict=False))
    assert ids["突破300亿元"] == "local_general_budget_revenue"
    assert not ids["3000亿元"]
    # the measured thing, not the verb, is compared: 高新技术企业 still names its own count
    frame = extract_text("全市高新技术企业、科技型中小企业分别达到1200家和3500家。", default_region="xizang")
    ids = dict(zip(frame["number_text"], frame["indicator_id"], strict=False))
    assert (ids["1200家"], ids["3500家"]) == ("hitech_enterprises_count", "tech_smes_count")


def test_a_joint_name_before_fenbie_is_split_between_the_figures():
    # engine._joint_name_split_respectively: with 分别, 5.1% is applied research's share alone
    frame = extract_text("2022年，全省应用研究和试验发展经费所占比重分别为5.1%和90.7%。", default_region="jiangsu")
    ids = dict(zip(frame["number_text"], frame["indicator_id"], strict=False))
    assert (ids["5.1%"], ids["90.7%"]) == ("applied_research_share_pct", "experimental_development_share_pct")


def test_a_value_in_brackets_after_a_place_measures_what_the_figure_before_it_measures():
    text = "全省每万人口发明专利拥有量为18.65件，达到此平均水平以上的只有5个市，分别为青岛(58.99)、济南(48.92)。"
    frame = extract_text(text, publication_year=2023, default_region="shandong")
    rows = frame.set_index("number_text")
    assert rows.loc["18.65件", "indicator_id"] == "invention_patents_per_10k"
    assert list(rows.loc[["58.99", "48.92"], "indicator_id"]) == ["invention_patents_per_10k"] * 2
    assert list(rows.loc[["58.99", "48.92"], "region_id"]) == ["qingdao", "jinan"]
    assert rows.loc["5个", "indicator_id"] == ""  # the count of cities is not what the brackets measure
    # a bracket after words that are not a place is left alone
    frame = extract_text("新认定企业(58家)。", publication_year=2023)
    assert frame.loc[frame["number_text"] == "58家", "rule_id"].item() != "place_bracket"


def test_the_end_of_a_change_in_a_share_is_the_same_share():
    frame = extract_text("其中制造业增加值占GDP比重由35.1%提升至35.4%。", publication_year=2023, default_region="wuhu")
    # both read as the same share; dated the same year they cannot both be right, so neither is
    # published (loaders/trust.py), and the evidence keeps what the mapper proposed
    assert all("withdrawn:manufacturing_va_gdp_share_pct" in e for e in frame["evidence"])
    assert set(frame["reason"]) == {"conflicting_values"}


def test_a_rank_among_provinces_is_not_the_rank_in_the_world():
    text = "全省R&D经费投入强度提升至1.19%，在全国各省区市中位列第23位。"
    frame = extract_text(text, publication_year=2024, default_region="hainan")
    assert frame.loc[frame["number_text"] == "1.19%", "indicator_id"].item() == "rd_intensity_pct"
    assert frame.loc[frame["number_text"] == "第23位", "indicator_id"].item() != "rd_intensity_world_rank"


def test_a_figure_after_a_superlative_place_is_of_the_thing_ranked():
    text = "全省16市中有效发明专利拥有量最多的是青岛，达到59414件。"
    row = _row(text, "59414件", {"publication_year": 2023, "default_region": "shandong"})
    assert (row["indicator_subject"], row["indicator_id"], row["region_id"]) == (
        "有效发明专利拥有量",
        "invention_patents_count",
        "qingdao",
    )


def test_a_growth_after_a_quarters_level_is_the_quarters_growth():
    text = "一季度全省地区生产总值(GDP)14968.97亿元，按不变价格计算，同比增长5.0%。"
    frame = extract_text(text, publication_year=2023, publication_month=4, default_region="henan")
    assert frame.loc[frame["number_text"] == "5.0%", "indicator_id"].item() == "gdp_growth_q1_pct"


def test_the_end_of_a_change_from_last_year_is_the_year_after_it():
    text = "2024年，全区经济平稳。三次产业结构由上年的12.1:14.9:73.0调整为12.0:14.3:73.7。"
    frame = extract_text(text, publication_year=2025)
    years = dict(zip(frame["number_text"], frame["year"], strict=False))
    assert (years["12.1"], years["73.7"]) == (2023, 2024)


def test_a_share_after_a_semicolon_is_of_the_thing_named_before_it():
    text = "2024年，基础研究经费支出为2497亿元，比上年增长10.5%；占研究与试验发展(R&D)经费比重为6.91%，比上年提升0.14个百分点。"
    frame = extract_text(text, publication_year=2025, default_region="china")
    ids = dict(zip(frame["number_text"], frame["indicator_id"], strict=False))
    assert (ids["6.91%"], ids["0.14个百分点"]) == ("basic_research_share_pct", "basic_research_share_change_pp")


@pytest.mark.parametrize(
    ("text", "number_text", "indicator_id"),
    [
        ("我国研究与试验发展(R&D)经费投入强度在世界主要国家中排名第12位。", "第12位", "rd_intensity_world_rank"),
        ("2024年，我国全社会研究与试验发展(R&D)经费保持稳定增长，总量超过3.6万亿元。", "超过3.6万亿元", "rd_spending"),
    ],
)
def test_words_of_place_and_manner_are_not_part_of_a_subject(text, number_text, indicator_id):
    row = _row(text, number_text, {"publication_year": 2025, "default_region": "china"})
    assert row["indicator_id"] == indicator_id


def test_a_keyword_inside_another_indicators_name_does_not_map_to_its_own():
    text = "截至2024年底，全省高价值发明专利拥有量36.77万件。"
    row = _row(text, "36.77万件", {"publication_year": 2025, "default_region": "guangdong"})
    assert row["indicator_id"] != "invention_patents_count"


def test_ten_years_ago_is_not_last_year():
    text = "2021年，安徽区域创新能力由十年前的第15位上升至第8位。"
    frame = extract_text(text, publication_year=2022, default_region="anhui")
    years = dict(zip(frame["number_text"], frame["year"], strict=False))
    assert years["第8位"] == 2021


def test_contributions_of_the_three_sectors_are_not_their_shares():
    text = (
        "一、二、三产业对经济的贡献率分别为4.6%、9.0%和86.3%，三次产业结构由上年的12.1:14.9:73.0调整为12.0:14.3:73.7。"
    )
    frame = extract_text(text, publication_year=2025, default_region="china")
    ids = dict(zip(frame["number_text"], frame["indicator_id"], strict=False))
    assert ids["4.6%"] != "primary_va_share_pct"
    assert ids["12.0"] == "primary_va_share_pct"


def test_listed_periods_date_listed_figures_one_by_one():
    text = "一季度、上半年、前三季度、全年全市GDP分别增长6.7%、6.6%、6.2%、6.0%。"
    frame = extract_text(text, publication_year=2025, publication_month=1, default_region="chongzuo")
    ids = dict(zip(frame["number_text"], frame["indicator_id"], strict=False))
    assert ids["6.7%"] == "gdp_growth_q1_pct"
    # the half and three quarters are not the year's growth; read as such they contradict the
    # year's 6.0%, so no annual growth is published from this sentence (loaders/trust.py)
    assert "gdp_growth_pct" not in (ids["6.6%"], ids["6.2%"], ids["6.0%"])


def test_the_ratio_sign_joins_a_sector_structure_but_a_colon_like_sign_after_words_does_not():
    # the country is the text's stated focus: a default alone would be too weak beside 广东 and 江苏
    frame = extract_text(
        "三次产业结构为7.1∶39.1∶53.8。超过千亿元的省分别为∶广东(4411.9亿元)、江苏(3835.4亿元)。",
        default_region="china",
    )
    ids = dict(zip(frame["number_text"], frame["indicator_id"], strict=False))
    assert [ids["7.1"], ids["39.1"], ids["53.8"]] == [
        "primary_va_share_pct",
        "secondary_va_share_pct",
        "tertiary_va_share_pct",
    ]
    regions = dict(zip(frame["number_text"], frame["region_id"], strict=False))
    assert (regions["4411.9亿元"], regions["3835.4亿元"]) == ("guangdong", "jiangsu")


@pytest.mark.parametrize(
    "text", ["地区生产总值总量连续35年居全国首位。", "经济总量稳居全省首位。", "经济总量位居榜首。"]
)
def test_a_rank_in_a_word(text):
    frame = extract_text(text, default_region="guangdong")
    ranks = frame[frame["kind"] == "rank"]
    assert len(ranks) == 1 and ranks["value"].item() == 1 and ranks["base_unit"].item() == "rank"


def test_first_place_as_a_name_is_not_a_rank():
    frame = extract_text("该市首位度较高，是首位城市。")
    assert not (frame["kind"] == "rank").any()


@pytest.mark.parametrize(
    ("text", "number_text", "indicator_id"),
    [
        ("全社会研发经费支出占GDP比重2.55%。", "2.55%", "rd_intensity_pct"),
        ("全省研发经费支出约4600亿元、占地区生产总值比重达3.39%。", "3.39%", "rd_intensity_pct"),
        ("研发经费支出占营业收入比重达3.39%。", "3.39%", ""),  # a firm's R&D intensity is another measure
    ],
)
def test_a_share_of_gdp_follows_the_catalogue_link(text, number_text, indicator_id):
    assert _row(text, number_text, {"default_region": "guangdong"})["indicator_id"] == indicator_id


def test_regions_after_dui_are_trade_partners_not_the_figures_region():
    text = "宁波对欧盟、美国和东盟的进出口额分别为1347.7亿元、1324.4亿元和812.7亿元。"
    frame = extract_text(text, default_region="ningbo", publication_year=2021)
    figures = frame[frame["number_text"].str.endswith("亿元")]
    assert set(figures["region_id"]) == {"ningbo"}
    # 出口额 inside 进出口额 is not exports; three different totals for one place and year cannot
    # all be its trade total, so none is published (loaders/trust.py)
    assert all("withdrawn:trade_total" in e for e in figures["evidence"])
    assert set(figures["indicator_id"]) == {""}


def test_a_figure_in_brackets_after_a_yardstick_name_is_that_regions():
    text = "我国2.44%的投入强度超过法国(2.35%)、荷兰(2.29%)等创新型国家。"
    frame = extract_text(text)
    regions = dict(zip(frame["number_text"], frame["region_id"], strict=False))
    assert (regions["2.44%"], regions["2.35%"], regions["2.29%"]) == ("china", "france", "netherlands")


def test_a_relative_word_in_an_earlier_clause_beats_a_name_further_back():
    text = "科技集群被评为全球创新指数第二名，全省研发经费支出约4600亿元，区域创新综合能力连续7年全国第一。"
    row = _row(text, "第一", {"default_region": "guangdong"})
    assert (row["region_id"], row["region_basis"]) == ("guangdong", "relative")


@pytest.mark.parametrize(
    ("text", "number_text", "whole_id", "is_whole"),
    [
        ("年末常住人口2280万人，其中城镇常住人口1600万人。", "1600万人", "resident_population", False),
        ("年末常住人口2280万人，其中城镇常住人口1600万人。", "2280万人", "resident_population", True),
        ("全市规模以上工业企业研发经费120亿元。", "120亿元", "rd_spending", False),  # one performer's part
        ("全市全社会研发经费120亿元。", "120亿元", "rd_spending", True),  # a harmless prefix
    ],
)
def test_a_modifier_before_a_keyword_makes_another_measure(text, number_text, whole_id, is_whole):
    got = _row(text, number_text, {"default_region": "chongqing"})["indicator_id"]
    assert (got == whole_id) is is_whole, got


def test_a_bare_scale_word_after_an_amount_in_yuan_is_yuan():
    _, mapped = map_text("全市R&D经费投入总量突破70亿。", default_region="lianyungang")
    figure = next(mp for mp in mapped if mp.mention.text == "突破70亿")
    assert figure.indicator_id == "rd_spending" and any("implied" in n for n in figure.notes)


def test_the_growth_after_an_unmapped_figure_is_not_an_earlier_figures():
    text = "全市R&D经费投入总量突破70亿，规模以上工业企业研发经费60亿元，比上年增长11.0%。"
    assert _row(text, "11.0%", {"default_region": "lianyungang"})["indicator_id"] == ""


def test_a_short_line_without_punctuation_ends_what_comes_before_it():
    text = (
        "初步核算，全年实现地区生产总值92068.7亿元，比上年增长6.0%，经济运行总体回升向好。\n"
        "图1 2019-2023年地区生产总值及其增长速度\n"
        "年末常住人口10122.97万人，比上年末减少40.4万人，常住人口城镇化率为65.53%。\n"
    )
    row = _row(text, "10122.97万人", {"default_region": "shandong", "publication_year": 2024})
    assert row["indicator_id"] == "resident_population"
    assert row["indicator_subject"] == "年末常住人口" or row["indicator_subject"] == "常住人口"
    assert "图1" not in row["quote"]


def test_now_words_date_a_figure_to_the_time_of_writing_even_early_in_the_year():
    options = {"publication_year": 2025, "publication_month": 2, "default_region": "china"}
    row = _row("目前，全国高新技术企业超过46.3万家。", "超过46.3万家", options)
    assert (row["year"], row["year_basis"]) == (2025, "unstated")


def test_a_figure_after_a_measure_abbreviation_is_a_figure_and_a_digit_before_a_letter_is_a_name():
    frame = extract_text("高新技术产业增加值增长10.2%，高于全省GDP5.8个百分点。建成5G基站1.2万个，3D打印机出口增长。")
    kinds = dict(zip(frame["number_text"], frame["kind"], strict=False))
    assert kinds["5.8个百分点"] == "figure"
    assert kinds["5"] == "code" and kinds["3"] == "code"
    assert kinds["1.2万个"] == "figure"


def test_a_verb_rule_does_not_take_a_figure_whose_subject_names_another_indicator():
    row = _row("高新技术产业增加值增长10.2%，高于全省GDP增速5.8个百分点。", "10.2%", {"default_region": "hubei"})
    assert row["indicator_id"] == "hitech_industry_va_growth_pct"


def test_a_broad_word_before_a_market_is_the_market_not_the_region():
    assert _row("VR产品占据全球中高端市场80%份额。", "80%", {"default_region": "weifang"})["region_id"] == "weifang"
    assert _row("全球研发投入2.5万亿美元。", "2.5万亿美元", {"default_region": "weifang"})["region_id"] == "world"


@pytest.mark.parametrize(
    "text", ["进出口总额均居中西部地区首位。", "连续5年居全国地级市首位。", "稳居全省之首。", "北京连续多年占据榜首。"]
)
def test_a_rank_in_a_word_after_a_placing_verb_in_its_clause(text):
    frame = extract_text(text, default_region="hunan")
    assert (frame["kind"] == "rank").sum() == 1


RD2019 = (
    "根据最新公布的统计公报，2019年我国共投入研究与试验发展(R&D)经费总计22143.6亿元。\n"
    "这一数字相比上年增加了2465.7亿元，增长幅度为12.5%。\n"
    "同时，研发经费在总GDP中的占比为2.23%，比上年提高0.09个百分点。\n"
    "2013年以来，我国研发经费总量一直稳居世界第二。\n"
    "从省份看，有六个省市的研发投入超过了千亿元，分别是广东(3098.5亿元)、江苏(2779.5亿元)。"
)


@pytest.mark.parametrize(
    ("number_text", "indicator_id", "year"),
    [
        ("2465.7亿元", "rd_spending_increase", 2019),  # 这一数字: the figure the sentence before ended with
        ("12.5%", "rd_spending_growth_pct", 2019),  # 增长幅度 is a growth rate
        ("2.23%", "rd_intensity_pct", 2019),  # X在GDP中的占比 is X's share of GDP
        ("第二", "rd_spending_world_rank", 2019),  # 2013年以来… in a text about 2019
    ],
)
def test_a_report_on_last_years_rd_spending(number_text, indicator_id, year):
    row = _row(RD2019, number_text, {"default_region": "china", "publication_year": 2020})
    assert (row["indicator_id"], row["year"]) == (indicator_id, year)


@pytest.mark.parametrize("number_text", ["3098.5亿元", "2779.5亿元"])
def test_the_items_of_a_list_of_places_take_the_subject_before_them(number_text):
    # 省市的 is not a word of the subject; the next item of a list of places is not a condition
    text = "2019年，有六个省市的研发投入超过了千亿元，分别是广东(3098.5亿元)、江苏(2779.5亿元)。"
    row = _row(text, number_text, {"default_region": "china", "publication_year": 2020})
    assert (row["indicator_id"], row["indicator_subject"], row["year"]) == ("rd_spending", "研发投入", 2019)


def test_a_text_stating_two_years_has_no_only_year():
    text = "2019年我国研发经费22143.6亿元。2020年全国研发经费24393.1亿元。全国高新技术企业27.5万家。"
    row = _row(text, "27.5万家", {"publication_year": 2021})
    assert row["year_basis"] != "only_year"


def test_technology_contracts_count_and_value_read_after_the_figure_before():
    text = "2022年，全国共登记技术合同772507项，成交金额47791.02亿元，分别比上年增长15.2%和28.2%。"
    frame = extract_text(text, publication_year=2023)
    ids = dict(zip(frame["number_text"], frame["indicator_id"], strict=False))
    measures = dict(zip(frame["number_text"], frame["measure"], strict=False))
    assert (ids["772507项"], ids["47791.02亿元"]) == ("tech_contracts_count", "tech_contract_turnover")
    assert measures["28.2%"] == "growth"  # the next term of a list is measured like the first


def test_firms_counted_by_what_they_were_admitted_as():
    frame = extract_text("全市7912家企业通过科技型中小企业评价入库。", default_region="tianjin")
    assert frame.loc[frame["number_text"] == "7912家", "indicator_subject"].item() == "科技型中小企业"


def test_a_net_increase_is_the_change_of_the_count():
    row = _row("全省高新技术企业总数净增682家。", "682家", {"default_region": "heilongjiang"})
    assert row["indicator_id"] == "hitech_enterprises_net_increase"


def test_a_broad_word_before_a_rank_is_its_field():
    row = _row("在全国78个创新型城市中，青岛创新能力排名第十。", "第十", {"default_region": "qingdao"})
    assert row["region_id"] == "qingdao"
    row = _row("全国GDP居世界第二。", "第二", {})
    assert row["region_id"] == "china"


def test_a_count_of_one_or_two_closing_its_clause_is_a_figure():
    frame = extract_text("新增国家级绿色工厂两家，一批项目落地，两个大局。")
    assert list(frame.loc[frame["kind"] == "figure", "number_text"]) == ["两家"]


def test_a_short_subject_that_names_an_indicator_beats_a_verb_rule():
    text = "全省地区生产总值增长4.7%，出口增长12.3%。"
    assert _row(text, "12.3%", {"default_region": "fujian"})["indicator_id"] == "exports_growth_pct"


def test_a_sentence_goes_on_across_a_semicolon():
    text = "2020年，西安市以1648.56亿元的输出技术成交额位居全国第三；2021年达2209.49亿元，位列副省级城市第二。"
    frame = extract_text(text, default_region="xian", publication_year=2023)
    ids = dict(zip(frame["number_text"], frame["indicator_id"], strict=False))
    assert ids["1648.56亿元"] == ids["2209.49亿元"] == "tech_contract_turnover"  # 以N的X: X is measured
    text = "北京认定登记技术合同达106552项，同比增长12.1%；成交额达8536.9亿元，同比增长7.4%。"
    frame = extract_text(text, default_region="beijing", publication_year=2024)
    ids = dict(zip(frame["number_text"], frame["indicator_id"], strict=False))
    assert (ids["8536.9亿元"], ids["7.4%"]) == ("tech_contract_turnover", "tech_contract_turnover_growth_pct")


def test_rd_spending_by_performer_with_its_growth_and_share():
    text = "2019年全国研发经费22143.6亿元。从研发投入主体看，各类企业支出16921.8亿元，年增11.1%，总占比76.4%；高校支出1796.6亿元，年增23.1%，总占比8.1%。"
    frame = extract_text(text, default_region="china", publication_year=2020)
    ids = dict(zip(frame["number_text"], frame["indicator_id"], strict=False))
    assert [ids[n] for n in ("16921.8亿元", "11.1%", "76.4%", "1796.6亿元", "8.1%")] == [
        "enterprise_rd_spending",
        "enterprise_rd_spending_growth_pct",
        "enterprise_share_of_rd_pct",
        "higher_ed_rd_spending",
        "higher_ed_share_of_rd_pct",
    ]


def test_firms_admitted_to_a_ranking_list_are_counted_as_members_of_it():
    frame = extract_text("合聚高分子等7家企业入选全省高新技术企业百强。", default_region="jingzhou")
    row = frame[frame["number_text"] == "7家"].iloc[0]
    assert (row["indicator_subject"], row["indicator_id"]) == ("全省高新技术企业百强", "")


def test_a_growth_on_a_like_for_like_basis_is_the_growth_of_the_figure_before():
    text = "地方一般公共预算收入3339亿元，同口径增长5.5%；地区生产总值增长4.7%。"
    assert _row(text, "5.5%", {"default_region": "fujian"})["indicator_id"] == "local_general_budget_revenue_growth_pct"


def _column(text: str, column: str, **options) -> dict:
    """number_text -> one column of what the extractor makes of the text."""
    frame = extract_text(text, **options)
    return dict(zip(frame["number_text"], frame[column], strict=False))


def test_a_county_communique_names_its_county_and_its_prefecture_form():
    text = "2023年洛阳市孟津区国民经济和社会发展统计公报\n初步核算，2023年全区地区生产总值503.7亿元，同比增长0.6%。"
    row = _row(text, "503.7亿元", {"publication_year": 2024, "default_region": None})
    assert (row["indicator_id"], row["region_id"], row["year"]) == ("gdp", "mengjin_410322", 2023)


def test_a_county_name_shared_by_two_prefectures_is_read_only_with_its_prefecture():
    assert _row("包头市青山区地区生产总值300亿元。", "300亿元", {})["region_id"] == "qingshan_150204"
    # 青山区 alone names a district of 包头 and one of 武汉: only a text on one of them decides
    assert _row("青山区地区生产总值300亿元。", "300亿元", {"default_region": "wuhan"})["region_id"] == "qingshan_420107"
    assert _row("青山区地区生产总值300亿元。", "300亿元", {"default_region": "beijing"})["region_id"] == "beijing"


def test_names_in_a_closed_bracket_are_a_note_not_the_figures_region():
    text = "2023年该省山区23县(平阳县、柯城区和莲都区被调出)平均科技成果转化指数为61.43。"
    assert _row(text, "61.43", {"default_region": "zhejiang"})["region_id"] != "liandou_331102"


def test_a_rank_over_the_whole_country_is_not_the_countrys():
    text = "厦门获评中国软件特色名城，人工智能发展潜力全国第7。"
    assert _row(text, "第7", {"default_region": "xiamen", "publication_year": 2021})["region_id"] == "xiamen"


def test_a_broad_word_after_a_counter_is_a_class_of_the_things_counted():
    text = "重组获批2家全国重点实验室，建设4家省实验室。"
    regions = _column(text, default_region="shanxi", publication_year=2024, column="region_id")
    assert (regions["2家"], regions["4家"]) == ("shanxi", "shanxi")


def test_a_target_year_does_not_date_the_facts_after_it():
    text = "厦门力争到2025年数字经济增加值占GDP比重超过60%。据了解，厦门全市规模以上数字经济核心产业企业619家。"
    row = _row(text, "619家", {"default_region": "xiamen", "publication_year": 2021, "publication_month": 3})
    assert row["year"] == 2020


def test_an_ordinal_naming_a_tier_is_not_a_rank():
    frame = extract_text("高新技术企业数量均居全市第一方阵。", default_region="xiamen")
    assert "rank" not in set(frame["kind"])


def test_a_count_in_a_batch_of_an_award_is_the_batchs_not_the_total():
    text = "本月初，工信部完成第六批专精特新“小巨人”企业名单公示，共有3012家企业上榜。全国专精特新“小巨人”企业达到1.46万家。"
    ids = _column(text, default_region="china", publication_year=2024, column="indicator_id")
    assert (ids["3012家"], ids["1.46万家"]) == ("little_giants_batch_count", "little_giants_count")


def test_places_moved_in_a_ranking_are_a_change_of_the_rank_not_persons():
    text = "2024年广东区域创新能力依然保持第1位，陕西上升1位，引进高层次人才5位。"
    frame = extract_text(text, default_region="china", publication_year=2024)
    rows = {r["number_text"]: r for r in frame.to_dict("records")}
    assert rows["第1位"]["indicator_id"] == "regional_innovation_capability_rank"
    assert (rows["1位"]["indicator_id"], rows["1位"]["base_unit"]) == (
        "regional_innovation_capability_rank_change",
        "rank",
    )
    assert rows["5位"]["base_unit"] == "persons"


@pytest.mark.parametrize(
    ("text", "number_text", "indicator_id"),
    [
        ("十年来，全省经济总量年均增长7.1%。", "7.1%", "gdp_growth_avg_pct"),
        ("2024年全社会研发投入超3.6万亿元，较2020年增长48%。", "48%", "rd_spending_growth_cumulative_pct"),
        ("2024年全社会研发投入超3.6万亿元，比上年增长8.3%。", "8.3%", "rd_spending_growth_pct"),
        ("十年来，货物进出口总值年均增长10.8%。", "10.8%", ""),  # the catalogue has no average trade growth
    ],
)
def test_a_growth_over_several_years_is_not_the_years_growth(text, number_text, indicator_id):
    row = _row(text, number_text, {"default_region": "henan", "publication_year": 2025})
    assert row["indicator_id"] == indicator_id


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        (
            "全年城镇居民和农村居民人均可支配收入分别增长5.2%、7.6%。",
            "urban_disposable_income_per_capita_growth_pct",
            "rural_disposable_income_per_capita_growth_pct",
        ),
        (
            "全年全省一般公共预算收入和支出分别为3000亿元、5000亿元。",
            "local_general_budget_revenue",
            "general_budget_expenditure",
        ),
        ("全省进口和出口分别增长3%、5%。", "imports_growth_pct", "exports_growth_pct"),
    ],
)
def test_two_subjects_before_fenbie_each_take_their_figure(text, first, second):
    frame = extract_text(text, default_region="hunan", publication_year=2024, publication_month=2)
    assert list(frame.loc[frame["kind"] == "figure", "indicator_id"]) == [first, second]


def test_a_bare_number_continuing_a_list_of_bracketed_figures_is_not_a_year():
    text = "江苏省以2156家领跑全国，广东(1982家)、浙江(1806)分别位居二、三名。"
    frame = extract_text(text, default_region="china", publication_year=2025)
    row = frame.loc[frame["number_text"] == "1806"].iloc[0]
    assert row["kind"] == "figure"
    assert set(frame.loc[frame["kind"] == "figure", "year"]) == {2025}


def test_the_end_of_a_change_from_a_stated_year_is_the_year_the_text_speaks_of():
    text = "2019年宁夏大幅增加研发投入。全区R&D经费强度从2017年的0.95%增长到1.45%，年均增幅达到0.17个百分点。"
    frame = extract_text(text, default_region="ningxia", publication_year=2020)
    rows = {r["number_text"]: r for r in frame.to_dict("records")}
    assert (rows["0.95%"]["year"], rows["1.45%"]["year"], rows["0.17个百分点"]["year"]) == (2017, 2019, 2019)
    assert rows["1.45%"]["indicator_id"] == rows["0.95%"]["indicator_id"] == "rd_intensity_pct"


def test_a_county_name_two_prefectures_share_is_the_one_in_the_texts_own_region():
    text = "各区雏鹰企业评价入库数中，和平区119家，东丽区80家。"
    for own, want in (("tianjin", "heping_120101"), ("shenyang", "heping_210102")):
        assert _row(text, "119家", {"default_region": own, "publication_year": 2023})["region_id"] == want
    # with no region of its own, the text cannot tell which 和平区 it means
    assert _row(text, "119家", {"publication_year": 2023})["region_id"] != "heping_210102"


def test_a_communique_whose_sections_state_no_year_is_of_the_year_its_opening_states():
    text = (
        "2023年，旅顺口区经济运行平稳。\n一、综合\n经大连市统计局统一核算，全年地区生产总值302.1亿元，比上年增长5.6%。"
    )
    row = _row(
        text, "302.1亿元", {"default_region": "lvshunkou_210212", "publication_year": 2024, "publication_month": 5}
    )
    assert (row["year"], row["region_id"]) == (2023, "lvshunkou_210212")  # 大连市统计局 is an office, not a place


def test_a_founding_bound_is_not_the_year_of_the_text():
    text = "400家企业中，356家均为“00后”，成立于2000年以后。浙江有400家企业入选。"
    row = _row(text, "356家", {"default_region": "zhejiang", "publication_year": 2024, "publication_month": 9})
    assert row["year"] == 2024


def test_a_multiple_in_words_with_more_than_and_the_figures_that_follow_it():
    text = "年技术合同成交额增长一倍多，从2014年的3136亿元提高到2023年的8536亿元。"
    frame = extract_text(text, default_region="beijing", publication_year=2024)
    rows = {r["number_text"]: r for r in frame.to_dict("records")}
    assert (rows["一倍多"]["value"], rows["一倍多"]["qualifier"]) == (1, "more_than")
    assert rows["3136亿元"]["indicator_id"] == rows["8536亿元"]["indicator_id"] == "tech_contract_turnover"


def test_performer_rd_spending_stated_as_inputs():
    text = "全省研究与试验发展经费投入89.8亿元。企业投入24.56亿元，科研机构投入45.79亿元，高校投入18.66亿元。"
    ids = _column(text, default_region="hainan", publication_year=2024, column="indicator_id")
    assert [ids[n] for n in ("24.56亿元", "45.79亿元", "18.66亿元")] == [
        "enterprise_rd_spending",
        "gov_institutes_rd_spending",
        "higher_ed_rd_spending",
    ]


def test_a_count_of_some_firms_is_not_the_count_of_all_firms():
    text = "全区共有实有企业5.2万户。其中，深圳共有169家企业入选。"
    ids = _column(text, default_region="guangdong", publication_year=2023, column="indicator_id")
    assert ids["169家"] != "enterprises_count"


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("据了解,2019年,我省科技进步对经济增长的贡献率达到52.8%,研究与试验发展经费投入强度1.18%。", "52.8%"),
        ("工业对GDP增长的贡献率达23%,创近6年来新高。", "23%"),
    ],
)
def test_a_keyword_inside_the_name_of_a_contribution_is_not_its_measure(text, figure):
    """rules.yaml keyword_names_another_measure: 增长 in 对经济增长的贡献率 is not a growth rate."""
    frame = extract_text(text, default_region="gansu", publication_year=2020)
    row = frame[frame["number_text"] == figure].iloc[0]
    assert row["indicator_id"] == "", row["rule_id"]
    growth = extract_text("2019年,全省研究与试验发展经费比上年增长12.5%。", default_region="gansu")
    assert growth[growth["number_text"] == "12.5%"].iloc[0]["indicator_id"] == "rd_spending_growth_pct"


def test_the_past_year_is_the_year_before_the_text_even_beside_a_meetings_year():
    """rules.yaml relative_years 过去一年: at the 2025年全省科技工作会议 (out in 2025) the past year is 2024."""
    text = "从近日召开的2025年全省科技工作会议上可知,过去一年,吉林省高新技术企业达4107户,同比增长14.4%。"
    frame = extract_text(text, default_region="jilin", publication_year=2025, publication_month=2)
    row = frame[frame["number_text"] == "4107户"].iloc[0]
    assert (row["indicator_id"], int(row["year"])) == ("hitech_enterprises_count", 2024)


@pytest.mark.parametrize(
    "text",
    [
        "社会消费品零售总额增速高于全国0.9个百分点,连续18个月高于全国;",
        "全区R&D经费总投入达到54.5亿元,增长19.5%,高于全国平均增速7个百分点。",
    ],
)
def test_a_gap_to_the_country_is_a_gdp_gap_only_when_the_sentence_names_gdp(text):
    """rules.yaml gdp_growth_gap_national requires 生产总值/GDP/经济增长: a retail or R&D gap is not GDP's."""
    frame = extract_text(text, default_region="ningxia", publication_year=2020)
    gap = frame[frame["number_text"].str.contains("个百分点")].iloc[0]
    assert gap["indicator_id"] != "gdp_growth_gap_vs_national_pp"


def test_a_reach_is_not_a_place():
    """rules.yaml region_not_subject_before 具有 / after 影响力: 具有全国影响力的科技创新中心 is Chongqing's aim."""
    text = "党的十八大以来，重庆建设具有全国影响力的科技创新中心，10年来研发投入年均增长15.9%。"
    frame = extract_text(text, default_region="chongqing", publication_year=2022)
    assert frame[frame["number_text"] == "15.9%"].iloc[0]["region_id"] == "chongqing"
