"""The statements of a piece of Python source, and which ops each creates.

A hint belongs to the statement on its line: all the lines of a simple
statement, but only the header of a compound one (``for``/``while``/``if``/
``with``/``def``), so that a loop hint never reaches the loop body. The op
kinds a statement holds are read from its syntax alone (``tl.load(...)``
calls, ``for`` headers, ...): enough to tell a user that a hint sits on the
wrong line before anything is compiled.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

#: Called names (``tl.<name>`` or a descriptor's ``.<name>``) that create an
#: op of each kind.
_CALLS_BY_KIND: dict[str, frozenset[str]] = {
    "load": frozenset({"load", "load_tensor_descriptor", "_experimental_descriptor_load"}),
    "store": frozenset({"store", "store_tensor_descriptor", "_experimental_descriptor_store"}),
    "dot": frozenset({"dot", "dot_scaled"}),
    "atomic": frozenset(),  # every ``atomic_*`` call, see _call_kind
}

_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_COMPOUND = (
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.If,
    ast.With,
    ast.AsyncWith,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Try,
    ast.Match,
)
#: Fields of compound statements that hold statements, not the header.
_BODY_FIELDS = frozenset({"body", "orelse", "finalbody", "handlers", "cases", "decorator_list"})

#: How each op kind is described to a user ("... holds no <this>").
OP_KIND_WORDS: dict[str, str] = {
    "load": "tl.load or descriptor .load() call",
    "store": "tl.store or descriptor .store() call",
    "dot": "tl.dot call",
    "loop": "for/while loop header",
    "atomic": "tl.atomic_* call",
}


@dataclass(frozen=True)
class Statement:
    """One statement (or a compound statement's header) of the source."""

    #: First and last line it spans, in file line numbers, inclusive.
    first_line: int
    last_line: int
    #: Op kinds its syntax creates (``load``, ``store``, ``dot``, ``loop``, ``atomic``).
    op_kinds: frozenset[str]
    #: Its source text, lines joined with newlines, common indentation removed.
    text: str

    @property
    def lines(self) -> tuple[int, int]:
        return (self.first_line, self.last_line)

    def describe_lines(self) -> str:
        """``line 5`` or ``lines 5-7``."""
        if self.first_line == self.last_line:
            return f"line {self.first_line}"
        return f"lines {self.first_line}-{self.last_line}"


def _call_kind(call: ast.Call) -> str | None:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name is None:
        return None
    if name.startswith("atomic_"):
        return "atomic"
    return next((kind for kind, names in _CALLS_BY_KIND.items() if name in names), None)


def _header_nodes(stmt: ast.stmt) -> Iterator[ast.AST]:
    """The parts of a compound statement that belong to its header."""
    for field, value in ast.iter_fields(stmt):
        if field in _BODY_FIELDS:
            continue
        for node in value if isinstance(value, list) else [value]:
            if isinstance(node, ast.AST):
                yield node


def _span_and_nodes(stmt: ast.stmt) -> tuple[int, int, list[ast.AST]]:
    if not isinstance(stmt, _COMPOUND):
        return stmt.lineno, stmt.end_lineno or stmt.lineno, [stmt]
    nodes = list(_header_nodes(stmt))
    last = stmt.lineno
    for node in nodes:
        for inner in ast.walk(node):
            last = max(last, getattr(inner, "end_lineno", None) or last)
    return stmt.lineno, last, nodes


def _op_kinds(stmt: ast.stmt, nodes: list[ast.AST]) -> frozenset[str]:
    kinds = {"loop"} if isinstance(stmt, _LOOPS) else set()
    for node in nodes:
        for inner in ast.walk(node):
            if isinstance(inner, ast.Call) and (kind := _call_kind(inner)):
                kinds.add(kind)
    return frozenset(kinds)


class StatementIndex:
    """Finds the statement(s) on each line of one parsed source.

    ``line_offset`` is added to the tree's line numbers to get file line
    numbers (a kernel's source as Triton keeps it starts at its ``def``).
    """

    def __init__(self, tree: ast.AST, source_lines: list[str], line_offset: int = 0) -> None:
        self._lines = source_lines
        self._offset = line_offset
        self._spans: list[tuple[int, int, frozenset[str]]] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.stmt):
                first, last, nodes = _span_and_nodes(node)
                self._spans.append((first, last, _op_kinds(node, nodes)))

    def at(self, file_line: int) -> Statement | None:
        """The statement that a hint on ``file_line`` belongs to: every
        statement (or header) covering that line, merged; None when the line
        holds no statement (a blank or comment-only line, ``else:``...)."""
        line = file_line - self._offset
        covering = [(f, la, k) for f, la, k in self._spans if f <= line <= la]
        if not covering:
            return None
        first = min(f for f, _, _ in covering)
        last = max(la for _, la, _ in covering)
        kinds = frozenset().union(*(k for _, _, k in covering))
        return Statement(first + self._offset, last + self._offset, kinds, self._text(first, last))

    def _text(self, first: int, last: int) -> str:
        chunk = [text.rstrip() for text in self._lines[first - 1 : last]]
        indent = min((len(t) - len(t.lstrip()) for t in chunk if t.strip()), default=0)
        return "\n".join(t[indent:] for t in chunk)
