"""Text in, figures out: the stage shared by the build and `python -m loaders extract`."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import re
from array import array
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pandas as pd

from loaders.extract_table import TableBuilder, system_memory_pool
from loaders.extractor.budget import Deadline
from loaders.extractor.budget import ExtractionTimeout as ExtractionTimeout  # raised by extract_text(time_budget=)
from loaders.extractor.text import RECENT_FIGURES
from loaders.mapping import Mapped, Mapper, Reason
from loaders.numbers import CompactText, Lexicon
from loaders.reference import Reference, load_reference
from loaders.trust import KIND_COLUMNS, Judging, restate_period
from loaders.trust_state import Withdrawal
from loaders.words import decrease_words

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = ROOT / "datasets" / "reference"

EXTRACT_COLUMNS = [
    "value",
    "unit",
    "scale",
    "base_unit",
    "value_base",
    "qualifier",
    "kind",
    "number_text",
    "number_start",
    "number_end",
    "char_start",
    "char_end",
    "quote",
    "indicator_id",
    "region_id",
    "region_basis",
    "year",
    "year_basis",
    "rule_id",
    "reason",
    "indicator_subject",
    "subject_phrase",
    "measure",
    *KIND_COLUMNS,
]
# Few repeated words: categoricals in extract_text (the same values, a byte a row; extract_table.py)
DICTIONARY_COLUMNS = ("unit", "base_unit", "qualifier", "kind", "indicator_id", "region_id", "region_basis")
DICTIONARY_COLUMNS += ("year_basis", "rule_id", "reason", "measure", "period_kind", "status")


@lru_cache(maxsize=4)
def _engine(folder: str) -> tuple[Reference, Lexicon, Mapper]:
    ref = load_reference(Path(folder))
    lex = Lexicon(ref.rules)
    return ref, lex, Mapper(ref, lex)


def engine(folder: Path = REFERENCE_DIR) -> tuple[Reference, Lexicon, Mapper]:
    """Reference data compiled once per process: reading YAML per text would dominate."""
    return _engine(str(folder))


def map_text(
    text: str,
    *,
    default_region: str | None = None,
    publication_year: int | None = None,
    publication_month: int | None = None,
    folder: Path = REFERENCE_DIR,
) -> tuple[CompactText, list[Mapped]]:
    compact, mapped = iter_map_text(
        text,
        default_region=default_region,
        publication_year=publication_year,
        publication_month=publication_month,
        folder=folder,
    )
    return compact, list(mapped)


def iter_map_text(
    text: str,
    *,
    default_region: str | None = None,
    publication_year: int | None = None,
    publication_month: int | None = None,
    folder: Path = REFERENCE_DIR,
    deadline: Deadline | None = None,
) -> tuple[CompactText, Iterator[Mapped]]:
    """As map_text, with the figures handed on one by one: a long text never holds them all."""
    _, _, mapper = engine(folder)
    compact = CompactText(text)
    mapped = mapper.iter_mapped(
        compact,
        default_region=default_region,
        publication_year=publication_year,
        publication_month=publication_month,
        deadline=deadline,
    )
    return compact, mapped


@contextlib.contextmanager
def _collector_paused():
    """Python's cycle collector walks every live object on each full pass, and a long text
    keeps a hundred thousand mentions alive: time per MB grew with the text (1.3x at 200
    copies of the corpus). The extractor makes no reference cycles, so the collector rests
    while it runs and catches up after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _no_longer_read(mapped: Iterator[Mapped]) -> Iterator[Mapped]:
    """The mapper's figures, each handed on once the mapper reads it no more. The mapper hands
    on figure k when it is complete, but still reads it while it finishes the RECENT_FIGURES
    after it (a figure in brackets takes what the figure before it measures); the trust stage
    changes what it judges (takes indicators back), so it must come after those reads."""
    held: deque[Mapped] = deque()
    for mp in mapped:
        held.append(mp)
        if len(held) > RECENT_FIGURES:
            yield held.popleft()
    yield from held


def quote_span(compact: CompactText, mapped: Mapped) -> tuple[int, int]:
    a, b = mapped.quote_cspan
    if b <= a:
        return mapped.mention.start, mapped.mention.end
    return compact.span(a, b)


