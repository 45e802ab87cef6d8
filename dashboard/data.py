"""Reading the published tables once, and failing with a message people can act on."""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import streamlit as st
import yaml

from dashboard.charts import source_label
from dashboard.columns import CAN_DO_WITHOUT, CATEGORICAL, MENTION_COLUMNS, OPTIONAL, REQUIRED  # noqa: F401
from dashboard.i18n import LANGS, LOADER, name, t
from dashboard.memory import freeze_after_next_collection, release_memory
from schemas import contract

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = REPO / "datasets" / "published"
DEFAULT_SOURCES_DIR = REPO / "datasets" / "sources"
REBUILD_COMMAND = "python -m loaders build"
LEVELS = tuple(contract.LEVELS)

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
    report: dict | None
    data_dir: Path
    years: tuple[int, int] = (0, 0)
    region_ids: frozenset[str] = field(default_factory=frozenset)
    indicator_ids: frozenset[str] = field(default_factory=frozenset)
    source_ids: frozenset[str] = field(default_factory=frozenset)
    # Computed once at load, so a rerun never scans every observation:
    # row positions of each indicator, region and source (sorted int32 arrays) ...
    by_indicator: dict[str, np.ndarray] = field(default_factory=dict)
    by_region: dict[str, np.ndarray] = field(default_factory=dict)
    by_source: dict[str, np.ndarray] = field(default_factory=dict)
    year: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="int64"))
    # ... the years each indicator has, the regions with data in the sidebar's order ...
    indicator_years: dict[str, tuple[int, ...]] = field(default_factory=dict)
    region_order: tuple[str, ...] = ()
    # ... and labels: {lang: {id: text}}.
    region_names: dict[str, dict[str, str]] = field(default_factory=dict)
    region_levels: dict[str, str] = field(default_factory=dict)
    indicator_names: dict[str, dict[str, str]] = field(default_factory=dict)
    indicator_topics: dict[str, str] = field(default_factory=dict)
    source_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    signature: str = ""


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


def _file(path: Path, table: str) -> Path:
    f = path / f"{table}.parquet"
    if not f.exists():
        raise DataError(f"{f} is missing", missing=True)
    return f


def _check_columns(f: Path, table: str, columns) -> None:
    lacking = [c for c in REQUIRED[table] if c not in columns]
    if lacking:
        raise DataError(f"{f} lacks the column(s) {', '.join(lacking)}")


# Up to this many rows a table is read whole: reading it one column at a time (below) costs
# a pass over the file per column, three times the whole read on the corpus's tables and
# the largest part of a cold start's loading; a table this small is never big twice.
WHOLE_READ_ROWS = 50_000


