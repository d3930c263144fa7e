"""What the host-CPU lane lowers: atomics, indexed loads, random numbers,
control flow and helper calls, libdevice, flash attention and half-precision
matmul. Tolerances as in test_cpu_lowering.py."""

from __future__ import annotations

import pytest
import torch
import triton
import triton.language as tl
from test_cpu_core import CPUKernel, CPUKernelError, build, cpu, ttir_of
from test_cpu_lowering import TORCH_OF
from triton.language.extra import libdevice

__all__ = ["cpu"]  # the fixture, shared with test_cpu_core.py

F32 = "*fp32"


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
    def asm_kernel(x_ptr, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        x = tl.load(x_ptr + offs)
        y = tl.inline_asm_elementwise(
            "mov.b32 $0, $1;", "=r,r", [x], dtype=tl.int32, is_pure=True, pack=1
        )
        tl.store(x_ptr + offs, y)

    ttir = ttir_of(asm_kernel, {"x_ptr": "*i32", "BLOCK": "constexpr"}, {"BLOCK": 16})
    with pytest.raises(
        CPUKernelError, match=r"test_cpu_programs.py:\d+:\d+: error: 'tt.elementwise_inline_asm'"
    ):
        CPUKernel(cpu, ttir)