def _extract_row(text: str, compact: CompactText, mp: Mapped) -> tuple:
    """One row of extract_text, in the order of EXTRACT_COLUMNS."""
    m = mp.mention
    qs, qe = quote_span(compact, mp) if mp.indicator_id else (m.start, m.end)
    subject = mp.subject
    return (
        m.value,
        m.unit,
        m.scale,
        m.base_unit,
        m.value_base,
        m.qualifier,
        m.kind,
        m.text,
        m.start,
        m.end,
        qs,
        qe,
        text[qs:qe],
        mp.indicator_id,
        mp.region_id,
        mp.region_basis,
        mp.year,
        mp.year_basis,
        mp.rule_id,
        mp.reason,
        subject.text if subject else "",
        subject.phrase if subject else "",
        subject.measure if subject else "",
    )


def extract_text(
    text: str,
    *,
    default_region: str | None = None,
    publication_year: int | None = None,
    publication_month: int | None = None,
    folder: Path = REFERENCE_DIR,
    time_budget: float | None = None,
) -> pd.DataFrame:
    """Every number in any text, with its best indicator (empty if none) and, for every
    figure and rank, the region and year the text puts it in (empty for years, dates, ...).
    The figures flow through mapping, judging and into the table one by one: memory holds
    the rows of one chunk as Python objects, not every figure of a long text.
    With time_budget (seconds), ExtractionTimeout is raised once it is spent: a page
    that answers a reader gives up with a clear message instead of holding the server."""
    table = TableBuilder(EXTRACT_COLUMNS, dictionary=DICTIONARY_COLUMNS)
    with system_memory_pool():
        withdrawals = _fill_table(table, text, default_region, publication_year, publication_month, folder, time_budget)
        frame = table.frame(text, withdrawals)
    frame["year"] = frame["year"].astype("Int64")
    return frame


def extract_chunks(
    text: str,
    *,
    default_region: str | None = None,
    publication_year: int | None = None,
    publication_month: int | None = None,
    folder: Path = REFERENCE_DIR,
) -> Iterator[pd.DataFrame]:
    """The rows of extract_text in consecutive chunks (loaders/extract_table.py CHUNK_ROWS),
    kept on disk until the whole text is read (the trust stage may take back a row at its
    end) and handed on one at a time: memory holds one chunk whatever the text's length.
    Concatenated, the chunks are extract_text's table."""
    table = TableBuilder(EXTRACT_COLUMNS, spill=True)
    try:
        withdrawals = _fill_table(table, text, default_region, publication_year, publication_month, folder, None)
        for chunk in table.patched_chunks(text, withdrawals):
            chunk["year"] = chunk["year"].astype("Int64")
            yield chunk
    finally:
        table.chunks.close()


def _fill_table(
    table: TableBuilder,
    text: str,
    default_region: str | None,
    publication_year: int | None,
    publication_month: int | None,
    folder: Path,
    time_budget: float | None,
) -> list[Withdrawal]:
    """Each figure mapped, judged and added to the table as it comes; what the trust stage
    can only decide later in the text (several places, conflicting values) is returned to
    patch rows after."""
    deadline = Deadline(time_budget)
    with _collector_paused():
        compact, mapped = iter_map_text(
            text,
            default_region=default_region,
            publication_year=publication_year,
            publication_month=publication_month,
            folder=folder,
            deadline=deadline,
        )
        judging = Judging(compact, publication_year=publication_year, indicators=engine(folder)[0].indicators)
        for mp in _no_longer_read(mapped):
            verdict = judging.judge(mp)
            table.add((*_extract_row(text, compact, mp), *verdict.columns().values()))
        return judging.finish()


def observation_id(
    source_id: str, start: int, end: int, indicator_id: str, region_id: str, year: int | None, derived: bool
) -> str:
    """Stable across rebuilds: the same claim in the same bytes gets the same id."""
    key = f"{source_id}|{start}|{end}|{indicator_id}|{region_id}|{year}|{int(derived)}"
    return "obs_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _decimals(x: float) -> int:
    exp = Decimal(repr(x)).normalize().as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def _base_unit(stated: str, indicator_base: str, counted_as: dict[str, tuple[str, ...]]) -> str:
    """The base unit an observation is published in: the stated one, or the indicator's when
    none is stated or the stated counter counts the same things (户 of businesses)."""
    if stated == "none" or indicator_base in counted_as.get(stated, ()):
        return indicator_base
    return stated


def _flags(value: float | None, indicator: dict) -> list[str]:
    # A bound or an approximation is already in `qualifier`; flags say what it cannot.
    flags = []
    plausible = indicator.get("plausible")
    if plausible is not None and value is not None and not plausible[0] <= value <= plausible[1]:
        flags.append(f"implausible: outside {plausible[0]}–{plausible[1]} {indicator['unit']}")
    return flags


