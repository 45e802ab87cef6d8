"""Review before charting: a person's decision on each machine-read figure, kept in a
diffable file per source (datasets/reviews/<source_id>.yaml) and applied on every build.

A decision names its figure by the quote and the number's own text (the key) with their
offsets as a hint, so it survives re-extraction: the extractor may cut the quote again or
re-map the figure, and the decision still finds it. A decision that no longer finds its
figure is reported (build_report.json and a warning line naming file:line), never dropped.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from loaders.errors import BuildError

REVIEW_STATES = ("machine", "confirmed", "corrected", "rejected")
STATE_OF_ACTION = {"confirm": "confirmed", "correct": "corrected", "reject": "rejected"}
CORRECTABLE = ("indicator_id", "region_id", "year", "period_kind", "status")
PERIOD_KINDS = ("year", "quarter", "half", "months_to_date", "multi_year_average", "cumulative", "as_of", "unknown")
STATUSES = ("actual", "target", "forecast", "hypothetical", "threshold", "difference")
# What a corrected field's basis column says once a person set it.
BASIS_OF = {"year": "year_basis", "region_id": "region_basis"}
REVIEWED_BASIS = "reviewed"
# Before a build publishes period_kind and status, every figure is taken for an actual of its
# year (or as of it); a correction saying just that needs no column, any other one is reported.
IMPLIED_WITHOUT_COLUMN = {"status": ("actual",), "period_kind": ("year", "as_of")}
# The machine's reading recorded with each decision, so a diff shows what was judged.
MACHINE_FIELDS = ("indicator_id", "region_id", "year", "year_basis", "value", "unit")
REVIEW_COLUMNS = {"review_state": "machine", "reviewer": "", "reviewed_on": "", "review_note": "", "machine_read": ""}


class Correction(BaseModel):
    """The fields a reviewer may set; the rest of the figure (value, quote, offsets) is the text's."""

    model_config = ConfigDict(extra="forbid")
    indicator_id: str | None = Field(default=None, min_length=1)
    region_id: str | None = Field(default=None, min_length=1)
    year: int | None = Field(default=None, ge=1900, le=2100)
    period_kind: Literal[PERIOD_KINDS] | None = None  # type: ignore[valid-type]
    status: Literal[STATUSES] | None = None  # type: ignore[valid-type]

    def fields(self) -> dict:
        return {k: v for k, v in self.model_dump().items() if v is not None}


class Decision(BaseModel):
    """One reviewer's decision on one figure. Small on purpose: it may later be checked by the
    project's shared YAML validation helper instead of this model."""

    model_config = ConfigDict(extra="forbid")
    quote: str = Field(min_length=1)
    number_text: str = Field(min_length=1)
    char_start: int = Field(ge=0)
    number_start: int = Field(ge=0)
    derived: bool = False
    # Which of several derived figures read off one number (a macro-region's sum and share, its
    # lower and upper bound): "indicator_id|region_id|qualifier"; empty for a stated figure.
    figure: str = ""
    machine: dict[str, str | int | float] = Field(default_factory=dict)
    action: Literal["confirm", "correct", "reject"]
    corrected: Correction | None = None
    why: str = ""
    reviewer: str = Field(min_length=1, max_length=80, pattern=r"^\S(.*\S)?$")
    reviewed_on: date

    @model_validator(mode="after")
    def _action_has_what_it_needs(self) -> Decision:
        if self.action == "correct" and not (self.corrected and self.corrected.fields()):
            raise ValueError("a correction names at least one corrected field (" + ", ".join(CORRECTABLE) + ")")
        if self.action != "correct" and self.corrected is not None:
            raise ValueError(f"'corrected' belongs to action correct, not {self.action}")
        if self.action == "reject" and not self.why.strip():
            raise ValueError("a rejection says why")
        return self

    def key(self) -> tuple:
        return (self.quote, self.number_text, self.number_start, self.derived, self.figure)


