"""The in-process core API: inventory, pipelines and diagnostics."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from flagtree import core

ADD_TTIR = """\
module {
  tt.func public @add(%arg0: !tt.ptr<f32>, %arg1: i32) attributes {noinline = false} {
    %0 = tt.make_range {end = 16 : i32, start = 0 : i32} : tensor<16xi32>
    %1 = tt.splat %arg0 : !tt.ptr<f32> -> tensor<16x!tt.ptr<f32>>
    %2 = tt.addptr %1, %0 : tensor<16x!tt.ptr<f32>>, tensor<16xi32>
    %3 = tt.load %2 : tensor<16x!tt.ptr<f32>>
    %4 = arith.addf %3, %3 : tensor<16xf32>
    %5 = arith.addf %3, %3 : tensor<16xf32>
    %6 = arith.addf %4, %5 : tensor<16xf32>
    tt.store %2, %6 : tensor<16x!tt.ptr<f32>>
    tt.return
  }
}
"""

DIAGNOSTIC = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): error: ", re.M)


def test_version_names_mlir_22() -> None:
    assert "MLIR 22." in core.version()


def test_inventory_has_the_tt_dialect_and_ttir_dialects() -> None:
    dialects = core.inventory()
    assert dialects["tt"] >= 45
    assert {"arith", "math", "scf", "cf", "ub", "llvm", "gpu"} <= set(dialects)


def test_roundtrip_without_locations_prints_generic_names() -> None:
    printed = core.roundtrip(ADD_TTIR)
    assert "tt.load %2 : tensor<16x!tt.ptr<f32>> loc(" in printed
    assert printed.count("arith.addf") == 3


def test_pipeline_runs_passes() -> None:
    printed = core.run_pipeline(ADD_TTIR, "builtin.module(cse)")
    # CSE merges the two identical additions.
    assert printed.count("arith.addf") == 2


def test_unknown_pass_is_reported() -> None:
    with pytest.raises(core.IRError, match="no-such-pass"):
        core.run_pipeline(ADD_TTIR, "builtin.module(no-such-pass)")


def _error_line(exc: core.IRError) -> int:
    match = DIAGNOSTIC.search(exc.diagnostics)
    assert match, exc.diagnostics
    return int(match["line"])


def test_syntax_error_names_the_line() -> None:
    broken = ADD_TTIR.replace("tt.splat %arg0", "tt.splat %arg0,,")
    with pytest.raises(core.IRError) as info:
        core.roundtrip(broken, "kernel.ttir")
    assert info.value.diagnostics.startswith("kernel.ttir:4:")
    assert _error_line(info.value) == 4


def test_unknown_op_names_the_line() -> None:
    broken = ADD_TTIR.replace("tt.make_range", "tt.make_rang")
    with pytest.raises(core.IRError, match="tt.make_rang") as info:
        core.roundtrip(broken, "kernel.ttir")
    assert _error_line(info.value) == 3


def test_wrong_type_is_a_verifier_error_with_a_line() -> None:
    broken = ADD_TTIR.replace("%4 = arith.addf %3, %3", "%4 = arith.addi %3, %3")
    with pytest.raises(core.IRError, match="arith.addi") as info:
        core.roundtrip(broken, "kernel.ttir")
    assert _error_line(info.value) == 7


def test_verifier_errors_point_at_the_kernel_source_line() -> None:
    located = """module {
  tt.func public @k() {
    %0 = tt.make_range {end = 16 : i32, start = 0 : i32} : tensor<8xi32> loc("k.py":12:7)
    tt.return
  }
}
"""
    with pytest.raises(core.IRError, match="1-D tensor of 16 elements") as info:
        core.roundtrip(located)
    assert info.value.diagnostics.startswith("k.py:12:7: error:")


def test_empty_and_non_module_inputs_are_rejected() -> None:
    with pytest.raises(core.IRError, match="exactly one top-level 'module'"):
        core.roundtrip("")
    with pytest.raises(core.IRError, match="exactly one top-level 'module'"):
        core.roundtrip(ADD_TTIR + ADD_TTIR)


def test_missing_core_library_is_a_clear_error(tmp_path) -> None:
    script = (
        "import flagtree.core as c\n"
        "try:\n    c.version()\n"
        "except c.CoreNotFoundError as e:\n    print('ERR', e)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={"FLAGTREE_CORE_LIB": str(tmp_path / "nope.so"), "PATH": "/usr/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("ERR cannot load")
