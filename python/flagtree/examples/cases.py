"""Launch harnesses and torch references of the example suite."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
import triton

from . import kernels


@dataclass(frozen=True)
class RunCase:
    """One runnable kernel: inputs, launch, reference, tolerance."""

    name: str
    kernel: Any
    make_inputs: Callable[[torch.device], dict[str, torch.Tensor]]
    launch: Callable[[Any, dict[str, torch.Tensor]], torch.Tensor]
    reference: Callable[[dict[str, torch.Tensor]], torch.Tensor]
    atol: float
    rtol: float
    #: False where the result depends on the order of atomic updates, so two
    #: runs of the same binary may differ in the last bits.
    deterministic: bool = True


def _gen(device, seed=0):
    return torch.Generator(device="cpu").manual_seed(seed)


def _randn(shape, device, dtype=torch.float32, seed=0):
    return torch.randn(shape, generator=_gen(device, seed), dtype=torch.float32).to(device, dtype)


def _vector_add_inputs(device):
    n = 1_000_003
    return {"x": _randn(n, device), "y": _randn(n, device, seed=1)}


def _vector_add(kernel, t):
    out = torch.empty_like(t["x"])
    n = out.numel()
    kernel[(triton.cdiv(n, 1024),)](t["x"], t["y"], out, n, BLOCK=1024)
    return out


def _softmax_inputs(device):
    return {"x": _randn((512, 1000), device)}


def _softmax(kernel, t):
    x = t["x"]
    out = torch.empty_like(x)
    kernel[(x.shape[0],)](x, out, x.stride(0), x.shape[1], BLOCK=1024)
    return out


def _layer_norm_inputs(device):
    return {
        "x": _randn((256, 768), device),
        "w": _randn(768, device, seed=1),
        "b": _randn(768, device, seed=2),
    }


def _layer_norm(kernel, t):
    x = t["x"]
    out = torch.empty_like(x)
    kernel[(x.shape[0],)](x, t["w"], t["b"], out, x.stride(0), x.shape[1], 1e-5, BLOCK=1024)
    return out


def _matmul_inputs(device):
    return {
        "a": _randn((500, 300), device, torch.float16),
        "b": _randn((300, 260), device, torch.float16, seed=1),
    }


def _matmul(kernel, t):
    a, b = t["a"], t["b"]
    M, K = a.shape
    N = b.shape[1]
    c = torch.empty((M, N), device=a.device, dtype=torch.float16)
    grid = (triton.cdiv(M, 64), triton.cdiv(N, 64))
    kernel[grid](a, b, c, M, N, K, a.stride(0), a.stride(1), b.stride(0), b.stride(1),
                 c.stride(0), c.stride(1), BM=64, BN=64, BK=32)  # fmt: skip
    return c


def _sum_inputs(device):
    return {"x": _randn(100_000, device)}


def _sum(kernel, t):
    out = torch.zeros(1, device=t["x"].device)
    n = t["x"].numel()
    kernel[(triton.cdiv(n, 2048),)](t["x"], out, n, BLOCK=2048)
    return out


def _cumsum_inputs(device):
    return {"x": _randn((64, 256), device)}


def _cumsum(kernel, t):
    out = torch.empty_like(t["x"])
    kernel[(t["x"].shape[0],)](t["x"], out, t["x"].stride(0), BLOCK=256)
    return out


def _argmax_inputs(device):
    return {"x": _randn((128, 300), device)}


def _argmax(kernel, t):
    x = t["x"]
    out = torch.empty(x.shape[0], device=x.device, dtype=torch.int32)
    kernel[(x.shape[0],)](x, out, x.stride(0), x.shape[1], BLOCK=512)
    return out


def _gelu_inputs(device):
    return {"x": _randn(70_000, device) * 4}


def _gelu(kernel, t):
    out = torch.empty_like(t["x"])
    n = out.numel()
    kernel[(triton.cdiv(n, 512),)](t["x"], out, n, BLOCK=512)
    return out


def _cross_entropy_inputs(device):
    rows, classes = 64, 5000
    targets = torch.randint(0, classes, (rows,), generator=_gen(device, 1))
    return {"x": _randn((rows, classes), device) * 3, "target": targets.to(device)}


def _cross_entropy(kernel, t):
    x = t["x"]
    out = torch.empty(x.shape[0], device=x.device)
    kernel[(x.shape[0],)](x, t["target"], out, x.stride(0), x.shape[1], BLOCK=1024)
    return out


CASES: list[RunCase] = [
    RunCase("vector_add", kernels.vector_add, _vector_add_inputs, _vector_add,
            lambda t: t["x"] + t["y"], 0.0, 0.0),
    RunCase("softmax", kernels.row_softmax, _softmax_inputs, _softmax,
            lambda t: torch.softmax(t["x"], dim=1), 1e-6, 1e-5),
    RunCase("layer_norm", kernels.layer_norm, _layer_norm_inputs, _layer_norm,
            lambda t: torch.nn.functional.layer_norm(t["x"], (768,), t["w"], t["b"], 1e-5),
            1e-4, 1e-4),
    RunCase("matmul_fp16", kernels.matmul, _matmul_inputs, _matmul,
            lambda t: (t["a"].float() @ t["b"].float()).half(), 2e-2, 2e-2),
    RunCase("masked_sum_atomic", kernels.masked_sum, _sum_inputs, _sum,
            lambda t: t["x"].sum().reshape(1), 1e-2, 1e-4, deterministic=False),
    RunCase("cumsum", kernels.row_cumsum, _cumsum_inputs, _cumsum,
            lambda t: torch.cumsum(t["x"], dim=1), 1e-4, 1e-4),
    RunCase("argmax", kernels.row_argmax, _argmax_inputs, _argmax,
            lambda t: torch.argmax(t["x"], dim=1).to(torch.int32), 0.0, 0.0),
    RunCase("gelu_tanh", kernels.gelu_where, _gelu_inputs, _gelu,
            lambda t: torch.nn.functional.gelu(t["x"], approximate="tanh"), 1e-5, 1e-5),
    RunCase("cross_entropy", kernels.cross_entropy, _cross_entropy_inputs, _cross_entropy,
            lambda t: torch.nn.functional.cross_entropy(t["x"], t["target"], reduction="none"),
            1e-4, 1e-4),
]  # fmt: skip
