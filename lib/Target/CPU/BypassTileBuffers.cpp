//===- BypassTileBuffers.cpp - element-wise ops on the views of memory ---===//
//
// After bufferization a kernel's loads are copies from a view of an argument
// into a tile buffer and its stores are copies from a tile buffer into such a
// view. An element-wise `linalg.generic` between them then streams its tile
// three times through memory. This pass lets the generic read the loaded
// views and write the stored view directly, over the stored (clamped)
// extent, guarded by a run-time check that the memory it writes does not
// overlap the memory it reads; when it does, the buffered form runs.
//
// flagtree-cpu-forward-loaded-tiles, in the same file for the same
// matching helpers, lets the readers of a tile loaded once and read several
// times read the loaded view instead of the copy.
//
//===----------------------------------------------------------------------===//

#include "flagtree/Target/Buffers.h"
#include "flagtree/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace flagtree::cpu {
#define GEN_PASS_DEF_CPUBYPASSTILEBUFFERS
#define GEN_PASS_DEF_CPUFORWARDLOADEDTILES
#include "flagtree/Target/CPU/Passes.h.inc"
} // namespace flagtree::cpu

using namespace mlir;

namespace {

/// The source and target of a copy between memrefs.
std::optional<std::pair<Value, Value>> copyOperands(Operation *op) {
  if (auto copy = dyn_cast<memref::CopyOp>(op))
    return std::make_pair(copy.getSource(), copy.getTarget());
  if (auto copy = dyn_cast<linalg::CopyOp>(op))
    if (copy.hasPureBufferSemantics())
      return std::make_pair(copy.getDpsInputs()[0], copy.getDpsInits()[0]);
  return std::nullopt;
}

/// Whether `view` is `buffer[0, .., 0][sizes][1, .., 1]`.
bool isLeadingSubview(memref::SubViewOp view, Value buffer) {
  return view.getSource() == buffer &&
         llvm::all_of(
             view.getMixedOffsets(),
             [](OpFoldResult o) { return isConstantIntValue(o, 0); }) &&
         llvm::all_of(
             view.getMixedStrides(),
             [](OpFoldResult s) { return isConstantIntValue(s, 1); }) &&
         view.getSourceType().getRank() == view.getType().getRank();
}

/// Whether the innermost dimension of a memref is contiguous, which vector
/// loads and stores need.
bool innermostContiguous(Value memref) {
  auto type = cast<MemRefType>(memref.getType());
  if (type.getRank() == 0)
    return true;
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(type.getStridesAndOffset(strides, offset)) &&
         strides.back() == 1;
}

bool sameSize(OpFoldResult a, OpFoldResult b) {
  if (a == b)
    return true;
  std::optional<int64_t> x = getConstantIntValue(a);
  std::optional<int64_t> y = getConstantIntValue(b);
  return x && y && *x == *y;
}

/// A tile buffer that only holds what one copy loaded from `view`, and is
/// only read by the generic.
struct LoadedBuffer {
  unsigned operand;
  Value view;
  /// The fill, subview and copy that load the buffer, in program order.
  SmallVector<Operation *, 3> loading;
};

/// What the rewrite of one generic needs.
struct Candidate {
  linalg::GenericOp generic;
  Operation *storeCopy = nullptr;
  Value storedView;
  SmallVector<OpFoldResult> sizes;
  SmallVector<LoadedBuffer> loaded;
  SmallVector<Operation *> moved;
};

/// The extent of the iteration domain the store covers: the sizes of the
/// subview it copies out of the generic's result buffer.
std::optional<Candidate> matchStore(linalg::GenericOp generic) {
  if (!generic.hasPureBufferSemantics() || generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      generic.getNumLoops() == 0)
    return std::nullopt;
  OpOperand *init = generic.getDpsInitOperand(0);
  if (!generic.getMatchingIndexingMap(init).isIdentity() ||
      generic.payloadUsesValueFromOperand(init))
    return std::nullopt;
  // Over a clamped extent the last register is partial and its masked-off
  // lanes hold padding: integer division by such a lane would trap, where
  // the buffered form divides by the load's `other` value.
  // (`arith.remsi` and friends count as pure.)
  for (Operation &op : generic.getBlock()->without_terminator())
    if (!isPure(&op) ||
        isa<arith::DivSIOp, arith::DivUIOp, arith::RemSIOp, arith::RemUIOp,
            arith::CeilDivSIOp, arith::CeilDivUIOp, arith::FloorDivSIOp>(op))
      return std::nullopt;
  Value result = init->get();
  auto alloc = result.getDefiningOp<memref::AllocOp>();
  if (!alloc || !alloc.getType().hasStaticShape())
    return std::nullopt;
  Candidate candidate;
  candidate.generic = generic;
  Operation *subview = nullptr;
  for (Operation *user : result.getUsers()) {
    if (user == generic)
      continue;
    if (auto view = dyn_cast<memref::SubViewOp>(user);
        view && !subview && isLeadingSubview(view, result) &&
        view->hasOneUse()) {
      subview = view;
      candidate.sizes = view.getMixedSizes();
      candidate.storeCopy = *view->user_begin();
      continue;
    }
    if (copyOperands(user) && !subview && !candidate.storeCopy) {
      candidate.storeCopy = user;
      continue;
    }
    return std::nullopt;
  }
  if (!candidate.storeCopy)
    return std::nullopt;
  auto copied = copyOperands(candidate.storeCopy);
  if (!copied || copied->first != (subview ? subview->getResult(0) : result))
    return std::nullopt;
  if (!subview)
    candidate.sizes = getAsIndexOpFoldResult(generic.getContext(),
                                             alloc.getType().getShape());
  candidate.storedView = copied->second;
  if (flagtree::allocationRoot(candidate.storedView) ||
      (subview && subview->getBlock() != generic->getBlock()) ||
      !innermostContiguous(candidate.storedView) ||
      candidate.storeCopy->getBlock() != generic->getBlock() ||
      !generic->isBeforeInBlock(candidate.storeCopy))
    return std::nullopt;
  if (subview)
    candidate.moved.push_back(subview);
  candidate.moved.push_back(generic);
  candidate.moved.push_back(candidate.storeCopy);
  return candidate;
}

/// Whether input `operand` of the generic is a tile buffer loaded from a
/// view over at least the stored extent and read by nothing else.
std::optional<LoadedBuffer> matchLoad(const Candidate &candidate,
                                      OpOperand &operand) {
  linalg::GenericOp generic = candidate.generic;
  AffineMap map = generic.getMatchingIndexingMap(&operand);
  if (!map.isProjectedPermutation(/*allowZeroInResults=*/false))
    return std::nullopt;
  auto alloc = operand.get().getDefiningOp<memref::AllocOp>();
  // A tile packed on request (`flir.packed`) keeps its buffer.
  if (!alloc || !alloc.getType().hasStaticShape() ||
      alloc->hasAttr("flir.packed"))
    return std::nullopt;
  LoadedBuffer loaded;
  loaded.operand = operand.getOperandNumber();
  Operation *copy = nullptr;
  SmallVector<OpFoldResult> sizes =
      getAsIndexOpFoldResult(generic.getContext(), alloc.getType().getShape());
  for (OpOperand &use : alloc->getUses()) {
    Operation *user = use.getOwner();
    if (user == generic) {
      if (&use != &operand)
        return std::nullopt;
      continue;
    }
    if (auto fill = dyn_cast<linalg::FillOp>(user);
        fill && fill.getDpsInits()[0] == alloc.getResult()) {
      loaded.loading.push_back(fill);
      continue;
    }
    Operation *copier = user;
    if (auto view = dyn_cast<memref::SubViewOp>(user)) {
      // A masked load fills what it does not copy with `other`.
      auto fill = view->hasOneUse()
                      ? dyn_cast<linalg::FillOp>(*view->user_begin())
                      : linalg::FillOp();
      if (fill && fill.getDpsInits()[0] == view.getResult()) {
        loaded.loading.push_back(view);
        loaded.loading.push_back(fill);
        continue;
      }
      if (!isLeadingSubview(view, alloc) || !view->hasOneUse())
        return std::nullopt;
      loaded.loading.push_back(view);
      sizes = view.getMixedSizes();
      copier = *view->user_begin();
    }
    auto copied = copyOperands(copier);
    if (copy || !copied || copied->second != copier->getOperand(1) ||
        copied->second.getDefiningOp() != (copier == user ? alloc : user))
      return std::nullopt;
    copy = copier;
    loaded.view = copied->first;
    loaded.loading.push_back(copy);
  }
  if (!copy || flagtree::allocationRoot(loaded.view) ||
      !innermostContiguous(loaded.view))
    return std::nullopt;
  // All in the generic's block, before it; fills before the copy.
  Block *block = generic->getBlock();
  for (Operation *op : loaded.loading)
    if (op->getBlock() != block || !op->isBeforeInBlock(generic) ||
        (isa<linalg::FillOp>(op) && !op->isBeforeInBlock(copy)))
      return std::nullopt;
  // The copy must have read at least what the generic reads over the stored
  // extent: the same clamped size along every dimension, or the whole tile.
  for (auto [dim, expr] : llvm::enumerate(map.getResults())) {
    unsigned loop = cast<AffineDimExpr>(expr).getPosition();
    if (!sameSize(sizes[dim], candidate.sizes[loop]) &&
        !sameSize(sizes[dim], OpFoldResult(Builder(generic).getIndexAttr(
                                  alloc.getType().getDimSize(dim)))))
      return std::nullopt;
  }
  return loaded;
}

/// The same memref restricted to `sizes` from its start, or itself when it
/// already has them.
Value leading(OpBuilder &b, Location loc, Value memref,
              ArrayRef<OpFoldResult> sizes) {
  auto type = cast<MemRefType>(memref.getType());
  if (auto view = memref.getDefiningOp<OffsetSizeAndStrideOpInterface>())
    if (llvm::all_of_zip(view.getMixedSizes(), sizes, sameSize))
      return memref;
  bool same = true;
  for (auto [d, size] : llvm::enumerate(sizes)) {
    std::optional<int64_t> constant = getConstantIntValue(size);
    same &=
        constant && !type.isDynamicDim(d) && *constant == type.getDimSize(d);
  }
  if (same)
    return memref;
  SmallVector<OpFoldResult> zeros(sizes.size(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> ones(sizes.size(), b.getIndexAttr(1));
  return memref::SubViewOp::create(b, loc, memref, zeros, sizes, ones);
}

/// Addresses of the first and one past the last byte a view can touch,
/// and whether it is empty.
struct Extent {
  Value begin, end, start, empty;
  SmallVector<Value> sizes, strides;
};

Extent extentOf(OpBuilder &b, Location loc, Value view) {
  auto type = cast<MemRefType>(view.getType());
  auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, view);
  Value pointer = memref::ExtractAlignedPointerAsIndexOp::create(
      b, loc, metadata.getBaseBuffer());
  int64_t bytes = std::max<int64_t>(1, type.getElementTypeBitWidth() / 8);
  Value elementBytes = arith::ConstantIndexOp::create(b, loc, bytes);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value low = metadata.getOffset(), high = metadata.getOffset();
  Value empty = arith::ConstantIntOp::create(b, loc, 0, 1);
  Extent extent;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    Value size = metadata.getSizes()[d], stride = metadata.getStrides()[d];
    extent.sizes.push_back(size);
    extent.strides.push_back(stride);
    Value last = arith::SubIOp::create(b, loc, size, one);
    Value span = arith::MulIOp::create(b, loc, stride, last);
    low = arith::AddIOp::create(b, loc, low,
                                arith::MinSIOp::create(b, loc, span, zero));
    high = arith::AddIOp::create(b, loc, high,
                                 arith::MaxSIOp::create(b, loc, span, zero));
    Value none =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, size, zero);
    empty = arith::OrIOp::create(b, loc, empty, none);
  }
  auto address = [&](Value elements) {
    return arith::AddIOp::create(
        b, loc, pointer, arith::MulIOp::create(b, loc, elements, elementBytes));
  };
  extent.begin = address(low);
  extent.end = address(arith::AddIOp::create(b, loc, high, one));
  extent.start = address(metadata.getOffset());
  extent.empty = empty;
  return extent;
}

