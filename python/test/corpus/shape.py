"""Tensor creation and shape manipulation: arange/full/zeros, reshape/view, broadcasting,
permutations, cat/join/split/interleave, flip, gather, where/clamp, cdiv."""

from __future__ import annotations

import triton
import triton.language as tl

from ._case import CaseList

CASES = CaseList("shape")


@triton.jit
def creation_ops(out_f, out_i, out_b, BLOCK: tl.constexpr):
    """``tl.arange``, ``tl.full`` (float, int, bool), ``tl.zeros``, ``tl.zeros_like``."""
    offs = tl.arange(0, BLOCK)
    ones = tl.full((BLOCK,), 1.25, tl.float32)
    sevens = tl.full((BLOCK,), 7, tl.int32)
    flags = tl.full((BLOCK,), True, tl.int1)
    z = tl.zeros((BLOCK,), dtype=tl.float32)
    zl = tl.zeros_like(sevens)
    tl.store(out_f + offs, ones + z + offs.to(tl.float32))
    tl.store(out_i + offs, sevens + zl - offs)
    tl.store(out_b + offs, (flags & (offs > 3)).to(tl.int8))


@triton.jit
def arange_offset_range(out, START: tl.constexpr, END: tl.constexpr):
    """``tl.arange`` with a non-zero start."""
    offs = tl.arange(START, END)
    tl.store(out + offs - START, offs * 2)


@triton.jit
def reshape_and_view(src, dst, R: tl.constexpr, C: tl.constexpr):
    """1-D -> 2-D ``tl.reshape``, a row reduction, and ``tl.view`` back to 1-D."""
    flat = tl.load(src + tl.arange(0, R * C))
    grid = tl.reshape(flat, (R, C))
    doubled = grid + tl.sum(grid, axis=1, keep_dims=True)
    tl.store(dst + tl.arange(0, R * C), tl.view(doubled, (R * C,)))


@triton.jit
def reshape_can_reorder(src, out, N: tl.constexpr):
    """``tl.reshape`` with ``can_reorder=True`` feeding an order-insensitive sum."""
    x = tl.load(src + tl.arange(0, N))
    y = tl.reshape(x, (N // 4, 4), can_reorder=True)
    tl.store(out, tl.sum(tl.sum(y, axis=1), axis=0))


@triton.jit
def broadcast_family(row, col, out, M: tl.constexpr, N: tl.constexpr):
    """``tl.broadcast``, ``tl.broadcast_to`` and ``tl.expand_dims``."""
    r = tl.load(row + tl.arange(0, N))
    c = tl.load(col + tl.arange(0, M))
    r2 = tl.expand_dims(r, 0)
    c2 = tl.expand_dims(c, 1)
    a, b = tl.broadcast(r2, c2)
    full = tl.broadcast_to(c2, (M, N))
    offs = tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :]
    tl.store(out + offs, a * b + full)


@triton.jit
def none_indexing_3d(x, y, out, A: tl.constexpr, B: tl.constexpr, C: tl.constexpr):
    """``[:, None, None]``-style indexing to build a 3-D outer sum."""
    i = tl.arange(0, A)
    j = tl.arange(0, B)
    k = tl.arange(0, C)
    xa = tl.load(x + i)
    yb = tl.load(y + j)
    cube = xa[:, None, None] + yb[None, :, None] * k[None, None, :].to(tl.float32)
    offs = i[:, None, None] * (B * C) + j[None, :, None] * C + k[None, None, :]
    tl.store(out + offs, cube)


@triton.jit
def permute_3d(src, dst, A: tl.constexpr, B: tl.constexpr, C: tl.constexpr):
    """``tl.permute`` of a 3-D tile, (A, B, C) -> (C, A, B)."""
    i = tl.arange(0, A)[:, None, None]
    j = tl.arange(0, B)[None, :, None]
    k = tl.arange(0, C)[None, None, :]
    x = tl.load(src + i * B * C + j * C + k)
    y = tl.permute(x, (2, 0, 1))
    ci = tl.arange(0, C)[:, None, None]
    ai = tl.arange(0, A)[None, :, None]
    bi = tl.arange(0, B)[None, None, :]
    tl.store(dst + ci * A * B + ai * B + bi, y)


@triton.jit
def transpose_2d(src, dst, M: tl.constexpr, N: tl.constexpr):
    """``tl.trans`` and the ``.T`` property on a 2-D tile."""
    rm = tl.arange(0, M)
    rn = tl.arange(0, N)
    x = tl.load(src + rm[:, None] * N + rn[None, :])
    t = tl.trans(x)
    tl.store(dst + rn[:, None] * M + rm[None, :], t + x.T)


@triton.jit
def cat_reorder(a, b, out, N: tl.constexpr):
    """``tl.cat`` of two 1-D tensors (``can_reorder=True``), then summed."""
    x = tl.load(a + tl.arange(0, N))
    y = tl.load(b + tl.arange(0, N))
    both = tl.cat(x, y, can_reorder=True)
    tl.store(out, tl.sum(both, axis=0))


@triton.jit
def join_and_split(a, b, out_a, out_b, N: tl.constexpr):
    """``tl.join`` two tensors into a trailing pair axis and ``tl.split`` it back (swapped)."""
    offs = tl.arange(0, N)
    x = tl.load(a + offs)
    y = tl.load(b + offs)
    pair = tl.join(x, y)
    p, q = tl.split(pair * 2)
    tl.store(out_a + offs, q)
    tl.store(out_b + offs, p)


@triton.jit
def split_2d_pairs(src, re, im, N: tl.constexpr):
    """Deinterleave complex (re, im) pairs via reshape + ``.split()``."""
    flat = tl.load(src + tl.arange(0, 2 * N))
    r, i = flat.reshape(N, 2).split()
    tl.store(re + tl.arange(0, N), r)
    tl.store(im + tl.arange(0, N), i)


@triton.jit
def interleave_halves(a, b, out, N: tl.constexpr):
    """``tl.interleave`` two bf16 tensors."""
    offs = tl.arange(0, N)
    x = tl.load(a + offs)
    y = tl.load(b + offs)
    tl.store(out + tl.arange(0, 2 * N), tl.interleave(x, y))


@triton.jit
def ravel_tile(src, dst, M: tl.constexpr, N: tl.constexpr):
    """``tl.ravel`` of a 2-D tile."""
    x = tl.load(src + tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :])
    tl.store(dst + tl.arange(0, M * N), tl.ravel(x) + 1)


