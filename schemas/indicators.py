"""indicators.parquet: what each figure measures, in which unit."""

import pandera.pandas as pa
from pandera.typing import Series


class Indicators(pa.DataFrameModel):
    indicator_id: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z0-9_]+$", description="Stable ascii id.")
    name_zh: Series[str] = pa.Field(str_length={"min_value": 1}, description="Chinese name.")
    name_en: Series[str] = pa.Field(str_length={"min_value": 1}, description="English name.")
    unit: Series[str] = pa.Field(
        str_length={"min_value": 1}, description="Display unit (%, 百分点, 家, 位, 亿元, ...)."
    )
    base_unit: Series[str] = pa.Field(description="Unit of value_base in observations (percent, pp, CNY, ...).")
    topic: Series[str] = pa.Field(description="Topic used to group indicators in filters.")
    definition: Series[str] = pa.Field(str_length={"min_value": 1}, description="One-line definition in English.")
    definition_zh: Series[str] = pa.Field(description="One-line definition in Chinese.")
    whole_id: Series[str] = pa.Field(description="Indicators sharing a whole_id split one whole (add up to 100).")
    splits_region: Series[bool] = pa.Field(
        description="Values for sibling regions that partition their parent add up to at most 100."
    )
    change_of: Series[str] = pa.Field(description="Indicator this one is a year-on-year change of; empty if none.")
    reference_regions: Series[str] = pa.Field(description="Benchmark regions drawn as reference lines, joined by |.")
    plausible_min: Series[float] = pa.Field(nullable=True, description="Below this a figure is flagged implausible.")
    plausible_max: Series[float] = pa.Field(nullable=True, description="Above this a figure is flagged implausible.")

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(description="change_of names an indicator in this table.")
    def change_of_exists(cls, df):
        return (df["change_of"] == "") | df["change_of"].isin(df["indicator_id"])
