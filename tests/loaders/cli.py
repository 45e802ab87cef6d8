"""Running `python -m loaders` as a user would, against copies of the corpus."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from loaders.build import REFERENCE_DIR, ROOT, SOURCES_DIR


def copy_corpus(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Copies of the texts and reference data, and where to publish: (sources, reference, out)."""
    sources, reference = tmp_path / "sources", tmp_path / "reference"
    shutil.copytree(SOURCES_DIR, sources)
    shutil.copytree(REFERENCE_DIR, reference)
    return sources, reference, tmp_path / "published"


def argv(command: str, *args: str, sources: Path, reference: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "loaders",
        command,
        *args,
        "--quiet",
        "--sources",
        str(sources),
        "--reference",
        str(reference),
        "--out",
        str(out),
    ]


def run(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
