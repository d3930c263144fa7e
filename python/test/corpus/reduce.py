"""Reductions and scans: sum/max/min (with indices), argmax/argmin, user combine functions,
xor_sum, cumsum/cumprod, associative_scan, histogram, sort and topk, along every axis."""

from __future__ import annotations

import triton
import triton.language as tl

from ._case import CaseList

CASES = CaseList("reduce")


@triton.jit
def _max_abs_combine(a, b):
    return tl.maximum(tl.abs(a), tl.abs(b))


@triton.jit
def _welford_combine(mean_a, m2_a, n_a, mean_b, m2_b, n_b):
    n = n_a + n_b
    delta = mean_b - mean_a
    frac = tl.where(n == 0, 0.0, n_b / n)
    return mean_a + delta * frac, m2_a + m2_b + delta * delta * n_a * frac, n


@triton.jit
def _affine_combine(a1, b1, a2, b2):
    # composition of x -> a1 * x + b1 followed by x -> a2 * x + b2
    return a1 * a2, b1 * a2 + b2


@triton.jit
def _gcd_like_combine(a, b):
    return a | b


@triton.jit
def sum_1d_masked(src, out, n, BLOCK: tl.constexpr):
    """Masked 1-D ``tl.sum`` accumulated across a loop of blocks."""
    acc = tl.zeros((BLOCK,), dtype=tl.float32)
    for start in range(0, n, BLOCK):
        offs = start + tl.arange(0, BLOCK)
        acc += tl.load(src + offs, mask=offs < n, other=0.0)
    tl.store(out, tl.sum(acc, axis=0))


@triton.jit
def sum_2d_each_axis(src, rows, cols, total, M: tl.constexpr, N: tl.constexpr):
    """``tl.sum`` along axis 0, axis 1, with keep_dims, and over all axes."""
    rm = tl.arange(0, M)
    rn = tl.arange(0, N)
    x = tl.load(src + rm[:, None] * N + rn[None, :])
    tl.store(rows + rm, tl.sum(x, axis=1))
    tl.store(cols + rn, tl.sum(x, axis=0))
    kept = tl.sum(x, axis=1, keep_dims=True)
    tl.store(total, tl.sum(x) + tl.sum(tl.sum(kept, axis=1), axis=0))


@triton.jit
def sum_half_with_dtype(src, out, M: tl.constexpr, N: tl.constexpr):
    """``tl.sum`` of fp16 accumulating in fp32 via ``dtype=``."""
    x = tl.load(src + tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :])
    tl.store(out + tl.arange(0, M), tl.sum(x, axis=1, dtype=tl.float32))


@triton.jit
def max_min_with_indices(src, vmax, imax, vmin, imin, M: tl.constexpr, N: tl.constexpr):
    """``tl.max``/``tl.min`` with ``return_indices`` (both tie-break modes)."""
    rm = tl.arange(0, M)
    x = tl.load(src + rm[:, None] * N + tl.arange(0, N)[None, :])
    hi, hi_idx = tl.max(x, axis=1, return_indices=True)
    lo, lo_idx = tl.min(x, axis=1, return_indices=True, return_indices_tie_break_left=False)
    tl.store(vmax + rm, hi)
    tl.store(imax + rm, hi_idx)
    tl.store(vmin + rm, lo)
    tl.store(imin + rm, lo_idx)


@triton.jit
def argmax_argmin(src, amax, amin, M: tl.constexpr, N: tl.constexpr):
    """``tl.argmax`` along axis 1 and ``tl.argmin`` along axis 0."""
    x = tl.load(src + tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :])
    tl.store(amax + tl.arange(0, M), tl.argmax(x, axis=1))
    tl.store(amin + tl.arange(0, N), tl.argmin(x, axis=0, tie_break_left=False))


@triton.jit
def int_max_min(src, out, BLOCK: tl.constexpr):
    """Plain ``tl.max``/``tl.min`` of integer tensors, plus the tensor-method form."""
    x = tl.load(src + tl.arange(0, BLOCK))
    tl.store(out, tl.max(x, axis=0) - tl.min(x, axis=0) + x.sum(axis=0))


@triton.jit
def reduce_user_combine(src, out, M: tl.constexpr, N: tl.constexpr):
    """``tl.reduce`` with a user ``@jit`` combine function (max of magnitudes)."""
    x = tl.load(src + tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :])
    tl.store(out + tl.arange(0, M), tl.reduce(x, 1, _max_abs_combine))


