"""Adding a text to the corpus: the file, its bibliography entry, and nothing half-done."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import yaml

from loaders.corpus import SOURCE_ID, decode_utf8, load_bibliography
from loaders.errors import BuildError
from loaders.reference import load_regions

MAX_BYTES = 5 * 1024 * 1024


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def add_source(
    path: Path,
    *,
    source_id: str,
    title_zh: str,
    published: str,
    region_focus: str,
    sources_dir: Path,
    title_en: str = "",
    authors: list[str] | None = None,
    venue: str = "",
    url: str = "",
    doi: str = "",
    kind: str = "",
    reference_dir: Path | None = None,
) -> dict:
    """Copy a UTF-8 text into the corpus and record its bibliography; refuse duplicates."""
    bib_path = sources_dir / "sources.yaml"
    entries = load_bibliography(bib_path)
    if not SOURCE_ID.match(source_id):
        raise BuildError(path, f"--id {source_id!r} must be a lowercase ascii slug (a-z, 0-9, _)")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BuildError(path, f"cannot read: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise BuildError(path, f"text is {len(raw) // 1024} KiB; the limit is {MAX_BYTES // 1024} KiB")
    if not raw.strip():
        raise BuildError(path, "text is empty")
    decode_utf8(raw, path)
    digest = hashlib.sha256(raw).hexdigest()
    for entry in entries:
        if entry["source_id"] == source_id:
            raise BuildError(bib_path, f"source_id {source_id!r} already exists", entry=source_id)
        if str(entry["sha256"]) == digest:
            raise BuildError(path, f"the same text is already in the corpus as {entry['source_id']!r}")
    target = sources_dir / f"{source_id}.txt"
    if target.exists():
        raise BuildError(target, "a file of that name already exists in the corpus")
    regions = load_regions((reference_dir or sources_dir.parent / "reference") / "regions.yaml")
    if region_focus not in {r["region_id"] for r in regions}:
        raise BuildError(path, f"--region {region_focus!r} is not in regions.yaml")
    entry = {
        "source_id": source_id,
        "file": target.name,
        "received_as": path.name,
        "title_zh": title_zh,
        "title_en": title_en,
        "short_title": title_zh[:20],
        "authors": list(authors or []),
        "venue": venue,
        "published": published,
        "doi": doi,
        "url": url,
        "kind": kind,
        "language": "zh",
        "region_focus": region_focus,
        "sha256": digest,
    }
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000)
    old_bib = bib_path.read_bytes()
    new_bib = old_bib + (b"" if old_bib.endswith(b"\n") else b"\n") + block.encode("utf-8")
    _write_atomically(target, raw)
    try:
        _write_atomically(bib_path, new_bib)
        load_bibliography(bib_path)  # the new entry must read back as valid
    except BaseException:
        target.unlink(missing_ok=True)
        _write_atomically(bib_path, old_bib)
        raise
    return entry


def remove_source(entry: dict, sources_dir: Path, old_bib: bytes) -> None:
    """Undo an add whose rebuild failed, so the corpus stays buildable."""
    (sources_dir / entry["file"]).unlink(missing_ok=True)
    _write_atomically(sources_dir / "sources.yaml", old_bib)
