"""The hint table a kernel hands to the middle-end.

It holds the hints of the kernel and of every ``@triton.jit`` function it
calls, each keyed by the file and lines that Triton's TTIR locations name
(``loc("/abs/path/file.py":LINE:COL)``). Sources come from what Triton keeps
on the ``JITFunction`` (``src``, dedented and starting at the ``def``), so
kernels made by ``exec`` or in a notebook work too, and the source read is
the source Triton compiles and hashes.
"""

from __future__ import annotations

import ast
import inspect
import json
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .parser import Hint, ParsedSource, parse_source
from .registry import all_hints
from .validate import HintProblem, syntax_problems, validate_hints

#: Version of the JSON format of :meth:`HintTable.to_json`.
TABLE_VERSION = 1


@dataclass(frozen=True)
class FunctionSource:
    """A ``@triton.jit`` function's source, where Triton's locations put it."""

    #: The function's qualified name.
    name: str
    #: ``fn.__code__.co_filename``, the file TTIR locations name (absolute for
    #: a function defined in a file; a pseudo name such as ``<string>`` otherwise).
    file: str
    #: File line of the ``def`` (decorators come before it).
    def_line: int
    #: Indentation Triton removed from every line.
    indent: int
    #: Triton's ``src``: dedented, starting at the ``def``.
    text: str

    def parse(self) -> ParsedSource:
        return parse_source(self.text, self.file, first_line=self.def_line, col_offset=self.indent)


@dataclass(frozen=True)
class HintTable:
    """The hints of a kernel (and its helpers) or of a file, and their problems."""

    #: What the table is for: the kernel's qualified name, or a file path.
    subject: str
    hints: tuple[Hint, ...]
    problems: tuple[HintProblem, ...]
    #: The ``@triton.jit`` functions read, the subject first (empty for a file).
    functions: tuple[FunctionSource, ...] = ()

    @property
    def errors(self) -> tuple[HintProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    def at(self, file: str, line: int) -> list[Hint]:
        """The hints that apply to ops located at ``file:line``."""
        return [
            h
            for h in self.hints
            if h.file == file
            and h.statement is not None
            and h.statement.first_line <= line <= h.statement.last_line
        ]

    def entries(self) -> list[dict[str, Any]]:
        """The hints as plain data, in (file, line, col) order; see :meth:`to_json`."""
        registry = all_hints()
        rows = []
        for hint in sorted(self.hints, key=lambda h: (h.file, h.line, h.col)):
            spec = registry.get(hint.name)
            statement = hint.statement
            lines = list(statement.lines) if statement else [hint.line, hint.line]
            rows.append(
                {
                    "file": hint.file,
                    "line": hint.line,
                    "col": hint.col,
                    "statement_lines": lines,
                    "name": hint.name,
                    "value": hint.value,
                    "op_kinds": list(spec.op_kinds) if spec else [],
                }
            )
        return rows

    def to_json(self) -> str:
        """The table for the middle-end, as stable JSON text::

            {"version": 1, "hints": [{"file": "/abs/k.py", "line": 12, "col": 38,
              "statement_lines": [12, 12], "name": "num_stages", "value": 3,
              "op_kinds": ["loop"]}, ...]}

        ``file`` and ``statement_lines`` (inclusive) select the ops, by their
        location, that the hint belongs to, restricted to ``op_kinds``;
        ``line``/``col`` (1-based) locate the hint comment for diagnostics.
        ``value`` is an integer, a string (identifier or quoted string), or
        null for a hint written without a value. Every well-formed hint is
        listed, valid or not (an unknown name has ``op_kinds: []``), so the
        middle-end can report against the ops what is wrong.
        """
        rows = [json.dumps(row) for row in self.entries()]
        body = "[\n  " + ",\n  ".join(rows) + "\n]" if rows else "[]"
        return f'{{"version": {TABLE_VERSION}, "hints": {body}}}\n'


def _jit_callable_type() -> type:
    from triton.runtime.jit import JITCallable

    return JITCallable


def unwrap_jit(obj: object) -> Any:
    """The ``JITFunction`` under autotuner / heuristics wrappers; TypeError
    when there is none."""
    jit_type = _jit_callable_type()
    while not isinstance(obj, jit_type) and hasattr(obj, "fn"):
        obj = obj.fn
    if not isinstance(obj, jit_type):
        raise TypeError(f"{obj!r} is not a @triton.jit function")
    return obj


def function_source(jit_fn: Any) -> FunctionSource:
    """Where ``jit_fn``'s source lies, as Triton's locations count it."""
    from triton.runtime.jit import get_jit_fn_file_line

    fn = unwrap_jit(jit_fn)
    file, def_line = get_jit_fn_file_line(fn)
    text = fn.src
    raw_def = next(
        (line for line in fn.raw_src if line.strip().startswith("def ")), text.splitlines()[0]
    )
    first = text.splitlines()[0] if text else ""
    indent = max(0, len(raw_def.rstrip("\r\n")) - len(first))
    return FunctionSource(fn.__qualname__, file, def_line, indent, text)


def _resolve(node: ast.expr, scope: dict[str, Any]) -> object:
    """The object a name or a ``module.attr`` chain refers to, or None."""
    if isinstance(node, ast.Name):
        return scope.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, scope)
        if isinstance(base, types.ModuleType):
            return getattr(base, node.attr, None)
    return None


def _callees(fn: Any) -> Iterator[Any]:
    """The ``@triton.jit`` functions ``fn`` refers to by a global or closure
    name, or through a module (``helpers.combine``). Triton's own are left out."""
    jit_type = _jit_callable_type()
    try:
        nonlocals = inspect.getclosurevars(fn.fn).nonlocals
    except (TypeError, ValueError):
        nonlocals = {}
    scope = {**fn.__globals__, **nonlocals}
    for node in ast.walk(ast.parse(fn.src)):
        if not isinstance(node, ast.Name | ast.Attribute):
            continue
        value = _resolve(node, scope)
        if isinstance(value, jit_type) and not value.__module__.startswith("triton."):
            yield value


def jit_functions_reached(jit_fn: Any) -> list[Any]:
    """``jit_fn`` and every ``@triton.jit`` function it calls, directly or
    through other helpers, each once, in the order first reached."""
    order: list[Any] = []
    seen: set[int] = set()
    pending = [unwrap_jit(jit_fn)]
    while pending:
        fn = pending.pop(0)
        if id(fn) in seen:
            continue
        seen.add(id(fn))
        order.append(fn)
        pending.extend(_callees(fn))
    return order


def _table(subject: str, parsed: list[ParsedSource], functions=()) -> HintTable:
    hints = [hint for p in parsed for hint in p.hints]
    problems = syntax_problems(error for p in parsed for error in p.errors)
    problems += validate_hints(hints)
    problems.sort(key=lambda p: (p.file, p.line, p.col))
    return HintTable(subject, tuple(hints), tuple(problems), tuple(functions))


def table_for(jit_fn: Any) -> HintTable:
    """The hint table of a ``@triton.jit`` kernel and the helpers it calls.

    Malformed hints and the problems validation finds are in ``problems``;
    source that is not valid Python raises :class:`SourceError`.
    """
    kernel = unwrap_jit(jit_fn)
    sources = [function_source(fn) for fn in jit_functions_reached(kernel)]
    return _table(sources[0].name, [s.parse() for s in sources], sources)


def table_for_file(path: str | Path) -> HintTable:
    """The hint table of every hint in a Python file, read without importing
    it; ``file`` is the file's absolute path. OSError if it cannot be read."""
    file = str(Path(path).resolve())
    text = Path(file).read_text()
    return _table(file, [parse_source(text, file)])
