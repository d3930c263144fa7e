"""Triton's block-shaping, debugging and fp8 primitives on the CPU lane,
through plain ``kernel[grid]`` on torch CPU tensors, against torch:
``tl.join``/``tl.split``/``tl.interleave``/``tl.cat``, ``tl.gather``,
``tl.histogram``, ``tl.device_print``, ``tl.device_assert`` and conversions
from and to ``tl.float8e4nv``/``tl.float8e5`` with fp8 tensors in memory.
"""

from __future__ import annotations

import inspect
import re

import pytest
import torch
import triton
import triton.language as tl

from flagtree import launcher
from flagtree.lanes.cpu.jit import CPUCompileError, DeviceAssertionError

# --------------------------------------------------------------------------
# join, split, interleave, cat
# --------------------------------------------------------------------------


@triton.jit
def _join_split_1d(a_ptr, b_ptr, joined_ptr, swapped_ptr, N: tl.constexpr):
    r = tl.arange(0, N)
    a = tl.load(a_ptr + r)
    b = tl.load(b_ptr + r)
    joined = tl.join(a, b)  # [N, 2]
    pairs = tl.arange(0, N)[:, None] * 2 + tl.arange(0, 2)[None, :]
    tl.store(joined_ptr + pairs, joined)
    lo, hi = tl.split(joined)
    tl.store(swapped_ptr + pairs, tl.join(hi, lo))


@pytest.mark.parametrize("dtype", [torch.float32, torch.int32, torch.float16])
@pytest.mark.parametrize("n", [1, 8, 64])
def test_join_and_split_1d(dtype, n):
    a = (torch.arange(n) * 3 - 5).to(dtype)
    b = (torch.arange(n) * 7 + 1).to(dtype)
    joined = torch.empty(n, 2, dtype=dtype)
    swapped = torch.empty(n, 2, dtype=dtype)
    _join_split_1d[(1,)](a, b, joined, swapped, N=n)
    assert torch.equal(joined, torch.stack([a, b], dim=-1))
    assert torch.equal(swapped, torch.stack([b, a], dim=-1))


@triton.jit
def _join_split_2d(x_ptr, y_ptr, out_ptr, re_ptr, im_ptr, M: tl.constexpr, N: tl.constexpr):
    rows = tl.arange(0, M)[:, None]
    cols = tl.arange(0, N)[None, :]
    x = tl.load(x_ptr + rows * N + cols)
    y = tl.load(y_ptr + rows * N + cols)
    # [M, N, 2] -> [M, 2N]: x and y alternate along each row.
    tl.store(out_ptr + rows * 2 * N + tl.arange(0, 2 * N)[None, :], tl.interleave(x, y))
    # Split (re, im) pairs of a row-major [M, N, 2] tensor.
    pairs = tl.load(out_ptr + rows * 2 * N + tl.arange(0, 2 * N)[None, :])
    re, im = tl.split(tl.reshape(pairs, (M, N, 2)))
    tl.store(re_ptr + rows * N + cols, re)
    tl.store(im_ptr + rows * N + cols, im)


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16, torch.int64])
@pytest.mark.parametrize(("m", "n"), [(2, 4), (16, 32)])
def test_interleave_and_split_2d(dtype, m, n):
    x = torch.randn(m, n).mul(10).to(dtype)
    y = torch.randn(m, n).mul(10).to(dtype)
    out = torch.empty(m, 2 * n, dtype=dtype)
    re, im = torch.empty_like(x), torch.empty_like(x)
    _join_split_2d[(1,)](x, y, out, re, im, M=m, N=n)
    assert torch.equal(out, torch.stack([x, y], dim=-1).reshape(m, 2 * n))
    assert torch.equal(re, x)
    assert torch.equal(im, y)


@triton.jit
def _cat(a_ptr, b_ptr, out_ptr, N: tl.constexpr):
    r = tl.arange(0, N)
    c = tl.cat(tl.load(a_ptr + r), tl.load(b_ptr + r), can_reorder=True)
    tl.store(out_ptr + tl.arange(0, 2 * N), c)


