"""The dashboard against a minimal one-chart Streamlit app, then at a million observations.

    .venv/bin/python benchmarks/dashboard_bench.py [--trials 5] [--n-obs 1000000] [--reruns 9]

Prints numbers; not a test (always exits 0 unless the harness itself breaks).

A. Side by side, in one run, same machine, same browser, same data (a fresh build of the
   bundled corpus, official provincial panel included), alternating the apps trial by trial:
   - cold start: `streamlit run` spawned -> first chart's SVG visible in chromium
     (the dashboard's chart page /compare, and its provinces page /provinces with the
     official panel's ranked chart (issue 16); the minimal app's only page);
   - redraw: another option picked in the selectbox -> the chart shows the new title (only
     the new one: plotly briefly keeps both). One warm-up change per trial is not counted.
   Median of --trials each, and the ratio dashboard page / minimal (target <= 1.2x).
B. A synthetic published folder with --n-obs observations (real regions and indicators,
   synthetic sources whose texts hold every quote at its offsets, two mentions per figure):
   - server rerun after a filter change, per page, with AppTest (median of --reruns after a
     warm-up; target <= 100 ms);
   - resident memory (RSS of the `streamlit run` process and its children, sampled every
     0.2 s) while a browser opens every page and changes a filter (target <= 500 MB).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

from benchmarks.browser_harness import (  # noqa: E402
    APP,
    SETTLED,
    Server,
    build_real,
    check_synthetic_sample,
    launch_args,
    rss_tree_mb,
    start_streamlit,
    synthesize,
    wait_healthy,
)
from dashboard.i18n import t  # noqa: E402

MINIMAL_APP = """\
import os

import pandas as pd
import plotly.express as px
import streamlit as st


@st.cache_data
def load() -> pd.DataFrame:
    return pd.read_parquet(os.path.join(os.environ["DASHBOARD_DATA_DIR"], "observations.parquet"))


