"""Scans along the last dim (cumsum, cumprod, cummax, logcumsumexp,
reversed), sorting (sort, argsort, topk) and flip, one program per row."""

from __future__ import annotations

import torch
import triton
import triton.language as tl

from .._common import F16, normal, pow2
from ..registry import add, case


@triton.jit
def _add(a, b):
    return a + b


@triton.jit
def _max_with_index(va, ia, vb, ib):
    take_b = vb > va
    return tl.where(take_b, vb, va), tl.where(take_b, ib, ia)


@triton.jit
def _logaddexp(a, b):
    m = tl.maximum(a, b)
    return m + tl.log(tl.exp(a - m) + tl.exp(b - m))


@triton.jit
def scan_kernel(x_ptr, out_ptr, idx_ptr, N, OP: tl.constexpr, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    cols = tl.arange(0, BLOCK)
    mask = cols < N
    x = tl.load(x_ptr + row * N + cols, mask=mask, other=0.0).to(tl.float32)
    if OP == "cumsum":
        y = tl.cumsum(x, axis=0)
    elif OP == "cumsum_reverse":
        y = tl.associative_scan(x, 0, _add, reverse=True)
    elif OP == "cumprod":
        y = tl.cumprod(tl.where(mask, x, 1.0), axis=0)
    elif OP == "logcumsumexp":
        y = tl.associative_scan(tl.where(mask, x, float("-inf")), 0, _logaddexp)
    else:
        tl.static_assert(OP == "cummax", "unknown scan")
        y, idx = tl.associative_scan((tl.where(mask, x, float("-inf")), cols), 0,
                                     _max_with_index)  # fmt: skip
        tl.store(idx_ptr + row * N + cols, idx.to(tl.int64), mask=mask)
    tl.store(out_ptr + row * N + cols, y.to(out_ptr.dtype.element_ty), mask=mask)


@triton.jit
def sort_kernel(x_ptr, out_ptr, idx_ptr, N, OP: tl.constexpr, DESCENDING: tl.constexpr,
                K: tl.constexpr, BLOCK: tl.constexpr):  # fmt: skip
    row = tl.program_id(0).to(tl.int64)
    cols = tl.arange(0, BLOCK)
    mask = cols < N
    pad = float("-inf") if DESCENDING else float("inf")
    x = tl.load(x_ptr + row * N + cols, mask=mask, other=pad).to(tl.float32)
    if OP == "sort":
        y = tl.sort(x, descending=DESCENDING)
        tl.store(out_ptr + row * N + cols, y.to(out_ptr.dtype.element_ty), mask=mask)
    elif OP == "topk":
        y = tl.topk(x, K)
        tl.store(out_ptr + row * K + tl.arange(0, K), y.to(out_ptr.dtype.element_ty))
    else:
        tl.static_assert(OP == "argsort", "unknown sort")
        # an order-preserving integer key in the high half, the column below
        bits = x.to(tl.int32, bitcast=True)
        key = tl.where(bits < 0, bits ^ 0x7FFFFFFF, bits).to(tl.int64)
        packed = (key << 32) | cols.to(tl.int64)
        order = tl.sort(packed, descending=DESCENDING) & 0xFFFFFFFF
        tl.store(idx_ptr + row * N + cols, order, mask=mask)


@triton.jit
def flip_kernel(x_ptr, out_ptr, N, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    cols = tl.arange(0, BLOCK)
    mask = cols < N
    x = tl.load(x_ptr + row * N + (N - 1 - cols), mask=mask)
    tl.store(out_ptr + row * N + cols, x, mask=mask)


def _scan(op):
    def launch(k, c, x):
        rows, n = x.shape
        out = torch.empty_like(x)
        idx = torch.empty(x.shape, dtype=torch.int64, device=x.device)
        k.scan_kernel[(rows,)](x, out, idx, n, OP=op, BLOCK=pow2(n))
        return (out, idx) if op == "cummax" else out

    return launch


SCANS = {
    "cumsum": lambda x: x.cumsum(-1),
    "cumsum_reverse": lambda x: x.flip(-1).cumsum(-1).flip(-1),
    "cumprod": lambda x: x.cumprod(-1),
    "logcumsumexp": lambda x: x.logcumsumexp(-1),
}
CASES = (case((7, 100)), case((3, 1000), F16))
BENCH = (case((4096, 1024)),)
QUICK = (case((256, 1024)),)
for _name, _fn in SCANS.items():
    add(
        _name, "scan", [scan_kernel],
        lambda c, d, g, name=_name: (
            (1 + 0.05 * normal(c, d, g)) if name == "cumprod" else normal(c, d, g),
        ),
        _scan(_name), lambda c, x, fn=_fn: fn(x.double()).to(x.dtype), CASES, BENCH,
        quick_cases=QUICK,
        baseline=lambda c, x, fn=_fn: fn(x),
        atol=1e-4, rtol=1e-4, half_atol=5e-2, half_rtol=1e-2,
    )  # fmt: skip
add(
    "cummax", "scan", [scan_kernel], lambda c, d, g: (normal(c, d, g),), _scan("cummax"),
    lambda c, x: tuple(torch.cummax(x, -1)), CASES[:1], BENCH, quick_cases=QUICK, atol=0, rtol=0,
)  # fmt: skip


def _sort(op, descending=False, k_top=0):
    def launch(k, c, x):
        rows, n = x.shape
        width = k_top or n
        out = torch.empty((rows, width), device=x.device, dtype=x.dtype)
        idx = torch.empty((rows, n), device=x.device, dtype=torch.int64)
        k.sort_kernel[(rows,)](x, out, idx, n, OP=op, DESCENDING=descending, K=max(k_top, 1),
                               BLOCK=pow2(n))  # fmt: skip
        return idx if op == "argsort" else out

    return launch


SORT_CASES = (case((5, 64)), case((3, 100), F16))
SORT_BENCH = (case((4096, 1024)),)
SORT_QUICK = (case((256, 1024)),)
QUICK = (case((256, 1024)),)
X = [sort_kernel]
add("sort", "scan", X, lambda c, d, g: (normal(c, d, g),), _sort("sort"),
    lambda c, x: torch.sort(x, -1).values, SORT_CASES, SORT_BENCH, quick_cases=SORT_QUICK,
    atol=0, rtol=0,
    half_atol=0, half_rtol=0)  # fmt: skip
add("sort_descending", "scan", X, lambda c, d, g: (normal(c, d, g),), _sort("sort", True),
    lambda c, x: torch.sort(x, -1, descending=True).values, SORT_CASES[:1], SORT_BENCH,
    quick_cases=SORT_QUICK,
    atol=0, rtol=0)  # fmt: skip
add("argsort", "scan", X, lambda c, d, g: (normal(c, d, g),), _sort("argsort"),
    lambda c, x: torch.sort(x, dim=-1, stable=True).indices, SORT_CASES[:1],
    SORT_BENCH, quick_cases=SORT_QUICK)  # fmt: skip
add("topk", "scan", X, lambda c, d, g: (normal(c, d, g),), _sort("topk", True, 8),
    lambda c, x: torch.topk(x, 8, -1).values, SORT_CASES[:1], SORT_BENCH, quick_cases=SORT_QUICK,
    atol=0,
    rtol=0)  # fmt: skip


def _flip(k, c, x):
    rows, n = x.shape
    out = torch.empty_like(x)
    k.flip_kernel[(rows,)](x, out, n, BLOCK=pow2(n))
    return out


add("flip", "scan", [flip_kernel], lambda c, d, g: (normal(c, d, g),), _flip,
    lambda c, x: x.flip(-1), CASES, BENCH, quick_cases=QUICK, atol=0, rtol=0, half_atol=0,
    half_rtol=0)  # fmt: skip
