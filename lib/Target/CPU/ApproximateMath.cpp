//===- ApproximateMath.cpp - vector math functions as polynomials --------===//

#include "flagtree/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace flagtree::cpu {
#define GEN_PASS_DEF_CPUAPPROXIMATEMATH
#include "flagtree/Target/CPU/Passes.h.inc"
} // namespace flagtree::cpu

using namespace mlir;

namespace {

/// The functions whose approximations are accurate over the whole f32 range
/// (sin and cos lose accuracy for large arguments and stay libm calls).
bool isApproximated(StringRef name) {
  name.consume_front("math.");
  return llvm::is_contained(
      {"exp", "exp2", "expm1", "log", "log2", "log1p", "tanh", "erf"}, name);
}

/// The scalar every lane of `divisor` holds, or null.
Value laneInvariantScalar(OpBuilder &b, Value divisor) {
  if (auto broadcast = divisor.getDefiningOp<vector::BroadcastOp>()) {
    auto source = dyn_cast<VectorType>(broadcast.getSourceType());
    if (!source)
      return broadcast.getSource();
    // One element (a reduction's vector<1xf32>, or 0-d): every lane is it.
    if (source.getNumElements() != 1)
      return Value();
    SmallVector<int64_t> first(source.getRank(), 0);
    return vector::ExtractOp::create(b, divisor.getLoc(), broadcast.getSource(),
                                     first);
  }
  SplatElementsAttr splat;
  if (matchPattern(divisor, m_Constant(&splat)))
    return arith::ConstantOp::create(b, divisor.getLoc(),
                                     splat.getSplatValue<TypedAttr>());
  return Value();
}

/// x / s for every lane of x, with one scalar s, as (x * r) * c: r = m / s
/// and c = 1 / m, where m is 1 while 1 / s is a normal number, and 2^32 or
/// 2^-32 when s is too large or too small for that (so r stays normal and
/// finite; c is a power of two). Each product rounds once, so the result is
/// within 2 ulp of the quotient over the whole f32 range, as PTX's
/// div.full.f32 is, and keeps its special values: x / 0 is +-inf or NaN,
/// x / inf is 0 or NaN, NaN gives NaN.
Value reciprocalProduct(OpBuilder &b, Location loc, Value x, Value s) {
  auto constant = [&](float value) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
  };
  Value magnitude = math::AbsFOp::create(b, loc, s);
  Value large = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT,
                                      magnitude, constant(0x1p126f));
  Value small = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT,
                                      magnitude, constant(0x1p-126f));
  auto pick = [&](float ifLarge, float ifSmall) -> Value {
    return arith::SelectOp::create(b, loc, large, constant(ifLarge),
                                   arith::SelectOp::create(b, loc, small,
                                                           constant(ifSmall),
                                                           constant(1.0f)));
  };
  Value r = arith::DivFOp::create(b, loc, pick(0x1p32f, 0x1p-32f), s);
  Value c = pick(0x1p-32f, 0x1p32f);
  auto type = cast<VectorType>(x.getType());
  Value product = arith::MulFOp::create(
      b, loc, x, vector::BroadcastOp::create(b, loc, type, r));
  return arith::MulFOp::create(b, loc, product,
                               vector::BroadcastOp::create(b, loc, type, c));
}

/// Triton's f32 `/` (marked `arcp` by the FLIR lowering) on vectors, by a
/// divisor that is the same in every lane: a multiply by its reciprocal.
/// Every `arcp` mark is dropped, so that LLVM's own reciprocal rewrites
/// (plain 1 / s, wrong for very large or very small s) never apply.
void rewriteDivision(arith::DivFOp division) {
  arith::FastMathFlags flags = division.getFastmath();
  if (!bitEnumContainsAll(flags, arith::FastMathFlags::arcp))
    return;
  division.setFastmath(bitEnumClear(flags, arith::FastMathFlags::arcp));
  auto type = dyn_cast<VectorType>(division.getType());
  if (!type || !type.getElementType().isF32())
    return;
  OpBuilder b(division);
  Value divisor = laneInvariantScalar(b, division.getRhs());
  if (!divisor)
    return;
  division.replaceAllUsesWith(
      reciprocalProduct(b, division.getLoc(), division.getLhs(), divisor));
  division.erase();
}

struct CPUApproximateMath
    : public flagtree::cpu::impl::CPUApproximateMathBase<CPUApproximateMath> {
  void runOnOperation() override {
    getOperation().walk(rewriteDivision);
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (!isa<math::MathDialect>(op->getDialect()) ||
          !isApproximated(op->getName().getStringRef()) ||
          op->getNumResults() != 1)
        return;
      auto type = dyn_cast<VectorType>(op->getResult(0).getType());
      if (type && type.getElementType().isF32())
        ops.push_back(op);
    });
    if (ops.empty())
      return;
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, isApproximated);
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    (void)applyOpPatternsGreedily(ops, std::move(patterns), config);
  }
};

} // namespace
