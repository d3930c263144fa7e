"""``flagtree hints FILE.py:kernel --signature ...``: the ops each hint
attached to, found by compiling the kernel and running flagtree's
attachment pass on its TTIR."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TextIO

#: An op line of printed TTIR with its `ft.*` attributes and location.
_FT_ATTR = re.compile(r"\bft\.(?P<name>\w+)")
_OP_NAME = re.compile(r"^\s*(?:%[\w#:]+(?:, %[\w#:]+)* = )?(?P<op>\"?[a-z_]+\.[a-z_.]+)")
_LOC_USE = re.compile(r"loc\((?P<ref>#loc\d*)\)\s*$")
_LOC_DEF = re.compile(r"^(?P<ref>#loc\d*) = loc\((?P<body>.*)\)$")
_FILE_LINE = re.compile(r'"(?P<file>[^"]+)":(?P<line>\d+):(?P<col>\d+)')


@dataclass(frozen=True)
class AttachedOp:
    hint: str
    op: str
    where: str


def _locations(ttir: str) -> dict[str, str]:
    """`#locN` -> the first file:line:col that its definition names,
    following alias references."""
    bodies = {m["ref"]: m["body"] for line in ttir.splitlines() if (m := _LOC_DEF.match(line))}

    def resolve(ref: str, depth: int = 0) -> str:
        body = bodies.get(ref, "")
        found = _FILE_LINE.search(body)
        if found:
            return f"{found['file']}:{found['line']}:{found['col']}"
        inner = re.search(r"#loc\d*", body)
        return resolve(inner.group(0), depth + 1) if inner and depth < 16 else "?"

    return {ref: resolve(ref) for ref in bodies}


def attached_ops(ttir_with_hints: str) -> list[AttachedOp]:
    """The ops of printed TTIR that carry `ft.*` hint attributes."""
    locations = _locations(ttir_with_hints)
    found = []
    for line in ttir_with_hints.splitlines():
        names = _FT_ATTR.findall(line)
        if not names:
            continue
        op = _OP_NAME.match(line)
        if op is None and line.lstrip().startswith("}"):
            op_name = "loop"  # the attributes of a loop print after its body
        else:
            op_name = op["op"].strip('"') if op else "?"
        loc = _LOC_USE.search(line)
        where = locations.get(loc["ref"], "?") if loc else "?"
        for name in names:
            found.append(AttachedOp(name, op_name, where))
    return found


def print_attached(ops: list[AttachedOp], out: TextIO) -> None:
    print(f"\nattached in the compiled kernel ({len(ops)}):", file=out)
    for item in ops:
        print(f"  {item.hint:<16} -> {item.op:<20} {item.where}", file=out)


def attach(request) -> list[AttachedOp]:
    """Compiles ``request`` (an offline_compile.CompileRequest) and returns
    the ops its hints attach to in its TTIR."""
    from flagtree import core
    from flagtree.offline_compile import compile_request

    from . import middle_end

    compiled = compile_request(request)
    ttir = compiled.asm["ttir"]
    plan = middle_end.plan_for(ttir, "any", ())
    try:
        if not plan.pipeline:
            return []
        printed = core.run_pipeline(ttir, f"builtin.module({plan.pipeline[0]})")
    finally:
        plan.cleanup()
    return attached_ops(printed)
