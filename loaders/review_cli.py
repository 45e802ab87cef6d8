"""`python -m loaders review SOURCE_ID`: list a source's figures awaiting review, and record
a reviewer's confirm / correct / reject in datasets/reviews/<source_id>.yaml.

The figures are extracted afresh from the text (what the next build will publish), with the
decisions already on file applied, so the list is what is still pending now.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from loaders import review
from loaders.errors import BuildError

FIELD_FLAGS = {
    "indicator": "indicator_id",
    "region": "region_id",
    "year": "year",
    "period_kind": "period_kind",
    "status": "status",
}


def add_parser(sub, folders) -> None:
    """The `review` subcommand (called from loaders/__main__.py)."""
    r = sub.add_parser("review", help="list a source's figures awaiting review, or record a decision")
    r.add_argument("source_id")
    r.add_argument("--all", action="store_true", help="list every figure with its review state, not only pending")
    r.add_argument("--confirm", action="append", default=[], metavar="OBS_ID", help="the figure is right (repeatable)")
    r.add_argument("--correct", metavar="OBS_ID", help="set the fields given below on this figure")
    r.add_argument("--reject", metavar="OBS_ID", help="the figure is not an actual value of what it says (--why)")
    r.add_argument("--indicator", help="corrected indicator_id")
    r.add_argument("--region", help="corrected region_id")
    r.add_argument("--year", type=int, help="corrected year")
    r.add_argument("--period-kind", choices=review.PERIOD_KINDS, help="corrected period kind")
    r.add_argument("--status", choices=review.STATUSES, help="corrected status")
    r.add_argument("--why", default="", help="the reason (required with --reject)")
    r.add_argument("--reviewer", help="who decides (required to record a decision)")
    folders(r)
    r.set_defaults(func=cmd_review)


def _figures(args: argparse.Namespace) -> tuple[pd.DataFrame, str, Path, review.Catalogue]:
    """The source's observations as the next build makes them, decisions applied."""
    from loaders.build import figures_as_built, load

    sources_dir, reference_dir = Path(args.sources), Path(args.reference)
    ref, sources = load(sources_dir, reference_dir)
    source = next((s for s in sources if s.source_id == args.source_id), None)
    if source is None:
        raise BuildError(sources_dir / "sources.yaml", f"no source {args.source_id!r} in the corpus")
    obs, _ = figures_as_built(ref, sources, reference_dir, read=source)  # as the build reads it
    obs = obs[obs["source_id"] == source.source_id].reset_index(drop=True)
    reviews_dir = review.reviews_dir_for(sources_dir)
    path = reviews_dir / f"{source.source_id}.yaml"
    files = {source.source_id: review.load_decisions(path)} if path.exists() else {}
    catalogue = review.Catalogue.from_reference(ref)
    obs, _ = review.apply_reviews(obs, {source.source_id: source.text}, files, catalogue)
    return obs, source.text, reviews_dir, catalogue


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _listing(obs: pd.DataFrame, show_all: bool) -> list[str]:
    rows = obs if show_all else obs[obs["review_state"] == "machine"]
    out = []
    for r in rows.itertuples():
        a, b = r.number_start - r.char_start, r.number_end - r.char_start
        quote = _one_line(r.quote[:a] + "【" + r.quote[a:b] + "】" + r.quote[b:])
        state = "" if r.review_state == "machine" else f" [{r.review_state}]"
        derived = " derived" if r.derived else ""
        head = f"{r.observation_id}{state}  {r.indicator_id}  {r.region_id}  {r.year} ({r.year_basis}){derived}"
        out.append(f"{head}  {r.value:g} {r.unit}\n    {quote}")
    return out


def _decisions(args: argparse.Namespace, obs: pd.DataFrame) -> list[tuple[str, review.Decision]]:
    by_id = obs.set_index("observation_id")
    wanted = [(i, "confirm") for i in args.confirm]
    wanted += [(args.correct, "correct")] if args.correct else []
    wanted += [(args.reject, "reject")] if args.reject else []
    corrected = {f: getattr(args, a) for a, f in FIELD_FLAGS.items() if getattr(args, a) is not None}
    if corrected and not args.correct:
        raise BuildError("--correct", "--indicator/--region/--year/--period-kind/--status go with --correct OBS_ID")
    out = []
    for obs_id, action in wanted:
        if obs_id not in by_id.index:
            raise BuildError(
                args.source_id, f"no figure {obs_id} (list them: python -m loaders review {args.source_id})"
            )
        row = by_id.loc[obs_id]
        row = row.iloc[0] if isinstance(row, pd.DataFrame) else row
        extra = {"why": args.why} if action != "confirm" else {}
        if action == "correct":
            extra["corrected"] = corrected
        try:
            out.append((obs_id, review.decision_for(row, action, args.reviewer or "", **extra)))
        except ValidationError as exc:
            err = exc.errors()[0]
            name = ".".join(str(p) for p in err["loc"]) or action
            raise BuildError(f"--{action}", f"{obs_id}: {name}: {err['msg']}") from None
    return out


def cmd_review(args: argparse.Namespace) -> int:
    obs, _text, reviews_dir, catalogue = _figures(args)
    acting = args.confirm or args.correct or args.reject
    if not acting:
        lines = _listing(obs, args.all)
        pending = int((obs["review_state"] == "machine").sum())
        print("\n".join(lines))
        print(f"{pending} of {len(obs)} figure(s) of {args.source_id} await review", file=sys.stderr)
        return 0
    if not args.reviewer:
        raise BuildError("--reviewer", "say who decides: --reviewer NAME")
    pairs = _decisions(args, obs)
    by_id = obs.drop_duplicates("observation_id").set_index("observation_id")
    for obs_id, d in pairs:
        if d.action == "correct":
            review.check_correction(d, by_id.loc[obs_id], catalogue, Path("--correct"), None)
    decisions = [d for _, d in pairs]
    path = review.record(reviews_dir, args.source_id, decisions)
    for d in decisions:
        print(f"recorded: {d.action} {d.number_text!r} by {d.reviewer} -> {path}", file=sys.stderr)
    print("the next `python -m loaders build` publishes it", file=sys.stderr)
    return 0
