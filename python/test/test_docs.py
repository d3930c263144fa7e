"""The generated documentation in docs/ matches the sources it comes from."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_tt_dialect_reference_is_current() -> None:
    fresh = subprocess.run(
        [
            "/usr/lib/llvm-22/bin/mlir-tblgen",
            "-gen-op-doc",
            "-dialect=tt",
            "-I",
            str(ROOT / "include"),
            "-I",
            "/usr/lib/llvm-22/include",
            str(ROOT / "include/flagtree/Dialect/Triton/IR/TritonOps.td"),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    committed = (ROOT / "docs/dialects/tt.md").read_text()
    assert committed == fresh, "docs/dialects/tt.md is stale: run `make docs`"


# --------------------------------------------------------------------------
# docs/cpu-lane.md: the coverage matrix of the triton.language surface
# --------------------------------------------------------------------------

MATRIX_GROUPS = (
    "Memory",
    "Creation and shape",
    "Arithmetic and math",
    "Types and casts",
    "Reductions and scans",
    "Matrix",
    "Atomics",
    "Control flow and program model",
    "Random",
    "Extra math libraries",
)


def _matrix() -> tuple[list[tuple[str, str, str, str]], str]:
    """The rows (group, primitive, test, status) and the text after them."""
    import re

    doc = (ROOT / "docs" / "cpu-lane.md").read_text()
    start = doc.index("## What is supported: the coverage matrix")
    section = doc[start : doc.index("\n## ", start + 1)]
    rows, group = [], ""
    for line in section.splitlines():
        heading = re.match(r"### (.+)", line)
        if heading:
            group = heading.group(1)
        elif line.startswith("| ") and not line.startswith("| primitive |"):
            # the primitive may itself hold a `|`: split from the right
            primitive, test, status = line[2:-2].rsplit(" | ", 2)
            rows.append((group, primitive, test.strip("`"), status))
    return rows, section


def _test_source(test: str) -> tuple[Path, str, str]:
    """The file a matrix row cites, the test function and the source its
    primitive must occur in (a suite operator's family module)."""
    file, _, name = test.partition("::")
    function, _, param = name.partition("[")
    path = ROOT / "python" / "test" / file
    source = path.read_text() if path.exists() else ""
    if file == "test_suite_cpu.py" and param:
        family = param.split("-")[0]
        source = (ROOT / "python/flagtree/suite/families" / f"{family}.py").read_text()
    return path, function, source


def test_cpu_lane_coverage_matrix_cites_real_tests() -> None:
    import ast
    import re

    rows, _ = _matrix()
    assert rows
    functions: dict[Path, set[str]] = {}
    for group, primitive, test, status in rows:
        where = f"{group}: {primitive}"
        assert status in ("ok", "pending") or status.startswith("fails: "), where
        if status == "pending":
            assert test == "—", f"{where}: a pending row cites no test"
            continue
        assert test != "—", f"{where}: an {status!r} row must cite its test"
        path, function, source = _test_source(test)
        assert path.exists(), f"{where}: no file {path.name}"
        if path not in functions:
            tree = ast.parse(path.read_text())
            functions[path] = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        assert function in functions[path], f"{where}: no {function} in {path.name}"
        spelling = re.search(r"`([^`]+)`", primitive)
        if spelling:  # rows in plain words ("pointer types") have none
            word = spelling.group(1).replace("\\|", "|")  # a `|` in a table cell is escaped
            assert word in source, f"{where}: {word!r} not in {test}"


def test_cpu_lane_coverage_matrix_counts() -> None:
    import re

    rows, section = _matrix()
    assert {group.split(" (")[0] for group, *_ in rows} == set(MATRIX_GROUPS)
    core = [status for _, primitive, _, status in rows if "(opt" not in primitive]
    optional = [status for _, primitive, _, status in rows if "(opt" in primitive]
    assert len(core) >= 120
    counts = re.search(
        r"Core: \*\*(\d+) / (\d+) ok\*\*\. Optional: \*\*(\d+) / (\d+) ok\*\*", section
    )
    assert counts, "the matrix ends with its counts"
    assert [int(c) for c in counts.groups()] == [
        core.count("ok"),
        len(core),
        optional.count("ok"),
        len(optional),
    ]
