"""Checks hints against the registry, from the source alone.

Finds what can be told before compiling: an unknown name, a bad value, a
hint whose statement creates no op of a kind it applies to, and hints that
repeat or contradict each other on one statement. The middle-end checks the
same against the ops themselves once the kernel is compiled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .parser import Hint, HintSyntaxError
from .registry import HintSpec, ValueKind, all_hints, closest_hint
from .statements import OP_KIND_WORDS

_PLURAL = {"load": "loads", "store": "stores", "dot": "dots", "loop": "loops", "atomic": "atomics"}


@dataclass(frozen=True)
class HintProblem:
    """Something wrong with a hint; ``str()`` is ``file:line:col: severity: message``."""

    file: str
    line: int
    col: int
    #: ``error`` or ``warning``.
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.severity}: {self.message}"


def _error(hint: Hint, message: str) -> HintProblem:
    return HintProblem(hint.file, hint.line, hint.col, "error", message)


def syntax_problems(errors: Iterable[HintSyntaxError]) -> list[HintProblem]:
    """Malformed hint comments, as problems."""
    return [
        HintProblem(e.file, e.line, e.col, "error", f"malformed hint: {e.message}") for e in errors
    ]


def _kinds_words(kinds: Iterable[str]) -> str:
    return " and ".join(_PLURAL[k] for k in kinds)


def _value_problem(hint: Hint, spec: HintSpec) -> str | None:
    name, rule = spec.name, spec.value_rule()
    if spec.kind is ValueKind.FLAG:
        if hint.value_form != "flag":
            return f"'{name}' takes no value: write just '{name}'"
        return None
    if hint.value_form == "flag":
        return f"'{name}' needs a value: write {spec.value_syntax()} ({rule})"
    if spec.kind is ValueKind.INT:
        if hint.value_form != "int":
            return f"'{hint.text}': the value must be {rule}"
        assert isinstance(hint.value, int)
        low, high = spec.minimum, spec.maximum
        assert low is not None and high is not None
        if not low <= hint.value <= high:
            return f"'{hint.text}' is out of range: use {rule}"
        if spec.power_of_two and hint.value & (hint.value - 1):
            return f"'{hint.text}': the value must be {rule}"
        return None
    if spec.kind is ValueKind.CHOICE:
        if hint.value_form == "int" or hint.value not in spec.choices:
            return f"'{hint.text}' is not valid: use {rule}"
        return None
    if hint.value_form == "int":
        return f"'{hint.text}': the value must be {rule}"
    return None


def _placement_problem(hint: Hint, spec: HintSpec) -> str | None:
    statement = hint.statement
    if statement is None:
        return (
            f"'{hint.name}' is on a line with no statement: a hint applies to the statement "
            "on its own line, so put it at the end of that statement's line"
        )
    fitting = [k for k in spec.op_kinds if k in statement.op_kinds]
    if not fitting:
        missing = " nor ".join(OP_KIND_WORDS[k] for k in spec.op_kinds)
        where = "a loop's header line" if spec.op_kinds == ("loop",) else "that op's line"
        return (
            f"'{hint.name}' applies to {_kinds_words(spec.op_kinds)}, but the statement on "
            f"{statement.describe_lines()} holds no {missing}; put it on {where}"
        )
    if spec.kind is ValueKind.CHOICE and spec.choices_by_op:
        if not any(hint.value in spec.choices_for(k) for k in fitting):
            valid = "; ".join(
                f"{_PLURAL[k]} take {', '.join(spec.choices_for(k))}" for k in fitting
            )
            return (
                f"'{hint.text}' does not apply to the {_kinds_words(fitting)} on "
                f"{statement.describe_lines()}: {valid}"
            )
    return None


def _grouping_problems(hints: Sequence[Hint]) -> list[HintProblem]:
    """Hints given twice, or contradicting each other, on one statement."""
    problems = []
    seen: dict[tuple[str, tuple[int, int], str], Hint] = {}
    for hint in hints:
        spec = all_hints().get(hint.name)
        if hint.statement is None or spec is None:
            continue
        key = (hint.file, hint.statement.lines)
        lines = hint.statement.describe_lines()
        earlier = seen.get((*key, hint.name))
        if earlier is not None:
            problems.append(
                _error(
                    hint,
                    f"'{hint.name}' is given twice for the statement on {lines} "
                    f"(first at line {earlier.line}); keep one",
                )
            )
        for other in spec.excludes:
            if (*key, other) in seen:
                problems.append(
                    _error(hint, f"'{hint.name}' contradicts '{other}' on {lines}; keep one")
                )
        seen.setdefault((*key, hint.name), hint)
    return problems


def validate_hints(hints: Sequence[Hint]) -> list[HintProblem]:
    """Every problem the source shows in ``hints``, in source order."""
    problems = []
    for hint in hints:
        spec = all_hints().get(hint.name)
        if spec is None:
            suggestion = closest_hint(hint.name)
            if suggestion:
                advice = f"did you mean '{suggestion}'?"
            else:
                advice = "known hints: " + ", ".join(sorted(all_hints()))
            problems.append(_error(hint, f"unknown hint '{hint.name}'; {advice}"))
            continue
        message = _value_problem(hint, spec) or _placement_problem(hint, spec)
        if message:
            problems.append(_error(hint, message))
    problems.extend(_grouping_problems(hints))
    return sorted(problems, key=lambda p: (p.file, p.line, p.col))
