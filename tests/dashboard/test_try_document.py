"""The "Try a document" page: paste a text, see its figures marked and listed, download them.

AppTest cannot feed bytes to st.file_uploader: decoding and the limits are tested
on the helper the page calls for uploads, and the page's upload branch once with
st.file_uploader patched to return a file.
"""

from __future__ import annotations

import csv
import html
import io
import re
from unittest import mock

import pandas as pd
import pytest
import streamlit as st
from helpers import REPO, assert_clean, capture_downloads, run_app, unmd

from dashboard import trydoc

BOM = b"\xef\xbb\xbf"
SAMPLE = "2023年，浙江省研发经费投入强度为3.2%，比上年提高0.1个百分点。目前，全省有专精特新中小企业超1000家。"
EVIL = "<script>alert('x')</script>2023年，浙江省研发经费投入强度为3.2%。<img src=x onerror=alert(1)>"


def paste(text: str, params: dict | None = None, **options):
    at = run_app("try_document", params)
    at.text_area(key="try_text").set_value(text)
    if "region" in options:
        at.selectbox(key="try_region").set_value(options["region"])
    if "year" in options:
        at.number_input(key="try_year").set_value(options["year"])
    if "month" in options:
        at.selectbox(key="try_month").set_value(options["month"])
    return at.run()


def table(at) -> pd.DataFrame:
    frames = [df.value for df in at.dataframe]
    assert len(frames) == 1, f"expected one table, got {len(frames)}"
    return frames[0]


def row_for(df: pd.DataFrame, number: str, lang: str = "zh") -> pd.Series:
    col = "原文数字" if lang == "zh" else "As written"
    hit = df[df[col] == number]
    assert len(hit) == 1, df.to_string()
    return hit.iloc[0]


def csv_rows(raw: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(raw[len(BOM) :].decode("utf-8"), newline="")))


def test_pasted_text_lists_its_figures_with_indicator_region_and_year(data_dir):
    at = paste(SAMPLE)
    assert_clean(at)
    df = table(at)
    intensity = row_for(df, "3.2%")
    assert (intensity["指标"], intensity["地区"], intensity["年份"]) == ("研发经费投入强度", "浙江省", 2023)
    assert intensity["年份依据"] == "原文写明" and intensity["限定"] == "确切值"
    assert intensity["原文"] == SAMPLE[: SAMPLE.index("。") + 1]
    change = row_for(df, "0.1个百分点")
    assert (change["地区"], change["年份"]) == ("浙江省", 2023)
    smes = row_for(df, "超1000家")
    assert smes["指标"] == "专精特新中小企业数量" and smes["限定"] == "超过"
    # Years are not figures: only listed when asked for.
    assert "2023年" not in set(df["原文数字"])


def test_default_region_and_publication_year_reach_the_extractor(fixture_only):
    at = paste(SAMPLE, region="zhejiang", year=2024)
    assert_clean(at)
    smes = row_for(table(at), "超1000家")
    assert (smes["地区"], smes["年份"], smes["年份依据"]) == ("浙江省", 2024, "按发表年份")
    command = at.code[0].value
    assert command.startswith("python -m loaders add ")
    assert "--region zhejiang" in command and "--published 2024" in command
    for field in ("--id", "--title", "--author", "--venue", "--url", "--doi"):
        assert field in command


def test_show_all_numbers_adds_years_and_back(fixture_only):
    at = paste(SAMPLE)
    figures = len(table(at))
    at.toggle(key="try_all").set_value(True).run()
    assert_clean(at)
    everything = table(at)
    assert "2023年" in set(everything["原文数字"]) and len(everything) > figures
    at.toggle(key="try_all").set_value(False).run()
    assert len(table(at)) == figures


def test_highlight_escapes_markup_from_the_pasted_text(fixture_only):
    at = paste(EVIL)
    assert_clean(at)
    bodies = [h.value for h in at.get("html")]
    assert len(bodies) == 1
    body = bodies[0]
    assert "<script" not in body and "<img" not in body
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in body and "&lt;img src=x" in body
    # The figure is marked, and the marked-up text reads exactly as pasted.
    assert re.search(r'<span style="background:#FFE08A[^"]*"[^>]*>3\.2%</span>', body)
    assert html.unescape(re.sub(r"<[^>]+>", "", body)) == EVIL
    # Table cells hold the raw characters (shown as text); no markdown carries them.
    assert table(at)["原文"].str.contains("<script>", regex=False).any()
    assert all("<script" not in m.value and "<img" not in m.value for m in at.markdown)
    assert all("<script" not in c.value for c in at.caption)


