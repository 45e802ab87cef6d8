"""The build: corpus and reference data in, validated tables published atomically.

load → process → validate → save, each a function of the one before.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from loaders.corpus import Source, load_bibliography, load_corpus
from loaders.errors import BuildError
from loaders.official import add_official, is_official
from loaders.publish import publish
from loaders.reference import Reference, load_reference
from loaders.review import apply_corpus_reviews
from loaders.tables import figures_tables, indicators_table, regions_table, sources_table

ROOT = Path(__file__).resolve().parent.parent
SOURCES_DIR = ROOT / "datasets" / "sources"
REFERENCE_DIR = ROOT / "datasets" / "reference"
PUBLISHED_DIR = ROOT / "datasets" / "published"


@dataclass
class BuildResult:
    out: Path
    tables: dict[str, pd.DataFrame]
    report: dict

    def summary(self) -> str:
        c = self.report["counts"]
        return (
            f"built {c['sources']} sources: {c['mentions']} numbers found, "
            f"{c['observations']} observations ({c['derived']} derived), "
            f"{c['unmapped']} numbers left unmapped -> {self.out}"
        )


def code_version() -> str:
    """Git commit when available, plus a digest of the code and rules that made the tables."""
    digest = hashlib.sha256()
    for folder in ("loaders", "schemas", "datasets/reference"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".yaml", ".csv"):
                digest.update(path.relative_to(ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{commit or 'nogit'}+{digest.hexdigest()[:12]}"


def load(sources_dir: Path, reference_dir: Path) -> tuple[Reference, list[Source]]:
    load_bibliography(sources_dir / "sources.yaml")  # a wrong entry fails before the slower reference
    ref = load_reference(reference_dir)
    return ref, load_corpus(sources_dir, ref.region_ids)


def figures_as_built(
    ref: Reference,
    sources: list[Source],
    reference_dir: Path,
    progress: Callable[[str], None] | None = None,
    read: Source | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(observations, mentions) the way the build reads them: prose through the extractor,
    official releases through official.yaml's patterns, with the aggregates and the cross-check
    of every claim against them. `read` reads the prose of that one source only (the review
    CLI lists one source's figures; releases are always all read, being the cross-check's base)."""
    prose = [s for s in sources if not is_official(s) and (read is None or s is read)]
    observations, mentions = figures_tables(prose, reference_dir, progress)
    return add_official(observations, sources, ref, reference_dir), mentions


def process(
    ref: Reference, sources: list[Source], progress: Callable[[str], None] | None, reference_dir: Path
) -> dict[str, pd.DataFrame]:
    observations, mentions = figures_as_built(ref, sources, reference_dir, progress)
    return {
        "sources": sources_table(sources),
        "regions": regions_table(ref),
        "indicators": indicators_table(ref),
        "observations": observations,
        "mentions": mentions,
    }


def validate(tables: dict[str, pd.DataFrame], sources: list[Source]) -> tuple[dict[str, pd.DataFrame], list]:
    from schemas.integrity import validate_tables

    validated, results = validate_tables(tables, {s.source_id: s.text for s in sources})
    failed = [r for r in results if r.n_failed]
    if failed:
        first = failed[0]
        more = sum(r.n_failed for r in failed) - 1
        tail = f" (and {more} more failure(s) in {len(failed)} rule(s))" if more else ""
        frame = tables[first.table]
        paths = {s.source_id: s.path for s in sources}
        if first.first_index is not None and "source_id" in frame.columns:
            row = frame.loc[first.first_index]
            claim = row.get("number_text", row.get("text", ""))
            oid = row.get("observation_id", "")
            raise BuildError(
                paths.get(row["source_id"], row["source_id"]),
                f"claim {claim!r} ({oid}) fails schema check '{first.check}' on "
                f"{first.table}: {first.description}{tail}",
            )
        where = first.examples[0] if first.examples else first.table
        raise BuildError(
            f"{first.table} table", f"schema check '{first.check}' failed for {where}: {first.description}{tail}"
        )
    return validated, results


def blind_spots(men: pd.DataFrame, top: int = 200) -> list[dict]:
    """Figures no observation came from, grouped by what the text calls them, most frequent
    first: where the catalogue should grow next. Kept in the build report so the dashboard
    never scans the mentions for it."""
    rows = men[(men["observation_id"] == "") & men["kind"].isin(["figure", "rank"]) & (men["indicator_subject"] != "")]
    if rows.empty:
        return []
    grouped = (
        rows.groupby(["indicator_subject", "measure"], observed=True)
        .agg(n=("source_id", "size"), n_sources=("source_id", "nunique"))
        .reset_index()
        .sort_values(["n", "n_sources", "indicator_subject", "measure"], ascending=[False, False, True, True])
    )
    return [
        {"indicator_subject": str(s), "measure": str(m), "n": int(n), "n_sources": int(k)}
        for s, m, n, k in grouped.head(top).itertuples(index=False)
    ]


def report_for(tables: dict[str, pd.DataFrame], sources: list[Source], results: list) -> dict:
    obs, men = tables["observations"], tables["mentions"]
    return {
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "code_version": code_version(),
        "python": sys.version.split()[0],
        "sources": [{"source_id": s.source_id, "sha256": s.sha256, "file": s.path.name} for s in sources],
        "counts": {
            "sources": len(sources),
            "mentions": len(men),
            "observations": len(obs),
            "derived": int(obs["derived"].sum()),
            "unmapped": int((men["observation_id"] == "").sum()),
            "unmapped_figures": int(((men["observation_id"] == "") & men["kind"].isin(["figure", "rank"])).sum()),
        },
        "blind_spots": blind_spots(men),
        "checks": [
            {
                "table": r.table,
                "check": r.check,
                "description": r.description,
                "status": r.status,
                "n_failed": r.n_failed,
            }
            for r in results
        ],
    }


def build(
    sources_dir: Path = SOURCES_DIR,
    reference_dir: Path = REFERENCE_DIR,
    out: Path = PUBLISHED_DIR,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build and publish; on any BuildError the published tables are left as they were."""
    ref, sources = load(sources_dir, reference_dir)
    tables = process(ref, sources, progress, reference_dir)
    tables["observations"], review = apply_corpus_reviews(tables["observations"], sources, ref, sources_dir)
    tables, results = validate(tables, sources)
    report = report_for(tables, sources, results) | {"review": review}
    publish(tables, report, out)
    return BuildResult(out=out, tables=tables, report=report)
