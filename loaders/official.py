"""Official statistical releases: their statements and tables read into cited observations.

A release (sources.yaml `kind: official`) is not given to the prose extractor. It states
each figure in a fixed phrasing and lays provincial figures out as a table, so the exact
patterns and table headers in datasets/reference/official.yaml read it; a figure no rule
reads is left out rather than guessed, because every claim is checked against these.
Quotes keep the project's contract: quote == text[char_start:char_end] (a statement's
sentence, or a table's row).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loaders.corpus import Source
from loaders.errors import BuildError
from loaders.extract import observation_id
from loaders.reference import Reference, read_yaml

OFFICIAL_KIND = "official"
NUMBER = r"\d+(?:\.\d+)?"
SENTENCE_END = "。\n"
TABLE_RULE = "official.yaml:table"


@dataclass(frozen=True)
class Statement:
    name: str
    indicator_id: str
    unit: str
    pattern: re.Pattern


@dataclass(frozen=True)
class Spec:
    statements: tuple[Statement, ...]
    units: dict
    region_headers: frozenset
    columns: tuple[dict, ...]
    names: dict  # a province's or the nation's name as a release writes it -> region_id
    crosscheck: dict
    precedence: tuple[str, ...] = ()  # copy_fidelity values, most faithful first


def is_official(source: Source) -> bool:
    return str(source.meta.get("kind", "")).strip() == OFFICIAL_KIND


def _squeeze(cell: str) -> str:
    return re.sub(r"\s+", "", cell)


def region_names(ref: Reference, table_names: dict) -> dict[str, str]:
    """Names the releases give the 31 provinces (and the nation), longest first."""
    splitting = {r["region_id"] for r in ref.regions if r.get("splits_parent")}
    names = {"全国": "china"}
    for r in ref.regions:
        if r["level"] == "province" and r["parent_id"] in splitting:
            for name in [r["name_zh"], *r["aliases"]]:
                names[name] = r["region_id"]
    names.update({str(k): str(v) for k, v in (table_names or {}).items()})
    return dict(sorted(names.items(), key=lambda kv: -len(kv[0])))


def _compile(path: Path, rule: dict, provinces: str, indicator_ids: set[str]) -> Statement:
    name = str(rule.get("name", "?"))
    if rule.get("indicator_id") not in indicator_ids:
        raise BuildError(path, f"statement {name}: indicator {rule.get('indicator_id')!r} is not in indicators.yaml")
    source = str(rule["pattern"]).replace("{num}", NUMBER).replace("{province}", provinces)
    try:
        pattern = re.compile(source)
    except re.error as exc:
        raise BuildError(path, f"statement {name}: pattern does not compile ({exc})") from None
    if not pattern.search(str(rule.get("example", ""))):
        raise BuildError(path, f"statement {name}: pattern does not read its own example")
    return Statement(name, str(rule["indicator_id"]), str(rule["unit"]), pattern)


def load_spec(reference_dir: Path, ref: Reference) -> Spec:
    path = reference_dir / "official.yaml"
    data = read_yaml(path)
    tables = data.get("tables") or {}
    names = region_names(ref, tables.get("table_names") or {})
    provinces = "|".join(re.escape(n) for n in names if n != "全国")
    statements = tuple(_compile(path, r, provinces, ref.indicator_ids) for r in data.get("statements") or [])
    units = {str(k): v for k, v in (data.get("units") or {}).items()}
    for rule in [*statements, *(tables.get("columns") or [])]:
        unit = rule.unit if isinstance(rule, Statement) else str(rule.get("unit"))
        if unit not in units:
            raise BuildError(path, f"unit {unit!r} is used but not listed under units")
    return Spec(
        statements=statements,
        units=units,
        region_headers=frozenset(_squeeze(h) for h in tables.get("region_headers") or []),
        columns=tuple(tables.get("columns") or []),
        names=names,
        crosscheck=dict(data.get("crosscheck") or {}),
        precedence=tuple(str(f) for f in data.get("copy_precedence") or []),
    )


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a span: from after the previous 。 or line break to its own 。."""
    a = max(text.rfind(c, 0, start) for c in SENTENCE_END) + 1
    ends = [i for i in (text.find(c, end) for c in SENTENCE_END) if i != -1]
    b = min(ends) + 1 if ends else len(text)
    while a < start and text[a] in " \t\u3000":
        a += 1
    if b > a and text[b - 1] == "\n":
        b -= 1
    return a, b


