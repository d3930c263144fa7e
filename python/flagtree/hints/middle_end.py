"""Hands a module's hints to the middle-end, from flagtree's stage.

The hints that concern a TTIR module are those written in the source files
its locations name (the kernel's file and its helpers' files). They are read
from those files (cached by file state), checked, and the valid ones are
written as the JSON table that `flagtree-attach-hints` reads; the lane's
`flagtree-lower-hints-to-ttir` then keeps the ones it honours.
"""

from __future__ import annotations

import ast
import os
import re
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from .table import HintTable, table_for_file

_LOC = re.compile(r'loc\("(?P<file>[^"]+\.py)":(?P<line>\d+):\d+\)')


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


@dataclass(frozen=True)
class _FileHints:
    table: HintTable
    #: (first, last) line of every function defined in the file.
    functions: tuple[tuple[int, int], ...]


_tables: dict[tuple[str, int, int], _FileHints] = {}
_warned: set[str] = set()


def forget_warnings() -> None:
    """Warn again about problems already reported in this process."""
    _warned.clear()


def warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        warnings.warn(message, HintWarning, stacklevel=4)


def _file_hints(path: str) -> _FileHints | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None  # a kernel from exec or a notebook: no file to read
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _tables:
        try:
            table = table_for_file(path)
            tree = ast.parse(Path(path).read_text(), path)
        except (OSError, SyntaxError, ValueError):
            return None
        functions = tuple(
            (node.lineno, node.end_lineno or node.lineno)
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        )
        _tables[key] = _FileHints(table, functions)
    return _tables[key]


def _referenced_lines(ttir: str) -> dict[str, set[int]]:
    """Source file -> the lines the module's locations name (Triton's own
    library files left out)."""
    import triton

    triton_dir = os.path.dirname(triton.__file__)
    lines: dict[str, set[int]] = {}
    for match in _LOC.finditer(ttir):
        if not match["file"].startswith(triton_dir):
            lines.setdefault(match["file"], set()).add(int(match["line"]))
    return lines


def _compiled_here(row: dict, functions, lines: set[int]) -> bool:
    """Whether the hint lies in a function whose code is in the module (a
    file holds other kernels too, whose hints are not this module's)."""
    for first, last in functions:
        if first <= row["line"] <= last and any(first <= n <= last for n in lines):
            return True
    return False


def plan_for(ttir: str, lane_name: str, honoured: tuple[str, ...], keep: bool = False) -> HintPlan:
    """The hint passes for this module (none when its sources hold no hint).
    ``keep``: the honoured hints stay ``ft`` attributes for the lane's own
    passes (DSA lanes lower them in FLIR)."""
    rows = []
    for path, lines in sorted(_referenced_lines(ttir).items()):
        found = _file_hints(path)
        if found is None or not found.table.hints:
            continue
        mine = [r for r in found.table.entries() if _compiled_here(r, found.functions, lines)]
        mine_lines = {(r["file"], r["line"]) for r in mine}
        bad = {(p.file, p.line) for p in found.table.errors}
        for problem in found.table.problems:
            if (problem.file, problem.line) in mine_lines:
                warn_once(str(problem))
        rows.extend(r for r in mine if (r["file"], r["line"]) not in bad)
    if not rows:
        return HintPlan([], None)
    import json

    handle, path = tempfile.mkstemp(prefix="flagtree-hints-", suffix=".json")
    with os.fdopen(handle, "w") as f:
        json.dump({"version": 1, "hints": rows}, f)
    honour = ",".join(honoured)
    lower = f"flagtree-lower-hints-to-ttir{{lane={lane_name}"
    lower += f" honour={honour}" if honour else ""
    lower += " keep=true}" if keep else "}"
    return HintPlan([f"flagtree-attach-hints{{table={path}}}", lower], path)