/// Whether a row-major view with a contiguous innermost dimension touches
/// every byte at most once (no dimension's stride is smaller than the rows
/// it steps over), so reading and writing it in place element by element
/// is safe.
Value injective(OpBuilder &b, Location loc, const Extent &extent) {
  Value result = arith::ConstantIntOp::create(b, loc, 1, 1);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  for (size_t d = 0; d + 1 < extent.sizes.size(); ++d) {
    Value inner = arith::MulIOp::create(b, loc, extent.strides[d + 1],
                                        extent.sizes[d + 1]);
    Value apart = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge,
                                        extent.strides[d], inner);
    Value single = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle,
                                         extent.sizes[d], one);
    result = arith::AndIOp::create(b, loc, result,
                                   arith::OrIOp::create(b, loc, apart, single));
  }
  return result;
}

struct CPUBypassTileBuffers
    : public flagtree::cpu::impl::CPUBypassTileBuffersBase<
          CPUBypassTileBuffers> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<linalg::GenericOp> generics;
    getOperation().walk(
        [&](linalg::GenericOp generic) { generics.push_back(generic); });
    for (linalg::GenericOp generic : generics)
      if (std::optional<Candidate> candidate = match(generic))
        rewrite(*candidate);
  }

  std::optional<Candidate> match(linalg::GenericOp generic) {
    std::optional<Candidate> candidate = matchStore(generic);
    if (!candidate)
      return std::nullopt;
    llvm::SmallPtrSet<Operation *, 8> readBuffers;
    for (OpOperand *operand : generic.getDpsInputOperands()) {
      if (!isa<MemRefType>(operand->get().getType()))
        continue;
      if (std::optional<LoadedBuffer> loaded =
              matchLoad(*candidate, *operand)) {
        candidate->loaded.push_back(*loaded);
        llvm::append_range(candidate->moved, loaded->loading);
        continue;
      }
      // Any other memref the generic reads must be a buffer of this
      // function (it cannot overlap the stored view) of which the
      // generic's new, smaller domain takes the leading part.
      Operation *root = flagtree::allocationRoot(operand->get());
      auto type = cast<MemRefType>(operand->get().getType());
      if (!root || !type.hasStaticShape() ||
          !innermostContiguous(operand->get()) ||
          !generic.getMatchingIndexingMap(operand).isProjectedPermutation(
              /*allowZeroInResults=*/true))
        return std::nullopt;
      readBuffers.insert(root);
    }
    // The loads now happen, and the generic now runs, where the store
    // copies: nothing in between may write memory they read.
    llvm::SmallPtrSet<Operation *, 16> moved(candidate->moved.begin(),
                                             candidate->moved.end());
    Operation *first = generic;
    for (Operation *op : candidate->moved)
      if (op->isBeforeInBlock(first))
        first = op;
    bool afterGeneric = false;
    for (Operation *op = first->getNextNode(); op != candidate->storeCopy;
         op = op->getNextNode()) {
      afterGeneric |= op == generic.getOperation();
      if (moved.contains(op))
        continue;
      if (flagtree::writesOutsideBuffers(op,
                                         afterGeneric ? &readBuffers : nullptr))
        return std::nullopt;
    }
    return candidate;
  }

  void rewrite(Candidate &candidate) {
    linalg::GenericOp generic = candidate.generic;
    Location loc = generic.getLoc();
    OpBuilder b(candidate.storeCopy);
    ArrayRef<OpFoldResult> sizes = candidate.sizes;

    // The operands of the generic over the stored extent.
    SmallVector<Value> operands(generic->getOperands());
    for (OpOperand *operand : generic.getDpsInputOperands()) {
      if (!isa<MemRefType>(operand->get().getType()))
        continue;
      AffineMap map = generic.getMatchingIndexingMap(operand);
      Value source = operand->get();
      for (const LoadedBuffer &loaded : candidate.loaded)
        if (loaded.operand == operand->getOperandNumber())
          source = loaded.view;
      SmallVector<OpFoldResult> operandSizes;
      auto type = cast<MemRefType>(operand->get().getType());
      for (auto [d, expr] : llvm::enumerate(map.getResults())) {
        if (auto dim = dyn_cast<AffineDimExpr>(expr))
          operandSizes.push_back(sizes[dim.getPosition()]);
        else
          operandSizes.push_back(b.getIndexAttr(type.getDimSize(d)));
      }
      operands[operand->getOperandNumber()] =
          leading(b, loc, source, operandSizes);
    }
    unsigned initNumber = generic.getDpsInitOperand(0)->getOperandNumber();
    operands[initNumber] = candidate.storedView;

    // Fast when the stored view is empty, or does not overlap any loaded
    // view, or is exactly the loaded view read at the same indices.
    Extent stored = extentOf(b, loc, candidate.storedView);
    Value fast = stored.empty;
    Value allApart = arith::ConstantIntOp::create(b, loc, 1, 1);
    for (const LoadedBuffer &loaded : candidate.loaded) {
      Value view = operands[loaded.operand];
      Extent read = extentOf(b, loc, view);
      Value before = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule,
                                           stored.end, read.begin);
      Value after = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule,
                                          read.end, stored.begin);
      Value apart = arith::OrIOp::create(b, loc, before, after);
      auto readType = cast<MemRefType>(view.getType());
      auto storedType = cast<MemRefType>(candidate.storedView.getType());
      OpOperand &operand = generic->getOpOperand(loaded.operand);
      if (generic.getMatchingIndexingMap(&operand).isIdentity() &&
          readType.getElementType() == storedType.getElementType()) {
        Value same = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                           read.start, stored.start);
        for (auto [x, y] : llvm::zip(read.strides, stored.strides))
          same = arith::AndIOp::create(
              b, loc, same,
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, y));
        same = arith::AndIOp::create(b, loc, same, injective(b, loc, stored));
        apart = arith::OrIOp::create(b, loc, apart, same);
      }
      allApart = arith::AndIOp::create(b, loc, allApart, apart);
    }
    fast = arith::OrIOp::create(b, loc, fast, allApart);

    auto branch = scf::IfOp::create(b, loc, fast, /*withElseRegion=*/true);
    b.setInsertionPointToStart(branch.thenBlock());
    Operation *direct = b.clone(*generic);
    direct->setOperands(operands);
    // The buffered form, in its original order.
    llvm::sort(candidate.moved, [](Operation *x, Operation *y) {
      return x->isBeforeInBlock(y);
    });
    Operation *terminator = branch.elseBlock()->getTerminator();
    for (Operation *op : candidate.moved)
      op->moveBefore(terminator);
  }
};

