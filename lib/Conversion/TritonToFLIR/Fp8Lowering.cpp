//===- Fp8Lowering.cpp - tt.fp_to_fp from and to fp8 as integer code -----===//
//
// Hosts have no fp8 arithmetic and LLVM no fp8 types, so conversions from
// and to `f8E4M3FN`, `f8E5M2`, `f8E4M3FNUZ` and `f8E5M2FNUZ` become
// element-wise integer code on the bits (vectorizable like any other
// element-wise op); memory keeps the fp8 element types, one byte each.
//
// To fp8 (from f16, bf16, f32 or f64, through f32) rounds to nearest even
// with torch's rules for out-of-range values: f8E4M3FN saturates to +-448
// (infinities too) and keeps NaN; f8E5M2 overflows to +-inf. The "fnuz"
// formats (exponent bias one more, no infinities, no negative zero, 0x80
// the only NaN) turn overflow, infinities and NaN into 0x80, and a negative
// value that rounds to zero into 0x00. The rounding adds half an ulp (minus
// one, plus the lowest kept bit) to the f32 bits and shifts; values below
// the smallest normal number are rounded by an f32 addition of a power of
// two that moves the kept bits to the bottom.
//
// From fp8: f8E5M2 is the upper byte of an f16; the other formats are
// rebuilt as f32 bits (subnormals as mantissa * 2^(1 - bias - mantissa
// bits), NaN from its pattern). All are exact.
//
// With `rounding = rtz`, to f8E5M2 (as PTX does it: toward zero to f16,
// then its upper byte) and f8E4M3FN: the nearest code, one code nearer to
// zero where it is farther from zero than the input.
//
// Between f16, bf16, f32 and f64, widening is exact and narrowing rounds to
// nearest even, or toward zero (`rounding = rtz`): the nearest value, one
// ulp nearer to zero (the integer bits minus one) where it is farther from
// zero than the input. A finite input thus never becomes an infinity (it
// gives the largest finite value); infinities and NaN stay as they are.
//
//===----------------------------------------------------------------------===//

#include "KernelLowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace flagtree;
using namespace flagtree::flir;

namespace {

/// Element-wise integer and float code on scalars or tensors of one shape.
class Bits {
public:
  Bits(OpBuilder &b, Location loc, Type shapeLike)
      : b(b), loc(loc), shapeLike(shapeLike) {}

  /// `element` in the shape of the converted value.
  Type like(Type element) const { return typeLike(shapeLike, element); }
  Value i32(uint32_t value) { return constant(b.getI32Type(), value); }
  Value constant(Type element, uint64_t value) {
    return constantLike(b, loc, b.getIntegerAttr(element, value), shapeLike);
  }
  Value f32(float value) {
    return constantLike(b, loc, b.getF32FloatAttr(value), shapeLike);
  }
  Value bitcast(Type element, Value v) {
    return arith::BitcastOp::create(b, loc, like(element), v);
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value band(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value bor(Value x, Value y) { return arith::OrIOp::create(b, loc, x, y); }
  Value bxor(Value x, Value y) { return arith::XOrIOp::create(b, loc, x, y); }
  Value shl(Value x, Value y) { return arith::ShLIOp::create(b, loc, x, y); }
  Value shr(Value x, Value y) { return arith::ShRUIOp::create(b, loc, x, y); }
  Value ult(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, y);
  }
  Value ugt(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, x, y);
  }
  Value eq(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, y);
  }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }
  /// A float value of any width as the same value in `to` (f32 in the
  /// middle); exact except f64 -> f32, rounded to nearest even.
  Value convertFloat(Value v, Type to) {
    Type from = getElementTypeOrSelf(v.getType());
    if (from == to)
      return v;
    if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
      return arith::ExtFOp::create(b, loc, like(to), v);
    if (from.getIntOrFloatBitWidth() > to.getIntOrFloatBitWidth())
      return arith::TruncFOp::create(b, loc, like(to), v);
    // bf16 <-> f16: through f32.
    return convertFloat(convertFloat(v, b.getF32Type()), to);
  }

  OpBuilder &b;
  Location loc;
  Type shapeLike;
};

/// What a format does with values beyond its largest finite number.
enum class Overflow { Saturate, Infinity, NaN };

/// The parameters of one fp8 format.
struct Fp8Format {
  unsigned mantissaBits;
  int bias;
  /// f32 bits of the smallest normal number.
  uint32_t minNormal;
  /// f32 bits of 2^(1 - bias - mantissaBits + 23): adding it moves a
  /// subnormal's kept bits to the bottom of the f32 mantissa.
  uint32_t subnormalShift;
  Overflow overflow;
  /// For Saturate and Infinity: the f32 bits from which the result is the
  /// largest finite number or infinity, and that result's bits.
  uint32_t overflowFrom;
  uint8_t overflowBits;
};