@pytest.mark.parametrize("dtype", [torch.float32, torch.int32, torch.float16])
@pytest.mark.parametrize("n", [1, 32, 256])
def test_cat_holds_both_operands(dtype, n):
    # tl.cat (1-D in Triton) may reorder elements: compare the multisets.
    a = torch.randperm(n).to(dtype)
    b = (torch.randperm(n) + n).to(dtype)
    out = torch.empty(2 * n, dtype=dtype)
    _cat[(1,)](a, b, out, N=n)
    assert torch.equal(out.sort().values, torch.cat([a, b]).sort().values)


@triton.jit
def _join_scalars(out_ptr, x, y):
    tl.store(out_ptr + tl.arange(0, 2), tl.join(x, y))


def test_join_scalars():
    out = torch.empty(2, dtype=torch.int32)
    _join_scalars[(1,)](out, 3, -4)
    assert out.tolist() == [3, -4]


# --------------------------------------------------------------------------
# gather
# --------------------------------------------------------------------------


@triton.jit
def _gather_1d(src_ptr, idx_ptr, out_ptr, N: tl.constexpr, K: tl.constexpr):
    src = tl.load(src_ptr + tl.arange(0, N))
    idx = tl.load(idx_ptr + tl.arange(0, K))
    tl.store(out_ptr + tl.arange(0, K), tl.gather(src, idx, 0))


@pytest.mark.parametrize("dtype", [torch.float32, torch.int32, torch.float16])
@pytest.mark.parametrize(("n", "k"), [(8, 8), (64, 16), (16, 128)])
def test_gather_1d(dtype, n, k):
    src = torch.randn(n).mul(100).to(dtype)
    idx = torch.randint(0, n, (k,), dtype=torch.int32)
    out = torch.empty(k, dtype=dtype)
    _gather_1d[(1,)](src, idx, out, N=n, K=k)
    assert torch.equal(out, torch.gather(src, 0, idx.long()))


@triton.jit
def _gather_2d(
    src_ptr, idx_ptr, out_ptr, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr, AXIS: tl.constexpr
):
    # Each program gathers from its own [M, N] block.
    base = tl.program_id(0) * M * N
    src = tl.load(src_ptr + base + tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :])
    if AXIS == 0:
        offs = tl.arange(0, K)[:, None] * N + tl.arange(0, N)[None, :]
        out_base = tl.program_id(0) * K * N
    else:
        offs = tl.arange(0, M)[:, None] * K + tl.arange(0, K)[None, :]
        out_base = tl.program_id(0) * M * K
    idx = tl.load(idx_ptr + out_base + offs)
    tl.store(out_ptr + out_base + offs, tl.gather(src, idx, AXIS))


@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("idx_dtype", [torch.int32, torch.int64])
@pytest.mark.parametrize(("m", "n", "k"), [(4, 8, 2), (16, 16, 32)])
def test_gather_2d(axis, idx_dtype, m, n, k):
    programs = 3
    src = torch.randn(programs, m, n)
    shape = (programs, k, n) if axis == 0 else (programs, m, k)
    idx = torch.randint(0, (m, n)[axis], shape, dtype=idx_dtype)
    out = torch.empty(shape)
    _gather_2d[(programs,)](src, idx, out, M=m, N=n, K=k, AXIS=axis)
    assert torch.equal(out, torch.gather(src, axis + 1, idx.long()))


# --------------------------------------------------------------------------
# histogram
# --------------------------------------------------------------------------


@triton.jit
def _histogram(x_ptr, out_ptr, n, N: tl.constexpr, BINS: tl.constexpr, MASKED: tl.constexpr):
    pid = tl.program_id(0)
    r = tl.arange(0, N)
    x = tl.load(x_ptr + pid * N + r)
    if MASKED:
        h = tl.histogram(x, BINS, mask=r < n)
    else:
        h = tl.histogram(x, BINS)
    tl.store(out_ptr + pid * BINS + tl.arange(0, BINS), h)


def _reference_histogram(x: torch.Tensor, bins: int) -> torch.Tensor:
    kept = x[(x >= 0) & (x < bins)].long()
    return torch.bincount(kept, minlength=bins)


