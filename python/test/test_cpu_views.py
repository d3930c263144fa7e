"""Element-wise kernels that read and write memory in place of tile buffers
(the CPU pass flagtree-cpu-bypass-tile-buffers), through `kernel[grid]`.

The direct form only runs when the bytes a program stores do not overlap
the bytes it loads (or are the same elements, in place); every other case
must give what Triton's semantics give: all loads of a program happen
before its store. Each case compares with torch and checks that memory
outside the stored extent is left alone.
"""

from __future__ import annotations

import pytest
import torch
import triton
import triton.language as tl


@triton.jit
def _add_kernel(x_ptr, y_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)
    y = tl.load(y_ptr + offs, mask=mask)
    tl.store(out_ptr + offs, x * 2.0 + y, mask=mask)


@pytest.mark.parametrize("n", [1, 7, 8, 1000, 4095, 4096, 4097, 3 * 4096 + 5])
def test_masked_tails_touch_nothing_past_the_end(n) -> None:
    x, y = torch.randn(n + 64), torch.randn(n + 64)
    out = torch.full((n + 64,), 7.0)
    _add_kernel[(triton.cdiv(n, 4096),)](x, y, out, n, BLOCK=4096)
    torch.testing.assert_close(out[:n], x[:n] * 2 + y[:n])
    assert torch.equal(out[n:], torch.full((64,), 7.0))


@pytest.mark.parametrize("shift", [-5, -1, 1, 3, 999])
def test_store_overlapping_a_load_sees_the_values_before_the_store(shift) -> None:
    # One program: its loads all happen before its store, whatever overlaps.
    n, base = 1000, 1024
    memory = torch.randn(3 * base)
    y = torch.randn(n)
    x = memory[base : base + n]
    out = memory[base + shift : base + shift + n]
    expected = memory.clone()
    expected[base + shift : base + shift + n] = x * 2 + y
    _add_kernel[(1,)](x, y, out, n, BLOCK=1024)
    torch.testing.assert_close(memory, expected)


@pytest.mark.parametrize("which", ["x", "y", "both"])
def test_in_place_over_many_programs(which) -> None:
    n = 5 * 4096 + 17
    x, y = torch.randn(n), torch.randn(n)
    expected = x * 2 + y
    if which == "x":
        _add_kernel[(triton.cdiv(n, 4096),)](x, y, x, n, BLOCK=4096)
        torch.testing.assert_close(x, expected)
    elif which == "y":
        _add_kernel[(triton.cdiv(n, 4096),)](x, y, y, n, BLOCK=4096)
        torch.testing.assert_close(y, expected)
    else:
        expected = x * 3
        _add_kernel[(triton.cdiv(n, 4096),)](x, x, x, n, BLOCK=4096)
        torch.testing.assert_close(x, expected)


@triton.jit
def _strided_kernel(x_ptr, out_ptr, n, SX: tl.constexpr, SO: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs * SX, mask=mask)
    tl.store(out_ptr + offs * SO, tl.exp(x) - 1.0, mask=mask)


@pytest.mark.parametrize("sx,so", [(1, 1), (2, 1), (1, 3), (2, 2)])
def test_non_contiguous_loads_and_stores(sx, so) -> None:
    n = 777
    x = torch.randn(n * sx + 8)
    out = torch.zeros(n * so + 8)
    expected = out.clone()
    expected[: n * so : so] = torch.exp(x[: n * sx : sx]) - 1
    _strided_kernel[(triton.cdiv(n, 256),)](x, out, n, SX=sx, SO=so, BLOCK=256)
    torch.testing.assert_close(out, expected, rtol=1e-5, atol=1e-6)


@triton.jit
def _affine_rows_kernel(
    x_ptr, w_ptr, b_ptr, out_ptr, M, N, sxm, som,
    BM: tl.constexpr, BN: tl.constexpr,
):  # fmt: skip
    rows = tl.program_id(0) * BM + tl.arange(0, BM)
    cols = tl.arange(0, BN)
    mask = (rows[:, None] < M) & (cols[None, :] < N)
    x = tl.load(x_ptr + rows[:, None] * sxm + cols[None, :], mask=mask)
    w = tl.load(w_ptr + cols, mask=cols < N)
    b = tl.load(b_ptr + cols, mask=cols < N)
    tl.store(out_ptr + rows[:, None] * som + cols[None, :], x * w[None, :] + b[None, :], mask=mask)


