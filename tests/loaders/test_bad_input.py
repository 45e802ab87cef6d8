"""Bad input stops the command with one line naming the file, and loses nothing published.

Every case of the suite lives in tests/loaders/bad_cases.py (benchmarks/bad_input_report.py
prints them); this file runs them against copies of one good build, plus the faults that need
a real process (a killed build, a real traceback check)."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import time

import pandas as pd
import pytest

from loaders.build import ROOT
from tests.loaders.bad_cases import CASES
from tests.loaders.bad_runner import Workspace, clone, make_baseline, published_state, run_case
from tests.loaders.cli import argv, run


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Workspace:
    """One good build of copies of the corpus, copied again for every case."""
    return make_baseline(tmp_path_factory.mktemp("bad_input") / "base")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_case_holds(case, baseline, tmp_path):
    outcome = run_case(case, baseline, tmp_path / "ws")
    assert outcome.held, (outcome.problems, outcome.lines)


def test_the_suite_is_not_vacuous(baseline, tmp_path):
    """A case whose damage is undone must fail to hold: the judge really judges."""
    from dataclasses import replace

    from tests.loaders.bad_cases import nothing

    harmless = replace(CASES[0], damage=nothing)
    outcome = run_case(harmless, baseline, tmp_path / "ws")
    assert not outcome.held and outcome.exit_code == 0


def test_a_real_process_prints_one_line_and_no_traceback(baseline, tmp_path):
    ws = clone(baseline, tmp_path / "ws")
    bib = ws.sources / "sources.yaml"
    bib.write_text(bib.read_text("utf-8").replace("authors: [王增]", "authors: [1, 2]"))
    before = published_state(ws)
    result = run(argv("build", sources=ws.sources, reference=ws.reference, out=ws.out))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "sources.yaml:" in result.stderr and "authors" in result.stderr
    assert published_state(ws) == before


def test_killed_build_leaves_last_good_tables(baseline, tmp_path):
    ws = clone(baseline, tmp_path / "ws")
    before = published_state(ws)
    for delay in (0.3, 0.8, 1.3, 1.8):
        proc = subprocess.Popen(
            argv("build", sources=ws.sources, reference=ws.reference, out=ws.out),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        # Whatever moment it died, `published` is one complete build: the old or a new one.
        now = published_state(ws)
        assert set(now) == set(before)
        assert len(pd.read_parquet(ws.out / "observations.parquet")) > 0


def test_failure_in_swap_leaves_tables(baseline, tmp_path, monkeypatch):
    from loaders import publish
    from loaders.build import build
    from loaders.errors import BuildError

    ws = clone(baseline, tmp_path / "ws")
    before = published_state(ws)
    versions_before = sorted(publish.versions_dir(ws.out).iterdir())

    def broken_swap(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publish, "swap", broken_swap)
    with pytest.raises(BuildError, match="No space left on device"):
        build(ws.sources, ws.reference, ws.out)
    assert published_state(ws) == before
    assert sorted(publish.versions_dir(ws.out).iterdir()) == versions_before  # its version folder is gone


def test_published_tables_carry_digests_that_match(baseline):
    import json

    report = json.loads((baseline.out / "build_report.json").read_text("utf-8"))
    digests = report["table_sha256"]
    assert set(digests) == {f"{t}.parquet" for t in ("sources", "regions", "indicators", "observations", "mentions")}
    for name, expected in digests.items():
        assert hashlib.sha256((baseline.out / name).read_bytes()).hexdigest() == expected
