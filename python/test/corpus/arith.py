"""Element-wise arithmetic: binary/bitwise/comparison operators on signed, unsigned and
floating types, min/max with NaN propagation, and the tl math functions."""

from __future__ import annotations

import triton
import triton.language as tl

from ._case import CaseList

CASES = CaseList("arith")


@triton.jit
def float_binary_ops(a, b, out, n, BLOCK: tl.constexpr):
    """``+ - * / %`` on floats, scalar-tensor mixing, and unary minus."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(a + offs, mask=mask, other=1.0)
    y = tl.load(b + offs, mask=mask, other=1.0)
    r = (x + y) * (x - y) / (y * y + 1.0) + x % y
    tl.store(out + offs, -r + 2.0 * x - 0.5, mask=mask)


@triton.jit
def int_binary_ops(a, b, out_i, out_f, n, BLOCK: tl.constexpr):
    """``+ - * // %`` on integers and true division ``/`` (int -> float)."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(a + offs, mask=mask, other=1)
    y = tl.load(b + offs, mask=mask, other=1)
    r = (x + y) * (x - y) + x // y - x % y + 3 * x
    tl.store(out_i + offs, -r, mask=mask)
    tl.store(out_f + offs, x / y, mask=mask)


@triton.jit
def bitwise_ops(a, b, out, n, BLOCK: tl.constexpr):
    """``& | ^ << >> ~`` on integers (arithmetic or logical shift by signedness)."""
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(a + offs, mask=mask, other=0)
    y = tl.load(b + offs, mask=mask, other=0)
    s = y & 15
    r = ((x & y) | (x ^ ~y)) + (x << s) + (x >> s) + (x >> 3)
    tl.store(out + offs, r, mask=mask)


@triton.jit
def unsigned_div_rem(a, b, out, BLOCK: tl.constexpr):
    """Division, remainder and comparisons on unsigned integers."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(a + offs)
    y = tl.load(b + offs) | 1
    big = x > y
    tl.store(out + offs, tl.where(big, x // y, x % y) + (x >> 2))


@triton.jit
def comparisons(a, b, out, BLOCK: tl.constexpr):
    """All six comparisons, combined with boolean ``& | ^`` and stored as int8."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(a + offs)
    y = tl.load(b + offs)
    lt = x < y
    le = x <= y
    gt = x > y
    ge = x >= y
    eq = x == y
    ne = x != y
    r = (lt & ge) | (le ^ gt) | (eq & ~ne)
    tl.store(out + offs, r.to(tl.int8))


@triton.jit
def abs_and_neg(fa, ia, fo, io, BLOCK: tl.constexpr):
    """``tl.abs`` and unary ``-`` on floats and integers; ``not`` on a scalar."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(fa + offs)
    i = tl.load(ia + offs)
    flag = not (BLOCK > 1024)
    tl.store(fo + offs, tl.abs(-x) * flag)
    tl.store(io + offs, tl.abs(i) - (-i))


@triton.jit
def min_max_nan(a, b, o1, o2, BLOCK: tl.constexpr):
    """``tl.minimum``/``tl.maximum`` with default and ``PropagateNan.ALL`` semantics."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(a + offs)
    y = tl.load(b + offs)
    lo = tl.minimum(x, y)
    hi = tl.maximum(x, y)
    lo_nan = tl.minimum(x, y, propagate_nan=tl.PropagateNan.ALL)
    hi_nan = tl.maximum(x, y, propagate_nan=tl.PropagateNan.ALL)
    tl.store(o1 + offs, lo + hi)
    tl.store(o2 + offs, lo_nan + hi_nan)


@triton.jit
def int_min_max(a, b, out, BLOCK: tl.constexpr):
    """Integer ``tl.minimum``/``tl.maximum`` (signed or unsigned by dtype)."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(a + offs)
    y = tl.load(b + offs)
    tl.store(out + offs, tl.maximum(x, y) - tl.minimum(x, y))


@triton.jit
def transcendental_fns(src, out, BLOCK: tl.constexpr):
    """exp, exp2, log, log2, cos, sin, sqrt, sqrt_rn, rsqrt, erf."""
    offs = tl.arange(0, BLOCK)
    x = tl.abs(tl.load(src + offs)) + 0.1
    r = tl.exp(x) + tl.exp2(x) + tl.log(x) + tl.log2(x)
    r += tl.cos(x) * tl.sin(x)
    r += tl.sqrt(x) + tl.sqrt_rn(x) + tl.rsqrt(x) + tl.erf(x)
    tl.store(out + offs, r)


@triton.jit
def rounding_fns(src, out, BLOCK: tl.constexpr):
    """``tl.floor`` and ``tl.ceil``."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    tl.store(out + offs, tl.floor(x) * 2 + tl.ceil(x))


