"""Trying a document without adding it: input limits, strict decoding, cached
extraction and the list of figures found.

Kept out of the page module so it can be tested directly: nothing here writes to
disk or to the corpus.
"""

from __future__ import annotations

import hashlib
import re
import shlex
import threading
import time
from pathlib import PurePath

import pandas as pd
import streamlit as st

from dashboard.data import LEVELS, Tables
from dashboard.i18n import name, t, unit_label
from loaders.corpus import decode_utf8
from loaders.errors import BuildError
from loaders.extract import ExtractionTimeout, engine, extract_text

MAX_CHARS = 200_000
MAX_BYTES = 1_000_000  # "1 MB"; server.maxUploadSize (2 MB) stops anything far larger first
SHOWN_KINDS = ("figure", "rank")
CACHE_ENTRIES = 16
# One extraction at a time per server, each within a budget: a long paste cannot hold the
# server's cores or memory for other readers. Waiting for the one before counts against it.
TIME_BUDGET_S = 2.5  # of the 5 s a reader should wait at most; the page needs the rest
_ONE_AT_A_TIME = threading.Lock()
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f]")

EXPORT_COLUMNS = [
    "number_text",
    "value",
    "unit",
    "qualifier",
    "kind",
    "indicator_id",
    "indicator_zh",
    "indicator_en",
    "indicator_subject",
    "subject_phrase",
    "measure",
    "region_id",
    "region_zh",
    "region_en",
    "region_basis",
    "year",
    "year_basis",
    "quote",
    "char_start",
    "char_end",
    "number_start",
    "number_end",
    "scale",
    "base_unit",
    "value_base",
    "rule_id",
    "reason",
]


class InputProblem(Exception):
    """Input the page refuses; `message(lang)` says why in the reader's language."""

    def __init__(self, key: str, **fmt: object) -> None:
        super().__init__(key)
        self.key = key
        self.fmt = fmt

    def message(self, lang: str) -> str:
        return t(self.key, lang, **self.fmt)


def safe_name(filename: str | None) -> str:
    """The uploaded file's own name, without any client-side folders or control characters."""
    base = PurePath(str(filename or "").replace("\\", "/")).name
    base = _UNSAFE_NAME.sub("", base).strip()[:80]
    return base or "upload.txt"


def size_label(n_bytes: int) -> str:
    return f"{n_bytes / 1_000_000:.1f} MB" if n_bytes >= 100_000 else f"{n_bytes / 1000:.1f} KB"


def check_text(text: str) -> str:
    """The text itself, or InputProblem when it is over the character limit."""
    if len(text) > MAX_CHARS:
        raise InputProblem("try_doc.too_long", n=f"{len(text):,}", limit=f"{MAX_CHARS:,}")
    return text


def decode_upload(raw: bytes, filename: str | None) -> str:
    """Strict UTF-8 text of an upload within the limits, or InputProblem saying what is wrong.

    Errors name the uploaded file, never a path on the server.
    """
    shown = safe_name(filename)
    if len(raw) > MAX_BYTES:
        raise InputProblem("try_doc.too_big", name=shown, size=size_label(len(raw)), limit=size_label(MAX_BYTES))
    if not raw.strip():
        raise InputProblem("try_doc.empty_file", name=shown)
    try:
        text = decode_utf8(raw, PurePath(shown))
    except BuildError as exc:
        gbk = "GB18030" in exc.message
        raise InputProblem("try_doc.gbk" if gbk else "try_doc.bad_encoding", detail=exc.one_line()) from None
    return check_text(text.removeprefix("\ufeff"))  # Notepad's BOM is not part of the text


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _extract_cached(text_hash: str, region: str, year: int | None, month: int | None, _text: str) -> pd.DataFrame:
    # Keyed by the text's hash (the text itself is excluded from Streamlit's hashing).
    # A refusal (InputProblem) is raised, not returned, so it is never cached.
    started = time.monotonic()
    if not _ONE_AT_A_TIME.acquire(timeout=TIME_BUDGET_S):
        raise InputProblem("try_doc.busy", seconds=f"{TIME_BUDGET_S:g}")
    try:
        budget = max(0.5, TIME_BUDGET_S - (time.monotonic() - started))
        return extract_text(
            _text, default_region=region or None, publication_year=year, publication_month=month, time_budget=budget
        )
    except ExtractionTimeout as exc:
        raise InputProblem("try_doc.too_slow", seconds=f"{TIME_BUDGET_S:g}", done=f"{exc.done:,}") from None
    finally:
        _ONE_AT_A_TIME.release()


def extract(text: str, region: str = "", year: int | None = None, month: int | None = None) -> pd.DataFrame:
    """Every number in the text, cached per (text hash, default region, publication year and month)."""
    year = int(year) if year is not None else None
    month = int(month) if month is not None and year is not None else None
    return _extract_cached(digest(text), region or "", year, month, text)