Fp8Format formatOf(Type type) {
  if (isa<Float8E4M3FNType>(type))
    return {3,           7,   121u << 23, 141u << 23, Overflow::Saturate,
            0x43e00000u, 0x7e};
  if (isa<Float8E5M2Type>(type))
    return {2,          15,  113u << 23, 134u << 23, Overflow::Infinity,
            143u << 23, 0x7c};
  if (isa<Float8E4M3FNUZType>(type))
    return {3, 8, 120u << 23, 140u << 23, Overflow::NaN, 0, 0};
  assert(isa<Float8E5M2FNUZType>(type) && "not an fp8 format of the lane");
  return {2, 16, 112u << 23, 133u << 23, Overflow::NaN, 0, 0};
}

Value f32ToFp8(Bits &x, Value f32, Type fp8) {
  Fp8Format format = formatOf(fp8);
  OpBuilder &b = x.b;
  unsigned shift = 23 - format.mantissaBits;
  Value bits = x.bitcast(b.getI32Type(), f32);
  Value sign = x.band(bits, x.i32(0x80000000u));
  Value magnitude = x.bxor(bits, sign);
  // Normal range: round the mantissa to nearest even, rebias the exponent.
  Value odd = x.band(x.shr(magnitude, x.i32(shift)), x.i32(1));
  Value rebias = x.i32(static_cast<uint32_t>(format.bias - 127) << 23);
  Value rounded = x.add(x.add(magnitude, rebias),
                        x.add(x.i32((1u << (shift - 1)) - 1), odd));
  Value normal = x.shr(rounded, x.i32(shift));
  // Subnormal range: an f32 addition rounds at the right bit.
  Value moved = arith::AddFOp::create(
      b, x.loc, x.bitcast(b.getF32Type(), magnitude),
      x.bitcast(b.getF32Type(), x.i32(format.subnormalShift)));
  Value subnormal =
      x.sub(x.bitcast(b.getI32Type(), moved), x.i32(format.subnormalShift));
  Value result =
      x.select(x.ult(magnitude, x.i32(format.minNormal)), subnormal, normal);
  Value nan = x.ugt(magnitude, x.i32(0x7f800000u));
  Value signByte = x.shr(sign, x.i32(24));
  if (format.overflow == Overflow::NaN) {
    // Infinities round past 0x7f like any value too large.
    Value invalid =
        arith::OrIOp::create(b, x.loc, nan, x.ugt(result, x.i32(0x7f)));
    // No negative zero: a zero keeps no sign.
    signByte = x.select(x.eq(result, x.i32(0)), x.i32(0), signByte);
    result = x.select(invalid, x.i32(0x80), result);
  } else {
    Value big = format.overflow == Overflow::Saturate
                    ? x.ugt(result, x.i32(format.overflowBits))
                    : x.ugt(magnitude, x.i32(format.overflowFrom - 1));
    result = x.select(big, x.i32(format.overflowBits), result);
    result = x.select(nan, x.i32(0x7f), result);
  }
  result = x.bor(result, signByte);
  Value byte = arith::TruncIOp::create(b, x.loc, x.like(b.getI8Type()), result);
  return x.bitcast(fp8, byte);
}

Value fp8ToF32(Bits &x, Value fp8) {
  OpBuilder &b = x.b;
  Type from = getElementTypeOrSelf(fp8.getType());
  Value byte = x.bitcast(b.getI8Type(), fp8);
  if (isa<Float8E5M2Type>(from)) {
    Value wide = arith::ExtUIOp::create(b, x.loc, x.like(b.getI16Type()), byte);
    Value half =
        x.bitcast(b.getF16Type(), x.shl(wide, x.constant(b.getI16Type(), 8)));
    return x.convertFloat(half, b.getF32Type());
  }
  Fp8Format format = formatOf(from);
  unsigned m = format.mantissaBits;
  Value bits = arith::ExtUIOp::create(b, x.loc, x.like(b.getI32Type()), byte);
  Value sign = x.shl(x.band(bits, x.i32(0x80)), x.i32(24));
  Value exponent = x.band(x.shr(bits, x.i32(m)), x.i32((1u << (7 - m)) - 1));
  Value mantissa = x.band(bits, x.i32((1u << m) - 1));
  Value normal =
      x.bor(x.shl(x.add(exponent, x.i32(127 - format.bias)), x.i32(23)),
            x.shl(mantissa, x.i32(23 - m)));
  Value scaled = arith::MulFOp::create(
      b, x.loc,
      arith::UIToFPOp::create(b, x.loc, x.like(b.getF32Type()), mantissa),
      x.f32(std::ldexp(1.0f, 1 - format.bias - static_cast<int>(m))));
  Value subnormal = x.bitcast(b.getI32Type(), scaled);
  Value magnitude = x.select(x.eq(exponent, x.i32(0)), subnormal, normal);
  // f8E4M3FN's NaN is 0x7f (either sign); the fnuz formats' is 0x80.
  Value nan = format.overflow == Overflow::NaN
                  ? x.eq(bits, x.i32(0x80))
                  : x.eq(x.band(bits, x.i32(0x7f)), x.i32(0x7f));
  magnitude = x.select(nan, x.i32(0x7fc00000u), magnitude);
  return x.bitcast(b.getF32Type(), x.bor(magnitude, sign));
}

