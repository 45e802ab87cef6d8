"""`python -m loaders verify`: are the published tables still the ones the build wrote?

A hand-edited Parquet file (a value 52 → 520, a quote replaced) would otherwise be shown and
exported without a word. This checks, without rebuilding:
- each table's sha256 against the digest the build recorded in build_report.json;
- each source text's sha256 against sources.parquet (and the report);
- each observation's quote, and each mention's text, against text[char_start:char_end].
Every difference is one line; the exit code is non-zero when there is any.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from loaders.corpus import decode_utf8, read_regular_file
from loaders.errors import BuildError
from loaders.publish import REPORT, TABLE_DIGESTS, file_sha256

TABLES = ("sources", "regions", "indicators", "observations", "mentions")
REBUILD = "python -m loaders build"


def read_report(out: Path) -> dict:
    path = out / REPORT
    try:
        report = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise BuildError(path, f"no build report: the tables were not built here; run `{REBUILD}`") from None
    except (OSError, ValueError) as exc:
        raise BuildError(path, f"unreadable build report ({exc}); run `{REBUILD}`") from None
    if not isinstance(report, dict) or not isinstance(report.get(TABLE_DIGESTS), dict):
        raise BuildError(path, f"the report records no table digests (an older build); run `{REBUILD}`")
    return report


def digest_differences(out: Path, report: dict) -> Iterator[str]:
    recorded = report[TABLE_DIGESTS]
    for name in [f"{t}.parquet" for t in TABLES if f"{t}.parquet" not in recorded]:
        yield f"{out / name}: not in the build report's digests"
    for name, expected in sorted(recorded.items()):
        path = out / name
        if not path.is_file():
            yield f"{path}: missing"
        elif file_sha256(path) != expected:
            yield f"{path}: sha256 differs from the build report (changed after the build)"


def _texts(sources: pd.DataFrame, sources_dir: Path, report: dict) -> tuple[dict[str, str], list[str]]:
    """Each source's text, when its bytes still match the recorded sha256; the differences."""
    recorded = {s.get("source_id"): s.get("sha256") for s in report.get("sources", []) if isinstance(s, dict)}
    texts, problems = {}, []
    for row in sources.itertuples(index=False):
        sid, file = str(row.source_id), str(getattr(row, "file", "") or f"{row.source_id}.txt")
        path = sources_dir / Path(file).name
        try:
            raw = read_regular_file(path)
        except BuildError as exc:
            problems.append(exc.one_line())
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if digest != str(row.sha256) or recorded.get(sid, digest) != digest:
            problems.append(f"{path}: sha256 differs from the published sources table [{sid}]")
            continue
        texts[sid] = decode_utf8(raw, path)
    return texts, problems


def _span_differences(frame: pd.DataFrame, column: str, texts: dict[str, str], table: str) -> Iterator[str]:
    cols = ["source_id", "char_start", "char_end", column]
    key = "observation_id" if "observation_id" in frame.columns and table == "observations" else None
    for row in frame[cols + ([key] if key else [])].itertuples(index=False):
        text = texts.get(str(row.source_id))
        if text is None:
            continue
        start, end = int(row.char_start), int(row.char_end)
        if not (0 <= start <= end <= len(text)) or text[start:end] != str(getattr(row, column)):
            label = getattr(row, key) if key else f"{row.source_id}@{start}"
            yield f"{table}.parquet [{label}]: {column} {str(getattr(row, column))[:40]!r} is not the text at {start}-{end}"


def differences(out: Path, sources_dir: Path) -> Iterator[str]:
    """Every difference between the published tables, their report and the texts."""
    report = read_report(out)
    changed = list(digest_differences(out, report))
    yield from changed
    if any("sources.parquet" in line for line in changed):
        return  # the texts cannot be checked against a table that is not the build's
    sources = pd.read_parquet(out / "sources.parquet")
    texts, problems = _texts(sources, sources_dir, report)
    yield from problems
    for table, column in (("observations", "quote"), ("mentions", "text")):
        path = out / f"{table}.parquet"
        if path.is_file() and not any(path.name in line for line in changed):
            frame = pd.read_parquet(path, columns=None)
            yield from _span_differences(frame, column, texts, table)


def verify(out: Path, sources_dir: Path, *, show: int = 20) -> tuple[int, list[str]]:
    """(number of differences, the first `show` of them as lines)."""
    shown, n = [], 0
    for line in differences(out, sources_dir):
        n += 1
        if len(shown) < show:
            shown.append(line)
    return n, shown
