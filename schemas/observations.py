"""observations.parquet: one row per quantitative claim, with its quote and offsets."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.contract import (  # one list each
    PERIOD_KINDS,
    QUALIFIERS,
    REGION_BASES,
    REVIEW_STATES,
    STATUSES,
    YEAR_BASES,
)


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
    period_kind: Series[str] = pa.Field(
        isin=PERIOD_KINDS,
        description="The period the figure covers: a calendar year, a quarter, a half, months to date (1—11月, "
        "前三季度), a multi-year average (年均), cumulative (累计, 自2010年以来), as of a date (截至, 年末) or unknown "
        "(datasets/reference/kind.yaml).",
    )
    period_start: Series[pd.Timestamp] = pa.Field(
        nullable=True, description="First day the figure covers (a year: 1 January); empty when unknown."
    )
    period_end: Series[pd.Timestamp] = pa.Field(
        nullable=True, description="Last day the figure covers (a year: 31 December); empty when unknown."
    )
    status: Series[str] = pa.Field(
        isin=STATUSES,
        description="Whether the figure is a fact (actual) or a target (力争, 到2025年), forecast (预计, 有望), "
        "hypothetical (如果), threshold or criterion (不低于, 以上的企业) or difference between two things (反超, 差距).",
    )
    confidence: Series[float] = pa.Field(
        ge=0,
        le=1,
        description="How sure the mapping is: the product of the weights of how its indicator, region and year "
        "were decided (kind.yaml `confidence`).",
    )
    evidence: Series[str] = pa.Field(
        description="The rule and trigger words that decided the mapping: indicator rule, region and year bases, "
        "and the period and status rules with the words they matched."
    )
    review_state: Series[str] = pa.Field(
        isin=REVIEW_STATES,
        description="machine: as the extractor read it, not yet reviewed; confirmed / corrected / rejected by a "
        "person's decision in datasets/reviews/<source_id>.yaml (year_basis/region_basis 'reviewed' when they set it).",
    )
    reviewer: Series[str] = pa.Field(description="Who decided (empty while machine-read).")
    reviewed_on: Series[str] = pa.Field(
        str_matches=r"^(\d{4}-\d{2}-\d{2})?$", description="Date of the decision, YYYY-MM-DD (empty while machine)."
    )
    review_note: Series[str] = pa.Field(description="The reviewer's reason: why rejected or corrected.")
    machine_read: Series[str] = pa.Field(
        description="For a corrected figure, what the extractor had read in the fields the reviewer changed "
        "(year=2024; year_basis=publication); the quote and offsets are always the text's."
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

    @pa.dataframe_check(description="A reviewed figure names its reviewer and date; a machine-read one neither.")
    def review_is_signed(cls, df):
        signed = df["reviewer"].ne("") & df["reviewed_on"].ne("")
        return signed.eq(df["review_state"].ne("machine"))

    @pa.dataframe_check(description="A derived figure says how it was derived.")
    def derived_has_method(cls, df):
        return ~df["derived"] | df["note"].str.startswith("derived:")
