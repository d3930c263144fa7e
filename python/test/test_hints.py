"""The hint language: parser, registry, validation, the middle-end's table,
cache invalidation and `flagtree hints`."""

from __future__ import annotations

import importlib.util
import json
import linecache
import re
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
import triton
import triton.language as tl
from triton.backends.compiler import GPUTarget

import flagtree.lanes
from flagtree.hints import (
    CORE_HINTS,
    HintSpec,
    HintSpecError,
    HintSyntaxError,
    SourceError,
    ValueKind,
    all_hints,
    hint_spec,
    parse_hints,
    parse_source,
    reload_registry,
    table_for,
    table_for_file,
    validate_hints,
)
from flagtree.hints.docs import render

ROOT = Path(__file__).resolve().parents[2]
CUDA90 = GPUTarget("cuda", 90, 32)


def _one(source: str, file: str = "k.py"):
    """The single hint of ``source``."""
    hints = parse_hints(textwrap.dedent(source), file)
    assert len(hints) == 1, hints
    return hints[0]


def _messages(source: str) -> list[str]:
    parsed = parse_source(textwrap.dedent(source), "k.py")
    assert not parsed.errors, parsed.errors
    return [str(p) for p in validate_hints(parsed.hints)]


def _import(path: Path):
    """Imports ``path`` as a fresh module (a new name every time)."""
    name = f"_hint_test_{path.stem}_{uuid.uuid4().hex[:8]}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _flagtree(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flagtree.cli", *args], capture_output=True, text=True
    )


# --- parser -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comment", "name", "value", "form"),
    [
        ("# @hint: shared_memory", "shared_memory", None, "flag"),
        ("# @hint: num_stages=4", "num_stages", 4, "int"),
        ("# @hint: offset=-3", "offset", -3, "int"),
        ("# @hint: cache=cg", "cache", "cg", "identifier"),
        ('# @hint: label="a, b # c"', "label", "a, b # c", "string"),
        ("# @hint: label='it\\'s'", "label", "it's", "string"),
        ("#@hint:unroll=2", "unroll", 2, "int"),
        ("#   @ hint :   unroll   =   2   ", "unroll", 2, "int"),
        ("# @hint: evict_first  # streamed once, @hint: no", "evict_first", None, "flag"),
        ("# type: ignore  # @hint: dma", "dma", None, "flag"),
    ],
)
def test_every_syntax_form_parses(comment, name, value, form) -> None:
    hint = _one(f"x = tl.load(p)  {comment}\n")
    assert (hint.name, hint.value, hint.value_form) == (name, value, form)


def test_several_hints_on_one_line_keep_their_columns() -> None:
    source = "for k in range(4):  # @hint: num_stages=3 ,unroll = 2\n    pass\n"
    hints = parse_hints(source, "/abs/k.py")
    assert [(h.name, h.value, h.col) for h in hints] == [("num_stages", 3, 30), ("unroll", 2, 44)]
    assert source[29:39] == "num_stages" and source[43:49] == "unroll"
    assert hints[0].where == "/abs/k.py:1:30"


def test_hash_inside_a_string_is_not_a_comment() -> None:
    source = 's = "# @hint: dma"\nt = f"x {1} # @hint: bogus="\nu = """\n# @hint: x=\n"""\n'
    assert parse_source(source, "k.py").hints == ()
    assert parse_source(source, "k.py").errors == ()


def test_plain_comments_are_not_hints() -> None:
    source = "x = 1  # hint: dma\ny = 2  # @hints are described in docs\nz = 3  # email@hint.org\n"
    parsed = parse_source(source, "k.py")
    assert parsed.hints == () and parsed.errors == ()


def test_hint_on_any_line_of_a_multiline_statement_belongs_to_all_of_it() -> None:
    source = textwrap.dedent(
        """\
        a = tl.load(  # @hint: evict_first
            p + offs,
            mask=m,  # @hint: cache=cg
        )
        b = 1
        """
    )
    first, second = parse_hints(source, "k.py")
    assert first.statement.lines == second.statement.lines == (1, 4)
    assert first.statement.op_kinds == {"load"}
    assert second.line == 3
    assert first.statement.text.splitlines()[0] == "a = tl.load(  # @hint: evict_first"


