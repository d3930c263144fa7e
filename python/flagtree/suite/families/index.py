"""Embedding and index operators: gathers through index tensors,
scatters (plain and accumulating through atomics), one-hot, masked fill."""

from __future__ import annotations

import torch
import torch.nn.functional as F
import triton
import triton.language as tl

from .._common import F16, integers, normal, pow2
from ..registry import add, case


@triton.jit
def row_gather_kernel(src_ptr, idx_ptr, out_ptr, N, BLOCK: tl.constexpr):
    """out[i, :] = src[idx[i], :]: embedding lookup and index_select."""
    i = tl.program_id(0)
    row = tl.load(idx_ptr + i).to(tl.int64)
    for start in range(0, N, BLOCK):
        cols = start + tl.arange(0, BLOCK)
        mask = cols < N
        v = tl.load(src_ptr + row * N + cols, mask=mask)
        tl.store(out_ptr + i.to(tl.int64) * N + cols, v, mask=mask)


@triton.jit
def row_scatter_add_kernel(src_ptr, idx_ptr, out_ptr, N, alpha, BLOCK: tl.constexpr):
    """out[idx[i], :] += alpha * src[i, :]: index_add and the embedding's
    backward pass (repeated indices accumulate through atomics)."""
    i = tl.program_id(0)
    row = tl.load(idx_ptr + i).to(tl.int64)
    for start in range(0, N, BLOCK):
        cols = start + tl.arange(0, BLOCK)
        mask = cols < N
        v = tl.load(src_ptr + i.to(tl.int64) * N + cols, mask=mask, other=0.0)
        tl.atomic_add(out_ptr + row * N + cols, v * alpha, mask=mask)


@triton.jit
def gather_dim1_kernel(src_ptr, idx_ptr, out_ptr, N_SRC, N_IDX, OP: tl.constexpr,
                       BLOCK: tl.constexpr):  # fmt: skip
    """Per row r and column j: gather out[r, j] = src[r, idx[r, j]],
    scatter out[r, idx[r, j]] = src[r, j], scatter_add the same with +=."""
    r = tl.program_id(0).to(tl.int64)
    cols = tl.arange(0, BLOCK)
    mask = cols < N_IDX
    idx = tl.load(idx_ptr + r * N_IDX + cols, mask=mask, other=0)
    if OP == "gather":
        v = tl.load(src_ptr + r * N_SRC + idx, mask=mask)
        tl.store(out_ptr + r * N_IDX + cols, v, mask=mask)
    elif OP == "scatter":
        v = tl.load(src_ptr + r * N_IDX + cols, mask=mask)
        tl.store(out_ptr + r * N_SRC + idx, v, mask=mask)
    else:
        v = tl.load(src_ptr + r * N_IDX + cols, mask=mask)
        tl.atomic_add(out_ptr + r * N_SRC + idx, v, mask=mask)


