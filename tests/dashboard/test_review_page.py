"""The review page: only on a server started for reviewing; it writes the same decision files
as `python -m loaders review`, and the public app has no such page."""

from __future__ import annotations

import pytest
from helpers import APP, assert_clean
from streamlit.testing.v1 import AppTest

from loaders import review

PAGE = "app_pages/review.py"


@pytest.fixture
def reviews(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_REVIEWS_DIR", str(tmp_path))
    return tmp_path


def _review_page(monkeypatch) -> AppTest:
    monkeypatch.setenv("DASHBOARD_REVIEW", "1")
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(PAGE)
    return at.run()


def _pending_ids(at: AppTest) -> list[str]:
    return [r.key.removeprefix("rv_").removesuffix("_action") for r in at.radio if (r.key or "").startswith("rv_")]


def test_the_public_app_has_no_review_page(fixture_only, monkeypatch):
    monkeypatch.delenv("DASHBOARD_REVIEW", raising=False)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert_clean(at)
    with pytest.raises(ValueError, match="Known pages") as err:
        at.switch_page(PAGE)
    assert "review.py" not in str(err.value).split("Known pages")[1]
    assert "try_document.py" in str(err.value)  # the public pages are all there


def test_an_open_review_session_loses_the_page_once_review_mode_is_off(fixture_only, reviews, monkeypatch):
    at = _review_page(monkeypatch)
    assert _pending_ids(at) and "review_reviewer" in [t.key for t in at.text_input]
    monkeypatch.setenv("DASHBOARD_REVIEW", "0")
    at.run()
    assert_clean(at)
    assert not _pending_ids(at) and "review_reviewer" not in [t.key for t in at.text_input]
    assert not list(reviews.iterdir())


def test_a_reviewer_confirms_and_rejects_from_the_page(fixture_only, reviews, monkeypatch):
    at = _review_page(monkeypatch)
    assert_clean(at)
    ids = _pending_ids(at)
    assert len(ids) >= 2
    assert any("background:#FFC26B" in h.proto.body for h in at.get("html"))  # the number marked in its sentence
    at.text_input(key="review_reviewer").input("page-tester")
    at.radio(key=f"rv_{ids[0]}_action").set_value("reject")
    at.button[0].click().run()  # rejecting without a reason is refused
    assert any("says why" in e.value for e in at.error)
    assert not list(reviews.glob("*.yaml"))
    at.text_input(key=f"rv_{ids[0]}_why").input("not a figure of that year")
    at.button[0].click().run()
    assert_clean(at)
    (path,) = reviews.glob("*.yaml")
    (_line, decision), *_ = review.load_decisions(path).decisions
    assert (decision.action, decision.reviewer, decision.why) == ("reject", "page-tester", "not a figure of that year")
    assert _pending_ids(at) == ids[1:]  # applied at once, before any rebuild
    at.button[0].click().run()  # confirm the next one (the default)
    assert sorted(d.action for _, d in review.load_decisions(path).decisions) == ["confirm", "reject"]
    assert _pending_ids(at) == ids[2:]


def test_a_reviewed_corpus_leaves_nothing_pending(corpus_build, reviews, monkeypatch):
    from fixture_data import SOURCES_DIR

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(corpus_build.out))
    monkeypatch.setenv("DASHBOARD_SOURCES_DIR", str(SOURCES_DIR))
    at = _review_page(monkeypatch)
    assert_clean(at)
    for source_id in at.selectbox(key="review_source").options:
        at.selectbox(key="review_source").set_value(source_id).run()
        assert not _pending_ids(at), source_id


def test_a_correction_from_the_page_records_only_the_changed_fields(fixture_only, reviews, monkeypatch):
    at = _review_page(monkeypatch)
    first = _pending_ids(at)[0]
    year = at.number_input(key=f"rv_{first}_year")
    at.text_input(key="review_reviewer").input("page-tester")
    at.radio(key=f"rv_{first}_action").set_value("correct")
    year.set_value(int(year.value) - 1)
    at.selectbox(key=f"rv_{first}_pk").set_value("as_of")
    at.button[0].click().run()
    assert_clean(at)
    ((_line, decision),) = review.load_decisions(next(reviews.glob("*.yaml"))).decisions
    assert decision.action == "correct"
    assert decision.corrected.fields() == {"year": decision.machine["year"] - 1, "period_kind": "as_of"}
    assert first not in _pending_ids(at)