def observations_from_text(
    text: str,
    source_id: str,
    *,
    default_region: str | None,
    publication_year: int | None,
    publication_month: int | None = None,
    folder: Path = REFERENCE_DIR,
) -> tuple[list[dict], list[dict]]:
    """(observations, mentions) rows for one source text."""
    with _collector_paused():
        return _observation_rows(text, source_id, default_region, publication_year, publication_month, folder)


def _observation_rows(
    text: str,
    source_id: str,
    default_region: str | None,
    publication_year: int | None,
    publication_month: int | None,
    folder: Path,
) -> tuple[list[dict], list[dict]]:
    ref, _, _ = engine(folder)
    indicators = {i["indicator_id"]: i for i in ref.indicators}
    counted_as = {str(k): tuple(v) for k, v in (ref.rules.get("counted_as") or {}).items()}
    compact, mapped = iter_map_text(
        text,
        default_region=default_region,
        publication_year=publication_year,
        publication_month=publication_month,
        folder=folder,
    )
    judging = Judging(compact, publication_year=publication_year, indicators=ref.indicators)
    observations: list[dict] = []
    mentions: list[dict] = []
    observation_of = array("q")  # per mention row, the index of its observation (-1: none)
    for mp in _no_longer_read(mapped):
        verdict = judging.judge(mp)
        oid = ""
        if mp.indicator_id and mp.year is None:
            mp.reason = Reason.NO_YEAR.value
        elif mp.indicator_id:
            row = _observation_row(text, compact, mp, source_id, indicators[mp.indicator_id], counted_as)
            observations.append(row | verdict.columns())
            oid = row["observation_id"]
        observation_of.append(len(observations) - 1 if oid else -1)
        mentions.append(_mention_row(mp, verdict, source_id, oid))
    observations = _withdraw_late(observations, mentions, observation_of, judging.finish())
    observations.extend(map(restate_period, _derive_prior_years(observations, text, indicators)))
    return observations, mentions


def _withdraw_late(
    observations: list[dict], mentions: list[dict], observation_of: array, withdrawals: list[Withdrawal]
) -> list[dict]:
    """Figures the trust stage took back after their rows were built (several places named
    later in the text; values that conflict): no observation, and the mention says why."""
    dropped = set()
    for w in withdrawals:
        mention = mentions[w.row]
        if observation_of[w.row] >= 0:
            dropped.add(observation_of[w.row])
        mention["observation_id"], mention["reason"], mention["confidence"] = "", w.reason, 0.0
        mention["evidence"] = w.evidence(mention["evidence"])
    return [o for i, o in enumerate(observations) if i not in dropped] if dropped else observations


def _observation_row(
    text: str, compact: CompactText, mp: Mapped, source_id: str, indicator: dict, counted_as: dict
) -> dict:
    """One published figure: what the mapper decided, the number as stated, and its quote."""
    m = mp.mention
    qs, qe = quote_span(compact, mp)
    return {
        "observation_id": observation_id(source_id, m.start, m.end, mp.indicator_id, mp.region_id, mp.year, False),
        "indicator_id": mp.indicator_id,
        "region_id": mp.region_id,
        "year": mp.year,
        "year_basis": mp.year_basis,
        "region_basis": mp.region_basis,
        "value": m.value,
        "unit": m.unit,
        "scale": m.scale,
        "base_unit": _base_unit(m.base_unit, indicator["base_unit"], counted_as),
        "value_base": m.value_base,
        "qualifier": m.qualifier,
        "source_id": source_id,
        "quote": text[qs:qe],
        "char_start": qs,
        "char_end": qe,
        "number_text": m.text,
        "number_start": m.start,
        "number_end": m.end,
        "derived": False,
        "note": "; ".join(mp.notes),
        "flags": "; ".join(_flags(m.value, indicator)),
        "rule_id": mp.rule_id,
    }


def _mention_row(mp: Mapped, verdict, source_id: str, oid: str) -> dict:
    """Every number found, mapped or not: the reason when not is how coverage is seen."""
    m = mp.mention
    return {
        "source_id": source_id,
        "char_start": m.start,
        "char_end": m.end,
        "text": m.text,
        "value": m.value,
        "unit": m.unit,
        "qualifier": m.qualifier,
        "kind": m.kind,
        "observation_id": oid,
        "reason": "" if oid else mp.reason,
        "indicator_subject": mp.subject.text if mp.subject else "",
        "measure": mp.subject.measure if mp.subject else "",
        "period_kind": verdict.kind.period_kind,
        "status": verdict.kind.status,
        "confidence": verdict.confidence,
        "evidence": verdict.evidence,
    }