def test_loop_hint_belongs_to_the_header_only() -> None:
    source = textwrap.dedent(
        """\
        for k in range(0,  # @hint: num_stages=3
                       K):
            x = tl.load(p)
            tl.store(q, x)
        """
    )
    hint = _one(source)
    assert hint.statement.lines == (1, 2)
    assert hint.statement.op_kinds == {"loop"}
    body = _one(
        source.replace("x = tl.load(p)", "x = tl.load(p)  # @hint: dma").replace(
            "  # @hint: num_stages=3", ""
        )
    )
    assert body.statement.lines == (3, 3) and body.statement.op_kinds == {"load"}


def test_one_line_loop_holds_header_and_body() -> None:
    hint = _one("while i < n: x = tl.load(p)  # @hint: evict_last\n")
    assert hint.statement.op_kinds == {"loop", "load"}


def test_first_line_and_indent_place_a_dedented_source() -> None:
    hint = _one("def f(p):\n    return tl.load(p)  # @hint: dma\n")
    placed = parse_hints("def f(p):\n    return tl.load(p)  # @hint: dma\n", "k.py",
                         first_line=40, col_offset=8)[0]  # fmt: skip
    assert (hint.line, hint.col) == (2, 33)
    assert (placed.line, placed.col) == (41, 41)
    assert placed.statement.lines == (41, 41)


@pytest.mark.parametrize(
    ("comment", "col", "message"),
    [
        ("# @hint:", 9, "empty hint"),
        ("# @hint:   ", 12, "empty hint"),
        ("# @hint num_stages=3", 9, "expected ':' after '@hint'"),
        ("# @hint: unroll=", 17, "expected a value after 'unroll='"),
        ("# @hint: unroll=, dma", 17, "expected a value after 'unroll='"),
        ("# @hint: dma,", 14, "expected a hint name after ','"),
        ("# @hint: dma shared_memory", 14, "unexpected 's'"),
        ("# @hint: 3=x", 10, "expected a hint name, found '3'"),
        ('# @hint: label="abc', 16, "unterminated string"),
        ("# @hint: unroll=4x", 17, "bad value for 'unroll'"),
        ("# @hint: unroll=(2)", 17, "bad value for 'unroll'"),
    ],
)
def test_malformed_hints_are_errors_with_file_line_col(comment, col, message) -> None:
    source = f"x = 1\ny = tl.load(p)  {comment}\n"
    comment_col = source.splitlines()[1].index("#") + 1
    parsed = parse_source(source, "/src/k.py")
    assert parsed.hints == ()
    (error,) = parsed.errors
    assert (error.line, error.col) == (2, comment_col + col - 1)
    assert str(error).startswith(f"/src/k.py:2:{comment_col + col - 1}: ")
    assert message in str(error)
    with pytest.raises(HintSyntaxError, match=re.escape(f"/src/k.py:2:{comment_col + col - 1}:")):
        parse_hints(source, "/src/k.py")


def test_source_that_is_not_python_is_a_source_error() -> None:
    with pytest.raises(SourceError, match=r"^k\.py:12: not valid Python"):
        parse_source("x = 1\nfor\n", "k.py", first_line=11)


# --- registry -----------------------------------------------------------------------------


def test_core_hints_and_the_lanes_that_honour_them() -> None:
    honoured = {
        lane: sorted(s.name for s in CORE_HINTS if lane in s.lanes)
        for lane in ("nvidia", "amd", "cpu")
    }
    assert honoured == {
        "nvidia": sorted(
            [
                "num_stages",
                "unroll",
                "flatten",
                "warp_specialize",
                "evict_first",
                "evict_last",
                "cache",
                "shared_memory",
            ]
        ),  # fmt: skip
        "amd": sorted(["num_stages", "unroll", "cache", "evict_first", "evict_last"]),
        "cpu": sorted(["shared_memory", "dma", "num_stages", "vectorize", "unroll"]),
    }
    assert hint_spec("shared_memory").op_kinds == ("load",)
    assert hint_spec("num_stages").op_kinds == ("loop",)
    assert set(hint_spec("cache").op_kinds) == {"load", "store"}
    assert hint_spec("cache").choices_for("load") == ("ca", "cg", "cv")
    assert hint_spec("cache").choices_for("store") == ("wb", "cg", "cs", "wt")
    assert all(spec.meaning.endswith(".") for spec in CORE_HINTS)


