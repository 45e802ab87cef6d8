"""Integrity of the labelled evaluation set (tests/eval/texts.yaml, labels.yaml, texts/).

These tests check the labels against the texts, not the extractor: the extractor is
scored by benchmarks/eval_extraction.py.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml

from benchmarks.eval_set import BLIND
from benchmarks.eval_set import SPLITS as SCORER_SPLITS

EVAL_DIR = Path(__file__).resolve().parent
TEXTS_DIR = EVAL_DIR / "texts"
# The splits are the scorer's (dev, holdout_v1, holdout, holdout_v3 …): one list to extend.
SPLITS = set(SCORER_SPLITS)
# Splits labelled before labels named their subject (the subjects were added later, not
# always as the text writes them); every later split is checked for the text's own words.
LABELLED_BEFORE_SUBJECTS = {"dev", "holdout_v1", "holdout", "holdout_v3"}
MEASURES = {"level", "growth", "change", "share", "rank", "multiple"}
QUALIFIERS = {"exact", "approx", "more_than", "at_least", "less_than", "at_most", "nearly"}
LABEL_KEYS = {
    "text_id",
    "quote",
    "number_text",
    "value",
    "unit",
    "scale",
    "qualifier",
    "region",
    "year",
    "indicator",
    "indicator_id",
}
OPTIONAL_LABEL_KEYS = {
    "occurrence",
    "number_occurrence",
    "direction",
    "note",
    "indicator_subject",
    "measure",
    "period_kind",
    "status",
    "relabel",
    "year_stated",
}
PERIOD_KINDS = {"year", "quarter", "half", "months_to_date", "multi_year_average", "cumulative", "as_of", "unknown"}
STATUSES = {"actual", "target", "forecast", "hypothetical", "threshold", "difference"}
NOT_FIGURE_KEYS = {"text_id", "quote", "number_text", "why"}
# scale implied by the scale characters a unit starts with
UNIT_SCALES = [("万亿", 1e12), ("亿", 1e8), ("万", 1e4), ("成", 10.0)]
ARABIC = re.compile(r"-?\d+(?:\.\d+)?")


def unit_scale(unit: str) -> float:
    for prefix, scale in UNIT_SCALES:
        if unit.startswith(prefix):
            return scale
    return 1.0


def is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


def find_nth(haystack: str, needle: str, n: int) -> int:
    pos = -1
    for _ in range(n):
        pos = haystack.find(needle, pos + 1)
        if pos < 0:
            return -1
    return pos


@pytest.fixture(scope="module")
def texts() -> list[dict]:
    return yaml.safe_load((EVAL_DIR / "texts.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def contents(texts) -> dict[str, str]:
    return {t["id"]: (TEXTS_DIR / t["file"]).read_text(encoding="utf-8") for t in texts}


@pytest.fixture(scope="module")
def labelled() -> dict:
    return yaml.safe_load((EVAL_DIR / "labels.yaml").read_text(encoding="utf-8"))


def test_bibliography_entries(texts):
    assert texts, "texts.yaml is empty"
    ids = [t["id"] for t in texts]
    assert len(ids) == len(set(ids)), "duplicate text ids"
    for t in texts:
        assert t.get("split") in SPLITS, f"{t['id']}: split {t.get('split')!r}"
        assert t.get("url") or t.get("publisher"), f"{t['id']}: needs a url or a publisher"
        assert t.get("published"), f"{t['id']}: needs a publication date"
        assert t.get("title"), f"{t['id']}: needs a title"
        assert t.get("licence"), f"{t['id']}: needs a licence/copyright note"
        assert (TEXTS_DIR / t["file"]).is_file(), f"{t['id']}: missing file {t['file']}"


def test_every_text_file_has_a_bibliography_entry(texts):
    listed = {t["file"] for t in texts}
    on_disk = {p.name for p in TEXTS_DIR.glob("*.txt")}
    assert on_disk == listed, f"unlisted files {on_disk - listed}, missing {listed - on_disk}"


def test_every_split_is_used(texts):
    """Every split the scorer knows has texts, except blind splits still being collected."""
    used = {t["split"] for t in texts}
    assert used <= SPLITS
    assert SPLITS - used <= set(BLIND), f"splits without texts: {SPLITS - used}"


def test_texts_are_unchanged(texts):
    for t in texts:
        data = (TEXTS_DIR / t["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == t["sha256"], f"{t['id']}: bytes changed"
        assert len(data.decode("utf-8")) == t["n_chars"], f"{t['id']}: n_chars"


def test_label_fields(labelled, contents):
    for i, lab in enumerate(labelled["labels"]):
        where = f"label #{i + 1} {lab.get('quote')!r}"
        keys = set(lab)
        assert keys >= LABEL_KEYS, f"{where}: missing {LABEL_KEYS - keys}"
        assert keys <= LABEL_KEYS | OPTIONAL_LABEL_KEYS, f"{where}: unknown {keys - LABEL_KEYS}"
        assert lab["text_id"] in contents, f"{where}: unknown text_id"
        assert lab["qualifier"] in QUALIFIERS, f"{where}: qualifier {lab['qualifier']!r}"
        assert isinstance(lab["value"], int | float), f"{where}: value must be a number"
        assert isinstance(lab["scale"], int | float) and lab["scale"] > 0, f"{where}: scale"
        assert isinstance(lab["year"], int) and 1949 <= lab["year"] <= 2100, f"{where}: year"
        assert lab["region"], f"{where}: region"
        assert lab["indicator"], f"{where}: indicator"
        assert lab.get("direction") in (None, "decrease"), f"{where}: direction"
        assert lab.get("period_kind", "year") in PERIOD_KINDS, f"{where}: period_kind {lab.get('period_kind')!r}"
        assert lab.get("status", "actual") in STATUSES, f"{where}: status {lab.get('status')!r}"
        if "measure" in lab:
            assert lab["measure"] in MEASURES, f"{where}: measure {lab['measure']!r}"
            assert lab.get("indicator_subject"), f"{where}: measure without indicator_subject"


def test_holdout_v4_labels_name_subject_and_measure(texts, labelled, contents):
    """holdout_v4 and later splits are scored on the subject words too, so every label there
    carries them, and the subject is written as the text writes it."""
    v4 = {t["id"] for t in texts if t["split"] in SPLITS - LABELLED_BEFORE_SUBJECTS}
    for i, lab in enumerate(labelled["labels"]):
        if lab["text_id"] not in v4:
            continue
        where = f"label #{i + 1} {lab['quote']!r}"
        assert lab.get("measure") in MEASURES, f"{where}: measure"
        subject = lab.get("indicator_subject") or ""
        assert subject and subject in contents[lab["text_id"]], f"{where}: subject {subject!r} not in the text"


def test_quotes_occur_in_their_texts(labelled, contents):
    for section in ("labels", "not_figures"):
        for i, e in enumerate(labelled[section]):
            n = int(e.get("occurrence", 1))
            assert n >= 1
            where = f"{section} #{i + 1} {e['quote']!r}"
            assert find_nth(contents[e["text_id"]], e["quote"], n) >= 0, (
                f"{where}: occurrence {n} not in {e['text_id']}"
            )


def test_ambiguous_quotes_name_their_occurrence(labelled, contents):
    """A quote that occurs more than once must say which occurrence it means."""
    for section in ("labels", "not_figures"):
        for i, e in enumerate(labelled[section]):
            if contents[e["text_id"]].count(e["quote"]) > 1:
                assert "occurrence" in e, f"{section} #{i + 1} {e['quote']!r} is ambiguous"


def test_number_text_inside_quote(labelled):
    for section in ("labels", "not_figures"):
        for i, e in enumerate(labelled[section]):
            n = int(e.get("number_occurrence", 1))
            assert find_nth(e["quote"], e["number_text"], n) >= 0, (
                f"{section} #{i + 1}: {e['number_text']!r} not inside {e['quote']!r}"
            )


def test_no_two_labels_share_a_number_span(labelled, contents):
    spans = set()
    for i, e in enumerate(labelled["labels"]):
        q = find_nth(contents[e["text_id"]], e["quote"], int(e.get("occurrence", 1)))
        k = find_nth(e["quote"], e["number_text"], int(e.get("number_occurrence", 1)))
        span = (e["text_id"], q + k, q + k + len(e["number_text"]))
        assert span not in spans, f"label #{i + 1} {e['quote']!r}: same span labelled twice"
        spans.add(span)


def test_arabic_values_parse_from_number_text(labelled):
    """Where number_text holds Arabic digits, value is that number and scale fits the unit."""
    checked = 0
    for i, lab in enumerate(labelled["labels"]):
        where = f"label #{i + 1} {lab['number_text']!r}"
        nums = ARABIC.findall(lab["number_text"])
        if not nums:
            continue  # Chinese numerals (第三, 超五成, 逾千家, 翻番): checked by eye
        assert len(nums) == 1, f"{where}: more than one number in number_text"
        assert float(nums[0]) == pytest.approx(lab["value"], rel=1e-12), f"{where}: value"
        unit = lab["unit"] or ""
        # the unit is stated in number_text, possibly interrupted (4万多家 -> 万家), or written once
        # after a pair that shares it (增长4.9和5.2个百分点: 4.9 is in 个百分点 too)
        after = lab["quote"][lab["quote"].find(lab["number_text"]) :]
        shared = bool(unit) and unit in after and re.fullmatch(r"[0-9.]+", lab["number_text"]) is not None
        assert shared or is_subsequence(unit, lab["number_text"]), f"{where}: unit {unit!r} not stated"
        assert lab["scale"] == unit_scale(unit), f"{where}: scale {lab['scale']} for {unit!r}"
        checked += 1
    assert checked > 100


def test_chinese_numeral_labels_are_consistent(labelled):
    """Scale still follows the unit for labels stated in Chinese numerals."""
    for i, lab in enumerate(labelled["labels"]):
        if ARABIC.search(lab["number_text"]):
            continue
        assert lab["scale"] == unit_scale(lab["unit"] or ""), f"label #{i + 1}: scale"


def test_not_figures_do_not_overlap_labels(labelled, contents):
    def span(e):
        q = find_nth(contents[e["text_id"]], e["quote"], int(e.get("occurrence", 1)))
        k = find_nth(e["quote"], e["number_text"], int(e.get("number_occurrence", 1)))
        return e["text_id"], q + k, q + k + len(e["number_text"])

    label_spans = [span(e) for e in labelled["labels"]]
    for e in labelled["not_figures"]:
        assert set(e) >= NOT_FIGURE_KEYS, f"not_figure {e['quote']!r}: missing keys"
        tid, a0, a1 = span(e)
        for ltid, b0, b1 in label_spans:
            assert not (tid == ltid and a0 < b1 and b0 < a1), (
                f"not_figure {e['number_text']!r} overlaps a labelled figure"
            )


def test_every_text_is_labelled(texts, labelled):
    per_text = {t["id"]: 0 for t in texts}
    for lab in labelled["labels"]:
        per_text[lab["text_id"]] += 1
    # A short release can state only four figures (holdout_v26's 416-character Shanxi item); fewer
    # than three means a text was left unlabelled.
    assert all(n >= 3 for n in per_text.values()), per_text


def test_integrity_checks_can_fail(contents):
    """The helpers reject a quote that is not in the text (guards against vacuous passes)."""
    text = next(iter(contents.values()))
    assert find_nth(text, "这句话不在任何文本里", 1) == -1
    assert find_nth("ab ab", "ab", 2) == 3
    assert find_nth("ab ab", "ab", 3) == -1
    assert is_subsequence("万家", "4万多家") and not is_subsequence("亿元", "4万多家")
    assert unit_scale("万亿元") == 1e12 and unit_scale("亿元") == 1e8 and unit_scale("%") == 1.0


def test_a_region_focus_with_its_parents_in_brackets_is_the_place_before_them():
    from benchmarks.eval_set import load_region_lookup, region_id_for

    lookup = load_region_lookup()
    assert region_id_for("宜春市 (江西省)", lookup) == region_id_for("宜春市", lookup) == "yichun_jx"
    assert region_id_for("青岛市（山东省）", lookup) == "qingdao"