def _row(source: Source, spec: Spec, **kw) -> dict:
    """One observation row with the published columns; kw carries what differs."""
    unit = spec.units[kw["unit"]]
    value = float(kw["value"])
    bound = "" if kw.get("qualifier", "exact") == "exact" else f"|{kw['qualifier']}"  # two bounds, two ids
    return {
        "observation_id": observation_id(
            source.source_id,
            kw["number_start"],
            kw["number_end"],
            kw["indicator_id"] + bound,
            kw["region_id"],
            kw["year"],
            kw.get("derived", False),
        ),
        "indicator_id": kw["indicator_id"],
        "region_id": kw["region_id"],
        "year": int(kw["year"]),
        "year_basis": kw.get("year_basis", "headline"),
        "region_basis": kw.get("region_basis", "stated"),
        "value": value,
        "unit": kw["unit"],
        "scale": float(unit["scale"]),
        "base_unit": str(unit["base_unit"]),
        "value_base": value * float(unit["scale"]),
        "qualifier": kw.get("qualifier", "exact"),
        "source_id": source.source_id,
        "quote": source.text[kw["char_start"] : kw["char_end"]],
        "char_start": kw["char_start"],
        "char_end": kw["char_end"],
        "number_text": source.text[kw["number_start"] : kw["number_end"]],
        "number_start": kw["number_start"],
        "number_end": kw["number_end"],
        "derived": kw.get("derived", False),
        "note": kw.get("note", ""),
        "flags": kw.get("flags", ""),
        "rule_id": kw["rule_id"],
        # A release's table or statement is the year's actual figure by construction (data_year).
        "period_kind": "year",
        "period_start": pd.Timestamp(int(kw["year"]), 1, 1),
        "period_end": pd.Timestamp(int(kw["year"]), 12, 31),
        "status": "actual",
        "confidence": 1.0,
        "evidence": f"official:{kw['rule_id']}",
    }


def data_year(source: Source) -> int:
    year = source.meta.get("data_year")
    if not isinstance(year, int):
        raise BuildError(
            source.path, "an official release needs data_year (the year its figures describe) in sources.yaml"
        )
    return year


def read_statements(source: Source, spec: Spec) -> list[dict]:
    """Every statement rule's matches; one figure per indicator, region and value."""
    rows: list[dict] = []
    seen: set[tuple] = set()
    for st in spec.statements:
        for m in st.pattern.finditer(source.text):
            region = spec.names[m.group("region")] if "region" in m.groupdict() else "china"
            key = (st.indicator_id, region, float(m.group("value")))
            if key in seen:
                continue
            seen.add(key)
            a, b = _sentence(source.text, m.start(), m.end())
            rows.append(
                _row(
                    source,
                    spec,
                    indicator_id=st.indicator_id,
                    region_id=region,
                    year=data_year(source),
                    value=m.group("value"),
                    unit=st.unit,
                    char_start=a,
                    char_end=b,
                    number_start=m.start("value"),
                    number_end=m.end("value"),
                    region_basis="stated" if region != "china" else "source_default",
                    rule_id=f"official.yaml:{st.name}",
                )
            )
    return rows


def _cells(line: str, offset: int) -> list[tuple[str, int, int]]:
    """(cell, start, end) of a table line split on | or on tabs / two or more spaces."""
    pattern = r"[^|]+" if "|" in line else r"(?:(?!\t|  )[^\n])+"
    cells = []
    for m in re.finditer(pattern, line):
        raw = m.group(0)
        stripped = raw.strip()
        if stripped:
            start = offset + m.start() + raw.index(stripped)
            cells.append((stripped, start, start + len(stripped)))
    return cells


def _header(cells: list[tuple[str, int, int]], spec: Spec) -> tuple[int, dict[int, dict]] | None:
    """(region column, {column: indicator spec}) when the cells are a table's header row."""
    region_col = next((i for i, (c, _, _) in enumerate(cells) if _squeeze(c) in spec.region_headers), None)
    columns = {}
    for i, (c, _, _) in enumerate(cells):
        for col in spec.columns:
            if _squeeze(c) in {_squeeze(h) for h in col["headers"]}:
                columns[i] = col
    return (region_col, columns) if region_col is not None and columns else None


def read_tables(source: Source, spec: Spec) -> list[dict]:
    """Rows of every table whose header names a region column and known indicator columns."""
    rows: list[dict] = []
    layout = None
    offset = 0
    for line in source.text.split("\n"):
        cells = _cells(line, offset)
        found = _header(cells, spec)
        if found:
            layout = found
        elif layout and cells:
            region_col, columns = layout
            region = spec.names.get(_squeeze(cells[region_col][0])) if region_col < len(cells) else None
            if region is None:
                layout = None  # the table has ended
            else:
                rows.extend(_table_row(source, spec, cells, columns, region, offset, line))
        offset += len(line) + 1
    return rows