@dataclass
class DecisionFile:
    path: Path
    source_id: str
    decisions: list[tuple[int, Decision]] = field(default_factory=list)  # (line, decision)


def reviews_dir_for(sources_dir: Path) -> Path:
    """datasets/sources → datasets/reviews: decisions live beside the corpus they judge."""
    return Path(sources_dir).parent / "reviews"


# --- reading -------------------------------------------------------------------------


class _LineLoader(yaml.SafeLoader):
    """Safe loader that remembers the line of each mapping and of each of its keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = {k.value: k.start_mark.line + 1 for k, _ in node.value if hasattr(k, "value")}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip_lines(item: dict) -> dict:
    return {k: (_strip_lines(v) if isinstance(v, dict) else v) for k, v in item.items() if not k.startswith("__")}


def _decision(path: Path, item: object, n: int) -> tuple[int, Decision]:
    if not isinstance(item, dict):
        raise BuildError(path, f"decision {n} is not a mapping of fields")
    line = item["__line__"]
    try:
        return line, Decision.model_validate(_strip_lines(item))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [str(p) for p in err["loc"]]
        where = item["__lines__"].get(loc[0], line) if loc else line
        name = ".".join(loc) or "decision"
        raise BuildError(path, f"decision {n}: {name}: {err['msg']}", line=where) from None


def load_decisions(path: Path) -> DecisionFile:
    """Read and check one decision file; bad input is one BuildError naming file:line."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise BuildError(path, f"not valid YAML: {exc.problem}", line=mark.line + 1 if mark else None) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError(path, f"cannot read: {exc}") from None
    if data is None:
        return DecisionFile(path, path.stem)
    if not isinstance(data, dict) or set(data) - {"source_id", "decisions", "__line__", "__lines__"}:
        raise BuildError(path, "expected the keys source_id and decisions", line=1)
    if data.get("source_id") != path.stem:
        line = data["__lines__"].get("source_id", 1)
        raise BuildError(path, f"source_id {data.get('source_id')!r} must be the file's name {path.stem!r}", line=line)
    items = data.get("decisions") or []
    if not isinstance(items, list):
        raise BuildError(path, "decisions must be a list", line=data["__lines__"].get("decisions"))
    parsed = [_decision(path, item, n) for n, item in enumerate(items, start=1)]
    seen: dict[tuple, int] = {}
    for line, d in parsed:
        if d.key() in seen:
            raise BuildError(path, f"a second decision on {d.number_text!r} (first at line {seen[d.key()]})", line=line)
        seen[d.key()] = line
    return DecisionFile(path, path.stem, parsed)


def load_all(reviews_dir: Path) -> dict[str, DecisionFile]:
    if not reviews_dir.is_dir():
        return {}
    return {p.stem: load_decisions(p) for p in sorted(reviews_dir.glob("*.yaml"))}


# --- matching and applying -----------------------------------------------------------


MAX_NUMBER_SHIFT = 24  # how far a re-cut number's start may move and still be the same figure


def derived_figure(derived: bool, indicator_id: str, region_id: str, qualifier: str) -> str:
    """Tells apart the derived figures read off one number (East's and West's sums and shares,
    each a lower and an upper bound, all quoting the table at Guangdong's row):
    "rd_spending|east|at_least"."""
    return f"{indicator_id}|{region_id}|{qualifier}" if derived else ""


