"""Reductions along any dim: the input is viewed as (outer, reduced, inner)
and each program reduces one outer index over a block of inner columns,
walking the reduced dim in chunks."""

from __future__ import annotations

import math

import torch
import triton
import triton.language as tl

from .._common import F16, normal, pow2
from ..registry import add, case


@triton.jit
def reduce_kernel(x_ptr, out_ptr, R, B, OP: tl.constexpr, BLOCK_R: tl.constexpr,
                  BLOCK_B: tl.constexpr):  # fmt: skip
    outer = tl.program_id(0)
    cols = tl.program_id(1) * BLOCK_B + tl.arange(0, BLOCK_B)
    col_mask = cols < B
    base = x_ptr + outer.to(tl.int64) * R * B
    acc = tl.zeros((BLOCK_B,), dtype=tl.float32)
    if OP == "prod":
        acc += 1.0
    if OP == "max" or OP == "argmax" or OP == "logsumexp":
        acc += float("-inf")
    if OP == "min" or OP == "argmin":
        acc += float("inf")
    best = tl.zeros((BLOCK_B,), dtype=tl.int64)
    total = tl.zeros((BLOCK_B,), dtype=tl.float32)
    for r0 in range(0, R, BLOCK_R):
        rows = r0 + tl.arange(0, BLOCK_R)
        mask = (rows[:, None] < R) & col_mask[None, :]
        x = tl.load(base + rows[:, None] * B + cols[None, :], mask=mask, other=0.0)
        x = x.to(tl.float32)
        if OP == "sum" or OP == "mean":
            acc += tl.sum(x, axis=0)
        elif OP == "prod":
            acc *= tl.reduce(tl.where(mask, x, 1.0), 0, _multiply)
        elif OP == "max":
            acc = tl.maximum(acc, tl.max(tl.where(mask, x, float("-inf")), axis=0))
        elif OP == "min":
            acc = tl.minimum(acc, tl.min(tl.where(mask, x, float("inf")), axis=0))
        elif OP == "argmax":
            xm = tl.where(mask, x, float("-inf"))
            chunk_best = tl.max(xm, axis=0)
            chunk_arg = tl.argmax(xm, axis=0) + r0
            better = chunk_best > acc
            best = tl.where(better, chunk_arg, best)
            acc = tl.where(better, chunk_best, acc)
        elif OP == "argmin":
            xm = tl.where(mask, x, float("inf"))
            chunk_best = tl.min(xm, axis=0)
            chunk_arg = tl.argmin(xm, axis=0) + r0
            better = chunk_best < acc
            best = tl.where(better, chunk_arg, best)
            acc = tl.where(better, chunk_best, acc)
        elif OP == "norm_l1":
            acc += tl.sum(tl.abs(x), axis=0)
        elif OP == "norm_l2":
            acc += tl.sum(x * x, axis=0)
        elif OP == "norm_inf":
            acc = tl.maximum(acc, tl.max(tl.abs(x), axis=0))
        elif OP == "count_nonzero" or OP == "any" or OP == "all":
            acc += tl.sum(((x != 0) & mask).to(tl.float32), axis=0)
        elif OP == "logsumexp":
            xm = tl.where(mask, x, float("-inf"))
            new_max = tl.maximum(acc, tl.max(xm, axis=0))
            new_max_safe = tl.where(new_max == float("-inf"), 0.0, new_max)
            total = total * tl.exp(acc - new_max_safe) + tl.sum(
                tl.exp(xm - new_max_safe[None, :]), axis=0
            )
            acc = new_max
        else:
            tl.static_assert(OP == "var" or OP == "std", "unknown reduction")
            acc += tl.sum(x, axis=0)
    if OP == "var" or OP == "std":
        mean = acc / R
        acc = tl.zeros((BLOCK_B,), dtype=tl.float32)
        for r0 in range(0, R, BLOCK_R):
            rows = r0 + tl.arange(0, BLOCK_R)
            mask = (rows[:, None] < R) & col_mask[None, :]
            x = tl.load(base + rows[:, None] * B + cols[None, :], mask=mask, other=0.0)
            d = tl.where(mask, x.to(tl.float32) - mean[None, :], 0.0)
            acc += tl.sum(d * d, axis=0)
        acc = acc / (R - 1)
        if OP == "std":
            acc = tl.sqrt(acc)
    if OP == "mean":
        acc = acc / R
    if OP == "norm_l2":
        acc = tl.sqrt(acc)
    if OP == "logsumexp":
        acc = acc + tl.log(total)
    out = out_ptr + outer * B + cols
    if OP == "argmax" or OP == "argmin":
        tl.store(out, best, mask=col_mask)
    elif OP == "any":
        tl.store(out, acc > 0, mask=col_mask)
    elif OP == "all":
        tl.store(out, acc == R, mask=col_mask)
    elif OP == "count_nonzero":
        tl.store(out, acc.to(tl.int64), mask=col_mask)
    else:
        tl.store(out, acc.to(out_ptr.dtype.element_ty), mask=col_mask)