@triton.jit
def fused_and_rounded_div(a, b, c, out, BLOCK: tl.constexpr):
    """``tl.fma``, ``tl.fdiv`` (fast and ieee), ``tl.div_rn``."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(a + offs)
    y = tl.load(b + offs) + 1.0
    z = tl.load(c + offs)
    r = tl.fma(x, y, z) + tl.fdiv(x, y) + tl.fdiv(x, y, ieee_rounding=True) + tl.div_rn(z, y)
    tl.store(out + offs, r)


@triton.jit
def sigmoid_softmax(src, o_sig, o_soft, M: tl.constexpr, N: tl.constexpr):
    """``tl.sigmoid`` and ``tl.softmax`` over the last axis of a tile."""
    offs = tl.arange(0, M)[:, None] * N + tl.arange(0, N)[None, :]
    x = tl.load(src + offs)
    tl.store(o_sig + offs, tl.sigmoid(x))
    tl.store(o_soft + offs, tl.softmax(x, dim=1, keep_dims=True))
    row0 = tl.load(src + tl.arange(0, N))
    tl.store(o_soft + tl.arange(0, N), tl.softmax(row0, ieee_rounding=True))


@triton.jit
def umulhi_ops(a, b, out, BLOCK: tl.constexpr):
    """``tl.umulhi`` (high half of the 64-bit product)."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(a + offs)
    y = tl.load(b + offs)
    tl.store(out + offs, tl.umulhi(x, y) ^ tl.umulhi(x, 0x9E3779B9))


@triton.jit
def half_precision_math(a, b, out, BLOCK: tl.constexpr):
    """fp16/bf16 arithmetic, with explicit fp32 round trips for exp/sqrt."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(a + offs)
    y = tl.load(b + offs)
    e = tl.exp(x.to(tl.float32)).to(x.dtype)
    r = x * y + e - tl.sqrt(tl.abs(y).to(tl.float32)).to(y.dtype) + tl.maximum(x, y) / (x - y)
    tl.store(out + offs, r)


@triton.jit
def small_int_promotion(a, b, out, BLOCK: tl.constexpr):
    """int8 + int16 promotion, mixed with a Python int scalar."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(a + offs)
    y = tl.load(b + offs)
    tl.store(out + offs, (x + y) * 3 - (x >> 1))


@triton.jit
def fp64_arith(a, b, out, BLOCK: tl.constexpr):
    """fp64 arithmetic and math functions."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(a + offs)
    y = tl.load(b + offs)
    r = tl.sqrt(x * x + y * y) + tl.exp(x) / (y + 2.0) - tl.fma(x, y, 1.0)
    tl.store(out + offs, r)


@triton.jit
def scalar_arith(out, x, y, z):
    """Scalar-only arithmetic on kernel arguments (no tensors)."""
    q = x // y + x % y - (x << 2) + (y & 7)
    f = z * 2.5 - x / y
    tl.store(out, f + q)


@triton.jit
def int64_overflow_math(a, out, BLOCK: tl.constexpr):
    """64-bit integer multiply-xorshift hashing with large literals."""
    offs = tl.arange(0, BLOCK)
    h = tl.load(a + offs)
    h = h ^ (h >> 33)
    h = h * 0x7FB5D329728EA185
    h = h ^ (h >> 27)
    tl.store(out + offs, h)


@triton.jit
def chained_math_fp32_scalar(src, out, alpha, BLOCK: tl.constexpr):
    """Runtime fp32 scalar arguments broadcast into math-heavy expressions."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    r = tl.exp(alpha * x) * tl.log(1.0 + tl.abs(x)) - tl.sqrt(alpha) * tl.cos(x * 3.14159)
    tl.store(out + offs, r)


