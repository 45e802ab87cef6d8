"""Adding a text to the corpus: the file, its bibliography entry, and nothing half-done.

`transaction` is what makes it whole: `python -m loaders add` runs the copy, the new entry
and the rebuild inside one, so any failure or Ctrl-C leaves sources.yaml and the sources
folder byte- and mode-identical to before."""

from __future__ import annotations

import hashlib
import os
import signal
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from loaders.corpus import SOURCE_ID, decode_utf8, load_bibliography, read_regular_file
from loaders.errors import BuildError
from loaders.models import SourceEntry
from loaders.reference import load_regions
from loaders.validate import refuse_control_characters

MAX_BYTES = 5 * 1024 * 1024


# The bibliography field each command-line option fills, to name the option at fault.
OPTIONS = {
    "source_id": "--id",
    "title_zh": "--title",
    "title_en": "--title-en",
    "authors": "--author",
    "venue": "--venue",
    "published": "--published",
    "doi": "--doi",
    "url": "--url",
    "kind": "--kind",
    "region_focus": "--region",
}


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_atomically(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace `path` in one rename, keeping its mode (a new file: 0666 less the umask;
    mkstemp alone would leave 0600)."""
    if mode is None:
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fchmod(f.fileno(), mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Snapshot:
    """What `add` may change: sources.yaml's bytes and mode, and the folder's file names."""

    bib: Path
    data: bytes
    mode: int
    names: frozenset[str]


def snapshot(sources_dir: Path) -> Snapshot:
    bib = sources_dir / "sources.yaml"
    try:
        return Snapshot(bib, bib.read_bytes(), stat.S_IMODE(bib.stat().st_mode), frozenset(os.listdir(sources_dir)))
    except OSError as exc:
        raise BuildError(exc.filename or bib, f"cannot read: {exc.strerror or exc}") from None


def restore(snap: Snapshot) -> None:
    """Put the corpus back byte- and mode-identical; SIGINT waits until it is done."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread
        previous = None
    try:
        for name in set(os.listdir(snap.bib.parent)) - snap.names:
            extra = snap.bib.parent / name
            if extra.is_file() or extra.is_symlink():
                extra.unlink()
        now = snap.bib.read_bytes() if snap.bib.exists() else None
        if now != snap.data or stat.S_IMODE(snap.bib.stat().st_mode) != snap.mode:
            _write_atomically(snap.bib, snap.data, snap.mode)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


@contextmanager
def transaction(sources_dir: Path) -> Iterator[Snapshot]:
    """Everything inside either completes or leaves sources.yaml and the sources folder as
    they were: any exception, Ctrl-C included, restores the snapshot and propagates."""
    snap = snapshot(sources_dir)
    try:
        yield snap
    except BaseException:
        restore(snap)
        raise


def check_entry(path: Path, entry: dict) -> None:
    """The new entry must be a valid sources.yaml entry before anything is written."""
    try:
        SourceEntry.model_validate(entry)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        field = str(error["loc"][0]) if error["loc"] else ""
        option = OPTIONS.get(field, field)
        msg = error["msg"].removeprefix("Value error, ")
        raise BuildError(path, f"{option} {error.get('input')!r}: {msg}") from None


def _readable_text(path: Path) -> bytes:
    """The new text's bytes: a regular file, not empty, UTF-8, no control characters."""
    raw = read_regular_file(path, follow_symlinks=True, limit=MAX_BYTES)
    if not raw.strip():
        raise BuildError(path, "text is empty")
    refuse_control_characters(decode_utf8(raw, path), path)
    return raw


def _refuse_duplicates(entries: list[dict], source_id: str, digest: str, path: Path, bib_path: Path) -> None:
    """An id or a text already in the corpus is refused: the same text twice would count twice."""
    for entry in entries:
        if entry["source_id"] == source_id:
            raise BuildError(bib_path, f"source_id {source_id!r} already exists", entry=source_id)
        if str(entry["sha256"]) == digest:
            raise BuildError(path, f"the same text is already in the corpus as {entry['source_id']!r}")


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
    if not SOURCE_ID.fullmatch(source_id):
        raise BuildError(path, f"--id {source_id!r} must be a lowercase ascii slug (a-z, 0-9, _)")
    raw = _readable_text(path)
    digest = hashlib.sha256(raw).hexdigest()
    _refuse_duplicates(entries, source_id, digest, path, bib_path)
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
    check_entry(path, entry)
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000)
    old_bib = bib_path.read_bytes()
    new_bib = old_bib + (b"" if old_bib.endswith(b"\n") else b"\n") + block.encode("utf-8")
    with transaction(sources_dir):
        _write_atomically(target, raw)
        _write_atomically(bib_path, new_bib)
        load_bibliography(bib_path)  # the new entry must read back as valid
    return entry
