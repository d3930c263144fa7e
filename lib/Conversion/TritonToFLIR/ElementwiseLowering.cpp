//===- ElementwiseLowering.cpp - libdevice calls to math and arith ops ---===//
//
// `tt.extern_elementwise` names a CUDA libdevice function (`__nv_tanhf`,
// `__nv_pow`, ...). The CPU lane has no libdevice: each known function
// becomes the math or arith op that computes the same thing, which the
// host pipeline turns into LLVM intrinsics or libm calls. The few that
// have no math op (`exp10`, `hypot`, `lgamma`, `remainder`) call the C
// library's function of the same name element by element.
//
//===----------------------------------------------------------------------===//

#include "KernelLowering.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace flagtree;
using namespace flagtree::flir;

namespace {

using MathBuilder = Value (*)(OpBuilder &, Location, Type, ValueRange);

template <typename OpTy>
Value build(OpBuilder &b, Location loc, Type type, ValueRange args) {
  return OpTy::create(b, loc, type, args).getResult();
}

/// libdevice returns its predicates as i32.
Value isNan(OpBuilder &b, Location loc, Type type, ValueRange args) {
  Value nan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, args[0],
                                    args[0]);
  return arith::ExtUIOp::create(b, loc, type, nan);
}

Value isInf(OpBuilder &b, Location loc, Type type, ValueRange args) {
  Value magnitude = math::AbsFOp::create(b, loc, args[0]);
  auto element = cast<FloatType>(getElementTypeOrSelf(args[0].getType()));
  Value infinity = constantLike(
      b, loc,
      b.getFloatAttr(element, APFloat::getInf(element.getFloatSemantics())),
      args[0].getType());
  Value equal = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                      magnitude, infinity);
  return arith::ExtUIOp::create(b, loc, type, equal);
}

/// libdevice's `signbit`: 1 when the sign bit is set (-0.0 and negative
/// NaNs included), as i32.
Value signBit(OpBuilder &b, Location loc, Type type, ValueRange args) {
  Type source = args[0].getType();
  unsigned bits = getElementTypeOrSelf(source).getIntOrFloatBitWidth();
  Type integer = typeLike(source, b.getIntegerType(bits));
  Value word = arith::BitcastOp::create(b, loc, integer, args[0]);
  Value shift = constantLike(
      b, loc, b.getIntegerAttr(b.getIntegerType(bits), bits - 1), integer);
  Value top = arith::ShRUIOp::create(b, loc, word, shift);
  if (bits == 32)
    return top;
  return arith::TruncIOp::create(b, loc, type, top);
}

/// The libdevice functions that become calls of the C library's function
/// of the same name (`hypotf` for f32, `hypot` for f64).
bool isLibmCall(StringRef name) {
  return llvm::is_contained({"exp10", "hypot", "lgamma", "remainder"}, name);
}

/// The libdevice name without `__nv_` and without the f32 (`f`) or
/// predicate-on-f64 (`d`) suffix, e.g. `tanh`.
MathBuilder lookup(StringRef name) {
  return llvm::StringSwitch<MathBuilder>(name)
      .Case("abs", build<math::AbsFOp>)
      .Case("fabs", build<math::AbsFOp>)
      .Case("acos", build<math::AcosOp>)
      .Case("acosh", build<math::AcoshOp>)
      .Case("asin", build<math::AsinOp>)
      .Case("asinh", build<math::AsinhOp>)
      .Case("atan", build<math::AtanOp>)
      .Case("atan2", build<math::Atan2Op>)
      .Case("atanh", build<math::AtanhOp>)
      .Case("cbrt", build<math::CbrtOp>)
      .Case("ceil", build<math::CeilOp>)
      .Case("copysign", build<math::CopySignOp>)
      .Case("cos", build<math::CosOp>)
      .Case("cosh", build<math::CoshOp>)
      .Case("erf", build<math::ErfOp>)
      .Case("erfc", build<math::ErfcOp>)
      .Case("exp", build<math::ExpOp>)
      .Case("exp2", build<math::Exp2Op>)
      .Case("expm1", build<math::ExpM1Op>)
      .Case("floor", build<math::FloorOp>)
      .Case("fma", build<math::FmaOp>)
      .Case("fmax", build<arith::MaxNumFOp>)
      .Case("fmin", build<arith::MinNumFOp>)
      .Case("fmod", build<arith::RemFOp>)
      .Case("isinf", isInf)
      .Case("isnan", isNan)
      .Case("log", build<math::LogOp>)
      .Case("log10", build<math::Log10Op>)
      .Case("log1p", build<math::Log1pOp>)
      .Case("log2", build<math::Log2Op>)
      .Case("nearbyint", build<math::RoundEvenOp>)
      .Case("pow", build<math::PowFOp>)
      .Case("rint", build<math::RoundEvenOp>)
      .Case("round", build<math::RoundOp>)
      .Case("rsqrt", build<math::RsqrtOp>)
      .Case("sin", build<math::SinOp>)
      .Case("signbit", signBit)
      .Case("sinh", build<math::SinhOp>)
      .Case("sqrt", build<math::SqrtOp>)
      .Case("tan", build<math::TanOp>)
      .Case("tanh", build<math::TanhOp>)
      .Case("trunc", build<math::TruncOp>)
      .Default(nullptr);
}

} // namespace