class _SourceIndex:
    """One source's observations, indexed once so matching all its decisions stays linear."""

    def __init__(self, rows: pd.DataFrame, text: str) -> None:
        self.text = text
        self.by_key: dict[tuple, list] = {}
        self.by_start: dict[tuple, list] = {}
        cols = [
            "quote",
            "number_text",
            "derived",
            "number_start",
            "number_end",
            "indicator_id",
            "region_id",
            "qualifier",
        ]
        for idx, quote, number, derived, a, b, indicator, region, qualifier in rows.reindex(columns=cols).itertuples(
            name=None
        ):
            figure = derived_figure(bool(derived), indicator, region, qualifier)
            self.by_key.setdefault((quote, number, bool(derived), figure), []).append((int(a), idx))
            if figure:  # a decision written before `figure` existed still finds its row
                self.by_key.setdefault((quote, number, True, ""), []).append((int(a), idx))
            self.by_start.setdefault((int(a), bool(derived)), []).append((int(b), idx))

    def quote_at(self, d: Decision) -> int | None:
        """Where the decision's quote stands in the text: at its hint, else nearest to it."""
        if self.text[d.char_start : d.char_start + len(d.quote)] == d.quote:
            return d.char_start
        best, i = None, self.text.find(d.quote)
        while i >= 0:
            best = i if best is None or abs(i - d.char_start) < abs(best - d.char_start) else best
            i = self.text.find(d.quote, i + 1)
        return best

    def find(self, d: Decision, taken: set) -> tuple[object | None, str]:
        """The observation a decision is about: same quote and number (nearest to the hinted
        offset); else, where the quote still stands in the text, the figure whose number
        overlaps the decision's number there (the extractor cut the quote or number anew)."""
        key = (d.quote, d.number_text, d.derived, d.figure)
        same = [(abs(a - d.number_start), idx) for a, idx in self.by_key.get(key, [])]
        same = [pair for pair in same if pair[1] not in taken]
        if same:
            return min(same, key=lambda pair: pair[0])[1], ""
        at = self.quote_at(d)
        if at is None:
            return None, "its quote is no longer in the text"
        inner = d.number_start - d.char_start
        if not (inner >= 0 and d.quote[inner : inner + len(d.number_text)] == d.number_text):
            inner = d.quote.find(d.number_text)
        lo, hi = at + inner, at + inner + len(d.number_text)
        for a in range(lo - MAX_NUMBER_SHIFT, hi):
            for b, idx in self.by_start.get((a, d.derived), []):
                if b > lo and idx not in taken:
                    return idx, ""
        return None, "no figure is extracted at this number any more"


@dataclass
class Catalogue:
    """What a correction may name: indicators (with their base unit) and regions."""

    base_units: dict[str, str]
    region_ids: set[str]

    @classmethod
    def from_reference(cls, ref) -> Catalogue:
        return cls({i["indicator_id"]: i["base_unit"] for i in ref.indicators}, set(ref.region_ids))


def check_correction(d: Decision, row: pd.Series, catalogue: Catalogue | None, path: Path, line: int | None) -> None:
    """A correction names catalogue ids, in the figure's own base unit (no yuan under a dollar indicator)."""
    fields = d.corrected.fields()
    if catalogue is None:
        return
    ind = fields.get("indicator_id")
    if ind is not None and ind not in catalogue.base_units:
        raise BuildError(path, f"corrected indicator_id {ind!r} is not in the catalogue", line=line)
    if ind is not None and catalogue.base_units[ind] != row["base_unit"]:
        unit = catalogue.base_units[ind]
        raise BuildError(path, f"{ind!r} is measured in {unit}, the figure in {row['base_unit']}", line=line)
    if fields.get("region_id") is not None and fields["region_id"] not in catalogue.region_ids:
        raise BuildError(path, f"corrected region_id {fields['region_id']!r} is not in regions.yaml", line=line)


