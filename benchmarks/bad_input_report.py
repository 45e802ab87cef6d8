"""Print the bad-input suite: cases tried, cases held, tracebacks, and for each case its exit
code and the one line it said. Not a test (tests/loaders/test_bad_input.py asserts the same).

    .venv/bin/python benchmarks/bad_input_report.py [--only SUBSTRING]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.loaders.bad_cases import CASES  # noqa: E402
from tests.loaders.bad_runner import make_baseline, run_case  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run only cases whose name contains this")
    args = parser.parse_args()
    cases = [c for c in CASES if args.only in c.name]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        base = make_baseline(Path(tmp) / "base")
        outcomes = [run_case(case, base, Path(tmp) / f"case{i}") for i, case in enumerate(cases)]
    width = max(len(o.case.name) for o in outcomes)
    for o in outcomes:
        mark = "held" if o.held else "BROKE: " + "; ".join(o.problems)
        print(f"{o.case.name:<{width}}  exit {o.exit_code:>3}  {mark:<6}  {o.line}")
    held = sum(o.held for o in outcomes)
    tracebacks = sum(o.traceback for o in outcomes)
    unchanged = sum(o.published_same and not o.staging_left for o in outcomes)
    print(
        f"\ncases tried: {len(outcomes)}  held: {held}  tracebacks: {tracebacks}  "
        f"published bytes identical: {unchanged}/{len(outcomes)}  ({time.perf_counter() - started:.0f} s)"
    )
    return 0 if held == len(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
