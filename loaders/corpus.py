"""Reading the corpus: the texts and their bibliography, checked before anything else runs."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from loaders.errors import BuildError
from loaders.reference import _entry_line, read_yaml

SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
REQUIRED = ("source_id", "file", "title_zh", "authors", "published", "language", "region_focus", "sha256")


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
    data = read_yaml(path)
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise BuildError(path, "expected a list of source entries")
    seen_ids: set[str] = set()
    seen_files: set[str] = set()
    for entry in data:
        sid = str(entry.get("source_id", "?"))
        line = _entry_line(path, "source_id", sid)
        missing = [k for k in REQUIRED if entry.get(k) in (None, "") and k != "authors"]
        if "authors" not in entry or not isinstance(entry.get("authors"), list):
            missing.append("authors (a list, may be empty)")
        if missing:
            raise BuildError(path, f"missing field(s) {', '.join(missing)}", line=line, entry=sid)
        if not SOURCE_ID.match(sid):
            raise BuildError(path, f"source_id {sid!r} must be a lowercase ascii slug", line=line, entry=sid)
        if sid in seen_ids:
            raise BuildError(path, f"duplicate source_id {sid!r}", line=line, entry=sid)
        if entry["file"] in seen_files:
            raise BuildError(path, f"file {entry['file']!r} is listed twice", line=line, entry=sid)
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", str(entry["published"])):
            raise BuildError(path, "published must be YYYY, YYYY-MM or YYYY-MM-DD", line=line, entry=sid)
        if Path(str(entry["file"])).name != str(entry["file"]) or not str(entry["file"]).endswith(".txt"):
            raise BuildError(path, "file must be a .txt name in this folder, not a path", line=line, entry=sid)
        seen_ids.add(sid)
        seen_files.add(entry["file"])
    return data


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
        if not path.is_file():
            raise BuildError(bib_path, f"entry has no text: {entry['file']} not found", line=line, entry=sid)
        if entry["region_focus"] not in region_ids:
            raise BuildError(
                bib_path, f"region_focus {entry['region_focus']!r} is not in regions.yaml", line=line, entry=sid
            )
        raw = path.read_bytes()
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
        sources.append(Source(source_id=sid, path=path, text=decode_utf8(raw, path), sha256=digest, meta=entry))
    return sources
