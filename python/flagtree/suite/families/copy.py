"""Data movement: copies (contiguous and strided), transposes and
permutes, concatenation and stacking, tiling, padding, triangular masks,
fills and ranges."""

from __future__ import annotations

import torch
import torch.nn.functional as F
import triton
import triton.language as tl

from .._common import F16, normal, pow2
from ..registry import add, case

EXACT = {"atol": 0, "rtol": 0, "half_atol": 0, "half_rtol": 0}


@triton.jit
def copy_2d_kernel(x_ptr, out_ptr, M, N, sxm, sxn, som, son, BLOCK_M: tl.constexpr,
                   BLOCK_N: tl.constexpr):  # fmt: skip
    """out[i, j] = x[i, j] for any strides of either side: copy, strided
    copy (a view made contiguous), transpose (swapped output strides)."""
    rm = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    rn = tl.program_id(1) * BLOCK_N + tl.arange(0, BLOCK_N)
    mask = (rm[:, None] < M) & (rn[None, :] < N)
    x = tl.load(x_ptr + rm[:, None] * sxm + rn[None, :] * sxn, mask=mask)
    tl.store(out_ptr + rm[:, None] * som + rn[None, :] * son, x, mask=mask)


@triton.jit
def transpose_tile_kernel(x_ptr, out_ptr, M, N, BLOCK: tl.constexpr):
    """A (M, N) -> (N, M) transpose through tl.trans of a loaded tile."""
    rm = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    rn = tl.program_id(1) * BLOCK + tl.arange(0, BLOCK)
    x = tl.load(x_ptr + rm[:, None] * N + rn[None, :],
                mask=(rm[:, None] < M) & (rn[None, :] < N))  # fmt: skip
    tl.store(out_ptr + rn[:, None] * M + rm[None, :], tl.trans(x),
             mask=(rn[:, None] < N) & (rm[None, :] < M))  # fmt: skip