obs = load()
indicator = st.selectbox("指标", sorted(obs["indicator_id"].unique()), key="indicator")
rows = obs[obs["indicator_id"] == indicator]
st.plotly_chart(px.bar(rows, x="region_id", y="value", title=indicator), key="chart")
"""
TIMEOUT = 120_000  # ms; generous, the million-row pages can be slow
VIEWPORT = {"width": 1400, "height": 900}


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def settle(page: Page, timeout: float = TIMEOUT) -> None:
    page.locator(SETTLED).wait_for(state="attached", timeout=timeout)


def chart_titles(page: Page, chart: str) -> list[str]:
    return page.locator(f"{chart} .gtitle").all_text_contents()


def other_option(page: Page, key: str):
    """Open the selectbox `key` and return an option other than the one chosen (not clicked)."""
    box = page.locator(f".st-key-{key} input[role=combobox]")
    current = box.input_value().strip()
    box.click()
    opts = page.locator("[role=option]:visible")
    opts.first.wait_for(timeout=TIMEOUT)
    return next(o for o in opts.all() if o.inner_text().strip() != current)


def change_selectbox(page: Page, key: str, chart: str) -> float:
    """Pick another option; seconds from the click to the chart showing only its new title."""
    old = chart_titles(page, chart)
    target = other_option(page, key)
    t0 = time.perf_counter()
    target.click()
    page.wait_for_function(
        """([sel, old]) => {
            const t = [...document.querySelectorAll(sel)].map(e => e.textContent);
            return t.length === 1 && !old.includes(t[0]);
        }""",
        arg=[f"{chart} .gtitle", old],
        timeout=TIMEOUT,
        polling="raf",
    )
    dt = time.perf_counter() - t0
    settle(page)
    return dt


def trial(
    browser, app: Path, path: str, data_dir: Path, chart: str, log: Path, changes: int, key: str = "indicator"
) -> tuple[float, float, list]:
    """One cold start (and when the server answered /_stcore/health), `changes` counted redraws."""
    t0 = time.perf_counter()
    server = start_streamlit(app, data_dir, log)
    try:
        wait_healthy(server)
        ready = time.perf_counter() - t0
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.goto(server.url + path, wait_until="commit")
        page.locator(f"{chart} .main-svg").first.wait_for(state="visible", timeout=TIMEOUT)
        cold = time.perf_counter() - t0
        settle(page)
        redraws = [change_selectbox(page, key, chart) for _ in range(changes + 1)][1:]
        context.close()
        return cold, ready, redraws
    finally:
        server.stop()


def side_by_side(browser, tmp: Path, real: Path, trials: int) -> dict:
    minimal = tmp / "minimal_app.py"
    minimal.write_text(MINIMAL_APP, encoding="utf-8")
    apps = {  # (app, page, chart, selectbox changed)
        "dashboard": (APP, "/compare", ".st-key-compare_chart", "indicator"),
        "minimal": (minimal, "/", ".st-key-chart", "indicator"),
        "provinces": (APP, "/provinces", ".st-key-prov_ranked", "prov_indicator"),  # the official panel
    }
    out = {name: {"cold": [], "ready": [], "redraw": []} for name in apps}
    for i in range(trials):
        order = list(apps) if i % 2 == 0 else list(apps)[::-1]
        for name in order:
            app, path, chart, key = apps[name]
            cold, ready, redraws = trial(browser, app, path, real, chart, tmp / f"{name}-{i}.log", changes=1, key=key)
            out[name]["cold"].append(cold)
            out[name]["ready"].append(ready)
            out[name]["redraw"].extend(redraws)
            print(
                f"  trial {i + 1} {name:9s} cold {cold:6.2f} s (server healthy at {ready:4.2f} s)"
                f"  redraw {redraws[0] * 1000:6.0f} ms",
                flush=True,
            )
    return out


# --- B: a million observations ----------------------------------------------------------------

# (page, widget kind, key, two values to alternate between, label)
RERUNS = [
    ("overview", "multiselect", "regions", (["jiangxi"], ["zhejiang", "east"]), "global region filter"),
    ("compare", "selectbox", "year", (2022, 2021), "year"),
    ("trends", "selectbox", "indicator", ("rd_intensity_pct", "basic_research_share_pct"), "indicator"),
    ("region", "selectbox", "region", ("jiangxi", "zhejiang"), "region"),
    ("sources", "selectbox", "source", ("synth_0000", "synth_0001"), "source"),
    ("data", "multiselect", "indicators", (["rd_intensity_pct"], ["basic_research_share_pct"]), "indicator"),
    ("data", "slider", "years", ((2000, 2024), (2010, 2024)), "year range, all indicators"),
    ("quality", "slider", "years", ((2000, 2024), (2010, 2024)), "year range"),
]


def apptest_reruns(pub: Path, src: Path, reruns: int) -> list[tuple[str, str, float, float, str]]:
    import os

    from streamlit.testing.v1 import AppTest

    os.environ["DASHBOARD_DATA_DIR"] = str(pub)
    os.environ["DASHBOARD_SOURCES_DIR"] = str(src)
    rows = []
    at = AppTest.from_file(str(APP), default_timeout=600)
    t0 = time.perf_counter()
    at.run()
    first = time.perf_counter() - t0
    rows.append(("overview", "first run (loads the tables)", first * 1000, float("nan"), ""))
    for page, kind, key, values, label in RERUNS:
        times, problem, enter = [], "", float("nan")
        try:
            at.switch_page(f"app_pages/{page}.py")
            t0 = time.perf_counter()
            at.run()
            enter = time.perf_counter() - t0
            for i in range(reruns + 1):
                widget = getattr(at, kind)(key=key)
                value = values[i % 2]
                if kind == "selectbox":
                    widget.select(value)
                else:
                    widget.set_value(value)
                t0 = time.perf_counter()
                at.run()
                times.append(time.perf_counter() - t0)
                if at.exception:
                    problem = at.exception[0].value[:80]
        except Exception as exc:  # report and go on with the next page
            problem = f"{type(exc).__name__}: {str(exc)[:80]}"
        rows.append((page, label, median(times[1:]) * 1000, enter * 1000, problem))
        print(f"     {page:9s} {label:30s} {median(times[1:]) * 1000:8.0f} ms  {problem}", flush=True)
    return rows


def browse_million(browser, pub: Path, src: Path, tmp: Path) -> dict:
    """A real server over the synthetic folder; a browser visits every page; RSS sampled."""
    server: Server = start_streamlit(APP, pub, tmp / "million.log", sources_dir=src)
    samples: list[tuple[float, float]] = []
    stop = threading.Event()
    t_start = time.perf_counter()

    def sample():
        while not stop.is_set():
            samples.append((time.perf_counter() - t_start, rss_tree_mb(server.proc.pid)))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    steps: list[tuple[str, float]] = []
    try:
        wait_healthy(server)
        rss_idle = rss_tree_mb(server.proc.pid)
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()

        def step(name: str, action) -> None:
            if steps and steps[-1][1] != steps[-1][1]:
                return  # an earlier step timed out: the page is not in a known state
            t0 = time.perf_counter()
            try:
                action()
                settle(page)
                steps.append((name, time.perf_counter() - t0))
            except PlaywrightTimeout:
                steps.append((name, float("nan")))

        def nav(url_path: str):
            def go():
                page.locator(f'[data-testid=stSidebarNav] a[href$="/{url_path}"]').click()
                page.wait_for_url(f"**/{url_path}**", timeout=TIMEOUT)
                heading = t(f"nav.{url_path}", "zh")
                page.locator("[data-testid=stMain] h2").filter(has_text=heading).first.wait_for(timeout=TIMEOUT)

            return go

        step(
            "open overview (loads tables)",
            lambda: (
                page.goto(server.url + "/"),
                page.get_by_test_id("stMetric").first.wait_for(timeout=TIMEOUT),
            ),
        )
        rss_loaded = rss_tree_mb(server.proc.pid)
        step("compare", nav("compare"))
        step("compare: chart", lambda: page.locator(".st-key-compare_chart .main-svg").first.wait_for(timeout=TIMEOUT))
        step("compare: other indicator", lambda: change_selectbox(page, "indicator", ".st-key-compare_chart"))
        step("trends", nav("trends"))
        step("trends: other indicator", lambda: change_selectbox(page, "indicator", ".st-key-trend_chart"))
        step("region", nav("region"))
        step("sources", nav("sources"))
        step("data", nav("data"))
        step("quality", nav("quality"))

        def narrow_years():
            end = page.locator(".st-key-years input[type=range]").last
            end.focus()
            end.press("ArrowLeft")
            page.wait_for_url("**years=**", timeout=TIMEOUT)

        step("quality: year range", narrow_years)
        step(
            "overview",
            lambda: (
                page.locator('[data-testid=stSidebarNav] a[href$="/"]').first.click(),
                page.locator("[data-testid=stMain] h1").filter(has_text=t("app.title", "zh")).wait_for(timeout=TIMEOUT),
            ),
        )
        context.close()
        rss_after = rss_tree_mb(server.proc.pid)
    finally:
        stop.set()
        sampler.join()
        server.stop()
    return {
        "idle": rss_idle,
        "loaded": rss_loaded,
        "after": rss_after,
        "peak": max(r for _, r in samples),
        "steps": steps,
    }


def print_side_by_side(side: dict, trials: int) -> None:
    """Each dashboard page measured against the minimal app, with the floor, in one table."""
    print(f"A. Dashboard vs minimal one-chart app (median of {trials}; redraw after one warm-up change)")
    print(f"   {'':44s}{'dashboard':>12s}{'minimal':>12s}{'ratio':>9s}  target")
    for name, page in (("dashboard", "/compare"), ("provinces", "/provinces")):
        for key, label, unit, scale in (
            ("cold", "cold start -> first chart visible", "s", 1),
            ("ready", "  of which: server healthy", "s", 1),
            ("redraw", "filter change -> chart redrawn", "ms", 1000),
        ):
            d, m = median(side[name][key]) * scale, median(side["minimal"][key]) * scale
            fmt = "{:>10.2f} " if unit == "s" else "{:>10.0f} "
            ok = "" if key == "ready" else ("<= 1.2x ok" if d / m <= 1.2 else "<= 1.2x MISSED")
            print(
                f"   {page + ' ' + label:44s}{fmt.format(d)}{unit}{fmt.format(m)}{unit}{d / m:>8.2f}x  {ok:14s}"
                f"   (all {name}: {', '.join(f'{x * scale:.2f}' for x in side[name][key])};"
                f" minimal: {', '.join(f'{x * scale:.2f}' for x in side['minimal'][key])})"
            )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=5)
    ap.add_argument("--n-obs", type=int, default=1_000_000)
    ap.add_argument("--reruns", type=int, default=9)
    ap.add_argument("--skip-side-by-side", action="store_true")
    ap.add_argument("--skip-million", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (builds, synthetic data, logs)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dashbench-"))
    try:
        return run(args, tmp)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def run(args, tmp: Path) -> int:

    real = build_real(tmp / "real" / "published")
    print(f"work folder {tmp}; real build {real}", flush=True)

    side = million = reruns = synth_info = None
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_args(tmp / "home"))
        if not args.skip_side_by_side:
            print(f"A. side by side, {args.trials} trials each", flush=True)
            side = side_by_side(browser, tmp, real, args.trials)
        if not args.skip_million:
            t0 = time.perf_counter()
            pub, src = synthesize(real, tmp / "synthetic", args.n_obs)
            gen = time.perf_counter() - t0
            passed, total, failed = check_synthetic_sample(pub, src)
            size = sum(f.stat().st_size for f in pub.iterdir()) / 2**20
            synth_info = (gen, passed, total, size)
            print(
                f"B. synthesized {args.n_obs:,} observations in {gen:.1f} s ({size:.0f} MB of Parquet); "
                f"project schemas on a 5-source sample: {passed}/{total} rules pass (failing: {', '.join(failed) or '-'})",
                flush=True,
            )
            print("   AppTest reruns ...", flush=True)
            reruns = apptest_reruns(pub, src, args.reruns)
            print("   real server + browser ...", flush=True)
            million = browse_million(browser, pub, src, tmp)
        browser.close()

    print()
    if side:
        print_side_by_side(side, args.trials)
    if reruns:
        gen, passed, total, size = synth_info
        print()
        print(
            f"B. {args.n_obs:,} synthetic observations; AppTest rerun after a filter change (median of {args.reruns})"
        )
        print(f"   {'page':10s}{'filter changed':32s}{'rerun ms':>10s}{'enter ms':>10s}  target <= 100 ms")
        for page, label, ms, enter, problem in reruns:
            verdict = "" if enter != enter else ("ok" if ms <= 100 else "MISSED")  # no verdict on the first run
            enter_s = "" if enter != enter else f"{enter:10.0f}"
            print(f"   {page:10s}{label:32s}{ms:>10.0f}{enter_s:>10s}  {verdict} {problem}")
    if million:
        print()
        print("   streamlit run over the synthetic folder, browser visiting every page (RSS incl. children)")
        for name, dt in million["steps"]:
            shown = f"{dt:8.2f} s" if dt == dt else f"timed out after {TIMEOUT / 1000:.0f} s (later steps skipped)"
            print(f"     {name:30s}{shown}")
        print(f"   RSS idle (before any session)   {million['idle']:8.0f} MB")
        print(f"   RSS after loading the tables    {million['loaded']:8.0f} MB")
        print(f"   RSS after the interactions      {million['after']:8.0f} MB")
        verdict = "ok" if million["peak"] <= 500 else "MISSED"
        print(f"   RSS peak                        {million['peak']:8.0f} MB   target <= 500 MB {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
