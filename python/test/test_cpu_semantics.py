"""Semantics the CPU lane must share with GPU lanes, beyond "it compiles":
NaN handling of `tl.clamp`, the precision of 16-bit float dots and sums,
`tl.abs` of fp8 bit patterns, tensors reinterpreted with
`triton.reinterpret` under the bounds-checked mode, float8e4b15 (which
the front end converts through the target), and pointers converted to
integers.
"""

from __future__ import annotations

import pytest
import torch
import triton
import triton.language as tl

# --------------------------------------------------------------------------
# tl.clamp and NaN
# --------------------------------------------------------------------------


@triton.jit
def _clamp(x_ptr, lo_ptr, hi_ptr, out_ptr, N: tl.constexpr, PROPAGATE: tl.constexpr):
    offs = tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    lo = tl.load(lo_ptr + offs)
    hi = tl.load(hi_ptr + offs)
    tl.store(out_ptr + offs, tl.clamp(x, lo, hi, propagate_nan=PROPAGATE))


@pytest.mark.parametrize("dtype", [torch.float16, torch.float32])
@pytest.mark.parametrize("propagate", ["NONE", "ALL"])
def test_clamp_nan(dtype, propagate):
    """With propagate_nan=NONE a NaN input gives a bound (as minnum/maxnum
    do); with ALL it gives NaN. Values that are no NaN clamp either way."""
    nan = float("nan")
    x = torch.tensor([nan, 5.0, -5.0, 0.5, nan, 2.0, -0.25, 1.0], dtype=dtype)
    lo = torch.full((8,), -1.0, dtype=dtype)
    hi = torch.full((8,), 1.0, dtype=dtype)
    out = torch.empty(8, dtype=dtype)
    _clamp[(1,)](x, lo, hi, out, N=8, PROPAGATE=getattr(tl.PropagateNan, propagate))
    finite = ~x.isnan()
    assert torch.equal(out[finite], x[finite].clamp(-1.0, 1.0))
    if propagate == "ALL":
        assert out[~finite].isnan().all()
    else:
        assert not out.isnan().any()
        assert ((out[~finite] == -1.0) | (out[~finite] == 1.0)).all()


# --------------------------------------------------------------------------
# 16-bit float accumulators
# --------------------------------------------------------------------------


@triton.jit
def _dot_f16(a_ptr, b_ptr, c_ptr, B: tl.constexpr, M: tl.constexpr, K: tl.constexpr):
    bi = tl.arange(0, B)[:, None, None]
    mi = tl.arange(0, M)[None, :, None]
    ki = tl.arange(0, K)[None, None, :]
    a = tl.load(a_ptr + bi * M * K + mi * K + ki)  # [B, M, K]
    kr = tl.arange(0, K)[None, :, None]
    mc = tl.arange(0, M)[None, None, :]
    b = tl.load(b_ptr + bi * K * M + kr * M + mc)  # [B, K, M]
    c = tl.dot(a, b, out_dtype=tl.float16)
    tl.store(c_ptr + bi * M * M + mi * M + mc, c)


def test_f16_dot_rounds_once():
    """An fp16-accumulator dot of K = 256 products equals the exact products
    summed in f32 and rounded once to f16 (to within f32's own rounding)."""
    B, M, K = 2, 16, 256
    g = torch.Generator().manual_seed(3)
    a = torch.randn(B, M, K, generator=g).to(torch.float16)
    b = torch.randn(B, K, M, generator=g).to(torch.float16)
    c = torch.empty(B, M, M, dtype=torch.float16)
    _dot_f16[(1,)](a, b, c, B=B, M=M, K=K)
    want = torch.bmm(a.double(), b.double())
    # one rounding to f16 of a sum carried in f32: at most one f16 ulp
    ulp = torch.finfo(torch.float16).eps * want.abs().clamp(min=2**-14)
    assert ((c.double() - want).abs() <= ulp).all()


