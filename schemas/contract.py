"""The data contract's enumerations and column lists in one importable place.

The dashboard imports these rather than restating them. This module imports no pandera
(a reader's cold start should not pay for the validator): the lists the table models
also use are written here once, and tests/dashboard/test_contract.py fails when a model's
list and this one differ, so they cannot drift apart. The columns added in 2026-12
(period_kind, status, review_state, check_status) are listed from DESIGN.md.
"""

LEVELS = ["world", "bloc", "country", "macro_region", "province", "city", "county"]
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
    "unstated",
    "computed",
    "reviewed",
]
REGION_BASES = ["stated", "list", "relative", "rule", "source_default", "country_default", "reviewed"]
PERIOD_KINDS = ["year", "quarter", "half", "months_to_date", "multi_year_average", "cumulative", "as_of", "unknown"]
STATUSES = ["actual", "target", "forecast", "hypothetical", "threshold", "difference"]
REVIEW_STATES = ["machine", "confirmed", "corrected", "rejected"]
CHECK_STATUSES = ["agrees", "differs", "no_official"]

# The published tables' contract columns (DESIGN.md, "The data contract"): never renamed
# or dropped; readers may rely on them.
CONTRACT_COLUMNS = {
    "sources": ["source_id", "title", "authors", "venue", "published", "url", "language", "sha256", "n_chars"],
    "regions": ["region_id", "name_zh", "name_en", "level", "parent_id"],
    "indicators": ["indicator_id", "name_zh", "name_en", "unit", "topic", "definition"],
    "observations": [
        "observation_id",
        "indicator_id",
        "region_id",
        "year",
        "value",
        "unit",
        "qualifier",
        "source_id",
        "quote",
        "char_start",
        "char_end",
        "derived",
    ],
    "mentions": ["source_id", "char_start", "char_end", "text", "value", "unit", "observation_id"],
}

# A figure whose year_basis is one of these states no data year: `year` holds the
# publication year and must never be shown, charted or exported as a data year.
UNDATED_YEAR_BASES = ["publication", "unstated"]
# What a chart may draw by default (DESIGN.md, "Columns added to the contract (2026-12)").
CHART_STATUSES = ["actual"]
CHART_PERIOD_KINDS = ["year", "as_of"]
REVIEWED_STATES = ["confirmed", "corrected"]
# Words in `flags` that keep a figure off charts unless the reader asks for it.
HIDING_FLAGS = ["implausible", "contradicted"]
# The base unit of a rank (1 = first): drawn as text or dots, never as bars from zero.
RANK_BASE_UNIT = "rank"

__all__ = [
    "CHART_PERIOD_KINDS",
    "CHART_STATUSES",
    "CHECK_STATUSES",
    "CONTRACT_COLUMNS",
    "HIDING_FLAGS",
    "LEVELS",
    "PERIOD_KINDS",
    "QUALIFIERS",
    "RANK_BASE_UNIT",
    "REGION_BASES",
    "REVIEWED_STATES",
    "REVIEW_STATES",
    "STATUSES",
    "UNDATED_YEAR_BASES",
    "YEAR_BASES",
]
