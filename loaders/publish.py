"""Writing the published tables so that readers only ever see a complete, validated build.

Each build is written into its own folder under datasets/.published-versions/; the
`published` name is a symlink swapped with one atomic rename. A build that fails or is
killed half-way leaves the symlink, and so the last good tables, untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

KEEP_VERSIONS = 3


def versions_dir(out: Path) -> Path:
    return out.parent / f".{out.name}-versions"


def write_table(frame: pd.DataFrame, path: Path, metadata: dict[str, str]) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    merged = {**(table.schema.metadata or {}), **{k.encode(): v.encode() for k, v in metadata.items()}}
    pq.write_table(table.replace_schema_metadata(merged), path)


def stage(tables: dict[str, pd.DataFrame], report: dict, out: Path) -> Path:
    """Write a complete build into a fresh version folder; nothing points at it yet."""
    vdir = versions_dir(out)
    vdir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    target = vdir / f"{stamp}-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}.tmp"
    target.mkdir()
    metadata = {
        "riid:built_at": report["built_at"],
        "riid:code_version": report["code_version"],
        "riid:source_digests": json.dumps({s["source_id"]: s["sha256"] for s in report["sources"]}),
    }
    for name, frame in tables.items():
        write_table(frame, target / f"{name}.parquet", {**metadata, "riid:table": name})
    (target / "build_report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), "utf-8")
    final = target.with_suffix("")
    target.rename(final)  # a folder without .tmp is complete
    return final


def swap(out: Path, version: Path) -> None:
    """Point `out` at `version` with one atomic rename."""
    link_tmp = out.parent / f".{out.name}.link-{os.getpid()}"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    link_tmp.symlink_to(os.path.relpath(version, out.parent))
    if out.exists() and not out.is_symlink():
        # A real folder from an older layout: keep it as a version, then link.
        legacy = versions_dir(out) / f"legacy-{int(time.time())}"
        out.rename(legacy)
    os.replace(link_tmp, out)


def prune(out: Path, keep: int = KEEP_VERSIONS) -> None:
    """Drop old versions and leftovers of killed builds, never the current one."""
    vdir = versions_dir(out)
    if not vdir.is_dir():
        return
    current = out.resolve() if out.is_symlink() else None
    complete = sorted(
        (p for p in vdir.iterdir() if p.is_dir() and p.suffix != ".tmp"), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in complete[keep:]:
        if old.resolve() != current:
            shutil.rmtree(old, ignore_errors=True)
    for tmp in vdir.glob("*.tmp"):
        if time.time() - tmp.stat().st_mtime > 3600:
            shutil.rmtree(tmp, ignore_errors=True)


def publish(tables: dict[str, pd.DataFrame], report: dict, out: Path) -> Path:
    version = stage(tables, report, out)
    swap(out, version)
    prune(out)
    return version
