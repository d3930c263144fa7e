"""Type conversions: integer widths and signedness, float widths, fp8 formats, rounding
modes, bitcasts, ``tl.cast``, and pointer <-> integer conversions."""

from __future__ import annotations

import triton
import triton.language as tl

from ._case import CaseList

CASES = CaseList("casts")


@triton.jit
def int_width_chain(src, o8, o16, o64, BLOCK: tl.constexpr):
    """Signed widening (i8 -> i16 -> i32 -> i64) and narrowing (i32 -> i8) casts."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    tl.store(o8 + offs, x.to(tl.int8))
    tl.store(o16 + offs, x.to(tl.int8).to(tl.int16) * 2)
    tl.store(o64 + offs, x.to(tl.int64) << 20)


@triton.jit
def unsigned_casts(u8, u64, out32, outf, BLOCK: tl.constexpr):
    """Unsigned zero-extension, u64 -> u32 truncation, uint -> float, int <-> uint."""
    offs = tl.arange(0, BLOCK)
    a = tl.load(u8 + offs)
    b = tl.load(u64 + offs)
    wide = a.to(tl.uint32) + b.to(tl.uint32)
    tl.store(out32 + offs, wide.to(tl.int32).to(tl.uint32))
    tl.store(outf + offs, b.to(tl.float32) + a.to(tl.float32))


@triton.jit
def uint16_to_int(src, out, BLOCK: tl.constexpr):
    """u16 -> i64 and i64 -> u16 conversions."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    y = x.to(tl.int64) * 3 - 1
    tl.store(out + offs, y.to(tl.uint16))


@triton.jit
def float_width_casts(src, o16, obf, o64, BLOCK: tl.constexpr):
    """fp32 -> fp16, bf16, fp64 and back to fp32 in an expression."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    h = x.to(tl.float16)
    b = x.to(tl.bfloat16)
    d = x.to(tl.float64)
    tl.store(o16 + offs, h)
    tl.store(obf + offs, b)
    tl.store(o64 + offs, d + h.to(tl.float64) + b.to(tl.float32).to(tl.float64))


@triton.jit
def half_to_bf16(src, dst, BLOCK: tl.constexpr):
    """fp16 <-> bf16 and fp64 -> fp16 conversions."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    tl.store(dst + offs, x.to(tl.bfloat16))


@triton.jit
def fp8_roundtrip(src, q, dq, BLOCK: tl.constexpr, FP8: tl.constexpr):
    """Quantize fp32 to an fp8 format, store it, and dequantize."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    f8 = (x * 16.0).to(FP8)
    tl.store(q + offs, f8)
    tl.store(dq + offs, f8.to(tl.float32) / 16.0)


@triton.jit
def fp8_from_half(src, q, back, BLOCK: tl.constexpr, FP8: tl.constexpr):
    """fp16/bf16 -> fp8 -> fp16/bf16 conversions."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    f8 = x.to(FP8)
    tl.store(q + offs, f8)
    tl.store(back + offs, f8.to(x.dtype))


@triton.jit
def downcast_rounding(src, o16_rtz, o16_rtne, obf_rtz, o8_rtz, BLOCK: tl.constexpr):
    """``fp_downcast_rounding`` ``"rtz"`` and ``"rtne"`` on fp32 -> fp16/bf16/fp8."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    tl.store(o16_rtz + offs, x.to(tl.float16, fp_downcast_rounding="rtz"))
    tl.store(o16_rtne + offs, x.to(tl.float16, fp_downcast_rounding="rtne"))
    tl.store(obf_rtz + offs, x.to(tl.bfloat16, fp_downcast_rounding="rtz"))
    tl.store(o8_rtz + offs, x.to(tl.float8e5, fp_downcast_rounding="rtz"))


@triton.jit
def bitcasts(f32, f16, bf, oi32, oi16, ou16, BLOCK: tl.constexpr):
    """``bitcast=True`` between same-width float and integer types."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(f32 + offs)
    h = tl.load(f16 + offs)
    b = tl.load(bf + offs)
    bits = x.to(tl.int32, bitcast=True)
    sign_cleared = (bits & 0x7FFFFFFF).to(tl.float32, bitcast=True)
    tl.store(oi32 + offs, sign_cleared.to(tl.int32, bitcast=True))
    tl.store(oi16 + offs, h.to(tl.int16, bitcast=True))
    tl.store(ou16 + offs, b.to(tl.uint16, bitcast=True))


