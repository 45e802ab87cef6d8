"""The validation layer, `add` as a transaction, `verify`, and the dashboard's digest check."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pandas as pd
import pytest
import yaml
from pydantic import BaseModel, ConfigDict

from loaders.build import REFERENCE_DIR, SOURCES_DIR
from loaders.errors import BuildError
from loaders.validate import load_validated, parse_yaml
from tests.loaders.bad_runner import NEW_TEXT, Workspace, clone, folders, invoke, make_baseline


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Workspace:
    return make_baseline(tmp_path_factory.mktemp("hardening") / "base")


# --- the validation layer, reusable for new files (kind.yaml, reviews/<source_id>.yaml) ---------


class Decision(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")
    observation_id: str
    state: str


def test_load_validated_names_file_line_and_entry(tmp_path):
    path = tmp_path / "review.yaml"
    path.write_text("- {observation_id: obs_1, state: confirmed}\n- observation_id: obs_2\n  state: 7\n", "utf-8")
    with pytest.raises(BuildError) as err:
        load_validated(path, list[Decision])
    assert err.value.one_line() == f"{path}:3 [obs_2]: state: input should be a valid string (got 7)"
    path.write_text("- {observation_id: obs_1, state: confirmed, reviewer: x}\n", "utf-8")
    with pytest.raises(BuildError, match=r"review.yaml:1 \[obs_1\]: unknown key 'reviewer'"):
        load_validated(path, list[Decision])
    path.write_text("- {observation_id: obs_1, state: confirmed}\n", "utf-8")
    assert load_validated(path, list[Decision]) == [{"observation_id": "obs_1", "state": "confirmed"}]


@pytest.mark.parametrize(
    ("text", "needle", "line"),
    [
        ("a: 1\nb: \x01\n", "U+0001", 2),  # a raw control character: the reader refuses it
        ('a: 1\nb: "x\\0y"\n', "U+0000", 2),  # an escaped one: refused by us
        ("a: 1\nb: 2024-02-30\n", "not a real date", 2),
        ("a: !!python/name:os.system\n", "malformed YAML", 1),
    ],
)
def test_yaml_faults_name_the_line(tmp_path, text, needle, line):
    path = tmp_path / "x.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(BuildError) as err:
        parse_yaml(path)
    assert needle in err.value.message and err.value.line == line


def test_deep_nesting_is_one_line_not_a_crash(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 100_000 + "]" * 100_000, "utf-8")
    with pytest.raises(BuildError, match="nested too deeply"):
        parse_yaml(path)


def test_rules_accept_examples_and_sources_accept_official(tmp_path):
    """The lead's `examples:` on any rule, and `kind: official` statistical releases."""
    from loaders.corpus import load_bibliography
    from loaders.reference import load_reference

    ref = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, ref)
    rules = (ref / "rules.yaml").read_text("utf-8")
    example = "examples: [{text: 研发投入强度为2.54%, expect: {indicator_id: rd_intensity_pct, value: 2.54}}], "
    rules = rules.replace("{id: rd_intensity, ", "{id: rd_intensity, " + example, 1)
    rules = rules.replace("{unit: 个百分点, ", "{unit: 个百分点, " + example, 1)
    rules = rules.replace("{words: [半数, 一半], ", "{words: [半数, 一半], " + example, 1)
    rules = rules.replace("{words: [不低于, 不少于, 至少], ", "{words: [不低于, 不少于, 至少], " + example, 1)
    (ref / "rules.yaml").write_text(rules, "utf-8")
    assert load_reference(ref).indicator_rules[0].id == "rd_intensity"
    wrong = example.replace("expect:", "expected:")
    (ref / "rules.yaml").write_text(
        rules.replace("{id: rd_intensity, " + example, "{id: rd_intensity, " + wrong), "utf-8"
    )
    with pytest.raises(BuildError, match=r"rules.yaml:\d+ \[rd_intensity\]: missing field 'examples.0.expect'"):
        load_reference(ref)
    bib = tmp_path / "sources.yaml"
    bib.write_text(
        (SOURCES_DIR / "sources.yaml").read_text("utf-8").replace("kind: journal article\n", "kind: official\n"),
        "utf-8",
    )
    assert "official" in {e["kind"] for e in load_bibliography(bib)}


@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [
        ("url", "https://doi.org/10.1/x", True),
        ("url", "10.12677/wer.2026.153049", True),
        ("url", "javascript:alert(1)", False),
        ("url", "file:///etc/passwd", False),
        ("url", "http://a b", False),
        ("doi", "10.12677/wer.2026.153049", True),
        ("doi", "https://doi.org/10.1/x", False),
        ("published", "2024-02-29", True),
        ("published", "2023-02-29", False),
        ("published", "2024-1-1", False),
        ("published", "1850", False),
        ("source_id", "abc\n", False),
        ("source_id", "Abc", False),
    ],
)
def test_bibliography_fields(field, value, ok):
    from pydantic import ValidationError

    from loaders.models import SourceEntry

    entry = yaml.safe_load((SOURCES_DIR / "sources.yaml").read_text("utf-8"))[0] | {field: value}
    if ok:
        SourceEntry.model_validate(entry)
    else:
        with pytest.raises(ValidationError):
            SourceEntry.model_validate(entry)


