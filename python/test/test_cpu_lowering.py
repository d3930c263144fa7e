"""What the host-CPU lane lowers: element-wise math, casts, scans, reductions.

Each case compiles a real Triton kernel to TTIR, runs it through the FLIR
lane (libflagtree_cpu.so, via the ctypes helper of test_cpu_core.py) and
compares with torch. Tolerances per dtype: exact for integers, bit
patterns and data movement; fp32 1e-5 relative for single ops, 1e-4 for
libm-backed math and sums, 1e-3 for matmuls; fp16 / bf16 inputs are
compared after the same rounding torch applies (1e-2 / 2e-2 relative).
"""

from __future__ import annotations

import pytest
import torch
import triton
import triton.language as tl
from test_cpu_core import build, cpu

__all__ = ["cpu"]  # the fixture, shared with test_cpu_core.py

F32 = "*fp32"


# --------------------------------------------------------------------------
# (a) Element-wise math, integer division, casts
# --------------------------------------------------------------------------


@triton.jit
def unary_kernel(x_ptr, out_ptr, n, OP: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask, other=1.0)
    if OP == "exp":
        y = tl.exp(x)
    elif OP == "exp2":
        y = tl.exp2(x)
    elif OP == "log":
        y = tl.log(tl.abs(x) + 0.5)
    elif OP == "log2":
        y = tl.log2(tl.abs(x) + 0.5)
    elif OP == "sqrt":
        y = tl.sqrt(tl.abs(x))
    elif OP == "sqrt_rn":
        y = tl.sqrt_rn(tl.abs(x))
    elif OP == "rsqrt":
        y = tl.rsqrt(tl.abs(x) + 0.5)
    elif OP == "sin":
        y = tl.sin(x)
    elif OP == "cos":
        y = tl.cos(x)
    elif OP == "erf":
        y = tl.erf(x)
    elif OP == "floor":
        y = tl.floor(x)
    elif OP == "ceil":
        y = tl.ceil(x)
    elif OP == "abs":
        y = tl.abs(x)
    elif OP == "sigmoid":
        y = tl.sigmoid(x)
    elif OP == "fdiv":
        y = tl.fdiv(x, 3.0)
    else:
        y = tl.clamp(x, -0.5, 0.75)
    tl.store(out_ptr + offs, y, mask=mask)


UNARY = {
    "exp": torch.exp,
    "exp2": torch.exp2,
    "log": lambda x: torch.log(x.abs() + 0.5),
    "log2": lambda x: torch.log2(x.abs() + 0.5),
    "sqrt": lambda x: torch.sqrt(x.abs()),
    "sqrt_rn": lambda x: torch.sqrt(x.abs()),
    "rsqrt": lambda x: torch.rsqrt(x.abs() + 0.5),
    "sin": torch.sin,
    "cos": torch.cos,
    "erf": torch.erf,
    "floor": torch.floor,
    "ceil": torch.ceil,
    "abs": torch.abs,
    "sigmoid": torch.sigmoid,
    "fdiv": lambda x: x / 3.0,
    "clamp": lambda x: torch.clamp(x, -0.5, 0.75),
}


@pytest.mark.parametrize("op", sorted(UNARY))
def test_unary_math_fp32(cpu, op):
    kernel = build(
        cpu, f"unary_{op}", unary_kernel, {"x_ptr": F32, "out_ptr": F32, "n": "i32"},
        OP=op, BLOCK=64,
    )  # fmt: skip
    n = 300
    x = torch.randn(n) * 3
    out = torch.empty(n)
    kernel((triton.cdiv(n, 64),), x, out, n)
    torch.testing.assert_close(out, UNARY[op](x), rtol=1e-4, atol=1e-5)


@triton.jit
def binary_kernel(x_ptr, y_ptr, out_ptr, n, OP: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask, other=1)
    y = tl.load(y_ptr + offs, mask=mask, other=1)
    if OP == "minimum":
        z = tl.minimum(x, y)
    elif OP == "maximum":
        z = tl.maximum(x, y)
    elif OP == "where":
        z = tl.where(x > y, x, y * 2)
    elif OP == "div":
        z = x // y
    elif OP == "mod":
        z = x % y
    elif OP == "cdiv":
        z = tl.cdiv(x, y)
    elif OP == "shift":
        z = (x << 3) ^ (y >> 1) | (x & 7)
    else:
        z = x * y - x
    tl.store(out_ptr + offs, z, mask=mask)