LogicalResult
KernelLowering::lowerExternElementwise(tt::ExternElementwiseOp op) {
  StringRef name = op.getSymbol();
  if (!name.consume_front("__nv_"))
    return unsupported(op);
  MathBuilder builder = lookup(name);
  // `f` marks the f32 variant (`erff`), `d` the f64 predicates (`isnand`);
  // a name that ends in `f` by itself (`erf`) is found first.
  StringRef base = name;
  if (!builder && (name.ends_with("f") || name.ends_with("d"))) {
    base = name.drop_back();
    builder = lookup(base);
  }
  bool floats = llvm::all_of(op.getSrcs().getTypes(), [](Type type) {
    return isa<FloatType>(getElementTypeOrSelf(type));
  });
  SmallVector<Value> args;
  for (Value src : op.getSrcs())
    args.push_back(map.lookup(src));
  if (floats && !builder && isLibmCall(name))
    return lowerLibmCall(op, name, args);
  if (floats && !builder && isLibmCall(base))
    return lowerLibmCall(op, base, args);
  if (!builder || !floats)
    return op.emitError() << "libdevice function '" << op.getSymbol()
                          << "' is not supported by the CPU lane yet";
  map.map(op.getResult(), builder(b, loc, op.getType(), args));
  return success();
}

LogicalResult KernelLowering::lowerLibmCall(tt::ExternElementwiseOp op,
                                            StringRef function,
                                            ValueRange args) {
  Type element = getElementTypeOrSelf(op.getType());
  bool sameTypes = llvm::all_of(op.getSrcs().getTypes(), [&](Type type) {
    return getElementTypeOrSelf(type) == element;
  });
  if (!sameTypes || !(element.isF32() || element.isF64()))
    return op.emitError() << "libdevice function '" << op.getSymbol()
                          << "' takes f32 or f64 operands on the CPU lane";
  // The C library names the f64 function plainly and the f32 one with `f`.
  std::string symbol = (function + (element.isF32() ? "f" : "")).str();
  SmallVector<Type> inputs(args.size(), element);
  func::FuncOp callee =
      runtimeFunction(target->getParentOfType<ModuleOp>(), symbol,
                      FunctionType::get(b.getContext(), inputs, {element}));
  auto tensor = dyn_cast<RankedTensorType>(op.getType());
  if (!tensor) {
    map.map(op.getResult(),
            func::CallOp::create(b, loc, callee, args).getResult(0));
    return success();
  }
  Value empty =
      tensor::EmptyOp::create(b, loc, tensor.getShape(), element).getResult();
  AffineMap identity = b.getMultiDimIdentityMap(tensor.getRank());
  SmallVector<AffineMap> maps(args.size() + 1, identity);
  SmallVector<utils::IteratorType> iterators(tensor.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{tensor}, args, ValueRange{empty}, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange scalars) {
        Value result = func::CallOp::create(nb, l, callee, scalars.drop_back())
                           .getResult(0);
        linalg::YieldOp::create(nb, l, ValueRange{result});
      });
  map.map(op.getResult(), generic.getResult(0));
  return success();
}

