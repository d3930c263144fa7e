"""Shared pytest set-up: Triton's cache is private to the test run, the
corpus package is importable, and the round-trip counts are summarized."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

# Tests must never write into the user's own Triton cache, and a cache
# left by an earlier run must not stand in for a compile this run checks.
os.environ["TRITON_CACHE_DIR"] = tempfile.mkdtemp(prefix="flagtree-test-triton-")

sys.path.insert(0, str(Path(__file__).resolve().parent))

_COUNTS: dict[str, list[int]] = {}


def pytest_runtest_logreport(report) -> None:
    """Adds up what tests record: `roundtrip:<what>` with a bool per case, or
    `roundtrip:<what>` with a (passed, total) pair for a whole batch."""
    if report.when != "call":
        return
    for key, value in report.user_properties:
        if key.startswith("roundtrip:"):
            passed, total = _COUNTS.get(key, (0, 0))
            add_passed, add_total = value if isinstance(value, tuple) else (int(bool(value)), 1)
            _COUNTS[key] = [passed + add_passed, total + add_total]


def pytest_terminal_summary(terminalreporter) -> None:
    if not _COUNTS:
        return
    terminalreporter.section("flagtree round trip")
    for key, (passed, total) in sorted(_COUNTS.items()):
        what = key.split(":", 1)[1]
        terminalreporter.write_line(f"corpus: {passed}/{total} {what}")
