"""Downloads of exactly the rows on screen, with everything needed to cite them.

CSV is UTF-8 with a BOM so Excel and WPS detect the encoding; text cells that
a spreadsheet would run as a formula are made inert (OWASP CSV injection).
"""

from __future__ import annotations

import io

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

BOM = "\ufeff"
# OWASP: = + - @ tab CR start a formula. Full-width forms are added because some
# spreadsheet front-ends normalise them when typed or imported.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

OBS_COLUMNS = [
    "observation_id",
    "indicator_id",
    "region_id",
    "year",
    "year_basis",
    "region_basis",
    "value",
    "unit",
    "qualifier",
    "scale",
    "base_unit",
    "value_base",
    "derived",
    "note",
    "flags",
    "source_id",
    "quote",
    "char_start",
    "char_end",
    "number_text",
    "number_start",
    "number_end",
    "rule_id",
    "check_status",  # against the official figure (loaders/crosscheck.py); absent in older tables
    "check_value",
    "check_source_id",
    "check_note",
]
SOURCE_COLUMNS = {
    "title": "source_title",
    "title_en": "source_title_en",
    "authors": "source_authors",
    "venue": "source_venue",
    "published": "source_published",
    "doi": "source_doi",
    "url": "source_url",
}


def export_frame(
    obs: pd.DataFrame, sources: pd.DataFrame, regions: pd.DataFrame, indicators: pd.DataFrame
) -> pd.DataFrame:
    """Observation rows joined with names and the full citation of their source."""
    cols = [c for c in OBS_COLUMNS if c in obs.columns]
    out = obs[cols].reset_index(drop=True)
    for col in out.columns:  # categoricals and narrow ints in memory, as published in the file
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(str)
        elif pd.api.types.is_integer_dtype(out[col].dtype):
            out[col] = out[col].astype("int64")
    ind = indicators[["indicator_id", "name_zh", "name_en", "unit"]].rename(
        columns={"name_zh": "indicator_zh", "name_en": "indicator_en", "unit": "display_unit"}
    )
    reg = regions[["region_id", "name_zh", "name_en", "level"]].rename(
        columns={"name_zh": "region_zh", "name_en": "region_en", "level": "region_level"}
    )
    src = sources[["source_id", *SOURCE_COLUMNS]].rename(columns=SOURCE_COLUMNS)
    out = out.merge(ind, on="indicator_id", how="left").merge(reg, on="region_id", how="left")
    out = out.merge(src, on="source_id", how="left")
    front = [
        "observation_id",
        "indicator_id",
        "indicator_zh",
        "indicator_en",
        "region_id",
        "region_zh",
        "region_en",
        "region_level",
    ]
    return out[front + [c for c in out.columns if c not in front]]


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix risky text cells with a quote; numeric columns are left as numbers."""
    out = df.copy()
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        text = series.astype("string").fillna("")
        risky = text.str.startswith(FORMULA_START)
        if risky.any():
            out[col] = text.where(~risky, "'" + text)
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    body = neutralise(df).to_csv(index=False, lineterminator="\r\n")
    return (BOM + body).encode("utf-8")


def parquet_bytes(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), buf)
    return buf.getvalue()