def test_csv_download_has_a_bom_and_every_listed_figure(data_dir):
    with capture_downloads() as got:
        at = paste(SAMPLE + "同期，浙江省规模以上工业增加值增速为-1.5%。", region="zhejiang", year=2024)
    assert_clean(at)
    name = next(n for n in got if n.endswith(".csv"))
    raw = got[name]()
    assert raw.startswith(BOM)
    rows = csv_rows(raw)
    text = SAMPLE + "同期，浙江省规模以上工业增加值增速为-1.5%。"
    assert [r["number_text"] for r in rows] == list(table(at)["原文数字"].map(lambda s: "'" + s if s[0] == "-" else s))
    by_number = {r["number_text"]: r for r in rows}
    intensity = by_number["3.2%"]
    assert intensity["indicator_id"] == "rd_intensity_pct"
    assert (intensity["indicator_zh"], intensity["indicator_en"]) == ("研发经费投入强度", "R&D intensity")
    assert (intensity["region_id"], intensity["region_zh"], intensity["region_en"]) == (
        "zhejiang",
        "浙江省",
        "Zhejiang",
    )
    assert intensity["year"] == "2023" and intensity["year_basis"] == "stated"
    assert float(intensity["value"]) == 3.2
    for r in rows:
        quote = r["quote"][1:] if r["quote"][:2] in ("'=", "'+", "'-", "'@") else r["quote"]
        assert quote == text[int(r["char_start"]) : int(r["char_end"])]
    smes = by_number["超1000家"]
    assert (smes["indicator_id"], smes["region_id"], smes["year"]) == ("specialised_smes_count", "zhejiang", "2024")
    # A number cell starting with "-" is made inert in text columns, kept numeric in value.
    negative = by_number["'-1.5%"]
    assert float(negative["value"]) == -1.5


def test_nothing_is_written_to_the_corpus_or_the_tables(fixture_only):
    watched = [REPO / "datasets" / "sources", REPO / "datasets" / "published", fixture_only]

    def snapshot():
        return {
            str(p): (p.stat().st_size, p.stat().st_mtime_ns)
            for folder in watched
            if folder.exists()
            for p in folder.rglob("*")
        }

    before = snapshot()
    with capture_downloads() as got:
        at = paste(SAMPLE, region="zhejiang", year=2024)
    got[next(iter(got))]()
    assert_clean(at)
    assert snapshot() == before


def test_text_over_the_limit_is_rejected_with_a_message(fixture_only):
    at = paste("研发经费投入强度为3.2%。" + "字" * trydoc.MAX_CHARS)
    assert not at.exception
    errors = [unmd(e.value) for e in at.error]
    assert len(errors) == 1
    assert f"{trydoc.MAX_CHARS:,}" in errors[0] and "上限" in errors[0]
    assert not at.dataframe and not at.get("html")  # nothing was processed


def test_empty_input_shows_a_prompt_not_an_error(fixture_only):
    at = run_app("try_document")
    assert_clean(at)
    infos = [i.value for i in at.info]
    assert any("粘贴" in i and ".txt" in i for i in infos)
    assert not at.dataframe and not at.get("html")
    assert "200,000" in " ".join(unmd(c.value) for c in at.caption)  # the limits are stated
    at.text_area(key="try_text").set_value("  \n\t ").run()
    assert_clean(at)
    assert any("粘贴" in i.value for i in at.info) and not at.dataframe


def test_the_page_works_in_english(data_dir):
    at = paste(SAMPLE, {"lang": "en"}, region="zhejiang")
    assert_clean(at)
    assert at.header[0].value == "Try a document"
    df = table(at)
    intensity = row_for(df, "3.2%", "en")
    assert (intensity["Indicator"], intensity["Region"], intensity["Year"]) == ("R&D intensity", "Zhejiang", 2023)
    assert intensity["Year basis"] == "stated" and intensity["Qualifier"] == "exact"
    assert at.selectbox(key="try_region").format_func("zhejiang") == "Province · Zhejiang"
    labels = " ".join([*(unmd(c.value) for c in at.caption), at.text_area(key="try_text").label])
    assert "characters" in labels and "Text" in labels
    assert not re.search(r"[\u4e00-\u9fff]", at.header[0].value + at.radio(key="try_mode").label)


def test_extraction_is_cached_per_text_region_and_year_and_bounded(monkeypatch):
    calls = []

    def fake(text, *, default_region=None, publication_year=None, publication_month=None, time_budget=None):
        calls.append((text, default_region, publication_year, publication_month))
        return pd.DataFrame()

    monkeypatch.setattr(trydoc, "extract_text", fake)
    trydoc._extract_cached.clear()
    try:
        trydoc.extract("甲")
        trydoc.extract("甲")
        assert calls == [("甲", None, None, None)]
        trydoc.extract("甲", "zhejiang")
        trydoc.extract("甲", "zhejiang", 2024)
        trydoc.extract("乙", "zhejiang", 2024)
        trydoc.extract("乙", "zhejiang", 2024, 3)
        trydoc.extract("甲", "zhejiang", None, 3)  # a month without a year says nothing: cached
        assert len(calls) == 5 and calls[-1] == ("乙", "zhejiang", 2024, 3)
        for i in range(trydoc.CACHE_ENTRIES):
            trydoc.extract(f"other {i}")
        trydoc.extract("甲")  # pushed out by newer entries: the cache does not grow without bound
        assert len(calls) == 5 + trydoc.CACHE_ENTRIES + 1
    finally:
        trydoc._extract_cached.clear()


