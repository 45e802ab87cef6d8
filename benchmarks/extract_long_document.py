"""One long document, not many small ones: time and peak memory of extracting a single text
that is the corpus repeated N times, and of texts dense with numbers.

    .venv/bin/python benchmarks/extract_long_document.py                 # 1x 10x 100x 1000x + dense
    .venv/bin/python benchmarks/extract_long_document.py --copies 1 10 100 --no-dense
    .venv/bin/python benchmarks/extract_long_document.py --copies 1 --megabytes 50 --no-dense --path cli

Each case runs in a fresh process (so peak RSS is its own) and prints, beside its floor:
  s/MB        CPU seconds per MB of extract_text (--path extract, the default), of the
              build path (--path build: observations_from_text, which adds observation and
              mention rows and derived years) or of the command line (--path cli: the table
              written as CSV chunk by chunk); floor: at the largest size within 1.2x of 1x;
  x lexicon   extract time / the extractor's own number regex scanned once over the same
              compact text (its cheapest possible pass); floor: 3x;
  peak RSS    of the process, after the text is built; floor: 300 MB for inputs up to 50 MB;
  dense       '1，' * 100,000 and 100,000 numbers in a ~1.6 MB table: floor 30 s; a 400 KB
              line with 10,000 numbers (the case that once took 9.6 GB).
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LINEAR_FLOOR = 1.2
LEXICON_FLOOR = 3.0
RSS_FLOOR_MB = 300
RSS_FLOOR_INPUT_MB = 50
DENSE_FLOOR_S = 30.0


def _text(case: str, n: int) -> str:
    if case == "corpus":
        texts = [p.read_text("utf-8") for p in sorted((ROOT / "datasets" / "sources").glob("*.txt"))]
        return "\n".join(texts * n)
    if case == "ones":
        return "1，" * n
    if case == "table":  # two numbers per row, one line per row: 指标12为4.44亿元
        return "".join(f"指标{i % 97}为{i * 0.37:.2f}亿元，\n" for i in range(n // 2))
    if case == "line":  # one line, one figure per clause, no full stop
        return "，".join(f"某市工业增加值{i * 1.7:.1f}亿元" for i in range(n))
    raise ValueError(case)


def child(case: str, n: int, path: str) -> dict:
    from loaders.extract import engine, extract_text, observations_from_text
    from loaders.numbers import CompactText

    _, lex, _ = engine()
    observations_from_text("2020年地区生产总值3亿元。", "warm", default_region="china", publication_year=2024)
    text = _text(case, n)
    megabytes = sum(len(text[i : i + (1 << 20)].encode("utf-8")) for i in range(0, len(text), 1 << 20)) / 1e6
    start = time.process_time()
    numbers = sum(1 for _ in lex.pattern.finditer(CompactText(text).text))
    floor_s = time.process_time() - start
    start = time.process_time()
    if path == "build":
        obs, mentions = observations_from_text(text, "bench", default_region="china", publication_year=2024)
        rows, observations = len(mentions), len(obs)
    elif path == "cli":
        rows, observations = _write_csv_in_chunks(text)
    else:
        frame = extract_text(text, default_region="china", publication_year=2024)
        rows, observations = len(frame), int((frame["indicator_id"] != "").sum())
    extract_s = time.process_time() - start
    return {
        "case": case,
        "n": n,
        "megabytes": megabytes,
        "numbers": numbers,
        "mentions": rows,
        "observations": observations,
        "lexicon_s": floor_s,
        "extract_s": extract_s,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _write_csv_in_chunks(text: str) -> tuple[int, int]:
    """What `python -m loaders extract --all` does: the table written as CSV chunk by chunk
    (to a temporary file), never held whole."""
    import tempfile

    from loaders.extract import extract_chunks

    rows = observations = 0
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        for k, chunk in enumerate(extract_chunks(text, default_region="china", publication_year=2024)):
            chunk.to_csv(out, index=False, header=k == 0, lineterminator="\n")
            rows, observations = rows + len(chunk), observations + int((chunk["indicator_id"] != "").sum())
    return rows, observations


def _copies_for(megabytes: float) -> int:
    """How many copies of the corpus make the longest single text of at most this many MB
    (the RSS floor covers inputs up to 50 MB: 50.1 MB would fall outside it)."""
    one = len(_text("corpus", 1).encode("utf-8")) / 1e6
    return max(1, math.floor(megabytes / one))


def run(case: str, n: int, path: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", case, str(n), path], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(out.stdout)


def _row(r: dict) -> str:
    return (
        f"{r['case']:>7} {r['n']:>7} {r['megabytes']:>8.2f} {r['mentions']:>9} {r['extract_s']:>9.2f} "
        f"{r['extract_s'] / r['megabytes']:>7.2f} {r['extract_s'] / r['lexicon_s']:>6.2f} (<= {LEXICON_FLOOR:g}) "
        f"{r['peak_rss_mb']:>7.0f} {_rss_verdict(r)}"
    )


def _rss_verdict(r: dict) -> str:
    """Beside the RSS: met or not, or n/a for an input the floor does not cover (over 50 MB),
    so a 50.12 MB run at 810 MB never reads "(< 300)"."""
    if r["megabytes"] > RSS_FLOOR_INPUT_MB:
        return f"(n/a: over {RSS_FLOOR_INPUT_MB} MB)"
    return f"({'<' if r['peak_rss_mb'] < RSS_FLOOR_MB else 'NOT <'} {RSS_FLOOR_MB})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 10, 100, 1000])
    parser.add_argument(
        "--megabytes",
        type=float,
        nargs="+",
        default=[],
        help="also one text of at most this many MB (the corpus repeated): 50 is the largest input the RSS floor covers",
    )
    parser.add_argument("--no-dense", action="store_true")
    parser.add_argument(
        "--path",
        choices=("extract", "build", "cli"),
        default="extract",
        help="extract: extract_text, the whole table in memory (Try a document); "
        "build: observations_from_text (observation and mention rows, derived years); "
        "cli: python -m loaders extract, the table written as CSV chunk by chunk",
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]), args.child[2])))
        return 0
    print(f"path: {args.path}; times are CPU seconds of the child process (the machine is shared)")
    print(f"{'case':>7} {'n':>7} {'MB':>8} {'mentions':>9} {'seconds':>9} {'s/MB':>7} {'x lexicon':>16} {'RSS MB':>16}")
    rows = []
    for n in [*args.copies, *map(_copies_for, args.megabytes)]:
        rows.append(run("corpus", n, args.path))
        print(_row(rows[-1]), flush=True)
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        ratio = (last["extract_s"] / last["megabytes"]) / (first["extract_s"] / first["megabytes"])
        verdict = "met" if ratio <= LINEAR_FLOOR else "NOT met"
        print(f"linearity: s/MB at {last['n']}x / at {first['n']}x = {ratio:.2f} (floor <= {LINEAR_FLOOR}: {verdict})")
    if not args.no_dense:
        for case, n in (("ones", 100_000), ("table", 100_000), ("line", 10_000)):
            r = run(case, n, args.path)
            print(_row(r), flush=True)
            if case != "line":
                verdict = "met" if r["extract_s"] < DENSE_FLOOR_S else "NOT met"
                print(f"  {r['numbers']} numbers in {r['extract_s']:.1f} s (floor < {DENSE_FLOOR_S:g} s: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
