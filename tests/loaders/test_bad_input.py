"""Bad input stops the build with one line naming the file, and loses nothing published."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from loaders.build import ROOT
from tests.loaders.cli import argv, copy_corpus, run


@pytest.fixture()
def workspace(tmp_path):
    """Copies of the corpus and reference data, and a good build published from them."""
    sources, reference, out = copy_corpus(tmp_path)
    result = run_build(sources, reference, out)
    assert result.returncode == 0, result.stderr
    return sources, reference, out


def run_build(sources: Path, reference: Path, out: Path) -> subprocess.CompletedProcess:
    return run(argv("build", sources=sources, reference=reference, out=out))


def snapshot(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.resolve().iterdir())}


def set_sha(sources: Path, source_id: str) -> None:
    """Record the current digest, so the check under test is the one that fires."""
    bib = sources / "sources.yaml"
    entries = yaml.safe_load(bib.read_text("utf-8"))
    entry = next(e for e in entries if e["source_id"] == source_id)
    digest = hashlib.sha256((sources / entry["file"]).read_bytes()).hexdigest()
    bib.write_text(bib.read_text("utf-8").replace(entry["sha256"], digest), "utf-8")


def assert_fails_cleanly(workspace, *needles: str) -> str:
    sources, reference, out = workspace
    before = snapshot(out)
    result = run_build(sources, reference, out)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert snapshot(out) == before
    return lines[0]


def test_invalid_utf8(workspace):
    sources = workspace[0]
    path = sources / "wang2025_county.txt"
    path.write_bytes(path.read_bytes()[:200] + b"\xff\xfe\xfa" + path.read_bytes()[200:])
    set_sha(sources, "wang2025_county")
    assert_fails_cleanly(workspace, "wang2025_county.txt", "not valid UTF-8", ":1")


def test_gbk_encoded_source_says_so(workspace):
    sources = workspace[0]
    path = sources / "jxdaily2024_think_tank.txt"
    path.write_bytes(path.read_text("utf-8").encode("gbk", errors="ignore"))
    set_sha(sources, "jxdaily2024_think_tank")
    assert_fails_cleanly(workspace, "jxdaily2024_think_tank.txt", "GBK")


def test_empty_source(workspace):
    sources = workspace[0]
    (sources / "liu2026_pingxiang.txt").write_bytes(b"")
    set_sha(sources, "liu2026_pingxiang")
    assert_fails_cleanly(workspace, "liu2026_pingxiang.txt", "empty")


def test_text_without_bibliography_entry(workspace):
    (workspace[0] / "stray.txt").write_text("2022年，研发投入强度为2.54%。", "utf-8")
    assert_fails_cleanly(workspace, "stray.txt", "no bibliography entry")


def test_entry_without_text(workspace):
    (workspace[0] / "wang2025_county.txt").unlink()
    assert_fails_cleanly(workspace, "sources.yaml", "wang2025_county", "no text")


def test_duplicate_source_ids(workspace):
    bib = workspace[0] / "sources.yaml"
    bib.write_text(
        bib.read_text("utf-8").replace("source_id: wang2025_county", "source_id: liu2026_pingxiang"), "utf-8"
    )
    line = assert_fails_cleanly(workspace, "sources.yaml", "duplicate source_id")
    assert "liu2026_pingxiang" in line


def test_changed_bytes_fail_the_digest(workspace):
    path = workspace[0] / "huang2024_75_years.txt"
    path.write_bytes(path.read_bytes().replace("299亿美元".encode(), "399亿美元".encode()))
    assert_fails_cleanly(workspace, "huang2024_75_years.txt", "sha256")


def test_malformed_yaml_names_the_line(workspace):
    path = workspace[1] / "regions.yaml"
    lines = path.read_text("utf-8").splitlines()
    lines[20] = lines[20].replace("}", "")  # an unclosed flow mapping
    path.write_text("\n".join(lines) + "\n", "utf-8")
    assert_fails_cleanly(workspace, "regions.yaml:", "malformed YAML")


def test_rule_with_unknown_indicator(workspace):
    path = workspace[1] / "rules.yaml"
    path.write_text(
        path.read_text("utf-8").replace("indicator: little_giants_count", "indicator: little_giant_count"), "utf-8"
    )
    assert_fails_cleanly(workspace, "rules.yaml:", "little_giants", "unknown indicator 'little_giant_count'")


def test_indicator_with_unknown_reference_region(workspace):
    path = workspace[1] / "indicators.yaml"
    path.write_text(
        path.read_text("utf-8").replace("reference_regions: [eu, oecd]", "reference_regions: [eu, g7]"), "utf-8"
    )
    assert_fails_cleanly(workspace, "indicators.yaml:", "rd_intensity_pct", "'g7'")


def test_indicator_link_to_an_unknown_indicator(workspace):
    path = workspace[1] / "indicators.yaml"
    path.write_text(
        path.read_text("utf-8").replace("gdp_share_id: rd_intensity_pct", "gdp_share_id: rd_intensity", 1), "utf-8"
    )
    assert_fails_cleanly(workspace, "indicators.yaml:", "rd_spending", "gdp_share_id 'rd_intensity'")


def test_county_with_unknown_parent_names_the_csv_line(workspace):
    path = workspace[1] / "counties.csv"
    lines = path.read_text("utf-8").splitlines()
    assert lines[2].split(",")[2] == "xicheng_110102"
    lines[2] = lines[2].replace(",beijing,", ",peking,")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    assert_fails_cleanly(workspace, "counties.csv:3", "xicheng_110102", "parent_id 'peking'")


def test_failed_schema_check_names_the_observation_and_rule(workspace):
    sources = workspace[0]
    text = "2022年，我国基础研究经费占比为6.57%，应用研究和试验发展经费占比为95.43%。"
    (sources / "bad_shares.txt").write_text(text, "utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with (sources / "sources.yaml").open("a", encoding="utf-8") as f:
        f.write(
            f"- {{source_id: bad_shares, file: bad_shares.txt, title_zh: 测试, authors: [], "
            f"published: '2024', language: zh, region_focus: china, sha256: {digest}}}\n"
        )
    line = assert_fails_cleanly(workspace, "bad_shares.txt", "parts_add_up_to_whole", "obs_")
    assert "6.57%" in line or "95.43%" in line


def test_missing_reference_file(workspace):
    (workspace[1] / "indicators.yaml").unlink()
    assert_fails_cleanly(workspace, "indicators.yaml", "not found")


def test_killed_build_leaves_last_good_tables(workspace):
    sources, reference, out = workspace
    before = snapshot(out)
    for delay in (0.3, 0.8, 1.3, 1.8):
        proc = subprocess.Popen(
            argv("build", sources=sources, reference=reference, out=out),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        # Whatever moment it died, `published` is one complete build: the old or a new one.
        now = snapshot(out)
        assert set(now) == set(before)
        assert len(pd.read_parquet(out / "observations.parquet")) > 0


def test_failure_in_swap_leaves_tables(workspace, monkeypatch):
    from loaders import publish
    from loaders.build import build
    from loaders.errors import BuildError

    sources, reference, out = workspace
    before = snapshot(out)
    versions_before = sorted(publish.versions_dir(out).iterdir())

    def broken_swap(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publish, "swap", broken_swap)
    with pytest.raises(BuildError, match="No space left on device"):
        build(sources, reference, out)
    assert snapshot(out) == before
    assert sorted(publish.versions_dir(out).iterdir()) == versions_before  # its version folder is gone