CASES.add(
    float_binary_ops,
    {"a": "*fp32", "b": "*fp32", "out": "*fp32", "n": "i32"},
    {"BLOCK": 128},
)
# Python ``//`` on float tensors is rejected by the Triton 3.6 front end ("unexpected type fp32").
CASES.add(
    int_binary_ops,
    {"a": "*i32", "b": "*i32", "out_i": "*i32", "out_f": "*fp32", "n": "i32"},
    {"BLOCK": 128},
)
CASES.add(
    int_binary_ops,
    {"a": "*i64", "b": "*i64", "out_i": "*i64", "out_f": "*fp64", "n": "i32"},
    {"BLOCK": 64},
    name="int_binary_ops_i64",
)
CASES.add(bitwise_ops, {"a": "*i32", "b": "*i32", "out": "*i32", "n": "i32"}, {"BLOCK": 128})
CASES.add(
    bitwise_ops,
    {"a": "*u32", "b": "*u32", "out": "*u32", "n": "i32"},
    {"BLOCK": 128},
    name="bitwise_ops_u32",
)
CASES.add(
    bitwise_ops,
    {"a": "*i64", "b": "*i64", "out": "*i64", "n": "i32"},
    {"BLOCK": 64},
    name="bitwise_ops_i64",
)
CASES.add(unsigned_div_rem, {"a": "*u32", "b": "*u32", "out": "*u32"}, {"BLOCK": 64})
CASES.add(
    unsigned_div_rem,
    {"a": "*u8", "b": "*u8", "out": "*u8"},
    {"BLOCK": 64},
    name="unsigned_div_rem_u8",
)
CASES.add(comparisons, {"a": "*fp32", "b": "*fp32", "out": "*i8"}, {"BLOCK": 64})
CASES.add(
    comparisons,
    {"a": "*u16", "b": "*u16", "out": "*i8"},
    {"BLOCK": 64},
    name="comparisons_u16",
)
CASES.add(
    abs_and_neg,
    {"fa": "*fp16", "ia": "*i32", "fo": "*fp16", "io": "*i32"},
    {"BLOCK": 64},
)
CASES.add(
    min_max_nan,
    {"a": "*fp32", "b": "*fp32", "o1": "*fp32", "o2": "*fp32"},
    {"BLOCK": 128},
)
CASES.add(int_min_max, {"a": "*u32", "b": "*u32", "out": "*u32"}, {"BLOCK": 64})
CASES.add(
    int_min_max,
    {"a": "*i16", "b": "*i16", "out": "*i16"},
    {"BLOCK": 64},
    name="int_min_max_i16",
)
CASES.add(transcendental_fns, {"src": "*fp32", "out": "*fp32"}, {"BLOCK": 128})
CASES.add(rounding_fns, {"src": "*fp32", "out": "*fp32"}, {"BLOCK": 64})
CASES.add(
    rounding_fns,
    {"src": "*fp64", "out": "*fp64"},
    {"BLOCK": 64},
    name="rounding_fns_fp64",
)
CASES.add(
    fused_and_rounded_div,
    {"a": "*fp32", "b": "*fp32", "c": "*fp32", "out": "*fp32"},
    {"BLOCK": 128},
)
CASES.add(
    sigmoid_softmax,
    {"src": "*fp32", "o_sig": "*fp32", "o_soft": "*fp32"},
    {"M": 8, "N": 64},
)
CASES.add(umulhi_ops, {"a": "*u32", "b": "*u32", "out": "*u32"}, {"BLOCK": 64})
CASES.add(
    umulhi_ops,
    {"a": "*i32", "b": "*i32", "out": "*i32"},
    {"BLOCK": 64},
    name="umulhi_ops_i32",
)
CASES.add(half_precision_math, {"a": "*fp16", "b": "*fp16", "out": "*fp16"}, {"BLOCK": 128})
CASES.add(
    half_precision_math,
    {"a": "*bf16", "b": "*bf16", "out": "*bf16"},
    {"BLOCK": 128},
    name="half_precision_math_bf16",
)
CASES.add(small_int_promotion, {"a": "*i8", "b": "*i16", "out": "*i16"}, {"BLOCK": 64})
CASES.add(fp64_arith, {"a": "*fp64", "b": "*fp64", "out": "*fp64"}, {"BLOCK": 64})
CASES.add(scalar_arith, {"out": "*fp32", "x": "i32", "y": "i32", "z": "fp32"})
CASES.add(int64_overflow_math, {"a": "*u64", "out": "*u64"}, {"BLOCK": 64})
CASES.add(
    chained_math_fp32_scalar,
    {"src": "*fp32", "out": "*fp32", "alpha": "fp32"},
    {"BLOCK": 128},
)