def test_extraction_over_its_time_budget_is_refused_with_a_message_and_not_cached(monkeypatch):
    from loaders.extract import ExtractionTimeout

    budgets = []

    def slow(text, *, default_region=None, publication_year=None, publication_month=None, time_budget=None):
        budgets.append(time_budget)
        raise ExtractionTimeout(time_budget, 123)

    monkeypatch.setattr(trydoc, "extract_text", slow)
    trydoc._extract_cached.clear()
    try:
        for _ in range(2):
            with pytest.raises(trydoc.InputProblem) as refused:
                trydoc.extract("1，" * 10)
            assert refused.value.key == "try_doc.too_slow"
            assert "123" in refused.value.message("en")
        assert len(budgets) == 2  # a refusal is not cached: the next try runs again
        assert all(0 < b <= trydoc.TIME_BUDGET_S for b in budgets)
        assert trydoc._ONE_AT_A_TIME.acquire(blocking=False)  # released after a refusal
        trydoc._ONE_AT_A_TIME.release()
    finally:
        trydoc._extract_cached.clear()


def test_a_second_extraction_waits_for_the_first_then_says_the_server_is_busy(monkeypatch):
    monkeypatch.setattr(trydoc, "TIME_BUDGET_S", 0.05)
    trydoc._extract_cached.clear()
    trydoc._ONE_AT_A_TIME.acquire()
    try:
        with pytest.raises(trydoc.InputProblem) as refused:
            trydoc.extract("甲")
        assert refused.value.key == "try_doc.busy"
    finally:
        trydoc._ONE_AT_A_TIME.release()
        trydoc._extract_cached.clear()


# Uploads: the helper the page calls with the file's bytes and its (client-given) name.


class FakeUpload:
    def __init__(self, name: str, raw: bytes) -> None:
        self.name, self._raw = name, raw

    def getvalue(self) -> bytes:
        return self._raw


def upload(name: str, raw: bytes):
    """The page's upload branch, with st.file_uploader standing in for a browser upload."""
    at = run_app("try_document")
    at.radio(key="try_mode").set_value("upload")
    with mock.patch.object(st, "file_uploader", lambda *a, **k: FakeUpload(name, raw)):
        return at.run()


GBK_TEXT = "2023年，浙江省研发经费投入强度为3.2%。\n第二行：专精特新中小企业超1000家。"


def test_gbk_upload_is_refused_naming_the_file_byte_and_line():
    raw = ("第一行是 UTF-8 兼容的 ASCII\n").encode("ascii", "ignore") + GBK_TEXT.encode("gbk")
    with pytest.raises(trydoc.InputProblem) as err:
        trydoc.decode_upload(raw, "C:\\Users\\me\\Desktop\\gongbao.txt")
    problem = err.value
    assert problem.key == "try_doc.gbk"
    message = problem.message("zh")
    assert "GBK" in message and "UTF-8" in message
    first_bad = next(i for i, b in enumerate(raw) if b >= 0x80)
    assert f"gongbao.txt:2: not valid UTF-8 (byte {first_bad})" in message
    assert "Users" not in message and str(REPO) not in message  # no paths, client's or ours
    assert "GB18030" in problem.message("en")


def test_undecodable_upload_that_is_not_gbk_is_refused_without_the_gbk_hint():
    with pytest.raises(trydoc.InputProblem) as err:
        trydoc.decode_upload(b"abc\n\xff\xff", "x.txt")
    assert err.value.key == "try_doc.bad_encoding"
    assert "x.txt:2: not valid UTF-8 (byte 4)" in err.value.message("en")


def test_page_shows_why_an_upload_is_refused_and_lists_a_good_one(fixture_only):
    at = upload("/home/me/gongbao.txt", GBK_TEXT.encode("gbk"))
    assert not at.exception
    errors = [unmd(e.value) for e in at.error]
    assert len(errors) == 1 and "GBK" in errors[0] and "gongbao.txt:1: not valid UTF-8 (byte 4)" in errors[0]
    assert "/home" not in errors[0] and str(REPO) not in errors[0]
    assert not at.dataframe
    at = upload("gongbao.txt", GBK_TEXT.encode("utf-8"))
    assert_clean(at)
    assert row_for(table(at), "3.2%")["指标"] == "研发经费投入强度"
    assert at.code[0].value.startswith("python -m loaders add gongbao.txt ")