@triton.jit
def _sum_f16(x_ptr, out_ptr, N: tl.constexpr):
    x = tl.load(x_ptr + tl.arange(0, N))
    tl.store(out_ptr, tl.sum(x, axis=0))


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_16_bit_float_sum_rounds_once(dtype):
    """A 16-bit float sum is carried in f32 and rounded once: 8192 copies of
    1 sum to 8192 (an f16 accumulator stops at 2048, where 2048 + 1 rounds
    back to 2048), and random values sum to within one ulp."""
    n = 8192
    out = torch.empty(1, dtype=dtype)
    _sum_f16[(1,)](torch.ones(n, dtype=dtype), out, N=n)
    assert out.item() == n
    g = torch.Generator().manual_seed(5)
    x = torch.randn(n, generator=g).to(dtype)
    _sum_f16[(1,)](x, out, N=n)
    want = x.double().sum()
    ulp = torch.finfo(dtype).eps * abs(want.item())
    assert abs(out.double().item() - want.item()) <= ulp


# --------------------------------------------------------------------------
# fp8 abs
# --------------------------------------------------------------------------


@triton.jit
def _abs(x_ptr, out_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    tl.store(out_ptr + offs, tl.abs(tl.load(x_ptr + offs)))


@pytest.mark.parametrize("dtype", [tl.float8e4nv, tl.float8e5])
def test_fp8_abs_clears_the_sign_bit(dtype):
    """Every one of the 256 bit patterns, NaNs included: |x| is x with its
    sign bit cleared."""
    bits = torch.arange(-128, 128, dtype=torch.int16).to(torch.int8)
    out = torch.empty_like(bits)
    _abs[(1,)](triton.reinterpret(bits, dtype), triton.reinterpret(out, dtype), N=256)
    assert torch.equal(out, bits & 0x7F)


@pytest.mark.parametrize("dtype", [tl.float8e4b8, tl.float8e5b16])
def test_fnuz_fp8_abs_keeps_nan(dtype):
    """In the "fnuz" formats 0x80 is the NaN (there is no negative zero):
    |NaN| stays 0x80, and every other pattern loses its sign bit."""
    bits = torch.arange(-128, 128, dtype=torch.int16).to(torch.int8)
    out = torch.empty_like(bits)
    _abs[(1,)](triton.reinterpret(bits, dtype), triton.reinterpret(out, dtype), N=256)
    nan = bits == -128
    assert torch.equal(out[nan], bits[nan])
    assert torch.equal(out[~nan], bits[~nan] & 0x7F)


# --------------------------------------------------------------------------
# triton.reinterpret under the bounds-checked mode
# --------------------------------------------------------------------------


@triton.jit
def _copy(x_ptr, out_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    tl.store(out_ptr + offs, tl.load(x_ptr + offs))


def test_reinterpreted_tensors_are_bounds_checked(monkeypatch):
    """A `triton.reinterpret` wrapper spans the bytes of the tensor it
    wraps: an access inside them runs, one past them is reported."""
    from flagtree.lanes.cpu.jit import CPUOutOfBoundsError

    monkeypatch.setenv("FLAGTREE_CPU_BOUNDS_CHECK", "1")
    x = torch.arange(16, dtype=torch.int32)
    out = torch.zeros(16, dtype=torch.int32)
    _copy[(1,)](triton.reinterpret(x, tl.uint32), triton.reinterpret(out, tl.uint32), N=16)
    assert torch.equal(out, x)
    short = torch.zeros(8, dtype=torch.int32)
    with pytest.raises(CPUOutOfBoundsError, match="out_ptr"):
        _copy[(1,)](x, triton.reinterpret(short, tl.uint32), N=16)
    assert torch.equal(short, torch.zeros(8, dtype=torch.int32))


# --------------------------------------------------------------------------
# Pointer casts to a type of the same width
# --------------------------------------------------------------------------


@triton.jit
def _through_int_pointers(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    bits = tl.load(x_ptr.to(tl.pointer_type(tl.int32)) + offs, mask=m, other=-1)
    flipped = bits ^ (-2147483647 - 1)  # negate through the sign bit
    tl.store(out_ptr.to(tl.pointer_type(tl.int32)) + offs, flipped, mask=m)
    lanes = tl.arange(0, BLOCK)
    tl.store(out_ptr + n + lanes, (bits == -1).to(tl.float32), mask=tl.program_id(0) == 1)


def test_loads_and_stores_through_a_same_width_pointer_cast():
    """float32 tensors read and written through int32 pointers: the bits
    are kept, masked-off lanes take `other` (as int32) and are not stored."""
    n, block = 100, 64
    x = torch.randn(n)
    out = torch.full((n + block,), 5.0)
    _through_int_pointers[(triton.cdiv(n, block),)](x, out, n, BLOCK=block)
    assert torch.equal(out[:n], -x)
    # program 1 saw lanes 100..127 masked off, whose `other` was -1
    assert out[n : n + 36].eq(0).all() and out[n + 36 :].eq(1).all()


@triton.jit
def _through_other_widths(bytes_ptr, floats_ptr, words_ptr, low_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    # A byte tensor read as 32-bit words, the last one masked off.
    words = bytes_ptr.to(tl.pointer_type(tl.int32))
    tl.store(words_ptr + offs, tl.load(words + offs, mask=offs < N - 1, other=-1))
    # A float tensor's low halves read as 16-bit integers, then its high
    # halves written with them.
    halves = floats_ptr.to(tl.pointer_type(tl.int16))
    low = tl.load(halves + 2 * offs)
    tl.store(low_ptr + offs, low)
    tl.store(halves + 2 * offs + 1, low)


def test_loads_and_stores_through_a_pointer_cast_to_another_width():
    """A pointer cast to an element type of another width reads and writes
    the argument's bytes at its address (element by element)."""
    n = 16
    data = torch.arange(4 * n, dtype=torch.uint8)
    floats = torch.randn(n)
    before = floats.clone()
    words = torch.zeros(n, dtype=torch.int32)
    low = torch.zeros(n, dtype=torch.int16)
    _through_other_widths[(1,)](data, floats, words, low, N=n)
    expected = data.view(torch.int32).clone()
    expected[-1] = -1
    assert torch.equal(words, expected)
    halves = before.view(torch.int16).view(n, 2)
    assert torch.equal(low, halves[:, 0])
    assert torch.equal(floats.view(torch.int16).view(n, 2), halves[:, [0, 0]])


# --------------------------------------------------------------------------
# float8e4b15: sign, 4 exponent bits with bias 15, 3 mantissa bits
# --------------------------------------------------------------------------


def _e4b15_value(code: int) -> float:
    sign = -1.0 if code & 0x80 else 1.0
    exponent, mantissa = (code >> 3) & 0xF, code & 0x7
    if exponent == 0:
        return sign * mantissa / 8 * 2.0**-14
    return sign * (1 + mantissa / 8) * 2.0 ** (exponent - 15)


@triton.jit
def _widen_e4b15(x_ptr, out_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    tl.store(out_ptr + offs, tl.load(x_ptr + offs).to(out_ptr.dtype.element_ty))


@pytest.mark.parametrize("dtype", [torch.float16, torch.float32, torch.float64])
def test_float8e4b15_widens_exactly(dtype):
    codes = torch.arange(256, dtype=torch.int32).to(torch.uint8)
    out = torch.empty(256, dtype=dtype)
    _widen_e4b15[(1,)](triton.reinterpret(codes, tl.float8e4b15), out, N=256)
    ref = torch.tensor([_e4b15_value(c) for c in range(256)], dtype=torch.float64)
    assert torch.equal(out.double(), ref)
    # -0.0 keeps its sign.
    assert torch.signbit(out[0x80]) and out[0x80] == 0


@triton.jit
def _dot_e4b15(a_ptr, b_ptr, out_ptr, N: tl.constexpr):
    rows = tl.arange(0, N)[:, None] * N
    cols = tl.arange(0, N)[None, :]
    a = tl.load(a_ptr + rows + cols)
    b = tl.load(b_ptr + rows + cols)
    tl.store(out_ptr + rows + cols, tl.dot(a, b))


def test_float8e4b15_dot():
    """The front end widens float8e4b15 dot operands to fp16 through the
    lane's conversion; the dot accumulates in f32."""
    n = 16
    gen = torch.Generator().manual_seed(3)
    a = torch.randint(0, 256, (n, n), generator=gen, dtype=torch.int32).to(torch.uint8)
    b = torch.randint(0, 256, (n, n), generator=gen, dtype=torch.int32).to(torch.uint8)
    out = torch.empty(n, n)
    _dot_e4b15[(1,)](
        triton.reinterpret(a, tl.float8e4b15), triton.reinterpret(b, tl.float8e4b15), out, N=n
    )
    table = torch.tensor([_e4b15_value(c) for c in range(256)], dtype=torch.float64)
    ref = table[a.long()] @ table[b.long()]
    torch.testing.assert_close(out.double(), ref, rtol=1e-6, atol=1e-9)


@triton.jit
def _narrow_to_e4b15(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    tl.store(out_ptr + offs, tl.load(x_ptr + offs, mask=mask).to(tl.float8e4b15), mask=mask)


def _e4b15_from_f16(half: torch.Tensor) -> torch.Tensor:
    """Triton's NVIDIA recipe, bit by bit: the fp16 magnitude capped at
    1.75 (0x3F00), doubled, plus 0x80, its upper byte; the sign kept."""
    bits = half.view(torch.int16).to(torch.int32) & 0xFFFF
    magnitude = torch.clamp(bits & 0x7FFF, max=0x3F00)
    return (((magnitude * 2 + 0x80) >> 8) | ((bits & 0x8000) >> 8)).to(torch.uint8)


@pytest.mark.parametrize("dtype", [torch.float16, torch.float32, torch.bfloat16])
def test_float8e4b15_narrows_as_the_nvidia_lane(dtype):
    from test_cpu_fixes import _f32_to_f16_rtz

    gen = torch.Generator().manual_seed(4)
    x = torch.randn(2048, generator=gen) * torch.logspace(-6, 1, 2048)
    special = [0.0, -0.0, 1.75, 1.8125, 1.875, 2.0, -7.0, float("inf"), -float("inf")]
    special += [float("nan"), 2.0**-14, 2.0**-20, 3 * 2.0**-22, 1.0 + 2.0**-4, 1.0 + 3 * 2.0**-4]
    x = torch.cat([x, torch.tensor(special)]).to(dtype)
    out = torch.empty(x.numel(), dtype=torch.uint8)
    n = x.numel()
    _narrow_to_e4b15[(triton.cdiv(n, 512),)](
        x, triton.reinterpret(out, tl.float8e4b15), n, BLOCK=512
    )
    half = x if dtype == torch.float16 else _f32_to_f16_rtz(x.float())
    assert torch.equal(out, _e4b15_from_f16(half))
    # Every code below 1.875 comes back as itself.
    codes = torch.tensor([c for c in range(256) if c & 0x7F != 0x7F], dtype=torch.uint8)
    values = torch.tensor([_e4b15_value(int(c)) for c in codes], dtype=dtype)
    back = torch.empty(codes.numel(), dtype=torch.uint8)
    _narrow_to_e4b15[(1,)](
        values, triton.reinterpret(back, tl.float8e4b15), codes.numel(), BLOCK=256
    )
    assert torch.equal(back, codes)


@triton.jit
def _narrow_f64_to_e4b15(x_ptr, out_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    tl.store(out_ptr + offs, tl.load(x_ptr + offs).to(tl.float8e4b15).to(tl.float32))


def test_float8e4b15_from_f64_is_a_located_error():
    x, out = torch.zeros(8, dtype=torch.float64), torch.empty(8)
    with pytest.raises(triton.CompilationError) as info:
        _narrow_f64_to_e4b15[(1,)](x, out, N=8)
    text = str(info.value)
    assert "float8e4b15 converts from fp16, bf16 and fp32" in text
    assert "to(tl.float8e4b15)" in text


# --------------------------------------------------------------------------
# pointers as integers (tt.ptr_to_int)
# --------------------------------------------------------------------------


@triton.jit
def _addresses(x_ptr, out_ptr, base_ptr, aligned_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    pointers = x_ptr + offs
    tl.store(out_ptr + offs, pointers.to(tl.int64))
    tl.store(base_ptr, x_ptr.to(tl.int64, bitcast=True))
    tl.store(aligned_ptr + offs, (pointers.to(tl.int64) % 16 == 0).to(tl.int8))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.int8, torch.bool])
def test_a_pointer_as_an_integer_is_its_address(dtype):
    """A pointer converted to an integer is the address the GPU lanes would
    give: the tensor's own (a view into the middle of a storage here) plus
    the offset in bytes of its element type."""
    storage = torch.zeros(64, dtype=dtype)
    x = storage[5:]
    out = torch.zeros(16, dtype=torch.int64)
    base = torch.zeros(1, dtype=torch.int64)
    aligned = torch.zeros(16, dtype=torch.int8)
    _addresses[(1,)](x, out, base, aligned, N=16)
    expected = x.data_ptr() + torch.arange(16) * x.element_size()
    assert torch.equal(out, expected)
    assert base.item() == x.data_ptr()
    assert torch.equal(aligned, (expected % 16 == 0).to(torch.int8))


@triton.jit
def _choose(cond_ptr, a_ptr, b_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    mask = offs < n
    # Integers made pointers, chosen between, and stored back as integers.
    a = tl.load(a_ptr + offs, mask=mask).to(tl.pointer_type(tl.int32))
    b = tl.load(b_ptr + offs, mask=mask).to(tl.pointer_type(tl.int32))
    tl.store(out_ptr + offs, tl.where(tl.load(cond_ptr + offs, mask=mask), a, b), mask=mask)


def test_pointers_made_from_integers_are_addresses():
    n = 1000
    cond = torch.rand(n) > 0.5
    a, b = torch.randint(0, 2**47, (n,)), torch.randint(0, 2**47, (n,))
    out = torch.zeros(1024, dtype=torch.int64)
    _choose[(1,)](cond, a, b, out, n, BLOCK=1024)
    assert torch.equal(out[:n], torch.where(cond, a, b))
    assert not out[n:].any(), "masked-off elements stay untouched"


@triton.jit
def _through_table(table_ptr, out_ptr, n, N: tl.constexpr):
    # One row per program, found through a table of addresses.
    g = tl.program_id(0)
    row = tl.load(table_ptr + g).to(tl.pointer_type(tl.float32))
    offs = tl.arange(0, N)
    x = tl.load(row + offs, mask=offs < n, other=-1.0)
    tl.store(out_ptr + g * N + offs, x * 2)
    # Written back through the same address, as 16-bit halves (another
    # width: pointers made from integers are byte addresses).
    halves = row.to(tl.pointer_type(tl.int16))
    tl.store(halves + 2 * offs + 1, tl.zeros((N,), tl.int16), mask=offs < n)


def test_loads_and_stores_through_a_table_of_addresses():
    rows = [torch.randn(40) for _ in range(3)]
    originals = [r.clone() for r in rows]
    table = torch.tensor([r.data_ptr() for r in rows], dtype=torch.int64)
    out = torch.zeros(3 * 64)
    _through_table[(3,)](table, out, 37, N=64)
    for g, (row, original) in enumerate(zip(rows, originals, strict=True)):
        expected = torch.full((64,), -2.0)
        expected[:37] = original[:37] * 2
        assert torch.equal(out[g * 64 : (g + 1) * 64], expected)
        # The upper halves of the first 37 floats cleared, the rest kept.
        kept = original.view(torch.int32).clone()
        kept[:37] &= 0xFFFF
        assert torch.equal(row.view(torch.int32), kept)


@triton.jit
def _scale_through_table(table_ptr, sizes_ptr, counters_ptr, BLOCK: tl.constexpr):
    # One tensor per program, found through a table of addresses (as
    # multi-tensor kernels do): structured accesses through one pointer.
    g = tl.program_id(0)
    p = tl.load(table_ptr + g).to(tl.pointer_type(tl.float32))
    n = tl.load(sizes_ptr + g)
    for start in range(0, n, BLOCK):
        offs = start + tl.arange(0, BLOCK)
        m = offs < n
        tl.store(p + offs, tl.load(p + offs, mask=m) * 0.5 + 1.0, mask=m)
    counter = tl.load(counters_ptr + g).to(tl.pointer_type(tl.int32))
    tl.atomic_add(counter, n)


def test_a_pointer_made_from_one_integer_is_accessed_like_an_argument(tmp_path, monkeypatch):
    monkeypatch.setenv("FLAGTREE_CPU_DUMP", str(tmp_path))
    sizes = [1000, 37, 4096, 130]
    tensors = [torch.randn(n + 16) for n in sizes]
    originals = [t.clone() for t in tensors]
    counts = torch.zeros(len(sizes), dtype=torch.int32)
    table = torch.tensor([t.data_ptr() for t in tensors], dtype=torch.int64)
    counters = counts.data_ptr() + torch.arange(len(sizes)) * 4
    _scale_through_table[(len(sizes),)](
        table, torch.tensor(sizes, dtype=torch.int32), counters, BLOCK=256
    )
    for n, t, original in zip(sizes, tensors, originals, strict=True):
        assert torch.equal(t[:n], original[:n] * 0.5 + 1.0)
        assert torch.equal(t[n:], original[n:]), "masked-off elements stay untouched"
    assert torch.equal(counts, torch.tensor(sizes, dtype=torch.int32))
    # A memref at the address: tiles and vector accesses, no element-wise
    # llvm.load / llvm.store.
    lowered = (tmp_path / "_scale_through_table.passes.mlir").read_text().split("// -----//")[1]
    assert "builtin.unrealized_conversion_cast" in lowered
    assert "llvm.load" not in lowered and "llvm.store" not in lowered


@triton.jit
def _grouped_dot(table_ptr, b_ptr, c_ptr, K: tl.constexpr, BM: tl.constexpr, BK: tl.constexpr):
    # A grouped matmul: each group's A found through the table, its
    # pointers advanced by the loop.
    g = tl.program_id(0)
    rm = tl.arange(0, BM)
    rk = tl.arange(0, BK)
    a_ptrs = tl.load(table_ptr + g).to(tl.pointer_type(tl.float32))
    a_ptrs = a_ptrs + rm[:, None] * K + rk[None, :]
    b_ptrs = b_ptr + rk[:, None] * BM + rm[None, :]
    acc = tl.zeros((BM, BM), tl.float32)
    for _ in range(0, K, BK):
        acc += tl.dot(tl.load(a_ptrs), tl.load(b_ptrs))
        a_ptrs += BK
        b_ptrs += BK * BM
    tl.store(c_ptr + g * BM * BM + rm[:, None] * BM + rm[None, :], acc)


@triton.jit
def _walk_a_list(next_ptr, out_ptr, STEPS: tl.constexpr):
    # Each step's pointer is made from an integer read through the last
    # one: a loop that replaces its pointer, taken element by element.
    p = tl.load(next_ptr).to(tl.pointer_type(tl.int64))
    for i in range(STEPS):
        tl.store(out_ptr + i, tl.load(p + 1))
        p = tl.load(p).to(tl.pointer_type(tl.int64))


def test_pointers_made_from_integers_carried_by_loops(tmp_path, monkeypatch):
    monkeypatch.setenv("FLAGTREE_CPU_DUMP", str(tmp_path))
    groups, bm, k = 3, 16, 64
    a = [torch.randn(bm, k) for _ in range(groups)]
    b = torch.randn(k, bm)
    c = torch.empty(groups, bm, bm)
    table = torch.tensor([t.data_ptr() for t in a], dtype=torch.int64)
    _grouped_dot[(groups,)](table, b, c, K=k, BM=bm, BK=16)
    for g in range(groups):
        torch.testing.assert_close(c[g], a[g] @ b, rtol=1e-5, atol=1e-4)
    lowered = (tmp_path / "_grouped_dot.passes.mlir").read_text().split("// -----//")[1]
    assert "llvm.load" not in lowered, "advanced by the loop, still a memref"
    # A list of nodes (next address, value): the loop replaces its pointer.
    nodes = torch.zeros(4, 2, dtype=torch.int64)
    for i in range(4):
        nodes[i, 0] = nodes[(i + 1) % 4].data_ptr()
        nodes[i, 1] = 10 * i
    start = torch.tensor([nodes[0].data_ptr()], dtype=torch.int64)
    out = torch.zeros(6, dtype=torch.int64)
    _walk_a_list[(1,)](start, out, STEPS=6)
    assert torch.equal(out, torch.tensor([0, 10, 20, 30, 0, 10]))


@triton.jit
def _atomics_through_addresses(addresses_ptr, old_ptr, n, N: tl.constexpr):
    offs = tl.arange(0, N)
    mask = offs < n
    pointers = tl.load(addresses_ptr + offs, mask=mask).to(tl.pointer_type(tl.int32))
    # Several lanes share an address: each add happens once, atomically.
    tl.atomic_add(pointers, 1, mask=mask)
    tl.store(old_ptr + offs, tl.atomic_max(pointers, offs, mask=mask), mask=mask)


def test_atomics_through_pointers_made_from_integers():
    counts = torch.zeros(16, dtype=torch.int32)
    n = 50
    which = torch.arange(64) % 16
    addresses = counts.data_ptr() + which * 4
    old = torch.full((64,), -7, dtype=torch.int32)
    _atomics_through_addresses[(1,)](addresses, old, n, N=64)
    hits = torch.bincount(which[:n], minlength=16).int()
    # After the adds, each count held its hits; the max then raised it to
    # the largest lane index that reached it where that is larger.
    largest = torch.zeros(16, dtype=torch.int64).scatter_reduce(
        0, which[:n], torch.arange(n), "amax", include_self=False
    )
    assert torch.equal(counts, torch.maximum(hits, largest.int()))
    assert bool((old[:n] >= hits[which[:n]]).all())
    assert torch.equal(old[n:], torch.full((14,), -7, dtype=torch.int32)), "masked lanes"


@triton.jit
def _words_swapped(bytes_ptr, old_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    words = bytes_ptr.to(tl.pointer_type(tl.int32)) + offs
    # The bytes' words, compared and swapped (another width: by address).
    seen = tl.atomic_cas(words, tl.full((N,), 0x04030201, tl.int32), offs)
    tl.store(old_ptr + offs, seen)


def test_an_atomic_through_a_pointer_cast_to_another_width():
    data = torch.arange(1, 65, dtype=torch.uint8)
    data[4:8] = 9  # the second word differs: no swap there
    expected_old = data.view(torch.int32).clone()
    old = torch.zeros(16, dtype=torch.int32)
    _words_swapped[(1,)](data, old, N=16)
    assert torch.equal(old, expected_old)
    words = data.view(torch.int32)
    assert words[0] == 0 and words[1] == expected_old[1]
    assert torch.equal(words[2:], expected_old[2:])
