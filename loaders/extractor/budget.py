"""A time budget for one extraction (Try a document answers a reader within seconds)."""

from __future__ import annotations

import time


class ExtractionTimeout(Exception):
    """Extraction ran past its time budget (see loaders.extract.extract_text); `done`
    numbers had been read or mapped by then."""

    def __init__(self, budget: float, done: int) -> None:
        super().__init__(f"extraction ran past its time budget of {budget:g} s ({done} numbers read)")
        self.budget, self.done = budget, done


class Deadline:
    """A time budget checked every so often in a long loop: time.monotonic() per number
    would cost more than the check saves."""

    def __init__(self, budget: float | None, every: int = 256) -> None:
        self.budget = budget
        self.at = None if budget is None else time.monotonic() + budget
        self.every = every

    def check(self, done: int) -> None:
        if self.at is not None and done % self.every == 0 and time.monotonic() > self.at:
            raise ExtractionTimeout(self.budget or 0.0, done)
