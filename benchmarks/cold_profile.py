"""Where a cold start's time goes: a fresh `streamlit run`, one page opened in chromium, and
when each stage happened, in seconds from spawning the server.

    .venv/bin/python benchmarks/cold_profile.py [--trials 3] [--data PUBLISHED_DIR]

For the dashboard's /compare and /provinces and the minimal one-chart app (as
dashboard_bench.py measures them, alternating), prints the median of each stage:
`healthy` (/_stcore/health answers), `ws_open` (the page opened its websocket: the
frontend's JavaScript is loaded and running), `first_msg` (the server's first message:
the script started), `chart_msg` (the chart's element arrived), `finished`
(script_finished arrived), `visible` (the chart's SVG is visible, as the benchmark
measures cold start). The stages between them say whether the time is the server's
(script) or the browser's (loading the frontend, drawing). --messages lists the first
trial's messages with their arrival times (where the script spends its time between
elements); --chunks the JavaScript files the browser loaded before the chart was drawn.
Not a test; prints numbers.

What it showed (issue 15, machine load 2-5): about 1.5 s of every cold start, the same for
both apps, is the browser loading Streamlit's frontend before the script starts, and about
2 s after the script ends is plotly.js (4.7 MB) loading and drawing. /provinces' one-row
disagreements table, an st.dataframe, made the browser load 1.6 MB more JavaScript (the
grid and Arrow) before it drew the ranked chart: 118 files against 84 for the minimal app,
1.1-1.5 s more from script end to chart. Written as a Markdown table it loads none
(95 files) and that stage equals the minimal app's. The script itself: imports cost the
dashboard no more than pandas + plotly.express cost the minimal app; reading the tables
column by column cost 0.13-0.3 s, now 0.04-0.07 s read whole.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from benchmarks.browser_harness import APP, build_real, launch_args, start_streamlit, wait_healthy  # noqa: E402
from benchmarks.dashboard_bench import MINIMAL_APP, TIMEOUT, VIEWPORT  # noqa: E402
from benchmarks.redraw_profile import Recorder  # noqa: E402

IN_BROWSER = """(drawnAt) => {
  const js = performance.getEntriesByType("resource").filter(
    (e) => e.name.endsWith(".js") && e.startTime < drawnAt);
  const longs = performance.getEntriesByType("longtask") || [];
  return {js_files: js.length, js_kb: js.reduce((a, e) => a + (e.encodedBodySize || 0), 0) / 1024,
          chunks: js.map((e) => e.name.split("/").pop())};
}"""
STAGES = ("js_files", "js_kb", "healthy", "ws_open", "first_msg", "chart_msg", "finished", "visible")


def cold_trial(browser, app: Path, path: str, chart: str, data: Path, log: Path) -> dict[str, float]:
    """One fresh server and page; each stage in seconds from the spawn."""
    t0 = time.perf_counter()
    server = start_streamlit(app, data, log)
    rec = Recorder()
    opened: list[float] = []
    try:
        wait_healthy(server)
        healthy = time.perf_counter() - t0
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.on("websocket", lambda ws: opened.append(time.perf_counter()))
        rec.attach(page)
        page.goto(server.url + path, wait_until="commit")
        page.locator(f"{chart} .main-svg").first.wait_for(state="visible", timeout=TIMEOUT)
        visible = time.perf_counter() - t0
        drawn_at = page.evaluate("() => performance.now()")
        page.wait_for_timeout(300)
        browser_side = page.evaluate(IN_BROWSER, drawn_at)
        context.close()
    finally:
        server.stop()

    def at(kind: str) -> float:
        return next((t - t0 for t, _, k in rec.frames if k == kind), float("nan"))

    return {
        "js_files": browser_side["js_files"],
        "js_kb": browser_side["js_kb"],
        "chunks": browser_side["chunks"],
        "messages": [(t - t0, n, k) for t, n, k in rec.frames],
        "healthy": healthy,
        "ws_open": opened[0] - t0 if opened else float("nan"),
        "first_msg": rec.frames[0][0] - t0 if rec.frames else float("nan"),
        "chart_msg": at("element:plotly_chart"),
        "finished": at("script_finished"),
        "visible": visible,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=3)
    ap.add_argument("--messages", action="store_true", help="list the server's messages of the first trial")
    ap.add_argument("--chunks", action="store_true", help="list the scripts the browser loaded")
    ap.add_argument("--only", nargs="*", default=None, help="some of: compare minimal provinces")
    ap.add_argument("--data", type=Path, default=None, help="a published folder (default: build the corpus)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cold-"))
    data = args.data or build_real(tmp / "published")
    minimal = tmp / "minimal_app.py"
    minimal.write_text(MINIMAL_APP, encoding="utf-8")
    apps = {
        "compare": (APP, "/compare", ".st-key-compare_chart"),
        "minimal": (minimal, "/", ".st-key-chart"),
        "provinces": (APP, "/provinces", ".st-key-prov_ranked"),
    }
    if args.only:
        apps = {k: v for k, v in apps.items() if k in args.only}
    out: dict[str, list[dict[str, float]]] = {name: [] for name in apps}
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_args(tmp / "home"))
        for i in range(args.trials):
            for name in list(apps) if i % 2 == 0 else list(apps)[::-1]:
                app, path, chart = apps[name]
                stages = cold_trial(browser, app, path, chart, data, tmp / f"{name}-{i}.log")
                out[name].append(stages)
                print(f"  trial {i + 1} {name:9s} " + " ".join(f"{k} {stages[k]:5.2f}" for k in STAGES), flush=True)
                if i == 0 and args.messages:
                    for at_s, size, kind in stages["messages"]:
                        print(f"    {at_s:6.3f} s {size:8d} B  {kind}")
                if i == 0 and args.chunks:
                    print(f"    scripts loaded before the chart was drawn: {' '.join(sorted(stages['chunks']))}")
        browser.close()
    print(f"median of {args.trials}, seconds from spawning the server")
    print(f"   {'':10s}" + "".join(f"{k:>10s}" for k in STAGES))
    for name, rows in out.items():
        print(f"   {name:10s}" + "".join(f"{statistics.median(r[k] for r in rows):10.2f}" for k in STAGES))
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