def _table_row(source: Source, spec: Spec, cells, columns: dict, region: str, offset: int, line: str) -> list[dict]:
    out = []
    row_end = offset + len(line.rstrip())
    for i, col in columns.items():
        if i >= len(cells) or not re.fullmatch(NUMBER, cells[i][0]):
            continue
        _, start, end = cells[i]
        out.append(
            _row(
                source,
                spec,
                indicator_id=col["indicator_id"],
                region_id=region,
                year=data_year(source),
                value=cells[i][0],
                unit=col["unit"],
                char_start=offset,
                char_end=row_end,
                number_start=start,
                number_end=end,
                rule_id=TABLE_RULE,
                region_basis="stated" if region != "china" else "source_default",
            )
        )
    return out


def _plausibility(rows: list[dict], ref: Reference) -> None:
    """Flag a figure outside its indicator's plausible range, as the prose extractor does."""
    plausible = {i["indicator_id"]: i.get("plausible") for i in ref.indicators}
    for row in rows:
        bounds = plausible.get(row["indicator_id"])
        if bounds and not bounds[0] <= row["value"] <= bounds[1]:
            row["flags"] = f"implausible: outside {bounds[0]}–{bounds[1]} {row['unit']}"


def by_fidelity(sources: list[Source], spec: Spec) -> list[Source]:
    """The releases, the most faithful copies first: where two copies give one figure, the
    cross-check and the charts take the first (the publisher's own text over a third party's)."""
    rank = {f: i for i, f in enumerate(spec.precedence)}
    return sorted(
        (s for s in sources if is_official(s)),
        key=lambda s: rank.get(str(s.meta.get("copy_fidelity", "")), len(rank)),
    )


def _half_unit(number_text: str) -> float:
    m = re.search(r"\d+\.(\d+)", number_text)
    return 0.5 * 10 ** (-len(m.group(1))) if m else 0.5


def _contradicted(rows: list[dict], rank: dict[str, int]) -> None:
    """Flag a less faithful copy whose figure the more faithful one contradicts.

    A third party's copy can misprint (河北 2022: 2.04% in a ranked table, 2.00% in the
    release's own 附表2). The row stays, cited, but flagged off the charts; copies of equal
    fidelity that disagree are left for the schema check to refuse."""
    first: dict[tuple, dict] = {}
    for row in rows:
        if row["derived"] or row["qualifier"] != "exact":
            continue
        key = (row["indicator_id"], row["region_id"], row["year"])
        best = first.setdefault(key, row)
        slack = 2 * max(_half_unit(best["number_text"]), _half_unit(row["number_text"]))
        if rank[row["source_id"]] > rank[best["source_id"]] and abs(row["value"] - best["value"]) > slack:
            note = f"contradicted: the more faithful copy {best['source_id']} gives {best['number_text']}"
            row["flags"] = "; ".join(f for f in (row["flags"], note) if f)


def official_rows(sources: list[Source], ref: Reference, spec: Spec) -> list[dict]:
    rows: list[dict] = []
    releases = by_fidelity(sources, spec)
    for s in releases:
        rows.extend(read_statements(s, spec))
        rows.extend(read_tables(s, spec))
    _plausibility(rows, ref)
    order = {f: i for i, f in enumerate(spec.precedence)}
    _contradicted(rows, {s.source_id: order.get(str(s.meta.get("copy_fidelity", "")), len(order)) for s in releases})
    return rows


def add_official(
    observations: pd.DataFrame, sources: list[Source], ref: Reference, reference_dir: Path
) -> pd.DataFrame:
    """The prose observations plus the releases' figures, macro-region aggregates and a
    cross-check of every non-official claim (the build's one hook into this module)."""
    from loaders.aggregates import macro_region_rows
    from loaders.crosscheck import cross_check

    spec = load_spec(reference_dir, ref)
    official = pd.DataFrame(official_rows(sources, ref, spec), columns=observations.columns)
    derived = pd.DataFrame(macro_region_rows(official, sources, ref, spec), columns=observations.columns)
    frames = [f for f in (observations, official, derived) if not f.empty]
    merged = pd.concat(frames, ignore_index=True).astype(observations.dtypes.to_dict()) if frames else observations
    official_ids = {s.source_id for s in sources if is_official(s)}
    published = {s.source_id: s.publication_year for s in sources}
    return cross_check(merged, official_ids, spec.crosscheck, published)
