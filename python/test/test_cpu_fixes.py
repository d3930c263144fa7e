"""Conversions, early returns and correctly rounded square roots on the CPU
lane, through plain ``kernel[grid]`` on torch CPU tensors, against
references computed bit by bit: ``fp_downcast_rounding="rtz"``, float64 to
float16, ``return`` before the end of a kernel and ``tl.sqrt_rn``.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import triton
import triton.language as tl

# --------------------------------------------------------------------------
# float downcasts: rounding toward zero, float64 -> float16
# --------------------------------------------------------------------------


@triton.jit
def _downcast(x_ptr, out_ptr, n, DT: tl.constexpr, ROUND: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    x = tl.load(x_ptr + offs, mask=m)
    tl.store(out_ptr + offs, x.to(DT, fp_downcast_rounding=ROUND), mask=m)


def _f32_to_bf16_rtz(x: torch.Tensor) -> torch.Tensor:
    """Drop the low 16 bits of each f32 pattern (NaN kept as a NaN)."""
    bits = x.view(torch.int32) >> 16
    out = bits.to(torch.int16).view(torch.bfloat16)
    return torch.where(x.isnan(), torch.tensor(float("nan"), dtype=torch.bfloat16), out)


def _f32_to_f16_rtz(x: torch.Tensor) -> torch.Tensor:
    """Truncate each f32 toward zero to f16 by its bits, with integers only."""
    out = []
    for b in x.view(torch.int32).numpy().astype(np.int64) & 0xFFFFFFFF:
        sign = (b >> 16) & 0x8000
        e = (b >> 23) & 0xFF
        frac = b & 0x7FFFFF
        if e == 0xFF:  # inf or NaN
            out.append(sign | 0x7C00 | (0x200 if frac else 0))
            continue
        if e == 0:  # f32 subnormals are far below f16's smallest value
            out.append(sign)
            continue
        exp = e - 127
        mant = frac | 0x800000  # 24 bits, value = mant * 2**(exp - 23)
        if exp > 15:
            out.append(sign | 0x7BFF)  # largest finite, never inf
        elif exp >= -14:
            out.append(sign | ((exp + 15) << 10) | ((mant >> 13) & 0x3FF))
        else:  # f16 subnormal: units of 2**-24
            shift = 13 + (-14 - exp)
            out.append(sign | (mant >> shift if shift < 32 else 0))
    bits = np.array(out, dtype=np.uint16).view(np.int16)
    return torch.from_numpy(bits).view(torch.float16)


def _downcast_inputs() -> torch.Tensor:
    g = torch.Generator().manual_seed(0)
    x = torch.randn(300, generator=g) * 100
    special = torch.tensor(
        [0.0, -0.0, 1e-30, -1e-30, 3e-8, -3e-8, 6e-5, 65504.0, 65519.0, 65520.0, 7e4, -7e4]
        + [1e38, -3.4e38, float("inf"), float("-inf"), 1.0 + 2**-12, -(1.0 + 2**-12)]
    )
    return torch.cat([x, special])


@pytest.mark.parametrize("dst", [torch.float16, torch.bfloat16], ids=["f16", "bf16"])
def test_downcast_rtz(dst):
    x = _downcast_inputs()
    out = torch.empty(x.numel(), dtype=dst)
    dt = tl.float16 if dst == torch.float16 else tl.bfloat16
    _downcast[(triton.cdiv(x.numel(), 64),)](x, out, x.numel(), DT=dt, ROUND="rtz", BLOCK=64)
    ref = _f32_to_f16_rtz(x) if dst == torch.float16 else _f32_to_bf16_rtz(x)
    assert torch.equal(out.view(torch.int16), ref.view(torch.int16))
    assert not torch.equal(out, x.to(dst))  # the inputs do tell the modes apart


def test_downcast_rtz_nan():
    x = torch.tensor([float("nan"), 1.0, float("nan"), -2.5])
    out = torch.empty(4, dtype=torch.float16)
    _downcast[(1,)](x, out, 4, DT=tl.float16, ROUND="rtz", BLOCK=4)
    assert out.isnan().tolist() == [True, False, True, False]
    assert out[1].item() == 1.0 and out[3].item() == -2.5


def test_f64_to_f16_rtne():
    g = torch.Generator().manual_seed(1)
    x = torch.cat(
        [
            torch.randn(200, dtype=torch.float64, generator=g) * 1000,
            torch.randn(100, dtype=torch.float64, generator=g) * 1e-6,
            # ties of f16 that f32 would not keep apart: 1 + 2**-11 + 2**-40
            # rounds up from f64, down through f32
            torch.tensor(
                [1 + 2**-11 + 2**-40, 1 + 2**-11, 1 + 3 * 2**-11, 2**-25, 2**-25 + 2**-60]
                + [65519.99, 65520.0, 1e300, -1e300, 1e-300, float("inf"), -0.0],
                dtype=torch.float64,
            ),
        ]
    )
    out = torch.empty(x.numel(), dtype=torch.float16)
    _downcast[(triton.cdiv(x.numel(), 64),)](
        x, out, x.numel(), DT=tl.float16, ROUND="rtne", BLOCK=64
    )
    with np.errstate(over="ignore"):  # numpy rounds f64 -> f16 in one step
        ref = torch.from_numpy(x.numpy().astype(np.float16))
    assert torch.equal(out.view(torch.int16), ref.view(torch.int16))
    assert out[300].item() == 1 + 2**-10  # not the double-rounded 1.0


# --------------------------------------------------------------------------
# early return
# --------------------------------------------------------------------------


# The plain early return is test_cpu_language.py::test_early_return.


@triton.jit
def _early_return_in_loop_body(x_ptr, out_ptr, limit, N: tl.constexpr):
    pid = tl.program_id(0)
    offs = pid * N + tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    if tl.sum(x) > limit:
        tl.store(out_ptr + offs, x - 1)
        return
    acc = x
    for _ in range(3):
        acc = acc * 2
    tl.store(out_ptr + offs, acc)


def test_early_return_then_loop():
    P, N = 16, 8
    x = torch.randn(P, N, generator=torch.Generator().manual_seed(3))
    out = torch.empty(P, N)
    _early_return_in_loop_body[(P,)](x, out, 0.5, N=N)
    big = x.sum(1, keepdim=True) > 0.5
    torch.testing.assert_close(out, torch.where(big, x - 1, x * 8), rtol=0, atol=0)
    assert big.any() and not big.all()


@triton.jit
def _clip_or_square(x, limit):
    if tl.max(x, axis=0) > limit:
        return tl.minimum(x, limit)
    return x * x


@triton.jit(noinline=True)
def _clip_or_square_call(s, limit):
    if s > limit:
        return limit
    return s * s


@triton.jit
def _helpers_returning_early(x_ptr, out_ptr, limit, N: tl.constexpr):
    offs = tl.program_id(0) * N + tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    tl.store(out_ptr + offs, _clip_or_square(x, limit))
    tl.store(out_ptr + 8 * N + tl.program_id(0), _clip_or_square_call(tl.max(x, axis=0), limit))


def test_helpers_returning_early():
    P, N = 8, 16
    x = torch.randn(P, N, generator=torch.Generator().manual_seed(4))
    out = torch.empty(P * N + P)
    _helpers_returning_early[(P,)](x, out, 1.5, N=N)
    top = x.amax(1, keepdim=True)
    ref = torch.where(top > 1.5, torch.minimum(x, torch.tensor(1.5)), x * x)
    assert torch.equal(out[: P * N].view(P, N), ref)
    assert torch.equal(out[P * N :], torch.where(top > 1.5, 1.5, top * top).flatten())
    assert (top > 1.5).any() and not (top > 1.5).all()


@triton.jit
def _return_from_inner_branch(flags_ptr, out_ptr):
    # Returning from one arm of a nested branch leaves three exits from the
    # outer branch: lifted to a multi-way switch before the lowering.
    p = tl.program_id(0)
    result = 10
    if tl.load(flags_ptr + 3 * p) != 0:
        if tl.load(flags_ptr + 3 * p + 1) != 0:
            result = 20
        else:
            return
    else:
        if tl.load(flags_ptr + 3 * p + 2) != 0:
            result = 30
        else:
            result = 40
    tl.store(out_ptr + p, result)


def test_return_from_a_nested_branch():
    combos = torch.tensor(
        [[(c >> 2) & 1, (c >> 1) & 1, c & 1] for c in range(8)], dtype=torch.int32
    )
    out = torch.full((8,), -1, dtype=torch.int32)
    _return_from_inner_branch[(8,)](combos, out)
    want = [(20 if b else -1) if a else (30 if c else 40) for a, b, c in combos.tolist()]
    assert out.tolist() == want


# --------------------------------------------------------------------------
# sqrt_rn
# --------------------------------------------------------------------------


@triton.jit
def _sqrt_rn(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    tl.store(out_ptr + offs, tl.sqrt_rn(tl.load(x_ptr + offs, mask=m)), mask=m)


def test_sqrt_rn_is_correctly_rounded():
    """Against IEEE sqrt: numpy's, and the f64 square root
    rounded once to f32 (exact: f64 has more than twice f32's precision).
    torch's own vectorized f32 sqrt is no reference: on AVX2 hosts it is
    1 ulp off for some inputs."""
    g = torch.Generator().manual_seed(2)
    x = torch.cat([torch.rand(1000, generator=g) * 4, torch.rand(24, generator=g) * 1e30])
    out = torch.empty_like(x)
    _sqrt_rn[(triton.cdiv(x.numel(), 64),)](x, out, x.numel(), BLOCK=64)
    assert torch.equal(out, torch.from_numpy(np.sqrt(x.numpy())))
    assert torch.equal(out, x.double().sqrt().float())
