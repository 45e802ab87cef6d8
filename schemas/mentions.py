"""mentions.parquet: every number found in the corpus, mapped to an observation or not."""

import pandera.pandas as pa
from pandera.typing import Series

from schemas.observations import PERIOD_KINDS, STATUSES

KINDS = ["figure", "rank", "year", "date", "time", "ordinal", "citation", "code"]
MEASURES = ["level", "growth", "change", "share", "rank", "multiple", ""]


class Mentions(pa.DataFrameModel):
    source_id: Series[str] = pa.Field(description="Source the number was found in.")
    char_start: Series[int] = pa.Field(ge=0, description="Start of the number's span (str index into the text).")
    char_end: Series[int] = pa.Field(gt=0, description="End of the number's span, exclusive.")
    text: Series[str] = pa.Field(
        str_length={"min_value": 1}, description="The span verbatim, qualifier words and unit included."
    )
    value: Series[float] = pa.Field(nullable=True, description="The number in its canonical unit (九成 → 90).")
    unit: Series[str] = pa.Field(description="Stated unit with its scale word (亿美元, %, 家); empty if none.")
    qualifier: Series[str] = pa.Field(description="exact, approx, more_than, at_least, less_than, at_most or nearly.")
    kind: Series[str] = pa.Field(isin=KINDS, description="What the number is: " + ", ".join(KINDS) + ".")
    observation_id: Series[str] = pa.Field(description="Observation this number became; empty when unmapped.")
    reason: Series[str] = pa.Field(description="Why the number was not mapped; empty when mapped.")
    indicator_subject: Series[str] = pa.Field(
        description="The words of the text that name what a figure measures (规模以上工业增加值), read for every "
        "figure and rank, mapped or not; empty for other numbers or when the text names nothing."
    )
    measure: Series[str] = pa.Field(
        isin=MEASURES,
        description="What the figure states about its subject: level, growth (a rate of change), change (a "
        "difference in points or amounts), share (a proportion or rate), rank or multiple; empty for other numbers.",
    )

    period_kind: Series[str] = pa.Field(
        isin=PERIOD_KINDS, description="The period the number covers, as for observations (year, quarter, ...)."
    )
    status: Series[str] = pa.Field(
        isin=STATUSES,
        description="actual, target, forecast, hypothetical, threshold or difference, as for observations.",
    )
    confidence: Series[float] = pa.Field(
        ge=0, le=1, description="Confidence of the mapping when the number became an observation; 0 otherwise."
    )
    evidence: Series[str] = pa.Field(
        description="Rules and trigger words read for the number; `withdrawn:<indicator_id>` when a mapped "
        "indicator was taken back (the reason code is in `reason`: status_target, period_months_to_date, "
        "weak_region_country_default, ...)."
    )

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(description="Spans are non-empty.")
    def span_order(cls, df):
        return df["char_start"] < df["char_end"]

    @pa.dataframe_check(description="An unmapped number says why.")
    def unmapped_has_reason(cls, df):
        return (df["observation_id"] != "") | (df["reason"] != "")
