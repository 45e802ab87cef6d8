"""How much of the communiqués' provincial panel is published (issue 16's target: >= 95 %).

A cell is one province's R&D spending or intensity for one year 2012-2023 (31 x 12 x 2 =
744), counted when an official source gives it exactly (derived, rejected and contradicted
copies do not count). Reads the published tables, so run `python -m loaders build` first.

    python scripts/official_panel_count.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

PUBLISHED = Path(__file__).resolve().parents[1] / "datasets" / "published"
INDICATORS = ("rd_spending", "rd_intensity_pct")
YEARS = range(2012, 2024)


def panel_cells(obs: pd.DataFrame, sources: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    official = set(sources.loc[sources["kind"].astype(str).str.strip() == "official", "source_id"])
    macros = set(regions.loc[regions["splits_parent"].astype(bool), "region_id"])
    provinces = set(regions.loc[(regions["level"] == "province") & regions["parent_id"].isin(macros), "region_id"])
    keep = (
        obs["source_id"].isin(official)
        & ~obs["derived"]
        & (obs["qualifier"] == "exact")
        & obs["region_id"].isin(provinces)
        & obs["indicator_id"].isin(INDICATORS)
        & obs["year"].isin(YEARS)
        & ~obs["flags"].astype(str).str.contains("contradicted", regex=False)
    )
    if "review_state" in obs:
        keep &= obs["review_state"].astype(str) != "rejected"
    return obs[keep].drop_duplicates(["region_id", "year", "indicator_id"])


def main() -> int:
    tables = {n: pd.read_parquet(PUBLISHED / f"{n}.parquet") for n in ("observations", "sources", "regions")}
    cells = panel_cells(tables["observations"], tables["sources"], tables["regions"])
    total = 31 * len(YEARS) * len(INDICATORS)
    print(f"provincial cells published: {len(cells)} of {total} ({len(cells) / total:.1%})")
    by_year = cells.groupby("year").size().reindex(YEARS, fill_value=0)
    print(" ".join(f"{y}:{n}" for y, n in by_year.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
