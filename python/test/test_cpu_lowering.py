"""What the host-CPU lane lowers beyond the first slice, kernel by kernel.

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
from test_cpu_core import CPUKernel, CPUKernelError, compile_cpu, cpu, ttir_of
from triton.language.extra import libdevice

__all__ = ["cpu"]  # the fixture, shared with test_cpu_core.py

F32 = "*fp32"


def build(cpu, name: str, fn, signature: dict[str, str], **constexprs) -> CPUKernel:
    for key in constexprs:
        signature[key] = "constexpr"
    return compile_cpu(cpu, name, fn, signature, constexprs)


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


# --------------------------------------------------------------------------
# (d) Atomics
# --------------------------------------------------------------------------


@triton.jit
def atomic_add_kernel(x_ptr, total_ptr, hist_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask, other=0.0)
    tl.atomic_add(total_ptr, tl.sum(x, axis=0))
    bins = (tl.abs(x) * 4).to(tl.int32) % 8
    tl.atomic_add(hist_ptr + bins, 1, mask=mask)


def test_atomic_add_scalar_and_tensor(cpu):
    kernel = build(
        cpu, "atomic_add", atomic_add_kernel,
        {"x_ptr": F32, "total_ptr": F32, "hist_ptr": "*i32", "n": "i32"}, BLOCK=64,
    )  # fmt: skip
    n = 5000
    x = torch.randn(n)
    total = torch.zeros(1)
    hist = torch.zeros(8, dtype=torch.int32)
    kernel((triton.cdiv(n, 64),), x, total, hist, n)  # programs run in parallel
    torch.testing.assert_close(total[0], x.sum(), rtol=1e-4, atol=1e-3)
    ref = torch.bincount(((x.abs() * 4).int() % 8).long(), minlength=8).int()
    assert hist.tolist() == ref.tolist()


@triton.jit
def atomic_ops_kernel(x_ptr, out_ptr, old_ptr, n, OP: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)
    slot = out_ptr + offs % 4
    if OP == "max":
        old = tl.atomic_max(slot, x, mask=mask)
    elif OP == "min":
        old = tl.atomic_min(slot, x, mask=mask)
    elif OP == "and":
        old = tl.atomic_and(slot, x, mask=mask)
    elif OP == "or":
        old = tl.atomic_or(slot, x, mask=mask)
    elif OP == "xor":
        old = tl.atomic_xor(slot, x, mask=mask)
    elif OP == "add":
        old = tl.atomic_add(slot, x, mask=mask)
    else:
        old = tl.atomic_xchg(slot, x, mask=mask)
    tl.store(old_ptr + offs, old, mask=mask)


ATOMIC_INT = {
    "max": max,
    "min": min,
    "and": lambda a, b: a & b,
    "or": lambda a, b: a | b,
    "xor": lambda a, b: a ^ b,
    "add": lambda a, b: a + b,
}


@pytest.mark.parametrize("op", sorted(ATOMIC_INT))
def test_atomic_rmw_int32(cpu, op):
    kernel = build(
        cpu, f"atomic_{op}", atomic_ops_kernel,
        {"x_ptr": "*i32", "out_ptr": "*i32", "old_ptr": "*i32", "n": "i32"}, OP=op, BLOCK=16,
    )  # fmt: skip
    n = 250  # the last program is masked
    x = torch.randint(-(2**20), 2**20, (n,), dtype=torch.int32)
    init = {"and": -1, "min": 2**30, "max": -(2**30)}.get(op, 0)
    out = torch.full((4,), init, dtype=torch.int32)
    old = torch.zeros(n, dtype=torch.int32)
    kernel((triton.cdiv(n, 16),), x, out, old, n)
    ref = [init] * 4
    for i, value in enumerate(x.tolist()):
        ref[i % 4] = ATOMIC_INT[op](ref[i % 4], value)
    assert out.tolist() == ref


@pytest.mark.parametrize("op", ["max", "min", "add"])
def test_atomic_rmw_fp32(cpu, op):
    kernel = build(
        cpu, f"atomic_f_{op}", atomic_ops_kernel,
        {"x_ptr": F32, "out_ptr": F32, "old_ptr": F32, "n": "i32"}, OP=op, BLOCK=16,
    )  # fmt: skip
    n = 256
    x = torch.randn(n)
    out = torch.zeros(4)
    old = torch.zeros(n)
    kernel((n // 16,), x, out, old, n)
    slots = torch.cat([torch.zeros(1, 4), x.view(-1, 4)])
    ref = {"max": slots.amax(0), "min": slots.amin(0), "add": slots.sum(0)}[op]
    torch.testing.assert_close(out, ref, rtol=1e-4, atol=1e-4)


def test_atomic_xchg_returns_old(cpu):
    kernel = build(
        cpu, "atomic_xchg", atomic_ops_kernel,
        {"x_ptr": "*i32", "out_ptr": "*i32", "old_ptr": "*i32", "n": "i32"}, OP="xchg", BLOCK=16,
    )  # fmt: skip
    n = 64
    x = torch.arange(1, n + 1, dtype=torch.int32)
    out = torch.zeros(4, dtype=torch.int32)
    old = torch.full((n,), -1, dtype=torch.int32)
    kernel((n // 16,), x, out, old, n, num_threads=1)
    # Every value written was either returned by a later exchange or is left.
    seen = sorted(old.tolist() + out.tolist())
    assert seen == sorted([0] * 4 + x.tolist())


@triton.jit
def counter_kernel(lock_ptr, count_ptr, claimed_ptr):
    pid = tl.program_id(0)
    # Spin lock: only the program that swaps 0 -> 1 enters.
    while tl.atomic_cas(lock_ptr, 0, 1) == 1:
        pass
    count = tl.load(count_ptr)
    tl.store(count_ptr, count + 1)
    tl.store(claimed_ptr + pid, count)
    tl.atomic_xchg(lock_ptr, 0)


def test_atomic_cas_lock(cpu):
    kernel = build(
        cpu,
        "atomic_cas",
        counter_kernel,
        {"lock_ptr": "*i32", "count_ptr": "*i32", "claimed_ptr": "*i32"},
    )
    programs = 200
    lock = torch.zeros(1, dtype=torch.int32)
    count = torch.zeros(1, dtype=torch.int32)
    claimed = torch.full((programs,), -1, dtype=torch.int32)
    kernel((programs,), lock, count, claimed)
    assert count.item() == programs
    assert sorted(claimed.tolist()) == list(range(programs))


# --------------------------------------------------------------------------
# (e) Gather-style indexed loads on 2-D blocks
# --------------------------------------------------------------------------


@triton.jit
def gather2d_kernel(x_ptr, idx_ptr, out_ptr, M, N, K, BM: tl.constexpr, BN: tl.constexpr):
    rows = tl.program_id(0) * BM + tl.arange(0, BM)[:, None]
    cols = tl.arange(0, BN)[None, :]
    mask = (rows < M) & (cols < N)
    idx = tl.load(idx_ptr + rows * N + cols, mask=mask, other=0)
    v = tl.load(x_ptr + idx * K + rows % K, mask=mask, other=-1.0)
    tl.store(out_ptr + rows * N + cols, v, mask=mask)


def test_gather_2d(cpu):
    kernel = build(
        cpu, "gather2d", gather2d_kernel,
        {"x_ptr": F32, "idx_ptr": "*i32", "out_ptr": F32, "M": "i32", "N": "i32", "K": "i32"},
        BM=8, BN=16,
    )  # fmt: skip
    M, N, K, V = 21, 13, 5, 40
    x = torch.randn(V, K)
    idx = torch.randint(0, V, (M, N), dtype=torch.int32)
    out = torch.zeros(M, N)
    kernel((triton.cdiv(M, 8),), x, idx, out, M, N, K)
    rows = torch.arange(M)[:, None].expand(M, N)
    torch.testing.assert_close(out, x[idx.long(), rows % K], rtol=0, atol=0)


# --------------------------------------------------------------------------
# (f) Random numbers and dropout
# --------------------------------------------------------------------------


@triton.jit
def rand_kernel(out_ptr, seed, n, KIND: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    if KIND == "rand":
        r = tl.rand(seed, offs)
    elif KIND == "randn":
        r = tl.randn(seed, offs)
    else:
        r = tl.randint(seed, offs).to(tl.float32, bitcast=True)
    tl.store(out_ptr + offs, r, mask=offs < n)


def _philox_reference(seed: int, offsets: torch.Tensor) -> torch.Tensor:
    """Philox 4x32-10 as Triton defines it (first output), in Python."""
    mask = 0xFFFFFFFF
    out = []
    for off in offsets.tolist():
        c = [off & mask, 0, 0, 0]
        k = [seed & mask, (seed >> 32) & mask]
        for _ in range(10):
            p0, p1 = 0xD2511F53 * c[0], 0xCD9E8D57 * c[2]
            c = [(p1 >> 32) ^ c[1] ^ k[0], p1 & mask, (p0 >> 32) ^ c[3] ^ k[1], p0 & mask]
            k = [(k[0] + 0x9E3779B9) & mask, (k[1] + 0xBB67AE85) & mask]
        out.append(c[0])
    return torch.tensor(out, dtype=torch.int64)


def test_randint_is_philox(cpu):
    kernel = build(
        cpu,
        "randint",
        rand_kernel,
        {"out_ptr": F32, "seed": "i32", "n": "i32"},
        KIND="randint",
        BLOCK=64,
    )
    n = 100
    out = torch.empty(n)
    kernel((2,), out, 1234, n)
    bits = out.view(torch.int32).long() & 0xFFFFFFFF
    assert bits.tolist() == _philox_reference(1234, torch.arange(n)).tolist()


@pytest.mark.parametrize("kind", ["rand", "randn"])
def test_rand_distribution(cpu, kind):
    kernel = build(
        cpu,
        f"{kind}",
        rand_kernel,
        {"out_ptr": F32, "seed": "i32", "n": "i32"},
        KIND=kind,
        BLOCK=256,
    )
    n = 1 << 16
    out = torch.empty(n)
    kernel((n // 256,), out, 42, n)
    if kind == "rand":
        assert 0 <= out.min() and out.max() < 1
        assert abs(out.mean().item() - 0.5) < 0.01
    else:
        assert abs(out.mean().item()) < 0.02 and abs(out.std().item() - 1) < 0.02
    again = torch.empty(n)
    kernel((n // 256,), again, 42, n)
    assert torch.equal(out, again)


@triton.jit
def dropout_kernel(x_ptr, out_ptr, n, p, seed, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)
    keep = tl.rand(seed, offs) > p
    tl.store(out_ptr + offs, tl.where(keep, x / (1 - p), 0.0), mask=mask)


def test_dropout(cpu):
    kernel = build(
        cpu, "dropout", dropout_kernel,
        {"x_ptr": F32, "out_ptr": F32, "n": "i32", "p": "fp32", "seed": "i32"}, BLOCK=128,
    )  # fmt: skip
    n = 10000
    x = torch.randn(n) + 3
    out = torch.empty(n)
    kernel((triton.cdiv(n, 128),), x, out, n, 0.3, 7)
    kept = out != 0
    assert abs(kept.float().mean().item() - 0.7) < 0.03
    torch.testing.assert_close(out[kept], x[kept] / 0.7, rtol=1e-6, atol=1e-6)


# --------------------------------------------------------------------------
# (g) Loops, branches and helper calls
# --------------------------------------------------------------------------


@triton.jit(noinline=True)
def scaled_at(ptr, i, scale):
    return tl.load(ptr + i) * scale


@triton.jit(noinline=True)
def polynomial(x, a, b):
    return x * x * a + b


@triton.jit
def control_kernel(x_ptr, out_ptr, n, steps, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    mask = offs < n
    acc = tl.zeros((BLOCK,), dtype=tl.float32)
    total = 0.0
    for i in range(steps):
        x = tl.load(x_ptr + i * n + offs, mask=mask, other=0.0)
        if i % 2 == 0:
            acc += x
        else:
            acc -= x * 0.5
        total += scaled_at(x_ptr, i * n, 2.0)
    k = 1
    while k < steps:
        acc = acc * 1.5
        k *= 2
    out = acc + polynomial(total, 0.25, 1.0)
    tl.store(out_ptr + offs, out, mask=mask)


def test_loops_branches_calls(cpu):
    kernel = build(
        cpu, "control", control_kernel, {"x_ptr": F32, "out_ptr": F32, "n": "i32", "steps": "i32"},
        BLOCK=64,
    )  # fmt: skip
    n, steps = 50, 7
    x = torch.randn(steps, n)
    out = torch.empty(n)
    kernel((1,), x, out, n, steps)
    acc = torch.zeros(n)
    total = 0.0
    for i in range(steps):
        acc = acc + x[i] if i % 2 == 0 else acc - x[i] * 0.5
        total += float(x[i, 0]) * 2.0
    k = 1
    while k < steps:
        acc, k = acc * 1.5, k * 2
    torch.testing.assert_close(out, acc + (total * total * 0.25 + 1.0), rtol=1e-5, atol=1e-5)


# --------------------------------------------------------------------------
# (h) libdevice functions through tt.extern_elementwise
# --------------------------------------------------------------------------


@triton.jit
def libdevice_kernel(x_ptr, y_ptr, out_ptr, n, OP: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask, other=1.0)
    y = tl.load(y_ptr + offs, mask=mask, other=1.0)
    if OP == "tanh":
        z = libdevice.tanh(x)
    elif OP == "pow":
        z = libdevice.pow(tl.abs(x), y)
    elif OP == "erf":
        z = libdevice.erf(x)
    elif OP == "log1p":
        z = libdevice.log1p(tl.abs(x))
    elif OP == "expm1":
        z = libdevice.expm1(x)
    elif OP == "isnan":
        z = libdevice.isnan(x).to(tl.float32)
    elif OP == "isinf":
        z = libdevice.isinf(x).to(tl.float32)
    elif OP == "rint":
        z = libdevice.rint(x)
    elif OP == "trunc":
        z = libdevice.trunc(x)
    elif OP == "fmod":
        z = libdevice.fmod(x, y)
    else:
        z = libdevice.atan2(x, y)
    tl.store(out_ptr + offs, z, mask=mask)


LIBDEVICE = {
    "tanh": lambda x, y: torch.tanh(x),
    "pow": lambda x, y: torch.pow(x.abs(), y),
    "erf": lambda x, y: torch.erf(x),
    "log1p": lambda x, y: torch.log1p(x.abs()),
    "expm1": lambda x, y: torch.expm1(x),
    "isnan": lambda x, y: torch.isnan(x).float(),
    "isinf": lambda x, y: torch.isinf(x).float(),
    "rint": lambda x, y: torch.round(x),  # round half to even, as rint
    "trunc": lambda x, y: torch.trunc(x),
    "fmod": lambda x, y: torch.fmod(x, y),
    "atan2": lambda x, y: torch.atan2(x, y),
}


@pytest.mark.parametrize("op", sorted(LIBDEVICE))
def test_libdevice(cpu, op):
    kernel = build(
        cpu, f"libdevice_{op}", libdevice_kernel,
        {"x_ptr": F32, "y_ptr": F32, "out_ptr": F32, "n": "i32"}, OP=op, BLOCK=64,
    )  # fmt: skip
    n = 200
    x, y = torch.randn(n) * 3, torch.randn(n) + 0.1
    x[::17] = float("nan")
    x[5::23] = float("inf")
    x[7] = 2.5  # a tie for rint
    out = torch.empty(n)
    kernel((triton.cdiv(n, 64),), x, y, out, n)
    torch.testing.assert_close(out, LIBDEVICE[op](x, y), rtol=1e-4, atol=1e-5, equal_nan=True)


# --------------------------------------------------------------------------
# (i) Flash attention and half-precision matmul
# --------------------------------------------------------------------------


@triton.jit
def matmul_kernel(a_ptr, b_ptr, c_ptr, M, N, K, BM: tl.constexpr, BN: tl.constexpr,
                  BK: tl.constexpr):  # fmt: skip
    rm = tl.program_id(0) * BM + tl.arange(0, BM)
    rn = tl.program_id(1) * BN + tl.arange(0, BN)
    rk = tl.arange(0, BK)
    acc = tl.zeros((BM, BN), dtype=tl.float32)
    for k in range(0, K, BK):
        a = tl.load(a_ptr + rm[:, None] * K + (k + rk)[None, :],
                    mask=(rm[:, None] < M) & ((k + rk)[None, :] < K), other=0.0)  # fmt: skip
        b = tl.load(b_ptr + (k + rk)[:, None] * N + rn[None, :],
                    mask=((k + rk)[:, None] < K) & (rn[None, :] < N), other=0.0)  # fmt: skip
        acc = tl.dot(a, b, acc)
    tl.store(c_ptr + rm[:, None] * N + rn[None, :], acc, mask=(rm[:, None] < M) & (rn[None, :] < N))


@pytest.mark.parametrize("dtype", ["fp16", "bf16"])
def test_matmul_half_inputs(cpu, dtype):
    ptr = "*" + dtype
    kernel = build(
        cpu, f"matmul_{dtype}", matmul_kernel,
        {"a_ptr": ptr, "b_ptr": ptr, "c_ptr": F32, "M": "i32", "N": "i32", "K": "i32"},
        BM=32, BN=32, BK=16,
    )  # fmt: skip
    M, N, K = 45, 70, 40
    a = torch.randn(M, K).to(TORCH_OF[dtype])
    b = torch.randn(K, N).to(TORCH_OF[dtype])
    c = torch.empty(M, N)
    kernel((triton.cdiv(M, 32), triton.cdiv(N, 32)), a, b, c, M, N, K)
    torch.testing.assert_close(c, a.float() @ b.float(), rtol=1e-3, atol=1e-3)


@triton.jit
def flash_attention_kernel(q_ptr, k_ptr, v_ptr, o_ptr, seq, scale, D: tl.constexpr,
                           BM: tl.constexpr, BN: tl.constexpr):  # fmt: skip
    head = tl.program_id(1)
    base = head * seq * D
    rm = tl.program_id(0) * BM + tl.arange(0, BM)
    rd = tl.arange(0, D)
    q = tl.load(q_ptr + base + rm[:, None] * D + rd[None, :], mask=rm[:, None] < seq, other=0.0)
    m_i = tl.full((BM,), -float("inf"), dtype=tl.float32)
    l_i = tl.zeros((BM,), dtype=tl.float32)
    acc = tl.zeros((BM, D), dtype=tl.float32)
    for start in range(0, seq, BN):
        rn = start + tl.arange(0, BN)
        k = tl.load(k_ptr + base + rn[:, None] * D + rd[None, :], mask=rn[:, None] < seq, other=0.0)
        v = tl.load(v_ptr + base + rn[:, None] * D + rd[None, :], mask=rn[:, None] < seq, other=0.0)
        s = tl.dot(q, tl.trans(k)) * scale
        s = tl.where(rn[None, :] < seq, s, -float("inf"))
        m_new = tl.maximum(m_i, tl.max(s, axis=1))
        alpha = tl.exp(m_i - m_new)
        p = tl.exp(s - m_new[:, None])
        l_i = l_i * alpha + tl.sum(p, axis=1)
        acc = acc * alpha[:, None] + tl.dot(p.to(v.dtype), v)
        m_i = m_new
    out = acc / l_i[:, None]
    tl.store(o_ptr + base + rm[:, None] * D + rd[None, :], out.to(o_ptr.dtype.element_ty),
             mask=rm[:, None] < seq)  # fmt: skip


@pytest.mark.parametrize("dtype", ["fp32", "fp16", "bf16"])
def test_flash_attention_forward(cpu, dtype):
    ptr = "*" + dtype
    kernel = build(
        cpu, f"flash_attention_{dtype}", flash_attention_kernel,
        {"q_ptr": ptr, "k_ptr": ptr, "v_ptr": ptr, "o_ptr": ptr, "seq": "i32", "scale": "fp32"},
        D=32, BM=16, BN=16,
    )  # fmt: skip
    heads, seq, d = 3, 50, 32
    q, k, v = (torch.randn(heads, seq, d).to(TORCH_OF[dtype]) for _ in range(3))
    out = torch.empty_like(q)
    scale = d**-0.5
    kernel((triton.cdiv(seq, 16), heads), q, k, v, out, seq, scale)
    ref = torch.softmax((q.float() @ k.float().transpose(1, 2)) * scale, dim=-1) @ v.float()
    tol = {"fp32": 1e-4, "fp16": 1e-2, "bf16": 2e-2}[dtype]
    torch.testing.assert_close(out.float(), ref, rtol=tol, atol=tol)


# --------------------------------------------------------------------------
# What the lane still rejects is a diagnostic at the kernel's line
# --------------------------------------------------------------------------


def test_unsupported_op_names_file_and_line(cpu):
    @triton.jit
    def sort_kernel(x_ptr, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        tl.store(x_ptr + offs, tl.histogram(tl.load(x_ptr + offs), BLOCK))

    ttir = ttir_of(sort_kernel, {"x_ptr": "*i32", "BLOCK": "constexpr"}, {"BLOCK": 16})
    with pytest.raises(
        CPUKernelError, match=r"test_cpu_lowering.py:\d+:\d+: error: 'tt.histogram'"
    ):
        CPUKernel(cpu, ttir)
