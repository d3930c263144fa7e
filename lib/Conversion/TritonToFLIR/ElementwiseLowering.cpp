//===- ElementwiseLowering.cpp - libdevice calls to math and arith ops ---===//
//
// `tt.extern_elementwise` names a CUDA libdevice function (`__nv_tanhf`,
// `__nv_pow`, ...). The CPU lane has no libdevice: each known function
// becomes the math or arith op that computes the same thing, which the
// host pipeline turns into LLVM intrinsics or libm calls.
//
//===----------------------------------------------------------------------===//

#include "KernelLowering.h"

#include "mlir/Dialect/Math/IR/Math.h"
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
  TypedAttr inf =
      b.getFloatAttr(element, APFloat::getInf(element.getFloatSemantics()));
  if (auto shaped = dyn_cast<ShapedType>(args[0].getType()))
    inf = DenseElementsAttr::get(shaped, inf);
  Value infinity = arith::ConstantOp::create(b, loc, inf);
  Value equal = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                      magnitude, infinity);
  return arith::ExtUIOp::create(b, loc, type, equal);
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
  if (!builder && (name.ends_with("f") || name.ends_with("d")))
    builder = lookup(name.drop_back());
  bool floats = llvm::all_of(op.getSrcs().getTypes(), [](Type type) {
    return isa<FloatType>(getElementTypeOrSelf(type));
  });
  if (!builder || !floats)
    return op.emitError() << "libdevice function '" << op.getSymbol()
                          << "' is not supported by the CPU lane yet";
  SmallVector<Value> args;
  for (Value src : op.getSrcs())
    args.push_back(map.lookup(src));
  map.map(op.getResult(), builder(b, loc, op.getType(), args));
  return success();
}
