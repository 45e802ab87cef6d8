"""Downloads of exactly the rows on screen, with everything needed to cite them.

CSV is UTF-8 with a BOM so Excel and WPS detect the encoding; text cells that
a spreadsheet would run as a formula are made inert (OWASP CSV injection).
"""

from __future__ import annotations

import io

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from schemas.contract import UNDATED_YEAR_BASES

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
    "published_text": "source_published",
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
    sources = sources.assign(published_text=published_text(sources))
    src = sources[["source_id", *SOURCE_COLUMNS]].rename(columns=SOURCE_COLUMNS)
    if "year_basis" in out:  # an undated figure's year is its publication year, never a data year
        undated = out["year_basis"].astype(str).isin(UNDATED_YEAR_BASES)
        out["year"] = out["year"].astype("Int64").mask(undated)
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


def published_text(sources: pd.DataFrame) -> list[str]:
    """The date as the source states it ("2024", not 2024-01-01)."""
    stated = sources["published_text"] if "published_text" in sources else [""] * len(sources)
    return [str(t) if t else str(p)[:10] for t, p in zip(stated, sources["published"], strict=True)]


# Columns of a chart's own CSV after the readable ones: ids and how each figure was read.
INTERNAL = ["observation_id", "indicator_id", "region_id", "year_basis", "qualifier", "derived", "source_id", "rule_id"]


def readable_frame(rows: pd.DataFrame, lang: str, links: dict[str, str]) -> pd.DataFrame:
    """A chart's rows for people: headers in the reader's language, the time as stated,
    the quote on one line, notes translated; the internal columns after them."""
    from dashboard import notes
    from dashboard.charts import flatten_quote
    from dashboard.i18n import t, unit_label

    def col(name: str) -> list:
        return rows[name].tolist() if name in rows else [""] * len(rows)

    out = pd.DataFrame(
        {
            t("common.region", lang): col("region_label"),
            t("common.indicator", lang): col("indicator_label"),
            t("common.year", lang): col("year_label"),
            t("common.value", lang): col("value_display"),
            t("export.number", lang): rows["value"].astype(float).tolist(),
            t("common.unit", lang): [unit_label(str(u), lang) for u in col("unit")],
            t("common.status", lang): col("kind_label"),
            t("common.flags", lang): [notes.localise(f, lang) for f in col("g_flag")],
            t("about.review", lang): [t(f"review_state.{r}", lang) for r in col("g_review")],
            t("common.source", lang): [f"[{c}] {s}" for c, s in zip(col("cite"), col("source_label"), strict=True)],
            t("about.link", lang): [links.get(str(s), "") or t("about.no_link", lang) for s in col("source_id")],
            t("common.quote", lang): [flatten_quote(str(q)) for q in col("quote")],
            t("common.note", lang): [notes.localise(n, lang) for n in col("note")],
        }
    )
    for name in INTERNAL:
        if name in rows:
            values = rows[name]
            out[name] = values.astype(str) if isinstance(values.dtype, pd.CategoricalDtype) else values.tolist()
    return out.reset_index(drop=True)


def source_links(sources: pd.DataFrame) -> dict[str, str]:
    """{source_id: its DOI resolver or URL}, empty where the bibliography gives neither."""
    out = {}
    for r in sources.to_dict("records"):
        url, doi = str(r.get("url") or ""), str(r.get("doi") or "")
        out[str(r["source_id"])] = (
            url if url.startswith(("https://", "http://")) else (f"https://doi.org/{doi}" if doi else "")
        )
    return out


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
