"""Reading the published tables once, and failing with a message people can act on."""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import streamlit as st
import yaml

from dashboard.i18n import t

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = REPO / "datasets" / "published"
DEFAULT_SOURCES_DIR = REPO / "datasets" / "sources"
REBUILD_COMMAND = "python -m loaders build"
LEVELS = ("world", "bloc", "country", "macro_region", "province", "city", "county")

# The contract columns the dashboard relies on; anything else is optional.
REQUIRED = {
    "sources": ["source_id", "title", "authors", "venue", "published", "url", "sha256"],
    "regions": ["region_id", "name_zh", "name_en", "level", "parent_id"],
    "indicators": ["indicator_id", "name_zh", "name_en", "unit", "topic"],
    "observations": [
        "observation_id",
        "indicator_id",
        "region_id",
        "year",
        "value",
        "unit",
        "qualifier",
        "source_id",
        "quote",
        "char_start",
        "char_end",
        "derived",
    ],
    "mentions": ["source_id", "char_start", "char_end", "text", "observation_id"],
}
# Optional columns and the value that means "not given".
OPTIONAL = {
    "sources": {
        "title_en": "",
        "short_title": "",
        "doi": "",
        "file": "",
        "language": "",
        "kind": "",
        "n_chars": 0,
        "region_focus": "",
    },
    "regions": {"aliases": "", "splits_parent": False},
    "indicators": {
        "definition": "",
        "definition_zh": "",
        "whole_id": "",
        "splits_region": False,
        "reference_regions": "",
    },
    "observations": {
        "year_basis": "stated",
        "region_basis": "stated",
        "scale": 1.0,
        "base_unit": "",
        "value_base": None,
        "number_text": "",
        "number_start": -1,
        "number_end": -1,
        "note": "",
        "flags": "",
        "rule_id": "",
    },
    "mentions": {"value": None, "unit": "", "qualifier": "", "kind": "", "reason": ""},
}
SAFE_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}\.txt$")


class DataError(Exception):
    """Tables missing or unreadable; `detail` names the file for the person fixing it."""

    def __init__(self, detail: str, missing: bool = False):
        super().__init__(detail)
        self.detail = detail
        self.missing = missing


@dataclass(frozen=True)
class Tables:
    """The published tables, read once and never mutated (shared between sessions)."""

    sources: pd.DataFrame
    regions: pd.DataFrame
    indicators: pd.DataFrame
    observations: pd.DataFrame
    mentions: pd.DataFrame
    report: dict | None
    data_dir: Path
    years: tuple[int, int] = (0, 0)
    region_ids: frozenset[str] = field(default_factory=frozenset)
    indicator_ids: frozenset[str] = field(default_factory=frozenset)
    source_ids: frozenset[str] = field(default_factory=frozenset)


def data_dir() -> Path:
    # absolute(), not resolve(): published/ may be a symlink the build swaps atomically,
    # and the cache must follow the link rather than pin one version's folder.
    return Path(os.environ.get("DASHBOARD_DATA_DIR") or DEFAULT_DATA_DIR).absolute()


def sources_dir() -> Path:
    return Path(os.environ.get("DASHBOARD_SOURCES_DIR") or DEFAULT_SOURCES_DIR).resolve()


def signature(path: Path) -> tuple:
    """Changes whenever a rebuild replaces a table, so the cache reloads."""
    out = []
    for table in REQUIRED:
        f = path / f"{table}.parquet"
        st_ = f.stat() if f.exists() else None
        out.append((table, st_.st_mtime_ns if st_ else None, st_.st_size if st_ else None))
    rep = path / "build_report.json"
    out.append(("report", rep.stat().st_mtime_ns if rep.exists() else None))
    return tuple(out)


def _read(path: Path, table: str) -> pd.DataFrame:
    f = path / f"{table}.parquet"
    if not f.exists():
        raise DataError(f"{f} is missing", missing=True)
    try:
        df = pq.read_table(f).to_pandas()
    except Exception as exc:  # any pyarrow failure means the same thing to the user
        raise DataError(f"{f} is not a readable Parquet file ({type(exc).__name__})") from exc
    lacking = [c for c in REQUIRED[table] if c not in df.columns]
    if lacking:
        raise DataError(f"{f} lacks the column(s) {', '.join(lacking)}")
    for col, default in OPTIONAL[table].items():
        if col not in df.columns:
            df[col] = default
    return df


def _text_cols(df: pd.DataFrame, cols: list[str]) -> None:
    for col in cols:
        df[col] = df[col].fillna("").astype(str)


