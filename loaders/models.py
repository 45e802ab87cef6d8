"""Typed models of the hand-kept files: sources.yaml, regions.yaml, indicators.yaml, rules.yaml.

Each says what a well-formed entry is (types, allowed keys, real dates, safe addresses), so
`loaders.validate` can refuse anything else with the file and line before the build runs.
Cross-file facts (a region_focus that regions.yaml lists, a rule's indicator in the catalogue)
stay with the loaders, which know both files.

List entries refuse unknown keys (a typo like `priorty:` would otherwise be ignored); the
top level of rules.yaml and its `subject:` section accept new sections, so the extractor can
grow without a change here. Every rule may carry `examples:` ({text, expect: {...}}).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

REGION_LEVELS = ("world", "bloc", "country", "macro_region", "province", "city", "county")
SLUG = re.compile(r"[a-z0-9][a-z0-9_]*")
SHA256 = re.compile(r"[0-9a-f]{64}")
DOI = re.compile(r"10\.[0-9]{4,9}/[^\s]+")
URL = re.compile(r"https?://[^\s/?#@]+(?:[/?#][^\s]*)?", re.IGNORECASE)
PUBLISHED = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
YEARS = (1900, 2100)
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,120}\.txt")
LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


class Strict(BaseModel):
    """No coercion (1 is not '1', 'yes' is not True) and no unknown keys."""

    model_config = ConfigDict(strict=True, extra="forbid")


def _slug(value: str) -> str:
    if not SLUG.fullmatch(value):  # fullmatch: a trailing newline is not allowed either
        raise ValueError("must be a lowercase ascii slug (a-z, 0-9, _), starting with a letter or digit")
    return value


def _file_name(value: str) -> str:
    if not FILE_NAME.fullmatch(value):
        raise ValueError("must be a .txt file name in this folder (letters, digits, _ . -), not a path")
    return value


def _language(value: str) -> str:
    if not LANGUAGE.fullmatch(value):
        raise ValueError("must be a language code like zh or en")
    return value


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError("must be one line")
    return value


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"is not a valid regular expression ({exc})") from None
    return value


def _sha256(value: str) -> str:
    if not SHA256.fullmatch(value.lower()):
        raise ValueError("must be 64 hexadecimal digits")
    return value


def _doi(value: str) -> str:
    if value and not DOI.fullmatch(value):
        raise ValueError("must be a DOI like 10.1234/abc (without https://doi.org/)")
    return value


def _url(value: str) -> str:
    """http(s) addresses or DOIs only: a `javascript:` or `file:` address is never stored."""
    if value and not (URL.fullmatch(value) or DOI.fullmatch(value)):
        raise ValueError("must be an http(s) address or a DOI")
    return value


def published_text(value: Any) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real date (an unquoted YAML date or year is fine)."""
    if isinstance(value, bool) or not isinstance(value, int | str | date):
        raise ValueError("must be a date YYYY, YYYY-MM or YYYY-MM-DD")
    text = value.isoformat() if isinstance(value, date) else str(value)
    match = PUBLISHED.fullmatch(text)
    if not match:
        raise ValueError("must be YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else 1 for g in match.groups())
    if not YEARS[0] <= year <= YEARS[1]:
        raise ValueError(f"year must be between {YEARS[0]} and {YEARS[1]}")
    try:
        date(year, month, day)
    except ValueError:
        raise ValueError("is not a real date") from None
    return text


Slug = Annotated[str, AfterValidator(_slug)]
Line = Annotated[str, AfterValidator(_one_line)]
Word = Annotated[str, StringConstraints(min_length=1)]
Pattern = Annotated[str, AfterValidator(_regex)]
Published = Annotated[str, BeforeValidator(published_text)]
Count = Annotated[int, Field(ge=0)]
# A positive number; YAML reads 1.0e12 (no sign in the exponent) as a string, which the
# loaders convert with float(), so a numeric string is accepted here too (but not 'ten').
Positive = Annotated[float, Field(gt=0, strict=False)]


class SourceEntry(Strict):
    """One text of the corpus (sources.yaml)."""

    source_id: Slug
    file: Annotated[str, AfterValidator(_file_name)]
    title_zh: Annotated[Line, StringConstraints(min_length=1)]
    authors: list[Line]
    published: Published
    language: Annotated[str, AfterValidator(_language)]
    region_focus: Slug
    sha256: Annotated[str, AfterValidator(_sha256)]
    received_as: Line = ""
    title_en: Line = ""
    short_title: Line = ""
    venue: Line = ""
    doi: Annotated[Line, AfterValidator(_doi)] = ""
    url: Annotated[Line, AfterValidator(_url)] = ""
    kind: Line = ""  # free text; `official` for statistical releases
    # Official releases (loaders/official.py): the year their figures describe, and what the copy is.
    data_year: int | None = None
    copy_fidelity: Literal["release_text", "news_with_release_text", "news_report", "third_party_table", ""] = ""
    copy_note: Line = ""


class RegionEntry(Strict):
    region_id: Slug
    name_zh: Annotated[Line, StringConstraints(min_length=1)]
    name_en: Annotated[Line, StringConstraints(min_length=1)]
    level: Literal[REGION_LEVELS]
    parent_id: Line = ""
    aliases: list[Word] = []
    splits_parent: bool = False


def _range(value: list[float] | None) -> list[float] | None:
    if value is not None and value[0] > value[1]:
        raise ValueError("must be [min, max] with min <= max")
    return value


class IndicatorEntry(Strict):
    indicator_id: Slug
    name_zh: Annotated[Line, StringConstraints(min_length=1)]
    name_en: Annotated[Line, StringConstraints(min_length=1)]
    unit: Line
    base_unit: Line
    topic: Line
    definition: Line
    definition_zh: Line = ""
    aliases_zh: list[Word] = []
    plausible: Annotated[list[float] | None, Field(min_length=2, max_length=2), AfterValidator(_range)] = None
    reference_regions: list[Slug] = []
    whole_id: Line | None = None
    splits_region: bool = False
    change_of: Slug | None = None
    growth_id: Slug | None = None
    times_id: Slug | None = None
    share_id: Slug | None = None
    gdp_share_id: Slug | None = None
    batch_id: Slug | None = None
    avg_id: Slug | None = None
    cumulative_id: Slug | None = None
    quarter_ids: dict[Literal["q1", "q2", "q3", "q4"], Slug] = {}
    # a stock of certified or registered units (专精特新 firms): held at a date, and a count
    # accumulated to a date (累计培育…家) is its figure too
    stock: bool = False
    # the certification tier the count is of (专精特新中小企业 are certified by provinces): a
    # figure naming another tier (市级单项冠军) is not this indicator's
    tier: Literal["national", "provincial"] | None = None


class Example(Strict):
    """A rule's worked example: the text, and what the rule makes of it."""

    text: Word
    expect: dict[str, Any]


class Rule(Strict):
    examples: list[Example] = []


class UnitRule(Rule):
    unit: Word
    base_unit: Word
    canonical: Word | None = None
    factor: Positive = 1.0


class QualifierRule(Rule):
    words: list[Word]
    qualifier: Slug


class Qualifiers(Strict):
    prefix: list[QualifierRule] = []
    infix: list[QualifierRule] = []
    suffix: list[QualifierRule] = []


class WordFigureRule(Rule):
    words: list[Word]
    value: float
    unit: Word
    qualifier: Slug | None = None


class IndicatorRule(Rule):
    id: Slug
    indicator: Slug
    base_units: Annotated[list[Word], Field(min_length=1)]
    keywords: Annotated[list[Word], Field(min_length=1)]
    side: Literal["left", "right", "any"] = "any"
    scope: Literal["segment", "clause", "sentence"] = "clause"
    require: list[Word] = []
    exclude: list[Word] = []
    exclude_before: list[Word] = []
    not_inside: list[Word] = []
    region_levels: list[Literal[REGION_LEVELS]] = []
    priority: int = 0
    implied_unit: str = ""
    region: Literal["source"] | None = None
    context: bool = False
    period: Slug | None = None
    by_position: list[Slug] | None = None


class Open(BaseModel):
    """A section that may gain keys: what is declared is typed, the rest passes."""

    model_config = ConfigDict(strict=True, extra="allow")


class SubjectSection(Open):
    boundary_chars: str = ""
    max_paren_chars: Count = 0
    drop: Pattern = ""
    name_drop: Pattern = ""
    tail: Pattern = ""
    superlative: Pattern = ""
    head: Pattern = ""
    cut_after: list[Word] = []
    cut_after_patterns: list[Pattern] = []
    inner_verbs: list[Pattern] = []
    tail_comparison: list[Word] = []
    right_counters: list[Word] = []
    right_after_share: str = ""
    right_stop: list[Word] = []
    max_right: Count = 0
    right_passed: Pattern = ""
    count_verbs: list[Word] = []
    own_subject_min_chars: Count = 0
    share_of: list[Word] = []
    gdp_words: list[Word] = []
    owner_of: Pattern = ""
    measure_words: Pattern = ""
    context_sentences: Count = 0
    min_chars: Count = 0
    growth_words: list[Word] = []
    growth_subject_ends: list[Word] = []
    change_subject_ends: list[Word] = []
    change_words: list[Word] = []
    generic_nouns: list[Word] = []
    harmless_prefixes: list[Word] = []
    synonyms: dict[str, str] = {}


Words = list[Word]


class RulesFile(Open):
    """rules.yaml: the four sections every build needs, and the typed rest."""

    scales: dict[Word, Positive]
    units: list[UnitRule]
    qualifiers: Qualifiers
    indicator_rules: list[IndicatorRule]
    counted_as: dict[Word, Words] = {}
    chinese_numeral_counters: Words = []
    word_figures: list[WordFigureRule] = []
    date_patterns: list[Pattern] = []
    address_patterns: list[Pattern] = []
    periods: dict[Slug, list[Pattern]] = {}
    relative_years: dict[Word, int] = {}
    relative_regions: dict[Literal[REGION_LEVELS], Words] = {}
    pair_words: dict[Word, Words] = {}
    last_full_year_months: list[Annotated[int, Field(ge=1, le=12)]] = []
    batch_pattern: Pattern = ""
    cumulative_base_pattern: Pattern = ""
    share_phrase: Pattern = ""
    anaphora_pattern: Pattern = ""
    change_phrase: Pattern = ""
    target_heading_pattern: Pattern = ""
    next_heading_pattern: Pattern = ""
    dateline_pattern: Pattern = ""
    section_heading_pattern: Pattern = ""
    region_field_market: Pattern = ""
    rank_scope_gap: Pattern = ""
    modifier_max_chars: Count = 0
    compound_subject_max_chars: Count = 0
    context_sentences: Count = 0
    year_context_sentences: Count = 0
    headline_max_chars: Count = 0
    region_list_gap_max: Count = 0
    measure_abbreviations: Words = []
    rank_units: Words = []
    rank_lead: Words = []
    average_growth_words: Words = []
    rank_move_words: Words = []
    not_rank_after: Words = []
    rank_from_bottom: Words = []
    since_words: Words = []
    since_ends: Words = []
    since_ends_alone: Words = []
    from_words: Words = []
    to_words: Words = []
    now_words: Words = []
    increase_words: Words = []
    decrease_words: Words = []
    report_relative_years: Words = []
    review_year_cues: Words = []
    keyword_names_another_measure: Words = []
    money_scale_words: Words = []
    ranking_list_words: Words = []
    modifier_words: Words = []
    net_change_words: Words = []
    full_year_words: Words = []
    comparison_words: Words = []
    aspiration_words: Words = []
    region_not_subject_before: Words = []
    region_not_subject_after: Words = []
    region_subject_after: Words = []
    relative_region_not_subject_before: Words = []
    region_field_words: Words = []
    region_field_after: Words = []
    relative_region_lift: Words = []
    respective_words: Words = []
    list_shared_tails: Words = []
    not_year_before: str = ""
    period_start_chars: str = ""
    subject: SubjectSection = SubjectSection()