@pytest.mark.parametrize("in_place", [False, True])
def test_rows_of_a_wider_matrix_with_broadcast_columns(in_place) -> None:
    M, N = 37, 100
    wide = torch.randn(M, 130)
    x = wide[:, :N]
    w, b = torch.randn(N), torch.randn(N)
    expected = wide.clone()
    expected[:, :N] = x * w + b
    out_wide = wide if in_place else torch.zeros(M, 130)
    out = out_wide[:, :N]
    _affine_rows_kernel[(triton.cdiv(M, 8),)](
        x, w, b, out, M, N, x.stride(0), out.stride(0), BM=8, BN=128
    )
    torch.testing.assert_close(out, expected[:, :N])
    if in_place:
        torch.testing.assert_close(wide, expected)
    else:
        assert torch.equal(out_wide[:, N:], torch.zeros(M, 130 - N))


def test_rows_shifted_by_one_within_a_program() -> None:
    # The stored rows overlap the loaded rows of the same program, one row
    # apart: the buffered form must run.
    M, N = 16, 100
    memory = torch.randn(M + 1, 128)
    w, b = torch.randn(N), torch.randn(N)
    x = memory[1:, :N]
    out = memory[:-1, :N]
    expected = memory.clone()
    expected[:-1, :N] = x * w + b
    _affine_rows_kernel[(1,)](x, w, b, out, M, N, x.stride(0), out.stride(0), BM=16, BN=128)
    torch.testing.assert_close(memory, expected)