@triton.jit
def take_kernel(src_ptr, idx_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    idx = tl.load(idx_ptr + offs, mask=mask, other=0)
    tl.store(out_ptr + offs, tl.load(src_ptr + idx, mask=mask), mask=mask)


@triton.jit
def one_hot_kernel(idx_ptr, out_ptr, C, BLOCK: tl.constexpr):
    r = tl.program_id(0).to(tl.int64)
    cols = tl.arange(0, BLOCK)
    idx = tl.load(idx_ptr + r)
    tl.store(out_ptr + r * C + cols, (cols == idx).to(tl.int64), mask=cols < C)


@triton.jit
def masked_fill_kernel(x_ptr, mask_ptr, out_ptr, n, value, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    inside = offs < n
    x = tl.load(x_ptr + offs, mask=inside)
    m = tl.load(mask_ptr + offs, mask=inside, other=0)
    tl.store(out_ptr + offs, tl.where(m != 0, value, x), mask=inside)


@triton.jit
def tl_gather_kernel(src_ptr, idx_ptr, out_ptr, N: tl.constexpr):
    """The same gather along dim 1 through tl.gather, for one (R, N) block."""
    rows = tl.arange(0, N)
    offs = rows[:, None] * N + tl.arange(0, N)[None, :]
    src = tl.load(src_ptr + offs)
    idx = tl.load(idx_ptr + offs)
    tl.store(out_ptr + offs, tl.gather(src, idx, 1))


def _table_inputs(c, device, gen):
    vocab, dim, count = c.shape
    table = normal(c, device, gen, shape=(vocab, dim))
    return table, integers((count,), 0, vocab, torch.int64, device, gen)


def _row_gather(k, c, table, idx):
    n = table.shape[1]
    out = torch.empty((idx.numel(), n), device=table.device, dtype=table.dtype)
    k.row_gather_kernel[(idx.numel(),)](table, idx, out, n, BLOCK=min(pow2(n), 1024))
    return out


GATHER_CASES = (case((100, 33, 50)), case((1000, 64, 300), F16))
GATHER_BENCH = (case((32000, 4096, 8192)), case((32000, 4096, 8192), F16))
GATHER_QUICK = (case((8000, 1024, 1024)),)
add("embedding", "index", [row_gather_kernel], _table_inputs, _row_gather,
    lambda c, t, i: F.embedding(i, t), GATHER_CASES, GATHER_BENCH, quick_cases=GATHER_QUICK,
    atol=0, rtol=0,
    half_atol=0, half_rtol=0)  # fmt: skip
add("index_select", "index", [row_gather_kernel], _table_inputs, _row_gather,
    lambda c, t, i: torch.index_select(t, 0, i), GATHER_CASES[:1], GATHER_BENCH[:1],
    quick_cases=GATHER_QUICK,
    atol=0, rtol=0)  # fmt: skip


def _scatter_rows_inputs(c, device, gen):
    rows, dim, count = c.shape
    src = normal(c, device, gen, shape=(count, dim), dtype=torch.float32)
    return src, integers((count,), 0, rows, torch.int64, device, gen)


def _index_add(alpha):
    def launch(k, c, src, idx):
        rows, dim, _ = c.shape
        out = torch.ones((rows, dim), device=src.device)
        k.row_scatter_add_kernel[(idx.numel(),)](src, idx, out, dim, alpha,
                                                 BLOCK=min(pow2(dim), 1024))  # fmt: skip
        return out

    return launch


SCATTER_CASES = (case((50, 33, 200)),)
SCATTER_BENCH = (case((32000, 1024, 8192)),)
SCATTER_QUICK = (case((4000, 1024, 1024)),)
add(
    "index_add", "index", [row_scatter_add_kernel], _scatter_rows_inputs, _index_add(0.5),
    lambda c, s, i: torch.ones(c.shape[:2]).to(s.device).index_add(0, i, s, alpha=0.5),
    SCATTER_CASES, SCATTER_BENCH, quick_cases=SCATTER_QUICK, atol=1e-5, rtol=1e-5,
)  # fmt: skip
add(
    "embedding_backward", "index", [row_scatter_add_kernel], _scatter_rows_inputs,
    _index_add(1.0),
    lambda c, s, i: 1 + torch.zeros(c.shape[:2]).to(s.device).index_put((i,), s, accumulate=True),
    SCATTER_CASES, SCATTER_BENCH, quick_cases=SCATTER_QUICK, atol=1e-5, rtol=1e-5,
)  # fmt: skip


def _dim1_inputs(op):
    def make(c, device, gen):
        rows, n_src, n_idx = c.shape
        if op == "scatter":  # distinct targets per row, so the result is defined
            idx = torch.stack([torch.randperm(n_src, generator=gen)[:n_idx] for _ in range(rows)])
            idx = idx.to(device)
        else:
            idx = integers((rows, n_idx), 0, n_src, torch.int64, device, gen)
        size = n_src if op == "gather" else n_idx
        return normal(c, device, gen, shape=(rows, size)), idx

    return make


def _dim1(op):
    def launch(k, c, src, idx):
        rows, n_src, n_idx = c.shape
        if op == "gather":
            out = torch.empty((rows, n_idx), device=src.device, dtype=src.dtype)
        else:
            out = torch.zeros((rows, n_src), device=src.device, dtype=src.dtype)
        k.gather_dim1_kernel[(rows,)](src, idx, out, n_src, n_idx, OP=op, BLOCK=pow2(n_idx))
        return out

    return launch


DIM1_REF = {
    "gather": lambda c, s, i: torch.gather(s, 1, i),
    "scatter": lambda c, s, i: (
        torch.zeros(c.shape[:2], dtype=s.dtype).to(s.device).scatter(1, i, s)
    ),
    "scatter_add": lambda c, s, i: (
        torch.zeros(c.shape[:2], dtype=s.dtype).to(s.device).scatter_add(1, i, s)
    ),
}
DIM1_CASES = (case((7, 100, 60)), case((5, 40, 30), F16))
for _op, _ref in DIM1_REF.items():
    add(
        _op, "index", [gather_dim1_kernel], _dim1_inputs(_op), _dim1(_op), _ref,
        DIM1_CASES[:1] if _op == "scatter_add" else DIM1_CASES,
        (case((4096, 4096, 1024)),), quick_cases=(case((512, 1024, 256)),), atol=1e-6, rtol=1e-6,
        half_atol=0, half_rtol=0,
    )  # fmt: skip


def _take(k, c, src, idx):
    out = torch.empty(idx.shape, device=src.device, dtype=src.dtype)
    n = idx.numel()
    k.take_kernel[(triton.cdiv(n, 1024),)](src, idx, out, n, BLOCK=1024)
    return out


add(
    "take", "index", [take_kernel],
    lambda c, d, g: (normal(c, d, g), integers(c.shape, 0, c.shape[0], torch.int64, d, g)),
    _take, lambda c, s, i: torch.take(s, i), (case((1000,)), case((3000,), F16)),
    (case((1 << 22,)),), quick_cases=(case((1 << 20,)),), atol=0, rtol=0, half_atol=0,
    half_rtol=0,
)  # fmt: skip


def _one_hot(k, c, idx):
    classes = c.param("classes")
    out = torch.empty((idx.numel(), classes), device=idx.device, dtype=torch.int64)
    k.one_hot_kernel[(idx.numel(),)](idx, out, classes, BLOCK=pow2(classes))
    return out


add(
    "one_hot", "index", [one_hot_kernel],
    lambda c, d, g: (integers(c.shape, 0, c.param("classes"), torch.int64, d, g),), _one_hot,
    lambda c, i: F.one_hot(i, c.param("classes")), (case((100,), torch.int64, classes=10),),
    (case((65536,), torch.int64, classes=128),),
    quick_cases=(case((16384,), torch.int64, classes=128),),
)  # fmt: skip


def _masked_fill(k, c, x, m):
    out = torch.empty_like(x)
    n = x.numel()
    k.masked_fill_kernel[(triton.cdiv(n, 1024),)](x, m, out, n, -7.0, BLOCK=1024)
    return out


add(
    "masked_fill", "index", [masked_fill_kernel],
    lambda c, d, g: (normal(c, d, g), integers(c.shape, 0, 2, torch.int8, d, g)),
    _masked_fill, lambda c, x, m: x.masked_fill(m.bool(), -7.0),
    (case((1000,)), case((37, 29), F16)), (case((1 << 22,)),), quick_cases=(case((1 << 20,)),),
    atol=0,
    rtol=0, half_atol=0, half_rtol=0,
)  # fmt: skip


def _tl_gather(k, c, src, idx):
    out = torch.empty_like(src)
    k.tl_gather_kernel[(1,)](src, idx, out, N=c.shape[0])
    return out


add(
    "gather_in_block", "index", [tl_gather_kernel],
    lambda c, d, g: (normal(c, d, g), integers(c.shape, 0, c.shape[1], torch.int64, d, g)),
    _tl_gather, lambda c, s, i: torch.gather(s, 1, i), (case((32, 32)),), (case((128, 128)),),
    atol=0, rtol=0,
)  # fmt: skip