def test_oversize_upload_is_refused_before_decoding():
    raw = b"a" * (trydoc.MAX_BYTES + 1)
    with pytest.raises(trydoc.InputProblem) as err:
        trydoc.decode_upload(raw, "big.txt")
    assert err.value.key == "try_doc.too_big"
    assert "big.txt" in err.value.message("en") and "1.0 MB" in err.value.message("en")
    # Within the byte limit but over the character limit.
    with pytest.raises(trydoc.InputProblem) as err:
        trydoc.decode_upload(b"a" * (trydoc.MAX_CHARS + 1), "long.txt")
    assert err.value.key == "try_doc.too_long"


def test_upload_within_limits_is_decoded_exactly():
    text = GBK_TEXT + "\n" + "字" * (trydoc.MAX_CHARS - len(GBK_TEXT) - 1)
    assert len(text) == trydoc.MAX_CHARS
    assert trydoc.decode_upload(text.encode("utf-8"), "ok.txt") == text
    assert trydoc.decode_upload(BOM + GBK_TEXT.encode("utf-8"), "bom.txt") == GBK_TEXT
    assert trydoc.check_text("字" * trydoc.MAX_CHARS) == "字" * trydoc.MAX_CHARS
    with pytest.raises(trydoc.InputProblem):
        trydoc.check_text("字" * (trydoc.MAX_CHARS + 1))


def test_empty_upload_is_refused():
    with pytest.raises(trydoc.InputProblem) as err:
        trydoc.decode_upload(b" \n", "blank.txt")
    assert err.value.key == "try_doc.empty_file" and "blank.txt" in err.value.message("zh")


@pytest.mark.parametrize(
    ("given", "shown"),
    [("../../etc/passwd.txt", "passwd.txt"), ("C:\\a\\b.txt", "b.txt"), ("", "upload.txt"), ("a\x00\nb.txt", "ab.txt")],
)
def test_upload_names_lose_folders_and_control_characters(given, shown):
    assert trydoc.safe_name(given) == shown


def test_a_figure_outside_the_catalogue_still_says_what_it_is(fixture_only):
    """No indicator fits 充电桩: the list, the hover and the CSV give the text's
    own words for it and the measure, and say it is not in the catalogue."""
    text = "2024年，全省新建充电桩12万个。研发经费投入强度为2.68%。"
    with capture_downloads() as got:
        at = paste(text)
    assert_clean(at)
    df = table(at)
    treaties = row_for(df, "12万个")
    assert treaties["指标"] == "" or pd.isna(treaties["指标"])
    assert (treaties["原文所述指标"], treaties["测度"]) == ("新建充电桩", "数值")
    intensity = row_for(df, "2.68%")
    assert (intensity["原文所述指标"], intensity["测度"]) == ("研发经费投入强度", "占比或比率")
    marked = [h.body for h in at.get("html")] if hasattr(at, "get") else []
    assert any("新建充电桩（数值） · 指标目录中没有对应指标" in html.unescape(m) for m in marked), marked
    rows = {r["number_text"]: r for r in csv_rows(got[next(n for n in got if n.endswith(".csv"))]())}
    assert (rows["12万个"]["indicator_id"], rows["12万个"]["indicator_subject"], rows["12万个"]["measure"]) == (
        "",
        "新建充电桩",
        "level",
    )


def test_a_share_lists_all_its_words_and_exports_the_measured_thing_apart(fixture_only):
    text = "2024年，全省充电桩服务收入占服务业比重为3.5%。"
    with capture_downloads() as got:
        at = paste(text)
    assert_clean(at)
    share = row_for(table(at), "3.5%")
    assert (share["原文所述指标"], share["测度"]) == ("充电桩服务收入占服务业比重", "占比或比率")
    rows = {r["number_text"]: r for r in csv_rows(got[next(n for n in got if n.endswith(".csv"))]())}
    assert (rows["3.5%"]["indicator_subject"], rows["3.5%"]["subject_phrase"], rows["3.5%"]["measure"]) == (
        "充电桩服务收入",
        "充电桩服务收入占服务业比重",
        "share",
    )


def test_a_text_published_in_march_dates_undated_figures_to_last_year(data_dir):
    text = "全年实现地区生产总值92068.7亿元，比上年增长6.0%。"
    march = row_for(table(paste(text, region="shandong", year=2024, month=3)), "6.0%")
    june = row_for(table(paste(text, region="shandong", year=2024, month=6)), "6.0%")
    assert (march["年份"], june["年份"]) == (2023, 2024)


def test_the_add_command_carries_the_month():
    assert "--published 2024-03" in trydoc.add_command("a.txt", "shandong", 2024, 3)
    assert "--published 2024 " in trydoc.add_command("a.txt", "shandong", 2024) + " "