def _apply_one(obs: pd.DataFrame, idx, d: Decision) -> list[str]:
    """Write one decision into its row; returns the corrected fields this build cannot hold."""
    obs.at[idx, "review_state"] = STATE_OF_ACTION[d.action]
    obs.at[idx, "reviewer"] = d.reviewer
    obs.at[idx, "reviewed_on"] = d.reviewed_on.isoformat()
    obs.at[idx, "review_note"] = d.why.strip()
    if d.action != "correct":
        return []
    fields, machine, missing = d.corrected.fields(), [], []
    for name, value in fields.items():
        if name not in obs.columns:
            if value not in IMPLIED_WITHOUT_COLUMN.get(name, ()):
                missing.append(f"{name}={value}")
            continue
        machine.append(f"{name}={obs.at[idx, name]}")
        obs.at[idx, name] = value
        basis = BASIS_OF.get(name)
        if basis in obs.columns and obs.at[idx, basis] != REVIEWED_BASIS:
            machine.append(f"{basis}={obs.at[idx, basis]}")
            obs.at[idx, basis] = REVIEWED_BASIS
    if "year" in fields and {"period_start", "period_end"} <= set(obs.columns):
        whole_year = obs.at[idx, "period_kind"] == "year" if "period_kind" in obs.columns else True
        y = fields["year"]
        obs.at[idx, "period_start"] = pd.Timestamp(y, 1, 1) if whole_year else pd.NaT
        obs.at[idx, "period_end"] = pd.Timestamp(y, 12, 31) if whole_year else pd.NaT
    obs.at[idx, "machine_read"] = "; ".join(machine)
    return missing


def with_review_columns(obs: pd.DataFrame) -> pd.DataFrame:
    """Every figure starts as machine-read (pending) until a decision says otherwise."""
    for col, default in REVIEW_COLUMNS.items():
        if col not in obs.columns:
            obs[col] = default
        obs[col] = obs[col].astype("object").fillna(default).astype(str)
    return obs


def _unmatched(df: DecisionFile, line: int, d: Decision, reason: str) -> dict:
    return {
        "file": str(df.path),
        "line": line,
        "source_id": df.source_id,
        "action": d.action,
        "number_text": d.number_text,
        "quote": d.quote,
        "reason": reason,
    }


def apply_reviews(
    obs: pd.DataFrame,
    texts: dict[str, str],
    files: dict[str, DecisionFile],
    catalogue: Catalogue | None = None,
    warn: Callable[[str], None] | None = None,
) -> tuple[pd.DataFrame, dict]:
    """Apply every decision to its figure; returns the observations and the review report."""
    warn = warn or _stderr
    obs = with_review_columns(obs.copy())
    unmatched, not_applied = [], []
    for source_id, df in files.items():
        if source_id not in texts:
            unmatched += [_unmatched(df, ln, d, "no such source in the corpus") for ln, d in df.decisions]
            continue
        index, taken = _SourceIndex(obs[obs["source_id"] == source_id], texts[source_id]), set()
        for line, d in df.decisions:
            idx, reason = index.find(d, taken)
            if idx is None:
                unmatched.append(_unmatched(df, line, d, reason))
                continue
            taken.add(idx)
            if d.action == "correct":
                check_correction(d, obs.loc[idx], catalogue, df.path, line)
            for item in _apply_one(obs, idx, d):
                not_applied.append({"file": str(df.path), "line": line, "field": item})
    for u in unmatched:
        warn(f"warning: {u['file']}:{u['line']}: {u['action']} of {u['number_text']!r} not applied: {u['reason']}")
    for n in not_applied:
        warn(f"warning: {n['file']}:{n['line']}: corrected {n['field']} not applied: this build has no such column")
    return obs, review_report(obs, unmatched, not_applied)


def review_report(obs: pd.DataFrame, unmatched: list[dict], not_applied: list[dict]) -> dict:
    counts = obs["review_state"].value_counts()
    pending = obs[obs["review_state"] == "machine"]["source_id"].value_counts()
    return {
        "counts": {state: int(counts.get(state, 0)) for state in REVIEW_STATES},
        "pending_by_source": {str(k): int(v) for k, v in pending.sort_index().items()},
        "unmatched": unmatched,
        "not_applied": not_applied,
    }


def review_summary(report: dict) -> str:
    c = report["counts"]
    text = f"review: {c['confirmed']} confirmed, {c['corrected']} corrected, {c['rejected']} rejected, "
    text += f"{c['machine']} pending (machine-read)"
    if report["unmatched"]:
        text += f"; {len(report['unmatched'])} decision(s) no longer match their text (see warnings)"
    return text


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- writing -------------------------------------------------------------------------


