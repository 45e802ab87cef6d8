"""Fixtures: the dashboard runs against a small real-corpus fixture and against a fresh
build of the bundled corpus (`corpus_build`, never datasets/published)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixture_data import SOURCES_DIR, write_fixture

DATASETS = ["fixture", "real"]


@pytest.fixture(scope="session")
def fixture_dir(tmp_path_factory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("published"))


@pytest.fixture(params=DATASETS)
def data_dir(request, fixture_dir, monkeypatch) -> Path:
    """Each test that takes this runs on both datasets."""
    path = fixture_dir if request.param == "fixture" else request.getfixturevalue("corpus_build").out
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(path))
    monkeypatch.setenv("DASHBOARD_SOURCES_DIR", str(SOURCES_DIR))
    return path


@pytest.fixture
def fixture_only(fixture_dir, monkeypatch) -> Path:
    """For checks tied to the fixture's known figures (2787 → 255 → 107 …)."""
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(fixture_dir))
    monkeypatch.setenv("DASHBOARD_SOURCES_DIR", str(SOURCES_DIR))
    return fixture_dir


@pytest.fixture
def crafted(tmp_path, monkeypatch):
    """Build a one-source dataset from a text we write, for hostile-content tests."""
    from fixture_data import Claim, write_fixture

    def make(text: str, claims: list[Claim], **source) -> Path:
        src_dir = tmp_path / "sources"
        src_dir.mkdir(exist_ok=True)
        (src_dir / "crafted.txt").write_text(text, encoding="utf-8")
        entry = {
            "source_id": "crafted",
            "title": "测试文献",
            "title_en": "Crafted source",
            "short_title": "测试文献",
            "authors": "测试",
            "venue": "",
            "published": "2024",
            "url": "",
            "doi": "",
            "kind": "test",
            "region_focus": "china",
            "file": "crafted.txt",
            **source,
        }
        out = write_fixture(tmp_path / "published", src_dir, sources=[entry], claims=claims)
        monkeypatch.setenv("DASHBOARD_DATA_DIR", str(out))
        monkeypatch.setenv("DASHBOARD_SOURCES_DIR", str(src_dir))
        return out

    return make