def test_every_lane_named_by_a_hint_is_installed() -> None:
    installed = {lane.name for lane in flagtree.lanes.all_lanes()}
    assert installed >= {lane for spec in all_hints().values() for lane in spec.lanes}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"op_kinds": ("laod",)}, "op_kinds"),
        ({"kind": ValueKind.INT}, "minimum and maximum"),
        ({"kind": ValueKind.CHOICE}, "needs choices"),
        ({"name": "not-a-name"}, "identifier"),
    ],
)
def test_a_self_contradicting_spec_is_refused(kwargs, message) -> None:
    fields = {"name": "x", "kind": ValueKind.FLAG, "op_kinds": ("load",), "meaning": "m.",
              "lanes": ("cpu",)} | kwargs  # fmt: skip
    with pytest.raises(HintSpecError, match=message):
        HintSpec(**fields)


VENDOR_HINTS = """\
from flagtree.hints import HintSpec, ValueKind

HINTS = [
    HintSpec("mma_layout", ValueKind.STRING, ("dot",), "A made-up layout.", ("testlane",)),
    HintSpec("dma", ValueKind.FLAG, ("load",), "Clashes with a core hint.", ("testlane",)),
]
"""


@pytest.fixture
def vendor_lane(tmp_path, monkeypatch):
    """A lane package with a hints.py, visible as flagtree.lanes.testlane."""
    package = tmp_path / "lanes" / "testlane"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "hints.py").write_text(VENDOR_HINTS)
    monkeypatch.setattr(flagtree.lanes, "__path__", [*flagtree.lanes.__path__, str(package.parent)])
    reload_registry()
    yield package
    monkeypatch.undo()
    for name in [m for m in sys.modules if m.startswith("flagtree.lanes.testlane")]:
        del sys.modules[name]
    reload_registry()


def test_a_lane_folder_registers_its_own_hints(vendor_lane) -> None:
    with pytest.warns(UserWarning, match="lane hint 'dma' is already defined"):
        registry = all_hints()
    assert registry["mma_layout"].lanes == ("testlane",)
    assert registry["dma"].lanes == ("cpu",)  # the core's stays
    source = 'acc = tl.dot(a, b)  # @hint: mma_layout="wgmma"\nx = 1  # @hint: mma_layout=v2\n'
    assert _messages(source) == [
        "k.py:2:17: error: 'mma_layout' applies to dots, but the statement on line 2 holds "
        "no tl.dot call; put it on that op's line"
    ]
    assert "| [`mma_layout`](#mma_layout) | an identifier or a quoted string | dot |" in render()
    assert "| cpu (planned) | nvidia (planned) | testlane (planned) |" in render()


def test_a_broken_lane_hints_module_is_reported_not_fatal(vendor_lane) -> None:
    (vendor_lane / "hints.py").write_text("raise RuntimeError('boom')\n")
    with pytest.warns(UserWarning, match="flagtree.lanes.testlane.hints failed to load: boom"):
        registry = all_hints()
    assert set(registry) == {spec.name for spec in CORE_HINTS}