def read_tables(path: Path) -> Tables:
    """Read and normalise the five tables; raise DataError naming the bad file."""
    frames = {table: _read(path, table) for table in REQUIRED}
    src, reg, ind, obs, men = (frames[k] for k in REQUIRED)
    _text_cols(
        src,
        [
            "source_id",
            "title",
            "title_en",
            "short_title",
            "authors",
            "venue",
            "published",
            "url",
            "doi",
            "file",
            "sha256",
            "kind",
        ],
    )
    _text_cols(reg, ["region_id", "name_zh", "name_en", "level", "parent_id", "aliases"])
    _text_cols(
        ind,
        [
            "indicator_id",
            "name_zh",
            "name_en",
            "unit",
            "topic",
            "definition",
            "definition_zh",
            "whole_id",
            "reference_regions",
        ],
    )
    ind["splits_region"] = ind["splits_region"].fillna(False).astype(bool)
    reg["splits_parent"] = reg["splits_parent"].fillna(False).astype(bool)
    _text_cols(
        obs,
        [
            "observation_id",
            "indicator_id",
            "region_id",
            "unit",
            "qualifier",
            "source_id",
            "quote",
            "year_basis",
            "region_basis",
            "base_unit",
            "number_text",
            "note",
            "flags",
            "rule_id",
        ],
    )
    _text_cols(men, ["source_id", "text", "observation_id", "unit", "qualifier", "kind", "reason"])
    try:
        obs["year"] = obs["year"].astype("int64")
        obs["value"] = obs["value"].astype("float64")
        obs["scale"] = obs["scale"].fillna(1.0).astype("float64")
        obs["value_base"] = obs["value_base"].astype("float64").fillna(obs["value"] * obs["scale"])
        obs["derived"] = obs["derived"].fillna(False).astype(bool)
        for col in ("char_start", "char_end", "number_start", "number_end"):
            obs[col] = obs[col].fillna(-1).astype("int64")
        men["char_start"] = men["char_start"].astype("int64")
        men["char_end"] = men["char_end"].astype("int64")
    except (TypeError, ValueError) as exc:
        raise DataError(f"{path / 'observations.parquet'} has badly typed columns ({exc})") from exc
    report = None
    rep = path / "build_report.json"
    if rep.exists():
        try:
            report = json.loads(rep.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            report = {"_error": f"{rep} is not valid JSON"}
    years = (int(obs["year"].min()), int(obs["year"].max())) if len(obs) else (0, 0)
    return Tables(
        sources=src,
        regions=reg,
        indicators=ind,
        observations=obs,
        mentions=men,
        report=report,
        data_dir=path,
        years=years,
        region_ids=frozenset(reg["region_id"]),
        indicator_ids=frozenset(ind["indicator_id"]),
        source_ids=frozenset(src["source_id"]),
    )


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_tables(path: str, _sig: tuple, sig_key: str) -> Tables:
    # cache_resource, not cache_data: cache_data hands every rerun a fresh copy
    # (unpickled), which costs more than the rerun budget at a million rows.
    # The tables are treated as read-only everywhere.
    return read_tables(Path(path))


def load_tables(path: Path) -> Tables:
    sig = signature(path)
    return _cached_tables(str(path), sig, repr(sig))


def _run_build(path: Path) -> None:
    from loaders.build import build  # the loaders package builds the tables

    params = inspect.signature(build).parameters
    for name in ("out_dir", "published_dir", "output_dir", "out"):
        if name in params:
            build(**{name: path})
            return
    if path != DEFAULT_DATA_DIR.absolute():
        raise DataError(f"loaders.build.build() cannot write to {path}", missing=True)
    build()


def show_data_error(err: DataError, lang: str) -> None:
    st.error(f"**{t('error.title', lang)}**\n\n{err.detail}\n\n{t('error.rebuild', lang)}")
    st.code(REBUILD_COMMAND, language="bash")


def get_tables(lang: str) -> Tables | None:
    """The tables, built on first start when missing; None (with a message) when impossible."""
    path = data_dir()
    try:
        return load_tables(path)
    except DataError as err:
        if not err.missing:
            show_data_error(err, lang)
            return None
    with st.status(t("error.building", lang), expanded=True) as status:
        st.write(f"`{REBUILD_COMMAND}` → {path}")
        try:
            _run_build(path)
            tables = load_tables(path)
        except DataError as err:
            status.update(label=t("error.build_failed", lang), state="error")
            show_data_error(err, lang)
            return None
        except Exception as exc:  # an import error or a failed build: say so, no traceback
            status.update(label=t("error.build_failed", lang), state="error")
            show_data_error(DataError(f"{type(exc).__name__}: {exc}", missing=True), lang)
            return None
        status.update(label=t("error.built", lang), state="complete", expanded=False)
    return tables


@st.cache_data(show_spinner=False, max_entries=32)
def source_text(sources_root: str, file: str, sha256: str) -> tuple[str | None, bool]:
    """The source's text and whether its bytes still match the recorded sha256.

    `file` comes from the published table; it must be a plain file name inside
    the sources folder, so no id can point elsewhere on disk.
    """
    root = Path(sources_root).resolve()
    if not SAFE_FILE.match(file or ""):
        return None, False
    path = (root / file).resolve()
    if path.parent != root or not path.is_file():
        return None, False
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, False
    return text, hashlib.sha256(raw).hexdigest() == sha256


@st.cache_data(show_spinner=False)
def views() -> dict:
    return yaml.safe_load((Path(__file__).with_name("views.yaml")).read_text(encoding="utf-8"))