@pytest.mark.parametrize("dtype", [torch.int32, torch.int64])
@pytest.mark.parametrize(("n", "bins"), [(8, 4), (256, 16), (1024, 64)])
@pytest.mark.parametrize("masked", [False, True])
def test_histogram(dtype, n, bins, masked):
    programs = 2
    # Values below 0 and from `bins` on are outside every bin: not counted.
    x = torch.randint(-3, bins + 3, (programs, n), dtype=dtype)
    out = torch.empty(programs, bins, dtype=torch.int32)
    valid = n - n // 3 if masked else n
    _histogram[(programs,)](x, out, valid, N=n, BINS=bins, MASKED=masked)
    for p in range(programs):
        expected = _reference_histogram(x[p, :valid], bins)
        assert torch.equal(out[p].long(), expected), p


# --------------------------------------------------------------------------
# device_print
# --------------------------------------------------------------------------


@triton.jit
def _print_kernel(i_ptr, f_ptr, N: tl.constexpr):
    r = tl.arange(0, N)
    i = tl.load(i_ptr + r)
    f = tl.load(f_ptr + r)
    tl.device_print("i=", i)
    tl.device_print("pid", tl.program_id(0))
    tl.device_print("both", i, f)
    tl.device_print("hex", i, hex=True)
    tl.device_print("u8", i.to(tl.uint8))
    tl.device_print("half", f.to(tl.float16))


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("pid (")]


def test_device_print_tensors_and_scalars(capfd):
    i = torch.tensor([-1, 0, 7, 255], dtype=torch.int32)
    f = torch.tensor([0.5, -2.0, 3.25, 1e-3])
    _print_kernel[(2,)](i, f, N=4)
    lines = _lines(capfd.readouterr().out)
    for pid in (0, 1):
        mine = [line for line in lines if line.startswith(f"pid ({pid}, 0, 0) ")]
        head = f"pid ({pid}, 0, 0)"
        # A program's lines come in program order.
        assert mine == [
            *(f"{head} idx ({k}) i=: {v}" for k, v in enumerate([-1, 0, 7, 255])),
            f"{head} idx () pid: {pid}",
            *(f"{head} idx ({k}) both: (operand 0) {v}" for k, v in enumerate([-1, 0, 7, 255])),
            *(
                f"{head} idx ({k}) both: (operand 1) {v}"
                for k, v in enumerate(["0.5", "-2", "3.25", "0.00100000005"])
            ),
            *(
                f"{head} idx ({k}) hex: {v}"
                for k, v in enumerate(["0xffffffff", "0x00000000", "0x00000007", "0x000000ff"])
            ),
            *(f"{head} idx ({k}) u8: {v}" for k, v in enumerate([255, 0, 7, 255])),
            *(
                f"{head} idx ({k}) half: {v}"
                for k, v in enumerate(["0.5", "-2", "3.25", "0.0010004"])
            ),
        ], mine
    assert len(lines) == 2 * 25


@triton.jit
def _print_2d(x_ptr, M: tl.constexpr, N: tl.constexpr):
    x = tl.load(x_ptr + tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :])
    tl.device_print("x", x, hex=True)


def test_device_print_2d_hex_floats(capfd):
    x = torch.tensor([[1.0, -0.0], [2.5, float("inf")]])
    _print_2d[(1,)](x, M=2, N=2)
    assert _lines(capfd.readouterr().out) == [
        "pid (0, 0, 0) idx (0, 0) x: 0x3f800000",
        "pid (0, 0, 0) idx (0, 1) x: 0x80000000",
        "pid (0, 0, 0) idx (1, 0) x: 0x40200000",
        "pid (0, 0, 0) idx (1, 1) x: 0x7f800000",
    ]


@triton.jit
def _print_fp8(x_ptr, N: tl.constexpr):
    x = tl.load(x_ptr + tl.arange(0, N))
    tl.device_print("f8", x)
    tl.device_print("bits", x, hex=True)


def test_device_print_fp8(capfd):
    x = torch.tensor([1.5, -0.25, 448.0]).to(torch.float8_e4m3fn)
    _print_fp8[(1,)](x, N=2)
    assert _lines(capfd.readouterr().out) == [
        "pid (0, 0, 0) idx (0) f8: 1.5",
        "pid (0, 0, 0) idx (1) f8: -0.25",
        "pid (0, 0, 0) idx (0) bits: 0x3c",
        "pid (0, 0, 0) idx (1) bits: 0xa8",
    ]


