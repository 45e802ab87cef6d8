"""AppTest: downloads, hostile content, and broken tables."""

from __future__ import annotations

import csv
import io
import re
import sys
import types

import pandas as pd
import pyarrow.parquet as pq
from fixture_data import Claim
from helpers import assert_clean, capture_downloads, points, read_parquet, run_app, specs

BOM = b"\xef\xbb\xbf"


def _download(at_factory):
    with capture_downloads() as got:
        at = at_factory()
    assert_clean(at)
    csv_name = next(n for n in got if n.endswith("-full.csv"))  # the contract columns
    pq_name = next(n for n in got if n.endswith(".parquet"))
    return at, got[csv_name](), got[pq_name]()


def _csv_rows(raw: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(raw[len(BOM) :].decode("utf-8"), newline="")))


def test_csv_is_exactly_the_filtered_rows_with_citations(data_dir):
    obs = read_parquet(data_dir, "observations")
    ind = read_parquet(data_dir, "indicators")
    src = read_parquet(data_dir, "sources")
    topic = ind.merge(obs, on="indicator_id")["topic"].value_counts().index[0]
    at, raw, parquet = _download(lambda: run_app("data", {"topics": topic}))
    assert raw.startswith(BOM)
    rows = _csv_rows(raw)
    want = obs[obs["indicator_id"].isin(ind.loc[ind["topic"] == topic, "indicator_id"])]
    assert sorted(r["observation_id"] for r in rows) == sorted(want["observation_id"])
    by_source = src.set_index("source_id")
    by_obs = want.set_index("observation_id")
    for r in rows:
        expected = by_obs.loc[r["observation_id"]]
        s = by_source.loc[r["source_id"]]
        assert r["source_title"].lstrip("'") == s["title"]
        assert r["source_authors"].lstrip("'") == s["authors"]
        # The date as the source states it: "2024", never 2024-01-01.
        assert r["source_published"] == (s.get("published_text") or str(s["published"]))
        assert not r["source_published"].endswith("-01-01") or s.get("published_text", "").endswith("-01-01")
        assert r["source_url"] == s["url"] and r["source_doi"] == s["doi"]
        assert float(r["value"]) == expected["value"]
        assert int(r["char_start"]) == expected["char_start"]
        assert int(r["char_end"]) == expected["char_end"]
        quote = r["quote"][1:] if r["quote"][:2] in ("'=", "'+", "'-", "'@") else r["quote"]
        assert quote.replace("\r\n", "\n") == expected["quote"]
    table = pq.read_table(io.BytesIO(parquet)).to_pandas()
    assert sorted(table["observation_id"]) == sorted(want["observation_id"])
    assert at.query_params["topics"] == topic


def test_changing_a_data_filter_changes_the_download(fixture_only):
    with capture_downloads() as got:
        at = run_app("data")
        full = _csv_rows(got[next(n for n in got if n.endswith("-full.csv"))]())
        got.clear()
        at.multiselect(key="sources").set_value(["jxdaily2024_think_tank"]).run()
        part = _csv_rows(got[next(n for n in got if n.endswith("-full.csv"))]())
    assert at.query_params["sources"] == "jxdaily2024_think_tank"
    assert len(part) == 6 < len(full)
    assert {r["source_id"] for r in part} == {"jxdaily2024_think_tank"}


EVIL = (
    '标题\n=HYPERLINK("http://evil.example","点击")增长-1.5%。\n据报道，<script>alert(\'x\')</script>研发强度为3.1%。\n'
)


def _evil_claims():
    return [
        Claim("rd_intensity_pct", "china", 2023, -1.5, "%", "exact", "crafted", "=HYPERLINK", "。", "-1.5%"),
        Claim("rd_intensity_pct", "china", 2024, 3.1, "%", "exact", "crafted", "据报道", "。", "3.1%"),
    ]


def test_formula_injection_is_neutralised_in_the_csv(crafted):
    crafted(EVIL, _evil_claims(), title="=cmd|' /C calc'!A0", authors="+SUM(1,2)")
    _, raw, _ = _download(lambda: run_app("data"))
    rows = _csv_rows(raw)
    for r in rows:
        for col, cell in r.items():
            if col in ("value", "value_base", "scale", "year", "char_start", "char_end", "number_start", "number_end"):
                continue
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (col, cell)
    neg = next(r for r in rows if r["year"] == "2023")
    assert neg["value"] == "-1.5" and float(neg["value"]) == -1.5  # still a number
    assert neg["quote"].startswith("'=HYPERLINK")
    assert neg["source_title"] == "'=cmd|' /C calc'!A0"
    assert neg["source_authors"] == "'+SUM(1,2)"
    assert neg["number_text"] == "'-1.5%"


