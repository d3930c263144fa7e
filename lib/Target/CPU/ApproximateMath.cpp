//===- ApproximateMath.cpp - vector math functions as polynomials --------===//

#include "flagtree/Target/CPU/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
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

struct CPUApproximateMath
    : public flagtree::cpu::impl::CPUApproximateMathBase<CPUApproximateMath> {
  void runOnOperation() override {
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
