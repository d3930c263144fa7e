"""Layer, RMS and group normalization, forward and backward, and the
normalizations built on them. One program per row (or per group)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
import triton
import triton.language as tl

from .._common import BF16, F16, normal, pow2
from ..registry import add, case

EPS = 1e-5


@triton.jit
def layer_norm_kernel(x_ptr, w_ptr, b_ptr, res_ptr, out_ptr, mean_ptr, rstd_ptr, N, eps,
                      RMS: tl.constexpr, RESIDUAL: tl.constexpr, BLOCK: tl.constexpr):  # fmt: skip
    """LayerNorm (or RMSNorm with RMS), optionally of x + residual, which is
    then written back to res_ptr (the fused add + norm of transformers)."""
    row = tl.program_id(0).to(tl.int64)
    cols = tl.arange(0, BLOCK)
    mask = cols < N
    x = tl.load(x_ptr + row * N + cols, mask=mask, other=0.0).to(tl.float32)
    if RESIDUAL:
        x += tl.load(res_ptr + row * N + cols, mask=mask, other=0.0).to(tl.float32)
        tl.store(res_ptr + row * N + cols, x.to(res_ptr.dtype.element_ty), mask=mask)
    if RMS:
        mean = 0.0
        xc = x
    else:
        mean = tl.sum(x, axis=0) / N
        xc = tl.where(mask, x - mean, 0.0)
    rstd = 1.0 / tl.sqrt(tl.sum(xc * xc, axis=0) / N + eps)
    w = tl.load(w_ptr + cols, mask=mask, other=0.0).to(tl.float32)
    y = xc * rstd * w
    if not RMS:
        y += tl.load(b_ptr + cols, mask=mask, other=0.0).to(tl.float32)
    tl.store(out_ptr + row * N + cols, y.to(out_ptr.dtype.element_ty), mask=mask)
    tl.store(mean_ptr + row, mean)
    tl.store(rstd_ptr + row, rstd)


@triton.jit
def norm_bwd_kernel(x_ptr, w_ptr, dy_ptr, mean_ptr, rstd_ptr, dx_ptr, dw_part_ptr, db_part_ptr,
                    N, RMS: tl.constexpr, BLOCK: tl.constexpr):  # fmt: skip
    """dx of one row, and that row's share of dw and db (summed by
    column_sum_kernel)."""
    row = tl.program_id(0).to(tl.int64)
    cols = tl.arange(0, BLOCK)
    mask = cols < N
    x = tl.load(x_ptr + row * N + cols, mask=mask, other=0.0).to(tl.float32)
    dy = tl.load(dy_ptr + row * N + cols, mask=mask, other=0.0).to(tl.float32)
    w = tl.load(w_ptr + cols, mask=mask, other=0.0).to(tl.float32)
    mean = tl.load(mean_ptr + row)
    rstd = tl.load(rstd_ptr + row)
    xhat = tl.where(mask, (x - mean) * rstd, 0.0)
    g = dy * w
    c1 = tl.sum(xhat * g, axis=0) / N
    if RMS:
        dx = (g - xhat * c1) * rstd
    else:
        c2 = tl.sum(g, axis=0) / N
        dx = (g - xhat * c1 - c2) * rstd
    tl.store(dx_ptr + row * N + cols, dx.to(dx_ptr.dtype.element_ty), mask=mask)
    tl.store(dw_part_ptr + row * N + cols, dy * xhat, mask=mask)
    tl.store(db_part_ptr + row * N + cols, dy, mask=mask)


@triton.jit
def column_sum_kernel(x_ptr, out_ptr, M, N, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    cols = tl.program_id(0) * BLOCK_N + tl.arange(0, BLOCK_N)
    acc = tl.zeros((BLOCK_N,), dtype=tl.float32)
    for m0 in range(0, M, BLOCK_M):
        rows = m0 + tl.arange(0, BLOCK_M)
        mask = (rows[:, None] < M) & (cols[None, :] < N)
        acc += tl.sum(tl.load(x_ptr + rows[:, None] * N + cols[None, :], mask=mask, other=0.0), 0)
    tl.store(out_ptr + cols, acc.to(out_ptr.dtype.element_ty), mask=cols < N)


@triton.jit
def group_norm_kernel(x_ptr, w_ptr, b_ptr, out_ptr, C, HW, G, eps, BLOCK: tl.constexpr):
    """One (sample, group): C // G channels of HW values each."""
    pid = tl.program_id(0)
    n = pid // G
    g = pid % G
    cpg = C // G
    size = cpg * HW
    base = n.to(tl.int64) * C * HW + g * size
    offs = tl.arange(0, BLOCK)
    mask = offs < size
    x = tl.load(x_ptr + base + offs, mask=mask, other=0.0).to(tl.float32)
    mean = tl.sum(x, axis=0) / size
    xc = tl.where(mask, x - mean, 0.0)
    rstd = 1.0 / tl.sqrt(tl.sum(xc * xc, axis=0) / size + eps)
    channel = g * cpg + offs // HW
    w = tl.load(w_ptr + channel, mask=mask, other=0.0)
    b = tl.load(b_ptr + channel, mask=mask, other=0.0)
    tl.store(out_ptr + base + offs, (xc * rstd * w + b).to(out_ptr.dtype.element_ty), mask=mask)