@triton.jit
def flip_rows_and_cols(src, dst, M: tl.constexpr, N: tl.constexpr):
    """``tl.flip`` along each dimension of a 2-D tile."""
    offs = tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :]
    x = tl.load(src + offs)
    y = tl.flip(tl.flip(x, 0), 1)
    tl.store(dst + offs, y)


@triton.jit
def flip_1d(src, dst, N: tl.constexpr):
    """``tl.flip`` of a 1-D int32 tensor."""
    # dim is explicit: Triton 3.6's default dim=None trips flip's own static_assert
    offs = tl.arange(0, N)
    tl.store(dst + offs, tl.flip(tl.load(src + offs), 0))


@triton.jit
def gather_axis1(src, idx, dst, M: tl.constexpr, N: tl.constexpr):
    """``tl.gather`` along the last axis with an index tile."""
    offs = tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :]
    x = tl.load(src + offs)
    ix = tl.load(idx + offs)
    tl.store(dst + offs, tl.gather(x, ix, axis=1))


@triton.jit
def gather_axis0(src, idx, dst, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr):
    """``tl.gather`` along axis 0 with fewer output rows than input rows."""
    src_offs = tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :]
    idx_offs = tl.arange(0, K)[:, None] * N + tl.arange(0, N)[None, :]
    x = tl.load(src + src_offs)
    ix = tl.load(idx + idx_offs)
    tl.store(dst + idx_offs, tl.gather(x, ix, axis=0))


@triton.jit
def where_and_clamp(src, dst, lo, hi, n, BLOCK: tl.constexpr):
    """``tl.where`` with tensor and scalar branches; ``tl.clamp`` with scalar bounds."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(src + offs, mask=mask)
    y = tl.where(x > 0, x, 0.01 * x)
    y = tl.where(offs % 2 == 0, y, -1.0)
    tl.store(dst + offs, tl.clamp(y, lo, hi), mask=mask)


@triton.jit
def clamp_propagate_nan(src, dst, BLOCK: tl.constexpr):
    """``tl.clamp`` with ``propagate_nan=ALL`` on fp16."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    tl.store(dst + offs, tl.clamp(x, -2.0, 2.0, propagate_nan=tl.PropagateNan.ALL))


