"""Ten browser sessions changing filters at once against one dashboard server (issue 4).

    .venv/bin/python benchmarks/load_test.py [--sessions 10] [--duration 60] [--browsers 1]
        [--data DIR --sources DIR]

One `streamlit run dashboard/app.py` on 127.0.0.1 over a fresh build of the bundled corpus
(or --data/--sources, e.g. a synthetic folder), and --sessions headless chromium contexts
(spread over --browsers chromium processes; one is kinder to a 2-core machine). Each session
opens /compare and then cycles through the pages, changing a filter on each: indicator,
year, the global region filter, the year range, the region, the data page's indicators.
Every step waits until the URL shows the change and the script run has finished, so the
latency is what a person waits for. A session stops after --duration seconds or --max-steps
steps, whichever comes first; the whole run is bounded by duration + 120 s.

Counted as errors: a Streamlit exception or error box on the page, a console error, an
uncaught page error, a crashed page, an HTTP error (other than the frontend's 404 probes of
<page>/_stcore/health and host-config on deep links), and a step that did not finish within
--step-timeout. Server memory (RSS of the process and its children) is sampled every 0.5 s.
Prints the numbers; exits 0 (1 only when the server could not be started).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
from playwright.async_api import Page, async_playwright  # noqa: E402
from playwright.async_api import TimeoutError as PlaywrightTimeout  # noqa: E402

from benchmarks.browser_harness import APP, build_real, launch_args, rss_tree_mb, start_streamlit, wait_healthy  # noqa: E402
from dashboard.i18n import t  # noqa: E402

BENIGN_404 = re.compile(r"/_stcore/(health|host-config)$")
ERROR_BOXES = "[data-testid=stException], [data-testid=stAlertContentError]"
VIEWPORT = {"width": 1280, "height": 800}
# One cycle through the dashboard; every step changes the URL, so its end can be seen.
CYCLE = [
    ("nav", "compare"),
    ("pick", "indicator"),
    ("pick", "year"),
    ("regions", None),
    ("nav", "trends"),
    ("pick", "indicator"),
    ("years", None),
    ("nav", "region"),
    ("pick", "region"),
    ("nav", "data"),
    ("data_indicators", None),
    ("regions", None),
    ("nav", "overview"),
    ("years", None),
]


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    steps: Counter = field(default_factory=Counter)

    def error(self, session: int, kind: str, detail: str) -> None:
        self.errors[kind] += 1
        if len(self.examples) < 12:
            self.examples.append(f"session {session}: {kind}: {detail[:200]}")


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


async def settle(page: Page, timeout: float) -> None:
    await page.locator("[data-test-script-state=notRunning]").wait_for(state="attached", timeout=timeout)


async def wait_param(page: Page, key: str, ok, timeout: float) -> None:
    await page.wait_for_url(lambda url: ok(params(url).get(key)), timeout=timeout)


async def pick_other(page: Page, key: str, timeout: float) -> None:
    before = params(page.url).get(key)
    box = page.locator(f".st-key-{key} input[role=combobox]")
    current = (await box.input_value(timeout=timeout)).strip()
    await box.click(timeout=timeout)
    opts = page.locator("[role=option]:visible")
    await opts.first.wait_for(timeout=timeout)
    texts = [x.strip() for x in await opts.all_inner_texts()]
    others = [i for i, x in enumerate(texts) if x != current]
    if not others:
        await box.press("Escape")
        return
    await opts.nth(others[0]).click(timeout=timeout)
    await wait_param(page, key, lambda v: v != before, timeout)


async def toggle_multiselect(page: Page, key: str, pick: int | None, timeout: float, rng: random.Random) -> None:
    """Clear the multiselect `key` if it is set, else pick one option (random when pick is None)."""
    if key in params(page.url):
        await page.locator(f'.st-key-{key} [aria-label="Clear all"]').click(timeout=timeout)
        await wait_param(page, key, lambda v: v is None, timeout)
        return
    box = page.locator(f".st-key-{key} input[role=combobox]")
    await box.click(timeout=timeout)
    opts = page.locator("[role=option]:visible")
    await opts.first.wait_for(timeout=timeout)
    n = await opts.count()
    await opts.nth(rng.randrange(min(n, 8)) if pick is None else pick).click(timeout=timeout)
    await box.press("Escape")
    await wait_param(page, key, lambda v: v is not None, timeout)


async def toggle_years(page: Page, timeout: float) -> None:
    end = page.locator(".st-key-years input[type=range]").last
    await end.focus(timeout=timeout)
    if "years" in params(page.url):
        await end.press("End")
        await wait_param(page, "years", lambda v: v is None, timeout)
    else:
        await end.press("ArrowLeft")
        await wait_param(page, "years", lambda v: v is not None, timeout)


async def navigate(page: Page, url_path: str, timeout: float) -> None:
    href = "/" if url_path == "overview" else f"/{url_path}"
    await page.locator(f'[data-testid=stSidebarNav] a[href$="{href}"]').first.click(timeout=timeout)
    await page.wait_for_url(lambda url: urlparse(url).path == href, timeout=timeout)
    heading = t("app.title" if url_path == "overview" else f"nav.{url_path}", "zh")
    await (
        page.locator("[data-testid=stMain] h1, [data-testid=stMain] h2")
        .filter(has_text=heading)
        .first.wait_for(timeout=timeout)
    )


async def session(
    i: int, browser, url: str, stats: Stats, deadline: float, max_steps: int, step_timeout: float
) -> None:
    rng = random.Random(i)
    context = await browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = await context.new_page()
    page.on("pageerror", lambda exc: stats.error(i, "page error", str(exc)))
    page.on("crash", lambda _: stats.error(i, "page crash", ""))

    def on_console(msg) -> None:
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            stats.error(i, "console error", msg.text)

    def on_response(resp) -> None:
        if resp.status >= 400 and not (resp.status == 404 and BENIGN_404.search(urlparse(resp.url).path)):
            stats.error(i, f"HTTP {resp.status}", resp.url)

    page.on("console", on_console)
    page.on("response", on_response)
    try:
        await page.goto(f"{url}/compare", timeout=step_timeout)
        await page.locator(".st-key-compare_chart .main-svg").first.wait_for(timeout=step_timeout)
        await settle(page, step_timeout)
    except PlaywrightTimeout as exc:
        stats.error(i, "timeout", f"first load: {exc}")
        await context.close()
        return
    # Start each session at another point of the cycle, so the server sees a mix.
    k = rng.randrange(len(CYCLE))
    steps = 0
    while time.monotonic() < deadline and steps < max_steps:
        kind, arg = CYCLE[k % len(CYCLE)]
        k += 1
        name = f"{kind}:{arg}" if arg else kind
        t0 = time.perf_counter()
        try:
            if kind == "nav":
                await navigate(page, arg, step_timeout)
            elif kind == "pick":
                await pick_other(page, arg, step_timeout)
            elif kind == "regions":
                await toggle_multiselect(page, "regions", None, step_timeout, rng)
            elif kind == "years":
                await toggle_years(page, step_timeout)
            elif kind == "data_indicators":
                await toggle_multiselect(page, "indicators", 0, step_timeout, rng)
            await settle(page, step_timeout)
        except PlaywrightTimeout as exc:
            stats.error(i, "timeout", f"{name}: {str(exc).splitlines()[0]}")
            # Start the cycle again from a known page.
            k = 0
            try:
                await page.goto(f"{url}/compare", timeout=step_timeout)
                await settle(page, step_timeout)
            except PlaywrightTimeout:
                break
            continue
        stats.latencies[name].append(time.perf_counter() - t0)
        stats.steps[i] += 1
        steps += 1
        n_bad = await page.locator(ERROR_BOXES).count()
        if n_bad:
            text = await page.locator(ERROR_BOXES).first.inner_text()
            stats.error(i, "streamlit error box", f"after {name}: {text}")
    await context.close()


def pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q / 100 * (len(xs) - 1))))]


async def run(args, url: str, server_pid: int, home: Path) -> tuple[Stats, list[tuple[float, float]], float]:
    stats = Stats()
    samples: list[tuple[float, float]] = []
    t_start = time.monotonic()
    done = asyncio.Event()

    async def sampler():
        while not done.is_set():
            samples.append((time.monotonic() - t_start, rss_tree_mb(server_pid)))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), 0.5)

    sample_task = asyncio.create_task(sampler())
    async with async_playwright() as p:
        browsers = [await p.chromium.launch(**launch_args(home / f"b{j}")) for j in range(args.browsers)]
        deadline = time.monotonic() + args.duration
        tasks = [
            session(i, browsers[i % len(browsers)], url, stats, deadline, args.max_steps, args.step_timeout * 1000)
            for i in range(args.sessions)
        ]
        try:
            await asyncio.wait_for(asyncio.gather(*tasks), args.duration + 120)
        except TimeoutError:
            stats.error(-1, "run overran", f"not finished {args.duration + 120} s after the start")
        wall = time.monotonic() - t_start
        for b in browsers:
            await b.close()
    done.set()
    await sample_task
    return stats, samples, wall


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds each session keeps changing filters")
    ap.add_argument("--max-steps", type=int, default=500, help="per session")
    ap.add_argument("--browsers", type=int, default=1, help="chromium processes to spread the sessions over")
    ap.add_argument("--step-timeout", type=float, default=30.0, help="seconds")
    ap.add_argument("--data", type=Path, help="a published folder (default: a fresh build of the corpus)")
    ap.add_argument("--sources", type=Path, help="the source texts for --data")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="loadtest-"))
    data = args.data or build_real(tmp / "real" / "published")
    server = start_streamlit(APP, data, tmp / "streamlit.log", sources_dir=args.sources)
    try:
        wait_healthy(server)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        server.stop()
        return 1
    rss_start = server.rss_mb()
    server_ps = psutil.Process(server.proc.pid)
    cpu_start = sum(server_ps.cpu_times()[:2])
    print(
        f"server {server.url} (pid {server.proc.pid}) over {data}; {args.sessions} sessions in "
        f"{args.browsers} chromium, {args.duration:.0f} s",
        flush=True,
    )
    try:
        stats, samples, wall = asyncio.run(run(args, server.url, server.proc.pid, tmp))
        alive = server.proc.poll() is None
        rss_end = server.rss_mb()
        server_cpu = sum(server_ps.cpu_times()[:2]) - cpu_start
    finally:
        server.stop()
    log = (tmp / "streamlit.log").read_text(errors="replace")
    shutil.rmtree(tmp, ignore_errors=True)
    tracebacks = log.count("Traceback (most recent call last)")

    all_lat = [x for xs in stats.latencies.values() for x in xs]
    n = len(all_lat)
    print()
    print(f"Load test: {args.sessions} concurrent sessions, {wall:.0f} s wall, server alive at the end: {alive}")
    print(f"  interactions completed   {n}  ({n / wall:.1f}/s overall)")
    per = [stats.steps[i] for i in range(args.sessions)]
    print(f"  per session              min {min(per)}  median {statistics.median(per):.0f}  max {max(per)}")
    print(f"  errors                   {sum(stats.errors.values())}  {dict(stats.errors) or ''}")
    print(f"  tracebacks in server log {tracebacks}")
    print(
        f"  server CPU               {server_cpu:.0f} s over {wall:.0f} s wall ({server_cpu / wall:.0%} of one core; "
        f"{psutil.cpu_count()} cores shared with chromium)"
    )
    for line in stats.examples:
        print(f"    {line}")
    print(
        f"  latency (s)              p50 {pct(all_lat, 50):.2f}  p90 {pct(all_lat, 90):.2f}  "
        f"p95 {pct(all_lat, 95):.2f}  p99 {pct(all_lat, 99):.2f}  max {max(all_lat, default=float('nan')):.2f}"
    )
    print("  by step                  count    p50    p95    max")
    for name, xs in sorted(stats.latencies.items()):
        print(f"    {name:22s}{len(xs):7d}{pct(xs, 50):7.2f}{pct(xs, 95):7.2f}{max(xs):7.2f}")
    rss = [r for _, r in samples]
    print(
        f"  server RSS (MB)          start {rss_start:.0f}  peak {max(rss, default=float('nan')):.0f}  "
        f"last sampled {rss[-1] if rss else float('nan'):.0f}  after the sessions closed {rss_end:.0f}"
    )
    marks = []
    for mark in range(0, int(wall) + 1, 10):
        near = [r for s, r in samples if mark <= s < mark + 10]
        if near:
            marks.append(f"{mark:>3d}s {max(near):.0f}")
    print(f"  RSS by 10 s (peak)       {' | '.join(marks)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