@triton.jit
def _print_prefix_only(x_ptr):
    tl.device_print("reached")


def test_device_print_without_values(capfd):
    _print_prefix_only[(3,)](torch.zeros(1))
    assert sorted(_lines(capfd.readouterr().out)) == [
        f"pid ({pid}, 0, 0) idx () reached" for pid in range(3)
    ]


# --------------------------------------------------------------------------
# device_assert
# --------------------------------------------------------------------------


@triton.jit(debug=True)
def _checked_copy(x_ptr, out_ptr, limit, N: tl.constexpr):
    r = tl.program_id(0) * N + tl.arange(0, N)
    x = tl.load(x_ptr + r)
    tl.device_assert(x < limit, "x must stay below limit")
    tl.store(out_ptr + r, x + 1)


def _line_of(fn, text: str) -> int:
    lines, first = inspect.getsourcelines(fn)
    return first + next(i for i, line in enumerate(lines) if text in line)


ASSERT_LINE = _line_of(_checked_copy.fn, "tl.device_assert")


def _launched_by_python(info) -> bool:
    """Whether the error came out of the Python launcher (jit.py) rather
    than flagtree's C++ fast launcher."""
    return any(entry.name == "launch" and entry.path.name == "jit.py" for entry in info.traceback)


def test_device_assert_raises_and_later_launches_run():
    kernel = triton.jit(_checked_copy.fn, debug=True)  # fresh caches
    x = torch.arange(64, dtype=torch.int32)
    out = torch.zeros(64, dtype=torch.int32)
    pattern = (
        rf".*/test_cpu_surface\.py:{ASSERT_LINE}: device-side assertion failed in program "
        r"\((\d+), 0, 0\) at index \((\d+)\): x must stay below limit"
    )

    def failing_launch() -> bool:
        with pytest.raises(DeviceAssertionError) as info:
            kernel[(4,)](x, out, 40, N=16)
        match = re.fullmatch(pattern, str(info.value))
        assert match, str(info.value)
        program, index = int(match[1]), int(match[2])
        assert x[program * 16 + index] >= 40
        assert isinstance(info.value, AssertionError)
        return _launched_by_python(info)

    # A first call goes through Triton's launch path (the Python launcher);
    # once a call succeeded, flagtree's C++ fast launcher takes the next.
    assert failing_launch(), "Triton's path raises"
    kernel[(4,)](x, out, 1000, N=16)
    assert torch.equal(out, x + 1)
    assert not failing_launch(), "the fast launcher raises"

    # The process and the kernel keep working.
    out.zero_()
    kernel[(4,)](x, out, 999, N=16)
    assert torch.equal(out, x + 1)
    assert launcher.stats(kernel)["fast_launches"] == 1


@triton.jit(debug=True)
def _scalar_assert(out_ptr):
    pid = tl.program_id(0)
    tl.device_assert(pid != 2, "program two is not allowed")
    tl.store(out_ptr + pid, pid)


def test_device_assert_on_a_scalar_stops_the_failing_program():
    out = torch.full((4,), -1, dtype=torch.int32)
    with pytest.raises(DeviceAssertionError, match=r"program \(2, 0, 0\): program two") as info:
        _scalar_assert[(4,)](out)
    assert "test_cpu_surface.py:" in str(info.value)
    # The failing program stopped at the assertion, before its store.
    assert out[2] == -1
    out.fill_(-1)
    _scalar_assert[(2,)](out)
    assert out.tolist() == [0, 1, -1, -1]


# --------------------------------------------------------------------------
# fp8
# --------------------------------------------------------------------------

FP8 = {
    "e4m3": (torch.float8_e4m3fn, tl.float8e4nv),
    "e5m2": (torch.float8_e5m2, tl.float8e5),
    # The "fnuz" formats: no infinities and no negative zero; 0x80 is NaN.
    "e4m3fnuz": (torch.float8_e4m3fnuz, tl.float8e4b8),
    "e5m2fnuz": (torch.float8_e5m2fnuz, tl.float8e5b16),
}


