"""The bad-input suite as data: each case damages a copy of a built corpus, runs one command
as a user would (`python -m loaders …`, in-process so faults can be injected), and holds
when the command exits with the expected code, says one line on stderr naming the culprit,
prints no traceback, leaves the published tables byte-identical with no staging folder left
behind, and (for `add`) leaves sources.yaml and the sources folder byte- and mode-identical.

tests/loaders/test_bad_input.py runs every case; benchmarks/bad_input_report.py prints them.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from tests.loaders.bad_runner import EDITED_LINE, Case, Workspace

# --- damage ----------------------------------------------------------------------------------


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` and note the line it starts on: a case's needle `{line}` must name it."""
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), "utf-8")
    (path.parent.parent / EDITED_LINE).write_text(str(text[: text.index(old)].count("\n") + 1))


def bib_edit(old: str, new: str) -> Callable[[Workspace], None]:
    return lambda ws: edit(ws.sources / "sources.yaml", old, new)


def ref_edit(file: str, old: str, new: str) -> Callable[[Workspace], None]:
    return lambda ws: edit(ws.reference / file, old, new)


def record_sha(ws: Workspace, source_id: str) -> None:
    """Record a text's current digest, so the check under test is the one that fires."""
    bib = ws.sources / "sources.yaml"
    entry = next(e for e in yaml.safe_load(bib.read_text("utf-8")) if e["source_id"] == source_id)
    digest = hashlib.sha256((ws.sources / entry["file"]).read_bytes()).hexdigest()
    edit(bib, entry["sha256"], digest)


def text_edit(source_id: str, change: Callable[[bytes], bytes]) -> Callable[[Workspace], None]:
    def damage(ws: Workspace) -> None:
        path = ws.sources / f"{source_id}.txt"
        path.write_bytes(change(path.read_bytes()))
        record_sha(ws, source_id)

    return damage


def append_entry(ws: Workspace, source_id: str, file: str, digest: str) -> None:
    with (ws.sources / "sources.yaml").open("a", encoding="utf-8") as f:
        f.write(
            f"- {{source_id: {source_id}, file: {file}, title_zh: 测试, authors: [], "
            f"published: '2024', language: zh, region_focus: china, sha256: {digest}}}\n"
        )


def symlink_outside(ws: Workspace) -> None:
    outside = ws.root / "outside.txt"  # stands for /etc/passwd: any file outside the corpus
    outside.write_text("2022年，研发投入强度为2.54%。", "utf-8")
    (ws.sources / "lnk.txt").symlink_to(outside)
    append_entry(ws, "lnk", "lnk.txt", hashlib.sha256(outside.read_bytes()).hexdigest())


def fifo_source(ws: Workspace) -> None:
    os.mkfifo(ws.sources / "pipe.txt")
    append_entry(ws, "pipe", "pipe.txt", hashlib.sha256(b"").hexdigest())


def bad_shares(ws: Workspace) -> None:
    text = "2022年，我国基础研究经费占比为6.57%，应用研究和试验发展经费占比为95.43%。"
    (ws.sources / "bad_shares.txt").write_text(text, "utf-8")
    append_entry(ws, "bad_shares", "bad_shares.txt", hashlib.sha256(text.encode()).hexdigest())


def tamper_table(change: Callable[[pd.DataFrame], None]) -> Callable[[Workspace], None]:
    """Edit observations.parquet in place, keeping its schema metadata, as a hand edit would."""

    def damage(ws: Workspace) -> None:
        path = ws.out / "observations.parquet"
        table = pq.read_table(path)
        frame = table.to_pandas()
        change(frame)
        pq.write_table(
            pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(table.schema.metadata), path
        )

    return damage


def _times_ten(frame: pd.DataFrame) -> None:
    frame.loc[frame["value"] == 52, "value"] = 520.0


def _new_quote(frame: pd.DataFrame) -> None:
    frame.loc[0, "quote"] = "中央决定成立520个国家级高新技术开发区"


def nothing(ws: Workspace) -> None:
    pass


# --- faults injected into the process ----------------------------------------------------------


