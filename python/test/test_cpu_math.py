"""Vector math on the CPU lane: f32 exp/exp2/log/log2/tanh/erf run as inline
polynomials (flagtree-cpu-approximate-math). They must stay within a few ulp
of the exact result and keep the special values softmax and friends rely
on (exp(-inf) = 0, log(0) = -inf, NaN in gives NaN out)."""

from __future__ import annotations

import math

import pytest
import torch
import triton
import triton.language as tl


@triton.jit
def _unary(x_ptr, y_ptr, n, OP: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    mask = offs < n
    v = tl.load(x_ptr + offs, mask=mask)
    if OP == 0:
        r = tl.exp(v)
    elif OP == 1:
        r = tl.exp2(v)
    elif OP == 2:
        r = tl.log(v)
    elif OP == 3:
        r = tl.log2(v)
    elif OP == 4:
        r = tl.math.erf(v)
    else:
        r = tl.sigmoid(v)
    tl.store(y_ptr + offs, r, mask=mask)


SPECIAL = [-math.inf, math.inf, math.nan, 0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 1e-3, 88.7, 89.0]
SPECIAL += [-87.0, -104.0, -200.0, 3.4e38, 1.2e-38, 20.0, -20.0, 100.0, 0.6931, 12.3]


def _inputs(seed: int) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    x = torch.tensor(SPECIAL, dtype=torch.float32)
    random = torch.cat(
        [torch.randn(1500, generator=gen) * 30, torch.rand(1500, generator=gen) * 100]
    )
    return torch.cat([x, random])


@pytest.mark.parametrize(
    "op,reference",
    [(0, torch.exp), (1, torch.exp2), (2, torch.log), (3, torch.log2), (4, torch.erf)],
    ids=["exp", "exp2", "log", "log2", "erf"],
)
def test_vector_math_is_close_to_exact(op, reference) -> None:
    x = _inputs(op)
    y = torch.empty_like(x)
    _unary[(1,)](x, y, x.numel(), OP=op, BLOCK=4096)
    exact = reference(x.double()).float().double()  # overflow to inf as f32 does
    # A few ulp of the result, or an absolute floor near zero (erf, log(1)).
    close = torch.isclose(y.double(), exact, rtol=8 * 2.0**-23, atol=1e-7, equal_nan=True)
    same_inf = torch.isinf(exact) & (y.double() == exact)
    bad = ~(close | same_inf)
    assert not bad.any(), list(
        zip(x[bad][:5].tolist(), y[bad][:5].tolist(), exact[bad][:5].tolist(), strict=True)
    )


def test_special_values_of_exp_and_log() -> None:
    x = torch.tensor([-math.inf, math.nan, 0.0, -1.0, math.inf], dtype=torch.float32)
    y = torch.empty_like(x)
    _unary[(1,)](x, y, x.numel(), OP=0, BLOCK=8)
    assert y[0] == 0.0 and math.isnan(y[1]) and y[2] == 1.0 and y[4] == math.inf
    _unary[(1,)](x, y, x.numel(), OP=2, BLOCK=8)
    assert math.isnan(y[1]) and y[2] == -math.inf and math.isnan(y[3]) and y[4] == math.inf
