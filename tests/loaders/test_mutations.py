"""Hypothesis: any wrong type, missing key or bad date in sources.yaml, indicators.yaml or
rules.yaml stops the build with exit 2 and one line naming the file, never a traceback, and
the published tables stay byte-identical. One good build is made once and every generated
document is tried against it (each fails while loading, before any extraction)."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.build import REFERENCE_DIR, SOURCES_DIR
from tests.loaders.bad_runner import Workspace, folders, invoke, make_baseline, published_state

REQUIRED = {
    "sources.yaml": ("source_id", "file", "title_zh", "authors", "published", "language", "region_focus", "sha256"),
    "indicators.yaml": ("indicator_id", "name_zh", "name_en", "unit", "base_unit", "topic", "definition"),
    "rules.yaml": ("id", "indicator", "base_units", "keywords"),
}
BAD_DATES = ["2024-13-45", "2024-02-30", "2023-02-29", "2024-00-10", "2024-04-31", "24-01-01", "2024/01/01", "2024-1-1"]
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _documents() -> dict[str, object]:
    return {
        "sources.yaml": yaml.safe_load((SOURCES_DIR / "sources.yaml").read_text("utf-8")),
        "indicators.yaml": yaml.safe_load((REFERENCE_DIR / "indicators.yaml").read_text("utf-8")),
        "rules.yaml": yaml.safe_load((REFERENCE_DIR / "rules.yaml").read_text("utf-8")),
    }


DOCS = _documents()


def entries(name: str, doc) -> list[dict]:
    return doc["indicator_rules"] if name == "rules.yaml" else doc


def wrong_value(current):
    """A value of another type than `current` (every field is typed strictly)."""
    if isinstance(current, bool):
        return st.one_of(st.sampled_from(["yes", "true", "1"]), st.integers())
    if isinstance(current, int):
        return st.one_of(st.sampled_from(["high", "2", ""]), st.floats(0.1, 9.9), st.lists(st.integers(), max_size=2))
    if isinstance(current, str):
        return st.one_of(
            st.integers(), st.booleans(), st.lists(st.integers(), min_size=1, max_size=3), st.just({"a": 1})
        )
    if isinstance(current, list):
        return st.one_of(st.integers(), st.text("abc", min_size=1, max_size=5), st.just({"a": 1}))
    return st.one_of(st.integers(), st.lists(st.integers(), min_size=1, max_size=2))


@st.composite
def mutated(draw) -> tuple[str, str]:
    """(file name, the mutated document as YAML text)."""
    name = draw(st.sampled_from(sorted(DOCS)))
    doc = copy.deepcopy(DOCS[name])
    items = entries(name, doc)
    entry = items[draw(st.integers(0, len(items) - 1))]
    kind = draw(
        st.sampled_from(["wrong_type", "missing", "bad_date"] if name == "sources.yaml" else ["wrong_type", "missing"])
    )
    unquote = None
    if kind == "missing":
        del entry[draw(st.sampled_from(REQUIRED[name]))]
    elif kind == "bad_date":
        entry["published"] = unquote = draw(st.sampled_from(BAD_DATES))
    else:
        key = draw(st.sampled_from(sorted(k for k in entry if k != "published")))
        entry[key] = draw(wrong_value(entry[key]))
    text = yaml.dump(doc, Dumper=DUMPER, allow_unicode=True, sort_keys=False, width=1000)
    if unquote and draw(st.booleans()):
        text = text.replace(f"'{unquote}'", unquote)  # an unquoted date, as typed by hand
    return name, text


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Workspace:
    return make_baseline(tmp_path_factory.mktemp("mutations") / "base")


def target(ws: Workspace, name: str) -> Path:
    return (ws.sources if name == "sources.yaml" else ws.reference) / name


def test_unmutated_documents_dumped_again_still_load(built, tmp_path):
    """So that a failure below is the mutation's, not the serialiser's."""
    from loaders.corpus import load_bibliography
    from loaders.reference import load_reference

    (tmp_path / "reference").mkdir()
    for name, doc in DOCS.items():
        folder = tmp_path if name == "sources.yaml" else tmp_path / "reference"
        (folder / name).write_text(yaml.dump(doc, Dumper=DUMPER, allow_unicode=True, sort_keys=False), "utf-8")
    for extra in ("regions.yaml", "counties.csv"):
        (tmp_path / "reference" / extra).write_bytes((REFERENCE_DIR / extra).read_bytes())
    assert len(load_bibliography(tmp_path / "sources.yaml")) == len(DOCS["sources.yaml"])
    assert load_reference(tmp_path / "reference").indicator_rules


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutation=mutated())
def test_a_mutated_document_is_refused_in_one_line(built, mutation):
    name, text = mutation
    path = target(built, name)
    original = path.read_bytes()
    published, versions = published_state(built), set(os.listdir(built.versions))
    try:
        path.write_text(text, "utf-8")
        code, _, err, crashed = invoke(["build", *folders(built)])
    finally:
        path.write_bytes(original)
    lines = [line for line in err.splitlines() if line.strip()]
    assert not crashed and "Traceback" not in err, err
    assert code == 2, err
    assert len(lines) == 1 and name in lines[0], lines
    assert published_state(built) == published
    assert set(os.listdir(built.versions)) == versions
