"""Command line: `python -m loaders build | extract PATH | add PATH | verify | review SOURCE_ID`."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from loaders.errors import BuildError


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _year_month(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-\d{2})?", value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM or YYYY-MM-DD, got {value!r}")
    return int(match.group(1)), int(match.group(2))


def cmd_build(args: argparse.Namespace) -> int:
    from loaders.build import build
    from loaders.review import review_summary

    result = build(Path(args.sources), Path(args.reference), Path(args.out), progress=None if args.quiet else _progress)
    print(result.summary())
    _progress(review_summary(result.report["review"]))
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from loaders.corpus import decode_utf8
    from loaders.extract import extract_chunks
    from loaders.validate import refuse_control_characters

    path = Path(args.path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BuildError(path, f"cannot read: {exc.strerror}") from None
    text = decode_utf8(raw, path)
    refuse_control_characters(text, path)
    if args.region:
        from loaders.extract import engine

        if args.region not in engine()[0].region_ids:
            raise BuildError(path, f"--region {args.region!r} is not in regions.yaml (nor counties.csv)")
    year, month = args.published if args.published else (args.year, None)
    # Written chunk by chunk (one header): memory does not grow with the length of the text.
    chunks = extract_chunks(text, default_region=args.region, publication_year=year, publication_month=month)
    for k, chunk in enumerate(chunks):
        if not args.all:
            chunk = chunk[chunk["kind"].isin(["figure", "rank"])]
        chunk.to_csv(sys.stdout, index=False, header=k == 0, lineterminator="\n")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    """Copy, record and rebuild as one transaction: on any failure or Ctrl-C, sources.yaml
    and the sources folder are restored byte- and mode-identical, and the line says so."""
    from loaders.add import add_source, transaction

    sources_dir = Path(args.sources)
    restored = "not added: sources.yaml and the sources folder are as they were"
    try:
        with transaction(sources_dir):
            entry = add_source(
                Path(args.path),
                source_id=args.id,
                title_zh=args.title,
                title_en=args.title_en,
                authors=args.author or [],
                venue=args.venue,
                published=args.published,
                url=args.url,
                doi=args.doi,
                region_focus=args.region,
                kind=args.kind,
                sources_dir=sources_dir,
                reference_dir=Path(args.reference),
            )
            if not args.no_build:
                cmd_build(args)
    except BuildError as exc:
        raise BuildError(exc.path, f"{exc.message}; {restored}", line=exc.line, entry=exc.entry) from None
    except KeyboardInterrupt:
        print(f"interrupted: {restored}; published tables left as they were", file=sys.stderr)
        return 130
    print(f"added {entry['source_id']} as {sources_dir / entry['file']}", file=sys.stderr)
    if not args.no_build:
        _progress(f"its figures are pending review: python -m loaders review {entry['source_id']}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from loaders.verify import REBUILD, verify

    out = Path(args.out)
    n, lines = verify(out, Path(args.sources))
    for line in lines:
        print(f"differs: {line}")
    if n:
        more = f" ({n - len(lines)} more not shown)" if n > len(lines) else ""
        print(f"error: {n} difference(s) between {out} and its build{more}; run `{REBUILD}`", file=sys.stderr)
        return 1
    print(f"verified {out}: table digests, source texts and quotes match the build")
    return 0


def parser() -> argparse.ArgumentParser:
    from loaders.build import PUBLISHED_DIR, REFERENCE_DIR, SOURCES_DIR
    from loaders.review_cli import add_parser as add_review_parser

    p = argparse.ArgumentParser(prog="python -m loaders", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    def folders(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--sources", default=str(SOURCES_DIR), help="folder with texts and sources.yaml")
        sp.add_argument("--reference", default=str(REFERENCE_DIR), help="folder with regions/indicators/rules")
        sp.add_argument("--out", default=str(PUBLISHED_DIR), help="where the tables are published")
        sp.add_argument("--quiet", action="store_true", help="no progress on stderr")

    b = sub.add_parser("build", help="extract, validate and publish the tables")
    folders(b)
    b.set_defaults(func=cmd_build)

    e = sub.add_parser("extract", help="print every number found in a UTF-8 text as CSV")
    e.add_argument("path")
    e.add_argument("--region", help="region_id to assume when a sentence names none")
    e.add_argument("--year", type=int, help="publication year, for figures the text dates as 'now'")
    e.add_argument(
        "--published",
        help="publication date YYYY-MM or YYYY-MM-DD (instead of --year): in January-March an undated figure "
        "is read as last year's result",
        type=_year_month,
    )
    e.add_argument("--all", action="store_true", help="also list years, dates, citations and ordinals")
    e.set_defaults(func=cmd_extract)

    a = sub.add_parser("add", help="add a text to the corpus with its bibliography, then rebuild")
    a.add_argument("path")
    a.add_argument("--id", required=True, help="source_id: lowercase ascii slug, e.g. zj2023_communique")
    a.add_argument("--title", required=True, help="title in Chinese")
    a.add_argument("--title-en", default="")
    a.add_argument("--author", action="append", help="repeat for each author")
    a.add_argument("--venue", default="")
    a.add_argument("--published", required=True, help="YYYY, YYYY-MM or YYYY-MM-DD")
    a.add_argument("--url", default="")
    a.add_argument("--doi", default="")
    a.add_argument("--region", required=True, help="region_id the text is about (default region)")
    a.add_argument("--kind", default="")
    a.add_argument("--no-build", action="store_true")
    folders(a)
    a.set_defaults(func=cmd_add)

    v = sub.add_parser("verify", help="check the published tables against their build report and the texts")
    folders(v)
    v.set_defaults(func=cmd_verify)
    add_review_parser(sub, folders)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except BuildError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return 2
    except OSError as exc:  # read-only, disk full, permission: the environment, said in one line
        print(f"error: {exc.filename or 'datasets'}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: published tables left as they were", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