@triton.jit
def cdiv_tiles(dst, n, d, BLOCK: tl.constexpr):
    """``tl.cdiv`` of runtime scalars and of a constexpr."""
    tiles = tl.cdiv(n, d)
    const_tiles: tl.constexpr = tl.cdiv(BLOCK, 3)
    offs = tl.arange(0, BLOCK)
    tl.store(dst + offs, tl.cdiv(offs, 4) + tiles + const_tiles)


@triton.jit
def single_element_to_scalar(src, out):
    """``.item()`` of a 1-element tensor and ``tl.split`` of a 2-element tensor into scalars."""
    one = tl.load(src + tl.arange(0, 1))
    pair = tl.load(src + 1 + tl.arange(0, 2))
    lo, hi = tl.split(pair)
    scalar = one.item()
    if scalar > 0:
        tl.store(out, scalar * lo + hi)


@triton.jit
def expand_reduce_roundtrip(src, dst, M: tl.constexpr, N: tl.constexpr):
    """Mix ``keep_dims`` reductions and broadcasting to normalize rows (int64 offsets)."""
    rm = tl.arange(0, M).to(tl.int64)
    rn = tl.arange(0, N).to(tl.int64)
    offs = rm[:, None] * N + rn[None, :]
    x = tl.load(src + offs)
    centered = x - tl.sum(x, axis=1, keep_dims=True) / N
    tl.store(dst + offs, centered / (tl.max(tl.abs(centered), axis=0)[None, :] + 1e-6))


CASES.add(creation_ops, {"out_f": "*fp32", "out_i": "*i32", "out_b": "*i8"}, {"BLOCK": 64})
CASES.add(arange_offset_range, {"out": "*i32"}, {"START": 32, "END": 96})
CASES.add(reshape_and_view, {"src": "*fp32", "dst": "*fp32"}, {"R": 8, "C": 16})
CASES.add(reshape_can_reorder, {"src": "*i32", "out": "*i32"}, {"N": 128})
CASES.add(
    broadcast_family,
    {"row": "*fp32", "col": "*fp32", "out": "*fp32"},
    {"M": 16, "N": 32},
)
CASES.add(
    none_indexing_3d,
    {"x": "*fp32", "y": "*fp32", "out": "*fp32"},
    {"A": 4, "B": 8, "C": 16},
)
CASES.add(permute_3d, {"src": "*fp16", "dst": "*fp16"}, {"A": 4, "B": 8, "C": 16})
CASES.add(transpose_2d, {"src": "*fp32", "dst": "*fp32"}, {"M": 32, "N": 64})
CASES.add(cat_reorder, {"a": "*fp32", "b": "*fp32", "out": "*fp32"}, {"N": 64})
CASES.add(
    join_and_split,
    {"a": "*fp32", "b": "*fp32", "out_a": "*fp32", "out_b": "*fp32"},
    {"N": 64},
)
CASES.add(split_2d_pairs, {"src": "*fp16", "re": "*fp16", "im": "*fp16"}, {"N": 128})
CASES.add(interleave_halves, {"a": "*bf16", "b": "*bf16", "out": "*bf16"}, {"N": 64})
CASES.add(ravel_tile, {"src": "*i32", "dst": "*i32"}, {"M": 8, "N": 32})
CASES.add(flip_rows_and_cols, {"src": "*fp32", "dst": "*fp32"}, {"M": 16, "N": 16})
CASES.add(flip_1d, {"src": "*i32", "dst": "*i32"}, {"N": 128})
CASES.add(gather_axis1, {"src": "*fp32", "idx": "*i32", "dst": "*fp32"}, {"M": 16, "N": 32})
CASES.add(
    gather_axis0,
    {"src": "*fp16", "idx": "*i64", "dst": "*fp16"},
    {"M": 32, "N": 16, "K": 8},
)
CASES.add(
    where_and_clamp,
    {"src": "*fp32", "dst": "*fp32", "lo": "fp32", "hi": "fp32", "n": "i32"},
    {"BLOCK": 128},
)
CASES.add(clamp_propagate_nan, {"src": "*fp16", "dst": "*fp16"}, {"BLOCK": 64})
CASES.add(cdiv_tiles, {"dst": "*i32", "n": "i32", "d": "i32"}, {"BLOCK": 64})
CASES.add(single_element_to_scalar, {"src": "*fp32", "out": "*fp32"})
CASES.add(expand_reduce_roundtrip, {"src": "*fp32", "dst": "*fp32"}, {"M": 16, "N": 64})
