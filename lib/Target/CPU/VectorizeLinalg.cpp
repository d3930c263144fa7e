//===- VectorizeLinalg.cpp - tile bufferized linalg ops to vectors -------===//

#include "flagtree/Target/CPU/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SmallBitVector.h"

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

/// The loops of `op` grouped into runs of neighbours that can become one
/// loop: of one iterator type, walked in order and contiguously by every
/// indexing map, and over memory that each operand can view as one
/// dimension. A [2, 2, ..., 2] tile (what a bitonic sort reshapes its
/// operand into) is then one loop of 512 elements instead of a nest of
/// nine loops of two, each of which LLVM would unroll.
SmallVector<ReassociationIndices> contiguousLoopRuns(linalg::LinalgOp op) {
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  // Whether the memory of every operand is contiguous across the results of
  // its map that `run` (loop dimensions) covers.
  auto memoryAllows = [&](ReassociationIndicesRef run) {
    for (OpOperand &operand : op->getOpOperands()) {
      auto type = dyn_cast<MemRefType>(operand.get().getType());
      if (!type || type.getRank() == 0)
        continue;
      AffineMap map = op.getMatchingIndexingMap(&operand);
      SmallVector<int64_t> results;
      for (int64_t dim : run)
        if (std::optional<unsigned> position =
                map.getResultPosition(getAffineDimExpr(dim, op->getContext())))
          results.push_back(*position);
      if (results.size() < 2)
        continue;
      SmallVector<int64_t> strides;
      int64_t offset;
      if (failed(type.getStridesAndOffset(strides, offset)))
        return false;
      for (size_t i = 0; i + 1 < results.size(); ++i) {
        int64_t outer = strides[results[i]], inner = strides[results[i + 1]];
        int64_t size = type.getDimSize(results[i + 1]);
        if (ShapedType::isDynamic(outer) || ShapedType::isDynamic(inner) ||
            ShapedType::isDynamic(size) || outer != inner * size)
          return false;
      }
    }
    return true;
  };
  SmallVector<ReassociationIndices> runs;
  for (int64_t dim = 0, e = op.getNumLoops(); dim < e; ++dim) {
    if (!runs.empty() && iterators[runs.back().back()] == iterators[dim]) {
      ReassociationIndices longer = runs.back();
      longer.push_back(dim);
      if (linalg::areDimSequencesPreserved(maps, longer) &&
          memoryAllows(longer)) {
        runs.back() = longer;
        continue;
      }
    }
    runs.push_back({dim});
  }
  return runs;
}