@triton.jit
def reduce_welford_tuple(src, mean_out, var_out, BLOCK: tl.constexpr):
    """``tl.reduce`` over a tuple of three tensors (Welford mean/variance merge)."""
    x = tl.load(src + tl.arange(0, BLOCK))
    zeros = tl.zeros((BLOCK,), dtype=tl.float32)
    ones = tl.full((BLOCK,), 1.0, tl.float32)
    mean, m2, count = tl.reduce((x, zeros, ones), 0, _welford_combine)
    tl.store(mean_out, mean)
    tl.store(var_out, m2 / count)


@triton.jit
def xor_and_or_sum(src, out, M: tl.constexpr, N: tl.constexpr):
    """``tl.xor_sum`` and ``tl.reduce_or`` on integer tiles."""
    x = tl.load(src + tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :])
    tl.store(
        out + tl.arange(0, M),
        tl.xor_sum(x, axis=1) + tl.reduce(x, 1, _gcd_like_combine),
    )
    tl.store(out + M, tl.xor_sum(tl.reduce_or(x, 0), axis=0))


@triton.jit
def cumsum_cumprod(src, csum, cprod, rsum, BLOCK: tl.constexpr):
    """``tl.cumsum`` (forward and reverse) and ``tl.cumprod``."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    tl.store(csum + offs, tl.cumsum(x, axis=0))
    tl.store(cprod + offs, tl.cumprod(x, axis=0))
    tl.store(rsum + offs, tl.cumsum(x, axis=0, reverse=True))


@triton.jit
def cumsum_2d_int(src, out, M: tl.constexpr, N: tl.constexpr):
    """Integer ``tl.cumsum`` along axis 0 of a tile, widened with ``dtype=``."""
    offs = tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :]
    x = tl.load(src + offs)
    tl.store(out + offs, tl.cumsum(x, axis=0, dtype=tl.int64))


@triton.jit
def scan_affine_reverse(a_ptr, b_ptr, out_fwd, out_rev, BLOCK: tl.constexpr):
    """``tl.associative_scan`` over a tuple (affine recurrences), forward and reverse."""
    offs = tl.arange(0, BLOCK)
    a = tl.load(a_ptr + offs)
    b = tl.load(b_ptr + offs)
    _, fwd = tl.associative_scan((a, b), 0, _affine_combine)
    _, rev = tl.associative_scan((a, b), 0, _affine_combine, reverse=True)
    tl.store(out_fwd + offs, fwd)
    tl.store(out_rev + offs, rev)


@triton.jit
def scan_max_2d(src, out, M: tl.constexpr, N: tl.constexpr):
    """Running maximum via ``tl.associative_scan`` along axis 1 of a tile."""
    offs = tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :]
    x = tl.load(src + offs)
    tl.store(out + offs, tl.associative_scan(x, 1, _max_abs_combine))


@triton.jit
def histogram_masked(src, out, n, BLOCK: tl.constexpr, BINS: tl.constexpr):
    """``tl.histogram`` with and without a mask, accumulated with atomics."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    vals = tl.load(src + offs, mask=offs < n, other=0) % BINS
    hist = tl.histogram(vals, BINS, mask=offs < n)
    tl.atomic_add(out + tl.arange(0, BINS), hist)
    tl.store(out + BINS + tl.arange(0, BINS), tl.histogram(vals, BINS))


@triton.jit
def sort_rows(src, asc, desc, M: tl.constexpr, N: tl.constexpr):
    """``tl.sort`` ascending and descending along the last axis."""
    offs = tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :]
    x = tl.load(src + offs)
    tl.store(asc + offs, tl.sort(x))
    tl.store(desc + offs, tl.sort(x, dim=1, descending=True))


@triton.jit
def topk_rows(src, out, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr):
    """``tl.topk`` of each row."""
    x = tl.load(src + tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :])
    top = tl.topk(x, K)
    tl.store(out + tl.arange(0, M)[:, None] * K + tl.arange(0, K)[None, :], top)


@triton.jit
def reduce_3d_each_axis(src, o0, o1, o2, A: tl.constexpr, B: tl.constexpr, C: tl.constexpr):
    """Reductions of a 3-D block along axes 0, 1 and 2."""
    i = tl.arange(0, A)
    j = tl.arange(0, B)
    k = tl.arange(0, C)
    x = tl.load(src + i[:, None, None] * B * C + j[None, :, None] * C + k[None, None, :])
    s0 = tl.sum(x, axis=0)
    m1 = tl.max(x, axis=1)
    n2 = tl.min(x, axis=2)
    tl.store(o0 + j[:, None] * C + k[None, :], s0)
    tl.store(o1 + i[:, None] * C + k[None, :], m1)
    tl.store(o2 + i[:, None] * B + j[None, :], n2)