# --- add: a transaction ------------------------------------------------------------------------


def test_add_keeps_modes_and_rolls_back_byte_and_mode_identical(baseline, tmp_path):
    ws = clone(baseline, tmp_path / "ws")
    bib = ws.sources / "sources.yaml"
    os.chmod(bib, 0o640)
    before = bib.read_bytes()
    args = [str(ws.incoming), "--id", "zj_test_2024", "--title", "浙江测试", "--published", "2024-13-45"]
    code, _, err, _ = invoke(["add", *args, "--region", "zhejiang", *folders(ws)])
    assert code == 2 and "not added" in err
    assert bib.read_bytes() == before and stat.S_IMODE(bib.stat().st_mode) == 0o640
    args[-1] = "2024-03-01"
    code, _, err, _ = invoke(["add", *args, "--region", "zhejiang", "--no-build", *folders(ws)])
    assert code == 0, err
    assert stat.S_IMODE(bib.stat().st_mode) == 0o640  # rewritten in place of, not as, a 0600 temp file
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE((ws.sources / "zj_test_2024.txt").stat().st_mode) == 0o666 & ~umask
    assert (ws.sources / "zj_test_2024.txt").read_text("utf-8") == NEW_TEXT
    entry = yaml.safe_load(bib.read_text("utf-8"))[-1]
    assert (entry["source_id"], entry["published"]) == ("zj_test_2024", "2024-03-01")
    assert not [p for p in ws.sources.iterdir() if p.name.startswith(".")]  # no temp files left


# --- verify and the dashboard ------------------------------------------------------------------


def test_verify_passes_a_fresh_build_and_fails_a_changed_one(baseline, tmp_path):
    ws = clone(baseline, tmp_path / "ws")
    code, out, err, _ = invoke(["verify", *folders(ws)])
    assert code == 0 and "verified" in out, err
    obs_path = ws.out / "observations.parquet"
    obs = pd.read_parquet(obs_path)
    obs.loc[obs.index[0], "value"] = obs["value"].iloc[0] * 10
    obs.to_parquet(obs_path, index=False)
    code, out, err, _ = invoke(["verify", *folders(ws)])
    assert code == 1 and "observations.parquet: sha256 differs" in out
    assert len(err.strip().splitlines()) == 1


def test_verify_checks_quotes_against_the_texts(baseline, tmp_path):
    """A table changed with its digest updated too still fails: its quote is not the text."""
    from loaders.publish import file_sha256

    ws = clone(baseline, tmp_path / "ws")
    obs_path = ws.out / "observations.parquet"
    obs = pd.read_parquet(obs_path)
    obs.loc[obs.index[0], "quote"] = "中央决定成立520个国家级高新技术开发区"
    obs.to_parquet(obs_path, index=False)
    report_path = ws.out / "build_report.json"
    report = json.loads(report_path.read_text("utf-8"))
    report["table_sha256"]["observations.parquet"] = file_sha256(obs_path)
    report_path.write_text(json.dumps(report), "utf-8")
    code, out, _, _ = invoke(["verify", *folders(ws)])
    assert code == 1 and "quote" in out and obs["observation_id"].iloc[0] in out


def test_verify_without_a_build(tmp_path):
    ws = Workspace(tmp_path)
    (tmp_path / "published").mkdir()
    code, _, err, _ = invoke(["verify", *folders(ws)])
    assert code == 2 and "python -m loaders build" in err and len(err.strip().splitlines()) == 1


def test_dashboard_refuses_a_table_that_differs_from_its_digest(baseline, tmp_path):
    from dashboard.data import DataError, read_tables

    ws = clone(baseline, tmp_path / "ws")
    assert len(read_tables(ws.out).observations) > 0
    obs_path = ws.out / "observations.parquet"
    obs = pd.read_parquet(obs_path)
    obs.loc[obs["value"] == 52, "value"] = 520.0
    obs.to_parquet(obs_path, index=False)
    with pytest.raises(DataError, match=r"observations\.parquet does not match the digest") as err:
        read_tables(ws.out)
    assert "python -m loaders build" in err.value.detail and not err.value.missing


def test_markdown_text_never_becomes_a_link():
    from dashboard.ui import md

    shown = md("见 https://evil.example/x、www.evil.cn 与 a@b.com")
    plain = shown.replace("\\", "")
    assert "://" not in plain and "www." not in plain and "@b" not in plain
    assert plain.replace("\u2060", "") == "见 https://evil.example/x、www.evil.cn 与 a@b.com"


def test_sources_are_read_only_as_regular_files(tmp_path):
    from loaders.corpus import read_regular_file

    real = tmp_path / "real.txt"
    real.write_text("x", "utf-8")
    (tmp_path / "link.txt").symlink_to(real)
    assert read_regular_file(real) == b"x"
    with pytest.raises(BuildError, match="symbolic link"):
        read_regular_file(tmp_path / "link.txt")
    assert read_regular_file(tmp_path / "link.txt", follow_symlinks=True) == b"x"
    with pytest.raises(BuildError, match="not a regular file"):
        read_regular_file(Path("/dev/null"))
    with pytest.raises(BuildError, match="not a regular file"):
        read_regular_file(tmp_path)