def test_script_in_a_quote_is_shown_as_text(crafted):
    out = crafted(EVIL, _evil_claims())
    obs = read_parquet(out, "observations")
    target = obs[obs["quote"].str.contains("<script>")].iloc[0]
    at = run_app("sources", {"source": "crafted", "obs": target["observation_id"]})
    assert_clean(at)
    bodies = [h.value for h in at.get("html")]
    assert bodies and all("<script" not in b for b in bodies)
    assert all("&lt;script&gt;alert('x')&lt;/script&gt;" in b for b in bodies)
    # Charts carry the quote escaped too (plotly labels understand some HTML).
    at = run_app("trends", {"indicator": "rd_intensity_pct"})
    quotes = " ".join(points(specs(at)[0])["quote_html"])
    assert "<script" not in quotes and "&lt;script&gt;" in quotes
    # Tables and captions hold the raw characters, which Streamlit shows as text.
    at.session_state["trend_chart_tabs"] = "表格"  # the table is drawn once its tab is open
    at.run()
    table = next(df.value for df in at.dataframe)
    assert table.iloc[:, 6].str.contains("<script>", regex=False).any()
    assert all("<script" not in m.value for m in at.markdown)


def _broken(tmp_path, monkeypatch, damage):
    from fixture_data import write_fixture

    out = write_fixture(tmp_path / "pub")
    damage(out)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(out))
    return out


def _assert_friendly(at, *needles):
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(e.value for e in at.error)
    assert "python -m loaders build" in " ".join(c.value for c in at.code)
    for needle in needles:
        assert needle in text, text
    assert not at.get("plotly_chart")


def test_corrupt_table_gives_a_friendly_message(tmp_path, monkeypatch):
    _broken(tmp_path, monkeypatch, lambda out: (out / "observations.parquet").write_bytes(b"PAR1 not really"))
    _assert_friendly(run_app(), "observations.parquet")


def test_table_missing_a_column_gives_a_friendly_message(tmp_path, monkeypatch):
    def drop_quote(out):
        df = pd.read_parquet(out / "observations.parquet").drop(columns=["quote"])
        df.to_parquet(out / "observations.parquet")

    _broken(tmp_path, monkeypatch, drop_quote)
    _assert_friendly(run_app("compare"), "quote")


def test_missing_tables_are_built_with_visible_progress(tmp_path, monkeypatch):
    from fixture_data import write_fixture

    target = tmp_path / "empty"
    calls = []

    def build(out_dir):
        calls.append(out_dir)
        write_fixture(out_dir)

    fake = types.ModuleType("loaders.build")
    fake.build = build
    monkeypatch.setitem(sys.modules, "loaders.build", fake)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(target))
    at = run_app()
    assert_clean(at)
    assert calls == [target.resolve()]
    assert len(at.status) == 1  # the st.status box was shown
    assert "2.54%" in [m.value for m in at.metric]


def test_failed_build_gives_a_friendly_message(tmp_path, monkeypatch):
    def build(out_dir):
        raise RuntimeError("sources.yaml: entry 3 has no text file")

    fake = types.ModuleType("loaders.build")
    fake.build = build
    monkeypatch.setitem(sys.modules, "loaders.build", fake)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path / "nothing"))
    _assert_friendly(run_app(), "entry 3 has no text file")


def test_unimportable_loaders_give_a_friendly_message(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "loaders.build", None)  # import raises ImportError
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path / "nothing"))
    at = run_app()
    _assert_friendly(at)
    assert re.search(r"Import|Module", " ".join(e.value for e in at.error))


def test_language_switch_translates_labels_and_updates_the_url(fixture_only):
    at = run_app("compare", {"indicator": "rd_intensity_pct", "year": "2022"})
    assert "中国" in points(specs(at)[0])["region_label"].tolist()
    at.sidebar.radio[0].set_value("en").run()
    assert_clean(at)
    assert at.query_params["lang"] == "en"
    got = points(specs(at)[0])
    assert got["region_label"].tolist() == ["China"]
    assert got["indicator_label"].tolist() == ["R&D intensity"]
    assert any("Sources: [1]" in c.value.replace("\\", "") for c in at.caption)
    assert any("Compare regions" in h.value for h in at.header)