@triton.jit
def fp8_bitcast_bytes(src, out, BLOCK: tl.constexpr):
    """Reinterpret raw bytes as fp8 e4m3 and widen to fp32."""
    offs = tl.arange(0, BLOCK)
    raw = tl.load(src + offs)
    tl.store(out + offs, raw.to(tl.float8e4nv, bitcast=True).to(tl.float32))


@triton.jit
def tl_cast_fn(src, o_int, o_half, BLOCK: tl.constexpr):
    """``tl.cast`` with a target dtype, rounding mode and bitcast."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    tl.store(
        o_int + offs,
        tl.cast(x, tl.int32) + tl.cast(x, tl.uint32, bitcast=True).to(tl.int32),
    )
    tl.store(o_half + offs, tl.cast(x, tl.float16, fp_downcast_rounding="rtz"))


@triton.jit
def int_float_conversions(fi, ii, of, oi, BLOCK: tl.constexpr):
    """float -> int truncation, int -> float, and fp16 -> int8 / int8 -> bf16."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(fi + offs)
    i = tl.load(ii + offs)
    tl.store(oi + offs, x.to(tl.int32) + x.to(tl.float16).to(tl.int8).to(tl.int32))
    tl.store(of + offs, i.to(tl.float32) + i.to(tl.int8).to(tl.bfloat16).to(tl.float32))


@triton.jit
def float_to_unsigned(src, o8, o32, o64, BLOCK: tl.constexpr):
    """fp32 -> u8 / u32 / u64 conversions (unsigned float-to-int)."""
    offs = tl.arange(0, BLOCK)
    x = tl.abs(tl.load(src + offs))
    tl.store(o8 + offs, x.to(tl.uint8))
    tl.store(o32 + offs, x.to(tl.uint32))
    tl.store(o64 + offs, x.to(tl.float64).to(tl.uint64))


@triton.jit
def bool_casts(src, out_i, out_f, BLOCK: tl.constexpr):
    """float -> int1 (non-zero test), int1 -> fp32 and int1 -> int8."""
    offs = tl.arange(0, BLOCK)
    x = tl.load(src + offs)
    nz = x.to(tl.int1)
    tl.store(out_i + offs, nz.to(tl.int8))
    tl.store(out_f + offs, nz.to(tl.float32) * x)


@triton.jit
def pointer_int_roundtrip(src, addrs, dst, BLOCK: tl.constexpr):
    """Pointer -> int64 (tt.ptr_to_int) and int64 -> pointer (tt.int_to_ptr)."""
    pid = tl.program_id(0)
    base = src.to(tl.int64)
    tl.store(addrs + pid, base)
    row_addr = tl.load(addrs + pid) + pid * BLOCK * 4
    row = row_addr.to(tl.pointer_type(tl.float32))
    offs = tl.arange(0, BLOCK)
    tl.store(dst + pid * BLOCK + offs, tl.load(row + offs))


