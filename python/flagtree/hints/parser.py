"""Reads ``# @hint: item[, item...]`` comments out of Python source.

``item = name[=value]``; a value is an integer, an identifier or a quoted
string; spaces are allowed anywhere; a ``#`` after the items starts an
ordinary comment again. Comments are found with :mod:`tokenize` (a ``#``
inside a string is not a comment) and each hint is given the statement on
its line, found with :mod:`ast` (see :mod:`flagtree.hints.statements`).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass

from .statements import Statement, StatementIndex

#: A comment (or a ``#`` segment of one) that starts a hint list.
_MARKER = re.compile(r"(?:^|\s)#\s*@\s*hint\b")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INT = re.compile(r"[+-]?[0-9]+")

HintValue = int | str | None


class HintSyntaxError(ValueError):
    """A malformed hint comment; ``str()`` is ``file:line:col: message``."""

    def __init__(self, file: str, line: int, col: int, message: str) -> None:
        super().__init__(f"{file}:{line}:{col}: {message}")
        self.file = file
        self.line = line
        self.col = col
        self.message = message


class SourceError(ValueError):
    """Source that is not valid Python, so its hints cannot be placed."""


@dataclass(frozen=True)
class HintItem:
    """One ``name[=value]`` of a hint comment, as written."""

    name: str
    #: ``None`` for a bare name, an ``int``, or the identifier / string text.
    value: HintValue
    #: ``flag`` (no value), ``int``, ``identifier`` or ``string``.
    value_form: str
    #: 0-based offset of the name inside the comment text.
    offset: int

    @property
    def text(self) -> str:
        """The item as it would be written: ``name``, ``name=3``, ``name="s"``."""
        if self.value_form == "flag":
            return self.name
        if self.value_form == "string":
            return f"{self.name}={_quote(str(self.value))}"
        return f"{self.name}={self.value}"


@dataclass(frozen=True)
class Hint:
    """One hint, placed in its file."""

    name: str
    value: HintValue
    value_form: str
    file: str
    #: Line of the hint comment, 1-based.
    line: int
    #: Column of the hint's name, 1-based.
    col: int
    #: The statement the hint belongs to; None when its line holds none.
    statement: Statement | None

    @property
    def text(self) -> str:
        return HintItem(self.name, self.value, self.value_form, 0).text

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class ParsedSource:
    """The hints of one piece of source, and the malformed hint comments."""

    hints: tuple[Hint, ...]
    errors: tuple[HintSyntaxError, ...]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _ItemScanner:
    """Scans the text after ``@hint:``; raises ``(offset, message)``."""

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.pos = start

    def _skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def _at_end(self) -> bool:
        self._skip_spaces()
        return self.pos >= len(self.text) or self.text[self.pos] == "#"

    def _fail(self, message: str) -> _ScanError:
        return _ScanError(self.pos, message)

    def items(self) -> list[HintItem]:
        if self._at_end():
            raise self._fail("empty hint: expected a hint name after '@hint:'")
        items = [self._item()]
        while not self._at_end():
            if self.text[self.pos] != ",":
                raise self._fail(
                    f"unexpected {self.text[self.pos]!r}: separate hints with ',' "
                    "and start a plain comment with '#'"
                )
            self.pos += 1
            if self._at_end():
                raise self._fail("expected a hint name after ','")
            items.append(self._item())
        return items

    def _item(self) -> HintItem:
        self._skip_spaces()
        offset = self.pos
        match = _NAME.match(self.text, self.pos)
        if not match:
            raise self._fail(f"expected a hint name, found {self.text[self.pos]!r}")
        name = match.group()
        self.pos = match.end()
        self._skip_spaces()
        if self.pos >= len(self.text) or self.text[self.pos] != "=":
            return HintItem(name, None, "flag", offset)
        self.pos += 1
        self._skip_spaces()
        value, form = self._value(name)
        return HintItem(name, value, form, offset)

    def _value(self, name: str) -> tuple[HintValue, str]:
        if self.pos >= len(self.text) or self.text[self.pos] in ",#":
            raise self._fail(f"expected a value after '{name}='")
        char = self.text[self.pos]
        if char in "'\"":
            return self._string(char), "string"
        match = _INT.match(self.text, self.pos)
        if match and not _NAME.match(self.text, match.end()):
            self.pos = match.end()
            return int(match.group()), "int"
        match = _NAME.match(self.text, self.pos)
        if match:
            self.pos = match.end()
            return match.group(), "identifier"
        raise self._fail(
            f"bad value for '{name}': expected an integer, an identifier or a quoted string"
        )

    def _string(self, quote: str) -> str:
        start = self.pos
        self.pos += 1
        chars = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                chars.append(self.text[self.pos + 1])
                self.pos += 2
                continue
            self.pos += 1
            if char == quote:
                return "".join(chars)
            chars.append(char)
        self.pos = start
        raise self._fail(f"unterminated string: add the closing {quote}")


class _ScanError(Exception):
    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


def _parse_comment(comment: str) -> list[HintItem] | None:
    """The hint items of one comment token (``# @hint: a, b=2``); None when
    the comment is not a hint. Raises :class:`_ScanError` when malformed."""
    marker = _MARKER.search(comment)
    if marker is None:
        return None
    scanner = _ItemScanner(comment, marker.end())
    scanner._skip_spaces()
    if scanner.pos >= len(comment) or comment[scanner.pos] != ":":
        raise scanner._fail("expected ':' after '@hint', as in '# @hint: num_stages=3'")
    scanner.pos += 1
    return scanner.items()


def parse_source(
    source: str, file: str, *, first_line: int = 1, col_offset: int = 0
) -> ParsedSource:
    """Every hint in ``source``, placed in ``file``.

    ``first_line`` is the file line of the source's first line and
    ``col_offset`` the indentation removed from each of its lines (Triton
    keeps a kernel's source dedented and starting at its ``def``). Malformed
    hint comments are collected in ``errors``; source that is not valid
    Python raises :class:`SourceError`.
    """
    try:
        tree = ast.parse(source)
        comments = [
            tok
            for tok in tokenize.generate_tokens(io.StringIO(source).readline)
            if tok.type == tokenize.COMMENT
        ]
    except (SyntaxError, tokenize.TokenError) as exc:
        line = (getattr(exc, "lineno", None) or 1) + first_line - 1
        message = getattr(exc, "msg", None) or str(exc)
        raise SourceError(f"{file}:{line}: not valid Python: {message}") from exc
    index = StatementIndex(tree, source.splitlines(), line_offset=first_line - 1)
    hints: list[Hint] = []
    errors: list[HintSyntaxError] = []
    for tok in comments:
        line = tok.start[0] + first_line - 1
        col = tok.start[1] + col_offset + 1
        try:
            items = _parse_comment(tok.string)
        except _ScanError as exc:
            errors.append(HintSyntaxError(file, line, col + exc.offset, exc.message))
            continue
        if items is None:
            continue
        statement = index.at(line)
        hints.extend(
            Hint(item.name, item.value, item.value_form, file, line, col + item.offset, statement)
            for item in items
        )
    return ParsedSource(tuple(hints), tuple(errors))


def parse_hints(source: str, file: str, *, first_line: int = 1, col_offset: int = 0) -> list[Hint]:
    """Like :func:`parse_source`, but the first malformed hint comment
    raises its :class:`HintSyntaxError`."""
    parsed = parse_source(source, file, first_line=first_line, col_offset=col_offset)
    if parsed.errors:
        raise parsed.errors[0]
    return list(parsed.hints)