def name_tables(tables: Tables) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Region and indicator names: the published tables first, then the extractor's
    catalogue for ids the tables lack (a region no published text mentions yet)."""
    ref = engine()[0]
    reg_cols = ["region_id", "name_zh", "name_en", "level"]
    ind_cols = ["indicator_id", "name_zh", "name_en", "unit"]
    reg_ref = pd.DataFrame([{c: str(r.get(c) or "") for c in reg_cols} for r in ref.regions], columns=reg_cols)
    ind_ref = pd.DataFrame([{c: str(i.get(c) or "") for c in ind_cols} for i in ref.indicators], columns=ind_cols)
    regions = pd.concat([tables.regions[reg_cols], reg_ref[~reg_ref["region_id"].isin(tables.region_ids)]])
    indicators = pd.concat([tables.indicators[ind_cols], ind_ref[~ind_ref["indicator_id"].isin(tables.indicator_ids)]])
    return regions.reset_index(drop=True), indicators.reset_index(drop=True)


def region_choices(regions: pd.DataFrame) -> list[str]:
    """Regions the extractor knows, grouped by level (world, bloc, country, … city)."""
    known = engine()[0].region_ids
    reg = regions[regions["region_id"].isin(known)]
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    ordered = reg.assign(_r=reg["level"].map(rank).fillna(len(LEVELS))).sort_values("_r", kind="stable")
    return ordered["region_id"].tolist()


def region_format(regions: pd.DataFrame, lang: str):
    by_id = regions.set_index("region_id")

    def fmt(region_id: str) -> str:
        if not region_id:
            return t("try_doc.region_none", lang)
        if region_id not in by_id.index:
            return region_id
        row = by_id.loc[region_id]
        return f"{t('level.' + row['level'], lang)} · {name(row, lang)}"

    return fmt


def figures(found: pd.DataFrame, regions: pd.DataFrame, indicators: pd.DataFrame, show_all: bool) -> pd.DataFrame:
    """The rows to list and export: figures and ranks (or every number), with names in
    both languages, in text order."""
    rows = found if show_all else found[found["kind"].isin(SHOWN_KINDS)]
    rows = rows.sort_values(["number_start", "number_end"], kind="stable").reset_index(drop=True)
    ind = indicators[["indicator_id", "name_zh", "name_en"]].rename(
        columns={"name_zh": "indicator_zh", "name_en": "indicator_en"}
    )
    reg = regions[["region_id", "name_zh", "name_en"]].rename(columns={"name_zh": "region_zh", "name_en": "region_en"})
    out = rows.merge(ind, on="indicator_id", how="left").merge(reg, on="region_id", how="left")
    for col in ("indicator_zh", "indicator_en", "region_zh", "region_en"):
        out[col] = out[col].fillna("")
    return out[EXPORT_COLUMNS]


def _label(section: str, value: object, lang: str) -> str:
    value = "" if value is None or value is pd.NA else str(value)
    if not value:
        return ""
    key = f"{section}.{value}"
    label = t(key, lang)
    return value if label == key else label


def _words(rows: pd.DataFrame) -> pd.Series:
    """All the words that name a figure (增加值占规上工业的比重), else its measured thing."""
    phrase = rows["subject_phrase"].fillna("")
    return phrase.where(phrase != "", rows["indicator_subject"].fillna(""))


def display_frame(rows: pd.DataFrame, lang: str, show_all: bool) -> pd.DataFrame:
    """The list as the reader sees it, in their language."""
    suffix = "en" if lang == "en" else "zh"
    other = "zh" if lang == "en" else "en"

    def pick(kind: str) -> pd.Series:
        mine, theirs = rows[f"{kind}_{suffix}"], rows[f"{kind}_{other}"]
        ids = rows[f"{kind}_id"].fillna("")
        return mine.where(mine != "", theirs.where(theirs != "", ids))

    out = pd.DataFrame(
        {
            t("try_doc.col_number", lang): rows["number_text"],
            t("common.value", lang): rows["value"],
            t("common.unit", lang): [unit_label(u, lang) for u in rows["unit"]],
            t("try_doc.col_qualifier", lang): [_label("qualifier", q, lang) for q in rows["qualifier"]],
            t("common.indicator", lang): pick("indicator"),
            t("try_doc.col_subject", lang): _words(rows),
            t("try_doc.col_measure", lang): [_label("measure", x, lang) for x in rows["measure"]],
            t("common.region", lang): pick("region"),
            t("common.year", lang): rows["year"],
            t("common.year_basis", lang): [_label("year_basis", b, lang) for b in rows["year_basis"]],
            t("try_doc.col_region_basis", lang): [_label("region_basis", b, lang) for b in rows["region_basis"]],
            t("common.quote", lang): rows["quote"],
        }
    )
    if show_all:
        out[t("try_doc.col_kind", lang)] = [_label("try_doc.kinds", k, lang) for k in rows["kind"]]
    out[t("try_doc.col_reason", lang)] = rows["reason"].fillna("")
    return out


def span_title(row: pd.Series, lang: str) -> str:
    if not row["indicator_id"]:
        words = row.get("subject_phrase") or row.get("indicator_subject")
        if words:
            # Outside the catalogue, the text's own words still say what the figure is.
            what = f"{words}（{_label('measure', row['measure'], lang)}）"
            return f"{row['number_text']} · {what} · {t('try_doc.not_in_catalogue', lang)}"
        return f"{row['number_text']} · {row['reason'] or _label('try_doc.kinds', row['kind'], lang)}"
    ind = row[f"indicator_{'en' if lang == 'en' else 'zh'}"] or row["indicator_id"]
    reg = row[f"region_{'en' if lang == 'en' else 'zh'}"] or row["region_id"]
    year = "" if pd.isna(row["year"]) else f" · {int(row['year'])}"
    return f"{row['number_text']} · {ind} · {reg}{year}"


def add_command(filename: str | None, region: str, year: int | None, month: int | None = None) -> str:
    """The exact `python -m loaders add` call, with what the page already knows filled in."""
    path = shlex.quote(safe_name(filename)) if filename else "path/to/text.txt"
    published = "YYYY-MM-DD" if year is None else f"{int(year)}-{int(month):02d}" if month else str(int(year))
    return " \\\n  ".join(
        [
            f"python -m loaders add {path}",
            "--id SOURCE_ID",
            '--title "标题"',
            '--title-en "English title"',
            '--author "作者"',
            '--venue "刊物 / venue"',
            f"--published {published}",
            '--url "https://…"',
            '--doi "10.…"',
            f"--region {region or 'REGION_ID'}",
            '--kind "statistical communiqué"',
        ]
    )
