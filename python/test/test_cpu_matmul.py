"""`tl.dot` on the CPU lane against torch, through `kernel[grid]`.

Matmuls compile to register-blocked micro-kernels (blocks of 6 rows x 16
columns of C). The shapes here leave every kind of edge: blocks of rows and
columns that the micro-kernel does not divide, matrices that the Triton
tiles do not divide (masked loads and stores), K = 1, batched 3-D dots,
half-precision inputs with fp32 accumulation, an accumulator loaded from
memory, transposed operands.
"""

from __future__ import annotations

import pytest
import torch
import triton
import triton.language as tl

from flagtree.examples import kernels


def _matmul(a: torch.Tensor, b: torch.Tensor, c: torch.Tensor, bm: int, bn: int, bk: int):
    m, k = a.shape
    n = b.shape[1]
    grid = (triton.cdiv(m, bm), triton.cdiv(n, bn))
    kernels.matmul[grid](
        a, b, c, m, n, k, a.stride(0), a.stride(1), b.stride(0), b.stride(1),
        c.stride(0), c.stride(1), BM=bm, BN=bn, BK=bk,
    )  # fmt: skip


@pytest.mark.parametrize(
    "m, n, k, bm, bn, bk",
    [
        (64, 64, 64, 64, 64, 32),  # whole blocks of 6x16 and a 4-row edge
        (45, 70, 40, 32, 32, 16),  # masked tiles on every side
        (37, 53, 1, 16, 32, 16),  # K = 1
        (1, 1, 1, 16, 16, 16),  # one element
        (29, 31, 23, 32, 8, 8),  # 8-wide tiles (narrower than a block), 2-row edge
        (19, 21, 13, 4, 8, 2),  # tiles smaller than one block
        (130, 33, 67, 64, 64, 32),  # a 64x64 tile with one column of C
        (20, 50, 17, 8, 16, 4),  # BK that does not divide K
    ],
)
def test_matmul_shapes(m, n, k, bm, bn, bk) -> None:
    torch.manual_seed(m * 1000 + n + k)
    a, b = torch.randn(m, k), torch.randn(k, n)
    c = torch.full((m, n), float("nan"))
    _matmul(a, b, c, bm, bn, bk)
    torch.testing.assert_close(c, a @ b, atol=1e-4, rtol=1e-4)


def test_matmul_transposed_operands() -> None:
    # Column-major A and B: the kernel's loads gather them into row-major tiles.
    a, b = torch.randn(40, 50).t(), torch.randn(60, 40).t()
    c = torch.empty(50, 60)
    _matmul(a, b, c, 32, 32, 16)
    torch.testing.assert_close(c, a @ b, atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_matmul_half_inputs_accumulate_in_fp32(dtype) -> None:
    m, n, k = 70, 45, 100
    a, b = torch.randn(m, k).to(dtype), torch.randn(k, n).to(dtype)
    c = torch.empty(m, n)
    _matmul(a, b, c, 64, 32, 32)
    # The exact product of the rounded inputs, summed in fp32.
    torch.testing.assert_close(c, a.float() @ b.float(), atol=1e-4, rtol=1e-4)


@triton.jit
def _dot_with_acc_kernel(a_ptr, b_ptr, c_ptr, M, N, K, BM: tl.constexpr, BN: tl.constexpr,
                         BK: tl.constexpr):  # fmt: skip
    rm = tl.arange(0, BM)
    rn = tl.arange(0, BN)
    rk = tl.arange(0, BK)
    c_mask = (rm[:, None] < M) & (rn[None, :] < N)
    c_ptrs = c_ptr + rm[:, None] * N + rn[None, :]
    acc = tl.load(c_ptrs, mask=c_mask, other=0.0)
    a = tl.load(
        a_ptr + rm[:, None] * K + rk[None, :], mask=(rm[:, None] < M) & (rk[None, :] < K), other=0.0
    )
    b = tl.load(
        b_ptr + rk[:, None] * N + rn[None, :], mask=(rk[:, None] < K) & (rn[None, :] < N), other=0.0
    )
    acc = tl.dot(a, b, acc)
    # A second product of the result with its transpose (BM == BN), plus a tile.
    acc = tl.dot(acc, tl.trans(acc)) + acc
    tl.store(c_ptrs, acc, mask=c_mask)


def test_dot_accumulates_into_a_loaded_tile() -> None:
    m, n, k = 13, 13, 7
    a, b, c = torch.randn(m, k), torch.randn(k, n), torch.randn(m, n)
    expected = c + a @ b
    expected = expected @ expected.t() + expected
    _dot_with_acc_kernel[(1,)](a, b, c, m, n, k, BM=16, BN=16, BK=8)
    torch.testing.assert_close(c, expected, atol=1e-3, rtol=1e-4)


@triton.jit
def _batched_dot_kernel(a_ptr, b_ptr, c_ptr, M, N, K, BB: tl.constexpr, BM: tl.constexpr,
                        BN: tl.constexpr, BK: tl.constexpr):  # fmt: skip
    rb = tl.program_id(0) * BB + tl.arange(0, BB)
    rm = tl.arange(0, BM)
    rn = tl.arange(0, BN)
    rk = tl.arange(0, BK)
    a = tl.load(a_ptr + rb[:, None, None] * M * K + rm[None, :, None] * K + rk[None, None, :])
    b = tl.load(b_ptr + rb[:, None, None] * K * N + rk[None, :, None] * N + rn[None, None, :])
    c = tl.dot(a, b)
    tl.store(c_ptr + rb[:, None, None] * M * N + rm[None, :, None] * N + rn[None, None, :], c)


def test_batched_dot() -> None:
    batches, m, n, k = 6, 16, 32, 8
    a, b = torch.randn(batches, m, k), torch.randn(batches, k, n)
    c = torch.empty(batches, m, n)
    _batched_dot_kernel[(batches // 2,)](a, b, c, m, n, k, BB=2, BM=m, BN=n, BK=k)
    torch.testing.assert_close(c, torch.bmm(a, b), atol=1e-4, rtol=1e-4)
