"""Which source a chart draws when several give one region-year of one indicator.

Why: one release reaches the corpus several times (the publisher's full text, a
communique copied by a news site, a paper citing it). Drawn once per source, China stands
twice on one comparison (中国 [1], 中国 [2]) where the sources state one figure. A chart draws
each region-year once, from the source that takes precedence; the other copies stay in the
table of figures not drawn, each with its citation (the reader can still ask to compare
sources). Precedence, best first:
1. an official release over any other text (a text quoting the release is a copy of it);
2. among releases, the project's copy-fidelity order (datasets/reference/official.yaml
   `copy_precedence`: the release's own text before a news report or a third party's table,
   as loaders.official.by_fidelity orders them for the cross-check);
3. the bibliography's order.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from dashboard.i18n import LOADER

REFERENCE = Path(__file__).resolve().parents[1] / "datasets" / "reference" / "official.yaml"
OFFICIAL_KIND = "official"


@lru_cache(maxsize=1)
def fidelity_order() -> tuple[str, ...]:
    """copy_fidelity values, most faithful first (the loaders' own list)."""
    try:
        data = yaml.load(REFERENCE.read_text(encoding="utf-8"), Loader=LOADER) or {}
    except (OSError, yaml.YAMLError):
        return ()
    return tuple(str(f) for f in data.get("copy_precedence") or [])


@lru_cache(maxsize=4)
def bibliography_fidelity(sources_root: str) -> dict[str, str]:
    """copy_fidelity by source id from the bibliography beside the texts, for a build that
    does not publish the column in sources.parquet (the contract does not carry it yet)."""
    try:
        entries = yaml.load((Path(sources_root) / "sources.yaml").read_text(encoding="utf-8"), Loader=LOADER) or []
    except (OSError, yaml.YAMLError):
        return {}
    if not isinstance(entries, list):
        return {}
    return {
        str(e.get("source_id")): str(e.get("copy_fidelity") or "")
        for e in entries
        if isinstance(e, dict) and e.get("source_id")
    }


def ranks(sources: pd.DataFrame, sources_root: str | None = None) -> dict[str, int]:
    """Each source's place in the order of precedence (0 takes precedence over 1, ...)."""
    ids = sources["source_id"].astype(str).tolist()
    kinds = sources["kind"].astype(str).str.strip().tolist() if "kind" in sources else [""] * len(ids)
    published = sources["copy_fidelity"].astype(str).str.strip() if "copy_fidelity" in sources else None
    if published is not None and published.ne("").any():
        fidelity = dict(zip(ids, published.tolist(), strict=True))
    else:
        fidelity = bibliography_fidelity(sources_root) if sources_root else {}
    order = {f: i for i, f in enumerate(fidelity_order())}

    def key(i: int) -> tuple[bool, int, int]:
        return kinds[i] != OFFICIAL_KIND, order.get(fidelity.get(ids[i], ""), len(order)), i

    return {ids[i]: rank for rank, i in enumerate(sorted(range(len(ids)), key=key))}