/// Merges the contiguous runs of loops of `op` (see contiguousLoopRuns);
/// a named op becomes a linalg.generic first. Ops that carry attributes of
/// the lane's own passes, and contractions, are left as they are.
void collapseContiguousLoops(IRRewriter &rewriter, linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumLoops() < 2 ||
      !op->getDiscardableAttrDictionary().empty() ||
      linalg::isaContractionOpInterface(op))
    return;
  SmallVector<ReassociationIndices> runs = contiguousLoopRuns(op);
  SmallVector<ReassociationIndices> folded;
  for (ReassociationIndices &run : runs)
    if (run.size() > 1)
      folded.push_back(run);
  if (folded.empty())
    return;
  rewriter.setInsertionPoint(op);
  if (!isa<linalg::GenericOp, linalg::CopyOp>(op)) {
    FailureOr<linalg::GenericOp> generic =
        linalg::generalizeNamedOp(rewriter, op);
    if (failed(generic))
      return;
    op = *generic;
  }
  FailureOr<linalg::CollapseResult> collapsed =
      linalg::collapseOpIterationDims(op, folded, rewriter);
  if (failed(collapsed))
    return;
  rewriter.replaceOp(op, collapsed->results);
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
    function.walk([&](linalg::LinalgOp op) { ops.push_back(op); });
    for (linalg::LinalgOp op : ops)
      collapseContiguousLoops(rewriter, op);
    ops.clear();
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

  /// A tile the vectorizer refuses (a reduction whose combiner is no
  /// vector reduction kind, such as argmax's pair of value and index) is
  /// still element-wise when every loop it reduces has one iteration, as
  /// tiling leaves them: without its unit loops it becomes a parallel
  /// linalg.generic, vectorized here like any other.
  void withoutUnitReductions(IRRewriter &rewriter, Operation *tile) {
    auto op = dyn_cast<linalg::LinalgOp>(tile);
    if (!op || !op.hasPureBufferSemantics() ||
        linalg::isaContractionOpInterface(op))
      return;
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    SmallVector<unsigned> reductions;
    op.getReductionDims(reductions);
    if (reductions.empty() ||
        llvm::any_of(reductions, [&](unsigned d) { return ranges[d] != 1; }))
      return;
    // Each operand viewed without the dimensions those loops index (all of
    // size 1), through a rank-reducing subview; the maps without them.
    // Checked for every operand before anything is built.
    llvm::SmallBitVector unit(op.getNumLoops());
    for (unsigned d : reductions)
      unit.set(d);
    struct Reduced {
      SmallVector<int64_t> dropped, shape;
    };
    SmallVector<Reduced> reduced;
    SmallVector<AffineMap> maps;
    for (OpOperand &operand : op->getOpOperands()) {
      AffineMap map = op.getMatchingIndexingMap(&operand);
      auto type = dyn_cast<MemRefType>(operand.get().getType());
      if (!type || !type.hasStaticShape() || !map.isProjectedPermutation())
        return;
      Reduced &r = reduced.emplace_back();
      for (unsigned result = 0; result < map.getNumResults(); ++result) {
        if (unit.test(map.getDimPosition(result)))
          r.dropped.push_back(result);
        else
          r.shape.push_back(type.getDimSize(result));
      }
      maps.push_back(compressDims(map.dropResults(r.dropped), unit));
    }
    rewriter.setInsertionPoint(tile);
    auto generic = dyn_cast<linalg::GenericOp>(tile);
    if (!generic) {
      FailureOr<linalg::GenericOp> made =
          linalg::generalizeNamedOp(rewriter, op);
      if (failed(made))
        return;
      generic = *made;
    }
    Location loc = generic.getLoc();
    SmallVector<Value> operands;
    for (auto [operand, r] : llvm::zip(generic->getOpOperands(), reduced)) {
      Value view = operand.get();
      if (!r.dropped.empty()) {
        auto type = cast<MemRefType>(view.getType());
        SmallVector<OpFoldResult> offsets(type.getRank(),
                                          rewriter.getIndexAttr(0));
        SmallVector<OpFoldResult> strides(type.getRank(),
                                          rewriter.getIndexAttr(1));
        SmallVector<OpFoldResult> sizes = llvm::map_to_vector(
            type.getShape(), [&](int64_t size) -> OpFoldResult {
              return rewriter.getIndexAttr(size);
            });
        MemRefType viewType = memref::SubViewOp::inferRankReducedResultType(
            r.shape, type, offsets, sizes, strides);
        view = memref::SubViewOp::create(rewriter, loc, viewType, view, offsets,
                                         sizes, strides);
      }
      operands.push_back(view);
    }
    SmallVector<utils::IteratorType> iterators(generic.getNumLoops() -
                                                   reductions.size(),
                                               utils::IteratorType::parallel);
    ValueRange all(operands);
    unsigned inputs = generic.getNumDpsInputs();
    auto made = linalg::GenericOp::create(
        rewriter, loc, TypeRange{}, all.take_front(inputs),
        all.drop_front(inputs), maps, iterators);
    rewriter.inlineRegionBefore(generic.getRegion(), made.getRegion(),
                                made.getRegion().begin());
    rewriter.eraseOp(generic);
    auto parallel = cast<linalg::LinalgOp>(made.getOperation());
    SmallVector<int64_t> shape = parallel.getStaticLoopRanges();
    if (!shape.empty() && !llvm::any_of(shape, ShapedType::isDynamic))
      vectorizeTile(rewriter, parallel, shape);
  }

  /// Vectorizes `tile` with vectors of `sizes`; whether it could.
  static bool vectorizeTile(IRRewriter &rewriter, Operation *tile,
                            ArrayRef<int64_t> sizes) {
    SmallVector<bool> scalable(sizes.size(), false);
    if (failed(linalg::vectorizeOpPrecondition(tile, sizes, scalable)))
      return false;
    rewriter.setInsertionPoint(tile);
    FailureOr<linalg::VectorizationResult> result =
        linalg::vectorize(rewriter, tile, sizes, scalable);
    if (failed(result))
      return false;
    if (result->replacements.empty())
      rewriter.eraseOp(tile);
    else
      rewriter.replaceOp(tile, result->replacements);
    return true;
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
    // A loop shorter than a register takes a vector of its own length: no
    // mask, and no partial iteration to peel.
    int64_t extent = op.getStaticLoopRanges()[vectorLoop];
    if (!ShapedType::isDynamic(extent) && extent > 0 && extent < lanes)
      lanes = extent;
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
    for (Operation *tile : tiles)
      if (!vectorizeTile(rewriter, tile, sizes))
        withoutUnitReductions(rewriter, tile);
  }
};

} // namespace
