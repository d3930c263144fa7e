"""``triton.language.extra.libdevice`` calls: transcendental, rounding, classification,
integer bit tricks and rounding-mode arithmetic, on fp32 and fp64."""

from __future__ import annotations

import triton
import triton.language as tl
from triton.language.extra import libdevice

from ._case import CaseList

CASES = CaseList("libdevice")


@triton.jit
def hyperbolic_and_pow(a, b, out, BLOCK: tl.constexpr):
    """tanh, sinh, cosh, pow and atan2."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(a + offs)
    y = tl.load(b + offs)
    r = libdevice.tanh(x) + libdevice.sinh(x) * libdevice.cosh(y)
    r += libdevice.pow(tl.abs(x), y) + libdevice.atan2(y, x)
    tl.store(out + offs, r)


@triton.jit
def log_exp_family(src, out, BLOCK: tl.constexpr):
    """erf, erfc, erfinv, log1p, expm1, exp10, log10, cbrt."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    r = libdevice.erf(x) + libdevice.erfc(x) + libdevice.erfinv(x * 0.5)
    r += libdevice.log1p(tl.abs(x)) + libdevice.expm1(x) + libdevice.exp10(x)
    r += libdevice.log10(tl.abs(x) + 1.0) + libdevice.cbrt(x)
    tl.store(out + offs, r)


@triton.jit
def classify_and_round(src, o_flags, o_round, BLOCK: tl.constexpr):
    """isnan, isinf, signbit, finitef-style checks; rint, trunc, round, nearbyint."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    nan = libdevice.isnan(x).to(tl.int32)
    inf = libdevice.isinf(x).to(tl.int32)
    neg = (libdevice.signbit(x) != 0).to(tl.int32)
    tl.store(o_flags + offs, nan | (inf << 1) | (neg << 2))
    r = libdevice.rint(x) + libdevice.trunc(x) + libdevice.round(x) + libdevice.nearbyint(x)
    tl.store(o_round + offs, tl.where(nan | inf != 0, 0.0, r))


@triton.jit
def fmod_family(a, b, out, BLOCK: tl.constexpr):
    """fmod, remainder, copysign, fdim, hypot, nextafter."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(a + offs)
    y = tl.load(b + offs) + 1.0
    r = libdevice.fmod(x, y) + libdevice.remainder(x, y) + libdevice.copysign(x, y)
    r += libdevice.fdim(x, y) + libdevice.hypot(x, y) + libdevice.nextafter(x, y)
    tl.store(out + offs, r)


@triton.jit
def inverse_trig(src, out, BLOCK: tl.constexpr):
    """asin, acos, atan, asinh, acosh, atanh, tan."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs) * 0.5
    r = libdevice.asin(x) + libdevice.acos(x) + libdevice.atan(x)
    r += (
        libdevice.asinh(x)
        + libdevice.acosh(tl.abs(x) + 1.0)
        + libdevice.atanh(x)
        + libdevice.tan(x)
    )
    tl.store(out + offs, r)


@triton.jit
def special_functions(src, out, BLOCK: tl.constexpr):
    """lgamma, tgamma, j0, y1, normcdf, cyl_bessel_i0."""
    offs = tl.arange(0, BLOCK)
    x = tl.abs(tl.load(src + offs)) + 0.5
    r = libdevice.lgamma(x) + libdevice.tgamma(x) + libdevice.j0(x) + libdevice.y1(x)
    r += libdevice.normcdf(x) + libdevice.cyl_bessel_i0(x)
    tl.store(out + offs, r)


@triton.jit
def integer_bit_ops(src, out, BLOCK: tl.constexpr):
    """popc, clz, brev, ffs, mulhi, byte_perm on int32."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    r = libdevice.popc(x) + libdevice.clz(x) + libdevice.ffs(x)
    r += libdevice.brev(x) ^ libdevice.mulhi(x, 0x45D9F3B)
    r += libdevice.byte_perm(x, r, 0x3210)
    tl.store(out + offs, r)


