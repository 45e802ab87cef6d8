"""Reading the corpus: the texts and their bibliography, checked before anything else runs."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from loaders.errors import BuildError
from loaders.models import SLUG, SourceEntry
from loaders.reference import _entry_line
from loaders.validate import check, parse_yaml, refuse_control_characters

SOURCE_ID = SLUG  # use .fullmatch: `$` would let a trailing newline through


@dataclass(frozen=True)
class Source:
    source_id: str
    path: Path
    text: str
    sha256: str
    meta: dict

    @property
    def publication_year(self) -> int:
        return int(str(self.meta["published"])[:4])

    @property
    def publication_month(self) -> int | None:
        """None when only the year is known (published: 2024)."""
        return publication_month(self.meta["published"])


def publication_month(published: object) -> int | None:
    text = str(published)
    return int(text[5:7]) if len(text) >= 7 and text[4] == "-" and text[5:7].isdigit() else None


def decode_utf8(raw: bytes, path: Path) -> str:
    """Strict UTF-8, or an error that says where it broke and what it looks like instead."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            raw.decode("gb18030")
            hint = "; it decodes as GBK/GB18030: convert it with `iconv -f GB18030 -t UTF-8`"
        except UnicodeDecodeError:
            pass
        raise BuildError(path, f"not valid UTF-8 (byte {exc.start}){hint}", line=line) from None


def load_bibliography(path: Path) -> list[dict]:
    """The entries of sources.yaml, each checked against `SourceEntry` (types, real dates,
    http(s) or DOI addresses, a full-string id), with `published` as text (YYYY[-MM[-DD]])."""
    data, node = parse_yaml(path)
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise BuildError(path, "expected a list of source entries")
    entries = [m.model_dump() for m in check(path, data, node, list[SourceEntry])]
    seen_ids: set[str] = set()
    seen_files: set[str] = set()
    for item, entry in zip(node.value, entries, strict=True):  # node: the list just validated
        sid = entry["source_id"]
        line = item.start_mark.line + 1  # this entry's own line, not the first with its id
        if sid in seen_ids:
            raise BuildError(path, f"duplicate source_id {sid!r}", line=line, entry=sid)
        if entry["file"] in seen_files:
            raise BuildError(path, f"file {entry['file']!r} is listed twice", line=line, entry=sid)
        seen_ids.add(sid)
        seen_files.add(entry["file"])
    return entries


def read_regular_file(path: Path, *, follow_symlinks: bool = False, limit: int | None = None) -> bytes:
    """The bytes of a regular file, refusing symlinks (unless asked), devices, pipes and
    folders, so nothing outside the corpus is read in its name. One open, then fstat: the
    file checked is the file read."""
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow_symlinks else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise BuildError(path, "file not found") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise BuildError(path, "is a symbolic link; a source must be a regular file in the corpus folder") from None
        raise BuildError(path, f"cannot read: {exc.strerror or exc}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise BuildError(path, "is not a regular file (a device, pipe or folder)")
    with os.fdopen(fd, "rb") as f:
        if limit is not None and info.st_size > limit:
            raise BuildError(path, f"text is {info.st_size // 1024} KiB; the limit is {limit // 1024} KiB")
        try:
            return f.read()
        except OSError as exc:
            raise BuildError(path, f"cannot read: {exc.strerror or exc}") from None


def load_corpus(folder: Path, region_ids: set[str]) -> list[Source]:
    """Every text with its bibliography entry; any mismatch stops the build."""
    bib_path = folder / "sources.yaml"
    entries = load_bibliography(bib_path)
    listed = {e["file"] for e in entries}
    for txt in sorted(folder.glob("*.txt")):
        if txt.name not in listed:
            raise BuildError(txt, f"text has no bibliography entry in {bib_path.name}")
    sources = []
    for entry in entries:
        sid = entry["source_id"]
        line = _entry_line(bib_path, "source_id", sid)
        path = folder / entry["file"]
        if not path.exists() and not path.is_symlink():
            raise BuildError(bib_path, f"entry has no text: {entry['file']} not found", line=line, entry=sid)
        if entry["region_focus"] not in region_ids:
            raise BuildError(
                bib_path, f"region_focus {entry['region_focus']!r} is not in regions.yaml", line=line, entry=sid
            )
        raw = read_regular_file(path)
        if not raw.strip():
            raise BuildError(path, "source text is empty")
        digest = hashlib.sha256(raw).hexdigest()
        if digest != str(entry["sha256"]).lower():
            raise BuildError(
                path,
                f"bytes no longer match the sha256 recorded in {bib_path.name} "
                f"(recorded {str(entry['sha256'])[:12]}…, now {digest[:12]}…); "
                "restore the file or, if the change is intended, record the new digest",
            )
        text = decode_utf8(raw, path)
        refuse_control_characters(text, path)
        sources.append(Source(source_id=sid, path=path, text=text, sha256=digest, meta=entry))
    return sources