# --- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("for i in range(n):  # @hint: num_stage=3",
         "k.py:1:30: error: unknown hint 'num_stage'; did you mean 'num_stages'?"),
        ("x = tl.load(p)  # @hint: zzz",
         "k.py:1:26: error: unknown hint 'zzz'; known hints: cache, dma, evict_first"),
        ("for i in range(n):  # @hint: flatten=1",
         "k.py:1:30: error: 'flatten' takes no value: write just 'flatten'"),
        ("for i in range(n):  # @hint: unroll",
         "k.py:1:30: error: 'unroll' needs a value: write unroll=N (an integer in 1..64)"),
        ("for i in range(n):  # @hint: unroll=two",
         "k.py:1:30: error: 'unroll=two': the value must be an integer in 1..64"),
        ("for i in range(n):  # @hint: num_stages=0",
         "k.py:1:30: error: 'num_stages=0' is out of range: use an integer in 1..8"),
        ("x = tl.load(p)  # @hint: vectorize=6",
         "k.py:1:26: error: 'vectorize=6': the value must be a power of two in 1..64"),
        ("x = tl.load(p)  # @hint: cache=lu",
         "k.py:1:26: error: 'cache=lu' is not valid: use loads: ca, cg, cv; stores: wb, cg, cs,"),
        ("x = tl.load(p)  # @hint: cache=wb",
         "k.py:1:26: error: 'cache=wb' does not apply to the loads on line 1: loads take ca, cg,"),
        ("x = tl.load(p)  # @hint: num_stages=2",
         "k.py:1:26: error: 'num_stages' applies to loops, but the statement on line 1 holds no "
         "for/while loop header; put it on a loop's header line"),
        ("x = p + 1  # @hint: shared_memory",
         "k.py:1:21: error: 'shared_memory' applies to loads, but the statement on line 1 holds "
         "no tl.load or descriptor .load() call; put it on that op's line"),
        ("x = tl.load(p)  # @hint: evict_first, evict_last",
         "k.py:1:39: error: 'evict_last' contradicts 'evict_first' on line 1; keep one"),
        ("x = tl.load(p)  # @hint: cache=cg, evict_first",
         "k.py:1:36: error: 'evict_first' contradicts 'cache' on line 1; keep one"),
        ("for i in range(n):  # @hint: unroll=2, unroll=4",
         "k.py:1:40: error: 'unroll' is given twice for the statement on line 1 "
         "(first at line 1); keep one"),
    ],
)  # fmt: skip
def test_validation_says_what_is_wrong_and_what_is_right(line, message) -> None:
    problems = _messages(line + "\n    pass\n" if line.startswith("for") else line + "\n")
    assert len(problems) == 1, problems
    assert problems[0].startswith(message)


def test_valid_hints_give_no_problems() -> None:
    source = """\
    for k in range(0, K, B):  # @hint: num_stages=3, unroll=2, warp_specialize
        a = tl.load(pa)  # @hint: shared_memory, dma, cache=cg, vectorize=4
        b = desc.load([0, k])  # @hint: evict_last
        tl.store(pc, tl.load(pb))  # @hint: cache=wb
    while i < n:  # @hint: flatten
        i += 1
    """
    assert _messages(source) == []


def test_a_hint_on_a_comment_only_line_is_an_error() -> None:
    (problem,) = _messages("x = 1\n# @hint: dma\ny = tl.load(p)\n")
    assert problem.startswith("k.py:2:10: error: 'dma' is on a line with no statement")


# --- the table ----------------------------------------------------------------------------


@triton.jit
def _nested_helper(p, offs):
    return tl.load(p + offs)  # @hint: evict_first


@triton.jit
def _helper(p, offs):
    return _nested_helper(p, offs) * 2  # @hint: bogus_hint