def _single_chunk_text(col: pa.ChunkedArray) -> pa.ChunkedArray:
    if col.num_chunks > 1 and (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
        return pa.chunked_array([col.combine_chunks()])
    return col


def _read_whole(pf: pq.ParquetFile, names: list[str]) -> pd.DataFrame:
    """A small file in one read, converted as the column-by-column read converts it (no
    pandas metadata, text columns as single chunks)."""
    table = pf.read(columns=names)
    table = pa.table([_single_chunk_text(c) for c in table.columns], names=table.column_names)
    frame = table.to_pandas()
    frame.index = pd.RangeIndex(len(frame))
    return frame


def _read_frame(f: Path, dictionary: list[str]) -> pd.DataFrame:
    """The file as a DataFrame, read one column at a time so the load never holds the
    whole table twice (Arrow and pandas), each text column as a single chunk (taking rows
    from a chunked string column is ten times slower); a small file in one read."""
    pf = pq.ParquetFile(f, read_dictionary=dictionary or None)
    schema = pf.schema_arrow
    index_cols = set()
    if schema.pandas_metadata:
        index_cols = {c for c in schema.pandas_metadata.get("index_columns", []) if isinstance(c, str)}
    n = pf.metadata.num_rows
    if n <= WHOLE_READ_ROWS:
        return _read_whole(pf, [c for c in schema.names if c not in index_cols])
    columns: dict[str, pd.Series] = {}
    for col_name in schema.names:
        if col_name in index_cols:
            continue
        arrays = [b.column(0) for b in pf.iter_batches(batch_size=max(n, 1), columns=[col_name])]
        col = (
            pa.chunked_array(arrays, type=arrays[0].type)
            if arrays
            else pa.chunked_array([], schema.field(col_name).type)
        )
        del arrays
        if col.num_chunks > 1 and (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            col = col.combine_chunks()
        columns[col_name] = pa.table({col_name: col}).to_pandas(self_destruct=True)[col_name]
        del col
    frame = pd.DataFrame(index=pd.RangeIndex(n))
    for col_name, series in columns.items():
        frame[col_name] = series
    return frame


def _read(path: Path, table: str) -> pd.DataFrame:
    f = _file(path, table)
    try:
        names = pq.read_schema(f).names
        df = _read_frame(f, [c for c in CATEGORICAL.get(table, ()) if c in names])
    except Exception as exc:  # any pyarrow failure means the same thing to the user
        raise DataError(f"{f} is not a readable Parquet file ({type(exc).__name__})") from exc
    finally:
        pa.default_memory_pool().release_unused()
    _check_columns(f, table, df.columns)
    for col, default in OPTIONAL[table].items():
        if col not in df.columns:
            df[col] = default
    return df


def _mention_batches(f: Path, source_id: str | None, columns: list[str] | None):
    """Record batches of the mentions file, only the rows of `source_id` when given.

    Row groups whose statistics exclude the source are skipped; the rest are read in
    slices, so memory stays small however many mentions the corpus has.
    """
    pf = pq.ParquetFile(f)
    names = pf.schema_arrow.names
    cols = [c for c in (columns or names) if c in names]
    sid_index = names.index("source_id")
    for g in range(pf.metadata.num_row_groups):
        if source_id is not None:
            stats = pf.metadata.row_group(g).column(sid_index).statistics
            if stats is not None and stats.has_min_max and not (stats.min <= source_id <= stats.max):
                continue
        for batch in pf.iter_batches(batch_size=65_536, row_groups=[g], columns=cols):
            if source_id is not None:
                batch = batch.filter(pc.equal(batch.column(cols.index("source_id")), source_id))
            if batch.num_rows:
                yield batch


def read_mentions(path: Path, source_id: str | None = None, columns: list[str] | None = None) -> pd.DataFrame:
    """Mentions of one source (or all), read from the file on demand."""
    f = _file(path, "mentions")
    try:
        schema = pq.read_schema(f)
        cols = [c for c in (columns or schema.names) if c in schema.names]
        if "source_id" not in cols:
            cols.append("source_id")
        batches = list(_mention_batches(f, source_id, cols))
        table = pa.Table.from_batches(batches, schema=pa.schema([schema.field(c) for c in cols]))
        df = table.to_pandas()
    except Exception as exc:
        raise DataError(f"{f} is not a readable Parquet file ({type(exc).__name__})") from exc
    for col, default in OPTIONAL["mentions"].items():
        if col not in df.columns and (columns is None or col in columns):
            df[col] = default
    _text_cols(
        df,
        [
            c
            for c in (
                "source_id",
                "text",
                "observation_id",
                "unit",
                "qualifier",
                "kind",
                "reason",
                "indicator_subject",
                "measure",
            )
            if c in df
        ],
    )
    for col in ("char_start", "char_end"):
        if col in df:
            df[col] = df[col].astype("int64")
    return df


def _check_mentions(path: Path) -> None:
    f = _file(path, "mentions")
    try:
        names = pq.read_schema(f).names
    except Exception as exc:
        raise DataError(f"{f} is not a readable Parquet file ({type(exc).__name__})") from exc
    _check_columns(f, "mentions", names)


def _text_cols(df: pd.DataFrame, cols: list[str]) -> None:
    for col in cols:
        df[col] = df[col].fillna("").astype(str)


def _category_cols(df: pd.DataFrame, cols) -> None:
    """Text columns kept as categoricals: "" for missing, categories sorted (so sorting
    by the column sorts by its text)."""
    for col in cols:
        s = df[col]
        if not isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype("category")
        cats = sorted({str(c) for c in s.cat.categories} | {""})
        df[col] = s.cat.set_categories(cats).fillna("")


def _positions(series: pd.Series) -> dict[str, np.ndarray]:
    groups = series.groupby(series, observed=True, sort=False).indices
    return {str(k): v.astype("int32") for k, v in groups.items()}


def _region_order(reg: pd.DataFrame, with_data) -> tuple[str, ...]:
    reg = reg[reg["region_id"].isin(list(with_data))]
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    ordered = reg.assign(_r=reg["level"].map(rank).fillna(len(LEVELS))).sort_values(["_r", "region_id"], kind="stable")
    return tuple(ordered["region_id"].tolist())


def _names(frame: pd.DataFrame, key: str) -> dict[str, dict[str, str]]:
    # Only the columns a name is made of (3,000 regions' full records cost a cold start 20 ms).
    cols = [c for c in (key, "name_zh", "name_en") if c in frame]
    records = [dict(zip(cols, values, strict=True)) for values in zip(*(frame[c].tolist() for c in cols), strict=True)]
    return {lang: {r[key]: name(r, lang) for r in records} for lang in LANGS}


def verify_digests(path: Path) -> None:
    """Refuse tables that are not the ones their build wrote: build_report.json records each
    table file's sha256 (`table_sha256`); a hand-edited value or quote no longer matches.
    Reports without digests (older builds, test fixtures) are read as before."""
    try:
        recorded = json.loads((path / "build_report.json").read_text(encoding="utf-8")).get("table_sha256")
    except (OSError, ValueError, UnicodeDecodeError, AttributeError):
        return  # no readable report: the Quality page says so
    if not isinstance(recorded, dict):
        return
    for file, expected in recorded.items():
        f = path / Path(str(file)).name
        digest = hashlib.sha256()
        try:
            with f.open("rb") as handle:
                for block in iter(lambda h=handle: h.read(1 << 20), b""):
                    digest.update(block)
        except OSError:
            raise DataError(f"{f} is missing or unreadable", missing=False) from None
        if digest.hexdigest() != expected:
            raise DataError(
                f"{f} does not match the digest its build recorded in build_report.json: it was changed "
                f"after the build, so its figures are not shown. Rebuild with `{REBUILD_COMMAND}`."
            )


def read_tables(path: Path) -> Tables:
    """Read and normalise the five tables; raise DataError naming the bad file."""
    verify_digests(path)
    frames = {table: _read(path, table) for table in REQUIRED if table != "mentions"}
    _check_mentions(path)
    src, reg, ind, obs = (frames[k] for k in ("sources", "regions", "indicators", "observations"))
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
    _text_cols(obs, ["observation_id", "quote", "number_text"])
    _category_cols(obs, CATEGORICAL["observations"])
    try:
        obs["year"] = obs["year"].astype("int64")
        obs["value"] = obs["value"].astype("float64")
        obs["scale"] = obs["scale"].fillna(1.0).astype("float64")
        obs["value_base"] = obs["value_base"].astype("float64").fillna(obs["value"] * obs["scale"])
        obs["derived"] = obs["derived"].fillna(False).astype(bool)
        # Offsets into a text fit in 32 bits; the downloads write them as int64 again.
        for col in ("char_start", "char_end", "number_start", "number_end"):
            obs[col] = obs[col].fillna(-1).astype("int32")
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
    # The catalogue holds every county (about 2,850); the dashboard needs only those with
    # figures: every rerun that names regions would otherwise walk thousands of rows.
    used = set(obs["region_id"].astype(str))
    reg = reg[(reg["level"] != "county") | reg["region_id"].isin(used)].reset_index(drop=True)
    by_indicator = _positions(obs["indicator_id"])
    by_region = _positions(obs["region_id"])
    year = obs["year"].to_numpy()
    tables = Tables(
        sources=src,
        regions=reg,
        indicators=ind,
        observations=obs,
        report=report,
        data_dir=path,
        years=years,
        region_ids=frozenset(reg["region_id"]),
        indicator_ids=frozenset(ind["indicator_id"]),
        source_ids=frozenset(src["source_id"]),
        by_indicator=by_indicator,
        by_region=by_region,
        by_source=_positions(obs["source_id"]),
        year=year,
        indicator_years={k: tuple(int(y) for y in np.unique(year[v])) for k, v in by_indicator.items()},
        region_order=_region_order(reg, by_region),
        region_names=_names(reg, "region_id"),
        region_levels=dict(zip(reg["region_id"], reg["level"], strict=True)),
        indicator_names=_names(ind, "indicator_id"),
        indicator_topics=dict(zip(ind["indicator_id"], ind["topic"], strict=True)),
        source_labels={lang: {r["source_id"]: source_label(r, lang) for r in src.to_dict("records")} for lang in LANGS},
        signature=repr(signature(path)),
    )
    release_memory()
    return tables


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_tables(path: str, _sig: tuple, sig_key: str) -> Tables:
    # cache_resource, not cache_data: cache_data hands every rerun a fresh copy
    # (unpickled), which costs more than the rerun budget at a million rows.
    # The tables are treated as read-only everywhere.
    tables = read_tables(Path(path))
    freeze_after_next_collection()
    return tables


def load_tables(path: Path) -> Tables:
    sig = signature(path)
    return _cached_tables(str(path), sig, repr(sig))


@st.cache_resource(show_spinner=False, max_entries=32)
def _cached_mentions(path: str, sig_key: str, source_id: str) -> pd.DataFrame:
    return read_mentions(Path(path), source_id, MENTION_COLUMNS)


def mentions_for(tables: Tables, source_id: str) -> pd.DataFrame:
    """One source's mentions (read-only, cached): a million-row corpus never holds them all."""
    return _cached_mentions(str(tables.data_dir), tables.signature, source_id)


def _run_build(path: Path) -> None:
    from loaders.build import build  # the loaders package builds the tables

    params = inspect.signature(build).parameters
    for arg in ("out_dir", "published_dir", "output_dir", "out"):
        if arg in params:
            build(**{arg: path})
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
    return yaml.load((Path(__file__).with_name("views.yaml")).read_text(encoding="utf-8"), Loader=LOADER)
