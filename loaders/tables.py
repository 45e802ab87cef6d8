"""Assembling the published tables from the corpus, the reference data and the figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd

from loaders.corpus import Source
from loaders.extract import observations_from_text
from loaders.reference import Reference
from loaders.review import REVIEW_COLUMNS, with_review_columns

OBSERVATION_COLUMNS = [
    "observation_id",
    "indicator_id",
    "region_id",
    "year",
    "year_basis",
    "region_basis",
    "value",
    "unit",
    "scale",
    "base_unit",
    "value_base",
    "qualifier",
    "source_id",
    "quote",
    "char_start",
    "char_end",
    "number_text",
    "number_start",
    "number_end",
    "derived",
    "note",
    "flags",
    "rule_id",
    "period_kind",
    "period_start",
    "period_end",
    "status",
    "confidence",
    "evidence",
    *REVIEW_COLUMNS,
]
MENTION_COLUMNS = [
    "source_id",
    "char_start",
    "char_end",
    "text",
    "value",
    "unit",
    "qualifier",
    "kind",
    "observation_id",
    "reason",
    "indicator_subject",
    "measure",
    "period_kind",
    "status",
    "confidence",
    "evidence",
]


def _published_date(value: str) -> date:
    parts = [int(p) for p in str(value).split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def sources_table(sources: list[Source]) -> pd.DataFrame:
    rows = []
    for s in sources:
        m = s.meta
        published = str(m["published"])
        rows.append(
            {
                "source_id": s.source_id,
                "title": m["title_zh"],
                "title_en": m.get("title_en") or "",
                "short_title": m.get("short_title") or m["title_zh"],
                "authors": "、".join(m.get("authors") or []),
                "venue": m.get("venue") or "",
                "published": _published_date(published),
                "published_text": published,
                "published_precision": {4: "year", 7: "month"}.get(len(published), "day"),
                "url": m.get("url") or (f"https://doi.org/{m['doi']}" if m.get("doi") else ""),
                "doi": m.get("doi") or "",
                "language": m["language"],
                "sha256": s.sha256,
                "n_chars": len(s.text),
                "kind": m.get("kind") or "",
                "region_focus": m["region_focus"],
                "file": s.path.name,
                "received_as": m.get("received_as") or "",
            }
        )
    frame = pd.DataFrame(rows)
    frame["published"] = pd.to_datetime(frame["published"]).dt.date
    return frame


def regions_table(ref: Reference) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "region_id": r["region_id"],
                "name_zh": r["name_zh"],
                "name_en": r["name_en"],
                "level": r["level"],
                "parent_id": r["parent_id"],
                "aliases": "|".join(r["aliases"]),
                "splits_parent": r["splits_parent"],
            }
            for r in ref.regions
        ]
    )


def indicators_table(ref: Reference) -> pd.DataFrame:
    rows = []
    for i in ref.indicators:
        plausible = i.get("plausible") or [None, None]
        rows.append(
            {
                "indicator_id": i["indicator_id"],
                "name_zh": i["name_zh"],
                "name_en": i["name_en"],
                "unit": i["unit"],
                "base_unit": i["base_unit"],
                "topic": i["topic"],
                "definition": i["definition"],
                "definition_zh": i.get("definition_zh") or "",
                "whole_id": i.get("whole_id") or "",
                "splits_region": bool(i.get("splits_region", False)),
                "change_of": i.get("change_of") or "",
                "reference_regions": "|".join(i.get("reference_regions") or []),
                "plausible_min": plausible[0],
                "plausible_max": plausible[1],
            }
        )
    frame = pd.DataFrame(rows)
    for col in ("plausible_min", "plausible_max"):
        frame[col] = frame[col].astype("Float64")
    return frame


def figures_tables(
    sources: list[Source], reference_dir: Path, progress: Callable[[str], None] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(observations, mentions) for the whole corpus."""
    observations: list[dict] = []
    mentions: list[dict] = []
    for n, s in enumerate(sources, start=1):
        obs, men = observations_from_text(
            s.text,
            s.source_id,
            default_region=s.meta["region_focus"],
            publication_year=s.publication_year,
            publication_month=s.publication_month,
            folder=reference_dir,
        )
        observations.extend(obs)
        mentions.extend(men)
        if progress:
            progress(f"[{n}/{len(sources)}] {s.source_id}: {len(men)} numbers, {len(obs)} observations")
    obs_frame = pd.DataFrame(observations, columns=OBSERVATION_COLUMNS)
    obs_frame = obs_frame.astype(
        {
            "year": "int64",
            "char_start": "int64",
            "char_end": "int64",
            "number_start": "int64",
            "number_end": "int64",
            "derived": "bool",
            "value": "float64",
            "scale": "float64",
            "value_base": "float64",
            "confidence": "float64",
            "period_start": "datetime64[ns]",
            "period_end": "datetime64[ns]",
        }
    )
    obs_frame = with_review_columns(obs_frame)  # pending until a decision in datasets/reviews/ says otherwise
    obs_frame = obs_frame.sort_values(["source_id", "number_start", "derived"]).reset_index(drop=True)
    men_frame = pd.DataFrame(mentions, columns=MENTION_COLUMNS)
    men_frame = men_frame.astype(
        {"char_start": "int64", "char_end": "int64", "value": "float64", "confidence": "float64"}
    )
    return obs_frame, men_frame
