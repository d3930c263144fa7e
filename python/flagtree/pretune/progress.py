"""A one-line progress bar on stderr (redrawn in place on a terminal,
a line per tenth of the work otherwise)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int, label: str, stream: TextIO | None = None, enabled=True):
        self.total = max(total, 0)
        self.done = 0
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = self.enabled and getattr(self.stream, "isatty", lambda: False)()
        self.start = time.monotonic()
        self._last_tenth = 0

    def advance(self, note: str = "") -> None:
        self.done += 1
        if not self.enabled:
            return
        tenth = self.done * 10 // self.total if self.total else 10
        if self.tty:
            self.stream.write("\r" + self._line(note) + "\x1b[K")
        elif tenth != self._last_tenth or self.done == self.total:
            self.stream.write(self._line(note) + "\n")
        self._last_tenth = tenth
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()

    def _line(self, note: str) -> str:
        width = 24
        filled = width * self.done // self.total if self.total else width
        elapsed = time.monotonic() - self.start
        bar = "#" * filled + "." * (width - filled)
        return f"{self.label} [{bar}] {self.done}/{self.total} {elapsed:6.1f}s {note}".rstrip()