@triton.jit
def permute_0213_kernel(x_ptr, out_ptr, S, H, D: tl.constexpr):
    """(B, S, H, D) -> (B, H, S, D): one program per (b, s, h) row of D."""
    pid = tl.program_id(0).to(tl.int64)
    h = pid % H
    s = (pid // H) % S
    b = pid // (H * S)
    d = tl.arange(0, D)
    v = tl.load(x_ptr + pid * D + d)
    tl.store(out_ptr + ((b * H + h) * S + s) * D + d, v)


@triton.jit
def concat_kernel(a_ptr, b_ptr, out_ptr, M, NA, NB, BLOCK: tl.constexpr):
    """Row-wise concatenation of (M, NA) and (M, NB); cat along dim 0 and
    stack are the same kernel with M = 1."""
    row = tl.program_id(0).to(tl.int64)
    n = NA + NB
    for start in range(0, n, BLOCK):
        cols = start + tl.arange(0, BLOCK)
        from_a = cols < NA
        a = tl.load(a_ptr + row * NA + cols, mask=from_a)
        b = tl.load(b_ptr + row * NB + (cols - NA), mask=(cols >= NA) & (cols < n))
        tl.store(out_ptr + row * n + cols, tl.where(from_a, a, b), mask=cols < n)


@triton.jit
def tile_kernel(x_ptr, out_ptr, M, N, RM, RN, BLOCK: tl.constexpr):
    """torch.Tensor.repeat(RM, RN) of a (M, N) tensor."""
    row = tl.program_id(0).to(tl.int64)
    n_out = N * RN
    for start in range(0, n_out, BLOCK):
        cols = start + tl.arange(0, BLOCK)
        v = tl.load(x_ptr + (row % M) * N + cols % N, mask=cols < n_out)
        tl.store(out_ptr + row * n_out + cols, v, mask=cols < n_out)


@triton.jit
def repeat_interleave_kernel(x_ptr, out_ptr, n, R, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n * R
    tl.store(out_ptr + offs, tl.load(x_ptr + offs // R, mask=mask), mask=mask)


@triton.jit
def pad_kernel(x_ptr, out_ptr, M, N, TOP, LEFT, M_OUT, N_OUT, value, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    cols = tl.arange(0, BLOCK)
    src_row = row - TOP
    src_col = cols - LEFT
    inside = (src_row >= 0) & (src_row < M) & (src_col >= 0) & (src_col < N)
    v = tl.load(x_ptr + src_row * N + src_col, mask=inside, other=value)
    tl.store(out_ptr + row * N_OUT + cols, v, mask=cols < N_OUT)


@triton.jit
def triangle_kernel(x_ptr, out_ptr, N, DIAG, UPPER: tl.constexpr, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    cols = tl.arange(0, BLOCK)
    mask = cols < N
    x = tl.load(x_ptr + row * N + cols, mask=mask)
    if UPPER:
        keep = cols - row >= DIAG
    else:
        keep = cols - row <= DIAG
    tl.store(out_ptr + row * N + cols, tl.where(keep, x, 0), mask=mask)


@triton.jit
def fill_kernel(out_ptr, n, start, step, OP: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    if OP == "fill":
        v = tl.full((BLOCK,), 0.0, tl.float32) + start
    else:
        v = start + step * offs.to(tl.float32)
    tl.store(out_ptr + offs, v.to(out_ptr.dtype.element_ty), mask=offs < n)


@triton.jit
def roll_kernel(x_ptr, out_ptr, N, SHIFT, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    cols = tl.arange(0, BLOCK)
    mask = cols < N
    src = (cols - SHIFT % N + N) % N
    tl.store(out_ptr + row * N + cols, tl.load(x_ptr + row * N + src, mask=mask), mask=mask)


@triton.jit
def interleave_kernel(a_ptr, b_ptr, out_ptr, N: tl.constexpr):
    """out = [a0, b0, a1, b1, ...] through tl.interleave (tt.join)."""
    offs = tl.arange(0, N)
    a = tl.load(a_ptr + offs)
    b = tl.load(b_ptr + offs)
    tl.store(out_ptr + tl.arange(0, 2 * N), tl.interleave(a, b))


@triton.jit
def deinterleave_kernel(x_ptr, even_ptr, odd_ptr, N: tl.constexpr):
    """The inverse, through tl.split of a (N, 2) view."""
    pairs = tl.load(x_ptr + tl.arange(0, 2 * N)).reshape(N, 2)
    even, odd = tl.split(pairs)
    tl.store(even_ptr + tl.arange(0, N), even)
    tl.store(odd_ptr + tl.arange(0, N), odd)


def _copy2d(k, x, out):
    m, n = x.shape
    grid = (triton.cdiv(m, 32), triton.cdiv(n, 32))
    k.copy_2d_kernel[grid](x, out, m, n, *x.stride(), *out.stride(), BLOCK_M=32, BLOCK_N=32)
    return out


def _inputs(c, d, g):
    return (normal(c, d, g),)


CASES = (case((37, 45)), case((64, 17), F16))
BENCH = (case((4096, 4096)), case((4096, 4096), F16))
Q = {"quick_cases": (case((1024, 1024)),)}
C2 = [copy_2d_kernel]
add("copy", "copy", C2, _inputs, lambda k, c, x: _copy2d(k, x, torch.empty_like(x)),
    lambda c, x: x.clone(), CASES, BENCH, **Q, **EXACT)  # fmt: skip
add("strided_copy", "copy", C2, lambda c, d, g: (normal(c, d, g)[:, ::2],),
    lambda k, c, x: _copy2d(k, x, torch.empty(x.shape, dtype=x.dtype, device=x.device)),
    lambda c, x: x.contiguous(), CASES, BENCH, **Q, **EXACT)  # fmt: skip
add("transpose", "copy", C2, _inputs,
    lambda k, c, x: _copy2d(k, x, torch.empty(x.shape[::-1], dtype=x.dtype,
                                              device=x.device).t()).t(),
    lambda c, x: x.t().contiguous(), CASES, BENCH, **Q, **EXACT)  # fmt: skip


def _transpose_tile(k, c, x):
    m, n = x.shape
    out = torch.empty((n, m), dtype=x.dtype, device=x.device)
    k.transpose_tile_kernel[(triton.cdiv(m, 32), triton.cdiv(n, 32))](x, out, m, n, BLOCK=32)
    return out


add("transpose_tile", "copy", [transpose_tile_kernel], _inputs, _transpose_tile,
    lambda c, x: x.t().contiguous(), CASES, BENCH, **Q, **EXACT)  # fmt: skip


def _permute(k, c, x):
    b, s, h, d = x.shape
    out = torch.empty((b, h, s, d), dtype=x.dtype, device=x.device)
    k.permute_0213_kernel[(b * s * h,)](x, out, s, h, D=d)
    return out


add("permute_0213", "copy", [permute_0213_kernel], _inputs, _permute,
    lambda c, x: x.permute(0, 2, 1, 3).contiguous(),
    (case((2, 5, 3, 16)), case((1, 7, 4, 64), F16)), (case((8, 1024, 32, 128), F16),),
    quick_cases=(case((2, 256, 16, 64)),),
    **EXACT)  # fmt: skip


def _pair_inputs(c, device, gen):
    m, na, nb = c.shape
    return normal(c, device, gen, shape=(m, na)), normal(c, device, gen, shape=(m, nb))


def _concat(k, a, b, rows):
    na, nb = a.numel() // rows, b.numel() // rows
    out = torch.empty(rows * (na + nb), dtype=a.dtype, device=a.device)
    k.concat_kernel[(rows,)](a, b, out, rows, na, nb, BLOCK=min(pow2(na + nb), 1024))
    return out


CAT_CASES = (case((7, 30, 45)), case((3, 64, 100), F16))
CAT_BENCH = (case((4096, 2048, 2048)),)
CC = [concat_kernel]
add("cat_dim1", "copy", CC, _pair_inputs,
    lambda k, c, a, b: _concat(k, a, b, a.shape[0]).view(a.shape[0], -1),
    lambda c, a, b: torch.cat((a, b), 1), CAT_CASES, CAT_BENCH,
    quick_cases=(case((512, 1024, 1024)),), **EXACT)  # fmt: skip
add("cat_dim0", "copy", CC, _pair_inputs,
    lambda k, c, a, b: _concat(k, a, b, 1).view(-1, a.shape[1]),
    lambda c, a, b: torch.cat((a, b), 0), (case((7, 30, 30)), case((3, 64, 64), F16)),
    (case((4096, 2048, 2048)),),
    quick_cases=(case((512, 1024, 1024)),), **EXACT)  # fmt: skip
add("stack", "copy", CC, _pair_inputs,
    lambda k, c, a, b: _concat(k, a, b, 1).view(2, *a.shape),
    lambda c, a, b: torch.stack((a, b)), (case((7, 30, 30)),), (case((4096, 2048, 2048)),),
    quick_cases=(case((512, 1024, 1024)),), **EXACT)  # fmt: skip


def _tile(k, c, x):
    m, n = x.shape
    rm, rn = c.param("reps")
    out = torch.empty((m * rm, n * rn), dtype=x.dtype, device=x.device)
    k.tile_kernel[(m * rm,)](x, out, m, n, rm, rn, BLOCK=min(pow2(n * rn), 1024))
    return out


add("repeat", "copy", [tile_kernel], _inputs, _tile, lambda c, x: x.repeat(*c.param("reps")),
    (case((7, 30), reps=(2, 3)), case((5, 64), F16, reps=(3, 1))),
    (case((1024, 1024), reps=(4, 4)),),
    quick_cases=(case((256, 256), reps=(4, 4)),), **EXACT)  # fmt: skip


def _repeat_interleave(k, c, x):
    n, r = x.numel(), c.param("r")
    out = torch.empty(n * r, dtype=x.dtype, device=x.device)
    k.repeat_interleave_kernel[(triton.cdiv(n * r, 1024),)](x, out, n, r, BLOCK=1024)
    return out


add("repeat_interleave", "copy", [repeat_interleave_kernel], _inputs, _repeat_interleave,
    lambda c, x: x.repeat_interleave(c.param("r")), (case((1000,), r=3),),
    (case((1 << 20,), r=4),), quick_cases=(case((1 << 18,), r=4),),
    **EXACT)  # fmt: skip


def _pad(k, c, x):
    m, n = x.shape
    left, right, top, bottom = c.param("pad")
    mo, no = m + top + bottom, n + left + right
    out = torch.empty((mo, no), dtype=x.dtype, device=x.device)
    k.pad_kernel[(mo,)](x, out, m, n, top, left, mo, no, 1.5, BLOCK=pow2(no))
    return out


add("pad", "copy", [pad_kernel], _inputs, _pad,
    lambda c, x: F.pad(x, c.param("pad"), value=1.5),
    (case((7, 30), pad=(2, 3, 1, 4)), case((5, 64), F16, pad=(0, 5, 2, 0))),
    (case((4096, 4000), pad=(48, 48, 8, 8)),),
    quick_cases=(case((1024, 1000), pad=(12, 12, 8, 8)),), **EXACT)  # fmt: skip


def _triangle(upper):
    def launch(k, c, x):
        m, n = x.shape
        out = torch.empty_like(x)
        k.triangle_kernel[(m,)](x, out, n, c.param("diagonal"), UPPER=upper, BLOCK=pow2(n))
        return out

    return launch


TRI_CASES = (case((37, 45), diagonal=0), case((20, 20), F16, diagonal=-2))
add("tril", "copy", [triangle_kernel], _inputs, _triangle(False),
    lambda c, x: torch.tril(x, c.param("diagonal")), TRI_CASES,
    (case((4096, 4096), diagonal=0),), quick_cases=(case((1024, 1024), diagonal=0),),
    **EXACT)  # fmt: skip
add("triu", "copy", [triangle_kernel], _inputs, _triangle(True),
    lambda c, x: torch.triu(x, c.param("diagonal")), TRI_CASES,
    (case((4096, 4096), diagonal=1),), quick_cases=(case((1024, 1024), diagonal=1),),
    **EXACT)  # fmt: skip


def _fill(op, start, step):
    """step None: a linspace from start to -start."""

    def launch(k, c, x):
        out = torch.empty_like(x)
        n = out.numel()
        delta = -2 * start / (n - 1) if step is None else step
        k.fill_kernel[(triton.cdiv(n, 1024),)](out, n, start, delta, OP=op, BLOCK=1024)
        return out

    return launch


FILL_CASES = (case((1000,)), case((3000,), F16))
add("fill", "copy", [fill_kernel], _inputs, _fill("fill", 2.5, 0.0),
    lambda c, x: torch.full_like(x, 2.5), FILL_CASES, (case((1 << 22,)),),
    quick_cases=(case((1 << 20,)),), **EXACT)  # fmt: skip
add("arange", "copy", [fill_kernel], _inputs, _fill("range", 3.0, 1.0),
    lambda c, x: torch.arange(3.0, 3.0 + x.numel(), dtype=torch.float32).to(x.dtype),
    FILL_CASES[:1], (case((1 << 22,)),),
    quick_cases=(case((1 << 20,)),), **EXACT)  # fmt: skip
add("linspace", "copy", [fill_kernel], _inputs, _fill("range", -1.0, None),
    lambda c, x: torch.linspace(-1.0, 1.0, x.numel(), dtype=torch.float64).to(x.dtype),
    FILL_CASES[:1], (case((1 << 22,)),),
    quick_cases=(case((1 << 20,)),), atol=1e-6, rtol=1e-6)  # fmt: skip


def _roll(k, c, x):
    m, n = x.shape
    out = torch.empty_like(x)
    k.roll_kernel[(m,)](x, out, n, c.param("shift"), BLOCK=pow2(n))
    return out


add("roll", "copy", [roll_kernel], _inputs, _roll,
    lambda c, x: torch.roll(x, c.param("shift"), -1),
    (case((7, 45), shift=7), case((5, 64), F16, shift=-3)), (case((4096, 4096), shift=100),),
    quick_cases=(case((1024, 1024), shift=100),), **EXACT)  # fmt: skip


def _interleave(k, c, a, b):
    out = torch.empty(2 * a.numel(), dtype=a.dtype, device=a.device)
    k.interleave_kernel[(1,)](a, b, out, N=a.numel())
    return out


def _deinterleave(k, c, x):
    even = torch.empty(x.numel() // 2, dtype=x.dtype, device=x.device)
    odd = torch.empty_like(even)
    k.deinterleave_kernel[(1,)](x, even, odd, N=x.numel() // 2)
    return even, odd


add("interleave", "copy", [interleave_kernel],
    lambda c, d, g: (normal(c, d, g), normal(c, d, g)), _interleave,
    lambda c, a, b: torch.stack((a, b), -1).flatten(), (case((64,)),), (case((4096,)),),
    **EXACT)  # fmt: skip
add("deinterleave", "copy", [deinterleave_kernel], _inputs, _deinterleave,
    lambda c, x: (x[0::2], x[1::2]), (case((128,)),), (case((8192,)),), **EXACT)  # fmt: skip
