"""Matrix products: mm in several dtypes, bmm, addmm/linear with bias and
activation epilogues, int8, matrix-vector, outer product."""

from __future__ import annotations

import torch
import torch.nn.functional as F
import triton
import triton.language as tl

from .._common import BF16, F16, F32, integers, normal, pow2
from ..registry import add, case


@triton.jit
def matmul_kernel(a_ptr, b_ptr, bias_ptr, c_ptr, M, N, K,
                  stride_ab, stride_am, stride_ak, stride_bb, stride_bk, stride_bn,
                  stride_cb, stride_cm, stride_cn, alpha, beta,
                  BIAS: tl.constexpr, ACT: tl.constexpr, BLOCK_M: tl.constexpr,
                  BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr):  # fmt: skip
    """C[b] = act(alpha * A[b] @ B[b] + beta * bias); bias is a row vector
    (BIAS == "row") or a full matrix (BIAS == "full")."""
    pid_m = tl.program_id(0)
    pid_n = tl.program_id(1)
    batch = tl.program_id(2).to(tl.int64)
    rm = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    rn = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    rk = tl.arange(0, BLOCK_K)
    a_ptrs = a_ptr + batch * stride_ab + rm[:, None] * stride_am + rk[None, :] * stride_ak
    b_ptrs = b_ptr + batch * stride_bb + rk[:, None] * stride_bk + rn[None, :] * stride_bn
    if a_ptr.dtype.element_ty == tl.int8:
        acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.int32)
    else:
        acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for k0 in range(0, K, BLOCK_K):
        a_mask = (rm[:, None] < M) & (rk[None, :] + k0 < K)
        b_mask = (rk[:, None] + k0 < K) & (rn[None, :] < N)
        a = tl.load(a_ptrs, mask=a_mask, other=0)
        b = tl.load(b_ptrs, mask=b_mask, other=0)
        acc = tl.dot(a, b, acc, out_dtype=acc.dtype)
        a_ptrs += BLOCK_K * stride_ak
        b_ptrs += BLOCK_K * stride_bk
    c_mask = (rm[:, None] < M) & (rn[None, :] < N)
    if a_ptr.dtype.element_ty == tl.int8:
        out = acc
    else:
        out = acc * alpha
        if BIAS == "row":
            out += beta * tl.load(bias_ptr + rn, mask=rn < N, other=0.0).to(tl.float32)[None, :]
        elif BIAS == "full":
            bias = tl.load(bias_ptr + rm[:, None] * N + rn[None, :], mask=c_mask, other=0.0)
            out += beta * bias.to(tl.float32)
        if ACT == "relu":
            out = tl.maximum(out, 0.0)
        elif ACT == "gelu":
            out = 0.5 * out * (1.0 + tl.erf(out * 0.7071067811865476))
        elif ACT == "silu":
            out = out * tl.sigmoid(out)
    c_ptrs = c_ptr + batch * stride_cb + rm[:, None] * stride_cm + rn[None, :] * stride_cn
    tl.store(c_ptrs, out.to(c_ptr.dtype.element_ty), mask=c_mask)


@triton.jit
def matvec_kernel(a_ptr, x_ptr, y_ptr, M, K, BLOCK_M: tl.constexpr, BLOCK_K: tl.constexpr):
    rm = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    acc = tl.zeros((BLOCK_M,), dtype=tl.float32)
    for k0 in range(0, K, BLOCK_K):
        rk = k0 + tl.arange(0, BLOCK_K)
        a = tl.load(a_ptr + rm[:, None] * K + rk[None, :],
                    mask=(rm[:, None] < M) & (rk[None, :] < K), other=0.0)  # fmt: skip
        x = tl.load(x_ptr + rk, mask=rk < K, other=0.0)
        acc += tl.sum(a.to(tl.float32) * x.to(tl.float32)[None, :], axis=1)
    tl.store(y_ptr + rm, acc.to(y_ptr.dtype.element_ty), mask=rm < M)


