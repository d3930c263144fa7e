"""The triton.language surface on the CPU lane, one test per primitive.

Every kernel is launched as users launch it, `kernel[grid](cpu tensors)`,
and compared with torch or numpy (exact for integers, bit patterns and data
movement). docs/cpu-lane.md cites these tests in its coverage matrix.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import triton
import triton.language as tl
from triton.language.extra import libdevice

INT_TYPES = {
    "int8": (torch.int8, tl.int8),
    "int16": (torch.int16, tl.int16),
    "int32": (torch.int32, tl.int32),
    "int64": (torch.int64, tl.int64),
    "uint8": (torch.uint8, tl.uint8),
    "uint16": (torch.uint16, tl.uint16),
    "uint32": (torch.uint32, tl.uint32),
    "uint64": (torch.uint64, tl.uint64),
}


def _np(t: torch.Tensor) -> np.ndarray:
    return t.numpy()


def _random_ints(
    n: int, name: str, low: int | None = None, high: int | None = None
) -> torch.Tensor:
    info = np.iinfo(np.dtype(name))
    low = info.min if low is None else low
    high = info.max if high is None else high
    rng = np.random.default_rng(0)
    return torch.from_numpy(rng.integers(low, high, size=n, dtype=np.dtype(name), endpoint=True))


# --------------------------------------------------------------------------
# Memory
# --------------------------------------------------------------------------


@triton.jit
def masked_copy_kernel(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs, mask=offs < n, other=-7.0)
    tl.store(out_ptr + offs, x, mask=offs < n + 3)


@pytest.mark.parametrize("n", [1, 37, 64, 100])
def test_load_store_mask_other(n):
    x = torch.randn(n)
    out = torch.full((n + 3,), 5.0)
    masked_copy_kernel[(triton.cdiv(n + 3, 32),)](x, out, n, BLOCK=32)
    expected = torch.cat([x, torch.full((3,), -7.0)])
    assert torch.equal(out, expected)


@triton.jit
def modifiers_kernel(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    a = tl.load(x_ptr + offs, mask=m, cache_modifier=".ca", eviction_policy="evict_last")
    b = tl.load(x_ptr + offs, mask=m, cache_modifier=".cg", eviction_policy="evict_first")
    c = tl.load(x_ptr + offs, mask=m, cache_modifier=".cv", volatile=True)
    tl.store(out_ptr + offs, a, mask=m, cache_modifier=".wb")
    tl.store(out_ptr + n + offs, b * 2, mask=m, cache_modifier=".cs", eviction_policy="evict_last")
    tl.store(out_ptr + 2 * n + offs, c * 3, mask=m, cache_modifier=".wt")


def test_cache_eviction_volatile_modifiers():
    n = 77
    x = torch.randn(n)
    out = torch.empty(3 * n)
    modifiers_kernel[(triton.cdiv(n, 32),)](x, out, n, BLOCK=32)
    assert torch.equal(out, torch.cat([x, x * 2, x * 3]))


@triton.jit
def block_ptr_kernel(x_ptr, out_ptr, M, N, PAD: tl.constexpr, BM: tl.constexpr, BN: tl.constexpr):
    pm = tl.program_id(0)
    src = tl.make_block_ptr(
        x_ptr,
        shape=(M, N),
        strides=(N, 1),
        offsets=(pm * BM, 0),
        block_shape=(BM, BN),
        order=(1, 0),
    )
    dst = tl.make_block_ptr(
        out_ptr,
        shape=(M, N),
        strides=(N, 1),
        offsets=(pm * BM, 0),
        block_shape=(BM, BN),
        order=(1, 0),
    )
    for _ in range(0, tl.cdiv(N, BN)):
        if PAD == "zero":
            tile = tl.load(src, boundary_check=(0, 1), padding_option="zero")
        else:
            tile = tl.load(src, boundary_check=(0, 1), padding_option="nan")
        tl.store(dst, tile * 2.0, boundary_check=(0, 1))
        src = tl.advance(src, (0, BN))
        dst = tl.advance(dst, (0, BN))


@triton.jit
def block_ptr_padding_kernel(
    x_ptr, out_ptr, M, N, PAD: tl.constexpr, BM: tl.constexpr, BN: tl.constexpr
):
    src = tl.make_block_ptr(
        x_ptr, shape=(M, N), strides=(N, 1), offsets=(0, 0), block_shape=(BM, BN), order=(1, 0)
    )
    if PAD == "zero":
        tile = tl.load(src, boundary_check=(0, 1), padding_option="zero")
    else:
        tile = tl.load(src, boundary_check=(0, 1), padding_option="nan")
    rows = tl.arange(0, BM)[:, None]
    cols = tl.arange(0, BN)[None, :]
    tl.store(out_ptr + rows * BN + cols, tile)


@pytest.mark.parametrize("pad", ["zero", "nan"])
@pytest.mark.parametrize(("M", "N"), [(16, 32), (13, 27), (5, 40)])
def test_block_ptr_boundary_check_advance(pad, M, N):
    x = torch.randn(M, N)
    out = torch.full((M, N), 9.0)
    block_ptr_kernel[(triton.cdiv(M, 8),)](x, out, M, N, PAD=pad, BM=8, BN=16)
    assert torch.equal(out, x * 2)  # the store's boundary check drops the padded elements


@pytest.mark.parametrize("pad", ["zero", "nan"])
def test_block_ptr_padding_option(pad):
    M, N, BM, BN = 5, 6, 8, 8
    x = torch.randn(M, N)
    out = torch.empty(BM, BN)
    block_ptr_padding_kernel[(1,)](x, out, M, N, PAD=pad, BM=BM, BN=BN)
    expected = torch.full((BM, BN), 0.0 if pad == "zero" else float("nan"))
    expected[:M, :N] = x
    torch.testing.assert_close(out, expected, rtol=0, atol=0, equal_nan=True)


@triton.jit
def descriptor_kernel(x_ptr, out_ptr, M, N, BM: tl.constexpr, BN: tl.constexpr):
    src_desc = tl.make_tensor_descriptor(x_ptr, shape=[M, N], strides=[N, 1], block_shape=[BM, BN])
    dst_desc = tl.make_tensor_descriptor(
        out_ptr, shape=[M, N], strides=[N, 1], block_shape=[BM, BN]
    )
    pm = tl.program_id(0) * BM
    pn = tl.program_id(1) * BN
    tile = src_desc.load([pm, pn])
    dst_desc.store([pm, pn], tile * 2.0 + 1.0)


@pytest.mark.parametrize(("M", "N"), [(16, 32), (19, 45)])
def test_tensor_descriptor_load_store(M, N):
    x = torch.randn(M, N)
    out = torch.zeros(M, N)
    descriptor_kernel[(triton.cdiv(M, 8), triton.cdiv(N, 16))](x, out, M, N, BM=8, BN=16)
    torch.testing.assert_close(out, x * 2 + 1, rtol=0, atol=0)


@triton.jit
def hints_kernel(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    start = tl.multiple_of(tl.program_id(0) * BLOCK, BLOCK)
    offs = tl.max_contiguous(tl.multiple_of(start + tl.arange(0, BLOCK), BLOCK), BLOCK)
    x = tl.load(x_ptr + offs, mask=offs < n)
    first = tl.max_constancy(tl.load(x_ptr + start + tl.zeros((BLOCK,), tl.int32)), BLOCK)
    tl.store(out_ptr + offs, x + first, mask=offs < n)


def test_multiple_of_max_contiguous_max_constancy():
    n = 96
    x = torch.randn(n)
    out = torch.empty(n)
    hints_kernel[(triton.cdiv(n, 32),)](x, out, n, BLOCK=32)
    torch.testing.assert_close(out, x + x[(torch.arange(n) // 32) * 32], rtol=0, atol=0)


@triton.jit
def assume_kernel(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
    tl.assume(n > 0)
    tl.assume(n % 16 == 0)
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    tl.store(out_ptr + offs, tl.load(x_ptr + offs, mask=offs < n) + 1.0, mask=offs < n)


def test_assume():
    n = 48
    x = torch.randn(n)
    out = torch.empty(n)
    assume_kernel[(2,)](x, out, n, BLOCK=32)
    assert torch.equal(out, x + 1)


# --------------------------------------------------------------------------
# Creation and shape
# --------------------------------------------------------------------------


@triton.jit
def creation_kernel(x_ptr, out_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    a = tl.full((N,), 3, tl.int32)
    z = tl.zeros((N,), tl.float32)
    zl = tl.zeros_like(x)
    tl.store(out_ptr + offs, x + a.to(tl.float32) + z + zl * 2.0 + offs.to(tl.float32))


@pytest.mark.parametrize("N", [1, 16, 128])
def test_arange_full_zeros_zeros_like(N):
    x = torch.randn(N)
    out = torch.empty(N)
    creation_kernel[(1,)](x, out, N=N)
    torch.testing.assert_close(out, x + 3 + torch.arange(N).float(), rtol=0, atol=0)


@triton.jit
def reshape_kernel(x_ptr, out_ptr, R: tl.constexpr, C: tl.constexpr, OP: tl.constexpr):
    rows = tl.arange(0, R)[:, None]
    cols = tl.arange(0, C)[None, :]
    x = tl.load(x_ptr + rows * C + cols)
    if OP == "reshape":
        y = tl.reshape(x, (R * C,))
    elif OP == "view":
        y = tl.view(x, (R * C,))
    else:
        y = tl.ravel(x)
    tl.store(out_ptr + tl.arange(0, R * C), y)


@pytest.mark.filterwarnings("ignore:view is deprecated")  # Triton's, for tl.view itself
@pytest.mark.parametrize("op", ["reshape", "view", "ravel"])
@pytest.mark.parametrize(("R", "C"), [(4, 8), (16, 2)])
def test_reshape_view_ravel(op, R, C):
    x = torch.randn(R, C)
    out = torch.empty(R * C)
    reshape_kernel[(1,)](x, out, R=R, C=C, OP=op)
    if op == "view":  # tl.view may reorder elements: compare as multisets
        assert torch.equal(out.sort().values, x.flatten().sort().values)
    else:
        assert torch.equal(out, x.flatten())


@triton.jit
def reshape_2d_kernel(x_ptr, out_ptr, R: tl.constexpr, C: tl.constexpr):
    offs = tl.arange(0, R * C)
    x = tl.reshape(tl.load(x_ptr + offs), (R, C))
    s = tl.sum(x, axis=1)
    tl.store(out_ptr + tl.arange(0, R), s)


def test_reshape_to_2d_then_reduce():
    x = torch.randn(32)
    out = torch.empty(4)
    reshape_2d_kernel[(1,)](x, out, R=4, C=8)
    torch.testing.assert_close(out, x.view(4, 8).sum(1), rtol=1e-6, atol=1e-6)


@triton.jit
def broadcast_kernel(r_ptr, c_ptr, out_ptr, R: tl.constexpr, C: tl.constexpr, OP: tl.constexpr):
    r = tl.load(r_ptr + tl.arange(0, R))
    c = tl.load(c_ptr + tl.arange(0, C))
    if OP == "broadcast":
        a, b = tl.broadcast(r[:, None], c[None, :])
        y = a * 10 + b
    elif OP == "broadcast_to":
        y = tl.broadcast_to(tl.expand_dims(r, 1), (R, C)) * 10 + tl.broadcast_to(c[None, :], (R, C))
    else:  # indexing with None and full slices
        y = r[:, None] * 10 + c[None, :]
    rows = tl.arange(0, R)[:, None]
    cols = tl.arange(0, C)[None, :]
    tl.store(out_ptr + rows * C + cols, y)


@pytest.mark.parametrize("op", ["broadcast", "broadcast_to", "indexing"])
def test_broadcast_expand_dims_indexing(op):
    R, C = 8, 16
    r, c = torch.randn(R), torch.randn(C)
    out = torch.empty(R, C)
    broadcast_kernel[(1,)](r, c, out, R=R, C=C, OP=op)
    torch.testing.assert_close(out, r[:, None] * 10 + c[None, :], rtol=0, atol=0)


@triton.jit
def permute_kernel(
    x_ptr, out_ptr, A: tl.constexpr, B: tl.constexpr, C: tl.constexpr, OP: tl.constexpr
):
    i = tl.arange(0, A)[:, None, None]
    j = tl.arange(0, B)[None, :, None]
    k = tl.arange(0, C)[None, None, :]
    x = tl.load(x_ptr + i * B * C + j * C + k)
    if OP == "permute":
        y = tl.permute(x, (2, 0, 1))
        ci = tl.arange(0, C)[:, None, None]
        ai = tl.arange(0, A)[None, :, None]
        bi = tl.arange(0, B)[None, None, :]
        tl.store(out_ptr + ci * A * B + ai * B + bi, y)
    else:
        y2 = tl.trans(tl.reshape(x, (A * B, C)))
        r = tl.arange(0, C)[:, None]
        s = tl.arange(0, A * B)[None, :]
        tl.store(out_ptr + r * A * B + s, y2)


@pytest.mark.parametrize("op", ["permute", "trans"])
def test_permute_trans(op):
    A, B, C = 2, 4, 8
    x = torch.randn(A, B, C)
    out = torch.empty(A * B * C)
    permute_kernel[(1,)](x, out, A=A, B=B, C=C, OP=op)
    ref = x.permute(2, 0, 1) if op == "permute" else x.reshape(A * B, C).t()
    assert torch.equal(out, ref.flatten())


@triton.jit
def flip_kernel(x_ptr, out_ptr, R: tl.constexpr, C: tl.constexpr, DIM: tl.constexpr):
    rows = tl.arange(0, R)[:, None]
    cols = tl.arange(0, C)[None, :]
    x = tl.load(x_ptr + rows * C + cols)
    tl.store(out_ptr + rows * C + cols, tl.flip(x, DIM))


@pytest.mark.parametrize("dim", [0, 1])
@pytest.mark.parametrize("dtype", [torch.float32, torch.int32])
def test_flip(dim, dtype):
    R, C = 4, 16
    x = (torch.randn(R, C) * 100).to(dtype)
    out = torch.empty_like(x)
    flip_kernel[(1,)](x, out, R=R, C=C, DIM=dim)
    assert torch.equal(out, x.flip(dim))


@triton.jit
def where_clamp_cdiv_kernel(x_ptr, lo_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    x = tl.load(x_ptr + offs, mask=m)
    lo = tl.load(lo_ptr + offs, mask=m)
    y = tl.where(x > 0, x, x * 0.5)
    y = tl.clamp(y, lo, lo + 1.0)
    blocks = tl.cdiv(n, BLOCK)
    tl.store(out_ptr + offs, y + blocks, mask=m)


def test_where_clamp_cdiv():
    n = 75
    x, lo = torch.randn(n), torch.randn(n) - 0.5
    out = torch.empty(n)
    where_clamp_cdiv_kernel[(triton.cdiv(n, 32),)](x, lo, out, n, BLOCK=32)
    y = torch.where(x > 0, x, x * 0.5)
    ref = torch.minimum(torch.maximum(y, lo), lo + 1.0) + 3
    torch.testing.assert_close(out, ref, rtol=0, atol=0)


# --------------------------------------------------------------------------
# Arithmetic and math
# --------------------------------------------------------------------------


@triton.jit
def float_ops_kernel(x_ptr, y_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    x = tl.load(x_ptr + offs, mask=m)
    y = tl.load(y_ptr + offs, mask=m)
    tl.store(out_ptr + offs, x + y, mask=m)
    tl.store(out_ptr + n + offs, x - y, mask=m)
    tl.store(out_ptr + 2 * n + offs, x * y, mask=m)
    tl.store(out_ptr + 3 * n + offs, x / y, mask=m)
    tl.store(out_ptr + 4 * n + offs, x % y, mask=m)
    tl.store(out_ptr + 5 * n + offs, -x, mask=m)
    tl.store(out_ptr + 6 * n + offs, tl.abs(y), mask=m)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.float16])
def test_float_binary_and_unary_ops(dtype):
    n = 130
    x = (torch.randn(n) * 10).to(dtype)
    y = (torch.randn(n) * 3).to(dtype)
    out = torch.empty(7 * n, dtype=dtype)
    float_ops_kernel[(triton.cdiv(n, 64),)](x, y, out, n, BLOCK=64)
    xf, yf = x.double(), y.double()
    # the float remainder is C's fmod: it takes the dividend's sign
    ref = [xf + yf, xf - yf, xf * yf, xf / yf, torch.fmod(xf, yf), -xf, yf.abs()]
    tol = {torch.float16: 2e-2, torch.float32: 1e-5, torch.float64: 1e-12}[dtype]
    got = out.double().view(7, n)
    for k, r in enumerate(ref):
        torch.testing.assert_close(got[k], r.to(dtype).double(), rtol=tol, atol=tol, msg=f"op {k}")


@triton.jit
def int_ops_kernel(x_ptr, y_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    x = tl.load(x_ptr + offs, mask=m)
    y = tl.load(y_ptr + offs, mask=m, other=1)
    tl.store(out_ptr + offs, x + y, mask=m)
    tl.store(out_ptr + n + offs, x - y, mask=m)
    tl.store(out_ptr + 2 * n + offs, x * y, mask=m)
    tl.store(out_ptr + 3 * n + offs, x // y, mask=m)
    tl.store(out_ptr + 4 * n + offs, x % y, mask=m)
    tl.store(out_ptr + 5 * n + offs, x & y, mask=m)
    tl.store(out_ptr + 6 * n + offs, x | y, mask=m)
    tl.store(out_ptr + 7 * n + offs, x ^ y, mask=m)
    tl.store(out_ptr + 8 * n + offs, ~x, mask=m)
    tl.store(out_ptr + 9 * n + offs, -x, mask=m)


def _c_reference(x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    """Two's complement, wrapping arithmetic; division rounds toward zero
    and the remainder takes the dividend's sign, as in C."""
    q = np.array([_c_div(int(a), int(b)) for a, b in zip(x, y, strict=True)], dtype=object)
    r = np.array(
        [int(a) - int(q_) * int(b) for a, b, q_ in zip(x, y, q, strict=True)], dtype=object
    )
    neg = _wrap(-x.astype(object), x.dtype)
    ref = [x + y, x - y, x * y, _wrap(q, x.dtype), _wrap(r, x.dtype), x & y, x | y, x ^ y, ~x, neg]
    return ref


