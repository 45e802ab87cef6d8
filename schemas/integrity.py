"""Rules that need more than one table: keys, quotes against the texts, wholes, changes.

They are added to the models' schemas at build time as dataframe checks, so one
validation run reports every failing row of every rule, named by its observation.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from loaders.words import decrease_words
from schemas import MODELS
from schemas.official_checks import official_checks

SHARE_TOLERANCE = 0.1  # shares are printed to one or two decimals; a whole may miss 100 by rounding
CHANGE_TOLERANCE = 0.011


@dataclass
class CheckResult:
    table: str
    check: str
    description: str
    n_failed: int
    examples: list[str]
    first_index: object = None  # row label of the first failing row, when the rule names rows

    @property
    def status(self) -> str:
        return "passed" if self.n_failed == 0 else "failed"


def _share_indicators(indicators: pd.DataFrame) -> set[str]:
    share = indicators["base_unit"].eq("percent") & (
        indicators["whole_id"].ne("")
        | indicators["splits_region"]
        | indicators["indicator_id"].str.endswith("_share_pct")
    )
    return set(indicators.loc[share, "indicator_id"])


def _wholes_ok(obs: pd.DataFrame, indicators: pd.DataFrame) -> pd.Series:
    """Parts of one whole (basic 6.57 + applied 93.43) add up to 100 within a source."""
    ok = pd.Series(True, index=obs.index)
    whole_of = indicators.set_index("indicator_id")["whole_id"]
    parts = whole_of[whole_of != ""]
    if parts.empty:
        return ok
    stated = obs[~obs["derived"] & obs["indicator_id"].isin(parts.index)].copy()
    stated["whole_id"] = stated["indicator_id"].map(parts)
    n_parts = parts.value_counts()
    for (_, whole, _, _), group in stated.groupby(["source_id", "whole_id", "region_id", "year"]):
        total = group["value"].sum()
        complete = group["indicator_id"].nunique() == n_parts[whole]
        if total > 100 + SHARE_TOLERANCE or (complete and abs(total - 100) > SHARE_TOLERANCE):
            ok[group.index] = False
    return ok


def _regional_splits_ok(obs: pd.DataFrame, indicators: pd.DataFrame, regions: pd.DataFrame) -> pd.Series:
    """Shares of sibling regions that partition their parent (East 65.74 + West 12.87) stay within 100."""
    ok = pd.Series(True, index=obs.index)
    splitting = set(indicators.loc[indicators["splits_region"], "indicator_id"])
    part_regions = regions[regions["splits_parent"]].set_index("region_id")["parent_id"]
    n_siblings = part_regions.value_counts()
    stated = obs[
        ~obs["derived"] & obs["indicator_id"].isin(splitting) & obs["region_id"].isin(part_regions.index)
    ].copy()
    stated["parent_id"] = stated["region_id"].map(part_regions)
    for (_, _, parent, _), group in stated.groupby(["source_id", "indicator_id", "parent_id", "year"]):
        total = group["value"].sum()
        complete = group["region_id"].nunique() == n_siblings[parent]
        if total > 100 + SHARE_TOLERANCE or (complete and abs(total - 100) > SHARE_TOLERANCE):
            ok[group.index] = False
    return ok


def _changes_ok(obs: pd.DataFrame, indicators: pd.DataFrame) -> pd.Series:
    """A stated change agrees with the two stated values it links (any sources)."""
    ok = pd.Series(True, index=obs.index)
    change_of = indicators.set_index("indicator_id")["change_of"]
    change_of = change_of[change_of != ""]
    stated = obs[~obs["derived"]]
    values = stated.groupby(["indicator_id", "region_id", "year"])["value"].agg(list)
    for idx, row in stated[stated["indicator_id"].isin(change_of.index)].iterrows():
        base = change_of[row["indicator_id"]]
        now = values.get((base, row["region_id"], row["year"]), [])
        before = values.get((base, row["region_id"], row["year"] - 1), [])
        if now and before:
            between_text = row["quote"]
            decrease = any(w in between_text for w in decrease_words())
            change = -row["value"] if decrease else row["value"]
            if not any(abs((a - b) - change) <= CHANGE_TOLERANCE for a in now for b in before):
                ok[idx] = False
    return ok


def observation_checks(
    texts: dict[str, str], sources: pd.DataFrame, regions: pd.DataFrame, indicators: pd.DataFrame
) -> list[pa.Check]:
    shares = _share_indicators(indicators)

    def quote_matches(df: pd.DataFrame) -> pd.Series:
        return pd.Series(
            [
                texts.get(s, "")[a:b] == q
                for s, a, b, q in zip(df["source_id"], df["char_start"], df["char_end"], df["quote"], strict=True)
            ],
            index=df.index,
        )

    def number_matches(df: pd.DataFrame) -> pd.Series:
        return pd.Series(
            [
                texts.get(s, "")[a:b] == q
                for s, a, b, q in zip(
                    df["source_id"], df["number_start"], df["number_end"], df["number_text"], strict=True
                )
            ],
            index=df.index,
        )

    def shares_in_range(df: pd.DataFrame) -> pd.Series:
        return ~df["indicator_id"].isin(shares) | df["value"].between(0, 100)

    return [
        pa.Check(
            lambda df: df["source_id"].isin(sources["source_id"]),
            name="source_exists",
            description="source_id names a row of sources.",
        ),
        pa.Check(
            lambda df: df["region_id"].isin(regions["region_id"]),
            name="region_exists",
            description="region_id names a row of regions.",
        ),
        pa.Check(
            lambda df: df["indicator_id"].isin(indicators["indicator_id"]),
            name="indicator_exists",
            description="indicator_id names a row of indicators.",
        ),
        pa.Check(
            lambda df: df["base_unit"].eq(df["indicator_id"].map(indicators.set_index("indicator_id")["base_unit"])),
            name="unit_matches_indicator",
            description="A figure's base unit is its indicator's (no yuan under a dollar indicator).",
        ),
        pa.Check(
            quote_matches,
            name="quote_matches_source",
            description="quote == text[char_start:char_end] of the source, nothing normalised.",
        ),
        pa.Check(
            number_matches,
            name="number_matches_source",
            description="number_text == text[number_start:number_end] of the source.",
        ),
        pa.Check(
            shares_in_range, name="share_within_0_100", description="Percentages that are shares lie within 0–100."
        ),
        pa.Check(
            lambda df: _wholes_ok(df, indicators),
            name="parts_add_up_to_whole",
            description="Shares that split one whole add up to 100 (6.57 + 93.43).",
        ),
        pa.Check(
            lambda df: _regional_splits_ok(df, indicators, regions),
            name="regional_shares_within_whole",
            description="Shares of regions that partition their parent add up to at most 100.",
        ),
        pa.Check(
            lambda df: _changes_ok(df, indicators),
            name="stated_change_agrees",
            description="A stated change agrees with the two stated values it links.",
        ),
        *official_checks(sources, regions),
    ]


def mention_checks(texts: dict[str, str], observations: pd.DataFrame) -> list[pa.Check]:
    def text_matches(df: pd.DataFrame) -> pd.Series:
        return pd.Series(
            [
                texts.get(s, "")[a:b] == t
                for s, a, b, t in zip(df["source_id"], df["char_start"], df["char_end"], df["text"], strict=True)
            ],
            index=df.index,
        )

    return [
        pa.Check(text_matches, name="mention_matches_source", description="text == source text[char_start:char_end]."),
        pa.Check(
            lambda df: df["observation_id"].eq("") | df["observation_id"].isin(observations["observation_id"]),
            name="observation_exists",
            description="A mapped number's observation_id exists.",
        ),
    ]


def schemas_for(tables: dict[str, pd.DataFrame], texts: dict[str, str]) -> dict[str, pa.DataFrameSchema]:
    # to_schema() returns an object pandera caches per model: copy it, or the checks added
    # here (closures over this build's texts and tables) would leak into the next validation.
    out = {name: copy.deepcopy(model.to_schema()) for name, model in MODELS.items()}
    obs = out["observations"]
    obs.checks = [*obs.checks, *observation_checks(texts, tables["sources"], tables["regions"], tables["indicators"])]
    men = out["mentions"]
    men.checks = [*men.checks, *mention_checks(texts, tables["observations"])]
    return out


def _row_label(table: str, frame: pd.DataFrame, index) -> str:
    if index is None or pd.isna(index) or index not in frame.index:
        return "table"
    row = frame.loc[index]
    if table == "observations":
        return f"{row['observation_id']} ({row['source_id']}: {row['number_text']!s} → {row['indicator_id']}, {row['region_id']}, {row['year']})"
    if table == "mentions":
        return f"{row['source_id']}@{row['char_start']} {row['text']!s}"
    key = frame.columns[0]
    return f"{row[key]}"


def validate_tables(
    tables: dict[str, pd.DataFrame], texts: dict[str, str]
) -> tuple[dict[str, pd.DataFrame], list[CheckResult]]:
    """Validate every table; return the coerced tables and one result per rule."""
    results: list[CheckResult] = []
    validated: dict[str, pd.DataFrame] = {}
    for name, schema in schemas_for(tables, texts).items():
        frame = tables[name]
        failures = pd.DataFrame()
        try:
            validated[name] = schema.validate(frame, lazy=True)
        except SchemaErrors as exc:
            failures = exc.failure_cases
            validated[name] = frame
        listed: list[tuple[str, str, str | None, str]] = []  # label, description, column, check
        for col_name, column in schema.columns.items():
            listed.append((f"{col_name}:dtype", f"{col_name} is {column.dtype}", col_name, "dtype"))
            if column.unique:
                listed.append((f"{col_name}:field_uniqueness", f"{col_name} is unique", col_name, "field_uniqueness"))
            for check in column.checks:
                listed.append(
                    (f"{col_name}:{check.name}", check.description or f"{col_name} {check.name}", col_name, check.name)
                )
        for check in schema.checks:
            listed.append((check.name, check.description or check.name, None, check.name))
        known = {(c, k) for _, _, c, k in listed}
        if not failures.empty:
            fail_checks = failures["check"].astype(str)
            for col, chk in failures[["column", "check"]].drop_duplicates().itertuples(index=False):
                base = str(chk).split("(")[0]
                if (col, base) not in known and (None, base) not in known:
                    listed.append((f"{col}:{base}", str(chk), col, base))
        for label, description, col, chk in listed:
            first = None
            if failures.empty:
                n, examples = 0, []
            else:
                sel = failures[fail_checks.str.split("(").str[0] == chk]
                if col is not None:
                    sel = sel[sel["column"].astype(str) == col]
                rows = sel["index"].dropna().drop_duplicates()
                n = len(rows) if len(rows) else len(sel)
                examples = [_row_label(name, frame, i) for i in rows.head(3)] or [
                    f"table ({fc})" for fc in sel["failure_case"].head(3)
                ]
                first = rows.iloc[0] if len(rows) else None
            results.append(CheckResult(name, label, description, n, examples, first))
    return validated, results