_PREVIOUS_YEAR = re.compile(r"(?:比|较|相比|对比)(?:上年|去年|上一年)|同比")
_STATED_YEAR = re.compile(r"(?:比|较|相比|对比)([12][0-9]{3})年")


def _compared_year(between: str, year: int) -> int | None:
    """The year a stated change is measured from: 比上年 / 同比 the year before, 比2020年 that
    year; None when the base is a plan period or anything else (较“十三五”末)."""
    stated = _STATED_YEAR.search(between)
    if stated:
        return int(stated.group(1)) if int(stated.group(1)) < year else None
    return year - 1 if _PREVIOUS_YEAR.search(between) else None


_SENTENCE_STOP = re.compile("[。！？；;]")


def _last_ending_by(ends: list[int], pos: int) -> int:
    """The index of the last of the rows (in text order) whose number ends by pos, else -1."""
    for k in range(min(bisect_right(ends, pos), len(ends)) - 1, -1, -1):
        if ends[k] <= pos:
            return k
    return -1


def _prior_year_row(base: dict, obs: dict, year: int, between: str, base_id: str) -> dict:
    """The base figure's value in `year`, from the stated value and the stated change (2.54% and
    比上年提高0.11个百分点 give 2.43%), quoted at the change, marked derived with its method."""
    decrease = any(w in between for w in decrease_words())
    sign = 1 if decrease else -1
    places = max(_decimals(base["value"]), _decimals(obs["value"]))
    value = round(base["value"] + sign * obs["value"], places)
    op = "+" if decrease else "−"
    which = "the previous year's value" if year == obs["year"] - 1 else f"the value of {year}"
    note = (
        f"derived: {base['value']:g} {op} {obs['value']:g} = {value:g}, {which} "
        f"from the stated value and the stated change ({obs['number_text']})"
    )
    return {
        **base,
        "quote": obs["quote"],
        "char_start": obs["char_start"],
        "char_end": obs["char_end"],
        "observation_id": observation_id(
            base["source_id"], obs["number_start"], obs["number_end"], base_id, base["region_id"], year, True
        ),
        "year": year,
        "year_basis": "computed",
        "value": value,
        "value_base": value * base["scale"],
        "qualifier": base["qualifier"],
        "number_text": obs["number_text"],
        "number_start": obs["number_start"],
        "number_end": obs["number_end"],
        "derived": True,
        "note": note,
        "flags": "derived",
        "rule_id": obs["rule_id"],
    }


def _derive_prior_years(observations: list[dict], text: str, indicators: dict) -> list[dict]:
    """2.54%，比上年提高0.11个百分点 states 2021's 2.43% too: publish it, marked derived."""
    derived = []
    # Observations by (indicator, region, year), in text order, with where their numbers end:
    # each change finds its base by bisection instead of a scan over every observation.
    by_key: dict[tuple, tuple[list[int], list[dict]]] = {}
    for o in observations:
        ends, rows = by_key.setdefault((o["indicator_id"], o["region_id"], o["year"]), ([], []))
        ends.append(o["number_end"])
        rows.append(o)
    stops = [mt.start() for mt in _SENTENCE_STOP.finditer(text)] if observations else []
    for obs in observations:
        base_id = indicators[obs["indicator_id"]].get("change_of")
        if not base_id or (base_id, obs["region_id"], obs["year"]) not in by_key:
            continue
        # The value the change is relative to: the nearest earlier figure of the base
        # indicator for the same region and year, in the same sentence.
        ends, rows = by_key[(base_id, obs["region_id"], obs["year"])]
        k = _last_ending_by(ends, obs["number_start"])
        if k < 0:
            continue
        base = rows[k]
        if bisect_right(stops, obs["number_start"] - 1) > bisect_left(stops, base["number_end"]):
            continue  # a sentence ends between them
        between = text[base["number_end"] : obs["number_start"]]
        year = _compared_year(between, obs["year"])
        if year is None:
            continue  # 较“十三五”末提高2.9个百分点: the base year is not stated as a year
        derived.append(_prior_year_row(base, obs, year, between, base_id))
    return derived