@triton.jit
def _to_fp8(x_ptr, out_ptr, back_ptr, n, FP8_TYPE: tl.constexpr, BLOCK: tl.constexpr):
    r = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = r < n
    x = tl.load(x_ptr + r, mask=mask)
    tl.store(out_ptr + r, x.to(FP8_TYPE), mask=mask)
    # Read the fp8 memory back and widen it to the input's type.
    y = tl.load(out_ptr + r, mask=mask)
    tl.store(back_ptr + r, y.to(x.dtype), mask=mask)


def _edge_values() -> torch.Tensor:
    """Random f32 bit patterns (every exponent) and the values around each
    fp8 format's limits, ties and subnormals."""
    torch.manual_seed(0)
    bits = torch.randint(-(2**31), 2**31 - 1, (4096,), dtype=torch.int64).to(torch.int32)
    special = [0.0, -0.0, float("inf"), -float("inf"), float("nan"), 448.0, 464.0, 465.0]
    special += [480.0, -1000.0, 57344.0, 61440.0, 61439.0, 65536.0, 2.0**-9, 2.0**-10]
    special += [3 * 2.0**-11, 2.0**-16, 2.0**-17, 3 * 2.0**-18, -1e-30, 1.0625, 1.1875]
    special += [240.0, 247.0, 248.0, -248.0, 2.0**-10, 2.0**-11, -(2.0**-11), 2.0**-18]
    logs = torch.randn(2048) * torch.logspace(-10, 5, 2048)
    return torch.cat([bits.view(torch.float32), torch.tensor(special), logs])


def _same_bits(a: torch.Tensor, b: torch.Tensor) -> bool:
    return torch.equal(a.view(torch.uint8), b.view(torch.uint8))


@pytest.mark.parametrize("fmt", list(FP8))
@pytest.mark.parametrize("src_dtype", [torch.float32, torch.float16, torch.bfloat16])
def test_to_fp8_rounds_as_torch(fmt, src_dtype):
    torch_type, tl_type = FP8[fmt]
    x = _edge_values().to(src_dtype)
    n = x.numel()
    out = torch.empty(n, dtype=torch_type)
    back = torch.empty(n, dtype=src_dtype)
    _to_fp8[(triton.cdiv(n, 512),)](x, out, back, n, FP8_TYPE=tl_type, BLOCK=512)
    expected = x.to(torch_type)
    assert _same_bits(out, expected)
    torch.testing.assert_close(back, expected.to(src_dtype), rtol=0, atol=0, equal_nan=True)


@triton.jit
def _to_fp8_rtz(x_ptr, out_ptr, n, FP8_TYPE: tl.constexpr, BLOCK: tl.constexpr):
    r = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = r < n
    x = tl.load(x_ptr + r, mask=mask)
    tl.store(out_ptr + r, x.to(FP8_TYPE, fp_downcast_rounding="rtz"), mask=mask)


def _toward_zero(x: torch.Tensor, torch_type) -> torch.Tensor:
    """Each value's fp8 code toward zero, by search among the format's
    finite values: the largest magnitude not above |x|, with x's sign.
    Infinities are kept by e5m2 and saturate in e4m3fn; NaN stays NaN."""
    codes = torch.arange(128, dtype=torch.int32).to(torch.uint8)
    values = codes.view(torch_type).double()
    finite = values.isfinite()
    magnitudes, codes = values[finite], codes[finite]
    order = torch.argsort(magnitudes)
    magnitudes, codes = magnitudes[order], codes[order]
    wide = x.double()
    index = torch.searchsorted(magnitudes, wide.abs().nan_to_num(0.0), right=True) - 1
    result = codes[index.clamp(min=0)]
    if torch_type == torch.float8_e5m2:
        result = torch.where(
            wide.abs() == float("inf"), torch.tensor(0x7C, dtype=torch.uint8), result
        )
    result = result | torch.where(torch.signbit(wide), 0x80, 0).to(torch.uint8)
    return result.view(torch_type)


