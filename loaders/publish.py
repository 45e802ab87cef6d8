"""Writing the published tables so that readers only ever see a complete, validated build.

Each build is written into its own folder under datasets/.published-versions/; the
`published` name is a symlink swapped with one atomic rename. A build that fails or is
killed half-way leaves the symlink, and so the last good tables, untouched.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from loaders.errors import BuildError

KEEP_VERSIONS = 3
REPORT = "build_report.json"
TABLE_DIGESTS = "table_sha256"  # in the build report: {file name: sha256 of its bytes}


def versions_dir(out: Path) -> Path:
    return out.parent / f".{out.name}-versions"


def write_table(frame: pd.DataFrame, path: Path, metadata: dict[str, str]) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    merged = {**(table.schema.metadata or {}), **{k.encode(): v.encode() for k, v in metadata.items()}}
    pq.write_table(table.replace_schema_metadata(merged), path)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_version(tables: dict[str, pd.DataFrame], report: dict, target: Path) -> None:
    """Every table, then the report with each table's digest (its file's sha256): the
    dashboard and `python -m loaders verify` refuse tables that no longer match it."""
    metadata = {
        "riid:built_at": report["built_at"],
        "riid:code_version": report["code_version"],
        "riid:source_digests": json.dumps({s["source_id"]: s["sha256"] for s in report["sources"]}),
    }
    for name, frame in tables.items():
        write_table(frame, target / f"{name}.parquet", {**metadata, "riid:table": name})
    report[TABLE_DIGESTS] = {f"{name}.parquet": file_sha256(target / f"{name}.parquet") for name in tables}
    (target / REPORT).write_text(json.dumps(report, ensure_ascii=False, indent=2), "utf-8")


def stage(tables: dict[str, pd.DataFrame], report: dict, out: Path) -> Path:
    """Write a complete build into a fresh version folder; nothing points at it yet. A
    failure (disk full, read-only, Ctrl-C) removes the folder it made."""
    vdir = versions_dir(out)
    vdir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    target = vdir / f"{stamp}-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}.tmp"
    target.mkdir()
    try:
        _write_version(tables, report, target)
        final = target.with_suffix("")
        target.rename(final)  # a folder without .tmp is complete
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
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
    """Stage, swap, prune; an OS error (read-only, disk full, permission) is one BuildError
    naming the path, and leaves neither a staging folder nor a changed `out`."""
    try:
        version = stage(tables, report, out)
    except OSError as exc:
        raise os_error(exc, versions_dir(out)) from None
    try:
        swap(out, version)
    except BaseException as exc:
        if not (out.is_symlink() and out.resolve() == version.resolve()):  # never the published one
            shutil.rmtree(version, ignore_errors=True)
        if isinstance(exc, OSError):
            raise os_error(exc, out) from None
        raise
    with contextlib.suppress(OSError):  # old versions stay until the next build
        prune(out)
    return version


def os_error(exc: OSError, fallback: Path) -> BuildError:
    where = exc.filename or fallback
    name = errno.errorcode.get(exc.errno or 0, "")
    return BuildError(where, f"cannot write the tables: {exc.strerror or exc}" + (f" ({name})" if name else ""))