@triton.jit
def l2_normalize_kernel(x_ptr, out_ptr, N, eps, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    cols = tl.arange(0, BLOCK)
    mask = cols < N
    x = tl.load(x_ptr + row * N + cols, mask=mask, other=0.0).to(tl.float32)
    norm = tl.maximum(tl.sqrt(tl.sum(x * x, axis=0)), eps)
    tl.store(out_ptr + row * N + cols, (x / norm).to(out_ptr.dtype.element_ty), mask=mask)


@triton.jit
def batch_norm_infer_kernel(x_ptr, mean_ptr, var_ptr, w_ptr, b_ptr, out_ptr, C, HW, eps,
                            BLOCK: tl.constexpr):  # fmt: skip
    """Inference batch norm of an (N, C, HW) tensor: one program per
    (sample, channel)."""
    pid = tl.program_id(0)
    ch = pid % C
    offs = tl.arange(0, BLOCK)
    base = pid.to(tl.int64) * HW
    mean = tl.load(mean_ptr + ch)
    scale = tl.load(w_ptr + ch) / tl.sqrt(tl.load(var_ptr + ch) + eps)
    shift = tl.load(b_ptr + ch) - mean * scale
    for start in range(0, HW, BLOCK):
        mask = start + offs < HW
        x = tl.load(x_ptr + base + start + offs, mask=mask, other=0.0).to(tl.float32)
        tl.store(out_ptr + base + start + offs, (x * scale + shift).to(out_ptr.dtype.element_ty),
                 mask=mask)  # fmt: skip


def _norm_inputs(c, device, gen):
    n = c.shape[-1]
    x = normal(c, device, gen)
    w = (1 + 0.1 * normal(c, device, gen, shape=(n,), dtype=torch.float32)).to(c.dtype)
    return x, w, normal(c, device, gen, shape=(n,), scale=0.1)


def _forward(k, c, x, w, b, rms=False, residual=None):
    m, n = x.shape
    out = torch.empty_like(x)
    mean = torch.empty(m, device=x.device)
    rstd = torch.empty(m, device=x.device)
    res = residual if residual is not None else x
    k.layer_norm_kernel[(m,)](x, w, b, res, out, mean, rstd, n, EPS, RMS=rms,
                              RESIDUAL=residual is not None, BLOCK=pow2(n))  # fmt: skip
    return out, mean, rstd


def _layer_norm(k, c, x, w, b):
    return _forward(k, c, x, w, b)[0]


def _rms_norm(k, c, x, w, b):
    return _forward(k, c, x, w, b, rms=True)[0]


def _add_rms_norm(k, c, x, w, b):
    residual = torch.ones_like(x)
    out = _forward(k, c, x, w, b, rms=True, residual=residual)[0]
    return out, residual


def _rms_ref(x, w):
    x = x.float()
    return x * torch.rsqrt(x.square().mean(-1, keepdim=True) + EPS) * w.float()


def _backward(rms):
    def launch(k, c, x, w, b, dy):
        m, n = x.shape
        _, mean, rstd = _forward(k, c, x, w, b, rms=rms)
        dx = torch.empty_like(x)
        dw_part = torch.empty((m, n), device=x.device)
        db_part = torch.empty((m, n), device=x.device)
        k.norm_bwd_kernel[(m,)](x, w, dy, mean, rstd, dx, dw_part, db_part, n, RMS=rms,
                                BLOCK=pow2(n))  # fmt: skip
        dw = torch.empty(n, device=x.device, dtype=w.dtype)
        db = torch.empty(n, device=x.device, dtype=w.dtype)
        grid = (triton.cdiv(n, 64),)
        k.column_sum_kernel[grid](dw_part, dw, m, n, BLOCK_M=32, BLOCK_N=64)
        if rms:
            return dx, dw
        k.column_sum_kernel[grid](db_part, db, m, n, BLOCK_M=32, BLOCK_N=64)
        return dx, dw, db

    return launch


def _backward_ref(rms, precision=torch.float64):
    def reference(c, x, w, b, dy):
        x, w, b = (t.detach().to(precision).requires_grad_() for t in (x, w, b))
        if rms:
            y = x * torch.rsqrt(x.square().mean(-1, keepdim=True) + EPS) * w
        else:
            y = F.layer_norm(x, (x.shape[-1],), w, b, EPS)
        y.backward(dy.to(precision))
        grads = (x.grad, w.grad) if rms else (x.grad, w.grad, b.grad)
        return tuple(g.to(c.dtype) for g in grads)

    return reference


def _with_dy(c, device, gen):
    return (*_norm_inputs(c, device, gen), normal(c, device, gen))


CASES = (case((13, 100)), case((8, 768), F16), case((5, 512), BF16))
BENCH = (case((4096, 4096)), case((4096, 4096), F16))
Q = {"quick_cases": (case((512, 1024)),)}
NORM_TOL = {"atol": 1e-4, "rtol": 1e-4, "half_atol": 2e-2, "half_rtol": 1e-2}
kernels_fwd = [layer_norm_kernel]
kernels_bwd = [layer_norm_kernel, norm_bwd_kernel, column_sum_kernel]
add(
    "layer_norm", "norm", kernels_fwd, _norm_inputs, _layer_norm,
    lambda c, x, w, b: F.layer_norm(x.float(), (x.shape[-1],), w.float(), b.float(), EPS).to(
        x.dtype
    ),
    CASES, BENCH, **Q, **NORM_TOL,
)  # fmt: skip
add(
    "rms_norm", "norm", kernels_fwd, _norm_inputs, _rms_norm,
    lambda c, x, w, b: _rms_ref(x, w).to(x.dtype), CASES, BENCH, **Q, **NORM_TOL,
)  # fmt: skip
add(
    "fused_add_rms_norm", "norm", kernels_fwd, _norm_inputs, _add_rms_norm,
    lambda c, x, w, b: (_rms_ref(x.float() + 1, w).to(x.dtype), x + 1), CASES, BENCH,
    **Q, **NORM_TOL,
)  # fmt: skip
add(
    "layer_norm_backward", "norm", kernels_bwd, _with_dy, _backward(False),
    _backward_ref(False), CASES, BENCH, **Q, baseline=_backward_ref(False, torch.float32),
    atol=1e-3, rtol=1e-3, half_atol=1e-1, half_rtol=2e-2,
)  # fmt: skip
add(
    "rms_norm_backward", "norm", kernels_bwd, _with_dy, _backward(True),
    _backward_ref(True), CASES, BENCH, **Q, baseline=_backward_ref(True, torch.float32),
    atol=1e-3, rtol=1e-3, half_atol=1e-1, half_rtol=2e-2,
)  # fmt: skip


def _group_inputs(c, device, gen):
    ch = c.shape[1]
    x = normal(c, device, gen)
    return x, normal(c, device, gen, shape=(ch,)), normal(c, device, gen, shape=(ch,))


def _group_norm(k, c, x, w, b):
    n, ch = x.shape[:2]
    hw = x[0, 0].numel()
    groups = c.param("groups")
    out = torch.empty_like(x)
    size = ch // groups * hw
    k.group_norm_kernel[(n * groups,)](x, w, b, out, ch, hw, groups, EPS, BLOCK=pow2(size))
    return out


add(
    "group_norm", "norm", [group_norm_kernel], _group_inputs, _group_norm,
    lambda c, x, w, b: F.group_norm(x.float(), c.param("groups"), w.float(), b.float(), EPS).to(
        x.dtype
    ),
    (case((2, 8, 5, 7), groups=4), case((3, 6, 20), F16, groups=3)),
    (case((16, 64, 32, 32), groups=32),),
    quick_cases=(case((4, 32, 32, 32), groups=8),), **NORM_TOL,
)  # fmt: skip


def _l2(k, c, x):
    m, n = x.shape
    out = torch.empty_like(x)
    k.l2_normalize_kernel[(m,)](x, out, n, 1e-12, BLOCK=pow2(n))
    return out


add(
    "l2_normalize", "norm", [l2_normalize_kernel], lambda c, d, g: (normal(c, d, g),), _l2,
    lambda c, x: F.normalize(x.float(), dim=-1).to(x.dtype), CASES, BENCH, **Q, **NORM_TOL,
)  # fmt: skip


def _bn_inputs(c, device, gen):
    ch = c.shape[1]
    stats = normal(c, device, gen, shape=(ch,), dtype=torch.float32)
    var = torch.rand(ch, generator=gen).to(device) + 0.5
    w, b = normal(c, device, gen, shape=(ch,), dtype=torch.float32), stats * 0.5
    return normal(c, device, gen), stats, var, w, b


def _bn(k, c, x, mean, var, w, b):
    n, ch = x.shape[:2]
    hw = x[0, 0].numel()
    out = torch.empty_like(x)
    k.batch_norm_infer_kernel[(n * ch,)](x, mean, var, w, b, out, ch, hw, EPS,
                                         BLOCK=min(pow2(hw), 1024))  # fmt: skip
    return out


add(
    "batch_norm_inference", "norm", [batch_norm_infer_kernel], _bn_inputs, _bn,
    lambda c, x, m, v, w, b: F.batch_norm(x.float(), m, v, w, b, False, 0.0, EPS).to(x.dtype),
    (case((2, 3, 5, 7)), case((2, 4, 50), F16)), (case((32, 64, 56, 56)),),
    quick_cases=(case((4, 64, 56, 56)),), **NORM_TOL,
)  # fmt: skip
