"""Safety net for extractor refactors: sha256 of every extracted row over every evaluation
text and every corpus source, so a restructure can show its output is unchanged.

    .venv/bin/python scripts/extract_hashes.py --write /tmp/before.json
    .venv/bin/python scripts/extract_hashes.py --compare /tmp/before.json

Each text gets two digests: `all` over every column of `extract_text` (and, for corpus
sources, of `observations_from_text`, which adds the derived prior-year rows), and
`core` over every column except the quote and its offsets (quote, char_start, char_end),
so a change to how much of the sentence a quote shows can be told apart from any other.
Only digests are printed and compared; no text or label is shown.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

QUOTE_COLUMNS = ("quote", "char_start", "char_end")


def _digest(rows: list[dict], skip: tuple[str, ...] = ()) -> str:
    h = hashlib.sha256()
    for row in rows:
        kept = {k: row[k] for k in sorted(row) if k not in skip}
        h.update(repr(kept).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def _digests(rows: list[dict]) -> dict:
    return {"rows": len(rows), "all": _digest(rows), "core": _digest(rows, QUOTE_COLUMNS)}


def eval_digests() -> dict[str, dict]:
    from eval_extraction import publication_month
    from eval_set import TEXTS_DIR, TEXTS_YAML, load_region_lookup, region_id_for

    from loaders.extract import extract_text

    lookup = load_region_lookup()
    out = {}
    for entry in yaml.safe_load(TEXTS_YAML.read_text("utf-8")):
        text = (TEXTS_DIR / entry["file"]).read_text("utf-8")
        frame = extract_text(
            text,
            default_region=region_id_for(entry.get("region_focus"), lookup),
            publication_year=entry.get("publication_year"),
            publication_month=publication_month(entry.get("published", "")),
        )
        out[f"eval/{entry['id']}"] = _digests(frame.to_dict("records"))
    return out


def corpus_digests() -> dict[str, dict]:
    from eval_extraction import publication_month

    from loaders.extract import extract_text, observations_from_text

    folder = ROOT / "datasets" / "sources"
    out = {}
    for entry in yaml.safe_load((folder / "sources.yaml").read_text("utf-8")):
        text = (folder / entry["file"]).read_text("utf-8")
        year = int(str(entry["published"])[:4])
        month = publication_month(entry["published"])
        region = entry.get("region_focus")
        frame = extract_text(text, default_region=region, publication_year=year, publication_month=month)
        out[f"corpus/{entry['source_id']}/extract"] = _digests(frame.to_dict("records"))
        obs, men = observations_from_text(
            text, entry["source_id"], default_region=region, publication_year=year, publication_month=month
        )
        out[f"corpus/{entry['source_id']}/observations"] = _digests(obs)
        out[f"corpus/{entry['source_id']}/mentions"] = _digests(men)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path)
    group.add_argument("--compare", type=Path)
    args = parser.parse_args()
    now = {**eval_digests(), **corpus_digests()}
    if args.write:
        args.write.write_text(json.dumps(now, indent=1, sort_keys=True))
        print(f"{len(now)} digests written to {args.write}")
        return 0
    before = json.loads(args.compare.read_text())
    changed_all = [k for k in sorted(set(before) | set(now)) if before.get(k) != now.get(k)]
    changed_core = [
        k
        for k in changed_all
        if (before.get(k) or {}).get("core") != (now.get(k) or {}).get("core")
        or (before.get(k) or {}).get("rows") != (now.get(k) or {}).get("rows")
    ]
    print(
        f"{len(now)} texts; identical in every column: {len(now) - len(changed_all)}; "
        f"differ only in quote/char_start/char_end: {len(changed_all) - len(changed_core)}; "
        f"differ otherwise: {len(changed_core)}"
    )
    for k in changed_all:
        if k not in changed_core:
            print(f"  quote only: {k}")
    for k in changed_core:
        print(f"  differs: {k}  rows {before.get(k, {}).get('rows')} -> {now.get(k, {}).get('rows')}")
    return 1 if changed_core else 0


if __name__ == "__main__":
    sys.exit(main())
