"""Values as a chart plots them: in the indicator's display unit, on an axis in one magnitude.

Kept apart from the chart builders (dashboard/charts.py re-exports these names); pure functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from dashboard import fmt

if TYPE_CHECKING:
    from dashboard.charts import Names

KNOWN_SCALES = {
    "万": 1e4,
    "亿": 1e8,
    "万亿": 1e12,
    "亿元": 1e8,
    "万亿元": 1e12,
    "亿美元": 1e8,
    "万元": 1e4,
    "万人": 1e4,
}


def plot_values(
    rows: pd.DataFrame, indicators: pd.DataFrame, names: Names | None = None
) -> tuple[list[float], list[str]]:
    """Values in the indicator's display unit, so 0.3 万亿元 and 3000 亿元 share one axis.

    Only rescales within one base unit; a figure in another currency keeps its stated
    value and unit rather than being silently relabelled.
    """
    if names is not None:
        target_unit, target_base_of = names.indicator_unit, names.indicator_base
    else:
        target_unit = dict(zip(indicators["indicator_id"], indicators["unit"], strict=True))
        bases = indicators["base_unit"] if "base_unit" in indicators else [""] * len(indicators)
        target_base_of = dict(zip(indicators["indicator_id"], bases, strict=True))
    units = [str(u) for u in rows["unit"]]
    scales = rows["scale"].tolist() if "scale" in rows else [1.0] * len(rows)
    scale_of_unit = {**KNOWN_SCALES, **dict(zip(units, scales, strict=True))}
    values, out_units = [], []
    for ind, value, base, unit, scale, base_unit in zip(
        rows["indicator_id"].tolist(),
        rows["value"].tolist(),
        rows["value_base"].tolist() if "value_base" in rows else rows["value"].tolist(),
        units,
        scales,
        rows["base_unit"].tolist() if "base_unit" in rows else [""] * len(rows),
        strict=True,
    ):
        target = target_unit.get(ind, unit)
        target_base = target_base_of.get(ind, base_unit) if ind in target_unit else base_unit
        target_scale = scale_of_unit.get(target)
        same_base = not target_base or not base_unit or target_base == base_unit
        if target == unit or not target_scale or not same_base or not scale:
            values.append(float(value))
            out_units.append(unit)
        else:
            values.append(float(base) / float(target_scale))
            out_units.append(target)
    return values, out_units


def readable_axis(rows: pd.DataFrame, lang: str) -> tuple[list[float], str]:
    """Plotted values and the axis title, in one magnitude the reader's language has words for.

    Amounts of money or people (120 万亿, 3000 亿元) share an axis in 万亿元 / trillion CNY
    chosen from the largest value; any other unit keeps the indicator's display unit.
    """
    fallback = rows["plot_value"].tolist(), (rows["unit_display"].iloc[0] if len(rows) else "")
    if rows.empty or "unit" not in rows:
        return fallback
    bases = rows["base_unit"].tolist() if "base_unit" in rows else [""] * len(rows)
    amounts = [fmt.amount_unit(u, b) for u, b in zip(rows["unit"].tolist(), bases, strict=True)]
    if any(a is None for a in amounts) or len({a[1] for a in amounts}) != 1:
        return fallback
    totals = [float(v) * a[0] for v, a in zip(rows["value"].tolist(), amounts, strict=True)]
    scale, word = fmt.pick_scale(max(abs(v) for v in totals), lang)
    return [round(v / scale, 9) for v in totals], fmt.scaled_unit(word, amounts[0][1], lang)
