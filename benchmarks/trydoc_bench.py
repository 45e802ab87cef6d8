"""Try a document against a real `streamlit run` server and Debian's chromium: seconds from
pasting a long text to the answer, and the server's peak memory meanwhile.

    .venv/bin/python benchmarks/trydoc_bench.py [--chars 200000] [--dense]

The text is the corpus repeated up to --chars characters (prose), or with --dense '1，'
repeated (a number every two characters, which the page refuses within its time budget).
Floors (issue 13): answered in under 5 s, server RSS (process and children) under 400 MB.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from browser_harness import APP, SETTLED, build_real, launch_args, rss_tree_mb, start_streamlit, wait_healthy  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from dashboard.i18n import t  # noqa: E402

TIME_FLOOR_S = 5.0
RSS_FLOOR_MB = 400.0
TIMEOUT = 120_000


def long_text(chars: int, dense: bool) -> str:
    if dense:
        return ("1，" * (chars // 2 + 1))[:chars]
    corpus = "\n".join(p.read_text("utf-8") for p in sorted((ROOT / "datasets" / "sources").glob("*.txt")))
    return (corpus * (chars // len(corpus) + 1))[:chars]


class PeakRss(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0.0, True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_tree_mb(self.pid))
            time.sleep(0.05)


def measure(text: str, tmp: Path) -> dict:
    pub = build_real(tmp / "published")
    server = start_streamlit(APP, pub, tmp / "server.log")
    try:
        wait_healthy(server)
        with sync_playwright() as p:
            browser = p.chromium.launch(**launch_args(tmp / "home"))
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(server.url + "/try", wait_until="commit")
            box = page.locator(".st-key-try_text textarea")
            box.wait_for(timeout=TIMEOUT)
            page.locator(SETTLED).wait_for(state="attached", timeout=TIMEOUT)
            idle = rss_tree_mb(server.proc.pid)
            # Paste as a reader would: the whole text at once (typing 200,000 keys would
            # measure the browser, not the server).
            box.evaluate(
                """(el, text) => {
                    const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set;
                    set.call(el, text);
                    el.dispatchEvent(new Event("input", { bubbles: true }));
                }""",
                text,
            )
            box.focus()
            watch = PeakRss(server.proc.pid)
            watch.start()
            t0 = time.perf_counter()
            box.press("Control+Enter")
            # The answer: the table of figures, or a message other than the prompt shown before.
            page.wait_for_function(
                """(prompt) => {
                    const main = document.querySelector("[data-testid=stMain]");
                    if (main.querySelector("[data-testid=stDataFrame]")) return true;
                    return [...main.querySelectorAll("[data-testid=stAlert]")].some(a => !a.innerText.includes(prompt));
                }""",
                arg=t("try_doc.prompt", "zh")[:12],
                timeout=TIMEOUT,
                polling="raf",
            )
            seconds = time.perf_counter() - t0
            page.locator(SETTLED).wait_for(state="attached", timeout=TIMEOUT)
            time.sleep(0.5)
            watch.running = False
            watch.join()
            summary = [
                c
                for c in page.locator("[data-testid=stMain] [data-testid=stCaptionContainer]").all_inner_texts()
                if "列出" in c
            ]
            alerts = page.locator("[data-testid=stMain] [data-testid=stAlert]").all_inner_texts()
            shown = page.locator("[data-testid=stMain] [data-testid=stDataFrame]").count()
            browser.close()
        return {
            "summary": summary,
            "seconds": seconds,
            "idle_mb": idle,
            "peak_mb": watch.peak,
            "alerts": alerts,
            "tables": shown,
        }
    finally:
        server.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chars", type=int, default=200_000)
    ap.add_argument("--dense", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="trydoc-bench-"))
    try:
        r = measure(long_text(args.chars, args.dense), tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    kind = "dense '1，'" if args.dense else "corpus prose"
    print(f"Try a document, {args.chars:,} pasted characters of {kind}:")
    print(
        f"  answered in {r['seconds']:.2f} s (floor < {TIME_FLOOR_S:g} s: {'met' if r['seconds'] < TIME_FLOOR_S else 'NOT met'})"
    )
    ok = r["peak_mb"] < RSS_FLOOR_MB
    print(
        f"  server RSS idle {r['idle_mb']:.0f} MB, peak {r['peak_mb']:.0f} MB (floor < {RSS_FLOOR_MB:g} MB: {'met' if ok else 'NOT met'})"
    )
    print(
        f"  answer: {r['tables']} table(s) {' '.join(r['summary'])}; messages: {' | '.join(a.strip() for a in r['alerts']) or '-'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
