"""One pandera DataFrameModel per published table, named after it.

Within-table rules live on the models; rules that need another table or the source
texts (keys, quotes, wholes that add up) are added by `schemas.integrity` at build time.

The models are imported on first use (PEP 562): readers that need only the contract's
column lists and enumerations (`schemas.contract`, e.g. the dashboard) do not pay for
importing pandera, which costs a dashboard's cold start more than half a second.
"""

from importlib import import_module

_MODULES = {
    "Sources": "schemas.sources",
    "Regions": "schemas.regions",
    "Indicators": "schemas.indicators",
    "Observations": "schemas.observations",
    "Mentions": "schemas.mentions",
}
_TABLES = {
    "sources": "Sources",
    "regions": "Regions",
    "indicators": "Indicators",
    "observations": "Observations",
    "mentions": "Mentions",
}


def __getattr__(name: str):
    if name in _MODULES:
        return getattr(import_module(_MODULES[name]), name)
    if name == "MODELS":
        return {table: __getattr__(model) for table, model in _TABLES.items()}
    raise AttributeError(f"module 'schemas' has no attribute {name!r}")


__all__ = ["MODELS", "Indicators", "Mentions", "Observations", "Regions", "Sources"]
