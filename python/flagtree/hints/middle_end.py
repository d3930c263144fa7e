"""Hands a module's hints to the middle-end, from flagtree's stage.

The hints that concern a TTIR module are those written in the source files
its locations name (the kernel's file and its helpers' files). They are read
from those files (cached by file state), checked, and the valid ones are
written as the JSON table that `flagtree-attach-hints` reads; the lane's
`flagtree-lower-hints-to-ttir` then keeps the ones it honours.
"""

from __future__ import annotations

import os
import re
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from .table import HintTable, table_for_file

_LOC_FILE = re.compile(r'loc\("(?P<file>[^"]+\.py)":\d+:\d+\)')


class HintWarning(UserWarning):
    """A hint that is wrong, found no op, or is ignored by the lane; the
    message starts with the hint's file:line:col."""


@dataclass
class HintPlan:
    """What the stage adds to its pipeline for the module's hints."""

    pipeline: list[str]
    table_path: str | None

    def cleanup(self) -> None:
        if self.table_path:
            Path(self.table_path).unlink(missing_ok=True)


_tables: dict[tuple[str, int, int], HintTable] = {}
_warned: set[str] = set()


def warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        warnings.warn(message, HintWarning, stacklevel=4)


def _table(path: str) -> HintTable | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None  # a kernel from exec or a notebook: no file to read
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _tables:
        try:
            _tables[key] = table_for_file(path)
        except (OSError, SyntaxError, ValueError):
            return None
    return _tables[key]


def _source_files(ttir: str) -> list[str]:
    import triton

    triton_dir = os.path.dirname(triton.__file__)
    files = {m["file"] for m in _LOC_FILE.finditer(ttir)}
    return sorted(f for f in files if not f.startswith(triton_dir))


def plan_for(ttir: str, lane_name: str, honoured: tuple[str, ...]) -> HintPlan:
    """The hint passes for this module (none when its sources hold no hint)."""
    rows = []
    for path in _source_files(ttir):
        table = _table(path)
        if table is None or not table.hints:
            continue
        bad = {(p.file, p.line) for p in table.errors}
        for problem in table.problems:
            warn_once(str(problem))
        rows.extend(r for r in table.entries() if (r["file"], r["line"]) not in bad)
    if not rows:
        return HintPlan([], None)
    import json

    handle, path = tempfile.mkstemp(prefix="flagtree-hints-", suffix=".json")
    with os.fdopen(handle, "w") as f:
        json.dump({"version": 1, "hints": rows}, f)
    honour = ",".join(honoured)
    lower = f"flagtree-lower-hints-to-ttir{{lane={lane_name}"
    lower += f" honour={honour}}}" if honour else "}"
    return HintPlan([f"flagtree-attach-hints{{table={path}}}", lower], path)
