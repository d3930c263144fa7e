//===- GeneralizeBroadcasts.cpp - broadcasts as fusable generic ops ------===//

#include "flagtree/Target/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace flagtree::cpu {
#define GEN_PASS_DEF_CPUGENERALIZEBROADCASTS
#include "flagtree/Target/CPU/Passes.h.inc"
} // namespace flagtree::cpu

using namespace mlir;

namespace {

struct CPUGeneralizeBroadcasts
    : public flagtree::cpu::impl::CPUGeneralizeBroadcastsBase<
          CPUGeneralizeBroadcasts> {
  void runOnOperation() override {
    SmallVector<linalg::BroadcastOp> broadcasts;
    getOperation().walk([&](linalg::BroadcastOp op) {
      if (op.hasPureTensorSemantics())
        broadcasts.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::BroadcastOp op : broadcasts) {
      rewriter.setInsertionPoint(op);
      // Cannot fail for a broadcast; one left as it is would still be right.
      (void)linalg::generalizeNamedOp(rewriter, op);
    }
  }
};

} // namespace
