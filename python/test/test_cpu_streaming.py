"""Streaming (non-temporal) stores on the CPU lane.

A launch that stores at least a quarter of the last-level cache runs a copy
of the kernel whose vector stores to its arguments bypass the caches
(FLAGTREE_CPU_STREAM_STORES: auto, the default; always; never). The copy
must compute exactly what the kernel computes, for every extent and
thread count, and must never run where its assumptions do not hold
(unaligned pointers, kernels with atomics).

The setting is read when a kernel compiles, so these tests compile the
TTIR of a launched kernel again through the lane's JIT under each setting.
"""

from __future__ import annotations

import glob
import os

import pytest
import torch
import triton
import triton.language as tl

from flagtree.lanes.cpu import jit


@triton.jit
def _scaled_add(x_ptr, y_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)
    y = tl.load(y_ptr + offs, mask=mask)
    tl.store(out_ptr + offs, 2.0 * x + y, mask=mask)


@triton.jit
def _row_scale(x_ptr, out_ptr, stride, cols, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    c = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + row * stride + c, mask=c < cols, other=0.0)
    tl.store(out_ptr + row * stride + c, x / tl.sum(x * x, axis=0), mask=c < cols)


@triton.jit
def _count(counts_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    tl.atomic_add(counts_ptr + offs % 4, 1, mask=offs < n)
    tl.store(out_ptr + offs, offs.to(tl.float32), mask=offs < n)


@triton.jit
def _reverse(x_ptr, out_ptr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    # Through a gathered offset: element stores, no vector store to stream.
    order = tl.load(x_ptr + offs).to(tl.int32)
    tl.store(out_ptr + order, offs.to(tl.float32))


def _ttir(kernel, grid, *args, **constexprs) -> str:
    return kernel[grid](*args, **constexprs).asm["ttir"]


def _compile(monkeypatch, setting: str, text: str, name: str) -> jit.CPUKernel:
    monkeypatch.setenv("FLAGTREE_CPU_STREAM_STORES", setting)
    return jit.compile_ttir(text, f"{name}.ttir")


@pytest.fixture(scope="module")
def add_ttir() -> str:
    x, y, out = torch.zeros(4096), torch.zeros(4096), torch.zeros(4096)
    return _ttir(_scaled_add, (1,), x, y, out, 4096, BLOCK=1024)


# The TTIR is specialized for n divisible by 16 (a partial last block
# included); other n get kernels of their own below.
@pytest.mark.parametrize("n", [4096, 1024 * 37 + 16])
@pytest.mark.parametrize("threads", [1, 2])
def test_streaming_copy_computes_what_the_kernel_computes(monkeypatch, add_ttir, n, threads):
    kernel = _compile(monkeypatch, "always", add_ttir, "scaled_add")
    x, y = torch.randn(n + 64), torch.randn(n + 64)
    out = torch.full((n + 64,), 7.0)
    grid = (triton.cdiv(n, 1024), 1, 1)
    assert kernel.streams(grid, [x, y, out, n])
    kernel.launch(grid, [x, y, out, n], num_threads=threads)
    torch.testing.assert_close(out[:n], 2.0 * x[:n] + y[:n], rtol=0, atol=0)
    assert torch.equal(out[n:], torch.full((64,), 7.0)), "wrote past the end"


@pytest.mark.parametrize("n", [5001, 1023])
def test_streaming_copy_with_a_partial_last_block(monkeypatch, n):
    # n not divisible by 16: a kernel of its own, with a masked tail.
    x, y, out = torch.randn(n + 64), torch.randn(n + 64), torch.full((n + 64,), 7.0)
    text = _ttir(_scaled_add, (triton.cdiv(n, 1024),), x, y, out, n, BLOCK=1024)
    kernel = _compile(monkeypatch, "always", text, "scaled_add_tail")
    out.fill_(7.0)
    grid = (triton.cdiv(n, 1024), 1, 1)
    assert kernel.streams(grid, [x, y, out, n])
    kernel.launch(grid, [x, y, out, n])
    torch.testing.assert_close(out[:n], 2.0 * x[:n] + y[:n], rtol=0, atol=0)
    assert torch.equal(out[n:], torch.full((64,), 7.0))


def test_rows_with_a_runtime_stride_stream_correctly(monkeypatch):
    rows, cols = 300, 1000
    x = torch.randn(rows, 1024)
    out = torch.zeros(rows, 1024)
    text = _ttir(_row_scale, (rows,), x, out, x.stride(0), cols, BLOCK=1024)
    kernel = _compile(monkeypatch, "always", text, "row_scale")
    out.zero_()
    assert kernel.streams((rows, 1, 1), [x, out, x.stride(0), cols])
    kernel.launch((rows, 1, 1), [x, out, x.stride(0), cols])
    part = x[:, :cols]
    expected = part / (part * part).sum(dim=1, keepdim=True)
    torch.testing.assert_close(out[:, :cols], expected)
    assert torch.equal(out[:, cols:], torch.zeros(rows, 1024 - cols))


def test_unaligned_pointers_never_take_the_streaming_copy(monkeypatch):
    n = 4096
    base = torch.randn(3 * n + 64)
    # Views one element (4 bytes) into their storage: not 32-byte aligned
    # (and a kernel specialized for such pointers).
    x, y, out = base[1 : n + 1], base[n + 17 : 2 * n + 17], base[2 * n + 33 : 3 * n + 33]
    assert out.data_ptr() % 32 != 0
    grid = (4, 1, 1)
    text = _ttir(_scaled_add, grid, x, y, torch.empty(n + 8)[1 : n + 1], n, BLOCK=1024)
    kernel = _compile(monkeypatch, "always", text, "scaled_add_unaligned")
    assert not kernel.streams(grid, [x, y, out, n])
    expected = 2.0 * x + y
    kernel.launch(grid, [x, y, out, n])
    torch.testing.assert_close(out, expected, rtol=0, atol=0)


def test_auto_streams_only_launches_that_store_much(monkeypatch, add_ttir):
    kernel = _compile(monkeypatch, "auto", add_ttir, "scaled_add")
    x, y, out = torch.zeros(4096), torch.zeros(4096), torch.zeros(4096)
    args = [x, y, out, 4096]
    # One program stores 4 KB: below a quarter of any last-level cache.
    assert not kernel.streams((1, 1, 1), args)
    # 2^20 programs store 4 GB: above it. (Only asked; nothing runs.)
    assert kernel.streams((1 << 20, 1, 1), args)
    assert kernel.streams((1 << 10, 1 << 10, 1), args)


def test_never_compiles_no_copy(monkeypatch, add_ttir, tmp_path):
    monkeypatch.setenv("FLAGTREE_CPU_DUMP", str(tmp_path))
    # Extra blank lines: a compile of its own, not one cached by another test.
    kernel = _compile(monkeypatch, "never", add_ttir + "\n\n\n", "scaled_add")
    x, y, out = torch.zeros(4096), torch.zeros(4096), torch.zeros(4096)
    assert not kernel.streams((1 << 20, 1, 1), [x, y, out, 4096])
    llvm_ir = (tmp_path / "_scaled_add.ll").read_text()
    assert "__stream" not in llvm_ir
    assert "!nontemporal" not in llvm_ir


def test_the_copy_stores_non_temporally_and_the_kernel_does_not(monkeypatch, add_ttir, tmp_path):
    monkeypatch.setenv("FLAGTREE_CPU_DUMP", str(tmp_path))
    # Different options text: a compile of its own, not the cached one.
    monkeypatch.setenv("FLAGTREE_CPU_STREAM_STORES", "always")
    kernel = jit.compile_ttir(add_ttir + "\n", "scaled_add.ttir")
    x, y, out = torch.zeros(4096), torch.zeros(4096), torch.zeros(4096)
    assert kernel.streams((4, 1, 1), [x, y, out, 4096])
    kernel_ir = (tmp_path / "_scaled_add.ll").read_text()
    copy_ir = (tmp_path / "_scaled_add__stream.ll").read_text()
    kernel_body = kernel_ir.split("define void @_scaled_add(", 1)[1].split("\n}\n", 1)[0]
    copy_body = copy_ir.split("define void @_scaled_add__stream(", 1)[1].split("\n}\n", 1)[0]
    assert "!nontemporal" not in kernel_body
    assert "!nontemporal" in copy_body
    assert "align 32" in copy_body.splitlines()[0]
    # Each module holds only its own function.
    assert "__stream" not in kernel_ir
    assert "define void @_scaled_add(" not in copy_ir


def test_the_copy_is_compiled_by_the_first_launch_that_streams(monkeypatch, add_ttir, tmp_path):
    monkeypatch.setenv("FLAGTREE_CPU_DUMP", str(tmp_path))
    # Different options text: a compile of its own, not the cached one.
    kernel = _compile(monkeypatch, "auto", add_ttir + "\n\n\n\n", "scaled_add")
    copy_ir = tmp_path / "_scaled_add__stream.ll"
    n = 4096
    x, y, out = torch.randn(n), torch.randn(n), torch.zeros(n)
    kernel.launch((4, 1, 1), [x, y, out, n])
    torch.testing.assert_close(out, 2.0 * x + y, rtol=0, atol=0)
    assert not copy_ir.exists(), "a launch that does not stream compiled the copy"
    # 2^20 programs would store 4 GB: asking compiles the copy (nothing runs).
    assert kernel.streams((1 << 20, 1, 1), [x, y, out, n])
    assert "!nontemporal" in copy_ir.read_text()


def test_kernels_with_atomics_never_stream(monkeypatch):
    n = 4096
    counts, out = torch.zeros(4, dtype=torch.int32), torch.zeros(n)
    text = _ttir(_count, (4,), counts, out, n, BLOCK=1024)
    kernel = _compile(monkeypatch, "always", text, "count")
    counts.zero_()
    assert not kernel.streams((1 << 20, 1, 1), [counts, out, n])
    kernel.launch((4, 1, 1), [counts, out, n])
    assert counts.tolist() == [n // 4] * 4
    assert torch.equal(out, torch.arange(n, dtype=torch.float32))


def test_an_unknown_setting_is_a_clear_error(monkeypatch, add_ttir):
    monkeypatch.setenv("FLAGTREE_CPU_STREAM_STORES", "sometimes")
    with pytest.raises(jit.CPUCompileError, match="auto .*always or never"):
        jit.compile_ttir(add_ttir + "\n\n", "scaled_add.ttir")


def test_a_large_launch_through_triton_streams_by_default(monkeypatch):
    monkeypatch.delenv("FLAGTREE_CPU_STREAM_STORES", raising=False)
    # Stores a quarter of the largest last-level cache this machine could
    # report (the lane reads sysfs; the C library may report the host's).
    sizes = [
        os.sysconf("SC_LEVEL3_CACHE_SIZE") if "SC_LEVEL3_CACHE_SIZE" in os.sysconf_names else 0
    ]
    for path in glob.glob("/sys/devices/system/cpu/cpu0/cache/index*/size"):
        text = open(path).read().strip()
        sizes.append(int(text[:-1]) << 10 if text.endswith("K") else int(text))
    n = max(sizes + [32 << 20]) // 4 // 4
    x, y, out = torch.randn(n), torch.randn(n), torch.empty(n)
    grid = (triton.cdiv(n, 4096),)
    compiled = _scaled_add[grid](x, y, out, n, BLOCK=4096)
    assert compiled.function.streams((grid[0], 1, 1), [x, y, out, n])
    torch.testing.assert_close(out, 2.0 * x + y, rtol=0, atol=0)
    out.zero_()
    _scaled_add[grid](x, y, out, n, BLOCK=4096)
    torch.testing.assert_close(out, 2.0 * x + y, rtol=0, atol=0)


def test_launches_from_two_threads_share_one_compile_of_the_copy(monkeypatch, add_ttir):
    import threading

    # Different options text: a compile of its own, whose copy no launch
    # has compiled yet.
    kernel = _compile(monkeypatch, "always", add_ttir + "\n" * 5, "scaled_add")
    n = 1 << 16
    x, y = torch.randn(n), torch.randn(n)
    outs = [torch.zeros(n), torch.zeros(n)]
    start = threading.Barrier(2)

    def run(out):
        start.wait()
        kernel.launch((n // 1024, 1, 1), [x, y, out, n])

    threads = [threading.Thread(target=run, args=(out,)) for out in outs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for out in outs:
        torch.testing.assert_close(out, 2.0 * x + y, rtol=0, atol=0)
    assert kernel.streams((n // 1024, 1, 1), [x, y, outs[0], n])


def test_a_copy_with_no_store_to_stream_is_not_run(monkeypatch):
    n = 4096
    order = torch.randperm(n).to(torch.float32)
    out = torch.zeros(n)
    text = _ttir(_reverse, (4,), order, out, BLOCK=1024)
    kernel = _compile(monkeypatch, "always", text, "reverse")
    assert not kernel.streams((4, 1, 1), [order, out])
    out.zero_()
    kernel.launch((4, 1, 1), [order, out])
    expected = torch.empty(n)
    expected[order.long()] = torch.arange(n, dtype=torch.float32)
    assert torch.equal(out, expected)