/// `tt.map_elementwise` becomes a `linalg.generic` whose body is the scalar
/// region, lowered in place. With `pack` > 1 the region takes `pack`
/// elements of each operand: the flattened operands are cut into `pack`
/// contiguous slices, slice j feeding the region's j-th element (the
/// grouping is free, since the region maps elements independently).
LogicalResult KernelLowering::lowerMapElementwise(tt::MapElementwiseOp op) {
  Region &region = op.getScalarOp();
  if (!region.hasOneBlock())
    return op.emitError() << "a `map_elementwise` function that returns "
                             "early is not supported by the CPU lane yet";
  if (llvm::any_of(op->getOperandTypes(), isPointerLike) ||
      llvm::any_of(op->getResultTypes(), isPointerLike))
    return op.emitError() << "`map_elementwise` over pointers is not "
                             "supported by the CPU lane yet";
  auto shape = cast<RankedTensorType>(op.getSrcs().front().getType());
  int64_t pack = op.getPack();
  int64_t total = shape.getNumElements();
  if (total % pack != 0)
    return op.emitError() << "`map_elementwise` with pack " << pack << " over "
                          << total << " elements";
  int64_t part = total / pack;
  Block &body = region.front();

  // Operand i, element j of a pack is region argument i * pack + j; the
  // same order holds for results.
  SmallVector<ReassociationIndices> flatten(1);
  for (int64_t d = 0; d < shape.getRank(); ++d)
    flatten.front().push_back(d);
  auto range = [&](int64_t j) {
    return std::array<SmallVector<OpFoldResult>, 3>{{{b.getIndexAttr(j * part)},
                                                     {b.getIndexAttr(part)},
                                                     {b.getIndexAttr(1)}}};
  };
  auto slices = [&](Value tensor) {
    SmallVector<Value> parts;
    Value flat = tensor;
    if (shape.getRank() != 1)
      flat = tensor::CollapseShapeOp::create(b, loc, tensor, flatten);
    for (int64_t j = 0; j < pack; ++j) {
      auto [offsets, sizes, strides] = range(j);
      parts.push_back(pack == 1 ? flat
                                : tensor::ExtractSliceOp::create(
                                      b, loc, flat, offsets, sizes, strides)
                                      .getResult());
    }
    return parts;
  };
  SmallVector<Value> inputs, inits;
  for (Value src : op.getSrcs())
    llvm::append_range(inputs, slices(map.lookup(src)));
  for (Type type : op.getResultTypes())
    for (int64_t j = 0; j < pack; ++j)
      inits.push_back(tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{part},
                                              getElementTypeOrSelf(type)));
  SmallVector<Type> partTypes;
  for (Value init : inits)
    partTypes.push_back(init.getType());
  SmallVector<AffineMap> maps(inputs.size() + inits.size(),
                              b.getMultiDimIdentityMap(1));
  LogicalResult lowered = success();
  auto generic = linalg::GenericOp::create(
      b, loc, partTypes, inputs, inits, maps,
      ArrayRef<utils::IteratorType>{utils::IteratorType::parallel},
      [&](OpBuilder &nb, Location l, ValueRange scalars) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
        for (auto [arg, scalar] : llvm::zip(body.getArguments(), scalars))
          map.map(arg, scalar);
        lowered = lowerBlockOps(body);
        SmallVector<Value> yielded;
        for (Value value : body.getTerminator()->getOperands())
          yielded.push_back(map.lookupOrNull(value));
        if (succeeded(lowered) &&
            llvm::all_of(yielded, [](Value v) { return static_cast<bool>(v); }))
          linalg::YieldOp::create(b, l, yielded);
        else
          lowered = failure();
      });
  if (failed(lowered))
    return failure();
  loc = op.getLoc();
  for (auto [index, result] : llvm::enumerate(op.getResults())) {
    auto type = cast<RankedTensorType>(result.getType());
    Value whole;
    if (pack == 1) {
      whole = generic.getResult(index);
    } else {
      whole = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{total},
                                      type.getElementType());
      for (int64_t j = 0; j < pack; ++j) {
        auto [offsets, sizes, strides] = range(j);
        whole = tensor::InsertSliceOp::create(
            b, loc, generic.getResult(index * pack + j), whole, offsets, sizes,
            strides);
      }
    }
    if (type.getRank() != 1)
      whole = tensor::ExpandShapeOp::create(b, loc, type, whole, flatten);
    map.map(result, whole);
  }
  return success();
}