@triton.jit
def _kernel(a_ptr, c_ptr, K, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    acc = tl.zeros((BLOCK,), dtype=tl.float32)
    for k in range(0, K, BLOCK):  # @hint: num_stages=3
        a = tl.load(  # @hint: shared_memory
            a_ptr + k + offs
        )
        acc += a + _helper(a_ptr, offs)
    tl.store(c_ptr + offs, tl.sigmoid(acc))  # @hint: cache=wb


def _line_of(fn, marker: str) -> int:
    lines, first = __import__("inspect").getsourcelines(fn.fn)
    return first + next(i for i, text in enumerate(lines) if marker in text)


def test_table_collects_kernel_and_nested_helpers() -> None:
    table = table_for(_kernel)
    assert [f.name for f in table.functions] == [
        "_kernel",
        "_helper",
        "_nested_helper",
    ]
    names = sorted(h.name for h in table.hints)
    assert names == ["bogus_hint", "cache", "evict_first", "num_stages", "shared_memory"]
    assert [p.message for p in table.errors] == [
        "unknown hint 'bogus_hint'; known hints: cache, dma, evict_first, evict_last, flatten, "
        "num_stages, shared_memory, unroll, vectorize, warp_specialize"
    ]
    load_line = _line_of(_kernel, "# @hint: shared_memory")
    assert [h.name for h in table.at(__file__, load_line + 1)] == ["shared_memory"]
    assert table.at(__file__, load_line + 3) == []


def test_table_json_is_stable_and_complete() -> None:
    text = table_for(_kernel).to_json()
    assert text == table_for(_kernel).to_json()
    data = json.loads(text)
    assert data["version"] == 1
    loop_line = _line_of(_kernel, "# @hint: num_stages=3")
    loop = next(e for e in data["hints"] if e["name"] == "num_stages")
    assert loop == {
        "file": __file__,
        "line": loop_line,
        "col": 44,
        "statement_lines": [loop_line, loop_line],
        "name": "num_stages",
        "value": 3,
        "op_kinds": ["loop"],
    }
    load = next(e for e in data["hints"] if e["name"] == "shared_memory")
    assert load["statement_lines"] == [loop_line + 1, loop_line + 3] and load["value"] is None
    assert next(e for e in data["hints"] if e["name"] == "bogus_hint")["op_kinds"] == []
    keys = [(e["file"], e["line"], e["col"]) for e in data["hints"]]
    assert keys == sorted(keys)


def _ttir_locations(ttir: str) -> dict[str, list[tuple[str, int]]]:
    """For tt.load / tt.store / scf.for: the (file, line) of each op,
    callee side of call sites, names stripped."""
    aliases = dict(re.findall(r"^(#loc\d*) = (.*)$", ttir, re.MULTILINE))

    def resolve(text: str) -> tuple[str, int]:
        while True:
            text = text.strip()
            if text.startswith("#loc"):
                text = aliases[text]
            elif m := re.fullmatch(r'loc\("([^"]+)":(\d+):\d+\)', text):
                return m[1], int(m[2])
            elif m := re.fullmatch(r"loc\(callsite\((#loc\d*) at #loc\d*\)\)", text):
                text = m[1]
            elif m := re.fullmatch(r'loc\("[^"]*"\((#loc\d*)\)\)', text):
                text = m[1]
            else:
                raise AssertionError(f"unexpected location {text}")

    found: dict[str, list[tuple[str, int]]] = {}
    lines = ttir.splitlines()
    for i, line in enumerate(lines):
        op = next((o for o in ("tt.load", "tt.store", "scf.for") if f" {o} " in line), None)
        if op is None:
            continue
        if op == "scf.for":
            indent = len(line) - len(line.lstrip())
            line = next(t for t in lines[i + 1 :] if t.startswith(" " * indent + "} loc("))
        found.setdefault(op, []).append(resolve(re.search(r"loc\((#loc\d*)\)\s*$", line)[1]))
    return found


def _compile(fn, signature: dict[str, str], constexprs: dict[str, object]):
    source = triton.compiler.ASTSource(fn=fn, signature=signature, constexprs=constexprs)
    return triton.compile(source, target=CUDA90)


KERNEL_SIGNATURE = {"a_ptr": "*fp32", "c_ptr": "*fp32", "K": "i32", "BLOCK": "constexpr"}


def test_table_keys_match_the_locations_of_triton_ops() -> None:
    table = table_for(_kernel)
    ops = _ttir_locations(_compile(_kernel, KERNEL_SIGNATURE, {"BLOCK": 64}).asm["ttir"])
    attached = {
        op: sorted({h.name for file, line in places for h in table.at(file, line)})
        for op, places in ops.items()
    }
    # The helper's load is located in the helper (a call-site location).
    assert attached == {
        "scf.for": ["num_stages"],
        "tt.load": ["evict_first", "shared_memory"],
        "tt.store": ["cache"],
    }


CELL = """\
import triton
import triton.language as tl


@triton.jit
def cell_kernel(x_ptr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs)  # @hint: evict_last
    tl.store(x_ptr + offs, x + 1)  # @hint: cache=cs
"""


def test_kernel_without_a_file_uses_the_source_triton_keeps() -> None:
    name = f"<flagtree-cell-{uuid.uuid4().hex[:6]}>"
    # What a notebook does: the source is only in linecache, under a made-up name.
    linecache.cache[name] = (len(CELL), None, CELL.splitlines(True), name)
    scope: dict[str, object] = {"__name__": "cell"}
    exec(compile(CELL, name, "exec"), scope)
    del linecache.cache[name]
    table = table_for(scope["cell_kernel"])
    assert [(h.file, h.line, h.col, h.name) for h in table.hints] == [
        (name, 8, CELL.splitlines()[7].index("evict_last") + 1, "evict_last"),
        (name, 9, CELL.splitlines()[8].index("cache") + 1, "cache"),
    ]
    assert table.problems == ()
    ttir = _compile(scope["cell_kernel"], {"x_ptr": "*fp32", "BLOCK": "constexpr"}, {"BLOCK": 32})
    ops = _ttir_locations(ttir.asm["ttir"])
    assert [h.name for h in table.at(*ops["tt.load"][0])] == ["evict_last"]
    assert [h.name for h in table.at(*ops["tt.store"][0])] == ["cache"]


def test_indented_kernel_columns_are_file_columns(tmp_path) -> None:
    path = tmp_path / "nested.py"
    path.write_text(
        "import triton\nimport triton.language as tl\n\n\ndef make():\n"
        "    @triton.jit\n    def inner(p):\n        tl.store(p, 1)  # @hint: evict_first\n"
        "    return inner\n"
    )
    (hint,) = table_for(_import(path).make()).hints
    assert (hint.line, hint.col) == (8, 34)
    assert path.read_text().splitlines()[7][33:44] == "evict_first"


# --- cache key ----------------------------------------------------------------------------

CACHE_KERNEL = """\
import triton
import triton.language as tl
{imports}

@triton.jit
def cached(x_ptr, K, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    acc = tl.zeros((BLOCK,), dtype=tl.float32)
    for k in range(0, K, BLOCK):  # @hint: {hint}
        acc += {load}
    tl.store(x_ptr + offs, acc)
"""

HELPER = """\
import triton
import triton.language as tl


@triton.jit
def helper(p):
    return tl.load(p)  # @hint: {hint}
"""

CACHE_SIGNATURE = {"x_ptr": "*fp32", "K": "i32", "BLOCK": "constexpr"}


def _cache_variant(root: Path, tag: str, where: str, hint: str):
    """Kernel ``cached`` with ``hint`` in the kernel, or in a helper module
    (imported by name or used through the module); the kernel's own source
    is the same in every helper variant."""
    folder = root / tag
    folder.mkdir()
    module = f"hint_helper_{tag}_{uuid.uuid4().hex[:6]}"
    (folder / f"{module}.py").write_text(HELPER.format(hint=hint))
    imports, load, kernel_hint = {
        "kernel": ("", "tl.load(x_ptr + k + offs)", hint),
        "helper by name": (f"from {module} import helper", "helper(x_ptr + k + offs)", "unroll=2"),
        "helper by module": (f"import {module} as h", "h.helper(x_ptr + k + offs)", "unroll=2"),
    }[where]
    kernel = CACHE_KERNEL.format(imports=imports, hint=kernel_hint, load=load)
    (folder / "kernel.py").write_text(kernel)
    sys.path.insert(0, str(folder))
    try:
        return _import(folder / "kernel.py").cached
    finally:
        sys.path.remove(str(folder))


@pytest.mark.parametrize("where", ["kernel", "helper by name", "helper by module"])
def test_changing_only_a_hint_recompiles(tmp_path, monkeypatch, where) -> None:
    cache = tmp_path / "triton-cache"
    monkeypatch.setenv("TRITON_CACHE_DIR", str(cache))
    hints = ("num_stages=2", "num_stages=3") if where == "kernel" else ("evict_first", "evict_last")
    first = _cache_variant(tmp_path, "a", where, hints[0])
    same = _cache_variant(tmp_path, "b", where, hints[0])
    changed = _cache_variant(tmp_path, "c", where, hints[1])
    assert first.cache_key == same.cache_key != changed.cache_key
    compiled = [_compile(fn, CACHE_SIGNATURE, {"BLOCK": 32}) for fn in (first, same, changed)]
    assert compiled[0].hash == compiled[1].hash != compiled[2].hash
    assert len([p for p in cache.iterdir() if p.is_dir()]) == 2
    names = {h.name for h in table_for(changed).hints}
    assert names == ({"num_stages"} if where == "kernel" else {"unroll", "evict_last"})


# --- flagtree hints -----------------------------------------------------------------------

CLI_KERNELS = """\
import triton
import triton.language as tl


@triton.jit
def helper(p):
    return tl.load(p)  # @hint: evict_first


@triton.jit
def good(p, n):
    for i in range(n):  # @hint: num_stages=3
        tl.store(p + i, helper(p))


@triton.jit
def bad(p, n):
    x = tl.load(p)  # @hint: num_stage=3
    tl.store(p, x)  # @hint: unroll=2
"""


@pytest.fixture
def cli_file(tmp_path) -> Path:
    path = tmp_path / "kernels.py"
    path.write_text(CLI_KERNELS)
    return path


def test_cli_lists_hints_statements_and_lanes(cli_file) -> None:
    result = _flagtree("hints", f"{cli_file}:good")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    loop_col = CLI_KERNELS.splitlines()[11].index("num_stages") + 1
    evict_col = CLI_KERNELS.splitlines()[6].index("evict_first") + 1
    assert out.startswith(f"good ({cli_file}; helpers: helper): 2 hints\n")
    assert (
        f"{cli_file}:12:{loop_col}: num_stages=3  (applies to loop; honoured by amd, cpu, "
        "nvidia)" in out
    )
    assert "       12 | for i in range(n):  # @hint: num_stages=3\n" in out
    assert (
        f"{cli_file}:7:{evict_col}: evict_first  (applies to load, store; honoured by amd, "
        "nvidia; ignored by cpu)" in out
    )
    assert out.endswith("\n0 error(s), 0 warning(s)\n")
    assert "tl.store(p + i" not in out  # the loop body is not the loop hint's statement


def test_cli_reports_problems_and_fails(cli_file) -> None:
    result = _flagtree("hints", str(cli_file))
    assert result.returncode == 1
    assert f"{cli_file}:18:30: error: unknown hint 'num_stage'; did you mean 'num_stages'?" in (
        result.stdout
    )
    assert f"{cli_file}:19:30: error: 'unroll' applies to loops" in result.stdout
    assert "2 error(s), 0 warning(s)" in result.stdout


def test_cli_json_is_the_table(cli_file) -> None:
    result = _flagtree("hints", f"{cli_file}:good", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(e["line"], e["name"]) for e in data["hints"]] == [
        (7, "evict_first"),
        (12, "num_stages"),
    ]


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("{dir}/missing.py", "missing.py: cannot read"),
        ("{dir}/missing.py:good", "missing.py: no such file"),
        ("{file}:nothere", "no @triton.jit function 'nothere'; @triton.jit functions there: bad"),
        ("{file}:", "expected FILE.py or FILE.py:kernel_name"),
        ("{dir}/broken.py", "broken.py:2: not valid Python"),
    ],
)
def test_cli_bad_arguments_get_a_message_not_a_traceback(cli_file, argument, message) -> None:
    (cli_file.parent / "broken.py").write_text("x = 1\ndef (:\n")
    result = _flagtree("hints", argument.format(dir=cli_file.parent, file=cli_file))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_table_for_file_reads_without_importing(tmp_path) -> None:
    path = tmp_path / "side_effect.py"
    path.write_text("raise SystemExit('imported')\nx = tl.load(p)  # @hint: dma\n")
    (hint,) = table_for_file(path).hints
    assert (hint.file, hint.line) == (str(path.resolve()), 2)


# --- docs ---------------------------------------------------------------------------------


def test_hints_reference_is_current() -> None:
    committed = (ROOT / "docs/hints.md").read_text()
    assert committed == render(), "docs/hints.md is stale: run `make docs`"
    for spec in CORE_HINTS:
        assert f"### {spec.name}\n" in committed and spec.meaning in committed
