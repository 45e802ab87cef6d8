"""Extraction throughput against a bare regex scan of the same text, and peak memory.

    .venv/bin/python benchmarks/extract_throughput.py [--sizes 1 10 100 1000]

Each size runs in a fresh process that streams the corpus N times, text by text (as the
build does), and reports:
  floor_digits  MB/s of one bare regex (`[0-9０-９]+`) counting matches: the cheapest scan;
  floor_lexicon MB/s of the extractor's own number regex alone, no classification or mapping;
  extract       MB/s of the full per-text pipeline (find, classify, map, cite, derive);
  peak RSS of the process, which should not grow with N.
All three are measured in the same process, one after the other, so their ratios are
comparable on a shared, noisy machine; absolute MB/s are not.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DIGITS = re.compile(r"[0-9０-９]+")


def child(n: int) -> dict:
    from loaders.extract import engine, observations_from_text
    from loaders.numbers import CompactText

    _, lex, _ = engine()
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "datasets" / "sources").glob("*.txt"))]
    megabytes = n * sum(len(t.encode("utf-8")) for t in texts) / 1e6

    def timed(fn) -> float:
        start = time.perf_counter()
        for _ in range(n):
            for text in texts:
                fn(text)
        return time.perf_counter() - start

    floor_digits = timed(lambda t: sum(1 for _ in DIGITS.finditer(t)))
    floor_lexicon = timed(lambda t: sum(1 for _ in lex.pattern.finditer(CompactText(t).text)))
    observations = 0

    def extract(t: str) -> None:
        nonlocal observations
        obs, _ = observations_from_text(t, "bench", default_region="china", publication_year=2024)
        observations += len(obs)

    extract_s = timed(extract)
    return {
        "copies": n,
        "megabytes": round(megabytes, 2),
        "observations": observations,
        "floor_digits_mb_s": megabytes / floor_digits,
        "floor_lexicon_mb_s": megabytes / floor_lexicon,
        "extract_mb_s": megabytes / extract_s,
        "extract_seconds": extract_s,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100, 1000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    rows = []
    header = (
        f"{'copies':>7} {'MB':>8} {'obs':>8} {'digits MB/s':>12} {'lexicon MB/s':>13} "
        f"{'extract MB/s':>13} {'x digits':>9} {'x lexicon':>10} {'s/MB':>7} {'peak RSS MB':>12}"
    )
    print(header)
    for n in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(n)], capture_output=True, text=True, check=True, cwd=ROOT
        )
        r = json.loads(out.stdout)
        rows.append(r)
        print(
            f"{r['copies']:>7} {r['megabytes']:>8.2f} {r['observations']:>8} {r['floor_digits_mb_s']:>12.1f} "
            f"{r['floor_lexicon_mb_s']:>13.1f} {r['extract_mb_s']:>13.2f} "
            f"{r['floor_digits_mb_s'] / r['extract_mb_s']:>9.1f} {r['floor_lexicon_mb_s'] / r['extract_mb_s']:>10.2f} "
            f"{r['extract_seconds'] / r['megabytes']:>7.3f} {r['peak_rss_mb']:>12.1f}",
            flush=True,
        )
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        print(
            f"linearity: seconds per MB at {last['copies']}x / at {first['copies']}x = "
            f"{(last['extract_seconds'] / last['megabytes']) / (first['extract_seconds'] / first['megabytes']):.2f} "
            f"(1.00 = linear); peak RSS grew {last['peak_rss_mb'] - first['peak_rss_mb']:+.1f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