@triton.jit
def _centre_kernel(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    cols = tl.arange(0, BLOCK)
    mask = cols < n
    x = tl.load(x_ptr + cols, mask=mask, other=0.0)
    mean = tl.sum(x, axis=0) / n
    tl.store(out_ptr + cols, x - mean, mask=mask)


def test_a_load_also_reduced_keeps_its_buffer() -> None:
    x = torch.randn(300)
    out = torch.full((310,), 5.0)
    _centre_kernel[(1,)](x, out, 300, BLOCK=512)
    torch.testing.assert_close(out[:300], x - x.mean(), rtol=1e-5, atol=1e-5)
    assert torch.equal(out[300:], torch.full((10,), 5.0))


@triton.jit
def _store_between_kernel(a_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(a_ptr + offs, mask=mask)
    tl.store(a_ptr + offs, tl.zeros_like(x), mask=mask)
    tl.store(out_ptr + offs, x + 1.0, mask=mask)


@pytest.mark.parametrize("same", [False, True])
def test_a_store_between_load_and_use(same) -> None:
    # The first store changes what was loaded: the second must still see
    # the values loaded before it (also when it writes the same memory).
    a = torch.randn(200)
    expected = a + 1
    out = a if same else torch.empty(200)
    _store_between_kernel[(1,)](a, out, 200, BLOCK=256)
    torch.testing.assert_close(out, expected)
    if not same:
        assert torch.equal(a, torch.zeros(200))


@triton.jit
def _cast_kernel(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)
    tl.store(out_ptr + offs, (x.to(tl.float32) * 0.5).to(out_ptr.dtype.element_ty), mask=mask)


@pytest.mark.parametrize(
    "src,dst", [(torch.float16, torch.float32), (torch.float32, torch.float16)]
)
def test_mixed_element_types(src, dst) -> None:
    n = 1234
    x = torch.randn(n).to(src)
    out = torch.zeros(n, dtype=dst)
    _cast_kernel[(triton.cdiv(n, 512),)](x, out, n, BLOCK=512)
    torch.testing.assert_close(out, (x.float() * 0.5).to(dst))


def test_fp16_in_place_overlapping_by_half_a_vector() -> None:
    # Same element type, overlapping by a few elements: not the same view.
    memory = torch.randn(600).half()
    x = memory[:500]
    out = memory[4:504]
    expected = memory.clone()
    expected[4:504] = (x.float() * 0.5).half()
    _cast_kernel[(1,)](x, out, 500, BLOCK=512)
    torch.testing.assert_close(memory, expected)


def test_the_direct_form_is_compiled(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FLAGTREE_CPU_DUMP", str(tmp_path))

    @triton.jit
    def _dumped_add(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
        offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
        mask = offs < n
        tl.store(out_ptr + offs, tl.load(x_ptr + offs, mask=mask) + 1.0, mask=mask)

    x = torch.randn(100)
    out = torch.empty(100)
    _dumped_add[(1,)](x, out, 100, BLOCK=128)
    torch.testing.assert_close(out, x + 1)
    passes = (tmp_path / "_dumped_add.passes.mlir").read_text()
    after = passes.split("(flagtree-cpu-bypass-tile-buffers)", 1)[1]
    after = after.split("// -----//", 1)[0]
    assert "scf.if" in after


def test_tile_copies_stay_vector_loops(tmp_path, monkeypatch) -> None:
    # A partial row is copied into its padded tile, and the tail filled.
    # LLVM would turn those loops into calls to the C library's memcpy and
    # memset, slower for a few KB in the caches than the loops themselves.
    monkeypatch.setenv("FLAGTREE_CPU_DUMP", str(tmp_path))

    @triton.jit
    def _partial_rows(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
        row = tl.program_id(0)
        cols = tl.arange(0, BLOCK)
        x = tl.load(x_ptr + row * n + cols, mask=cols < n, other=0.0)
        tl.store(out_ptr + row * n + cols, x - tl.sum(x, axis=0), mask=cols < n)

    x = torch.randn(4, 1000)
    out = torch.empty_like(x)
    _partial_rows[(4,)](x, out, 1000, BLOCK=1024)
    torch.testing.assert_close(out, x - x.sum(dim=1, keepdim=True), rtol=1e-5, atol=1e-4)
    code = (tmp_path / "_partial_rows.ll").read_text()
    calls = [line for line in code.splitlines() if "call" in line and "mem" in line]
    assert not [c for c in calls if "memcpy" in c or "memset" in c or "memmove" in c], calls


@triton.jit
def _int_divide_kernel(a_ptr, b_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    a = tl.load(a_ptr + offs, mask=mask, other=1)
    b = tl.load(b_ptr + offs, mask=mask, other=1)
    tl.store(out_ptr + offs, a // b + a % b, mask=mask)


@pytest.mark.parametrize("dtype", [torch.int32, torch.int64])
def test_integer_division_never_divides_by_a_masked_off_lane(dtype) -> None:
    # A partial last register must not divide by padding (a trap on x86).
    n = 1000 + 3
    a = torch.randint(-100, 100, (n,), dtype=dtype)
    b = torch.randint(1, 9, (n,), dtype=dtype)
    out = torch.zeros(n, dtype=dtype)
    _int_divide_kernel[(triton.cdiv(n, 256),)](a, b, out, n, BLOCK=256)
    q = torch.div(a, b, rounding_mode="trunc")
    assert torch.equal(out, q + (a - q * b))


@triton.jit
def _padded_sum_kernel(x_ptr, out_ptr, M, N, sxm, BM: tl.constexpr, BN: tl.constexpr):
    rows = tl.arange(0, BM)
    cols = tl.arange(0, BN)
    mask = (rows[:, None] < M) & (cols[None, :] < N)
    x = tl.load(x_ptr + rows[:, None] * sxm + cols[None, :], mask=mask, other=-1.0)
    tl.store(out_ptr + rows, tl.sum(x, axis=1))
    tl.store(out_ptr + BM + cols, tl.sum(x, axis=0))


@pytest.mark.parametrize("M,N", [(16, 32), (5, 32), (16, 7), (5, 7), (0, 3)])
def test_masked_2d_load_fills_every_element_it_does_not_load(M, N) -> None:
    # `other` must reach exactly the elements outside [0, M) x [0, N).
    BM, BN = 16, 32
    x = torch.randn(max(M, 1), 40)
    out = torch.empty(BM + BN)
    _padded_sum_kernel[(1,)](x, out, M, N, x.stride(0), BM=BM, BN=BN)
    tile = torch.full((BM, BN), -1.0)
    tile[:M, :N] = x[:M, :N]
    torch.testing.assert_close(out, torch.cat([tile.sum(1), tile.sum(0)]), rtol=1e-5, atol=1e-5)


def test_tiles_too_large_for_the_stack() -> None:
    # 64K-element tiles stay heap buffers; the direct form frees nothing.
    n = 3 * 65536 - 11
    x, y = torch.randn(n), torch.randn(n)
    out = torch.empty(n)
    _add_kernel[(triton.cdiv(n, 65536),)](x, y, out, n, BLOCK=65536)
    torch.testing.assert_close(out, x * 2 + y)
    _add_kernel[(triton.cdiv(n, 65536),)](x, y, x, n, BLOCK=65536)
    torch.testing.assert_close(x, out)


@triton.jit
def _looped_kernel(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    # One program walks the whole input, one tile per iteration.
    for start in range(0, n, BLOCK):
        offs = start + tl.arange(0, BLOCK)
        mask = offs < n
        x = tl.load(x_ptr + offs, mask=mask, other=0.0)
        tl.store(out_ptr + offs, tl.sigmoid(x), mask=mask)


@pytest.mark.parametrize("shift", [None, 0, 1])
def test_tiles_in_a_loop(shift) -> None:
    n = 1000
    memory = torch.randn(n + 8)
    x = memory[:n]
    expected = memory.clone()
    if shift is None:
        out = torch.empty(n)
        _looped_kernel[(1,)](x, out, n, BLOCK=128)
        torch.testing.assert_close(out, torch.sigmoid(x))
        return
    # In place or one element ahead: iteration i overwrites what iteration
    # i + 1 loads only when shifted, and then the later tile must see it.
    out = memory[shift : shift + n]
    for start in range(0, n, 128):
        end = min(start + 128, n)
        expected[shift + start : shift + end] = torch.sigmoid(expected[start:end].clone())
    _looped_kernel[(1,)](x, out, n, BLOCK=128)
    torch.testing.assert_close(memory, expected)


@triton.jit
def _normalize_rows(x_ptr, out_ptr, stride, cols, BLOCK: tl.constexpr):
    # The row is read three times: two reductions and the output.
    row = tl.program_id(0)
    c = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + row * stride + c, mask=c < cols, other=0.0)
    mean = tl.sum(x, axis=0) / cols
    centered = tl.where(c < cols, x - mean, 0.0)
    rstd = 1.0 / tl.sqrt(tl.sum(centered * centered, axis=0) / cols + 1e-5)
    tl.store(out_ptr + row * stride + c, (x - mean) * rstd, mask=c < cols)


def _normalized(x: torch.Tensor) -> torch.Tensor:
    return torch.nn.functional.layer_norm(x, (x.shape[1],), eps=1e-5)


@pytest.mark.parametrize("cols", [256, 255, 100, 1])
def test_rows_read_several_times_from_memory_or_their_copy(cols) -> None:
    # cols == BLOCK: the reductions read the row in memory; fewer: the
    # masked copy with its padding. Memory past each row is left alone.
    rows, stride = 37, 300
    x = torch.randn(rows, stride)
    out = torch.full((rows, stride), 5.0)
    _normalize_rows[(rows,)](x, out, stride, cols, BLOCK=256)
    torch.testing.assert_close(out[:, :cols], _normalized(x[:, :cols]), rtol=1e-4, atol=1e-4)
    assert torch.equal(out[:, cols:], torch.full((rows, stride - cols), 5.0))


def test_rows_read_several_times_in_place() -> None:
    # Every read of a row happens before its store, in place too.
    rows, cols = 64, 256
    x = torch.randn(rows, cols)
    expected = _normalized(x)
    _normalize_rows[(rows,)](x, x, cols, cols, BLOCK=256)
    torch.testing.assert_close(x, expected, rtol=1e-4, atol=1e-4)


def test_rows_read_several_times_are_read_from_memory(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FLAGTREE_CPU_DUMP", str(tmp_path))
    monkeypatch.setenv("TRITON_CACHE_DIR", str(tmp_path / "cache"))
    x = torch.randn(4, 128)
    out = torch.empty(4, 128)
    _normalize_rows[(4,)](x, out, 128, 128, BLOCK=128)
    torch.testing.assert_close(out, _normalized(x), rtol=1e-4, atol=1e-4)
    passes = (tmp_path / "_normalize_rows.passes.mlir").read_text()
    after = passes.split("(flagtree-cpu-forward-loaded-tiles)", 1)[1]
    after = after.split("// -----//", 1)[0]
    assert "scf.if" in after and "memref.cast" in after
