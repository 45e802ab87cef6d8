"""Precision before recall: which mapped figures may be published as a year's actual value.

A wrong figure on a chart costs a policymaker more than a missing one. After the mapper has
chosen indicator, region and year, this stage reads what kind of figure each number is
(loaders/kind.py) and takes the indicator back, with a reason code, when
- the figure is not an actual value (status target, forecast, hypothetical, threshold,
  difference), or
- it covers another period than the indicator (a quarter, half, months to date, multi-year
  average or cumulative figure against a calendar-year indicator), or
- its region comes only from a default in a text that states figures of several places.
A year read only from the publication date becomes year_basis "unstated".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

from loaders.kind import KIND_YAML, Kind, figure_kind, indicator_periods, indicator_statuses, kind_rules
from loaders.reference import read_yaml

PUBLICATION_BASES = ("publication",)
UNSTATED = "unstated"
KIND_COLUMNS = ["period_kind", "period_start", "period_end", "status", "confidence", "evidence"]


@dataclass
class Judgement:
    """What kind of figure one mapped number is, and how sure its mapping is."""

    kind: Kind
    confidence: float
    evidence: str

    def columns(self) -> dict[str, Any]:
        return {
            "period_kind": self.kind.period_kind,
            "period_start": pd.Timestamp(self.kind.period_start) if self.kind.period_start else pd.NaT,
            "period_end": pd.Timestamp(self.kind.period_end) if self.kind.period_end else pd.NaT,
            "status": self.kind.status,
            "confidence": self.confidence,
            "evidence": self.evidence,
        }


@lru_cache(maxsize=2)
def _settings(path: str = str(KIND_YAML)) -> dict[str, Any]:
    data = read_yaml(KIND_YAML)
    return {"confidence": data["confidence"], "weak_region": data["weak_region"]}


_CATALOGUE: list[tuple[list, dict[str, str], dict[str, str]]] = []  # (catalogue, periods, statuses)


def _catalogue(indicators: list[dict[str, Any]]) -> tuple[dict[str, str], dict[str, str]]:
    """The catalogue's non-annual and non-actual indicators, read once per catalogue object."""
    if not _CATALOGUE or _CATALOGUE[0][0] is not indicators:
        _CATALOGUE[:] = [(indicators, indicator_periods(indicators), indicator_statuses(indicators))]
    return _CATALOGUE[0][1], _CATALOGUE[0][2]


def _indicator_weight(rule_id: str, weights: dict[str, float]) -> float:
    head = rule_id.split(":", 1)[0]
    return float(weights.get(head, weights["rule"]))


def _confidence(mp: Any, settings: dict[str, Any]) -> float:
    weights = settings["confidence"]
    score = _indicator_weight(mp.rule_id or "", weights["indicator"])
    score *= float(weights["region_basis"].get(mp.region_basis, 0.5))
    score *= float(weights["year_basis"].get(mp.year_basis, 0.5))
    return round(score, 3)


def _places_stated(mapped: Sequence[Any], settings: dict[str, Any]) -> int:
    """How many places the text itself names as the region of a figure."""
    defaults = set(settings["weak_region"]["bases"]) | {"source_default", ""}
    return len({mp.region_id for mp in mapped if mp.region_id and mp.region_basis not in defaults})


def _withdraw_reason(mp: Any, kind: Kind, catalogue: tuple[dict, dict], several_places: bool, settings: dict) -> str:
    """The reason code for taking a figure's indicator back, or "" to keep it."""
    periods, statuses = catalogue
    if kind.status != "actual" and statuses.get(mp.indicator_id) != kind.status:
        return f"status_{kind.status}"
    ind_period = periods.get(mp.indicator_id, "year")
    if kind.period_kind in kind_rules().non_annual and ind_period != kind.period_kind:
        return f"period_{kind.period_kind}"
    if kind.period_kind == "unknown" and kind.evidence and ind_period == "year":
        return "period_not_a_year"
    if several_places and mp.region_basis in settings["weak_region"]["bases"]:
        return f"weak_region_{mp.region_basis}"
    return ""


def judge(
    compact: Any, mapped: Sequence[Any], *, publication_year: int | None, indicators: list[dict[str, Any]]
) -> list[Judgement]:
    """Kind, confidence and evidence for every mapped number (in order); takes back, in
    place, the indicators that must not be published (reason code in Mapped.reason) and marks
    years read only from the publication date as unstated."""
    settings = _settings()
    catalogue = _catalogue(indicators)
    several = _places_stated(mapped, settings) >= int(settings["weak_region"]["several_places"])
    out = []
    for mp in mapped:
        m = mp.mention
        if mp.year_basis in PUBLICATION_BASES:
            mp.year_basis = UNSTATED
        stated_year = None if mp.year_basis == UNSTATED else mp.year
        kind = figure_kind(compact.text, m.cstart, m.cend, year=stated_year, publication_year=publication_year)
        evidence = [f"indicator:{mp.rule_id}"] if mp.indicator_id else []
        if mp.indicator_id:
            reason = _withdraw_reason(mp, kind, catalogue, several, settings)
            if reason:
                evidence.append(f"withdrawn:{mp.indicator_id}")
                mp.indicator_id, mp.reason = "", reason
        evidence += [f"region:{mp.region_basis}", f"year:{mp.year_basis}", *kind.evidence]
        confidence = _confidence(mp, settings) if mp.indicator_id else 0.0
        out.append(Judgement(kind=kind, confidence=confidence, evidence="; ".join(evidence)))
    return out


def restate_period(observation: dict[str, Any]) -> dict[str, Any]:
    """A derived figure (the previous year's value) covers its own year, not its base's."""
    if observation.get("period_kind") == "year":
        year = int(observation["year"])
        observation["period_start"], observation["period_end"] = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    return observation