@pytest.mark.parametrize("fmt", ["e4m3", "e5m2"])
@pytest.mark.parametrize("src_dtype", [torch.float32, torch.float16, torch.bfloat16, torch.float64])
def test_to_fp8_toward_zero(fmt, src_dtype):
    torch_type, tl_type = FP8[fmt]
    x = _edge_values().to(src_dtype)
    if src_dtype == torch.float64:
        # Just below an e5m2 / e4m3 value: rounded up to it in f32.
        x = torch.cat([x, torch.tensor([1.25 - 2.0**-40, -(448.0 - 2.0**-35), 1e300])])
    n = x.numel()
    out = torch.empty(n, dtype=torch_type)
    _to_fp8_rtz[(triton.cdiv(n, 512),)](x, out, n, FP8_TYPE=tl_type, BLOCK=512)
    nan = x.isnan()
    assert bool(out.float()[nan].isnan().all())
    assert _same_bits(out[~nan], _toward_zero(x, torch_type)[~nan])
    if fmt == "e5m2" and src_dtype == torch.float32:
        # As PTX converts: toward zero to f16, then the f16's upper byte.
        from test_cpu_fixes import _f32_to_f16_rtz

        upper = (_f32_to_f16_rtz(x).view(torch.int16) >> 8).to(torch.uint8)
        assert _same_bits(out[~nan], upper[~nan].view(torch_type))


def test_to_fnuz_fp8_toward_zero_is_a_located_error():
    x = torch.ones(4)
    out = torch.empty(4, dtype=torch.float8_e4m3fnuz)
    with pytest.raises(
        CPUCompileError, match=r"test_cpu_surface\.py:\d+:\d+: error: .*toward zero"
    ):
        _to_fp8_rtz[(1,)](x, out, 4, FP8_TYPE=tl.float8e4b8, BLOCK=4)


@triton.jit
def _from_fp8(x_ptr, f32_ptr, f16_ptr, copy_ptr, n, BLOCK: tl.constexpr):
    r = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = r < n
    x = tl.load(x_ptr + r, mask=mask, other=0.0)
    tl.store(f32_ptr + r, x.to(tl.float32), mask=mask)
    tl.store(f16_ptr + r, x.to(tl.float16), mask=mask)
    tl.store(copy_ptr + r, x, mask=mask)


@pytest.mark.parametrize("fmt", list(FP8))
def test_every_fp8_value_widens_exactly(fmt):
    torch_type, _ = FP8[fmt]
    x = torch.arange(256, dtype=torch.int32).to(torch.uint8).view(torch_type)
    f32 = torch.empty(256)
    f16 = torch.empty(256, dtype=torch.float16)
    copy = torch.zeros(256, dtype=torch_type)
    _from_fp8[(3,)](x, f32, f16, copy, 250, BLOCK=128)
    torch.testing.assert_close(f32[:250], x[:250].float(), rtol=0, atol=0, equal_nan=True)
    torch.testing.assert_close(f16[:250], x[:250].to(torch.float16), rtol=0, atol=0, equal_nan=True)
    assert _same_bits(copy[:250], x[:250])
    assert not copy[250:].view(torch.uint8).any(), "masked-off elements stay untouched"


# --------------------------------------------------------------------------
# dot_scaled
# --------------------------------------------------------------------------


@triton.jit
def _dot_scaled(
    a_ptr,
    a_scale_ptr,
    b_ptr,
    b_scale_ptr,
    out_ptr,
    M: tl.constexpr,
    N: tl.constexpr,
    K: tl.constexpr,
    A_FORMAT: tl.constexpr,
    B_FORMAT: tl.constexpr,
):
    # fp4 (e2m1) operands hold two values per byte along K.
    KA: tl.constexpr = K // 2 if A_FORMAT == "e2m1" else K
    KB: tl.constexpr = K // 2 if B_FORMAT == "e2m1" else K
    G: tl.constexpr = K // 32
    a = tl.load(a_ptr + tl.arange(0, M)[:, None] * KA + tl.arange(0, KA)[None, :])
    b = tl.load(b_ptr + tl.arange(0, KB)[:, None] * N + tl.arange(0, N)[None, :])
    a_scale = tl.load(a_scale_ptr + tl.arange(0, M)[:, None] * G + tl.arange(0, G)[None, :])
    b_scale = tl.load(b_scale_ptr + tl.arange(0, N)[:, None] * G + tl.arange(0, G)[None, :])
    c = tl.dot_scaled(a, a_scale, A_FORMAT, b, b_scale, B_FORMAT)
    tl.store(out_ptr + tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :], c)


