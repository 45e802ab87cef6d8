"""`python -m loaders add`: a new text joins the corpus whole, or not at all."""

from __future__ import annotations

import subprocess

import pandas as pd
import pytest

from loaders.build import SOURCES_DIR
from tests.loaders.cli import argv, copy_corpus, run

TEXT = "2023年，浙江省研发经费投入强度为3.2%。目前，全省有专精特新中小企业超1000家。"


@pytest.fixture()
def folders(tmp_path):
    sources, reference, out = copy_corpus(tmp_path)
    new = tmp_path / "incoming.txt"
    new.write_text(TEXT, "utf-8")
    return sources, reference, out, new


def add(folders, *extra: str, source_id: str = "zj_test_2024", path=None) -> subprocess.CompletedProcess:
    sources, reference, out, new = folders
    fields = ["--id", source_id, "--title", "浙江测试", "--published", "2024-03-01", "--region", "zhejiang"]
    return run(argv("add", str(path or new), *fields, *extra, sources=sources, reference=reference, out=out))


def test_add_copies_records_and_rebuilds(folders):
    sources, _, out, _ = folders
    result = add(folders)
    assert result.returncode == 0, result.stderr
    assert (sources / "zj_test_2024.txt").read_text("utf-8") == TEXT
    obs = pd.read_parquet(out / "observations.parquet")
    mine = obs[obs.source_id == "zj_test_2024"]
    row = mine[mine.indicator_id == "rd_intensity_pct"].iloc[0]
    assert (row.region_id, row.year, row.value) == ("zhejiang", 2023, 3.2)
    assert "zj_test_2024" in set(pd.read_parquet(out / "sources.parquet").source_id)


def test_add_refuses_a_duplicate_id_and_a_duplicate_text(folders):
    sources = folders[0]
    bib_before = (sources / "sources.yaml").read_bytes()
    dup_id = add(folders, "--no-build", source_id="huang2024_75_years")
    assert dup_id.returncode == 2 and "already exists" in dup_id.stderr
    dup_text = add(folders, "--no-build", path=SOURCES_DIR / "huang2024_75_years.txt")
    assert dup_text.returncode == 2 and "huang2024_75_years" in dup_text.stderr
    assert (sources / "sources.yaml").read_bytes() == bib_before


def test_add_rolls_back_when_the_rebuild_fails(folders):
    sources, _, _, new = folders
    new.write_text("2022年，我国基础研究经费占比为6.57%，应用研究和试验发展经费占比为95.43%。", "utf-8")
    bib_before = (sources / "sources.yaml").read_bytes()
    result = add(folders)
    assert result.returncode == 2
    assert "not added" in result.stderr
    assert not (sources / "zj_test_2024.txt").exists()
    assert (sources / "sources.yaml").read_bytes() == bib_before
