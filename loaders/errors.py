"""One error type for everything a user can fix, so the CLI can print it as one line."""

from __future__ import annotations

from pathlib import Path


class BuildError(Exception):
    """Bad input: names the file and, where known, the line or the entry at fault."""

    def __init__(self, path: str | Path, message: str, *, line: int | None = None, entry: str | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.entry = entry
        self.message = message
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
        if self.entry:
            where += f" [{self.entry}]"
        return f"{where}: {self.message}"