@triton.jit
def integer_bit_ops_64(src, out, BLOCK: tl.constexpr):
    """64-bit popc, clz and brev."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    r = libdevice.popc(x).to(tl.int64) + libdevice.clz(x).to(tl.int64)
    tl.store(out + offs, r + libdevice.brev(x))


@triton.jit
def rounding_mode_arith(a, b, out, BLOCK: tl.constexpr):
    """Directed-rounding add/mul/div/sqrt/fma (``_rd``, ``_ru``, ``_rz``, ``_rn``)."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(a + offs)
    y = tl.load(b + offs) + 2.0
    r = libdevice.add_rd(x, y) + libdevice.mul_ru(x, y) + libdevice.div_rz(x, y)
    r += libdevice.sqrt_rn(tl.abs(x)) + libdevice.fma_rz(x, y, 1.0) + libdevice.rcp_rn(y)
    tl.store(out + offs, r)


@triton.jit
def fast_math(src, out, BLOCK: tl.constexpr):
    """fast_expf, fast_logf, fast_sinf, fast_dividef, fast_powf, rsqrt."""
    offs = tl.arange(0, BLOCK)
    x = tl.abs(tl.load(src + offs)) + 0.25
    r = libdevice.fast_expf(x) + libdevice.fast_logf(x) + libdevice.fast_sinf(x)
    r += libdevice.fast_dividef(x, x + 1.0) + libdevice.fast_powf(x, 1.5) + libdevice.rsqrt(x)
    tl.store(out + offs, r)


@triton.jit
def float_int_conversions(src, o_int, o_bits, BLOCK: tl.constexpr):
    """float2int_rn, float_as_int, int_as_float, ilogb, ldexp, frexp-free scaling."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    n = libdevice.float2int_rn(x) + libdevice.ilogb(x + 1.0)
    tl.store(o_int + offs, n)
    scaled = libdevice.ldexp(x, n & 7)
    tl.store(
        o_bits + offs,
        libdevice.float_as_int(libdevice.int_as_float(libdevice.float_as_int(scaled))),
    )


@triton.jit
def double_precision(a, b, out, BLOCK: tl.constexpr):
    """fp64 overloads: tanh, pow, log1p, expm1, fmod, atan2, isnan, rint."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(a + offs)
    y = tl.load(b + offs)
    r = libdevice.tanh(x) + libdevice.pow(tl.abs(x), y) + libdevice.log1p(tl.abs(y))
    r += libdevice.expm1(x) + libdevice.fmod(x, y + 3.0) + libdevice.atan2(x, y) + libdevice.rint(y)
    tl.store(out + offs, tl.where(libdevice.isnan(r), 0.0, r))


@triton.jit
def gelu_tanh_fp16(src, out, BLOCK: tl.constexpr):
    """tanh-approximated GELU computing in fp32 on fp16 data."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs).to(tl.float32)
    inner = 0.7978845608 * (x + 0.044715 * x * x * x)
    tl.store(out + offs, (0.5 * x * (1.0 + libdevice.tanh(inner))).to(tl.float16))


_F32 = {"BLOCK": 128}
CASES.add(hyperbolic_and_pow, {"a": "*fp32", "b": "*fp32", "out": "*fp32"}, _F32)
CASES.add(log_exp_family, {"src": "*fp32", "out": "*fp32"}, _F32)
CASES.add(classify_and_round, {"src": "*fp32", "o_flags": "*i32", "o_round": "*fp32"}, _F32)
CASES.add(
    classify_and_round,
    {"src": "*fp64", "o_flags": "*i32", "o_round": "*fp64"},
    {"BLOCK": 64},
    name="classify_and_round_fp64",
)
CASES.add(fmod_family, {"a": "*fp32", "b": "*fp32", "out": "*fp32"}, _F32)
CASES.add(inverse_trig, {"src": "*fp32", "out": "*fp32"}, _F32)
CASES.add(special_functions, {"src": "*fp32", "out": "*fp32"}, {"BLOCK": 64})
CASES.add(integer_bit_ops, {"src": "*i32", "out": "*i32"}, _F32)
CASES.add(integer_bit_ops_64, {"src": "*i64", "out": "*i64"}, {"BLOCK": 64})
CASES.add(rounding_mode_arith, {"a": "*fp32", "b": "*fp32", "out": "*fp32"}, _F32)
CASES.add(fast_math, {"src": "*fp32", "out": "*fp32"}, _F32)
CASES.add(float_int_conversions, {"src": "*fp32", "o_int": "*i32", "o_bits": "*i32"}, _F32)
CASES.add(double_precision, {"a": "*fp64", "b": "*fp64", "out": "*fp64"}, {"BLOCK": 64})
CASES.add(gelu_tanh_fp16, {"src": "*fp16", "out": "*fp16"}, {"BLOCK": 256})