@contextlib.contextmanager
def read_only(ws: Workspace) -> Iterator[None]:
    """datasets/ on a read-only file system: every new folder under it fails with EROFS
    (chmod alone does not stop root, so the call is refused instead)."""
    real = os.mkdir

    def refuse(path, *args, **kwargs):
        if str(path).startswith(str(ws.root)):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real(path, *args, **kwargs)

    os.mkdir = refuse
    try:
        yield
    finally:
        os.mkdir = real


@contextlib.contextmanager
def disk_full(ws: Workspace) -> Iterator[None]:
    """The disk fills while the third table is written: part of a file, then ENOSPC."""
    from loaders import publish

    real, calls = publish.write_table, []

    def write(frame, path, metadata):
        calls.append(path)
        if len(calls) == 3:
            Path(path).write_bytes(b"PAR1 partial")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(frame, path, metadata)

    publish.write_table = write
    try:
        yield
    finally:
        publish.write_table = real


@contextlib.contextmanager
def ctrl_c_while_writing(ws: Workspace) -> Iterator[None]:
    """Ctrl-C while the second table is written: the staging folder must go with it."""
    from loaders import publish

    real, calls = publish.write_table, []

    def write(frame, path, metadata):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(frame, path, metadata)

    publish.write_table = write
    try:
        yield
    finally:
        publish.write_table = real


