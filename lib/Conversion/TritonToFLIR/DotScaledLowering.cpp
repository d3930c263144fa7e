//===- DotScaledLowering.cpp - tt.dot_scaled to an f32 linalg.matmul -----===//
//
// `tt.dot_scaled a scale sa, b scale sb, c` multiplies micro-scaled
// operands: every run of 32 (K / number of scales) elements of a row of
// `a` (a column of `b`) along K shares one e8m0 scale, 2^(s - 127). The
// host has no such arithmetic, so both operands are widened to f32 and
// scaled element-wise, then multiplied by one f32 `linalg.matmul`:
//
//   a' = widen(a) * broadcast(e8m0(sa))     [M, K] (sa: [M, K/32])
//   b' = widen(b) * transpose(broadcast(e8m0(sb)))  [K, N] (sb: [N, K/32])
//   d  = linalg.matmul ins(a', b') outs(c)
//
// Formats: e4m3 and e5m2 (fp8), bf16 and fp16, and e2m1 (fp4, two per byte
// along K, the first in the low nibble). An e8m0 scale of 0xff is NaN.
//
//===----------------------------------------------------------------------===//

#include "KernelLowering.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace flagtree;
using namespace flagtree::flir;

namespace {

/// An i32 constant in the shape of `like` (a scalar or a tensor).
Value i32Like(OpBuilder &b, Location loc, Type like, uint32_t value) {
  return constantLike(b, loc, b.getI32IntegerAttr(value), like);
}

/// fp4 (e2m1) codes in the low four bits of i32 `code` as f32 values.
Value decodeE2M1(OpBuilder &b, Location loc, Value code) {
  Type type = code.getType();
  auto c = [&](uint32_t v) { return i32Like(b, loc, type, v); };
  auto band = [&](Value x, uint32_t m) {
    return arith::AndIOp::create(b, loc, x, c(m)).getResult();
  };
  auto eq = [&](Value x, uint32_t v) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, c(v))
        .getResult();
  };
  Value exponent = band(arith::ShRUIOp::create(b, loc, code, c(1)), 3);
  Value mantissa = band(code, 1);
  // Normal: (1 + m / 2) * 2^(e - 1); subnormal (e == 0): m / 2.
  Value normal = arith::OrIOp::create(
      b, loc,
      arith::ShLIOp::create(
          b, loc, arith::AddIOp::create(b, loc, exponent, c(126)), c(23)),
      arith::ShLIOp::create(b, loc, mantissa, c(22)));
  Value subnormal =
      arith::SelectOp::create(b, loc, eq(mantissa, 1), c(0x3f000000u), c(0));
  Value magnitude =
      arith::SelectOp::create(b, loc, eq(exponent, 0), subnormal, normal);
  Value sign = arith::ShLIOp::create(b, loc, band(code, 8), c(28));
  Value bits = arith::OrIOp::create(b, loc, magnitude, sign);
  return arith::BitcastOp::create(
      b, loc, cast<RankedTensorType>(type).clone(b.getF32Type()), bits);
}

/// Bytes holding two fp4 values each along dimension `kDim`, as f32 with
/// that dimension twice as long (low nibble first).
Value unpackE2M1(OpBuilder &b, Location loc, Value packed, unsigned kDim) {
  auto type = cast<RankedTensorType>(packed.getType());
  Type wide = type.clone(b.getI32Type());
  Value bytes = arith::ExtUIOp::create(b, loc, wide, packed);
  Value low = arith::AndIOp::create(b, loc, bytes, i32Like(b, loc, wide, 0xf));
  Value high = arith::ShRUIOp::create(b, loc, bytes, i32Like(b, loc, wide, 4));
  SmallVector<int64_t> pairShape(type.getShape());
  pairShape.insert(pairShape.begin() + kDim + 1, 2);
  Value pairs = tensor::EmptyOp::create(b, loc, pairShape, b.getF32Type());
  Value halves[2] = {low, high};
  for (auto [k, half] : llvm::enumerate(halves)) {
    SmallVector<OpFoldResult> offsets, sizes, strides;
    for (int64_t size : pairShape) {
      offsets.push_back(b.getIndexAttr(0));
      sizes.push_back(b.getIndexAttr(size));
      strides.push_back(b.getIndexAttr(1));
    }
    offsets[kDim + 1] = b.getIndexAttr(k);
    sizes[kDim + 1] = b.getIndexAttr(1);
    pairs = tensor::InsertSliceOp::create(b, loc, decodeE2M1(b, loc, half),
                                          pairs, offsets, sizes, strides);
  }
  SmallVector<int64_t> shape(type.getShape());
  shape[kDim] *= 2;
  SmallVector<ReassociationIndices> groups =
      kDim == 0 ? SmallVector<ReassociationIndices>{{0, 1}, {2}}
                : SmallVector<ReassociationIndices>{{0}, {1, 2}};
  return tensor::CollapseShapeOp::create(
      b, loc, RankedTensorType::get(shape, b.getF32Type()), pairs, groups);
}

