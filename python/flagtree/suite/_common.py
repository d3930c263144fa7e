"""Helpers shared by the operator families: inputs, grids, standard cases."""

from __future__ import annotations

import torch
import triton

from .registry import Case, case

F32, F16, BF16 = torch.float32, torch.float16, torch.bfloat16


def uniform(c: Case, device, gen, lo=-3.0, hi=3.0, shape=None, dtype=None) -> torch.Tensor:
    shape = c.shape if shape is None else shape
    x = torch.rand(shape, generator=gen, dtype=torch.float64) * (hi - lo) + lo
    return x.to(device=device, dtype=dtype or c.dtype)


def normal(c: Case, device, gen, shape=None, dtype=None, scale=1.0) -> torch.Tensor:
    shape = c.shape if shape is None else shape
    x = torch.randn(shape, generator=gen, dtype=torch.float32) * scale
    return x.to(device=device, dtype=dtype or c.dtype)


def integers(shape, lo, hi, dtype, device, gen) -> torch.Tensor:
    return torch.randint(lo, hi, tuple(shape), generator=gen, dtype=torch.int64).to(
        device=device, dtype=dtype
    )


def grid1d(n: int, block: int) -> tuple[int]:
    return (triton.cdiv(n, block),)


def pow2(n: int) -> int:
    return triton.next_power_of_2(max(int(n), 1))


#: Elementwise variants: an odd length in fp32 and a 2-D tensor in fp16.
EW_CASES = (case((1000,)), case((37, 29), F16))
EW_BENCH = (case((1 << 22,)), case((1 << 22,), F16))
EW_QUICK = (case((1 << 20,)),)


def flat_out(x: torch.Tensor, dtype=None) -> torch.Tensor:
    return torch.empty(x.shape, dtype=dtype or x.dtype, device=x.device)