@contextlib.contextmanager
def permission_denied(ws: Workspace) -> Iterator[None]:
    """A text the user may not read (chmod does not stop root, so the open is refused)."""
    real = os.open

    def refuse(path, flags, *args, **kwargs):
        if str(path).endswith("huang2024_75_years.txt"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(path, flags, *args, **kwargs)

    os.open = refuse
    try:
        yield
    finally:
        os.open = real


@contextlib.contextmanager
def ctrl_c_in_rebuild(ws: Workspace) -> Iterator[None]:
    from loaders import build

    real = build.publish

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    build.publish = interrupted
    try:
        yield
    finally:
        build.publish = real


def add_args(*extra: str, source_id: str = "zj_test_2024", published: str = "2024-03-01") -> Callable:
    def args(ws: Workspace) -> list[str]:
        fields = ["--id", source_id, "--title", "浙江测试", "--published", published, "--region", "zhejiang"]
        return [str(ws.incoming), *fields, *extra]

    return args


def extract_args(*extra: str) -> Callable:
    return lambda ws: [str(ws.incoming), *extra]


def _shares_over_100(ws: Workspace) -> None:
    ws.incoming.write_text("2022年，我国基础研究经费占比为6.57%，应用研究和试验发展经费占比为95.43%。", "utf-8")


# --- the cases ----------------------------------------------------------------------------------

B = "sources.yaml"
# Nine to the eighth lists by aliases: linear in YAML, exponential if anything walked or printed it whole.
BOMB = (
    "[&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol], "
    + ", ".join(f"&a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9))
    + "]"
)
CASES: list[Case] = [
    # Wrong types, bad dates and unknown keys in the bibliography (issue 17).
    Case(
        "authors are not strings",
        bib_edit("authors: [王增]", "authors: [1, 2]"),
        (B + ":{line}", "wang2025_county", "authors"),
    ),
    Case(
        "published month 13",
        bib_edit('published: "2024-04-01"', 'published: "2024-13-45"'),
        (B + ":{line}", "published", "real date"),
    ),
    Case(
        "unquoted impossible date",
        bib_edit('published: "2025-12-04"', "published: 2024-02-30"),
        (B + ":{line}", "real date"),
    ),
    Case(
        "region_focus is a list",
        bib_edit("region_focus: jiangxi", "region_focus: [jiangxi]"),
        (B + ":{line}", "region_focus"),
    ),
    Case(
        "source_id is a number", bib_edit("source_id: wang2025_county", "source_id: 2026"), (B + ":{line}", "source_id")
    ),
    Case(
        "unknown key", bib_edit("  venue: 当代县域经济", "  venu: 当代县域经济"), (B + ":{line}", "unknown key 'venu'")
    ),
    Case(
        "javascript: url",
        bib_edit('url: ""\n  kind: journal article\n', 'url: "javascript:alert(1)"\n  kind: journal article\n'),
        (B + ":{line}", "url", "http(s)"),
    ),
    Case(
        "control character in a title",
        bib_edit("title_zh: 新质生产力 引领县域经济发展的实践路径", 'title_zh: "新质生产力\\a引领"'),
        (B + ":{line}", "U+0007"),
    ),
    Case(
        "path traversal in file",
        bib_edit("file: wang2025_county.txt", "file: ../../etc/passwd.txt"),
        (B + ":{line}", "file"),
    ),
    Case(
        "python tag",
        bib_edit("authors: [王增]", "authors: !!python/object/apply:os.system [echo hi]"),
        (B + ":{line}", "malformed YAML"),
    ),
    Case(
        "YAML bomb in a title",
        bib_edit("title_zh: 新质生产力 引领县域经济发展的实践路径", "title_zh: " + BOMB),
        (B + ":{line}", "title_zh"),
    ),
    Case(
        "duplicate source ids",
        bib_edit("source_id: wang2025_county", "source_id: liu2026_pingxiang"),
        (B + ":{line}", "duplicate source_id"),
    ),
    # Wrong types in the rules and the catalogue (issue 17).
    Case(
        "priority: high",
        ref_edit(
            "rules.yaml",
            "priority: 2,\n     keywords: [专精特新“小巨人”",
            "priority: high,\n     keywords: [专精特新“小巨人”",
        ),
        ("rules.yaml:{line}", "little_giants", "priority"),
    ),
    Case('亿: "abc"', ref_edit("rules.yaml", "  亿: 1.0e8", '  亿: "abc"'), ("rules.yaml:{line}", "scales.亿")),
    Case(
        "base_units: 7",
        ref_edit(
            "rules.yaml",
            "base_units: [enterprises], priority: 2,\n     keywords: [专精",
            "base_units: 7, priority: 2,\n     keywords: [专精",
        ),
        ("rules.yaml:{line}", "base_units"),
    ),
    Case("factor: ten", ref_edit("rules.yaml", "factor: 10}", "factor: ten}"), ("rules.yaml:{line}", "factor")),
    Case(
        "bad regular expression",
        ref_edit("rules.yaml", "batch_pattern: '第[0-9", "batch_pattern: '(第[0-9"),
        ("rules.yaml:{line}", "regular expression"),
    ),
    Case(
        "unknown rule key",
        ref_edit(
            "rules.yaml",
            "priority: 2,\n     keywords: [专精特新“小巨人”",
            "priorty: 2,\n     keywords: [专精特新“小巨人”",
        ),
        ("rules.yaml:{line}", "unknown key 'priorty'"),
    ),
    Case(
        "plausible: [low, high]",
        ref_edit("indicators.yaml", "plausible: [0, 8]", "plausible: [low, high]"),
        ("indicators.yaml:{line}", "rd_intensity_pct", "plausible"),
    ),
    Case(
        "rule with unknown indicator",
        ref_edit("rules.yaml", "indicator: little_giants_count", "indicator: little_giant_count"),
        ("rules.yaml:", "unknown indicator 'little_giant_count'"),
    ),
    Case(
        "unknown reference region",
        ref_edit("indicators.yaml", "reference_regions: [eu, oecd]", "reference_regions: [eu, g7]"),
        ("indicators.yaml:", "rd_intensity_pct", "'g7'"),
    ),
    Case(
        "link to an unknown indicator",
        ref_edit("indicators.yaml", "gdp_share_id: rd_intensity_pct", "gdp_share_id: rd_intensity"),
        ("indicators.yaml:", "gdp_share_id 'rd_intensity'"),
    ),
    Case(
        "malformed YAML",
        ref_edit("regions.yaml", "aliases: [全球, 全世界]}", "aliases: [全球, 全世界]"),
        ("regions.yaml:", "malformed YAML"),
    ),
    Case(
        "county with unknown parent",
        ref_edit("counties.csv", ",beijing,", ",peking,"),
        ("counties.csv:", "parent_id 'peking'"),
    ),
    Case(
        "missing reference file",
        lambda ws: (ws.reference / "indicators.yaml").unlink(),
        ("indicators.yaml", "not found"),
    ),
    # The texts.
    Case(
        "invalid UTF-8",
        text_edit("wang2025_county", lambda b: b[:200] + b"\xff\xfe\xfa" + b[200:]),
        ("wang2025_county.txt:", "not valid UTF-8"),
    ),
    Case(
        "GBK text",
        text_edit("jxdaily2024_think_tank", lambda b: b.decode().encode("gbk", "ignore")),
        ("jxdaily2024_think_tank.txt", "GBK"),
    ),
    Case("empty text", text_edit("liu2026_pingxiang", lambda b: b""), ("liu2026_pingxiang.txt", "empty")),
    Case(
        "NUL byte in a text",
        text_edit("wang2025_county", lambda b: b.replace("县域".encode(), "县\x00域".encode(), 1)),
        ("wang2025_county.txt:", "U+0000"),
    ),
    Case(
        "changed bytes",
        lambda ws: edit(ws.sources / "huang2024_75_years.txt", "299亿美元", "399亿美元"),
        ("huang2024_75_years.txt", "sha256"),
    ),
    Case(
        "text without an entry",
        lambda ws: (ws.sources / "stray.txt").write_text("研发投入强度为2.54%。", "utf-8"),
        ("stray.txt", "no bibliography entry"),
    ),
    Case(
        "entry without a text",
        lambda ws: (ws.sources / "wang2025_county.txt").unlink(),
        (B + ":", "wang2025_county", "no text"),
    ),
    Case("symlink out of the corpus", symlink_outside, ("lnk.txt", "symbolic link")),
    Case("a pipe as a source", fifo_source, ("pipe.txt", "not a regular file")),
    Case("failed schema check", bad_shares, ("bad_shares.txt", "parts_add_up_to_whole", "obs_")),
    # The environment.
    Case("read-only datasets/", nothing, ("Read-only file system",), fault=read_only),
    Case("disk full while writing", nothing, ("No space left on device",), fault=disk_full),
    Case("text not readable", nothing, ("huang2024_75_years.txt", "Permission denied"), fault=permission_denied),
    Case(
        "Ctrl-C while writing", nothing, ("interrupted", "left as they were"), exit_code=130, fault=ctrl_c_while_writing
    ),
    # add: a transaction.
    Case(
        "add --published 2024-13-45",
        nothing,
        ("--published", "real date", "not added"),
        "add",
        add_args(published="2024-13-45"),
    ),
    Case("add --id with a newline", nothing, ("--id", "not added"), "add", add_args(source_id="abc\n")),
    Case(
        "add --url javascript:",
        nothing,
        ("--url", "http(s)", "not added"),
        "add",
        add_args("--url", "javascript:alert(1)"),
    ),
    Case(
        "add --title with a newline",
        nothing,
        ("--title", "not added"),
        "add",
        lambda ws: [str(ws.incoming), "--id", "zj", "--title", "a\nb", "--published", "2024", "--region", "zhejiang"],
    ),
    Case(
        "add --region nowhere",
        nothing,
        ("--region", "not added"),
        "add",
        lambda ws: [str(ws.incoming), "--id", "zj", "--title", "t", "--published", "2024", "--region", "nowhere"],
    ),
    Case("add, rebuild fails", _shares_over_100, ("parts_add_up_to_whole", "not added"), "add", add_args()),
    Case(
        "add, Ctrl-C in the rebuild", nothing, ("interrupted", "not added"), "add", add_args(), 130, ctrl_c_in_rebuild
    ),
    Case(
        "add a device",
        nothing,
        ("not a regular file", "not added"),
        "add",
        lambda ws: ["/dev/zero", "--id", "zj", "--title", "t", "--published", "2024", "--region", "zhejiang"],
    ),
    # extract.
    Case("extract --region nowhere", nothing, ("--region 'nowhere'",), "extract", extract_args("--region", "nowhere")),
    Case(
        "extract a NUL byte",
        lambda ws: ws.incoming.write_bytes("研发\x00投入".encode()),
        ("incoming.txt:1", "U+0000"),
        "extract",
        extract_args(),
    ),
    # Published tables edited after the build.
    Case("observation value 52 -> 520", tamper_table(_times_ten), ("difference",), "verify", exit_code=1),
    Case("a quote replaced", tamper_table(_new_quote), ("difference",), "verify", exit_code=1),
    Case(
        "text changed after the build",
        lambda ws: edit(ws.sources / "huang2024_75_years.txt", "299亿美元", "399亿美元"),
        ("difference",),
        "verify",
        exit_code=1,
    ),
]
assert len({c.name for c in CASES}) == len(CASES)
