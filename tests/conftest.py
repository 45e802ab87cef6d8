"""Shared fixtures: one real build of the bundled corpus, into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory):
    """The real corpus built once per test session; never touches datasets/published."""
    from loaders.build import REFERENCE_DIR, SOURCES_DIR, build

    out = tmp_path_factory.mktemp("published") / "published"
    return build(SOURCES_DIR, REFERENCE_DIR, out)