@triton.jit
def outer_kernel(x_ptr, y_ptr, out_ptr, M, N, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    rm = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    rn = tl.program_id(1) * BLOCK_N + tl.arange(0, BLOCK_N)
    x = tl.load(x_ptr + rm, mask=rm < M, other=0.0)
    y = tl.load(y_ptr + rn, mask=rn < N, other=0.0)
    mask = (rm[:, None] < M) & (rn[None, :] < N)
    tl.store(out_ptr + rm[:, None] * N + rn[None, :], x[:, None] * y[None, :], mask=mask)


def _strides3(t):
    if t.dim() == 2:
        return (0, *t.stride())
    return t.stride()


def matmul(k, a, b, bias=None, bias_kind="", act="", alpha=1.0, beta=1.0, out_dtype=None):
    """Runs matmul_kernel on 2-D or batched (3-D) operands of any strides."""
    batch = a.shape[0] if a.dim() == 3 else 1
    m, kk = a.shape[-2:]
    n = b.shape[-1]
    shape = (batch, m, n) if a.dim() == 3 else (m, n)
    c = torch.empty(shape, device=a.device, dtype=out_dtype or a.dtype)
    bm, bn = min(64, max(16, pow2(m))), min(64, max(16, pow2(n)))
    bk = min(32, max(16, pow2(kk)))
    grid = (triton.cdiv(m, bm), triton.cdiv(n, bn), batch)
    k.matmul_kernel[grid](
        a, b, bias if bias is not None else c, c, m, n, kk, *_strides3(a), *_strides3(b),
        *_strides3(c), alpha, beta, BIAS=bias_kind, ACT=act, BLOCK_M=bm, BLOCK_N=bn,
        BLOCK_K=bk,
    )  # fmt: skip
    return c


def _mm_inputs(c, device, gen):
    m, n, kk = c.shape[-3:]
    batch = c.shape[:-3]
    a = normal(c, device, gen, shape=(*batch, m, kk), scale=0.5)
    b = normal(c, device, gen, shape=(*batch, kk, n), scale=0.5)
    if c.param("bt"):  # B given transposed: a (N, K) tensor read through strides
        b = b.transpose(-1, -2).contiguous().transpose(-1, -2)
    return a, b, normal(c, device, gen, shape=(n,)), normal(c, device, gen, shape=(m, n))


def _ref_mm(c, a, b, *_):
    return (a.double() @ b.double()).to(c.dtype)


MM_CASES = (case((33, 47, 29)), case((64, 32, 48), F16), case((40, 24, 72), BF16))
MM_BENCH = (case((2048, 2048, 2048), F16), case((1024, 1024, 1024)))
TOL = {"atol": 1e-4, "rtol": 1e-4, "half_atol": 2e-2, "half_rtol": 2e-2}
MM_BASE = {"baseline": lambda c, a, b, *_: a @ b, "quick_cases": (case((256, 256, 256)),)}
K = [matmul_kernel]

add("mm", "matmul", K, _mm_inputs, lambda k, c, a, b, *_: matmul(k, a, b), _ref_mm,
    MM_CASES, MM_BENCH, **TOL, **MM_BASE)  # fmt: skip
add("mm_transposed_b", "matmul", K, _mm_inputs, lambda k, c, a, b, *_: matmul(k, a, b), _ref_mm,
    (case((33, 47, 29), bt=True), case((64, 32, 48), F16, bt=True)),
    (case((2048, 2048, 2048), F16, bt=True),), **TOL,
    **{**MM_BASE, "quick_cases": (case((256, 256, 256), bt=True),)})  # fmt: skip
add("bmm", "matmul", K, _mm_inputs, lambda k, c, a, b, *_: matmul(k, a, b), _ref_mm,
    (case((3, 33, 20, 17)), case((4, 32, 32, 64), F16)), (case((32, 512, 512, 512), F16),),
    **TOL, **{**MM_BASE, "quick_cases": (case((4, 128, 128, 128)),)})  # fmt: skip
add(
    "addmm", "matmul", K, _mm_inputs,
    lambda k, c, a, b, bias, full: matmul(k, a, b, full, "full", alpha=0.5, beta=2.0),
    lambda c, a, b, bias, full: torch.addmm(full.double(), a.double(), b.double(),
                                            alpha=0.5, beta=2.0).to(c.dtype),
    MM_CASES[:2], MM_BENCH, quick_cases=MM_BASE["quick_cases"], **TOL,
)  # fmt: skip
add(
    "baddbmm", "matmul", K, _mm_inputs,
    lambda k, c, a, b, bias, full: matmul(k, a, b, full, "full", alpha=0.5, beta=2.0),
    lambda c, a, b, bias, full: torch.baddbmm(full.double(), a.double(), b.double(),
                                              alpha=0.5, beta=2.0).to(c.dtype),
    (case((3, 33, 20, 17)),), (case((32, 512, 512, 512), F16),),
    quick_cases=(case((4, 128, 128, 128)),), **TOL,
)  # fmt: skip
for _act, _fn in (("", lambda t: t), ("relu", F.relu), ("gelu", F.gelu), ("silu", F.silu)):
    add(
        f"linear_bias_{_act}" if _act else "linear_bias", "matmul", K, _mm_inputs,
        lambda k, c, a, b, bias, full, act=_act: matmul(k, a, b, bias, "row", act),
        lambda c, a, b, bias, full, fn=_fn: fn(F.linear(a.double(), b.double().T,
                                                        bias.double())).to(c.dtype),
        MM_CASES[:2], MM_BENCH[:1], quick_cases=MM_BASE["quick_cases"], **TOL,
    )  # fmt: skip


def _int8_inputs(c, device, gen):
    m, n, kk = c.shape
    return (integers((m, kk), -128, 128, torch.int8, device, gen),
            integers((kk, n), -128, 128, torch.int8, device, gen))  # fmt: skip


def _int8_baseline(c, a, b):
    """torch's int8 x int8 -> int32 product on GPUs; on CPUs, via int64."""
    if a.is_cuda:
        return torch._int_mm(a, b)
    return (a.long() @ b.long()).int()


add(
    "mm_int8", "matmul", K, _int8_inputs,
    lambda k, c, a, b: matmul(k, a, b, out_dtype=torch.int32),
    lambda c, a, b: (a.cpu().long() @ b.cpu().long()).int(),  # CUDA has no int64 matmul
    (case((33, 47, 40), torch.int8),), (case((2048, 2048, 2048), torch.int8),),
    quick_cases=(case((256, 256, 256), torch.int8),), baseline=_int8_baseline,
)  # fmt: skip


def _mv(k, c, a, x):
    m, kk = a.shape
    y = torch.empty(m, device=a.device, dtype=a.dtype)
    k.matvec_kernel[(triton.cdiv(m, 32),)](a, x, y, m, kk, BLOCK_M=32, BLOCK_K=64)
    return y


add(
    "mv", "matmul", [matvec_kernel],
    lambda c, d, g: (normal(c, d, g), normal(c, d, g, shape=(c.shape[1],))), _mv,
    lambda c, a, x: (a.double() @ x.double()).to(c.dtype),
    (case((37, 100)), case((64, 300), F16)), (case((8192, 8192)),),
    quick_cases=(case((2048, 2048)),), **TOL,
)  # fmt: skip


def _outer(k, c, x, y):
    m, n = x.numel(), y.numel()
    out = torch.empty((m, n), device=x.device, dtype=x.dtype)
    k.outer_kernel[(triton.cdiv(m, 32), triton.cdiv(n, 32))](x, y, out, m, n,
                                                            BLOCK_M=32, BLOCK_N=32)  # fmt: skip
    return out


add(
    "outer", "matmul", [outer_kernel],
    lambda c, d, g: (normal(c, d, g, shape=c.shape[:1]), normal(c, d, g, shape=c.shape[1:])),
    _outer, lambda c, x, y: torch.outer(x, y), (case((37, 50)), case((20, 70), F32)),
    (case((4096, 4096)),), quick_cases=(case((1024, 1024)),), atol=1e-6, rtol=1e-6,
)  # fmt: skip
