"""Review before charting: decision files, their application on every build, and the CLI."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date

import pandas as pd
import pytest
import yaml

from loaders import review
from loaders.build import REFERENCE_DIR, SOURCES_DIR
from loaders.errors import BuildError
from tests.loaders.cli import argv, copy_corpus, run

TEXT = (
    "2023年，浙江省研发经费投入强度为3.2%。目前，全省有专精特新中小企业超1000家。2023年，浙江省研发经费投入强度为3.2%。"
)
TODAY = date(2026, 12, 7)


def _row(text: str, quote: str, number: str, occurrence: int = 0, **fields) -> dict:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    n = start + quote.index(number)
    base = {
        "observation_id": f"obs_{hashlib.sha256(f'{start}{number}'.encode()).hexdigest()[:16]}",
        "indicator_id": "rd_intensity_pct",
        "region_id": "zhejiang",
        "year": 2023,
        "year_basis": "stated",
        "region_basis": "stated",
        "value": 3.2,
        "unit": "%",
        "base_unit": "percent",
        "source_id": "zj",
        "quote": quote,
        "char_start": start,
        "char_end": start + len(quote),
        "number_text": number,
        "number_start": n,
        "number_end": n + len(number),
        "derived": False,
    }
    return base | fields


Q1 = "2023年，浙江省研发经费投入强度为3.2%。"
Q2 = "目前，全省有专精特新中小企业超1000家。"


def _obs() -> pd.DataFrame:
    return pd.DataFrame(
        [
            _row(TEXT, Q1, "3.2%"),
            _row(
                TEXT,
                Q2,
                "超1000家",
                indicator_id="specialised_smes_count",
                year=2024,
                year_basis="publication",
                value=1000.0,
                unit="家",
                base_unit="enterprises",
            ),
            _row(TEXT, Q1, "3.2%", occurrence=1),
        ]
    )


CATALOGUE = review.Catalogue(
    {"rd_intensity_pct": "percent", "specialised_smes_count": "enterprises", "little_giants_count": "enterprises"},
    {"zhejiang", "china"},
)


def _decide(row: pd.Series, action: str, **extra) -> review.Decision:
    return review.decision_for(row, action, "tester", reviewed_on=TODAY, **extra)


def _files(tmp_path, decisions: list[review.Decision]) -> dict[str, review.DecisionFile]:
    review.record(tmp_path, "zj", decisions)
    return review.load_all(tmp_path)


def test_a_decision_file_round_trips_every_character(tmp_path):
    row = _obs().iloc[0].copy()
    row["quote"] = 'a "quoted" \\ line\n\n# not a comment: 3.2%\t'
    d = _decide(row, "reject", why="why: 'quoted' \"too\"")
    path = review.record(tmp_path, "zj", [d])
    loaded = review.load_decisions(path).decisions
    assert [x for _, x in loaded] == [d]
    assert loaded[0][0] == 5  # the line of the decision, after the header


def test_apply_sets_states_keeps_provenance_and_records_the_machine_reading(tmp_path):
    obs = _obs()
    decisions = [
        _decide(obs.iloc[0], "confirm"),
        _decide(obs.iloc[1], "correct", corrected={"year": 2023, "indicator_id": "little_giants_count"}, why="w"),
        _decide(obs.iloc[2], "reject", why="a repeat of the first sentence"),
    ]
    out, report = review.apply_reviews(obs, {"zj": TEXT}, _files(tmp_path, decisions), CATALOGUE, warn=print)
    assert list(out["review_state"]) == ["confirmed", "corrected", "rejected"]
    fixed = out.iloc[1]
    assert (fixed["year"], fixed["indicator_id"], fixed["year_basis"]) == (2023, "little_giants_count", "reviewed")
    assert "year=2024" in fixed["machine_read"] and "year_basis=publication" in fixed["machine_read"]
    assert "indicator_id=specialised_smes_count" in fixed["machine_read"]
    for col in ("quote", "char_start", "char_end", "number_start", "value"):
        assert fixed[col] == obs.iloc[1][col]
    assert out.iloc[2]["review_note"] == "a repeat of the first sentence"
    again = review.decision_for(
        fixed, "confirm", "second reviewer"
    )  # a later decision still names the machine's reading
    assert again.machine["year"] == 2024 and again.machine["indicator_id"] == "specialised_smes_count"
    assert set(out["reviewer"]) == {"tester"} and set(out["reviewed_on"]) == {"2026-12-07"}
    assert report["counts"] == {"machine": 0, "confirmed": 1, "corrected": 1, "rejected": 1}


def test_the_offsets_hint_picks_the_right_one_of_two_identical_figures(tmp_path):
    obs = _obs()
    files = _files(tmp_path, [_decide(obs.iloc[2], "reject", why="second")])
    out, _ = review.apply_reviews(obs, {"zj": TEXT}, files, CATALOGUE, warn=print)
    assert list(out["review_state"]) == ["machine", "machine", "rejected"]


def test_a_decision_survives_a_quote_cut_differently(tmp_path):
    obs = _obs()
    files = _files(tmp_path, [_decide(obs.iloc[1], "confirm")])
    recut = obs.copy()
    recut.loc[1, ["quote", "char_start"]] = [Q2[3:], obs.loc[1, "char_start"] + 3]
    out, report = review.apply_reviews(recut, {"zj": TEXT}, files, CATALOGUE, warn=print)
    assert out.loc[1, "review_state"] == "confirmed" and not report["unmatched"]


def test_a_decision_survives_a_number_cut_differently_but_not_a_figure_elsewhere(tmp_path):
    obs = _obs()
    files = _files(tmp_path, [_decide(obs.iloc[1], "confirm")])
    recut = obs.copy()
    recut.loc[1, ["number_text", "number_start"]] = ["1000家", obs.loc[1, "number_start"] + 1]
    out, _ = review.apply_reviews(recut, {"zj": TEXT}, files, CATALOGUE, warn=print)
    assert out.loc[1, "review_state"] == "confirmed"
    elsewhere = obs.drop(index=1)  # the figure is no longer extracted: the other figures stay pending
    out, report = review.apply_reviews(elsewhere, {"zj": TEXT}, files, CATALOGUE, warn=print)
    assert set(out["review_state"]) == {"machine"}
    assert report["unmatched"][0]["reason"] == "no figure is extracted at this number any more"


def test_a_stale_decision_is_reported_with_file_and_line_never_dropped(tmp_path):
    obs = _obs()
    files = _files(tmp_path, [_decide(obs.iloc[0], "confirm"), _decide(obs.iloc[1], "confirm")])
    changed = TEXT.replace("超1000家", "超2000家")
    warnings: list[str] = []
    out, report = review.apply_reviews(obs.iloc[[0, 2]], {"zj": changed}, files, CATALOGUE, warn=warnings.append)
    (stale,) = report["unmatched"]
    assert stale["number_text"] == "超1000家" and "no longer in the text" in stale["reason"]
    assert stale["line"] == 14
    assert warnings == [f"warning: {tmp_path / 'zj.yaml'}:14: confirm of '超1000家' not applied: {stale['reason']}"]
    assert list(out["review_state"]) == ["confirmed", "machine"]


@pytest.mark.parametrize(
    ("corrected", "message"),
    [
        ({"indicator_id": "no_such_indicator"}, "not in the catalogue"),
        ({"indicator_id": "little_giants_count"}, "measured in enterprises"),
        ({"region_id": "atlantis"}, "not in regions.yaml"),
    ],
)
def test_a_correction_outside_the_catalogue_fails_naming_file_and_line(tmp_path, corrected, message):
    obs = _obs()
    files = _files(tmp_path, [_decide(obs.iloc[0], "correct", corrected=corrected)])
    with pytest.raises(BuildError) as err:
        review.apply_reviews(obs, {"zj": TEXT}, files, CATALOGUE, warn=print)
    assert message in err.value.one_line() and err.value.one_line().startswith(f"{tmp_path / 'zj.yaml'}:5: ")


DECISION = """source_id: zj
decisions:
- quote: "q"
  number_text: "1"
  char_start: 0
  number_start: 0
  action: confirm
  reviewer: r
  reviewed_on: 2026-12-07
