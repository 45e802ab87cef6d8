"""The fast paths (indices, categoricals, vectorised checks, lazy mentions, capped pages)
give the same answers as the plain pandas they replace, on a synthetic corpus with many
rows per indicator, region and source."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fixture_data import write_fixture
from helpers import assert_clean, captions, capture_downloads, points, run_app, specs, unmd

from benchmarks.browser_harness import synthesize
from dashboard import data, prepared, quality
from dashboard.i18n import t
from dashboard.ui import Context

N_OBS = 20_000


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("synthetic")
    fixture = write_fixture(root / "fixture")
    # More regions than the trends chart draws lines for.
    regions = pd.read_parquet(fixture / "regions.parquet")
    cities = pd.DataFrame(
        {
            "region_id": [f"city_{i}" for i in range(8)],
            "name_zh": [f"测试市{i}" for i in range(8)],
            "name_en": [f"Test city {i}" for i in range(8)],
            "level": "city",
            "parent_id": "jiangxi",
            "aliases": "",
        }
    )
    pd.concat([regions, cities], ignore_index=True).to_parquet(fixture / "regions.parquet", index=False)
    return synthesize(fixture, root / "synth", N_OBS, n_sources=12)


@pytest.fixture(scope="module")
def tables(synthetic) -> data.Tables:
    return data.read_tables(synthetic[0])


@pytest.fixture
def synthetic_env(synthetic, monkeypatch):
    pub, src = synthetic
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(pub))
    monkeypatch.setenv("DASHBOARD_SOURCES_DIR", str(src))
    return pub


def _plain(pub: Path) -> pd.DataFrame:
    return pd.read_parquet(pub / "observations.parquet")


def test_low_cardinality_columns_are_categoricals_with_sorted_categories(tables):
    obs = tables.observations
    for col in data.CATEGORICAL["observations"]:
        assert isinstance(obs[col].dtype, pd.CategoricalDtype), col
        cats = list(obs[col].cat.categories)
        assert cats == sorted(cats), col
        assert not obs[col].isna().any(), col
    assert obs["quote"].dtype == "str"


@pytest.mark.parametrize(
    ("regions", "years", "kwargs"),
    [
        ((), None, {}),
        ((), (2005, 2012), {}),
        (("jiangxi", "east"), None, {}),
        (("jiangxi", "east"), (2010, 2020), {"indicators": ["rd_intensity_pct", "specialised_smes_count"]}),
        ((), (2003, 2003), {"indicators": ["rd_intensity_pct"], "region": "china"}),
        (("china",), None, {"use_regions": False, "indicators": ["nope"]}),
    ],
)
def test_positions_select_what_a_plain_filter_selects(synthetic, tables, regions, years, kwargs):
    ctx = Context(lang="zh", tables=tables, regions=regions, years=years or tables.years)
    got = ctx.filtered(**kwargs)
    obs = _plain(synthetic[0])
    lo, hi = ctx.years
    mask = obs["year"].between(lo, hi)
    if regions and kwargs.get("use_regions", True):
        mask &= obs["region_id"].isin(regions)
    if "indicators" in kwargs:
        mask &= obs["indicator_id"].isin(kwargs["indicators"])
    if "region" in kwargs:
        mask &= obs["region_id"] == kwargs["region"]
    assert got["observation_id"].tolist() == obs.loc[mask, "observation_id"].tolist()


def test_data_order_is_the_plain_sort(synthetic, tables):
    order = prepared._order.__wrapped__("test", tables)
    plain = _plain(synthetic[0]).sort_values(prepared.DATA_ORDER, kind="stable")
    assert tables.observations["observation_id"].take(order).tolist() == plain["observation_id"].tolist()


def _plain_conflicts(obs: pd.DataFrame) -> dict[str, str]:
    """The straightforward version the vectorised check replaced."""
    exact = obs[~obs["derived"] & (obs["qualifier"] == "exact")]
    keys = ["indicator_id", "region_id", "year"]
    spread = exact.groupby(keys)["value_base"].agg(["min", "max"])
    bad = spread[(spread["max"] - spread["min"]).abs() > 1e-9 * spread["max"].abs().clip(lower=1)]
    out = {}
    for (i, r, y), g in exact.merge(bad.reset_index()[keys], on=keys).groupby(keys):
        values = ", ".join(f"{v:g}" for v in sorted(g["value"].unique()))
        out.update(dict.fromkeys(g["observation_id"], f"{i} {r} {y}: {values}"))
    return out


def _plain_over_whole(obs: pd.DataFrame, ind: pd.DataFrame, reg: pd.DataFrame) -> dict[str, str]:
    stated = obs[~obs["derived"] & (obs["unit"] == "%")]
    out: dict[str, str] = {}
    parts = stated.merge(ind[ind["whole_id"] != ""][["indicator_id", "whole_id"]], on="indicator_id")
    for (whole, region, year), g in parts.groupby(["whole_id", "region_id", "year"]):
        g = g.drop_duplicates("indicator_id")
        if g["value"].sum() > 100.05:
            out.update(dict.fromkeys(g["observation_id"], f"{whole} {region} {year}: {g['value'].sum():g}% > 100%"))
    splits = ind.loc[ind["splits_region"], "indicator_id"]
    parts = stated[stated["indicator_id"].isin(splits)]
    parts = parts.assign(parent=parts["region_id"].map(reg.set_index("region_id")["parent_id"]).fillna(""))
    for (indicator, parent, year), g in parts.groupby(["indicator_id", "parent", "year"]):
        g = g.drop_duplicates("region_id")
        if parent and g["value"].sum() > 100.05:
            reason = f"{indicator} {parent} {year}: {g['value'].sum():g}% > 100%"
            for oid in g["observation_id"]:
                out.setdefault(oid, reason)
    return out


def test_vectorised_checks_find_what_the_plain_checks_find(synthetic, tables):
    pub, src = synthetic
    results, inconsistent = quality.run_checks(tables, src)
    by_key = {c.key: c for c in results}
    assert by_key["c_quotes"].passed and by_key["c_hash"].passed and by_key["c_keys"].passed
    obs = _plain(pub)
    conflicts = _plain_conflicts(obs)
    over = _plain_over_whole(obs, pd.read_parquet(pub / "indicators.parquet"), pd.read_parquet(pub / "regions.parquet"))
    assert conflicts and over  # random shares do not add up: both checks have work to do
    expected = {**conflicts, **over}  # a figure over its whole is reported as that
    assert inconsistent.by_id(tables.observations) == expected
    assert by_key["c_conflicts"].n_failed == len(set(conflicts.values()))
    assert by_key["c_conflicts"].detail == sorted(set(conflicts.values()))[:20]


def test_checks_catch_a_quote_that_no_longer_matches(synthetic, tmp_path):
    pub, src = synthetic
    broken = tmp_path / "sources"
    broken.mkdir()
    for f in src.iterdir():
        broken.joinpath(f.name).write_bytes(f.read_bytes())
    first = sorted(broken.iterdir())[0]
    first.write_text("改写过的文本" + first.read_text(encoding="utf-8")[6:], encoding="utf-8")
    results, _ = quality.run_checks(data.read_tables(pub), broken)
    by_key = {c.key: c for c in results}
    assert by_key["c_hash"].detail == [first.stem]
    assert by_key["c_quotes"].n_failed >= 1


def test_flag_mask_and_reasons_match_the_rows(tables, synthetic):
    _, inconsistent = quality.run_checks(tables, synthetic[1])
    mask = quality.flag_mask(tables.observations, inconsistent)
    obs = tables.observations
    plain = obs["derived"] | (obs["qualifier"] != "exact") | (obs["flags"] != "") | pd.Series(inconsistent.mask)
    assert (mask == plain.to_numpy()).all()
    hit = np.flatnonzero(mask)[:50]
    found = quality.reasons(obs.take(hit), hit, inconsistent, "zh")
    assert all(found)  # every flagged row says why
    bounded = [r for rs in found for k, r in rs if k == "r_bounded"]
    assert bounded and all(not r.startswith(("more_than", "approx", "nearly")) for r in bounded)


def test_mentions_are_read_for_one_source_only(synthetic, tables):
    pub, _ = synthetic
    everything = pd.read_parquet(pub / "mentions.parquet")
    for source_id in ("synth_0000", "synth_0007"):
        got = data.read_mentions(pub, source_id, data.MENTION_COLUMNS)
        want = everything[everything["source_id"] == source_id]
        assert list(got.columns) == data.MENTION_COLUMNS
        assert got["char_start"].tolist() == want["char_start"].tolist()
        assert got["observation_id"].tolist() == want["observation_id"].tolist()
    assert data.read_mentions(pub, "no_such_source", data.MENTION_COLUMNS).empty


def test_data_page_draws_a_capped_table_and_downloads_every_row(synthetic_env):
    with capture_downloads() as got:
        at = run_app("data", {"years": "2005-2014"})
        assert_clean(at)
        obs = _plain(synthetic_env)
        want = obs[obs["year"].between(2005, 2014)].sort_values(prepared.DATA_ORDER, kind="stable")
        table = next(df.value for df in at.dataframe if "observation_id" in df.value.columns)
        assert len(table) == 2000
        assert table["observation_id"].tolist() == want["observation_id"].head(2000).tolist()
        shown = t("data.rows_capped", "zh", n=f"{len(want):,}", shown="2,000")
        assert shown in captions(at)
        name = next(n for n in got if n.endswith(".csv"))
        assert name.endswith(f"{len(want)}rows.csv")
        rows = got[name]().decode("utf-8-sig").splitlines()
    assert len(rows) == len(want) + 1


def test_quality_page_caps_its_flagged_table(synthetic_env):
    at = run_app("quality")
    assert_clean(at)
    flagged = next(df.value for df in at.dataframe if "原因" in df.value.columns)
    assert len(flagged) == 2000 and flagged["observation_id"].is_unique
    assert any("表格显示前 2,000 个" in c for c in captions(at))


def test_trends_draw_at_most_twelve_lines_and_say_so(synthetic_env):
    at = run_app("trends", {"indicator": "rd_intensity_pct"})
    assert_clean(at)
    got = points(specs(at)[0])
    assert got["region_label"].nunique() == 12  # a line per region and source, twelve regions
    assert any("图中显示数字最多的 12 个" in unmd(c.value) for c in at.caption)
    # Choosing regions in the sidebar shows exactly those.
    at = run_app("trends", {"indicator": "rd_intensity_pct", "regions": ["jiangxi", "east"]})
    assert set(points(specs(at)[0])["region_label"]) == {"江西省", "东部地区"}


def test_sources_page_marks_one_source_among_many(synthetic_env):
    at = run_app("sources", {"source": "synth_0003"})
    assert_clean(at)
    full = at.get("html")[-1].value
    mentions = pd.read_parquet(synthetic_env / "mentions.parquet")
    n = int((mentions["source_id"] == "synth_0003").sum())
    assert full.count("<span") >= n // 2  # figures and years of this source, none of the others
    at.selectbox(key="source").select("synth_0004").run()
    assert_clean(at)
    assert at.query_params["source"] == "synth_0004"


def test_the_dashboard_keeps_only_the_counties_it_has_figures_for(corpus_build):
    """The catalogue lists every county; the tables a rerun walks hold those with figures."""
    published = pd.read_parquet(corpus_build.out / "regions.parquet")
    tb = data.read_tables(corpus_build.out)
    counties = tb.regions[tb.regions["level"] == "county"]
    assert (published["level"] == "county").sum() > 2000
    assert set(counties["region_id"]) <= set(tb.observations["region_id"].astype(str))
    assert set(tb.regions.loc[tb.regions["level"] != "county", "region_id"]) == set(
        published.loc[published["level"] != "county", "region_id"]
    )


def test_what_lives_through_the_load_is_frozen_after_the_next_full_collection_only():
    """The post-run collection Streamlit forces must not rescan the loaded tables: they are
    frozen by the first full collection after the load, not by a young one, and only once."""
    import gc

    gc.collect()
    before = gc.get_freeze_count()
    try:
        data.freeze_after_next_collection()
        gc.collect(0)  # a young collection leaves the arming in place
        assert gc.get_freeze_count() == before
        gc.collect()
        frozen = gc.get_freeze_count()
        assert frozen > before
        made_later = [[i] for i in range(1000)]
        gc.collect()
        assert gc.get_freeze_count() == frozen  # frozen once: later objects are still scanned
        assert any(o is made_later[0] for o in gc.get_objects(generation=2))
    finally:
        gc.unfreeze()