@triton.jit
def bool_any_all(src, out, M: tl.constexpr, N: tl.constexpr):
    """Any/all of boolean masks via max/min reductions on int1 cast to int32."""
    x = tl.load(src + tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :])
    positive = (x > 0).to(tl.int32)
    tl.store(out + tl.arange(0, M), tl.max(positive, axis=1) * 2 + tl.min(positive, axis=1))


CASES.add(sum_1d_masked, {"src": "*fp32", "out": "*fp32", "n": "i32"}, {"BLOCK": 256})
CASES.add(
    sum_2d_each_axis,
    {"src": "*fp32", "rows": "*fp32", "cols": "*fp32", "total": "*fp32"},
    {"M": 16, "N": 64},
)
CASES.add(
    sum_2d_each_axis,
    {"src": "*i32", "rows": "*i32", "cols": "*i32", "total": "*i32"},
    {"M": 32, "N": 16},
    name="sum_2d_each_axis_i32",
)
CASES.add(sum_half_with_dtype, {"src": "*fp16", "out": "*fp32"}, {"M": 16, "N": 128})
CASES.add(
    max_min_with_indices,
    {"src": "*fp32", "vmax": "*fp32", "imax": "*i32", "vmin": "*fp32", "imin": "*i32"},
    {"M": 16, "N": 32},
)
CASES.add(
    max_min_with_indices,
    {"src": "*bf16", "vmax": "*fp32", "imax": "*i32", "vmin": "*fp32", "imin": "*i32"},
    {"M": 8, "N": 64},
    name="max_min_with_indices_bf16",
)
CASES.add(argmax_argmin, {"src": "*fp16", "amax": "*i32", "amin": "*i32"}, {"M": 16, "N": 32})
CASES.add(int_max_min, {"src": "*i64", "out": "*i64"}, {"BLOCK": 128})
CASES.add(int_max_min, {"src": "*u8", "out": "*u8"}, {"BLOCK": 128}, name="int_max_min_u8")
CASES.add(reduce_user_combine, {"src": "*fp32", "out": "*fp32"}, {"M": 8, "N": 128})
CASES.add(
    reduce_welford_tuple,
    {"src": "*fp32", "mean_out": "*fp32", "var_out": "*fp32"},
    {"BLOCK": 256},
)
CASES.add(xor_and_or_sum, {"src": "*i32", "out": "*i32"}, {"M": 16, "N": 32})
CASES.add(
    cumsum_cumprod,
    {"src": "*fp32", "csum": "*fp32", "cprod": "*fp32", "rsum": "*fp32"},
    {"BLOCK": 128},
)
CASES.add(cumsum_2d_int, {"src": "*i32", "out": "*i64"}, {"M": 32, "N": 16})
CASES.add(
    scan_affine_reverse,
    {"a_ptr": "*fp32", "b_ptr": "*fp32", "out_fwd": "*fp32", "out_rev": "*fp32"},
    {"BLOCK": 64},
)
CASES.add(scan_max_2d, {"src": "*fp32", "out": "*fp32"}, {"M": 8, "N": 64})
CASES.add(
    histogram_masked,
    {"src": "*i32", "out": "*i32", "n": "i32"},
    {"BLOCK": 256, "BINS": 32},
)
CASES.add(sort_rows, {"src": "*fp32", "asc": "*fp32", "desc": "*fp32"}, {"M": 4, "N": 64})
CASES.add(
    sort_rows,
    {"src": "*i32", "asc": "*i32", "desc": "*i32"},
    {"M": 8, "N": 32},
    name="sort_rows_i32",
)
CASES.add(topk_rows, {"src": "*fp32", "out": "*fp32"}, {"M": 8, "N": 64, "K": 8})
CASES.add(
    reduce_3d_each_axis,
    {"src": "*fp32", "o0": "*fp32", "o1": "*fp32", "o2": "*fp32"},
    {"A": 4, "B": 8, "C": 16},
)
CASES.add(bool_any_all, {"src": "*fp32", "out": "*i32"}, {"M": 16, "N": 32})
