"""The operator suite (flagtree.suite) on the CPU lane at small shapes:
one test per operator and variant, against its torch reference. Operators
listed in flagtree.suite.known must still fail with the listed error, so
that the list is shortened when the lane gains support."""

from __future__ import annotations

import pytest
import torch

from flagtree.suite import runner
from flagtree.suite.known import KNOWN_FAILURES, full_message, known_failure
from flagtree.suite.registry import FAMILIES, all_operators

LANE = "cpu"
OPERATORS = all_operators()
VARIANTS = [
    pytest.param(op, c, id=f"{op.family}-{op.name}-{c.label}") for op in OPERATORS for c in op.cases
]


@pytest.fixture(scope="module")
def device():
    import triton

    target = triton.runtime.driver.active.get_current_target()
    assert target.backend == "cpu", f"the CPU lane is not the active driver ({target})"
    return torch.device("cpu")


@pytest.mark.parametrize(("op", "c"), VARIANTS)
def test_operator(op, c, device):
    known = known_failure(op.name, LANE)
    if known is None:
        runner.run_and_verify(op, c, device)
        return
    with pytest.raises(Exception) as info:  # noqa: B017 - the message is checked below
        runner.run_and_verify(op, c, device)
    assert not isinstance(info.value, runner.MismatchError), "listed operator gave wrong values"
    message = full_message(info.value)
    assert known.match in message, (
        f"{op.name} is listed as failing on the {LANE} lane with {known.match!r}, "
        f"but failed otherwise:\n{message}"
    )


def test_suite_breadth():
    names = [op.name for op in OPERATORS]
    assert len(names) == len(set(names))
    assert len(names) >= 160, len(names)
    assert {op.family for op in OPERATORS} == set(FAMILIES)
    for op in OPERATORS:
        assert op.cases and op.bench_cases, op.name


def test_known_failures_name_real_operators():
    names = {op.name for op in OPERATORS}
    assert {name for name, _ in KNOWN_FAILURES} <= names


def test_mismatch_is_detected(device):
    """The check is not vacuous: a launcher that perturbs one element fails."""
    from dataclasses import replace

    op = next(op for op in OPERATORS if op.name == "softmax")

    def wrong(k, c, x):
        out = op.launch(k, c, x)
        out[0, 0] += 1e-2
        return out

    with pytest.raises(runner.MismatchError):
        runner.run_and_verify(replace(op, launch=wrong), op.cases[0], device)


def test_docs_list_is_current():
    """docs/suite.md shows the generated operator and known-failure lists."""
    from pathlib import Path

    from flagtree.suite.docs import generated

    doc = Path(__file__).resolve().parents[2] / "docs" / "suite.md"
    assert generated() in doc.read_text(), (
        "run: python -m flagtree.suite.docs --write docs/suite.md"
    )


SAMPLE = ("softmax", "layer_norm_backward", "mm", "flash_attention_gqa", "cumsum", "sort", "gelu")


@pytest.mark.parametrize("name", SAMPLE)
def test_sample_compiles_for_sm90_as_upstream(name):
    """The suite's kernels, typed as their launchers call them, compile for
    an H100 with no GPU present; flagtree's cubin equals upstream Triton's
    (`python -m flagtree.suite.offline` checks every kernel)."""
    from flagtree.offline_compile import parse_target
    from flagtree.suite.offline import compile_both, record_launches
    from flagtree.suite.registry import get

    launches = record_launches(get(name))
    assert launches
    for launch in launches[:2]:
        result = compile_both(launch, parse_target("cuda:90"))
        assert result["identical"], result