def _s(value: object) -> str:
    """A YAML scalar written as a JSON string: one line, every character exact, diffable."""
    return json.dumps(value, ensure_ascii=False)


def render(source_id: str, decisions: list[Decision]) -> str:
    lines = [
        f"# Review decisions for {source_id}: written by `python -m loaders review {source_id}` or the review page,",
        "# applied on every build. The key is quote + number_text (+ derived and, for a derived figure,"
        " which one: indicator|region|bound); offsets are a hint.",
        f"source_id: {source_id}",
        "decisions:",
    ]
    for d in sorted(decisions, key=lambda d: (d.number_start, d.derived, d.figure, d.quote)):
        lines += [
            f"- quote: {_s(d.quote)}",
            f"  number_text: {_s(d.number_text)}",
            f"  char_start: {d.char_start}",
            f"  number_start: {d.number_start}",
            f"  derived: {'true' if d.derived else 'false'}",
            *([f"  figure: {_s(d.figure)}"] if d.figure else []),
            f"  machine: {_s(d.machine)}",
            f"  action: {d.action}",
        ]
        if d.corrected is not None:
            lines.append(f"  corrected: {_s(d.corrected.fields())}")
        if d.why:
            lines.append(f"  why: {_s(d.why)}")
        lines += [f"  reviewer: {_s(d.reviewer)}", f"  reviewed_on: {d.reviewed_on.isoformat()}"]
    return "\n".join(lines) + "\n"


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One writer at a time per decision file (CLI and review page may run together)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / f".{path.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def record(reviews_dir: Path, source_id: str, new: list[Decision]) -> Path:
    """Add decisions to a source's file, replacing earlier ones on the same figure; atomic."""
    path = Path(reviews_dir) / f"{source_id}.yaml"
    with _locked(path):
        old = load_decisions(path).decisions if path.exists() else []
        keys = {d.key() for d in new}
        kept = [d for _, d in old if d.key() not in keys]
        text = render(source_id, kept + new)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    return path


def machine_reading(row: pd.Series | dict) -> dict:
    """What the extractor read for a figure, also on a row a decision has already corrected
    (its machine_read keeps the values the correction replaced)."""
    machine = {k: row[k] for k in MACHINE_FIELDS if k in row}
    for pair in str(row.get("machine_read") or "").split("; "):
        name, sep, value = pair.partition("=")
        if sep and name in machine:
            machine[name] = value
    out = {}
    for k, v in machine.items():
        out[k] = int(v) if k == "year" else float(v) if k == "value" else str(v)
    return out


def decision_for(row: pd.Series | dict, action: str, reviewer: str, **extra) -> Decision:
    """A decision on one observation row, keyed by its quote and number; checked like a file entry."""
    return Decision(
        quote=str(row["quote"]),
        number_text=str(row["number_text"]),
        char_start=int(row["char_start"]),
        number_start=int(row["number_start"]),
        derived=bool(row["derived"]),
        figure=derived_figure(
            bool(row["derived"]), row.get("indicator_id"), row.get("region_id"), row.get("qualifier")
        ),
        machine=machine_reading(row),
        action=action,
        reviewer=reviewer,
        reviewed_on=extra.pop("reviewed_on", None) or date.today(),
        **extra,
    )


def apply_corpus_reviews(obs: pd.DataFrame, sources: list, ref, sources_dir: Path) -> tuple[pd.DataFrame, dict]:
    """The build's hook: every decision file beside the corpus, applied after extraction and
    before validation (a correction must pass the same schema checks as a machine reading)."""
    files = load_all(reviews_dir_for(sources_dir))
    texts = {s.source_id: s.text for s in sources}
    return apply_reviews(obs, texts, files, Catalogue.from_reference(ref))