_E2M1_VALUES = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0]
_E2M1_VALUES += [-v for v in _E2M1_VALUES]


def _operand(fmt: str, shape: tuple[int, int], k_dim: int):
    """(tensor passed to the kernel, its values as f32) for one format."""
    if fmt == "e2m1":
        packed_shape = list(shape)
        packed_shape[k_dim] //= 2
        packed = torch.randint(0, 256, packed_shape, dtype=torch.uint8)
        table = torch.tensor(_E2M1_VALUES)
        low, high = table[(packed & 0xF).long()], table[(packed >> 4).long()]
        # The low nibble holds the first of the two values along K.
        values = torch.stack([low, high], dim=k_dim + 1).flatten(k_dim, k_dim + 1)
        return packed, values
    dtype = {
        "e4m3": torch.float8_e4m3fn,
        "e5m2": torch.float8_e5m2,
        "bf16": torch.bfloat16,
        "fp16": torch.float16,
    }[fmt]
    x = torch.randn(shape).to(dtype)
    return x, x.float()


@pytest.mark.parametrize(
    ("a_format", "b_format"),
    [("e4m3", "e5m2"), ("e5m2", "e4m3"), ("e2m1", "bf16"), ("fp16", "e2m1"), ("e2m1", "e2m1")],
)
@pytest.mark.parametrize(("m", "n", "k"), [(16, 16, 64), (32, 16, 128)])
def test_dot_scaled(a_format, b_format, m, n, k):
    torch.manual_seed(1)
    a, a_values = _operand(a_format, (m, k), 1)
    b, b_values = _operand(b_format, (k, n), 0)
    # e8m0 scales, 2^(s - 127), one per 32 elements along K.
    a_scale = torch.randint(120, 135, (m, k // 32), dtype=torch.uint8)
    b_scale = torch.randint(120, 135, (n, k // 32), dtype=torch.uint8)
    out = torch.empty(m, n)
    _dot_scaled[(1,)](
        a, a_scale, b, b_scale, out, M=m, N=n, K=k, A_FORMAT=a_format, B_FORMAT=b_format
    )
    a_factor = torch.exp2(a_scale.float() - 127).repeat_interleave(32, dim=1)
    b_factor = torch.exp2(b_scale.float() - 127).repeat_interleave(32, dim=1).T
    # Every product is exact in f32; only the order of the K additions may
    # differ from any f32 reference, so compare with the exact sum, within
    # the bound on f32 summation error: K * 2^-24 * sum |term|.
    scaled_a = (a_values * a_factor).double()
    scaled_b = (b_values * b_factor).double()
    expected = scaled_a @ scaled_b
    bound = k * 2.0**-24 * (scaled_a.abs() @ scaled_b.abs())
    error = (out.double() - expected).abs()
    assert bool((error <= bound).all()), (
        f"worst error {float((error - bound).max())} past the bound"
    )


@triton.jit
def _dot_fp8_kernel(a_ptr, b_ptr, c_ptr, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr):
    rm = tl.arange(0, M)
    rn = tl.arange(0, N)
    rk = tl.arange(0, K)
    a = tl.load(a_ptr + rm[:, None] * K + rk[None, :])
    b = tl.load(b_ptr + rk[:, None] * N + rn[None, :])
    tl.store(c_ptr + rm[:, None] * N + rn[None, :], tl.dot(a, b))


@pytest.mark.parametrize(
    "dtype", [torch.float8_e4m3fn, torch.float8_e5m2, torch.float8_e4m3fnuz, torch.float8_e5m2fnuz]
)
@pytest.mark.parametrize(("m", "n", "k"), [(16, 16, 32), (32, 64, 16)])
def test_dot_fp8_inputs(dtype, m, n, k):
    a = (torch.randn(m, k) * 2).to(dtype)
    b = (torch.randn(k, n) * 2).to(dtype)
    c = torch.empty(m, n)
    _dot_fp8_kernel[(1,)](a, b, c, M=m, N=n, K=k)
    # Every fp8 value is exact in f32: only the summation order differs.
    torch.testing.assert_close(c, a.float() @ b.float(), atol=1e-4, rtol=1e-5)
