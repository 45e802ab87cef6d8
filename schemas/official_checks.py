"""Integrity rules for official figures, added to the observations schema by schemas.integrity.

- A release's provincial table adds up to the national total the releases state, within
  the rounding of its rows (all 31 rows), or stays below it (a table that lacks rows).
- Two official copies of one figure (a release's sentence and a table's row) agree within
  the rounding of the coarser one.
- A cross-check names an official source, and official figures are not themselves checked.
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

TABLE_RULE = "official.yaml:table"
PROVINCES = 31


def _half_unit(number_text: str) -> float:
    m = re.search(r"\d+\.(\d+)", str(number_text))
    return 0.5 * 10 ** (-len(m.group(1))) if m else 0.5


def _official(df: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    ids = set(sources.loc[sources["kind"].astype(str).str.strip() == "official", "source_id"])
    return df["source_id"].isin(ids)


def table_sums_ok(df: pd.DataFrame, sources: pd.DataFrame, regions: pd.DataFrame) -> pd.Series:
    """Provincial rows of one table against the stated national total of the same year."""
    ok = pd.Series(True, index=df.index)
    provinces = set(regions.loc[regions["level"] == "province", "region_id"])
    official = df[_official(df, sources) & ~df["derived"] & (df["qualifier"] == "exact")]
    national = official[(official["region_id"] == "china") & (official["rule_id"] != TABLE_RULE)]
    rows = official[(official["rule_id"] == TABLE_RULE) & official["region_id"].isin(provinces)]
    for (_, indicator, year), table in rows.groupby(["source_id", "indicator_id", "year"]):
        if indicator != "rd_spending":
            continue  # only a level adds up; intensities and shares do not
        totals = national[(national["indicator_id"] == indicator) & (national["year"] == year)]
        if totals.empty:
            continue
        total = float(totals["value"].iloc[0])
        slack = sum(_half_unit(t) for t in table["number_text"]) + _half_unit(totals["number_text"].iloc[0])
        listed = float(table["value"].sum())
        complete = table["region_id"].nunique() >= PROVINCES
        if listed > total + slack or (complete and abs(listed - total) > slack):
            ok[table.index] = False
    return ok


def copies_agree(df: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """Official statements of one indicator, region and year agree within rounding.

    A less faithful copy that a more faithful one contradicts (flagged 'contradicted' by
    loaders/official.py: a third party's misprint the release itself corrects) is no longer
    held against the others; nor is a copy a reviewer rejected."""
    ok = pd.Series(True, index=df.index)
    rejected = df["review_state"].eq("rejected") if "review_state" in df else pd.Series(False, index=df.index)
    if "flags" in df:
        rejected |= df["flags"].astype(str).str.contains("contradicted:", regex=False)
    official = df[_official(df, sources) & ~df["derived"] & (df["qualifier"] == "exact") & ~rejected]
    for _, group in official.groupby(["indicator_id", "region_id", "year"]):
        if len(group) < 2:
            continue
        slack = max(_half_unit(t) for t in group["number_text"]) * float(group["scale"].iloc[0])
        if group["value_base"].max() - group["value_base"].min() > 2 * slack:
            ok[group.index] = False
    return ok


def checks_consistent(df: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    official = _official(df, sources)
    names_official = df["check_source_id"].eq("") | df["check_source_id"].isin(df.loc[official, "source_id"])
    return names_official & (~official | df["check_status"].eq("")) & (official | df["check_status"].ne(""))


def official_checks(sources: pd.DataFrame, regions: pd.DataFrame) -> list[pa.Check]:
    return [
        pa.Check(
            lambda df: table_sums_ok(df, sources, regions),
            name="official_table_adds_up",
            description="A release's provincial table adds up to the stated national total (within rounding).",
        ),
        pa.Check(
            lambda df: copies_agree(df, sources),
            name="official_copies_agree",
            description="Official copies of one figure (sentence, table row) agree within rounding.",
        ),
        pa.Check(
            lambda df: checks_consistent(df, sources),
            name="cross_check_consistent",
            description="Every claim from a non-official source carries a check status naming an official "
            "source; official figures carry none.",
        ),
    ]
