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
