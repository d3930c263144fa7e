//===- VectorizeLinalg.cpp - tile bufferized linalg ops to vectors -------===//

#include "flagtree/Target/CPU/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace flagtree::cpu {
#define GEN_PASS_DEF_CPUVECTORIZELINALG
#include "flagtree/Target/CPU/Passes.h.inc"
} // namespace flagtree::cpu

using namespace mlir;

namespace {

unsigned elementBits(Type type) {
  Type element = getElementTypeOrSelf(type);
  if (element.isIntOrFloat())
    return element.getIntOrFloatBitWidth();
  return 64; // index
}

/// Vector loads and stores need a contiguous innermost dimension of whole
/// bytes; other ops are left to become scalar loops.
bool hasContiguousOperands(linalg::LinalgOp op) {
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    if (!type || type.getRank() == 0)
      continue;
    // LLVM packs vectors of i1 into bits while memrefs of i1 hold one byte
    // per element: such accesses stay scalar.
    if (type.getElementType().isInteger(1))
      return false;
    SmallVector<int64_t> strides;
    int64_t offset;
    if (failed(type.getStridesAndOffset(strides, offset)) ||
        strides.back() != 1)
      return false;
  }
  return true;
}

struct CPUVectorizeLinalg
    : public flagtree::cpu::impl::CPUVectorizeLinalgBase<CPUVectorizeLinalg> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp function = getOperation();
    IRRewriter rewriter(&getContext());
    function.walk([&](memref::CopyOp copy) {
      rewriter.setInsertionPoint(copy);
      linalg::CopyOp::create(rewriter, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
      rewriter.eraseOp(copy);
    });
    SmallVector<linalg::LinalgOp> ops;
    function.walk([&](linalg::LinalgOp op) {
      if (op.hasPureBufferSemantics() && op.getNumLoops() > 0 &&
          hasContiguousOperands(op))
        ops.push_back(op);
    });
    for (linalg::LinalgOp op : ops)
      tileAndVectorize(rewriter, op);
    // Masked transfers become transfers with a mask operand right away, so
    // no later folding can put a second op under a `vector.mask`.
    RewritePatternSet patterns(&getContext());
    vector::populateVectorMaskLoweringPatternsForSideEffectingOps(patterns);
    if (failed(applyPatternsGreedily(function, std::move(patterns))))
      return signalPassFailure();
  }

  void tileAndVectorize(IRRewriter &rewriter, linalg::LinalgOp op) {
    unsigned bits = 8;
    for (Value operand : op->getOperands())
      bits = std::max(bits, elementBits(operand.getType()));
    int64_t lanes = std::max<int64_t>(1, vectorWidthBits / bits);
    // `ft.vectorize = N` on the op (a hinted access's copy) sets the width.
    if (auto hinted = op->getAttrOfType<IntegerAttr>("ft.vectorize"))
      lanes = std::max<int64_t>(1, hinted.getInt());
    unsigned numLoops = op.getNumLoops();
    // The innermost loop takes one register; a contraction puts it on its
    // innermost parallel loop (rows of B and C), making it an outer product.
    unsigned vectorLoop = numLoops - 1;
    if (linalg::isaContractionOpInterface(op)) {
      SmallVector<unsigned> parallel;
      op.getParallelDims(parallel);
      if (!parallel.empty())
        vectorLoop = parallel.back();
    }
    SmallVector<int64_t> sizes(numLoops, 1);
    sizes[vectorLoop] = lanes;
    SmallVector<OpFoldResult> tileSizes;
    for (int64_t size : sizes)
      tileSizes.push_back(rewriter.getIndexAttr(size));

    scf::SCFTilingOptions options;
    options.setTileSizes(tileSizes);
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(tiled))
      return;
    rewriter.eraseOp(op);
    SmallVector<Operation *> tiles(tiled->tiledOps.begin(),
                                   tiled->tiledOps.end());
    // Peel the vector loop: every iteration but the last then covers a
    // whole register and needs no mask (masked loads and stores are slow,
    // on AMD cores especially); the last, partial one keeps the mask.
    if (vectorLoop < tiled->loops.size()) {
      auto loop = dyn_cast<scf::ForOp>(tiled->loops[vectorLoop].getOperation());
      scf::ForOp partial;
      if (loop &&
          succeeded(
              scf::peelForLoopAndSimplifyBounds(rewriter, loop, partial)) &&
          partial)
        partial.walk([&](linalg::LinalgOp inner) {
          tiles.push_back(inner.getOperation());
        });
    }
    SmallVector<bool> scalable(numLoops, false);
    for (Operation *tile : tiles) {
      if (failed(linalg::vectorizeOpPrecondition(tile, sizes, scalable)))
        continue;
      rewriter.setInsertionPoint(tile);
      FailureOr<linalg::VectorizationResult> result =
          linalg::vectorize(rewriter, tile, sizes, scalable);
      if (failed(result))
        continue;
      if (result->replacements.empty())
        rewriter.eraseOp(tile);
      else
        rewriter.replaceOp(tile, result->replacements);
    }
  }
};

} // namespace
