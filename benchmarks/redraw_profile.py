"""Where a redraw's time goes: one app, one page, a few selectbox changes; for each, every
websocket message the server sent (kind, element type, bytes) and when the browser got it.

    .venv/bin/python benchmarks/redraw_profile.py [--app dashboard|minimal|PATH] [--path /compare]
        [--chart .st-key-compare_chart] [--key indicator] [--changes 6] [--data PUBLISHED_DIR]

Prints medians, in ms from the click on the new option, measured in the page itself
(performance.now(), so the harness's own latency is left out): `first` server message,
`chart_msg` (the new figure arrived), `finished` (script_finished arrived), `drawn` (the
chart shows only its new title), `long_tasks` (browser main-thread tasks over 50 ms in that
window) and `drawn_py` (as dashboard_bench.py measures it); then the messages per change by
element type with their bytes. Not a test; prints numbers.

What it showed (issue 15): Streamlit 1.67's browser draws the new chart only when
`script_finished` arrives (an app that sleeps 0.5 s after st.plotly_chart is redrawn 0.5 s
late), so everything the run does after the chart counts, including the full garbage
collection Streamlit runs after each run while holding the GIL (dashboard/data.py,
freeze_after_next_collection). --app with a file path profiles a scratch variant.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from benchmarks.browser_harness import APP, SETTLED, build_real, launch_args, start_streamlit, wait_healthy  # noqa: E402
from benchmarks.dashboard_bench import MINIMAL_APP, TIMEOUT, VIEWPORT, chart_titles, other_option  # noqa: E402


def describe(payload: bytes) -> str:
    """'delta:plotly_chart', 'delta:add_block:expandable', 'script_finished', ..."""
    msg = ForwardMsg.FromString(payload)
    kind = msg.WhichOneof("type")
    if kind != "delta":
        return kind or "?"
    delta = msg.delta
    dkind = delta.WhichOneof("type")
    if dkind == "new_element":
        return f"element:{delta.new_element.WhichOneof('type')}"
    if dkind == "add_block":
        return f"block:{delta.add_block.WhichOneof('type')}"
    return f"delta:{dkind}"


IN_PAGE = """
window.__rec = [];
window.__long = [];
const Orig = window.WebSocket;
class Recording extends Orig {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", (e) => {
      const d = e.data;
      window.__rec.push([performance.now(), d.byteLength ?? d.size ?? d.length]);
    });
  }
}
window.WebSocket = Recording;
document.addEventListener("click", () => window.__rec.push([performance.now(), -1]), true);
new PerformanceObserver((l) => l.getEntries().forEach(
  (e) => window.__long.push([e.startTime, e.duration]))).observe({type: "longtask", buffered: true});
"""


class Recorder:
    def __init__(self) -> None:
        self.frames: list[tuple[float, int, str]] = []

    def attach(self, page) -> None:
        def on_ws(ws) -> None:
            ws.on("framereceived", self.received)

        page.on("websocket", on_ws)

    def received(self, payload) -> None:
        if isinstance(payload, str):
            payload = payload.encode()
        try:
            kind = describe(payload)
        except Exception:  # a frame we cannot decode is still counted
            kind = "undecoded"
        self.frames.append((time.perf_counter(), len(payload), kind))


def one_change(page, rec: Recorder, key: str, chart: str) -> dict:
    old = chart_titles(page, chart)
    target = other_option(page, key)
    rec.frames.clear()
    page.evaluate("() => { window.__rec = []; window.__long = []; }")
    t0 = time.perf_counter()
    target.click()
    done = page.wait_for_function(
        """([sel, old]) => {
            const t = [...document.querySelectorAll(sel)].map(e => e.textContent);
            return t.length === 1 && !old.includes(t[0]) && performance.now();
        }""",
        arg=[f"{chart} .gtitle", old],
        timeout=TIMEOUT,
        polling="raf",
    )
    drawn = time.perf_counter() - t0
    page.locator(SETTLED).wait_for(state="attached", timeout=TIMEOUT)
    time.sleep(0.3)
    drawn_at = done.json_value()
    frames = list(rec.frames)
    marks = page.evaluate("() => window.__rec")
    longs = page.evaluate("() => window.__long")
    click = next(m[0] for m in marks if m[1] == -1)
    times = [m[0] - click for m in marks if m[1] != -1]
    kinds = [f[2] for f in frames]
    if len(kinds) != len(times):  # order matches when every frame was seen by both
        kinds = ["?"] * len(times)

    def at(kind: str) -> float:
        return next((x for x, k in zip(times, kinds, strict=True) if k == kind), float("nan"))

    return {
        "drawn_py": drawn * 1000,
        "first": times[0] if times else float("nan"),
        "chart_msg": at("element:plotly_chart"),
        "finished": at("script_finished"),
        "drawn": drawn_at - click,
        "long_tasks": sum(d for s, d in longs if s >= click and s <= drawn_at),
        "frames": frames,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", default="dashboard", help="dashboard, minimal, or a path to an app")
    ap.add_argument("--path", default=None)
    ap.add_argument("--chart", default=None)
    ap.add_argument("--key", default="indicator")
    ap.add_argument("--changes", type=int, default=6)
    ap.add_argument("--data", type=Path, default=None, help="a published folder (default: build the corpus)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="redraw-"))
    data = args.data or build_real(tmp / "published")
    if args.app == "minimal":
        app = tmp / "minimal_app.py"
        app.write_text(MINIMAL_APP, encoding="utf-8")
        path, chart = args.path or "/", args.chart or ".st-key-chart"
    else:
        app = APP if args.app == "dashboard" else Path(args.app).resolve()
        path, chart = args.path or "/compare", args.chart or ".st-key-compare_chart"
    server = start_streamlit(app, data, tmp / "server.log")
    results = []
    try:
        wait_healthy(server)
        with sync_playwright() as p:
            browser = p.chromium.launch(**launch_args(tmp / "home"))
            page = browser.new_context(viewport=VIEWPORT).new_page()
            page.add_init_script(IN_PAGE)
            rec = Recorder()
            rec.attach(page)
            page.goto(server.url + path)
            page.locator(f"{chart} .main-svg").first.wait_for(state="visible", timeout=TIMEOUT)
            page.locator(SETTLED).wait_for(state="attached", timeout=TIMEOUT)
            for _ in range(args.changes + 1):
                results.append(one_change(page, rec, args.key, chart))
            browser.close()
    finally:
        server.stop()
    report(results[1:])
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


def report(results: list[dict]) -> None:
    med = statistics.median
    for name in ("first", "chart_msg", "finished", "drawn", "long_tasks", "drawn_py"):
        vals = [r[name] for r in results]
        print(f"{name:10s} median {med(vals):7.0f} ms   ({', '.join(f'{v:.0f}' for v in vals)})")
    kinds: collections.Counter = collections.Counter()
    sizes: collections.Counter = collections.Counter()
    for r in results:
        for _, n, k in r["frames"]:
            kinds[k] += 1
            sizes[k] += n
    n = len(results)
    print(f"messages per change {sum(kinds.values()) / n:.1f}, bytes per change {sum(sizes.values()) / n:,.0f}")
    for k, c in sorted(kinds.items(), key=lambda kv: -sizes[kv[0]]):
        print(f"  {k:34s}{c / n:6.1f} msgs {sizes[k] / n:12,.0f} B")


if __name__ == "__main__":
    sys.exit(main())