bool isFp8(Type type) {
  return isa<Float8E4M3FNType, Float8E5M2Type, Float8E4M3FNUZType,
             Float8E5M2FNUZType>(type);
}

} // namespace

Value flir::widenToF32(OpBuilder &b, Location loc, Value value) {
  Bits x(b, loc, value.getType());
  Type from = getElementTypeOrSelf(value.getType());
  return isFp8(from) ? fp8ToF32(x, value)
                     : x.convertFloat(value, b.getF32Type());
}

LogicalResult KernelLowering::lowerFp8Cast(tt::FpToFpOp op) {
  Type from = getElementTypeOrSelf(op.getSrc().getType());
  Type to = getElementTypeOrSelf(op.getType());
  for (Type type : {from, to})
    if (type.getIntOrFloatBitWidth() == 8 && !isFp8(type))
      return op.emitError() << "'tt.fp_to_fp' with " << type
                            << " is not supported by the CPU lane yet";
  bool towardZero =
      op.getRounding() && *op.getRounding() == tt::RoundingMode::RTZ;
  if (isFp8(to) && towardZero && !isa<Float8E5M2Type, Float8E4M3FNType>(to))
    return op.emitError() << "'tt.fp_to_fp' to " << to
                          << " rounds to nearest even on the CPU lane; "
                             "rounding toward zero is supported to f8E5M2 "
                             "and f8E4M3FN";
  Bits x(b, loc, op.getType());
  Value value = map.lookup(op.getSrc());
  Value f32 =
      isFp8(from) ? fp8ToF32(x, value) : x.convertFloat(value, b.getF32Type());
  Value result = isFp8(to) ? f32ToFp8(x, f32, to) : x.convertFloat(f32, to);
  if (isFp8(to) && towardZero) {
    // The nearest code, one code nearer to zero (its magnitude bits minus
    // one) where it is farther from zero than the input: so a finite input
    // never becomes an infinity; NaN stays NaN. Compared in the input's
    // precision (f64 narrows to f32 first, and may round up there).
    Type wide = b.getF32Type();
    Value input = f32;
    if (getElementTypeOrSelf(value.getType()).isF64()) {
      wide = b.getF64Type();
      input = value;
    }
    Value back = x.convertFloat(fp8ToF32(x, result), wide);
    Value farther = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT,
                                          math::AbsFOp::create(b, loc, back),
                                          math::AbsFOp::create(b, loc, input));
    Type byte = b.getI8Type();
    Value nearer =
        x.bitcast(to, x.sub(x.bitcast(byte, result), x.constant(byte, 1)));
    result = x.select(farther, nearer, result);
  }
  map.map(op.getResult(), result);
  return success();
}

LogicalResult KernelLowering::lowerFloatCast(tt::FpToFpOp op) {
  Type to = getElementTypeOrSelf(op.getType());
  Bits x(b, loc, op.getType());
  Value value = map.lookup(op.getSrc());
  unsigned toBits = to.getIntOrFloatBitWidth();
  // bf16 <-> f16 goes through f32 (exact), then narrows like f32.
  if (getElementTypeOrSelf(value.getType()).getIntOrFloatBitWidth() == toBits)
    value = x.convertFloat(value, b.getF32Type());
  if (getElementTypeOrSelf(value.getType()).getIntOrFloatBitWidth() < toBits) {
    map.map(op.getResult(), x.convertFloat(value, to));
    return success();
  }
  Value nearest = arith::TruncFOp::create(b, loc, op.getType(), value);
  if (!op.getRounding() || *op.getRounding() == tt::RoundingMode::RTNE) {
    map.map(op.getResult(), nearest);
    return success();
  }
  Value back = arith::ExtFOp::create(b, loc, value.getType(), nearest);
  Value farther = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT,
                                        math::AbsFOp::create(b, loc, back),
                                        math::AbsFOp::create(b, loc, value));
  Type bits = b.getIntegerType(toBits);
  Value nearer =
      x.bitcast(to, x.sub(x.bitcast(bits, nearest), x.constant(bits, 1)));
  map.map(op.getResult(), x.select(farther, nearer, nearest));
  return success();
}