def c_div(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return torch.div(x, y, rounding_mode="trunc")


BINARY_INT = {
    "minimum": torch.minimum,
    "maximum": torch.maximum,
    "where": lambda x, y: torch.where(x > y, x, y * 2),
    "div": c_div,  # C semantics: rounds toward zero
    "mod": lambda x, y: x - c_div(x, y) * y,  # C semantics: sign of x
    "cdiv": lambda x, y: c_div(x + y - 1, y),
    "shift": lambda x, y: (x << 3) ^ (y >> 1) | (x & 7),
    "arith": lambda x, y: x * y - x,
}


@pytest.mark.parametrize("op", sorted(BINARY_INT))
@pytest.mark.parametrize("dtype", [torch.int32, torch.int64])
def test_binary_integer(cpu, op, dtype):
    ptr = "*i32" if dtype == torch.int32 else "*i64"
    kernel = build(
        cpu, f"binary_{op}", binary_kernel,
        {"x_ptr": ptr, "y_ptr": ptr, "out_ptr": ptr, "n": "i32"}, OP=op, BLOCK=32,
    )  # fmt: skip
    n = 200
    x = torch.randint(-1000, 1000, (n,), dtype=dtype)
    y = torch.randint(1, 50, (n,), dtype=dtype) * torch.where(torch.rand(n) < 0.5, -1, 1).to(dtype)
    if op == "cdiv":
        x, y = x.abs(), y.abs()
    out = torch.empty(n, dtype=dtype)
    kernel((triton.cdiv(n, 32),), x, y, out, n)
    torch.testing.assert_close(out, BINARY_INT[op](x, y), rtol=0, atol=0)


@pytest.mark.parametrize("op", ["minimum", "maximum", "where", "arith"])
def test_binary_float(cpu, op):
    kernel = build(
        cpu, f"binary_f_{op}", binary_kernel,
        {"x_ptr": F32, "y_ptr": F32, "out_ptr": F32, "n": "i32"}, OP=op, BLOCK=32,
    )  # fmt: skip
    n = 100
    x, y = torch.randn(n), torch.randn(n)
    out = torch.empty(n)
    kernel((triton.cdiv(n, 32),), x, y, out, n)
    torch.testing.assert_close(out, BINARY_INT[op](x, y), rtol=1e-6, atol=1e-6)


@triton.jit
def cast_kernel(x_ptr, out_ptr, n, DST: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)
    tl.store(out_ptr + offs, x.to(DST), mask=mask)


TORCH_OF = {
    "fp32": torch.float32,
    "fp16": torch.float16,
    "bf16": torch.bfloat16,
    "fp64": torch.float64,
    "i8": torch.int8,
    "i16": torch.int16,
    "i32": torch.int32,
    "i64": torch.int64,
    "u8": torch.uint8,
}
TL_OF = {
    "fp32": tl.float32,
    "fp16": tl.float16,
    "bf16": tl.bfloat16,
    "fp64": tl.float64,
    "i8": tl.int8,
    "i16": tl.int16,
    "i32": tl.int32,
    "i64": tl.int64,
    "u8": tl.uint8,
}
CASTS = [
    ("fp32", "fp16"),
    ("fp32", "bf16"),
    ("fp16", "fp32"),
    ("bf16", "fp32"),
    ("fp16", "bf16"),
    ("bf16", "fp16"),
    ("fp32", "fp64"),
    ("fp64", "fp32"),
    ("fp32", "i32"),
    ("fp32", "i8"),
    ("i32", "fp32"),
    ("i32", "bf16"),
    ("i32", "fp16"),
    ("i64", "i32"),
    ("i8", "i64"),
    ("i32", "i16"),
    ("fp32", "u8"),
    ("u8", "fp32"),
    ("bf16", "i32"),
]


@pytest.mark.parametrize("src,dst", CASTS)
def test_cast(cpu, src, dst):
    kernel = build(
        cpu, f"cast_{src}_{dst}", cast_kernel,
        {"x_ptr": "*" + src, "out_ptr": "*" + dst, "n": "i32"}, DST=TL_OF[dst], BLOCK=64,
    )  # fmt: skip
    n = 150
    if TORCH_OF[src].is_floating_point:
        x = (torch.randn(n) * 50).clamp(0 if dst == "u8" else -100, 100).to(TORCH_OF[src])
    else:
        low = 0 if src == "u8" else -100
        x = torch.randint(low, 100, (n,)).to(TORCH_OF[src])
    out = torch.empty(n, dtype=TORCH_OF[dst])
    kernel((triton.cdiv(n, 64),), x, out, n)
    torch.testing.assert_close(out, x.to(TORCH_OF[dst]), rtol=0, atol=0)


# --------------------------------------------------------------------------
# (b) Scans
# --------------------------------------------------------------------------


@triton.jit
def mul_combine(a, b):
    return a * b


@triton.jit
def first_nonzero_combine(a, ai, b, bi):
    keep = a != 0
    return tl.where(keep, a, b), tl.where(keep, ai, bi)


@triton.jit
def scan_kernel(x_ptr, out_ptr, OP: tl.constexpr, R: tl.constexpr, C: tl.constexpr):
    rows = tl.arange(0, R)[:, None]
    cols = tl.arange(0, C)[None, :]
    x = tl.load(x_ptr + rows * C + cols)
    if OP == "cumsum0":
        y = tl.cumsum(x, axis=0)
    elif OP == "cumsum1":
        y = tl.cumsum(x, axis=1)
    elif OP == "cumsum_rev":
        y = tl.cumsum(x, axis=1, reverse=True)
    elif OP == "cumprod":
        y = tl.cumprod(x, axis=1)
    else:
        y = tl.associative_scan(x, 0, mul_combine, reverse=True)
    tl.store(out_ptr + rows * C + cols, y)


SCANS = {
    "cumsum0": lambda x: torch.cumsum(x, 0),
    "cumsum1": lambda x: torch.cumsum(x, 1),
    "cumsum_rev": lambda x: torch.cumsum(x.flip(1), 1).flip(1),
    "cumprod": lambda x: torch.cumprod(x, 1),
    "assoc_rev": lambda x: torch.cumprod(x.flip(0), 0).flip(0),
}


@pytest.mark.parametrize("op", sorted(SCANS))
def test_scan(cpu, op):
    kernel = build(cpu, f"scan_{op}", scan_kernel, {"x_ptr": F32, "out_ptr": F32}, OP=op, R=8, C=16)
    x = torch.rand(8, 16) + 0.5
    out = torch.empty_like(x)
    kernel((1,), x, out)
    torch.testing.assert_close(out, SCANS[op](x), rtol=1e-4, atol=1e-5)


@triton.jit
def scan_pair_kernel(x_ptr, out_ptr, idx_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    v, i = tl.associative_scan((x, offs), 0, first_nonzero_combine)
    tl.store(out_ptr + offs, v)
    tl.store(idx_ptr + offs, i)


def test_scan_two_operands_int(cpu):
    kernel = build(
        cpu, "scan_pair", scan_pair_kernel, {"x_ptr": "*i32", "out_ptr": "*i32", "idx_ptr": "*i32"},
        N=32,
    )  # fmt: skip
    x = torch.randint(0, 3, (32,), dtype=torch.int32) * (torch.rand(32) < 0.3).int()
    out, idx = torch.empty_like(x), torch.empty_like(x)
    kernel((1,), x, out, idx)
    ref_v, ref_i, v, i = [], [], 0, 0
    for k in range(32):
        if v == 0:
            v, i = int(x[k]), k
        ref_v.append(v)
        ref_i.append(i)
    assert out.tolist() == ref_v and idx.tolist() == ref_i


# --------------------------------------------------------------------------
# (c) Reductions along each axis, with masks; argmax / argmin
# --------------------------------------------------------------------------


@triton.jit
def reduce2d_kernel(x_ptr, out_ptr, M, N, AXIS: tl.constexpr, OP: tl.constexpr,
                    BM: tl.constexpr, BN: tl.constexpr):  # fmt: skip
    rows = tl.arange(0, BM)[:, None]
    cols = tl.arange(0, BN)[None, :]
    mask = (rows < M) & (cols < N)
    if OP == "sum":
        x = tl.load(x_ptr + rows * N + cols, mask=mask, other=0.0)
        y = tl.sum(x, axis=AXIS)
    elif OP == "max":
        x = tl.load(x_ptr + rows * N + cols, mask=mask, other=-float("inf"))
        y = tl.max(x, axis=AXIS)
    elif OP == "min":
        x = tl.load(x_ptr + rows * N + cols, mask=mask, other=float("inf"))
        y = tl.min(x, axis=AXIS)
    elif OP == "argmax":
        x = tl.load(x_ptr + rows * N + cols, mask=mask, other=-float("inf"))
        y = tl.argmax(x, axis=AXIS).to(tl.float32)
    else:
        x = tl.load(x_ptr + rows * N + cols, mask=mask, other=float("inf"))
        y = tl.argmin(x, axis=AXIS).to(tl.float32)
    if AXIS == 0:
        tl.store(out_ptr + tl.arange(0, BN), y, mask=tl.arange(0, BN) < N)
    else:
        tl.store(out_ptr + tl.arange(0, BM), y, mask=tl.arange(0, BM) < M)


REDUCE = {
    "sum": lambda x, a: x.sum(a),
    "max": lambda x, a: x.amax(a),
    "min": lambda x, a: x.amin(a),
    "argmax": lambda x, a: x.argmax(a).float(),
    "argmin": lambda x, a: x.argmin(a).float(),
}


@pytest.mark.parametrize("op", sorted(REDUCE))
@pytest.mark.parametrize("axis", [0, 1])
def test_reduce_2d_masked(cpu, op, axis):
    kernel = build(
        cpu, f"reduce2d_{op}_{axis}", reduce2d_kernel,
        {"x_ptr": F32, "out_ptr": F32, "M": "i32", "N": "i32"}, AXIS=axis, OP=op, BM=16, BN=32,
    )  # fmt: skip
    M, N = 13, 27
    x = torch.randn(M, N)
    out = torch.empty(max(M, N))
    kernel((1,), x, out, M, N)
    ref = REDUCE[op](x, axis)
    torch.testing.assert_close(out[: ref.numel()], ref, rtol=1e-5, atol=1e-5)


@triton.jit
def reduce3d_kernel(x_ptr, out_ptr, A, B, C, AXIS: tl.constexpr,
                    BA: tl.constexpr, BB: tl.constexpr, BC: tl.constexpr):  # fmt: skip
    i = tl.arange(0, BA)[:, None, None]
    j = tl.arange(0, BB)[None, :, None]
    k = tl.arange(0, BC)[None, None, :]
    mask = (i < A) & (j < B) & (k < C)
    x = tl.load(x_ptr + i * B * C + j * C + k, mask=mask, other=0.0)
    s = tl.sum(x, axis=AXIS)
    if AXIS == 0:
        r = tl.arange(0, BB)[:, None]
        c = tl.arange(0, BC)[None, :]
        tl.store(out_ptr + r * C + c, s, mask=(r < B) & (c < C))
    elif AXIS == 1:
        r = tl.arange(0, BA)[:, None]
        c = tl.arange(0, BC)[None, :]
        tl.store(out_ptr + r * C + c, s, mask=(r < A) & (c < C))
    else:
        r = tl.arange(0, BA)[:, None]
        c = tl.arange(0, BB)[None, :]
        tl.store(out_ptr + r * B + c, s, mask=(r < A) & (c < B))


@pytest.mark.parametrize("axis", [0, 1, 2])
def test_reduce_3d_masked(cpu, axis):
    kernel = build(
        cpu, f"reduce3d_{axis}", reduce3d_kernel,
        {"x_ptr": F32, "out_ptr": F32, "A": "i32", "B": "i32", "C": "i32"},
        AXIS=axis, BA=4, BB=8, BC=16,
    )  # fmt: skip
    A, B, C = 3, 7, 10
    x = torch.randn(A, B, C)
    ref = x.sum(axis)
    out = torch.empty(ref.numel())
    kernel((1,), x, out, A, B, C)
    torch.testing.assert_close(out.view_as(ref), ref, rtol=1e-5, atol=1e-5)
