"""``flagtree hints FILE.py[:kernel]``: lists hints and what is wrong with them.

With a kernel name, the file is imported and the kernel's table is shown,
helpers included; without one, every hint of the file is read without
importing it.
"""

from __future__ import annotations

import sys
from typing import TextIO

from .parser import Hint, SourceError
from .registry import all_hints, lane_status
from .table import HintTable, table_for, table_for_file


class HintsRequestError(ValueError):
    """A ``flagtree hints`` argument that cannot be served; the message says why."""


def _split_target(target: str) -> tuple[str, str | None]:
    if target.endswith(".py"):
        return target, None
    path, sep, kernel = target.rpartition(":")
    if sep and path.endswith(".py") and kernel.isidentifier():
        return path, kernel
    raise HintsRequestError(f"'{target}': expected FILE.py or FILE.py:kernel_name")


def load_table(target: str) -> HintTable:
    """The table ``flagtree hints`` shows for ``FILE.py[:kernel]``."""
    path, kernel = _split_target(target)
    try:
        if kernel is None:
            return table_for_file(path)
        from flagtree.offline_compile import CompileRequestError, load_kernel

        try:
            return table_for(load_kernel(f"{path}:{kernel}"))
        except CompileRequestError as exc:
            raise HintsRequestError(str(exc)) from exc
    except OSError as exc:
        raise HintsRequestError(f"{path}: cannot read: {exc.strerror}") from exc
    except SourceError as exc:
        raise HintsRequestError(str(exc)) from exc


def _describe(hint: Hint) -> str:
    spec = all_hints().get(hint.name)
    if spec is None:
        return "unknown hint"
    status = lane_status(spec)
    text = f"applies to {', '.join(spec.op_kinds)}"
    for state in ("honoured", "planned", "ignored"):
        lanes = [lane for lane, s in status.items() if s == state]
        if lanes:
            label = {"honoured": "honoured by", "planned": "planned for", "ignored": "ignored by"}
            text += f"; {label[state]} {', '.join(lanes)}"
    return text


def _header(table: HintTable) -> str:
    count = f"{len(table.hints)} hint{'s' if len(table.hints) != 1 else ''}"
    if not table.functions:
        return f"{table.subject}: {count}"
    helpers = ", ".join(f.name for f in table.functions[1:])
    more = f"; helpers: {helpers}" if helpers else ""
    return f"{table.subject} ({table.functions[0].file}{more}): {count}"


def print_table(table: HintTable, out: TextIO) -> None:
    """Each hint with its place, statement and lanes; then the problems."""
    print(_header(table), file=out)
    for hint in sorted(table.hints, key=lambda h: (h.file, h.line, h.col)):
        print(f"{hint.where}: {hint.text}  ({_describe(hint)})", file=out)
        statement = hint.statement
        if statement is None:
            print("    (no statement on this line)", file=out)
            continue
        for number, text in enumerate(statement.text.splitlines(), statement.first_line):
            print(f"    {number:>5} | {text}", file=out)
    if table.problems:
        print(f"\n{len(table.problems)} problem(s):", file=out)
        for problem in table.problems:
            print(str(problem), file=out)
    errors = len(table.errors)
    warnings = len(table.problems) - errors
    print(f"\n{errors} error(s), {warnings} warning(s)", file=out)


def run(
    target: str, *, as_json: bool = False, out: TextIO = sys.stdout, compile_request=None
) -> int:
    """Runs ``flagtree hints``: 0 when all hints are valid, 1 when some are
    not, 2 when the argument cannot be served. With ``compile_request`` the
    kernel is compiled and the ops each hint attached to are listed too."""
    try:
        table = load_table(target)
    except HintsRequestError as exc:
        print(f"flagtree hints: {exc}", file=sys.stderr)
        return 2
    if compile_request is not None and not as_json:
        from flagtree.offline_compile import CompileRequestError

        from .attached import attach, print_attached

        try:
            ops = attach(compile_request)
        except CompileRequestError as exc:
            print(f"flagtree hints: {exc}", file=sys.stderr)
            return 2
        print_table(table, out)
        print_attached(ops, out)
        return 1 if table.errors else 0
    if as_json:
        out.write(table.to_json())
        for problem in table.problems:
            print(str(problem), file=sys.stderr)
    else:
        print_table(table, out)
    return 1 if table.errors else 0