def _c_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _wrap(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    bits = np.dtype(dtype).itemsize * 8
    out = []
    for v in values:
        v = int(v) % (1 << bits)
        if np.issubdtype(dtype, np.signedinteger) and v >= 1 << (bits - 1):
            v -= 1 << bits
        out.append(v)
    return np.array(out, dtype=dtype)


@pytest.mark.parametrize("name", sorted(INT_TYPES))
def test_integer_arithmetic_c_semantics_and_overflow(name):
    """+ - * // % & | ^ ~ and unary - on every integer type, over the whole
    value range: sums and products wrap around, division truncates."""
    torch_t, _ = INT_TYPES[name]
    n = 200
    x = _random_ints(n, name)
    yn = _np(_random_ints(n, name)).copy()
    yn[yn == 0] = 3
    if name.startswith("int"):  # MIN // -1 overflows in C: keep it out
        info = np.iinfo(np.dtype(name))
        yn[(_np(x) == info.min) & (yn == -1)] = 2
    y = torch.from_numpy(yn)
    out = torch.empty(10 * n, dtype=torch_t)
    int_ops_kernel[(triton.cdiv(n, 64),)](x, y, out, n, BLOCK=64)
    got = _np(out).reshape(10, n)
    for k, ref in enumerate(_c_reference(_np(x), _np(y))):
        np.testing.assert_array_equal(
            got[k], ref.astype(np.dtype(name)), err_msg=f"op {k} of {name}"
        )


@triton.jit
def shift_compare_kernel(x_ptr, s_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    x = tl.load(x_ptr + offs, mask=m)
    s = tl.load(s_ptr + offs, mask=m)
    tl.store(out_ptr + offs, x << s, mask=m)
    tl.store(out_ptr + n + offs, x >> s, mask=m)
    y = tl.flip(x, 0)
    cmp = (
        (x == y).to(x.dtype)
        + (x != y).to(x.dtype) * 2
        + (x < y).to(x.dtype) * 4
        + (x <= y).to(x.dtype) * 8
        + (x > y).to(x.dtype) * 16
        + (x >= y).to(x.dtype) * 32
    )
    tl.store(out_ptr + 2 * n + offs, cmp, mask=m)


@pytest.mark.parametrize("name", sorted(INT_TYPES))
def test_shifts_and_comparisons(name):
    """<< and >> (arithmetic for signed, logical for unsigned) and the six
    comparisons, with signed/unsigned ordering."""
    torch_t, _ = INT_TYPES[name]
    bits = np.dtype(name).itemsize * 8
    n = 64
    xn = _np(_random_ints(n, name)).copy()
    xn[:8] = xn[-8:][::-1]  # some equal pairs
    x = torch.from_numpy(xn)
    s = _random_ints(n, name, 0, bits - 1)
    out = torch.empty(3 * n, dtype=torch_t)
    shift_compare_kernel[(1,)](x, s, out, n, BLOCK=n)
    xn, sn = _np(x), _np(s)
    yn = xn[::-1]
    got = _np(out).reshape(3, n)
    with np.errstate(over="ignore"):
        np.testing.assert_array_equal(got[0], (xn << sn).astype(np.dtype(name)))
    np.testing.assert_array_equal(got[1], xn >> sn)
    cmp = (
        (xn == yn) * 1
        + (xn != yn) * 2
        + (xn < yn) * 4
        + (xn <= yn) * 8
        + (xn > yn) * 16
        + (xn >= yn) * 32
    )
    np.testing.assert_array_equal(got[2], cmp.astype(np.dtype(name)))


@triton.jit
def nan_minmax_kernel(x_ptr, y_ptr, out_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    y = tl.load(y_ptr + offs)
    tl.store(out_ptr + offs, tl.minimum(x, y, propagate_nan=tl.PropagateNan.ALL))
    tl.store(out_ptr + N + offs, tl.maximum(x, y, propagate_nan=tl.PropagateNan.ALL))
    tl.store(out_ptr + 2 * N + offs, tl.minimum(x, y))
    tl.store(out_ptr + 3 * N + offs, tl.maximum(x, y))


def test_minimum_maximum_propagate_nan():
    N = 32
    x, y = torch.randn(N), torch.randn(N)
    x[::5] = float("nan")
    y[1::7] = float("nan")
    out = torch.empty(4 * N)
    nan_minmax_kernel[(1,)](x, y, out, N=N)
    got = out.view(4, N)
    torch.testing.assert_close(got[0], torch.minimum(x, y), equal_nan=True, rtol=0, atol=0)
    torch.testing.assert_close(got[1], torch.maximum(x, y), equal_nan=True, rtol=0, atol=0)
    both = ~(x.isnan() | y.isnan())  # without propagate_nan, NaN lanes are unspecified
    assert torch.equal(got[2][both], torch.minimum(x, y)[both])
    assert torch.equal(got[3][both], torch.maximum(x, y)[both])


@triton.jit
def fma_kernel(x_ptr, y_ptr, z_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    x = tl.load(x_ptr + offs, mask=m)
    y = tl.load(y_ptr + offs, mask=m)
    z = tl.load(z_ptr + offs, mask=m)
    tl.store(out_ptr + offs, tl.fma(x, y, z), mask=m)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_fma(dtype):
    n = 100
    x, y, z = (torch.randn(n, dtype=dtype) for _ in range(3))
    out = torch.empty(n, dtype=dtype)
    fma_kernel[(triton.cdiv(n, 32),)](x, y, z, out, n, BLOCK=32)
    if dtype == torch.float32:  # one rounding of the exact value
        assert torch.equal(out, (x.double() * y.double() + z.double()).float())
    else:
        torch.testing.assert_close(out, x * y + z, rtol=1e-15, atol=1e-15)


@triton.jit
def div_rn_kernel(x_ptr, y_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    x = tl.load(x_ptr + offs, mask=m)
    y = tl.load(y_ptr + offs, mask=m)
    tl.store(out_ptr + offs, tl.div_rn(x, y), mask=m)
    tl.store(out_ptr + n + offs, tl.fdiv(x, y, ieee_rounding=True), mask=m)
    tl.store(out_ptr + 2 * n + offs, tl.fdiv(x, y), mask=m)


def test_div_rn_fdiv():
    """div_rn and fdiv(ieee_rounding=True) are correctly rounded (bit-exact)."""
    n = 100
    x, y = torch.randn(n), torch.randn(n)
    out = torch.empty(3 * n)
    div_rn_kernel[(triton.cdiv(n, 32),)](x, y, out, n, BLOCK=32)
    got = out.view(3, n)
    assert torch.equal(got[0], x / y)
    assert torch.equal(got[1], x / y)
    torch.testing.assert_close(got[2], x / y, rtol=1e-6, atol=0)


@triton.jit
def divide_by_one_value_kernel(x_ptr, s_ptr, out_ptr, rn_ptr, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs)
    s = tl.load(s_ptr + tl.program_id(0))
    tl.store(out_ptr + tl.program_id(0) * BLOCK + offs, x / s)
    tl.store(rn_ptr + tl.program_id(0) * BLOCK + offs, tl.div_rn(x, s))


def _ulp(values: torch.Tensor) -> torch.Tensor:
    """The spacing of f32 numbers at each float64 value (subnormals: 2^-149)."""
    exponent = torch.floor(torch.log2(values.abs().clamp(min=2.0**-126)))
    return torch.exp2(exponent - 23)


def test_division_by_one_value_stays_within_two_ulp_over_the_whole_range():
    # `x / s` with one s for the whole block may multiply by a reciprocal
    # (as PTX's div.full.f32 does, within 2 ulp); tl.div_rn stays exact.
    # The divisors include those whose plain reciprocal is subnormal or
    # infinite, and the special values.
    block = 1024
    generator = torch.Generator().manual_seed(5)
    mantissa = 1 + torch.rand(block, generator=generator, dtype=torch.float64)
    exponent = torch.randint(-149, 127, (block,), generator=generator).double()
    sign = torch.where(torch.rand(block, generator=generator) < 0.5, -1.0, 1.0).double()
    x = (sign * mantissa * torch.exp2(exponent)).float()
    x[:6] = torch.tensor([0.0, -0.0, float("inf"), -float("inf"), float("nan"), 1.0])
    divisors = [1.0, 3.0, -7.5, 1e-3, 1e30, 1.5 * 2.0**126, 1.9 * 2.0**127]
    divisors += [torch.finfo(torch.float32).max, 2.0**-126, 1.3 * 2.0**-130, 2.0**-149]
    divisors += [0.0, -0.0, float("inf"), -float("inf"), float("nan")]
    s = torch.tensor(divisors, dtype=torch.float32)
    out = torch.empty(len(divisors), block)
    rn = torch.empty(len(divisors), block)
    divide_by_one_value_kernel[(len(divisors),)](x, s, out, rn, BLOCK=block)

    exact = x.double()[None, :] / s.double()[:, None]
    correctly_rounded = x[None, :] / s[:, None]
    assert bool(((rn == correctly_rounded) | (rn.isnan() & exact.isnan())).all())
    assert torch.equal(out.isnan(), exact.isnan())
    finite = exact.isfinite() & (exact.abs() < torch.finfo(torch.float32).max)
    assert torch.equal(out[~finite & ~exact.isnan()], exact.float()[~finite & ~exact.isnan()])
    error = (out.double() - exact).abs()[finite]
    worst = float((error / _ulp(exact[finite])).max())
    assert worst <= 2.0, f"{worst} ulp"


@triton.jit
def umulhi_kernel(x_ptr, y_ptr, out_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    tl.store(out_ptr + offs, tl.umulhi(tl.load(x_ptr + offs), tl.load(y_ptr + offs)))


@pytest.mark.parametrize("name", ["int32", "uint32"])
def test_umulhi(name):
    N = 64
    x = _random_ints(N, name)
    y = torch.from_numpy(_np(x)[::-1].copy())
    out = torch.empty(N, dtype=INT_TYPES[name][0])
    umulhi_kernel[(1,)](x, y, out, N=N)
    # the high half of the unsigned 64-bit product, also for int32 operands
    ref = (
        _np(x).view(np.uint32).astype(np.uint64) * _np(y).view(np.uint32).astype(np.uint64)
    ) >> 32
    np.testing.assert_array_equal(_np(out), ref.astype(np.uint32).view(np.dtype(name)))


@triton.jit
def softmax_kernel(x_ptr, out_ptr, C: tl.constexpr):
    row = tl.program_id(0)
    x = tl.load(x_ptr + row * C + tl.arange(0, C))
    tl.store(out_ptr + row * C + tl.arange(0, C), tl.softmax(x))


@pytest.mark.parametrize("C", [8, 128])
def test_softmax(C):
    x = torch.randn(5, C) * 4
    out = torch.empty_like(x)
    softmax_kernel[(5,)](x, out, C=C)
    torch.testing.assert_close(out, torch.softmax(x, 1), rtol=1e-5, atol=1e-6)


# --------------------------------------------------------------------------
# Types and casts
# --------------------------------------------------------------------------


@triton.jit
def int_types_kernel(x_ptr, out_ptr, f_ptr, w_ptr, n, DT: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    x = tl.load(x_ptr + offs, mask=m)
    tl.store(out_ptr + offs, (x * 3 + 1).to(DT), mask=m)
    tl.store(f_ptr + offs, x.to(tl.float64), mask=m)
    tl.store(w_ptr + offs, tl.cast(x, tl.int64), mask=m)


@pytest.mark.parametrize("name", sorted(INT_TYPES))
def test_integer_types_load_store_cast(name):
    """Every integer type: load, wrapping arithmetic, store, casts to float64
    and int64 (sign- or zero-extended by signedness)."""
    torch_t, tl_t = INT_TYPES[name]
    n = 150
    x = _random_ints(n, name)
    out = torch.empty(n, dtype=torch_t)
    f = torch.empty(n, dtype=torch.float64)
    w = torch.empty(n, dtype=torch.int64)
    int_types_kernel[(triton.cdiv(n, 64),)](x, out, f, w, n, DT=tl_t, BLOCK=64)
    xn = _np(x)
    np.testing.assert_array_equal(_np(out), (xn * np.dtype(name).type(3) + np.dtype(name).type(1)))
    np.testing.assert_array_equal(_np(f), xn.astype(np.float64))
    np.testing.assert_array_equal(_np(w), xn.astype(np.int64))


@triton.jit
def int1_kernel(a_ptr, b_ptr, out_ptr, cnt_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    a = tl.load(a_ptr + offs)
    b = tl.load(b_ptr + offs)
    c = (a & b) | (a ^ b).to(tl.int1)
    tl.store(out_ptr + offs, c)
    tl.store(out_ptr + N + offs, a != b)
    tl.store(cnt_ptr, tl.sum(c.to(tl.int32), axis=0))
    tl.store(cnt_ptr + 1 + offs, a.to(tl.int32) + b.to(tl.int32))


def test_int1():
    N = 64
    a, b = torch.rand(N) < 0.5, torch.rand(N) < 0.5
    out = torch.empty(2 * N, dtype=torch.bool)
    cnt = torch.empty(N + 1, dtype=torch.int32)
    int1_kernel[(1,)](a, b, out, cnt, N=N)
    ref = (a & b) | (a ^ b)
    assert torch.equal(out, torch.cat([ref, a != b]))
    assert cnt[0].item() == ref.sum().item()
    assert torch.equal(cnt[1:], a.int() + b.int())


@triton.jit
def float_types_kernel(x_ptr, y_ptr, out_ptr, f32_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    x = tl.load(x_ptr + offs, mask=m)
    y = tl.load(y_ptr + offs, mask=m)
    tl.store(out_ptr + offs, x * y + x, mask=m)
    tl.store(f32_ptr + offs, x.to(tl.float32), mask=m)


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32, torch.float64])
def test_float_types(dtype):
    n = 100
    x, y = torch.randn(n, dtype=dtype), torch.randn(n, dtype=dtype)
    out = torch.empty(n, dtype=dtype)
    f32 = torch.empty(n)
    float_types_kernel[(triton.cdiv(n, 32),)](x, y, out, f32, n, BLOCK=32)
    tol = {torch.float16: 1e-3, torch.bfloat16: 8e-3, torch.float32: 1e-6, torch.float64: 1e-14}[
        dtype
    ]
    ref = (x.double() * y.double() + x.double()).to(dtype)
    torch.testing.assert_close(out, ref, rtol=tol, atol=tol)
    assert torch.equal(f32, x.float())


@triton.jit
def downcast_kernel(x_ptr, out_ptr, N: tl.constexpr, DT: tl.constexpr, ROUND: tl.constexpr):
    offs = tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    tl.store(out_ptr + offs, x.to(DT, fp_downcast_rounding=ROUND))


def _round_toward_zero(x: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    nearest = x.to(dtype)
    wider = nearest.double().abs() > x.double().abs()
    if dtype == torch.float16:
        step = torch.from_numpy(np.nextafter(nearest.numpy(), np.float16(0)))
    else:  # bfloat16: drop the low 16 bits of the float32 pattern
        step = (x.view(torch.int32) & -65536).view(torch.float32).to(dtype)
    return torch.where(wider, step, nearest)


DOWNCASTS = [
    pytest.param(torch.float32, torch.float16, "rtne", id="f32-f16-rtne"),
    pytest.param(torch.float32, torch.bfloat16, "rtne", id="f32-bf16-rtne"),
    pytest.param(torch.float64, torch.bfloat16, "rtne", id="f64-bf16-rtne"),
    pytest.param(torch.float64, torch.float16, "rtne", id="f64-f16-rtne"),
    pytest.param(torch.float32, torch.float16, "rtz", id="f32-f16-rtz"),
    pytest.param(torch.float32, torch.bfloat16, "rtz", id="f32-bf16-rtz"),
]  # fmt: skip


@pytest.mark.parametrize(("src", "dst", "rounding"), DOWNCASTS)
def test_fp_downcast_rounding(src, dst, rounding):
    N = 256
    x = (torch.randn(N, dtype=torch.float32) * 100).to(src)
    out = torch.empty(N, dtype=dst)
    dt = tl.float16 if dst == torch.float16 else tl.bfloat16
    downcast_kernel[(1,)](x, out, N=N, DT=dt, ROUND=rounding)
    ref = x.to(dst) if rounding == "rtne" else _round_toward_zero(x.float(), dst)
    assert torch.equal(out, ref)
    if rounding == "rtz":
        assert not torch.equal(out, x.to(dst))  # the inputs do tell the modes apart


@triton.jit
def bitcast_kernel(x_ptr, out_ptr, back_ptr, N: tl.constexpr, IT: tl.constexpr):
    offs = tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    bits = x.to(IT, bitcast=True)
    tl.store(out_ptr + offs, bits)
    tl.store(back_ptr + offs, tl.cast(bits ^ 0, x.dtype, bitcast=True))


@pytest.mark.parametrize(
    ("ft", "it", "tl_it"),
    [
        (torch.float32, torch.int32, tl.int32),
        (torch.float16, torch.int16, tl.int16),
        (torch.bfloat16, torch.int16, tl.int16),
        (torch.float64, torch.int64, tl.int64),
        (torch.float32, torch.uint32, tl.uint32),
    ],
)
def test_bitcast(ft, it, tl_it):
    N = 64
    x = torch.randn(N, dtype=ft)
    x[0] = float("-inf")
    out = torch.empty(N, dtype=it)
    back = torch.empty(N, dtype=ft)
    bitcast_kernel[(1,)](x, out, back, N=N, IT=tl_it)
    assert torch.equal(out, x.view(it))
    assert torch.equal(back, x)


@triton.jit
def cast_kernel(x_ptr, a_ptr, b_ptr, c_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    tl.store(a_ptr + offs, tl.cast(x, tl.int32))  # truncates toward zero
    tl.store(b_ptr + offs, tl.cast(x, tl.float16))
    tl.store(c_ptr + offs, tl.cast(tl.cast(x, tl.int16), tl.uint8))  # wraps


def test_cast():
    N = 64
    x = torch.randn(N) * 200
    a = torch.empty(N, dtype=torch.int32)
    b = torch.empty(N, dtype=torch.float16)
    c = torch.empty(N, dtype=torch.uint8)
    cast_kernel[(1,)](x, a, b, c, N=N)
    assert torch.equal(a, x.to(torch.int32))
    assert torch.equal(b, x.half())
    assert torch.equal(c, torch.from_numpy(_np(x.to(torch.int16)).astype(np.uint8)))


@triton.jit
def offset_of(ptr, i):
    return ptr + i


@triton.jit
def pointer_types_kernel(i8_ptr, f16_ptr, f64_ptr, i64_ptr, out_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    a = tl.load(offset_of(i8_ptr, offs)).to(tl.float64)
    b = tl.load(f16_ptr + offs).to(tl.float64)
    c = tl.load(f64_ptr + N - 1 - offs)
    ptrs = i64_ptr + (offs % 2) * N + offs  # a tensor of pointers
    d = tl.load(ptrs).to(tl.float64)
    tl.store(out_ptr + offs, a + b + c + d)


def test_pointer_types():
    """Pointers to different element types, pointer arithmetic in a helper,
    tensors of pointers."""
    N = 32
    i8 = torch.randint(-100, 100, (N,), dtype=torch.int8)
    f16 = torch.randn(N, dtype=torch.float16)
    f64 = torch.randn(N, dtype=torch.float64)
    i64 = torch.randint(-(2**40), 2**40, (2 * N,))
    out = torch.empty(N, dtype=torch.float64)
    pointer_types_kernel[(1,)](i8, f16, f64, i64, out, N=N)
    pick = torch.where(torch.arange(N) % 2 == 0, i64[:N], i64[N:])
    assert torch.equal(out, i8.double() + f16.double() + f64.flip(0) + pick.double())


@triton.jit
def where_pointers_kernel(a_ptr, b_ptr, out_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    ptrs = tl.where(offs % 2 == 0, a_ptr + offs, b_ptr + offs)
    tl.store(out_ptr + offs, tl.load(ptrs))


def test_where_selects_pointers():
    N = 32
    a, b = torch.randn(N), torch.randn(N)
    out = torch.empty(N)
    where_pointers_kernel[(1,)](a, b, out, N=N)
    assert torch.equal(out, torch.where(torch.arange(N) % 2 == 0, a, b))


@triton.jit
def where_pointers_more_kernel(
    a_ptr, b_ptr, out_ptr, cnt_ptr, n, which, R: tl.constexpr, C: tl.constexpr
):
    # a scalar choice, splat and broadcast to a 2-D tile of offsets
    base = tl.where(which == 0, a_ptr, b_ptr)
    rows = tl.arange(0, R)[:, None]
    cols = tl.arange(0, C)[None, :]
    offs = rows * C + cols
    m = offs < n
    tile = tl.load(base + offs, mask=m, other=-1.0)
    # a per-element choice of where to store, masked
    dest = tl.where(cols % 2 == 0, out_ptr + offs, out_ptr + R * C + offs)
    tl.store(dest, tile, mask=m)
    # atomics through a choice of counters
    hits = tl.where(tile > 0, cnt_ptr + 0 * offs, cnt_ptr + 1 + 0 * offs)
    tl.atomic_add(hits, 1, mask=m)


@pytest.mark.parametrize("which", [0, 5])
def test_where_pointers_masked_accesses_and_atomics(which):
    """Choices between pointers into different tensors: a scalar one
    broadcast to a tile, per-element ones for a masked store and for
    atomics. Masked-off elements are neither read nor written."""
    R, C, n = 4, 8, 27
    a, b = torch.randn(R * C), torch.randn(R * C)
    out = torch.full((2 * R * C,), 7.0)
    cnt = torch.zeros(2, dtype=torch.int32)
    where_pointers_more_kernel[(1,)](a, b, out, cnt, n, which, R=R, C=C)
    src = a if which == 0 else b
    offs = torch.arange(R * C)
    even, m = (offs % C) % 2 == 0, offs < n
    want = torch.full((2 * R * C,), 7.0)
    want[: R * C][even & m] = src[even & m]
    want[R * C :][~even & m] = src[~even & m]
    assert torch.equal(out, want)
    assert cnt.tolist() == [int((src[:n] > 0).sum()), int((src[:n] <= 0).sum())]


@triton.jit
def where_pointers_cas_kernel(a_ptr, b_ptr, old_ptr, first_ptr, which, N: tl.constexpr):
    offs = tl.arange(0, N)
    # Per element: even lanes compare-and-swap in a, odd ones in b.
    target = tl.where(offs % 2 == 0, a_ptr + offs, b_ptr + offs)
    tl.store(old_ptr + offs, tl.atomic_cas(target, tl.zeros((N,), tl.int32), offs + 100))
    # A scalar choice.
    tl.store(first_ptr, tl.atomic_cas(tl.where(which == 0, a_ptr, b_ptr), 100, -1))


def test_where_pointers_atomic_cas():
    """A compare-and-swap through a choice between pointers into different
    tensors touches only the pointer each element chose."""
    N = 16
    a = torch.zeros(N, dtype=torch.int32)
    b = torch.zeros(N, dtype=torch.int32)
    a[4] = 9  # no swap there
    b[5] = 9  # nor there
    old = torch.full((N,), -7, dtype=torch.int32)
    first = torch.zeros(1, dtype=torch.int32)
    where_pointers_cas_kernel[(1,)](a, b, old, first, 0, N=N)
    offs = torch.arange(N, dtype=torch.int32)
    even = offs % 2 == 0
    chosen_before = torch.where(
        even, torch.zeros(N, dtype=torch.int32), torch.zeros(N, dtype=torch.int32)
    )
    chosen_before[4], chosen_before[5] = 9, 9
    assert torch.equal(old, chosen_before)
    want_a = torch.where(even, offs + 100, torch.zeros(N, dtype=torch.int32))
    want_b = torch.where(~even, offs + 100, torch.zeros(N, dtype=torch.int32))
    want_a[4], want_b[5] = 9, 9
    # The scalar compare-and-swap then found a[0] == 100 and stored -1.
    assert first.item() == 100
    want_a[0] = -1
    assert torch.equal(a, want_a) and torch.equal(b, want_b)


SCALE: tl.constexpr = tl.constexpr(3)


@triton.jit
def constexpr_kernel(x_ptr, out_ptr, N: tl.constexpr, MODE: tl.constexpr, FLAG: tl.constexpr):
    offs = tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    if MODE == "double":
        y = x * 2
    else:
        y = x * SCALE
    if FLAG:
        y = y + N // 2
    tl.store(out_ptr + offs, y)


@pytest.mark.parametrize(("mode", "flag"), [("double", True), ("scale", False), ("scale", True)])
def test_constexpr(mode, flag):
    N = 16
    x = torch.randn(N)
    out = torch.empty(N)
    constexpr_kernel[(1,)](x, out, N=N, MODE=mode, FLAG=flag)
    ref = x * (2 if mode == "double" else 3) + (8 if flag else 0)
    assert torch.equal(out, ref)


@triton.jit
def min_max_of(x):
    return tl.min(x, axis=0), tl.max(x, axis=0)


@triton.jit
def tuples_kernel(a_ptr, b_ptr, out_ptr, nb, N: tl.constexpr):
    offs = tl.arange(0, N)
    ptrs = (a_ptr, b_ptr)
    sizes = (N, nb)
    a = tl.load(ptrs[0] + offs, mask=offs < sizes[0], other=0.0)
    b = tl.load(ptrs[1] + offs, mask=offs < sizes[1], other=0.0)
    pair = (a, b)
    lo, hi = min_max_of(pair[0] + pair[1])
    tl.store(out_ptr + offs, pair[0] * pair[1])
    tl.store(out_ptr + N, lo)
    tl.store(out_ptr + N + 1, hi)


def test_tuples():
    """Tuple values, indexing and unpacking, a helper returning a tuple."""
    N = 16
    a, b = torch.randn(N), torch.randn(N)
    out = torch.empty(N + 2)
    tuples_kernel[(1,)](a, b, out, 10, N=N)
    bm = torch.where(torch.arange(N) < 10, b, 0.0)
    assert torch.equal(out[:N], a * bm)
    assert out[N].item() == (a + bm).min().item() and out[N + 1].item() == (a + bm).max().item()


@triton.jit
def tuple_args_kernel(ptrs, out_ptr, sizes, N: tl.constexpr):
    offs = tl.arange(0, N)
    a = tl.load(ptrs[0] + offs, mask=offs < sizes[0], other=0.0)
    b = tl.load(ptrs[1][0] + offs, mask=offs < sizes[1], other=0.0)
    c = tl.load(ptrs[1][1] + offs)
    tl.store(out_ptr + offs, a * b + c * sizes[2])


def test_tuple_kernel_arguments():
    """Tuples, nested ones too, pass element by element; an element equal
    to 1 is specialized into a constexpr inside the tuple."""
    N = 16
    a, b, c = torch.randn(N), torch.randn(N), torch.randn(N)
    out = torch.empty(N)
    for scale in (1, 3):
        tuple_args_kernel[(1,)]((a, (b, c)), out, (N, 10, scale), N=N)
        want = a * torch.where(torch.arange(N) < 10, b, 0.0) + c * scale
        torch.testing.assert_close(out, want)


# --------------------------------------------------------------------------
# Reductions and scans
# --------------------------------------------------------------------------


@triton.jit
def reductions_kernel(x_ptr, out_ptr, R: tl.constexpr, C: tl.constexpr, AXIS: tl.constexpr):
    rows = tl.arange(0, R)[:, None]
    cols = tl.arange(0, C)[None, :]
    x = tl.load(x_ptr + rows * C + cols)
    K: tl.constexpr = C if AXIS == 0 else R
    o = tl.arange(0, K)
    tl.store(out_ptr + o, tl.sum(x, axis=AXIS).to(tl.float64))
    tl.store(out_ptr + K + o, tl.max(x, axis=AXIS).to(tl.float64))
    tl.store(out_ptr + 2 * K + o, tl.min(x, axis=AXIS).to(tl.float64))
    tl.store(out_ptr + 3 * K + o, tl.argmax(x, axis=AXIS).to(tl.float64))
    tl.store(out_ptr + 4 * K + o, tl.argmin(x, axis=AXIS).to(tl.float64))
    tl.store(out_ptr + 5 * K, tl.sum(x).to(tl.float64))  # over all axes


@pytest.mark.parametrize(
    "dtype", [torch.float32, torch.float16, torch.int32, torch.int8, torch.uint8]
)
@pytest.mark.parametrize("axis", [0, 1])
def test_sum_max_min_argmax_argmin(dtype, axis):
    R, C = 8, 32
    if dtype.is_floating_point:
        x = torch.randn(R, C).to(dtype)
    else:  # distinct values: argmax / argmin are unique; small values: sums are exact
        x = (torch.randperm(R * C).reshape(R, C) % 120).to(dtype)
    K = C if axis == 0 else R
    out = torch.empty(5 * K + 1, dtype=torch.float64)
    reductions_kernel[(1,)](x, out, R=R, C=C, AXIS=axis)
    xd = x.double()
    sums, total = xd.sum(axis), xd.sum().item()  # tl.sum widens 8- and 16-bit integers to int32
    tol = 1e-2 if dtype == torch.float16 else 1e-5
    torch.testing.assert_close(out[:K], sums, rtol=tol, atol=tol)
    assert torch.equal(out[K : 2 * K], xd.amax(axis))
    assert torch.equal(out[2 * K : 3 * K], xd.amin(axis))
    # ties go to the lowest index, as in torch
    assert torch.equal(out[3 * K : 4 * K], x.float().argmax(axis).double())
    assert torch.equal(out[4 * K : 5 * K], x.float().argmin(axis).double())
    torch.testing.assert_close(out[5 * K].item(), total, rtol=tol, atol=tol)


@triton.jit
def return_indices_kernel(x_ptr, v_ptr, i_ptr, R: tl.constexpr, C: tl.constexpr):
    rows = tl.arange(0, R)[:, None]
    cols = tl.arange(0, C)[None, :]
    x = tl.load(x_ptr + rows * C + cols)
    vmax, imax = tl.max(x, axis=1, return_indices=True)
    vmin, imin = tl.min(x, axis=1, return_indices=True)
    o = tl.arange(0, R)
    tl.store(v_ptr + o, vmax)
    tl.store(v_ptr + R + o, vmin)
    tl.store(i_ptr + o, imax)
    tl.store(i_ptr + R + o, imin)


@pytest.mark.parametrize("dtype", [torch.float32, torch.int32])
def test_min_max_return_indices(dtype):
    R, C = 4, 64
    x = (torch.randn(R, C) * 1000).to(dtype)
    x[0, 10] = x[0, 20] = x[0].max() + 1  # ties: the first index wins
    v = torch.empty(2 * R, dtype=dtype)
    i = torch.empty(2 * R, dtype=torch.int32)
    return_indices_kernel[(1,)](x, v, i, R=R, C=C)
    assert torch.equal(v, torch.cat([x.amax(1), x.amin(1)]))
    assert torch.equal(i.long(), torch.cat([x.argmax(1), x.argmin(1)]))
    assert i[0].item() == 10


@triton.jit
def abs_max_combine(a, b):
    return tl.maximum(tl.abs(a), tl.abs(b))


@triton.jit
def weighted_combine(v1, w1, v2, w2):
    return v1 + v2, tl.maximum(w1, w2)


@triton.jit
def custom_reduce_kernel(x_ptr, out_ptr, R: tl.constexpr, C: tl.constexpr):
    rows = tl.arange(0, R)[:, None]
    cols = tl.arange(0, C)[None, :]
    x = tl.load(x_ptr + rows * C + cols)
    o = tl.arange(0, R)
    tl.store(out_ptr + o, tl.reduce(x, 1, abs_max_combine))
    s, w = tl.reduce((x, x * 2), 1, weighted_combine)
    tl.store(out_ptr + R + o, s)
    tl.store(out_ptr + 2 * R + o, w)


def test_reduce_custom_combine():
    R, C = 8, 16
    x = torch.randn(R, C)
    out = torch.empty(3 * R)
    custom_reduce_kernel[(1,)](x, out, R=R, C=C)
    assert torch.equal(out[:R], x.abs().amax(1))
    torch.testing.assert_close(out[R : 2 * R], x.sum(1), rtol=1e-5, atol=1e-5)
    assert torch.equal(out[2 * R :], (x * 2).amax(1))


@triton.jit
def first_then_second(a, ia, b, ib):
    # Not commutative: which operand is the accumulator shows.
    return a * 3 + b, tl.minimum(ia, ib) * 10 + tl.maximum(ia, ib)


@triton.jit
def pair_reduce_kernel(x_ptr, out_ptr, idx_ptr, AXIS: tl.constexpr):
    # [4, 2, 8]: reduced along the axis of two (1), or a longer one (2).
    i = tl.arange(0, 4)[:, None, None]
    j = tl.arange(0, 2)[None, :, None]
    k = tl.arange(0, 8)[None, None, :]
    x = tl.load(x_ptr + i * 16 + j * 8 + k)
    s, t = tl.reduce((x, j + i * 0 + k * 0), AXIS, first_then_second)
    if AXIS == 1:
        o = tl.arange(0, 4)[:, None] * 8 + tl.arange(0, 8)[None, :]
    else:
        o = tl.arange(0, 4)[:, None] * 2 + tl.arange(0, 2)[None, :]
    tl.store(out_ptr + o, s)
    tl.store(idx_ptr + o, t)


def test_reduce_along_an_axis_of_two_keeps_the_combine_order():
    x = torch.randint(-50, 50, (4, 2, 8), dtype=torch.int32)
    out = torch.zeros(32, dtype=torch.int32)
    idx = torch.zeros(32, dtype=torch.int32)
    pair_reduce_kernel[(1,)](x, out, idx, AXIS=1)
    assert torch.equal(out.view(4, 8), x[:, 0] * 3 + x[:, 1])
    assert torch.equal(idx, torch.full((32,), 1, dtype=torch.int32))
    # The same combine along the axis of eight, for comparison: a left fold.
    out8 = torch.zeros(8, dtype=torch.int32)
    pair_reduce_kernel[(1,)](x, out8, torch.zeros(8, dtype=torch.int32), AXIS=2)
    expected = x[:, :, 0]
    for k in range(1, 8):
        expected = expected * 3 + x[:, :, k]
    assert torch.equal(out8.view(4, 2), expected)


@triton.jit
def xor_sum_kernel(x_ptr, out_ptr, R: tl.constexpr, C: tl.constexpr):
    rows = tl.arange(0, R)[:, None]
    cols = tl.arange(0, C)[None, :]
    x = tl.load(x_ptr + rows * C + cols)
    tl.store(out_ptr + tl.arange(0, R), tl.xor_sum(x, axis=1))
    tl.store(out_ptr + R + tl.arange(0, C), tl.xor_sum(x, axis=0))


@pytest.mark.parametrize("name", ["int8", "int32", "uint32", "int64"])
def test_xor_sum(name):
    R, C = 4, 32
    x = _random_ints(R * C, name).reshape(R, C)
    out = torch.empty(R + C, dtype=INT_TYPES[name][0])
    xor_sum_kernel[(1,)](x, out, R=R, C=C)
    xn = _np(x)
    np.testing.assert_array_equal(_np(out)[:R], np.bitwise_xor.reduce(xn, axis=1))
    np.testing.assert_array_equal(_np(out)[R:], np.bitwise_xor.reduce(xn, axis=0))


@triton.jit
def cum_kernel(x_ptr, out_ptr, R: tl.constexpr, C: tl.constexpr, AXIS: tl.constexpr):
    rows = tl.arange(0, R)[:, None]
    cols = tl.arange(0, C)[None, :]
    x = tl.load(x_ptr + rows * C + cols)
    tl.store(out_ptr + rows * C + cols, tl.cumsum(x, axis=AXIS))
    tl.store(out_ptr + R * C + rows * C + cols, tl.cumprod(x, axis=AXIS))
    tl.store(out_ptr + 2 * R * C + rows * C + cols, tl.cumsum(x, axis=AXIS, reverse=True))


@pytest.mark.parametrize("dtype", [torch.float32, torch.int32, torch.int64])
@pytest.mark.parametrize("axis", [0, 1])
def test_cumsum_cumprod(dtype, axis):
    R, C = 4, 16
    if dtype.is_floating_point:
        x = torch.rand(R, C) + 0.5
    else:
        x = torch.randint(-3, 4, (R, C), dtype=dtype)
    out = torch.empty(3 * R * C, dtype=dtype)
    cum_kernel[(1,)](x, out, R=R, C=C, AXIS=axis)
    got = out.view(3, R, C)
    refs = [x.cumsum(axis), x.cumprod(axis), x.flip(axis).cumsum(axis).flip(axis)]
    for g, r in zip(got, refs, strict=True):
        torch.testing.assert_close(g, r.to(dtype), rtol=1e-5, atol=1e-5)


@triton.jit
def affine_combine(a1, b1, a2, b2):
    # composes x -> a1 * x + b1 with x -> a2 * x + b2
    return a1 * a2, b1 * a2 + b2


@triton.jit
def scan_kernel(a_ptr, b_ptr, out_ptr, N: tl.constexpr, REVERSE: tl.constexpr):
    offs = tl.arange(0, N)
    a = tl.load(a_ptr + offs)
    b = tl.load(b_ptr + offs)
    _, y = tl.associative_scan((a, b), 0, affine_combine, reverse=REVERSE)
    tl.store(out_ptr + offs, y)


@pytest.mark.parametrize("reverse", [False, True])
def test_associative_scan_custom_reverse(reverse):
    """A non-commutative combiner (the linear recurrence y = a * y + b),
    forward and reverse."""
    N = 32
    a = torch.rand(N, dtype=torch.float64) + 0.5
    b = torch.randn(N, dtype=torch.float64)
    out = torch.empty(N, dtype=torch.float64)
    scan_kernel[(1,)](a, b, out, N=N, REVERSE=reverse)
    ref, y = torch.empty(N, dtype=torch.float64), 0.0
    order = range(N - 1, -1, -1) if reverse else range(N)
    for i in order:
        y = a[i].item() * y + b[i].item()
        ref[i] = y
    torch.testing.assert_close(out, ref, rtol=1e-12, atol=1e-12)


@triton.jit
def sort_kernel(x_ptr, out_ptr, R: tl.constexpr, C: tl.constexpr, DESCENDING: tl.constexpr):
    rows = tl.arange(0, R)[:, None]
    cols = tl.arange(0, C)[None, :]
    x = tl.load(x_ptr + rows * C + cols)
    tl.store(out_ptr + rows * C + cols, tl.sort(x, descending=DESCENDING))


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("dtype", [torch.float32, torch.int32, torch.uint8])
@pytest.mark.parametrize(("R", "C"), [(1, 64), (4, 16)])
def test_sort(descending, dtype, R, C):
    x = (
        (torch.randn(R, C) * 50).to(dtype)
        if dtype.is_floating_point
        else torch.randint(0, 200, (R, C)).to(dtype)
    )
    out = torch.empty_like(x)
    sort_kernel[(1,)](x, out, R=R, C=C, DESCENDING=descending)
    assert torch.equal(out, x.sort(1, descending=descending).values)


@pytest.mark.parametrize(
    ("dtype", "descending", "R", "C"),
    [(torch.float32, True, 8, 256), (torch.int32, False, 1, 512)],
)
def test_sort_long_rows(dtype, descending, R, C):
    # Long rows: the sort network reshapes a row into [2] * 9, whose ops the
    # lane merges into long loops (flagtree-cpu-vectorize-linalg).
    x = (torch.randn(R, C) * 50).to(dtype)
    out = torch.empty_like(x)
    sort_kernel[(1,)](x, out, R=R, C=C, DESCENDING=descending)
    assert torch.equal(out, x.sort(1, descending=descending).values)


@triton.jit
def topk_kernel(x_ptr, out_ptr, R: tl.constexpr, C: tl.constexpr, K: tl.constexpr):
    rows = tl.arange(0, R)[:, None]
    x = tl.load(x_ptr + rows * C + tl.arange(0, C)[None, :])
    tl.store(out_ptr + rows * K + tl.arange(0, K)[None, :], tl.topk(x, K))


@pytest.mark.parametrize("K", [1, 4, 16])
def test_topk(K):
    R, C = 4, 32
    x = torch.randn(R, C)
    out = torch.empty(R, K)
    topk_kernel[(1,)](x, out, R=R, C=C, K=K)
    assert torch.equal(out, x.topk(K, dim=1).values)


# --------------------------------------------------------------------------
# Matrix
# --------------------------------------------------------------------------


@triton.jit
def dot_kernel(a_ptr, b_ptr, c_ptr, out_ptr, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr,
               PREC: tl.constexpr, ACC: tl.constexpr, OUT: tl.constexpr):  # fmt: skip
    rm = tl.arange(0, M)[:, None]
    rn = tl.arange(0, N)[None, :]
    rk = tl.arange(0, K)
    a = tl.load(a_ptr + rm * K + rk[None, :])
    b = tl.load(b_ptr + rk[:, None] * N + rn)
    if ACC:
        c = tl.load(c_ptr + rm * N + rn)
        d = tl.dot(a, b, acc=c, input_precision=PREC, out_dtype=OUT)
    else:
        d = tl.dot(a, b, input_precision=PREC, out_dtype=OUT)
    tl.store(out_ptr + rm * N + rn, d)


DOTS = [
    ("fp32", "ieee"),
    ("fp32", "tf32"),
    ("fp32", "tf32x3"),
    ("fp16", "ieee"),
    ("bf16", "ieee"),
    ("int8", "ieee"),
]


@pytest.mark.parametrize(("dtype", "prec"), DOTS)
@pytest.mark.parametrize("acc", [False, True])
@pytest.mark.parametrize(("M", "N", "K"), [(16, 16, 16), (32, 16, 64)])
def test_dot(dtype, prec, acc, M, N, K):
    """2-D tl.dot over fp32 / fp16 / bf16 / int8 inputs, with input_precision
    and an accumulator (acc=)."""
    if dtype == "int8":
        a = torch.randint(-128, 128, (M, K), dtype=torch.int8)
        b = torch.randint(-128, 128, (K, N), dtype=torch.int8)
        c = torch.randint(-(2**20), 2**20, (M, N), dtype=torch.int32)
        ref = a.int() @ b.int() + (c if acc else 0)
        out_t, out_tl = torch.int32, tl.int32
    else:
        t = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}[dtype]
        a, b = torch.randn(M, K).to(t), torch.randn(K, N).to(t)
        c = torch.randn(M, N)
        ref = a.double() @ b.double() + (c.double() if acc else 0)
        out_t, out_tl = torch.float32, tl.float32
    out = torch.empty(M, N, dtype=out_t)
    dot_kernel[(1,)](a, b, c, out, M=M, N=N, K=K, PREC=prec, ACC=acc, OUT=out_tl)
    if dtype == "int8":
        assert torch.equal(out, ref)
    else:
        torch.testing.assert_close(out.double(), ref, rtol=1e-4, atol=1e-3)


@triton.jit
def dot3d_kernel(
    a_ptr, b_ptr, out_ptr, B: tl.constexpr, M: tl.constexpr, N: tl.constexpr, K: tl.constexpr
):
    bi = tl.arange(0, B)[:, None, None]
    mi = tl.arange(0, M)[None, :, None]
    ni = tl.arange(0, N)[None, None, :]
    ki_col = tl.arange(0, K)[None, None, :]
    ki_row = tl.arange(0, K)[None, :, None]
    a = tl.load(a_ptr + bi * M * K + mi * K + ki_col)
    b = tl.load(b_ptr + bi * K * N + ki_row * N + ni)
    tl.store(out_ptr + bi * M * N + mi * N + ni, tl.dot(a, b))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16])
def test_dot_3d(dtype):
    B, M, N, K = 2, 16, 32, 16
    a, b = torch.randn(B, M, K).to(dtype), torch.randn(B, K, N).to(dtype)
    out = torch.empty(B, M, N)
    dot3d_kernel[(1,)](a, b, out, B=B, M=M, N=N, K=K)
    torch.testing.assert_close(out.double(), a.double() @ b.double(), rtol=1e-4, atol=1e-3)


# --------------------------------------------------------------------------
# Atomics: every read-modify-write with sem and scope
# --------------------------------------------------------------------------


@triton.jit
def atomic_sem_kernel(x_ptr, slot_ptr, old_ptr, n, OP: tl.constexpr, SEM: tl.constexpr,
                      SCOPE: tl.constexpr, BLOCK: tl.constexpr):  # fmt: skip
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    x = tl.load(x_ptr + offs, mask=m)
    p = slot_ptr + offs
    if OP == "add":
        old = tl.atomic_add(p, x, mask=m, sem=SEM, scope=SCOPE)
    elif OP == "max":
        old = tl.atomic_max(p, x, mask=m, sem=SEM, scope=SCOPE)
    elif OP == "min":
        old = tl.atomic_min(p, x, mask=m, sem=SEM, scope=SCOPE)
    elif OP == "and":
        old = tl.atomic_and(p, x, mask=m, sem=SEM, scope=SCOPE)
    elif OP == "or":
        old = tl.atomic_or(p, x, mask=m, sem=SEM, scope=SCOPE)
    elif OP == "xor":
        old = tl.atomic_xor(p, x, mask=m, sem=SEM, scope=SCOPE)
    elif OP == "xchg":
        old = tl.atomic_xchg(p, x, mask=m, sem=SEM, scope=SCOPE)
    else:
        old = tl.atomic_cas(p, x % 3, x, sem=SEM, scope=SCOPE)
    tl.store(old_ptr + offs, old, mask=m)


ATOMIC_REF = {
    "add": lambda s, x: s + x,
    "max": torch.maximum,
    "min": torch.minimum,
    "and": lambda s, x: s & x,
    "or": lambda s, x: s | x,
    "xor": lambda s, x: s ^ x,
    "xchg": lambda s, x: x,
    "cas": lambda s, x: torch.where(s == torch.fmod(x, 3), x, s),  # C's %
}


@pytest.mark.parametrize("op", sorted(ATOMIC_REF))
@pytest.mark.parametrize(
    ("sem", "scope"),
    [("relaxed", "gpu"), ("acquire", "cta"), ("release", "sys"), ("acq_rel", "gpu")],
)
def test_atomic_sem_scope(op, sem, scope):
    """Each atomic with each memory order and scope: the old values come back
    and masked-off slots keep their value (cas has no mask: n covers all)."""
    n = 100 if op != "cas" else 128
    x = torch.randint(-50, 50, (n,), dtype=torch.int32)
    slot = torch.randint(-50, 50, (128,), dtype=torch.int32)
    if op == "cas":  # every other slot holds the compared value
        slot[:n:2] = torch.fmod(x[::2], 3)
    before = slot.clone()
    old = torch.empty(n, dtype=torch.int32)
    atomic_sem_kernel[(triton.cdiv(n, 32),)](x, slot, old, n, OP=op, SEM=sem, SCOPE=scope, BLOCK=32)
    assert torch.equal(old, before[:n])
    assert torch.equal(slot[:n], ATOMIC_REF[op](before[:n], x))
    assert torch.equal(slot[n:], before[n:])


@pytest.mark.parametrize("op", ["add", "max", "min", "xchg"])
def test_atomic_float_sem_scope(op):
    n = 70
    x = torch.randn(n)
    slot = torch.randn(96)
    before = slot.clone()
    old = torch.empty(n)
    atomic_sem_kernel[(3,)](x, slot, old, n, OP=op, SEM="acq_rel", SCOPE="cta", BLOCK=32)
    assert torch.equal(old, before[:n])
    assert torch.equal(slot[:n], ATOMIC_REF[op](before[:n], x))
    assert torch.equal(slot[n:], before[n:])


# --------------------------------------------------------------------------
# Control flow and program model
# --------------------------------------------------------------------------


@triton.jit
def program_ids_kernel(out_ptr):
    x, y, z = tl.program_id(0), tl.program_id(1), tl.program_id(2)
    nx, ny, nz = tl.num_programs(0), tl.num_programs(1), tl.num_programs(2)
    flat = (z * ny + y) * nx + x
    tl.store(out_ptr + flat * 4, flat)
    tl.store(out_ptr + flat * 4 + 1, nx)
    tl.store(out_ptr + flat * 4 + 2, ny)
    tl.store(out_ptr + flat * 4 + 3, nz)


@pytest.mark.parametrize("grid", [(1,), (5,), (3, 4), (2, 3, 4)])
def test_program_id_num_programs(grid):
    full = tuple(grid) + (1,) * (3 - len(grid))
    total = full[0] * full[1] * full[2]
    out = torch.full((total, 4), -1, dtype=torch.int32)
    program_ids_kernel[grid](out)
    assert torch.equal(out[:, 0], torch.arange(total, dtype=torch.int32))
    assert torch.equal(out[:, 1:], torch.tensor(full, dtype=torch.int32).expand(total, 3))


@triton.jit
def range_kernel(x_ptr, out_ptr, n_outer, n_inner, N: tl.constexpr):
    offs = tl.arange(0, N)
    acc = tl.zeros((N,), tl.float32)
    for i in range(n_outer):
        acc += tl.load(x_ptr + i * N + offs)
    for i in tl.range(0, n_outer, num_stages=3):
        acc += tl.load(x_ptr + i * N + offs) * 2
    for i in tl.range(0, n_outer, 1, loop_unroll_factor=2):
        acc += tl.load(x_ptr + i * N + offs) * 4
    for i in tl.range(n_outer, warp_specialize=True):
        acc += tl.load(x_ptr + i * N + offs) * 8
    for i in tl.range(0, n_outer, disallow_acc_multi_buffer=True):
        acc += tl.load(x_ptr + i * N + offs) * 16
    for i in tl.range(0, n_outer, flatten=True):
        for j in tl.range(0, n_inner):
            acc += tl.load(x_ptr + i * N + offs) * j
    for i in tl.range(n_outer - 1, -1, -2):  # negative step
        acc += tl.load(x_ptr + i * N + offs) * 100
    tl.store(out_ptr + offs, acc)


@pytest.mark.parametrize(("n_outer", "n_inner"), [(0, 3), (1, 1), (5, 3)])
def test_range_options(n_outer, n_inner):
    """for over range and tl.range with num_stages, loop_unroll_factor,
    warp_specialize, disallow_acc_multi_buffer and flatten: accepted and
    correct on the CPU."""
    N = 16
    x = torch.randn(max(n_outer, 1), N)
    out = torch.empty(N)
    range_kernel[(1,)](x, out, n_outer, n_inner, N=N)
    rows = x[:n_outer]
    tri = n_inner * (n_inner - 1) / 2
    ref = (
        rows.sum(0) * (1 + 2 + 4 + 8 + 16 + tri) + x[list(range(n_outer - 1, -1, -2))].sum(0) * 100
    )
    torch.testing.assert_close(out, ref, rtol=1e-5, atol=1e-4)


@triton.jit
def static_range_kernel(x_ptr, out_ptr, N: tl.constexpr, STEPS: tl.constexpr):
    offs = tl.arange(0, N)
    acc = tl.zeros((N,), tl.float32)
    for i in tl.static_range(STEPS):
        if i % 2 == 0:  # resolved at compile time: i is a constexpr
            acc += tl.load(x_ptr + i * N + offs)
        else:
            acc -= tl.load(x_ptr + i * N + offs)
    for i in tl.static_range(1, STEPS, 2):
        acc += i
    tl.store(out_ptr + offs, acc)


def test_static_range():
    N, STEPS = 16, 5
    x = torch.randn(STEPS, N)
    out = torch.empty(N)
    static_range_kernel[(1,)](x, out, N=N, STEPS=STEPS)
    ref = x[0] - x[1] + x[2] - x[3] + x[4] + (1 + 3)
    torch.testing.assert_close(out, ref, rtol=1e-6, atol=1e-6)


@triton.jit
def while_kernel(x_ptr, out_ptr, steps_ptr, limit, N: tl.constexpr):
    pid = tl.program_id(0)
    v = tl.load(x_ptr + pid)
    steps = 0
    while v < limit:  # a data-dependent trip count
        v = v * 2 + 1
        steps += 1
    tl.store(out_ptr + pid, v)
    tl.store(steps_ptr + pid, steps)


def test_while():
    x = torch.tensor([1, 0, 5, 100, 37, 250, 2, 999], dtype=torch.int32)
    out = torch.empty_like(x)
    steps = torch.empty_like(x)
    while_kernel[(len(x),)](x, out, steps, 200, N=1)
    for i, v0 in enumerate(x.tolist()):
        v, k = v0, 0
        while v < 200:
            v, k = v * 2 + 1, k + 1
        assert (out[i].item(), steps[i].item()) == (v, k)


@triton.jit
def if_else_kernel(x_ptr, out_ptr, threshold, N: tl.constexpr):
    offs = tl.program_id(0) * N + tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    s = tl.sum(x, axis=0)
    if s > threshold:
        y = x - s
    elif s < -threshold:
        y = x + s
    else:
        y = x * 0
    tl.store(out_ptr + offs, y)


def test_if_else():
    P, N = 16, 16
    x = torch.randn(P, N)
    out = torch.empty(P, N)
    if_else_kernel[(P,)](x, out, 1.0, N=N)
    s = x.sum(1, keepdim=True)
    ref = torch.where(s > 1.0, x - s, torch.where(s < -1.0, x + s, x * 0))
    torch.testing.assert_close(out, ref, rtol=1e-5, atol=1e-5)


@triton.jit
def early_return_kernel(x_ptr, out_ptr, n_valid, N: tl.constexpr):
    pid = tl.program_id(0)
    if pid >= n_valid:
        return  # these programs write nothing
    offs = pid * N + tl.arange(0, N)
    tl.store(out_ptr + offs, tl.load(x_ptr + offs) * 2)


def test_early_return():
    P, N = 8, 16
    x = torch.randn(P, N)
    out = torch.full((P, N), 7.0)
    early_return_kernel[(P,)](x, out, 6, N=N)
    assert torch.equal(out[:6], x[:6] * 2)
    assert torch.equal(out[6:], torch.full((2, N), 7.0))


@triton.jit
def clamp_abs(x, limit):
    return tl.minimum(tl.abs(x), limit)


@triton.jit(noinline=True)
def scaled_pair(s, m, scale):
    return s * scale, m - scale


@triton.jit(noinline=True)
def store_scalar(ptr, i, v):
    tl.store(ptr + i, v)


@triton.jit
def helpers_kernel(x_ptr, out_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    y = clamp_abs(x, 1.0)  # inlined at the call site
    s, m = scaled_pair(tl.sum(y, axis=0), tl.max(y, axis=0), 0.5)  # a call returning two values
    tl.store(out_ptr + offs, y + s + m)
    store_scalar(out_ptr, N, s)


def test_jit_helpers_inline_and_noinline():
    """@triton.jit helpers: inlined, and noinline ones (kept as calls, on scalars)."""
    N = 32
    x = torch.randn(N) * 2
    out = torch.empty(N + 1)
    helpers_kernel[(1,)](x, out, N=N)
    y = x.abs().clamp(max=1.0)
    ref = y + y.sum() * 0.5 + (y.max() - 0.5)
    torch.testing.assert_close(out, torch.cat([ref, (y.sum() * 0.5)[None]]), rtol=1e-5, atol=1e-5)


@triton.jit
def static_checks_kernel(x_ptr, out_ptr, N: tl.constexpr):
    tl.static_assert(N % 16 == 0, "N must be a multiple of 16")
    tl.static_print("static_print: N =", N)
    offs = tl.arange(0, N)
    tl.store(out_ptr + offs, tl.load(x_ptr + offs) + 1)


def test_static_assert_static_print(capfd):
    x = torch.randn(32)
    out = torch.empty(32)
    static_checks_kernel[(1,)](x, out, N=32)
    assert torch.equal(out, x + 1)
    assert "static_print: N = 32" in capfd.readouterr().out
    with pytest.raises(triton.CompilationError) as info:
        static_checks_kernel[(1,)](x, out, N=24)
    message = str(info.value)
    assert "N must be a multiple of 16" in message
    assert "static_assert" in message and "tl.static_assert(N % 16 == 0" in message


@triton.jit
def piecewise(x, y):
    if x > 0:
        r = x * y
    elif x > -1:
        r = x + y
    else:
        r = y
    return r


@triton.jit
def map_elementwise_kernel(x_ptr, y_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    x = tl.load(x_ptr + offs, mask=m)
    y = tl.load(y_ptr + offs, mask=m)
    tl.store(out_ptr + offs, tl.map_elementwise(piecewise, x, y), mask=m)


def test_map_elementwise():
    n = 100
    x, y = torch.randn(n) * 2, torch.randn(n)
    out = torch.empty(n)
    map_elementwise_kernel[(triton.cdiv(n, 32),)](x, y, out, n, BLOCK=32)
    ref = torch.where(x > 0, x * y, torch.where(x > -1, x + y, y))
    assert torch.equal(out, ref)


@triton.jit
def min_max_pair(a, b, c, d):
    # pack=2: a, b are two elements of x; c, d the same two of y
    lo0 = tl.minimum(a, c)
    lo1 = tl.minimum(b, d)
    if a > c:
        hi0 = a
    else:
        hi0 = c
    return lo0, lo1, hi0, tl.maximum(b, d)


@triton.jit
def map_elementwise_pack_kernel(x_ptr, y_ptr, lo_ptr, hi_ptr, R: tl.constexpr, C: tl.constexpr):
    offs = tl.arange(0, R)[:, None] * C + tl.arange(0, C)[None, :]
    x = tl.load(x_ptr + offs)
    y = tl.load(y_ptr + offs)
    lo, hi = tl.map_elementwise(min_max_pair, x, y, pack=2)
    tl.store(lo_ptr + offs, lo)
    tl.store(hi_ptr + offs, hi)


def test_map_elementwise_pack_and_results():
    """Two results, two elements at a time, over a 2-D tile: every element
    of each result comes from the same element of the operands."""
    x, y = torch.randn(4, 8), torch.randn(4, 8)
    lo, hi = torch.empty(4, 8), torch.empty(4, 8)
    map_elementwise_pack_kernel[(1,)](x, y, lo, hi, R=4, C=8)
    assert torch.equal(lo, torch.minimum(x, y))
    assert torch.equal(hi, torch.maximum(x, y))


@triton.jit
def debug_barrier_kernel(x_ptr, scratch_ptr, out_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    tl.store(scratch_ptr + offs, tl.load(x_ptr + offs) * 2)
    tl.debug_barrier()
    # reads what the store before the barrier wrote, reversed
    tl.store(out_ptr + offs, tl.load(scratch_ptr + N - 1 - offs))


def test_debug_barrier():
    N = 16
    x = torch.randn(N)
    scratch, out = torch.zeros(N), torch.zeros(N)
    debug_barrier_kernel[(1,)](x, scratch, out, N=N)
    assert torch.equal(out, (x * 2).flip(0))


@triton.jit
def inline_asm_kernel(x_ptr, out_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    y = tl.inline_asm_elementwise(
        "mov.b32 $0, $1;", "=r,r", [x], dtype=tl.int32, is_pure=True, pack=1
    )
    tl.store(out_ptr + offs, y)


def test_inline_asm_elementwise_is_a_located_error():
    """GPU assembly cannot run on the host: a compile error at the call."""
    x = torch.arange(16, dtype=torch.int32)
    out = torch.empty_like(x)
    with pytest.raises(Exception) as info:
        inline_asm_kernel[(1,)](x, out, N=16)
    message = str(info.value)
    assert "test_cpu_language.py:" in message and "inline_asm" in message, message


# --------------------------------------------------------------------------
# Random
# --------------------------------------------------------------------------

_M32 = 0xFFFFFFFF


def _philox(seed: int, counters: list[int], rounds: int = 10) -> list[int]:
    """Philox 4x32 on one counter block, the key being the 64-bit seed."""
    c = [v & _M32 for v in counters]
    k = [seed & _M32, (seed >> 32) & _M32]
    for _ in range(rounds):
        p0, p1 = 0xD2511F53 * c[0], 0xCD9E8D57 * c[2]
        c = [(p1 >> 32) ^ c[1] ^ k[0], p1 & _M32, (p0 >> 32) ^ c[3] ^ k[1], p0 & _M32]
        k = [(k[0] + 0x9E3779B9) & _M32, (k[1] + 0xBB67AE85) & _M32]
    return c


def _to_uniform(bits: np.ndarray) -> np.ndarray:
    x = bits.astype(np.uint32).view(np.int32).astype(np.int64)
    x = np.where(x < 0, -x - 1, x)
    return (x.astype(np.float32) * np.float32(4.6566127342e-10)).astype(np.float32)


@triton.jit
def random4x_kernel(ints_ptr, unif_ptr, norm_ptr, seed, N: tl.constexpr):
    offs = tl.arange(0, N)
    i0, i1, i2, i3 = tl.randint4x(seed, offs)
    u0, u1, u2, u3 = tl.rand4x(seed, offs)
    n0, n1, n2, n3 = tl.randn4x(seed, offs)
    tl.store(ints_ptr + offs, i0)
    tl.store(ints_ptr + N + offs, i1)
    tl.store(ints_ptr + 2 * N + offs, i2)
    tl.store(ints_ptr + 3 * N + offs, i3)
    tl.store(unif_ptr + offs, u0)
    tl.store(unif_ptr + N + offs, u1)
    tl.store(unif_ptr + 2 * N + offs, u2)
    tl.store(unif_ptr + 3 * N + offs, u3)
    tl.store(norm_ptr + offs, n0)
    tl.store(norm_ptr + N + offs, n1)
    tl.store(norm_ptr + 2 * N + offs, n2)
    tl.store(norm_ptr + 3 * N + offs, n3)


def test_rand4x_randint4x_randn4x():
    """randint4x is Philox bit for bit; rand4x maps those bits to [0, 1);
    randn4x pairs them through Box-Muller."""
    N, seed = 64, 0x1234_5678_9ABC
    ints = torch.empty(4 * N, dtype=torch.int32)
    unif = torch.empty(4 * N)
    norm = torch.empty(4 * N)
    random4x_kernel[(1,)](ints, unif, norm, seed, N=N)
    ref = np.array([_philox(seed, [i, 0, 0, 0]) for i in range(N)], dtype=np.uint64).T
    np.testing.assert_array_equal(_np(ints).view(np.uint32).reshape(4, N), ref.astype(np.uint32))
    u = _to_uniform(ref)
    np.testing.assert_allclose(_np(unif).reshape(4, N), u, rtol=1e-6, atol=0)
    u1, u2 = np.maximum(u[0::2].astype(np.float64), 1e-7), u[1::2].astype(np.float64)
    r = np.sqrt(-2 * np.log(u1))
    th = 2 * np.pi * u2
    normal = np.stack(
        [r[0] * np.cos(th[0]), r[0] * np.sin(th[0]), r[1] * np.cos(th[1]), r[1] * np.sin(th[1])]
    )
    np.testing.assert_allclose(_np(norm).reshape(4, N), normal, rtol=1e-4, atol=1e-4)


@triton.jit
def philox_kernel(out_ptr, seed, N: tl.constexpr, ROUNDS: tl.constexpr):
    offs = tl.arange(0, N)
    c = offs.to(tl.uint32)
    a, b, d, e = tl.philox(seed, c, c * 3, c + 7, c ^ 5, ROUNDS)
    tl.store(out_ptr + offs, a)
    tl.store(out_ptr + N + offs, b)
    tl.store(out_ptr + 2 * N + offs, d)
    tl.store(out_ptr + 3 * N + offs, e)


@pytest.mark.parametrize("rounds", [7, 10])
def test_philox(rounds):
    N, seed = 32, 987654321987
    out = torch.empty(4 * N, dtype=torch.uint32)
    philox_kernel[(1,)](out, seed, N=N, ROUNDS=rounds)
    ref = np.array([_philox(seed, [i, 3 * i, i + 7, i ^ 5], rounds) for i in range(N)]).T
    np.testing.assert_array_equal(_np(out).reshape(4, N), ref.astype(np.uint32))


@triton.jit
def uniform_normal_kernel(bits_ptr, u_ptr, n_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    bits = tl.load(bits_ptr + offs)
    u = tl.uint_to_uniform_float(bits)
    tl.store(u_ptr + offs, u)
    a, b = tl.pair_uniform_to_normal(u, tl.flip(u, 0))
    tl.store(n_ptr + offs, a)
    tl.store(n_ptr + N + offs, b)


def test_uint_to_uniform_float_pair_uniform_to_normal():
    N = 64
    bits = _random_ints(N, "uint32")
    bits[0], bits[1], bits[2] = 0, 0xFFFFFFFF, 0x80000000  # the ends of the range
    u = torch.empty(N)
    normal = torch.empty(2 * N)
    uniform_normal_kernel[(1,)](bits, u, normal, N=N)
    ref_u = _to_uniform(_np(bits))
    np.testing.assert_allclose(_np(u), ref_u, rtol=1e-6, atol=0)
    assert u.min() >= 0 and u.max() < 1
    u1 = np.maximum(ref_u.astype(np.float64), 1e-7)
    u2 = ref_u[::-1].astype(np.float64)
    r = np.sqrt(-2 * np.log(u1))
    ref_n = np.concatenate([r * np.cos(2 * np.pi * u2), r * np.sin(2 * np.pi * u2)])
    np.testing.assert_allclose(_np(normal), ref_n, rtol=1e-4, atol=1e-4)


# --------------------------------------------------------------------------
# libdevice beyond the functions of test_cpu_programs.py::test_libdevice
# --------------------------------------------------------------------------


@triton.jit
def libdevice_more_kernel(x_ptr, y_ptr, out_ptr, n, OP: tl.constexpr, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = offs < n
    x = tl.load(x_ptr + offs, mask=m)
    y = tl.load(y_ptr + offs, mask=m)
    if OP == "asin":
        z = libdevice.asin(x)
    elif OP == "acos":
        z = libdevice.acos(x)
    elif OP == "atan":
        z = libdevice.atan(x)
    elif OP == "sinh":
        z = libdevice.sinh(x)
    elif OP == "cosh":
        z = libdevice.cosh(x)
    elif OP == "tan":
        z = libdevice.tan(x)
    elif OP == "asinh":
        z = libdevice.asinh(x)
    elif OP == "atanh":
        z = libdevice.atanh(x)
    elif OP == "cbrt":
        z = libdevice.cbrt(x)
    elif OP == "hypot":
        z = libdevice.hypot(x, y)
    elif OP == "exp10":
        z = libdevice.exp10(x)
    elif OP == "log10":
        z = libdevice.log10(tl.abs(x) + 0.1)
    elif OP == "copysign":
        z = libdevice.copysign(x, y)
    elif OP == "signbit":
        z = (libdevice.signbit(x) != 0).to(tl.float32)
    elif OP == "nearbyint":
        z = libdevice.nearbyint(x * 4)
    elif OP == "round":
        z = libdevice.round(x * 4)
    elif OP == "erfc":
        z = libdevice.erfc(x)
    elif OP == "lgamma":
        z = libdevice.lgamma(tl.abs(x) + 0.5)
    elif OP == "remainder":
        z = libdevice.remainder(x, y)
    else:
        z = libdevice.fma(x, y, x)
    tl.store(out_ptr + offs, z, mask=m)


def _round_half_away(x: torch.Tensor) -> torch.Tensor:
    return torch.sign(x) * torch.floor(x.abs() + 0.5)


LIBDEVICE_MORE = {
    "asin": lambda x, y: torch.asin(x),
    "acos": lambda x, y: torch.acos(x),
    "atan": lambda x, y: torch.atan(x),
    "sinh": lambda x, y: torch.sinh(x),
    "cosh": lambda x, y: torch.cosh(x),
    "tan": lambda x, y: torch.tan(x),
    "asinh": lambda x, y: torch.asinh(x),
    "atanh": lambda x, y: torch.atanh(x),
    "cbrt": lambda x, y: torch.sign(x) * x.abs().pow(1 / 3),
    "hypot": lambda x, y: torch.hypot(x, y),
    "exp10": lambda x, y: torch.pow(10.0, x),
    "log10": lambda x, y: torch.log10(x.abs() + 0.1),
    "copysign": lambda x, y: torch.copysign(x, y),
    "signbit": lambda x, y: torch.signbit(x).to(x.dtype),
    "nearbyint": lambda x, y: torch.round(x * 4),  # half to even
    "round": lambda x, y: _round_half_away(x * 4),
    "erfc": lambda x, y: torch.erfc(x),
    "lgamma": lambda x, y: torch.lgamma(x.abs() + 0.5),
    "remainder": lambda x, y: x - torch.round(x / y) * y,  # IEEE remainder
    "fma": lambda x, y: x * y + x,
}


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("op", sorted(LIBDEVICE_MORE))
def test_libdevice_more(op, dtype):
    n = 150
    x = torch.rand(n, dtype=dtype) * 1.8 - 0.9  # inside the domain of asin, acos, atanh
    y = torch.randn(n, dtype=dtype) + 0.05
    x[:4] = torch.tensor([0.125, -0.125, 0.375, -0.625], dtype=dtype)  # halves after * 4
    out = torch.empty(n, dtype=dtype)
    libdevice_more_kernel[(triton.cdiv(n, 64),)](x, y, out, n, OP=op, BLOCK=64)
    tol = 1e-5 if dtype == torch.float32 else 1e-12
    torch.testing.assert_close(out, LIBDEVICE_MORE[op](x, y), rtol=tol * 10, atol=tol)


@triton.jit
def libdevice_edges_kernel(x_ptr, y_ptr, out_ptr, N: tl.constexpr):
    offs = tl.arange(0, N)
    x = tl.load(x_ptr + offs)
    y = tl.load(y_ptr + offs)
    tl.store(out_ptr + offs, libdevice.remainder(x, y))
    tl.store(out_ptr + N + offs, libdevice.hypot(x, y))
    tl.store(out_ptr + 2 * N + offs, libdevice.signbit(x).to(x.dtype))
    tl.store(out_ptr + 3 * N + offs, libdevice.exp10(y))
    tl.store(out_ptr + 4 * N + offs, libdevice.lgamma(y))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_libdevice_edge_values(dtype):
    """Ties of `remainder` go to the even quotient, zeros and NaNs keep
    their sign bit, and infinities and poles give what C's functions give."""
    inf, nan = float("inf"), float("nan")
    x = [5.5, 2.5, 3.5, -2.5, -0.0, 7.0, inf, 1.0, -nan, 3.0, nan, 0.0, 1.5, -1.5, 10.0, 1e30]
    y = [2.0, 1.0, 1.0, 1.0, 3.0, 0.0, 2.0, inf, 1.0, 4.0, inf, -1.0, 3.0, 3.0, 3.0, 1.0]
    x, y = torch.tensor(x, dtype=dtype), torch.tensor(y, dtype=dtype)
    n = x.numel()
    out = torch.empty(5 * n, dtype=dtype)
    libdevice_edges_kernel[(1,)](x, y, out, N=n)
    remainder, hypot, signbit, exp10, lgamma = out.view(5, n)
    want = torch.tensor(
        [-0.5, 0.5, -0.5, -0.5, -0.0, nan, nan, 1.0, nan, -1.0, nan, 0.0, 1.5, -1.5, 1.0, 0.0],
        dtype=dtype,
    )
    torch.testing.assert_close(remainder, want, equal_nan=True, rtol=0, atol=0)
    assert torch.equal(torch.signbit(remainder[:5]), torch.signbit(want[:5]))
    torch.testing.assert_close(hypot[:8], torch.hypot(x, y)[:8], equal_nan=True)
    torch.testing.assert_close(hypot[11:], torch.hypot(x, y)[11:])
    assert hypot[9].item() == 5.0 and hypot[10].item() == inf  # hypot(nan, inf)
    assert signbit.tolist() == [0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0]
    torch.testing.assert_close(exp10, torch.pow(10.0, y), equal_nan=True)
    assert exp10[0].item() == 100.0
    torch.testing.assert_close(lgamma, torch.lgamma(y), equal_nan=True)
