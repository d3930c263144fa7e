"""Random numbers and dropout (Philox through tl.rand/randn/randint).
No torch function reproduces Triton's streams, so each operator is checked
by properties: the same seed gives the same numbers, another seed other
numbers, and the distribution's moments are where they must be."""

from __future__ import annotations

import math

import torch
import triton
import triton.language as tl

from .._common import normal, uniform
from ..registry import add, case


@triton.jit
def random_kernel(x_ptr, out_ptr, n, seed, p, OP: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    if OP == "rand":
        y = tl.rand(seed, offs)
    elif OP == "randn":
        y = tl.randn(seed, offs)
    elif OP == "randint":
        y = (tl.randint(seed, offs) & 0xFFFF).to(tl.float32)
    elif OP == "bernoulli":
        prob = tl.load(x_ptr + offs, mask=mask, other=0.0)
        y = (tl.rand(seed, offs) < prob).to(tl.float32)
    else:
        tl.static_assert(OP == "dropout", "unknown random operator")
        x = tl.load(x_ptr + offs, mask=mask, other=0.0)
        keep = tl.rand(seed, offs) > p
        y = tl.where(keep, x / (1 - p), 0.0)
    tl.store(out_ptr + offs, y, mask=mask)


def _launch(op, p=0.0):
    def launch(k, c, x, seed):
        n = x.numel()
        out = torch.empty_like(x)
        k.random_kernel[(triton.cdiv(n, 1024),)](x, out, n, seed, p, OP=op, BLOCK=1024)
        return out

    return launch


def _seeded(out, inputs, run) -> torch.Tensor:
    """Runs the operator again with the same seed and with another one."""
    x, seed = inputs
    again, other = run((x, seed)), run((x, seed + 1))
    assert torch.equal(out, again), "the same seed gave different numbers"
    assert not torch.equal(out, other), "two seeds gave the same numbers"
    return out.cpu()


def _near(name, value, expected, tol):
    assert abs(value - expected) <= tol, f"{name} {value:.4f}, expected {expected:.4f} ± {tol}"


def _check_rand(out, inputs, c, run):
    x = _seeded(out, inputs, run)
    assert float(x.min()) >= 0.0 and float(x.max()) < 1.0, "values outside [0, 1)"
    _near("mean", float(x.mean()), 0.5, 0.01)
    _near("std", float(x.std()), math.sqrt(1 / 12), 0.01)


def _check_randn(out, inputs, c, run):
    x = _seeded(out, inputs, run)
    _near("mean", float(x.mean()), 0.0, 0.02)
    _near("std", float(x.std()), 1.0, 0.02)
    _near("P(|x| < 1)", float((x.abs() < 1).float().mean()), 0.6827, 0.01)


def _check_randint(out, inputs, c, run):
    x = _seeded(out, inputs, run)
    assert torch.equal(x, x.round()) and float(x.min()) >= 0 and float(x.max()) < 65536
    counts = torch.bincount(x.long() % 16, minlength=16).double()
    expected = x.numel() / 16
    assert float((counts - expected).abs().max()) < 0.1 * expected, f"skewed: {counts}"


def _check_bernoulli(out, inputs, c, run):
    x = _seeded(out, inputs, run)
    prob = inputs[0]
    assert set(x.unique().tolist()) <= {0.0, 1.0}
    _near("mean", float(x.mean()), float(prob.mean()), 0.01)
    low, high = prob.cpu() < 0.1, prob.cpu() > 0.9
    _near("mean where p < 0.1", float(x[low].mean()), float(prob.cpu()[low].mean()), 0.03)
    _near("mean where p > 0.9", float(x[high].mean()), float(prob.cpu()[high].mean()), 0.03)


def _check_dropout(out, inputs, c, run):
    y = _seeded(out, inputs, run)
    x = inputs[0]
    scaled = x.cpu() / (1 - 0.3)
    kept = y != 0
    torch.testing.assert_close(y[kept], scaled[kept], atol=1e-6, rtol=1e-6)
    _near("kept fraction", float(kept.float().mean()), 0.7, 0.01)


#: what torch runs for the same job, timed side by side
BASELINE = {
    "rand": lambda c, x, seed: torch.rand(x.shape, device=x.device),
    "randn": lambda c, x, seed: torch.randn(x.shape, device=x.device),
    "randint": lambda c, x, seed: torch.randint(0, 1 << 16, x.shape, device=x.device),
    "bernoulli": lambda c, x, seed: torch.bernoulli(x),
    "dropout": lambda c, x, seed: torch.nn.functional.dropout(x, 0.3),
}
N = (case((1 << 16,)),)
BENCH = (case((1 << 22,)),)
for _op, _check, _p in (
    ("rand", _check_rand, 0.0),
    ("randn", _check_randn, 0.0),
    ("randint", _check_randint, 0.0),
    ("bernoulli", _check_bernoulli, 0.0),
    ("dropout", _check_dropout, 0.3),
):
    add(
        _op, "random", [random_kernel],
        (lambda c, d, g: (uniform(c, d, g, 0, 1), 1234)) if _op == "bernoulli"
        else (lambda c, d, g: (normal(c, d, g), 1234)),
        _launch(_op, _p), None, N, BENCH, check=_check, baseline=BASELINE[_op],
        quick_cases=(case((1 << 20,)),),
    )  # fmt: skip