/// How the tile buffer `alloc` is loaded: fills (of the whole buffer or of
/// a subview used by nothing else), then one copy from a view of an
/// argument into the whole buffer or a leading subview of it.
struct TileLoad {
  Operation *copy = nullptr;
  Value view;
  /// The copy's target subview, or null when it fills the whole tile.
  memref::SubViewOp head;
  /// The fills and subviews that load the buffer with the copy.
  SmallVector<Operation *> loading;
  /// Every other use: the readers.
  SmallVector<OpOperand *> reads;
  /// The type readers see the loaded view as: the tile's static shape with
  /// the view's strides and offset.
  MemRefType sourceType;
};

/// The type of the view `op` of a tile rebuilt over a memref of type
/// `source`, or null when it cannot be rebuilt.
MemRefType rebuiltViewType(Operation *op, MemRefType source) {
  if (auto expand = dyn_cast<memref::ExpandShapeOp>(op)) {
    FailureOr<MemRefType> type = memref::ExpandShapeOp::computeExpandedType(
        source, expand.getType().getShape(), expand.getReassociationIndices());
    return succeeded(type) ? *type : MemRefType();
  }
  if (auto subview = dyn_cast<memref::SubViewOp>(op)) {
    if (subview.getType().getRank() != subview.getSourceType().getRank())
      return memref::SubViewOp::inferRankReducedResultType(
          subview.getType().getShape(), source, subview.getMixedOffsets(),
          subview.getMixedSizes(), subview.getMixedStrides());
    return memref::SubViewOp::inferResultType(source, subview.getMixedOffsets(),
                                              subview.getMixedSizes(),
                                              subview.getMixedStrides());
  }
  return MemRefType();
}