@triton.jit
def _multiply(a, b):
    return a * b


def _split(shape, dim):
    return math.prod(shape[:dim]), shape[dim], math.prod(shape[dim + 1 :])


def _launch(name, out_dtype=None):
    def launch(k, c, x):
        dim = c.param("dim")
        outer, r, inner = _split(x.shape, dim)
        out_shape = x.shape[:dim] + x.shape[dim + 1 :]
        out = torch.empty(out_shape, dtype=out_dtype or x.dtype, device=x.device)
        block_b = min(pow2(inner), 64)
        block_r = max(min(pow2(r), 4096 // block_b), 1)
        grid = (outer, triton.cdiv(inner, block_b))
        k.reduce_kernel[grid](x, out, r, inner, OP=name, BLOCK_R=block_r, BLOCK_B=block_b)
        return out

    return launch


def _inputs(name):
    def make(c, device, gen):
        x = normal(c, device, gen)
        if name in ("prod",):
            x = (1.0 + 0.05 * x.float()).to(c.dtype)
        if name in ("count_nonzero", "any", "all"):
            keep = torch.rand(c.shape, generator=gen) > (0.02 if name == "all" else 0.9)
            x = x * keep.to(device=device, dtype=x.dtype)
            if name == "all":
                x[(0,) * len(c.shape)] = 1.0  # at least one slice is all nonzero
        return (x,)

    return make


REDUCTIONS = {
    "sum": (lambda x, d: x.sum(d), None),
    "mean": (lambda x, d: x.mean(d), None),
    "prod": (lambda x, d: x.prod(d), None),
    "amax": (lambda x, d: x.amax(d), None),
    "amin": (lambda x, d: x.amin(d), None),
    "argmax": (lambda x, d: x.argmax(d), torch.int64),
    "argmin": (lambda x, d: x.argmin(d), torch.int64),
    "var": (lambda x, d: x.var(d), None),
    "std": (lambda x, d: x.std(d), None),
    "norm_l1": (lambda x, d: x.norm(1, d), None),
    "norm_l2": (lambda x, d: x.norm(2, d), None),
    "norm_inf": (lambda x, d: x.norm(float("inf"), d), None),
    "logsumexp": (lambda x, d: x.logsumexp(d), None),
    "count_nonzero": (lambda x, d: torch.count_nonzero(x, d), torch.int64),
    "any": (lambda x, d: x.any(d), torch.bool),
    "all": (lambda x, d: x.all(d), torch.bool),
}
KERNEL_OP = {"amax": "max", "amin": "min"}
CASES = (case((8, 33, 5), dim=1), case((70, 40), dim=0), case((3, 300), F16, dim=1))
BENCH = (case((1024, 4096), dim=1), case((4096, 1024), dim=0))
QUICK = (case((256, 1024), dim=1), case((1024, 256), dim=0))

for _name, (_fn, _out) in REDUCTIONS.items():
    add(
        _name, "reduction", [reduce_kernel], _inputs(_name),
        _launch(KERNEL_OP.get(_name, _name), _out),
        lambda c, x, fn=_fn, out=_out: fn(x.float(), c.param("dim")).to(out or x.dtype),
        CASES, BENCH, quick_cases=QUICK, atol=1e-4, rtol=1e-4, half_atol=2e-2,
    )  # fmt: skip
