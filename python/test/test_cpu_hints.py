"""Hints on the CPU lane: `shared_memory`, `dma`, `num_stages` and `vectorize`
are lowered in FLIR (packed tiles, prefetches of later iterations, vector
width). Hinted kernels give the results of their unhinted twins and of
torch, for loops of 0, 1, fewer than `num_stages` and many iterations,
with masked loads; the hints are applied, not reported as ignored.
"""

from __future__ import annotations

import warnings

import pytest
import torch
import triton
import triton.language as tl

from flagtree.hints import middle_end
from flagtree.lanes import lane_named


@triton.jit
def _row_sum_hinted(x_ptr, out_ptr, K, stride, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    offs = tl.arange(0, BLOCK)
    acc = tl.zeros([BLOCK], dtype=tl.float32)
    for k in range(0, K, BLOCK):  # @hint: num_stages=3
        mask = k + offs < K
        x = tl.load(x_ptr + row * stride + k + offs, mask=mask, other=0.0)  # @hint: shared_memory
        acc += x * 2.0
    tl.store(out_ptr + row, tl.sum(acc, 0))


@triton.jit
def _row_sum_plain(x_ptr, out_ptr, K, stride, BLOCK: tl.constexpr):
    row = tl.program_id(0)
    offs = tl.arange(0, BLOCK)
    acc = tl.zeros([BLOCK], dtype=tl.float32)
    for k in range(0, K, BLOCK):
        mask = k + offs < K
        x = tl.load(x_ptr + row * stride + k + offs, mask=mask, other=0.0)
        acc += x * 2.0
    tl.store(out_ptr + row, tl.sum(acc, 0))


@triton.jit
def _column_sum_dma(x_ptr, out_ptr, M, N, stride, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    # A transposed read: each iteration takes a BLOCK_M x BLOCK_N tile whose
    # rows are `stride` apart, through a pointer advanced by the loop.
    cols = tl.program_id(0) * BLOCK_N + tl.arange(0, BLOCK_N)
    rows = tl.arange(0, BLOCK_M)
    ptrs = x_ptr + rows[:, None] * stride + cols[None, :]
    acc = tl.zeros([BLOCK_N], dtype=tl.float32)
    for m in range(0, M, BLOCK_M):  # @hint: num_stages=2
        mask = ((m + rows)[:, None] < M) & (cols[None, :] < N)
        tile = tl.load(ptrs, mask=mask, other=0.0)  # @hint: dma
        acc += tl.sum(tile, 0)
        ptrs += BLOCK_M * stride
    tl.store(out_ptr + cols, acc, mask=cols < N)


@triton.jit
def _column_sum_plain(x_ptr, out_ptr, M, N, stride, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    cols = tl.program_id(0) * BLOCK_N + tl.arange(0, BLOCK_N)
    rows = tl.arange(0, BLOCK_M)
    ptrs = x_ptr + rows[:, None] * stride + cols[None, :]
    acc = tl.zeros([BLOCK_N], dtype=tl.float32)
    for m in range(0, M, BLOCK_M):
        mask = ((m + rows)[:, None] < M) & (cols[None, :] < N)
        tile = tl.load(ptrs, mask=mask, other=0.0)
        acc += tl.sum(tile, 0)
        ptrs += BLOCK_M * stride
    tl.store(out_ptr + cols, acc, mask=cols < N)


@triton.jit
def _scale_vectorized(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)  # @hint: vectorize=4
    tl.store(out_ptr + offs, x * 3.0 + 1.0, mask=mask)  # @hint: vectorize=2


def test_cpu_lane_lists_the_hints_it_honours() -> None:
    assert set(lane_named("cpu").hints) == {"shared_memory", "dma", "num_stages", "vectorize"}


# K = 1 is left out: Triton specializes it and folds the loop away.
@pytest.mark.parametrize("K", [0, 40, 64, 100, 150, 1000])
def test_row_sum_trip_counts(K: int) -> None:
    # Trip counts 0, 1, 1 (whole block), 2 (< num_stages), 3 and 16.
    x = torch.randn(5, 1000)
    hinted = torch.full((5,), float("nan"))
    plain = torch.full((5,), float("nan"))
    _row_sum_hinted[(5,)](x, hinted, K, 1000, BLOCK=64)
    _row_sum_plain[(5,)](x, plain, K, 1000, BLOCK=64)
    assert torch.equal(hinted, plain)
    torch.testing.assert_close(hinted, 2 * x[:, :K].sum(1), atol=1e-4, rtol=1e-5)


@pytest.mark.parametrize("M", [0, 10, 16, 17, 200])
@pytest.mark.parametrize("N", [33, 64])
def test_transposed_tiles_with_a_loop_carried_pointer(M: int, N: int) -> None:
    x = torch.randn(max(M, 1), 80)
    hinted = torch.full((N,), float("nan"))
    plain = torch.full((N,), float("nan"))
    grid = (triton.cdiv(N, 32),)
    _column_sum_dma[grid](x, hinted, M, N, 80, BLOCK_M=16, BLOCK_N=32)
    _column_sum_plain[grid](x, plain, M, N, 80, BLOCK_M=16, BLOCK_N=32)
    torch.testing.assert_close(hinted, plain)
    torch.testing.assert_close(hinted, x[:M, :N].sum(0), atol=1e-4, rtol=1e-5)


@pytest.mark.parametrize("n", [1, 7, 100, 1024])
def test_vectorize_width_keeps_results(n: int) -> None:
    x = torch.randn(n)
    out = torch.full((n,), float("nan"))
    _scale_vectorized[(triton.cdiv(n, 128),)](x, out, n, BLOCK=128)
    torch.testing.assert_close(out, x * 3.0 + 1.0)


def test_hints_are_applied_not_ignored(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FLAGTREE_CPU_DUMP", str(tmp_path))
    middle_end.forget_warnings()

    @triton.jit
    def _prefetched_sum(x_ptr, out_ptr, K, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        acc = tl.zeros([BLOCK], dtype=tl.float32)
        for k in range(0, K, BLOCK):  # @hint: num_stages=4
            m = k + offs < K
            x = tl.load(x_ptr + k + offs, mask=m, other=0.0)  # @hint: shared_memory, vectorize=4
            acc += x
        tl.store(out_ptr, tl.sum(acc, 0))

    x = torch.randn(1000)
    out = torch.empty(1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _prefetched_sum[(1,)](x, out, 1000, BLOCK=32)
    torch.testing.assert_close(out, x.sum().reshape(1), atol=1e-4, rtol=1e-5)
    about_hints = [str(w.message) for w in caught if issubclass(w.category, middle_end.HintWarning)]
    assert about_hints == []
    passes = (tmp_path / "_prefetched_sum.passes.mlir").read_text()
    lowered = passes.split("(flagtree-lower-dsa-hints)", 1)[1].split("// -----//", 1)[0]
    # The tile stays packed, and later iterations' tiles are prefetched
    # (three ahead: a prologue for the second and third, then one each
    # iteration).
    assert "flir.packed" in lowered
    assert lowered.count("memref.prefetch") == 3
    vectorized = passes.split("(flagtree-cpu-vectorize-linalg)", 1)[1].split("// -----//", 1)[0]
    assert "vector<4xf32>" in vectorized
    assert "memref.prefetch" in (tmp_path / "_prefetched_sum.mlir").read_text() or (
        "llvm.intr.prefetch" in (tmp_path / "_prefetched_sum.mlir").read_text()
    )


def test_a_hint_that_cannot_apply_is_reported(monkeypatch) -> None:
    middle_end.forget_warnings()

    @triton.jit
    def _gathered(x_ptr, idx_ptr, out_ptr, BLOCK: tl.constexpr):
        offs = tl.arange(0, BLOCK)
        idx = tl.load(idx_ptr + offs)
        x = tl.load(x_ptr + idx)  # @hint: dma
        tl.store(out_ptr + offs, x)

    x = torch.randn(64)
    idx = torch.randperm(64, dtype=torch.int32)
    out = torch.empty(64)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _gathered[(1,)](x, idx, out, BLOCK=64)
    assert torch.equal(out, x[idx.long()])
    messages = [str(w.message) for w in caught if issubclass(w.category, middle_end.HintWarning)]
    assert any(
        "test_cpu_hints.py" in m and "hint 'dma' is not applied" in m and "gather" in m
        for m in messages
    )