/// e8m0 scales [R, G] as f32 factors [R, G * group]; transposed to
/// [G * group, R] when `transposed`.
Value expandScales(OpBuilder &b, Location loc, Value scales, int64_t group,
                   bool transposed) {
  auto type = cast<RankedTensorType>(scales.getType());
  Type wide = type.clone(b.getI32Type());
  auto c = [&](uint32_t v) { return i32Like(b, loc, wide, v); };
  Value code = arith::ExtUIOp::create(b, loc, wide, scales);
  Value bits = arith::ShLIOp::create(b, loc, code, c(23));
  // 2^-127 is an f32 subnormal; 0xff is NaN.
  auto is = [&](uint32_t v) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, code, c(v))
        .getResult();
  };
  bits = arith::SelectOp::create(b, loc, is(0), c(0x00400000u), bits);
  bits = arith::SelectOp::create(b, loc, is(0xff), c(0x7fc00000u), bits);
  Value factors =
      arith::BitcastOp::create(b, loc, type.clone(b.getF32Type()), bits);
  int64_t rows = type.getDimSize(0), groups = type.getDimSize(1);
  Value spread = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{rows, groups, group}, b.getF32Type());
  Value broadcast =
      linalg::BroadcastOp::create(b, loc, factors, spread, {2}).getResult()[0];
  Value flat = tensor::CollapseShapeOp::create(
      b, loc, RankedTensorType::get({rows, groups * group}, b.getF32Type()),
      broadcast, SmallVector<ReassociationIndices>{{0}, {1, 2}});
  if (!transposed)
    return flat;
  Value empty = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{groups * group, rows}, b.getF32Type());
  return linalg::TransposeOp::create(b, loc, flat, empty,
                                     ArrayRef<int64_t>{1, 0})
      .getResult()[0];
}

} // namespace

LogicalResult KernelLowering::lowerDotScaled(tt::DotScaledOp op) {
  auto type = cast<RankedTensorType>(op.getType());
  if (type.getRank() != 2 || !type.getElementType().isF32())
    return op.emitError() << "'tt.dot_scaled' to " << type
                          << " is not supported by the CPU lane yet (2-D f32 "
                             "results only)";
  // Each operand: its value, scales, format, the dimension K runs along,
  // and whether fp4 pairs are packed along K.
  struct Side {
    Value value, scales;
    tt::ScaleDotElemType format;
    unsigned kDim;
    bool kPack;
  };
  Side sides[2] = {
      {op.getA(), op.getAScale(), op.getAElemType(), 1, op.getLhsKPack()},
      {op.getB(), op.getBScale(), op.getBElemType(), 0, op.getRhsKPack()}};
  SmallVector<Value, 2> inputs;
  for (Side &side : sides) {
    Value value = map.lookup(side.value);
    switch (side.format) {
    case tt::ScaleDotElemType::E4M3:
    case tt::ScaleDotElemType::E5M2:
    case tt::ScaleDotElemType::BF16:
    case tt::ScaleDotElemType::FP16:
      if (!isa<FloatType>(getElementTypeOrSelf(value.getType())))
        return op.emitError()
               << "'tt.dot_scaled' operand of type " << value.getType()
               << " for format " << tt::stringifyScaleDotElemType(side.format)
               << " is not supported by the CPU lane yet";
      value = widenToF32(b, loc, value);
      break;
    case tt::ScaleDotElemType::E2M1:
      if (!side.kPack)
        return op.emitError() << "'tt.dot_scaled' with fp4 packed along M or "
                                 "N is not supported by the CPU lane yet";
      value = unpackE2M1(b, loc, value, side.kDim);
      break;
    default:
      return op.emitError() << "'tt.dot_scaled' of format "
                            << tt::stringifyScaleDotElemType(side.format)
                            << " is not supported by the CPU lane yet";
    }
    if (side.scales) {
      auto valueType = cast<RankedTensorType>(value.getType());
      auto scaleType = cast<RankedTensorType>(side.scales.getType());
      int64_t k = valueType.getDimSize(side.kDim);
      if (scaleType.getRank() != 2 || k % scaleType.getDimSize(1) != 0)
        return op.emitError() << "'tt.dot_scaled' scales of type " << scaleType
                              << " do not divide K = " << k;
      Value factors = expandScales(b, loc, map.lookup(side.scales),
                                   k / scaleType.getDimSize(1),
                                   /*transposed=*/side.kDim == 0);
      value = arith::MulFOp::create(b, loc, value, factors);
    }
    inputs.push_back(value);
  }
  Value product = linalg::MatmulOp::create(b, loc, TypeRange{type}, inputs,
                                           ValueRange{map.lookup(op.getC())})
                      .getResult(0);
  map.map(op.getResult(), product);
  return success();
}