@triton.jit
def pointer_table_i64(table, out, BLOCK: tl.constexpr):
    """A table of raw i64 addresses turned into a tensor of fp16 pointers."""
    offs = tl.arange(0, BLOCK)
    addr = tl.load(table + offs // 16) + (offs % 16) * 2
    ptrs = addr.to(tl.pointer_type(tl.float16))
    tl.store(out + offs, tl.load(ptrs))


@triton.jit
def pointer_element_cast(src, dst, BLOCK: tl.constexpr):
    """Reinterpret an fp32 pointer as an int32 pointer (pointer -> pointer cast)."""
    offs = tl.arange(0, BLOCK)
    as_int = src.to(tl.pointer_type(tl.int32))
    bits = tl.load(as_int + offs)
    tl.store(dst + offs, bits >> 23)


@triton.jit
def scalar_arg_casts(out, i, f, u):
    """Casts of scalar kernel arguments of several types."""
    acc = i.to(tl.float32) + f.to(tl.int32).to(tl.float32) + u.to(tl.float64).to(tl.float32)
    tl.store(out, acc.to(tl.float16))


CASES.add(
    int_width_chain,
    {"src": "*i32", "o8": "*i8", "o16": "*i16", "o64": "*i64"},
    {"BLOCK": 64},
)
CASES.add(
    unsigned_casts,
    {"u8": "*u8", "u64": "*u64", "out32": "*u32", "outf": "*fp32"},
    {"BLOCK": 64},
)
CASES.add(uint16_to_int, {"src": "*u16", "out": "*u16"}, {"BLOCK": 64})
CASES.add(
    float_width_casts,
    {"src": "*fp32", "o16": "*fp16", "obf": "*bf16", "o64": "*fp64"},
    {"BLOCK": 128},
)
CASES.add(half_to_bf16, {"src": "*fp16", "dst": "*bf16"}, {"BLOCK": 128})
CASES.add(half_to_bf16, {"src": "*fp64", "dst": "*bf16"}, {"BLOCK": 64}, name="fp64_to_bf16")
CASES.add(
    fp8_roundtrip,
    {"src": "*fp32", "q": "*fp8e4nv", "dq": "*fp32"},
    {"BLOCK": 128, "FP8": tl.float8e4nv},
    name="fp8_e4m3_roundtrip",
)
CASES.add(
    fp8_roundtrip,
    {"src": "*fp32", "q": "*fp8e5", "dq": "*fp32"},
    {"BLOCK": 128, "FP8": tl.float8e5},
    name="fp8_e5m2_roundtrip",
)
CASES.add(
    fp8_from_half,
    {"src": "*fp16", "q": "*fp8e4nv", "back": "*fp16"},
    {"BLOCK": 128, "FP8": tl.float8e4nv},
    name="fp8_e4m3_from_fp16",
)
CASES.add(
    fp8_from_half,
    {"src": "*bf16", "q": "*fp8e5", "back": "*bf16"},
    {"BLOCK": 128, "FP8": tl.float8e5},
    name="fp8_e5m2_from_bf16",
)
CASES.add(
    downcast_rounding,
    {
        "src": "*fp32",
        "o16_rtz": "*fp16",
        "o16_rtne": "*fp16",
        "obf_rtz": "*bf16",
        "o8_rtz": "*fp8e5",
    },
    {"BLOCK": 64},
)
# fp64 -> fp32 with ``fp_downcast_rounding="rtz"`` reaches TTIR but ConvertTritonGPUToLLVM
# rejects it on sm90 ("Unsupported rounding mode for conversion"), so it is not in the corpus.
CASES.add(
    bitcasts,
    {
        "f32": "*fp32",
        "f16": "*fp16",
        "bf": "*bf16",
        "oi32": "*i32",
        "oi16": "*i16",
        "ou16": "*u16",
    },
    {"BLOCK": 64},
)
CASES.add(fp8_bitcast_bytes, {"src": "*u8", "out": "*fp32"}, {"BLOCK": 128})
CASES.add(tl_cast_fn, {"src": "*fp32", "o_int": "*i32", "o_half": "*fp16"}, {"BLOCK": 64})
CASES.add(
    int_float_conversions,
    {"fi": "*fp32", "ii": "*i32", "of": "*fp32", "oi": "*i32"},
    {"BLOCK": 64},
)
CASES.add(float_to_unsigned, "*fp32 *u8 *u32 *u64", {"BLOCK": 64})
CASES.add(bool_casts, {"src": "*fp32", "out_i": "*i8", "out_f": "*fp32"}, {"BLOCK": 64})
CASES.add(
    pointer_int_roundtrip,
    {"src": "*fp32", "addrs": "*i64", "dst": "*fp32"},
    {"BLOCK": 64},
)
CASES.add(pointer_table_i64, {"table": "*i64", "out": "*fp16"}, {"BLOCK": 64})
CASES.add(pointer_element_cast, {"src": "*fp32", "dst": "*i32"}, {"BLOCK": 64})
CASES.add(scalar_arg_casts, {"out": "*fp16", "i": "i32", "f": "fp32", "u": "u64"})
