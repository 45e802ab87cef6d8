"""Running a bad-input case: a copy of one good build, the damage, the command in-process
(so faults can be injected), and the judgement: expected exit code, one line on stderr
naming the culprit, no traceback, published tables byte-identical, no staging folder left
behind, and for `add` the sources folder byte- and mode-identical. The cases are in
tests/loaders/bad_cases.py."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import stat
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from loaders.build import REFERENCE_DIR, SOURCES_DIR

EDITED_LINE = ".edited_line"  # written by a case's damage: the line its error must name
NEW_TEXT = "2023年，浙江省研发经费投入强度为3.2%。目前，全省有专精特新中小企业超1000家。"


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def sources(self) -> Path:
        return self.root / "sources"

    @property
    def reference(self) -> Path:
        return self.root / "reference"

    @property
    def out(self) -> Path:
        return self.root / "published"

    @property
    def incoming(self) -> Path:
        return self.root / "incoming.txt"

    @property
    def versions(self) -> Path:
        return self.root / ".published-versions"


@dataclass(frozen=True)
class Case:
    name: str
    damage: Callable[[Workspace], None]
    needles: tuple[str, ...]
    command: str = "build"
    args: Callable[[Workspace], list[str]] = lambda ws: []
    exit_code: int = 2
    fault: Callable[[Workspace], contextlib.AbstractContextManager] | None = None


@dataclass
class Outcome:
    case: Case
    exit_code: int
    lines: list[str]
    traceback: bool
    published_same: bool
    staging_left: list[str]
    corpus_same: bool
    needles: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return not self.problems

    @property
    def line(self) -> str:
        return self.lines[0] if len(self.lines) == 1 else " | ".join(self.lines)


def invoke(argv: list[str]) -> tuple[int, str, str, bool]:
    """`python -m loaders ARGV` in this process: (exit code, stdout, stderr, traceback seen)."""
    from loaders.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    crashed = False
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:  # what a user would see as a traceback
            traceback.print_exc(file=err)
            code, crashed = 1, True
    return int(code), out.getvalue(), err.getvalue(), crashed


def folders(ws: Workspace) -> list[str]:
    return ["--quiet", "--sources", str(ws.sources), "--reference", str(ws.reference), "--out", str(ws.out)]


def make_baseline(root: Path) -> Workspace:
    """Copies of the corpus and reference data with one good build published: built once,
    then copied for every case (a copy keeps the `published` symlink relative)."""
    ws = Workspace(root)
    shutil.copytree(SOURCES_DIR, ws.sources)
    shutil.copytree(REFERENCE_DIR, ws.reference)
    ws.incoming.write_text(NEW_TEXT, "utf-8")
    code, _, err, _ = invoke(["build", *folders(ws)])
    assert code == 0, err
    return ws


def clone(base: Workspace, dest: Path) -> Workspace:
    shutil.copytree(base.root, dest, symlinks=True)
    return Workspace(dest)


def published_state(ws: Workspace) -> dict[str, str]:
    target = ws.out.resolve()
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(target.iterdir())}


def corpus_state(ws: Workspace) -> dict[str, tuple[str, int]]:
    """Every name in the sources folder with its bytes' digest and mode."""
    state = {}
    for p in sorted(ws.sources.iterdir()):
        info = p.lstat()
        digest = hashlib.sha256(p.read_bytes()).hexdigest() if stat.S_ISREG(info.st_mode) else "-"
        state[p.name] = (digest, stat.S_IMODE(info.st_mode))
    return state


def run_case(case: Case, base: Workspace, dest: Path) -> Outcome:
    ws = clone(base, dest)
    case.damage(ws)
    published, corpus = published_state(ws), corpus_state(ws)
    versions = set(os.listdir(ws.versions))
    with case.fault(ws) if case.fault else contextlib.nullcontext():
        options = folders(ws) if case.command != "extract" else []  # extract reads one text, no corpus
        code, _, err, crashed = invoke([case.command, *case.args(ws), *options])
    lines = [line for line in err.splitlines() if line.strip()]
    outcome = Outcome(
        case=case,
        exit_code=code,
        lines=lines,
        traceback=crashed or "Traceback" in err,
        published_same=published_state(ws) == published,
        staging_left=sorted(set(os.listdir(ws.versions)) - versions),
        corpus_same=corpus_state(ws) == corpus or case.command != "add",
    )
    edited = ws.root / EDITED_LINE
    line = edited.read_text() if edited.exists() else "?"
    outcome.needles = [n.replace("{line}", line) for n in case.needles]
    outcome.problems = judge(outcome)
    return outcome


def judge(o: Outcome) -> list[str]:
    problems = []
    if o.exit_code != o.case.exit_code:
        problems.append(f"exit {o.exit_code}, expected {o.case.exit_code}")
    if o.traceback:
        problems.append("traceback")
    if len(o.lines) != 1:
        problems.append(f"{len(o.lines)} lines on stderr")
    missing = [n for n in o.needles if not o.lines or n not in o.lines[0]]
    if missing:
        problems.append(f"line lacks {missing}")
    if not o.published_same:
        problems.append("published tables changed")
    if o.staging_left:
        problems.append(f"left behind {o.staging_left}")
    if not o.corpus_same:
        problems.append("sources folder not restored")
    return problems
