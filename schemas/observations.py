"""observations.parquet: one row per quantitative claim, with its quote and offsets."""

import pandera.pandas as pa
from pandera.typing import Series

QUALIFIERS = ["exact", "approx", "more_than", "at_least", "less_than", "at_most", "nearly"]
YEAR_BASES = [
    "stated",
    "range_start",
    "range_end",
    "context",
    "headline",
    "lead",
    "review_year",
    "last_full_year",
    "only_year",
    "range_item",
    "publication",
    "computed",
]
REGION_BASES = ["stated", "list", "relative", "rule", "source_default", "country_default"]


class Observations(pa.DataFrameModel):
    observation_id: Series[str] = pa.Field(
        unique=True,
        str_matches=r"^obs_[0-9a-f]{16}$",
        description="Stable id: a hash of source, the number's offsets, indicator, region, year and derivation.",
    )
    indicator_id: Series[str] = pa.Field(description="Key into indicators.")
    region_id: Series[str] = pa.Field(description="Key into regions.")
    year: Series[int] = pa.Field(ge=1900, le=2100, description="Year the figure describes.")
    year_basis: Series[str] = pa.Field(
        isin=YEAR_BASES, description="How the year was decided: " + ", ".join(YEAR_BASES) + "."
    )
    region_basis: Series[str] = pa.Field(
        isin=REGION_BASES, description="How the region was decided: " + ", ".join(REGION_BASES) + "."
    )
    value: Series[float] = pa.Field(description="The number as stated, in `unit` (299 for 299亿美元; 90 for 九成).")
    unit: Series[str] = pa.Field(description="Stated unit with its scale word (亿美元, 万亿, %, 个百分点, 家).")
    scale: Series[float] = pa.Field(gt=0, description="Factor of the scale word (亿 → 1e8); 1 when none.")
    base_unit: Series[str] = pa.Field(description="Unit of value_base (percent, pp, CNY, USD, enterprises, rank, ...).")
    value_base: Series[float] = pa.Field(description="value × scale, in base_unit.")
    qualifier: Series[str] = pa.Field(
        isin=QUALIFIERS, description="exact, or how the text bounds the figure (超九成 → more_than)."
    )
    source_id: Series[str] = pa.Field(description="Key into sources.")
    quote: Series[str] = pa.Field(
        str_length={"min_value": 1}, description="Verbatim text that states the figure: text[char_start:char_end]."
    )
    char_start: Series[int] = pa.Field(ge=0, description="Start of the quote (Python str index into the decoded text).")
    char_end: Series[int] = pa.Field(gt=0, description="End of the quote, exclusive.")
    number_text: Series[str] = pa.Field(str_length={"min_value": 1}, description="The number's own span, verbatim.")
    number_start: Series[int] = pa.Field(ge=0, description="Start of the number's span.")
    number_end: Series[int] = pa.Field(gt=0, description="End of the number's span, exclusive.")
    derived: Series[bool] = pa.Field(description="True for a figure computed from stated ones; the method is in note.")
    note: Series[str] = pa.Field(description="Method of a derived figure and other remarks.")
    flags: Series[str] = pa.Field(description="Why the figure deserves a second look (bounded, derived, implausible).")
    rule_id: Series[str] = pa.Field(
        description="Extraction rule that mapped the number (datasets/reference/rules.yaml)."
    )
    check_status: Series[str] = pa.Field(
        isin=["agrees", "differs", "no_official", ""],
        description="Against the official figure for the same indicator, region and year: agrees, differs, "
        "no_official; empty for official figures themselves (loaders/crosscheck.py).",
    )
    check_value: Series[float] = pa.Field(
        nullable=True, description="The official figure in the claim's unit; NaN when none (or a range)."
    )
    check_source_id: Series[str] = pa.Field(description="The official release checked against; empty when none.")
    check_note: Series[str] = pa.Field(description="How the check was made: official figure, source, difference.")

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(description="The number's span lies inside its quote.")
    def number_inside_quote(cls, df):
        return (
            (df["char_start"] <= df["number_start"])
            & (df["number_end"] <= df["char_end"])
            & (df["number_start"] < df["number_end"])
        )

    @pa.dataframe_check(description="value_base equals value × scale.")
    def value_base_matches(cls, df):
        expected = df["value"] * df["scale"]
        return (df["value_base"] - expected).abs() <= 1e-9 * expected.abs()

    @pa.dataframe_check(description="A derived figure says how it was derived.")
    def derived_has_method(cls, df):
        return ~df["derived"] | df["note"].str.startswith("derived:")