/// Whether `use` (of the tile, of type `source` once forwarded, or of a
/// view of it) only reads, in an op forwarding can rewrite. Matmuls are not
/// among them: they keep their packed copies.
bool onlyReads(OpOperand &use, MemRefType source) {
  Operation *user = use.getOwner();
  if (auto generic = dyn_cast<linalg::GenericOp>(user))
    return generic.isDpsInput(&use);
  if (auto reduce = dyn_cast<linalg::ReduceOp>(user))
    return reduce.isDpsInput(&use);
  if (isa<memref::LoadOp, vector::TransferReadOp, vector::LoadOp>(user))
    return true;
  // A copy out of the tile (a reduction's first slice, copied into its
  // accumulator).
  if (auto copied = copyOperands(user))
    return copied->first == use.get() && copied->second != use.get();
  MemRefType rebuilt = rebuiltViewType(user, source);
  return rebuilt &&
         llvm::all_of(user->getResult(0).getUses(), [&](OpOperand &inner) {
           return onlyReads(inner, rebuilt);
         });
}

std::optional<TileLoad> matchTileLoad(memref::AllocOp alloc) {
  MemRefType tileType = alloc.getType();
  if (!tileType.hasStaticShape() || alloc->hasAttr("flir.packed"))
    return std::nullopt;
  TileLoad load;
  Value buffer = alloc.getResult();
  SmallVector<OpOperand *> others;
  for (OpOperand &use : buffer.getUses()) {
    Operation *user = use.getOwner();
    if (auto fill = dyn_cast<linalg::FillOp>(user);
        fill && fill.getDpsInits()[0] == buffer) {
      load.loading.push_back(fill);
      continue;
    }
    if (auto view = dyn_cast<memref::SubViewOp>(user);
        view && view->hasOneUse()) {
      Operation *only = *view->user_begin();
      if (auto fill = dyn_cast<linalg::FillOp>(only);
          fill && fill.getDpsInits()[0] == view.getResult()) {
        load.loading.push_back(view);
        load.loading.push_back(fill);
        continue;
      }
      auto copied = copyOperands(only);
      if (copied && copied->second == view.getResult() &&
          isLeadingSubview(view, buffer)) {
        if (load.copy)
          return std::nullopt;
        load.copy = only;
        load.head = view;
        load.view = copied->first;
        load.loading.push_back(view);
        load.loading.push_back(only);
        continue;
      }
    }
    if (auto copied = copyOperands(user); copied && copied->second == buffer) {
      if (load.copy)
        return std::nullopt;
      load.copy = user;
      load.view = copied->first;
      load.loading.push_back(user);
      continue;
    }
    others.push_back(&use);
  }
  if (!load.copy || others.empty() || flagtree::allocationRoot(load.view) ||
      !innermostContiguous(load.view))
    return std::nullopt;
  auto viewType = cast<MemRefType>(load.view.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (viewType.getRank() != tileType.getRank() ||
      viewType.getElementType() != tileType.getElementType() ||
      failed(viewType.getStridesAndOffset(strides, offset)))
    return std::nullopt;
  load.sourceType = MemRefType::get(
      tileType.getShape(), tileType.getElementType(),
      StridedLayoutAttr::get(alloc.getContext(), ShapedType::kDynamic, strides),
      viewType.getMemorySpace());
  if (!memref::CastOp::areCastCompatible(viewType, load.sourceType) ||
      !memref::CastOp::areCastCompatible(tileType, load.sourceType))
    return std::nullopt;
  for (OpOperand *use : others) {
    if (!onlyReads(*use, load.sourceType))
      return std::nullopt;
    load.reads.push_back(use);
  }
  // Loads, then reads, all in one block; fills before the copy.
  Block *block = load.copy->getBlock();
  for (Operation *op : load.loading)
    if (op->getBlock() != block ||
        (isa<linalg::FillOp>(op) && !op->isBeforeInBlock(load.copy)))
      return std::nullopt;
  for (OpOperand *read : load.reads) {
    Operation *reader = block->findAncestorOpInBlock(*read->getOwner());
    if (!reader || !load.copy->isBeforeInBlock(reader))
      return std::nullopt;
  }
  llvm::sort(load.loading,
             [](Operation *x, Operation *y) { return x->isBeforeInBlock(y); });
  return load;
}

/// Points the use `read` of the tile at `source` (of the type
/// onlyReads checked), rebuilding the views in between.
void redirect(OpBuilder &b, OpOperand &read, Value source) {
  Operation *user = read.getOwner();
  MemRefType type = rebuiltViewType(user, cast<MemRefType>(source.getType()));
  if (!type) {
    read.set(source);
    return;
  }
  b.setInsertionPoint(user);
  Value rebuilt;
  if (auto expand = dyn_cast<memref::ExpandShapeOp>(user))
    rebuilt = memref::ExpandShapeOp::create(b, user->getLoc(), type, source,
                                            expand.getReassociationIndices(),
                                            expand.getMixedOutputShape());
  else if (auto subview = dyn_cast<memref::SubViewOp>(user))
    rebuilt = memref::SubViewOp::create(
        b, user->getLoc(), type, source, subview.getMixedOffsets(),
        subview.getMixedSizes(), subview.getMixedStrides());
  for (OpOperand &use :
       llvm::make_early_inc_range(user->getResult(0).getUses()))
    redirect(b, use, rebuilt);
  user->erase();
}

struct CPUForwardLoadedTiles
    : public flagtree::cpu::impl::CPUForwardLoadedTilesBase<
          CPUForwardLoadedTiles> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<memref::AllocOp> allocs;
    getOperation().walk(
        [&](memref::AllocOp alloc) { allocs.push_back(alloc); });
    for (memref::AllocOp alloc : allocs)
      if (std::optional<TileLoad> load = matchTileLoad(alloc))
        if (argumentsUnchanged(*load))
          forward(alloc, *load);
  }

  /// Whether nothing writes memory outside the function's buffers between
  /// the copy and the tile's last reader (which itself only reads it).
  static bool argumentsUnchanged(const TileLoad &load) {
    Block *block = load.copy->getBlock();
    Operation *last = load.copy;
    for (OpOperand *read : load.reads) {
      Operation *reader = block->findAncestorOpInBlock(*read->getOwner());
      if (last->isBeforeInBlock(reader))
        last = reader;
    }
    for (Operation *op = load.copy->getNextNode(); op != last;
         op = op->getNextNode())
      if (flagtree::writesOutsideBuffers(op))
        return false;
    return !flagtree::writesOutsideBuffers(last);
  }

  void forward(memref::AllocOp alloc, TileLoad &load) {
    Location loc = load.copy->getLoc();
    OpBuilder b(load.copy);
    MemRefType type = load.sourceType;
    Value source;
    if (!load.head) {
      // The whole tile is copied: its readers read the view, always.
      source =
          load.view.getType() == type
              ? load.view
              : memref::CastOp::create(b, loc, type, load.view).getResult();
    } else {
      // A clamped copy: the view is the tile when no dimension is clamped.
      Value whole = arith::ConstantIntOp::create(b, loc, 1, 1);
      for (auto [size, dim] :
           llvm::zip(load.head.getMixedSizes(), alloc.getType().getShape())) {
        Value value = getValueOrCreateConstantIndexOp(b, loc, size);
        Value full = arith::ConstantIndexOp::create(b, loc, dim);
        whole = arith::AndIOp::create(
            b, loc, whole,
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, value,
                                  full));
      }
      auto branch = scf::IfOp::create(b, loc, TypeRange{type}, whole, true);
      b.setInsertionPointToStart(branch.thenBlock());
      scf::YieldOp::create(
          b, loc, ValueRange{memref::CastOp::create(b, loc, type, load.view)});
      b.setInsertionPointToStart(branch.elseBlock());
      auto yield = scf::YieldOp::create(
          b, loc, ValueRange{memref::CastOp::create(b, loc, type, alloc)});
      for (Operation *op : load.loading)
        op->moveBefore(yield);
      source = branch.getResult(0);
    }
    for (OpOperand *read : load.reads)
      redirect(b, *read, source);
    if (!load.head)
      for (Operation *op : llvm::reverse(load.loading))
        op->erase();
  }
};

} // namespace
