"""Turn a saved web page of an official release into the corpus's plain text.

Why: the releases' provincial tables (附表) survive only in saved copies of the publisher's
page (HTML). The corpus keeps UTF-8 text whose offsets the quotes point into, so the page
is reduced once, by a rule anyone can re-run and diff: the release body only (the page's
first TRS_PreAppend / trs_editor_view block; later duplicates such as a mobile copy are
skipped), each paragraph on its own line, each table row on one line with its cells
joined by " | ", and nothing else changed (characters, full-width punctuation and the
paragraphs' leading 　　 are kept; lines of nothing but spaces are dropped).

    python scripts/release_html_to_text.py PAGE.html > datasets/sources/ID.txt
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path

BODY_CLASSES = ("TRS_PreAppend", "trs_editor_view")
BREAKS = {"p", "div", "br", "tr", "table", "h1", "h2", "h3", "li"}
SKIPPED = {"style", "script"}
EDGE_SPACES = " \t\r\n\xa0\u2002\u2003"  # not 　 (U+3000): a paragraph's indent is part of the text


class ReleaseBody(HTMLParser):
    """Collects the text of the first release-body block, tables as pipe-joined rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = self.done = False
        self.depth = 0
        self.skipping = 0
        self.parts: list[str] = []
        self.row: list[str] | None = None
        self.cell: str | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        classes = dict(attrs).get("class") or ""
        if not (self.inside or self.done) and tag == "div" and any(c in classes for c in BODY_CLASSES):
            self.inside, self.depth = True, 0
        if not self.inside:
            return
        self.depth += tag == "div"
        self.skipping += tag in SKIPPED
        if tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""
        elif tag in BREAKS and self.cell is None:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if not self.inside:
            return
        self.skipping -= tag in SKIPPED
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join(self.cell.split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.parts.append("\n" + " | ".join(self.row) + "\n")
            self.row = None
        elif tag in BREAKS and self.cell is None:
            self.parts.append("\n")
        if tag == "div":
            self.depth -= 1
            if self.depth == 0:
                self.inside, self.done = False, True

    def handle_data(self, data: str) -> None:
        if not self.inside or self.skipping:
            return
        if self.cell is not None:
            self.cell += data
        else:
            self.parts.append(data)


def release_text(html: str) -> str:
    """The release body as lines of text (see the module docstring for the rule)."""
    parser = ReleaseBody()
    parser.feed(html)
    lines = (line.strip(EDGE_SPACES) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line.strip()) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python scripts/release_html_to_text.py PAGE.html", file=sys.stderr)
        return 2
    sys.stdout.write(release_text(Path(argv[1]).read_text(encoding="utf-8")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
