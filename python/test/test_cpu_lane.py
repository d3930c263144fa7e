"""The CPU lane through plain `import triton`: Triton's own `kernel[grid]`
path compiles with flagtree's CPU back end and runs on torch CPU tensors.

Every example kernel matches torch; a kernel with an op the lane cannot
lower yet fails at compile time with a diagnostic that names the op and the
kernel's file:line (never a crash or a wrong result).
"""

from __future__ import annotations

import re

import pytest
import torch
import triton
import triton.language as tl
from triton.testing import do_bench

from flagtree import examples as runnable
from flagtree.lanes import lane_named


@triton.jit
def _inline_asm_kernel(x_ptr, out_ptr, BLOCK: tl.constexpr):
    x = tl.load(x_ptr + tl.arange(0, BLOCK))
    y = tl.inline_asm_elementwise(
        "mov.b32 $0, $1;", "=r,r", [x], dtype=tl.int32, is_pure=True, pack=1
    )
    tl.store(out_ptr + tl.arange(0, BLOCK), y)


def test_cpu_lane_is_the_active_driver_without_a_gpu() -> None:
    assert lane_named("cpu").availability().active
    assert type(triton.runtime.driver.active).__name__ == "CPUDriver"


@pytest.mark.parametrize("case", runnable.CASES, ids=lambda c: c.name)
def test_runnable_kernel_on_cpu(case) -> None:
    inputs = case.make_inputs(torch.device("cpu"))
    out = case.launch(case.kernel, inputs)
    ref = case.reference(inputs)
    if case.atol == 0 and case.rtol == 0:
        assert torch.equal(out, ref)
    else:
        torch.testing.assert_close(out.float(), ref.float(), atol=case.atol, rtol=case.rtol)


def test_an_op_the_lane_cannot_lower_is_a_located_compile_error() -> None:
    x = torch.zeros(64, dtype=torch.int32)
    out = torch.empty(64, dtype=torch.int32)
    with pytest.raises(Exception) as info:
        _inline_asm_kernel[(1,)](x, out, BLOCK=64)
    message = str(info.value)
    assert "'tt.elementwise_inline_asm' is not supported by the CPU lane yet" in message
    assert re.search(r"test_cpu_lane\.py:\d+:\d+: error", message), message


@triton.jit
def _fill(out_ptr, BLOCK: tl.constexpr):
    tl.store(out_ptr + tl.arange(0, BLOCK), tl.full((BLOCK,), 7, tl.int32))


def test_num_warps_must_be_a_power_of_two_as_on_gpus() -> None:
    out = torch.zeros(8, dtype=torch.int32)
    with pytest.raises(AssertionError, match="num_warps must be a power of 2"):
        _fill[(1,)](out, BLOCK=8, num_warps=3)
    assert not out.any()
    for warps in (1, 2, 8):
        _fill[(1,)](out, BLOCK=8, num_warps=warps)
    assert (out == 7).all()


def test_do_bench_times_a_cpu_kernel() -> None:
    case = next(c for c in runnable.CASES if c.name == "vector_add")
    inputs = case.make_inputs(torch.device("cpu"))
    ms = do_bench(lambda: case.launch(case.kernel, inputs), warmup=5, rep=20)
    assert 0 < ms < 1000


def test_the_benchmark_cache_clear_writes_every_line_of_its_buffer() -> None:
    # Plain stores to every 64-byte line (not memset, which can write a
    # large block around the caches): the caches end up holding the buffer.
    driver = triton.runtime.driver.active
    guarded = torch.zeros(4096 + 64, dtype=torch.int8)
    cache = guarded[:4096]
    driver.clear_cache(cache)
    lines = guarded[:4096].view(64, 64)
    assert torch.equal(lines[:, 0], torch.ones(64, dtype=torch.int8))
    assert not lines[:, 1:].any(), "wrote other bytes of a line"
    assert not guarded[4096:].any(), "wrote past the buffer"
    empty = driver.get_empty_cache_for_benchmark()
    assert empty.numel() * empty.element_size() >= 64 * 1024 * 1024


def test_compiled_cpu_kernel_carries_each_stage() -> None:
    case = next(c for c in runnable.CASES if c.name == "softmax")
    inputs = case.make_inputs(torch.device("cpu"))
    case.launch(case.kernel, inputs)
    kernels = [k for entry in case.kernel.device_caches.values() for k in entry[0].values()]
    assert kernels
    asm = kernels[-1].asm
    assert {"ttir", "flagtree", "cpujit"} <= set(asm)
    assert "tt.func" in asm["flagtree"]


def test_importing_the_lane_before_triton_keeps_the_real_driver() -> None:
    import subprocess
    import sys

    script = (
        "import flagtree.lanes.cpu\n"
        "import triton\n"
        "print(type(triton.runtime.driver.active).__module__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", script], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "flagtree.lanes.cpu.driver"
