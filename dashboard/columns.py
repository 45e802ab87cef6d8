"""Which contract columns (schemas.contract) the dashboard reads, and how: the ones it cannot
do without, the optional ones with the value that means "not given", the ones read as
dictionaries, and what the Sources page reads of the mentions."""

from __future__ import annotations

from schemas import contract

# The contract columns the dashboard relies on (schemas.contract); the few it can do
# without are read as optional below.
CAN_DO_WITHOUT = {"sources": ("language", "n_chars"), "indicators": ("definition",), "mentions": ("value", "unit")}
REQUIRED = {
    table: [c for c in cols if c not in CAN_DO_WITHOUT.get(table, ())]
    for table, cols in contract.CONTRACT_COLUMNS.items()
}
# Optional columns and the value that means "not given".
OPTIONAL = {
    "sources": {
        "title_en": "",
        "short_title": "",
        "doi": "",
        "file": "",
        "language": "",
        "kind": "",
        "n_chars": 0,
        "region_focus": "",
    },
    "regions": {"aliases": "", "splits_parent": False},
    "indicators": {
        "definition": "",
        "definition_zh": "",
        "whole_id": "",
        "splits_region": False,
        "reference_regions": "",
    },
    "observations": {
        "year_basis": "stated",
        "region_basis": "stated",
        "scale": 1.0,
        "base_unit": "",
        "value_base": None,
        "number_text": "",
        "number_start": -1,
        "number_end": -1,
        "note": "",
        "flags": "",
        "rule_id": "",
    },
    "mentions": {
        "value": None,
        "unit": "",
        "qualifier": "",
        "kind": "",
        "reason": "",
        "indicator_subject": "",
        "measure": "",
    },
}
# Few distinct values per column: read as dictionaries (pandas categoricals), which
# cuts the observations' memory by more than half and makes equality filters cheap.
CATEGORICAL = {
    "observations": (
        "indicator_id",
        "region_id",
        "source_id",
        "unit",
        "base_unit",
        "qualifier",
        "year_basis",
        "region_basis",
        "note",
        "flags",
        "rule_id",
    ),
}
# What the Sources page marks; mentions are read per source, on demand.
MENTION_COLUMNS = ["source_id", "char_start", "char_end", "observation_id", "reason", "indicator_subject", "measure"]
