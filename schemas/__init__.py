"""One pandera DataFrameModel per published table, named after it.

Within-table rules live on the models; rules that need another table or the source
texts (keys, quotes, wholes that add up) are added by `schemas.integrity` at build time.
"""

from schemas.indicators import Indicators
from schemas.mentions import Mentions
from schemas.observations import Observations
from schemas.regions import Regions
from schemas.sources import Sources

MODELS = {
    "sources": Sources,
    "regions": Regions,
    "indicators": Indicators,
    "observations": Observations,
    "mentions": Mentions,
}

__all__ = ["MODELS", "Indicators", "Mentions", "Observations", "Regions", "Sources"]
