"""Small autotuned kernels and workloads for the PreTune tests (loaded by the
tests, by `flagtree pretune search`, and by search worker processes)."""

from __future__ import annotations

import os
import signal

import torch
import triton
import triton.language as tl
from triton.testing import do_bench

from flagtree.pretune import Launch, Workload

CONFIGS = [triton.Config({"BLOCK": 64}), triton.Config({"BLOCK": 256})]
#: How many times a tuner made by `make_tuner` benchmarked a config.
BENCH_CALLS = [0]


def counting_bench(fn, quantiles=None):
    BENCH_CALLS[0] += 1
    return do_bench(fn, warmup=1, rep=3, quantiles=quantiles)


@triton.jit
def scale(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    tl.store(out_ptr + offs, tl.load(x_ptr + offs, mask=mask) * 2.0, mask=mask)


def _other_scale():
    # The same name as `scale` with another body: a table of `scale` must not apply.
    @triton.jit
    def scale(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
        offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
        mask = offs < n
        tl.store(out_ptr + offs, tl.load(x_ptr + offs, mask=mask) * 3.0, mask=mask)

    return scale


OTHER_SCALE = _other_scale()


def make_tuner(configs=None, fn=scale):
    """A fresh Autotuner (empty cache) over the shared, already compiled kernel."""
    return triton.autotune(configs=configs or CONFIGS, key=["n"], do_bench=counting_bench)(fn)


def launch_scale(kernel, n: int, dtype=torch.float32):
    """Runs `kernel` (autotuned `scale`) on n elements; returns (input, output)."""
    x = torch.randn(n).to(dtype)
    out = torch.empty_like(x)
    kernel[lambda meta: (triton.cdiv(n, meta["BLOCK"]),)](x, out, n)
    return x, out


def _make_launch(shape: dict, device: str) -> Launch:
    n = shape["n"]
    x = torch.randn(n, device=device)
    out = torch.empty_like(x)
    return Launch(lambda meta: (triton.cdiv(n, meta["BLOCK"]),), (x, out, n))


SCALE = Workload(make_tuner(), _make_launch, [{"n": 1024}, {"n": 4096}])


def _make_launch_or_die(shape: dict, device: str) -> Launch:
    # Simulates a search killed in the middle (no clean-up runs at all).
    if str(shape["n"]) == os.environ.get("PRETUNE_TEST_KILL_AT"):
        os.kill(os.getpid(), signal.SIGKILL)
    return _make_launch(shape, device)


KILLED = Workload(make_tuner(), _make_launch_or_die)
