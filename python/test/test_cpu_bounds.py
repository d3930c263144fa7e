"""The CPU lane's bounds-checked mode (FLAGTREE_CPU_BOUNDS_CHECK=1).

A kernel that reads or writes outside a tensor it was given, without a
mask, is the user's bug; in this mode the access is not made, and the
launch raises an error naming the kernel's line, the argument and the
elements. Correct kernels run as before. Every kernel here is only ever
compiled with the mode on (the mode is read when a kernel compiles)."""

from __future__ import annotations

import inspect

import pytest
import torch
import triton
import triton.language as tl

from flagtree.lanes.cpu.jit import CPUOutOfBoundsError


@pytest.fixture(autouse=True)
def _checked_mode(monkeypatch):
    monkeypatch.setenv("FLAGTREE_CPU_BOUNDS_CHECK", "1")


@triton.jit
def _copy_checked(x_ptr, y_ptr, n, BLOCK: tl.constexpr, MASKED: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    if MASKED:
        tl.store(y_ptr + offs, tl.load(x_ptr + offs, mask=offs < n) + 1, mask=offs < n)
    else:
        x = tl.load(x_ptr + offs)  # the unmasked read
        tl.store(y_ptr + offs, x + 1, mask=offs < n)


@triton.jit
def _store_checked(y_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    tl.store(y_ptr + offs, offs.to(tl.float32))  # the unmasked write


@triton.jit
def _gather_checked(x_ptr, idx_ptr, y_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    idx = tl.load(idx_ptr + offs, mask=offs < n, other=0)
    tl.store(y_ptr + offs, tl.load(x_ptr + idx, mask=offs < n), mask=offs < n)


@triton.jit
def _tile_checked(x_ptr, y_ptr, rows, cols, stride, BR: tl.constexpr, BC: tl.constexpr):
    r = tl.program_id(0) * BR + tl.arange(0, BR)[:, None]
    c = tl.arange(0, BC)[None, :]
    m = (r < rows) & (c < cols)
    tl.store(y_ptr + r * cols + c, tl.load(x_ptr + r * stride + c, mask=m) * 2, mask=m)


@triton.jit
def _atomic_checked(counts_ptr, idx_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    idx = tl.load(idx_ptr + offs, mask=offs < n, other=0)
    tl.atomic_add(counts_ptr + idx, 1, mask=offs < n)


def _line_of(kernel, text: str) -> int:
    lines, first = inspect.getsourcelines(kernel.fn)
    return first + next(i for i, line in enumerate(lines) if text in line)


def test_masked_kernels_run_unchanged() -> None:
    for n in (1, 100, 1000, 1024):
        x = torch.randn(n)
        y = torch.zeros(n)
        _copy_checked[(triton.cdiv(n, 128),)](x, y, n, BLOCK=128, MASKED=True)
        torch.testing.assert_close(y, x + 1)


def test_strided_views_and_tiles_run_unchanged() -> None:
    base = torch.randn(40, 70)
    x = base[3:, 5:60]  # a strided view in the middle of its storage
    rows, cols = x.shape
    y = torch.zeros(rows, cols)
    _tile_checked[(triton.cdiv(rows, 8),)](x, y, rows, cols, x.stride(0), BR=8, BC=64)
    torch.testing.assert_close(y, x * 2)


def test_read_past_the_end_is_an_error_naming_the_line() -> None:
    n = 1000
    x = torch.randn(n)
    y = torch.zeros(n)
    with pytest.raises(CPUOutOfBoundsError) as error:
        _copy_checked[(triton.cdiv(n, 128),)](x, y, n, BLOCK=128, MASKED=False)
    message = str(error.value)
    line = _line_of(_copy_checked, "the unmasked read")
    assert f"test_cpu_bounds.py:{line}:" in message
    assert "out-of-bounds load" in message
    assert "`x_ptr`" in message
    assert "spans elements [0, 1000)" in message
    assert "[896, 1023]" in message


def test_write_past_the_end_leaves_the_neighbours_alone() -> None:
    memory = torch.full((2048,), -7.0)
    y = memory[:1000]  # the tensor; the rest of the storage is other data
    with pytest.raises(CPUOutOfBoundsError) as error:
        _store_checked[(8,)](y, 1000, BLOCK=128)
    assert "out-of-bounds store" in str(error.value)
    line = _line_of(_store_checked, "the unmasked write")
    assert f"test_cpu_bounds.py:{line}:" in str(error.value)
    assert torch.equal(memory[1000:], torch.full((1048,), -7.0))


@triton.jit
def _store_streamed(y_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    tl.store(y_ptr + offs, offs.to(tl.float32))  # the streamed write


def test_the_streaming_copy_is_checked_too(monkeypatch) -> None:
    # Every launch with aligned pointers runs the copy with streaming
    # stores, compiled by its first launch: in this mode, with the checks.
    monkeypatch.setenv("FLAGTREE_CPU_STREAM_STORES", "always")
    y = torch.zeros(1024)
    compiled = _store_streamed[(8,)](y, 1024, BLOCK=128)
    assert compiled.function.streams((8, 1, 1), [y, 1024])
    assert torch.equal(y, torch.arange(1024, dtype=torch.float32))
    memory = torch.full((2048,), -7.0)
    with pytest.raises(CPUOutOfBoundsError) as error:
        _store_streamed[(8,)](memory[:1000], 1000, BLOCK=128)
    line = _line_of(_store_streamed, "the streamed write")
    assert f"test_cpu_bounds.py:{line}:" in str(error.value)
    assert torch.equal(memory[1000:], torch.full((1048,), -7.0))


@triton.jit
def _words_of_bytes(x_ptr, y_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    words = x_ptr.to(tl.pointer_type(tl.int32))
    tl.store(y_ptr + offs, tl.load(words + offs))  # the word read


@triton.jit
def _halves_of_floats(x_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    halves = x_ptr.to(tl.pointer_type(tl.int16))
    tl.store(halves + offs, tl.full((N,), -1, tl.int16))  # the half write


def test_a_pointer_cast_to_another_width_is_checked_by_address() -> None:
    # Read by address, such an access has no tensor of its own type: its
    # bytes must lie within some pointer argument's tensor.
    data = torch.arange(64, dtype=torch.uint8)
    words = torch.zeros(16, dtype=torch.int32)
    _words_of_bytes[(1,)](data, words, N=16)
    assert torch.equal(words, data.view(torch.int32))
    # 16 words are 64 bytes: the last one lies past the 60-byte tensor.
    storage = torch.zeros(256, dtype=torch.uint8)
    short = storage[64:128]
    with pytest.raises(CPUOutOfBoundsError) as error:
        _words_of_bytes[(1,)](short[:60], torch.zeros(16, dtype=torch.int32), N=16)
    line = _line_of(_words_of_bytes, "the word read")
    assert f"test_cpu_bounds.py:{line}:" in str(error.value)
    assert "out-of-bounds load of 4 bytes" in str(error.value)
    # A write of 32 int16 into 15 floats (60 bytes): stopped before the
    # first byte past them, which keeps its value.
    floats = torch.zeros(32)
    with pytest.raises(CPUOutOfBoundsError, match="out-of-bounds store of 2 bytes") as error:
        _halves_of_floats[(1,)](floats[:15], N=32)
    assert f"test_cpu_bounds.py:{_line_of(_halves_of_floats, 'the half write')}:" in str(
        error.value
    )
    assert torch.equal(floats[15:], torch.zeros(17))
    assert torch.equal(floats[:15].view(torch.int16), torch.full((30,), -1, dtype=torch.int16))


@triton.jit
def _halves_into_first(x_ptr, y_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    halves = x_ptr.to(tl.pointer_type(tl.int16))
    tl.store(halves + offs, tl.load(y_ptr + offs))  # the half copy


def test_a_cast_pointer_is_checked_against_its_own_argument() -> None:
    # The tensors lie back to back in one buffer: bytes past the first one
    # are the second's, and still outside the tensor the pointer came from.
    storage = torch.zeros(128, dtype=torch.uint8)
    first, second = storage[:60], storage[60:124].view(torch.int32)
    second.copy_(torch.arange(16, dtype=torch.int32))
    with pytest.raises(CPUOutOfBoundsError, match="cast from pointer argument `x_ptr`") as error:
        _words_of_bytes[(1,)](first, second, N=16)
    assert f"test_cpu_bounds.py:{_line_of(_words_of_bytes, 'the word read')}:" in str(error.value)
    assert "out-of-bounds load of 4 bytes" in str(error.value)
    assert torch.equal(second, torch.arange(16, dtype=torch.int32))  # nothing stored
    # A write of 32 int16 into 15 floats (60 bytes), from the tensor that
    # follows them: it stops before the first half past them, which is the
    # source's, and leaves it as it was.
    storage = torch.zeros(32)
    first, source = storage[:15], storage[15:].view(torch.int16)
    source.copy_(torch.arange(34, dtype=torch.int16))
    with pytest.raises(CPUOutOfBoundsError, match="out-of-bounds store of 2 bytes") as error:
        _halves_into_first[(1,)](first, source, N=32)
    assert "cast from pointer argument `x_ptr`" in str(error.value)
    assert f"test_cpu_bounds.py:{_line_of(_halves_into_first, 'the half copy')}:" in str(
        error.value
    )
    assert torch.equal(source, torch.arange(34, dtype=torch.int16))
    assert torch.equal(first.view(torch.int16), torch.arange(30, dtype=torch.int16))


@triton.jit
def _count_words(bytes_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    words = bytes_ptr.to(tl.pointer_type(tl.int32))
    tl.atomic_add(words + offs, 1)  # the word count


def test_an_atomic_through_a_pointer_cast_to_another_width_is_checked() -> None:
    data = torch.zeros(64, dtype=torch.uint8)
    _count_words[(1,)](data, N=16)
    assert torch.equal(data.view(torch.int32), torch.ones(16, dtype=torch.int32))
    storage = torch.zeros(128, dtype=torch.uint8)
    with pytest.raises(CPUOutOfBoundsError, match="out-of-bounds load of 4 bytes") as error:
        _count_words[(1,)](storage[:62], N=16)
    assert f"test_cpu_bounds.py:{_line_of(_count_words, 'the word count')}:" in str(error.value)
    # The 15 words inside were counted; the bytes past the tensor kept.
    assert torch.equal(storage[:60].view(torch.int32), torch.ones(15, dtype=torch.int32))
    assert not storage[60:].any()


def test_gathered_index_out_of_range_is_an_error() -> None:
    n = 256
    x = torch.randn(n)
    idx = torch.randint(0, n, (n,), dtype=torch.int32)
    y = torch.zeros(n)
    _gather_checked[(2,)](x, idx, y, n, BLOCK=128)
    torch.testing.assert_close(y, x[idx.long()])
    idx[200] = n + 5
    with pytest.raises(CPUOutOfBoundsError, match=r"\[261, 261\]"):
        _gather_checked[(2,)](x, idx, y, n, BLOCK=128)
    idx[200] = -1
    with pytest.raises(CPUOutOfBoundsError, match=r"\[-1, -1\]"):
        _gather_checked[(2,)](x, idx, y, n, BLOCK=128)


def test_atomic_out_of_range_is_an_error_and_later_launches_work() -> None:
    counts = torch.zeros(16, dtype=torch.int32)
    idx = torch.randint(0, 16, (1000,), dtype=torch.int32)
    idx[999] = 16
    with pytest.raises(CPUOutOfBoundsError, match="`counts_ptr`"):
        _atomic_checked[(8,)](counts, idx, 1000, BLOCK=128)
    idx[999] = 3
    counts.zero_()
    _atomic_checked[(8,)](counts, idx, 1000, BLOCK=128)
    assert torch.equal(counts, torch.bincount(idx.long(), minlength=16).to(torch.int32))
