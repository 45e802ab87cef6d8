"""regions.parquet: every region a figure can describe, with its place in the hierarchy."""

import pandera.pandas as pa
from pandera.typing import Series

LEVELS = ["world", "bloc", "country", "macro_region", "province", "city", "county"]


class Regions(pa.DataFrameModel):
    region_id: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z0-9_]+$", description="Stable ascii id.")
    name_zh: Series[str] = pa.Field(str_length={"min_value": 1}, description="Chinese name.")
    name_en: Series[str] = pa.Field(str_length={"min_value": 1}, description="English name.")
    level: Series[str] = pa.Field(isin=LEVELS, description="Place in the hierarchy: " + ", ".join(LEVELS) + ".")
    parent_id: Series[str] = pa.Field(description="region_id of the enclosing region; empty for the world.")
    aliases: Series[str] = pa.Field(description="Words that name the region in texts, joined by |.")
    splits_parent: Series[bool] = pa.Field(
        description="True when this region and its siblings so marked partition the parent (China's four macro-regions)."
    )

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(description="Every parent_id names a region in this table.")
    def parent_exists(cls, df):
        return (df["parent_id"] == "") | df["parent_id"].isin(df["region_id"])
