"""Malformed TTIR never crashes the core: every corruption of real corpus
modules (truncation, dropped lines, renamed ops, wrong types) is either
still valid or rejected with a `file:line:col: error:` diagnostic.

The corruptions run in a child process, so that a crash would show up as
a failed test instead of taking the test runner down.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import textwrap

import pytest

from corpus import CASES
from flagtree.ttir import KernelSpec, compile_kernel

SAMPLE = ["vector_add", "fused_softmax", "flash_attention_fwd", "matmul_k_loop", "cumsum_rows"]

CHILD = textwrap.dedent(
    """
    import json, re, sys
    from flagtree import core
    diag = re.compile(r"^[^:\\n]+:\\d+:\\d+: error: ", re.M)
    results = []
    for text in json.load(sys.stdin):
        try:
            core.roundtrip(text, "mutant.ttir")
            results.append("ok")
        except core.IRError as exc:
            results.append("diag" if diag.search(exc.diagnostics) else exc.diagnostics)
    json.dump(results, sys.stdout)
    """
)


def _mutants(text: str, seed: int) -> list[str]:
    rng = random.Random(seed)
    lines = text.splitlines(keepends=True)
    mutants = [text[: rng.randrange(len(text))] for _ in range(12)]
    for _ in range(8):
        i = rng.randrange(len(lines))
        mutants.append("".join(lines[:i] + lines[i + 1 :]))
    for old, new in [
        ("tt.load", "tt.lod"),
        ("tt.splat", "tt.spalt"),
        (": i32", ": i64"),
        ("tensor<", "tensor<3x"),
        ("!tt.ptr<", "!tt.ptr<<"),
        ("arith.addi", "arith.addf"),
        ("loc(#loc", "loc(#nope"),
        ("tt.return", ""),
    ]:
        if old in text:
            mutants.append(text.replace(old, new, 1))
    return mutants


def _sample_cases():
    names = {case.name: case for case in CASES}
    return [names[name] for name in SAMPLE if name in names] or CASES[:5]


@pytest.mark.parametrize("case", _sample_cases(), ids=lambda c: c.name)
def test_corrupted_corpus_modules_get_diagnostics(case) -> None:
    spec = KernelSpec(case.fn, case.signature, case.constexprs, case.options)
    ttir = compile_kernel(spec).asm["ttir"]
    mutants = _mutants(ttir, seed=len(case.name))
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        input=json.dumps(mutants),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"core crashed: {result.stderr[-2000:]}"
    outcomes = json.loads(result.stdout)
    assert len(outcomes) == len(mutants)
    bad = [o for o in outcomes if o not in ("ok", "diag")]
    assert not bad, f"diagnostics without file:line:col: {bad[:3]}"
    # Most corruptions must actually be caught.
    assert outcomes.count("diag") >= len(mutants) // 2