"""


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("action: confirm", "action: approve", 7, "action"),
        ("action: confirm", "action: reject", 3, "says why"),
        ("reviewer: r", "reviewer: ''", 8, "reviewer"),
        ("action: confirm", "action: confirm\n  corrected: {year: 2022}", 3, "'corrected' belongs to action correct"),
        ("action: confirm", "action: correct\n  corrected: {status: guess}", 8, "corrected.status"),
        ("number_start: 0", "number_start: -5", 6, "number_start"),
    ],
)
def test_a_bad_decision_is_one_line_naming_its_line(tmp_path, old, new, line, message):
    (tmp_path / "zj.yaml").write_text(DECISION.replace(old, new))
    with pytest.raises(BuildError) as err:
        review.load_decisions(tmp_path / "zj.yaml")
    assert err.value.line == line, err.value.one_line()
    assert message in err.value.one_line()


def test_broken_yaml_a_wrong_source_id_and_a_repeated_decision_are_refused(tmp_path):
    path = tmp_path / "zj.yaml"
    path.write_text("source_id: zj\ndecisions:\n- quote: [unclosed\n")
    with pytest.raises(BuildError, match="not valid YAML"):
        review.load_decisions(path)
    path.write_text("source_id: other\ndecisions: []\n")
    with pytest.raises(BuildError, match="must be the file's name") as err:
        review.load_decisions(path)
    assert err.value.line == 1
    path.write_text(DECISION + DECISION.split("decisions:\n")[1])
    with pytest.raises(BuildError, match="second decision") as err:
        review.load_decisions(path)
    assert err.value.line == 10


# --- the CLI and the build, on a one-text corpus -------------------------------------


@pytest.fixture()
def corpus(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "zj.txt").write_text(TEXT, "utf-8")
    entry = {
        "source_id": "zj",
        "file": "zj.txt",
        "title_zh": "浙江测试",
        "authors": [],
        "published": "2024-05-01",
        "language": "zh",
        "region_focus": "zhejiang",
        "sha256": hashlib.sha256(TEXT.encode()).hexdigest(),
    }
    (sources / "sources.yaml").write_text(yaml.safe_dump([entry], allow_unicode=True), "utf-8")
    return sources, tmp_path / "published"


def _cli(corpus, *args):
    sources, out = corpus
    return run(argv(*args, sources=sources, reference=REFERENCE_DIR, out=out))


def test_cli_lists_pending_records_decisions_and_the_build_applies_them(corpus):
    sources, out = corpus
    listed = _cli(corpus, "review", "zj")
    assert listed.returncode == 0, listed.stderr
    ids = [line.split()[0] for line in listed.stdout.splitlines() if line.startswith("obs_")]
    assert len(ids) >= 2 and "【3.2%】" in listed.stdout and f"{len(ids)} of {len(ids)}" in listed.stderr
    assert _cli(corpus, "review", "zj", "--confirm", ids[0]).returncode == 2  # no reviewer given
    bad = _cli(corpus, "review", "zj", "--reject", ids[1], "--reviewer", "tester")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "says why" in bad.stderr
    wrong = _cli(corpus, "review", "zj", "--correct", ids[1], "--indicator", "nope", "--reviewer", "tester")
    assert wrong.returncode == 2 and "not in the catalogue" in wrong.stderr
    assert not (sources.parent / "reviews" / "zj.yaml").exists()  # nothing half-written
    ok = _cli(corpus, "review", "zj", "--confirm", ids[0], "--reject", ids[1], "--why", "repeat", "--reviewer", "t")
    assert ok.returncode == 0, ok.stderr
    after = _cli(corpus, "review", "zj")
    assert ids[0] not in after.stdout and ids[1] not in after.stdout
    assert _cli(corpus, "build").returncode == 0
    obs = pd.read_parquet(out / "observations.parquet").set_index("observation_id")
    assert obs.loc[ids[0], "review_state"] == "confirmed" and obs.loc[ids[1], "review_state"] == "rejected"
    assert set(obs.drop(index=ids[:2])["review_state"]) <= {"machine"}
    report = json.loads((out / "build_report.json").read_text("utf-8"))["review"]
    assert report["counts"]["confirmed"] == 1 and report["unmatched"] == []


def test_build_warns_about_a_decision_whose_quote_is_gone(corpus):
    sources, out = corpus
    reviews = sources.parent / "reviews"
    reviews.mkdir()
    (reviews / "zj.yaml").write_text(DECISION.replace('"q"', '"这句话不在文中"').replace('"1"', '"9%"'), "utf-8")
    result = _cli(corpus, "build")
    assert result.returncode == 0, result.stderr
    assert f"warning: {reviews / 'zj.yaml'}:3: confirm of '9%' not applied" in result.stderr
    report = json.loads((out / "build_report.json").read_text("utf-8"))["review"]
    assert [(u["line"], u["reason"]) for u in report["unmatched"]] == [(3, "its quote is no longer in the text")]


def test_build_refuses_a_bad_decision_file_with_one_line(corpus):
    sources, out = corpus
    reviews = sources.parent / "reviews"
    reviews.mkdir()
    (reviews / "zj.yaml").write_text("source_id: zj\ndecisions:\n- action: maybe\n")
    result = _cli(corpus, "build")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"error: {reviews / 'zj.yaml'}:3: ")
    assert not out.exists()


def test_add_leaves_the_new_texts_figures_pending_and_the_corpus_reviewed(tmp_path):
    sources, reference, out = copy_corpus(tmp_path)
    shutil.copytree(SOURCES_DIR.parent / "reviews", tmp_path / "reviews")
    new = tmp_path / "incoming.txt"
    new.write_text(TEXT, "utf-8")
    fields = ["--id", "zj_new", "--title", "浙江测试", "--published", "2024-05-01", "--region", "zhejiang"]
    result = run(argv("add", str(new), *fields, sources=sources, reference=reference, out=out))
    assert result.returncode == 0, result.stderr
    assert "pending review: python -m loaders review zj_new" in result.stderr
    obs = pd.read_parquet(out / "observations.parquet")
    new_rows = obs[obs["source_id"] == "zj_new"]
    assert len(new_rows) and set(new_rows["review_state"]) == {"machine"}
    assert (obs[obs["source_id"] != "zj_new"]["review_state"] != "machine").all()


def test_every_figure_of_the_corpus_is_reviewed(corpus_build):
    """The issue's target: no corpus figure is published machine-read, and no decision is stale."""
    obs = corpus_build.tables["observations"]
    assert len(obs) and (obs["review_state"] != "machine").all(), obs[obs["review_state"] == "machine"]
    # A rejected figure the extractor no longer reads is fine; a confirmed or corrected one lost is not.
    lost = [u for u in corpus_build.report["review"]["unmatched"] if u["action"] != "reject"]
    assert lost == [], lost
    reviewed = (SOURCES_DIR.parent / "reviews").glob("*.yaml")
    assert {p.stem for p in reviewed} <= set(obs["source_id"])


def test_the_review_cli_lists_a_release_as_the_build_reads_it(corpus_build, tmp_path):
    """An official release is read by official.yaml's patterns in the build; the review CLI
    must list those figures (all reviewed), not what the general extractor reads in it."""
    obs = corpus_build.tables["observations"]
    release = "nbs2022_rd_release"
    listed = run(argv("review", release, "--all", sources=SOURCES_DIR, reference=REFERENCE_DIR, out=tmp_path))
    assert listed.returncode == 0, listed.stderr
    ids = {line.split()[0] for line in listed.stdout.splitlines() if line.startswith("obs_")}
    assert ids == set(obs.loc[obs["source_id"] == release, "observation_id"])
    pending = run(argv("review", release, sources=SOURCES_DIR, reference=REFERENCE_DIR, out=tmp_path))
    assert pending.stderr.strip().startswith("0 of "), pending.stderr
