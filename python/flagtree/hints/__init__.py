"""Hints: hardware advice written as ``# @hint: ...`` comments.

A kernel with hints still runs unchanged on plain Triton. flagtree reads the
comments (:mod:`.parser`), checks them against the registry
(:mod:`.registry`, :mod:`.validate`) and hands the middle-end a table keyed
by source location (:mod:`.table`). The user reference is docs/hints.md.
"""

from .parser import Hint, HintSyntaxError, ParsedSource, SourceError, parse_hints, parse_source
from .registry import (
    CORE_HINTS,
    OP_KINDS,
    HintSpec,
    HintSpecError,
    ValueKind,
    all_hints,
    hint_spec,
    reload_registry,
)
from .statements import Statement
from .table import (
    TABLE_VERSION,
    FunctionSource,
    HintTable,
    function_source,
    jit_functions_reached,
    table_for,
    table_for_file,
)
from .validate import HintProblem, validate_hints

__all__ = [
    "CORE_HINTS",
    "OP_KINDS",
    "TABLE_VERSION",
    "FunctionSource",
    "Hint",
    "HintProblem",
    "HintSpec",
    "HintSpecError",
    "HintSyntaxError",
    "HintTable",
    "ParsedSource",
    "SourceError",
    "Statement",
    "ValueKind",
    "all_hints",
    "function_source",
    "hint_spec",
    "jit_functions_reached",
    "parse_hints",
    "parse_source",
    "reload_registry",
    "table_for",
    "table_for_file",
    "validate_hints",
]
