//===- LowerDSAHints.cpp - access and loop hints on a FLIR target ---------===//
//
// A hinted load (`ft.shared_memory`, `ft.dma`) is a `linalg.copy` from a
// strided view of an argument into a tile buffer. On a target with local
// memory the buffer moves there, filled by an explicit copy or a DMA; with
// `ft.num_stages` it is multi-buffered and filled stages ahead. On a target
// without local memory (the host CPU) the packed tile is kept and later
// iterations' tiles are prefetched.
//
//===----------------------------------------------------------------------===//

#include "flagtree/Target/Buffers.h"
#include "flagtree/Target/Passes.h"
#include "flagtree/Target/TargetDescription.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include <optional>
#include <string>

namespace flagtree {
#define GEN_PASS_DEF_FLAGTREELOWERDSAHINTS
#include "flagtree/Target/Passes.h.inc"
} // namespace flagtree

using namespace mlir;

namespace {

/// Bytes a cache line holds on the host, the stride of the prefetches.
constexpr int64_t kCacheLineBytes = 64;

/// What the pass needs of the target description.
struct LocalMemory {
  /// The memref memory space of the space named "local", if any.
  std::optional<int64_t> space;
  /// Capacity of local memory; 0 when the description sets none.
  int64_t bytes = 0;
  bool dma = false;
};

LocalMemory readTarget(DictionaryAttr target) {
  LocalMemory local;
  if (!target)
    return local;
  if (auto dma = target.getAs<BoolAttr>("dma"))
    local.dma = dma.getValue();
  if (auto bytes = target.getAs<IntegerAttr>("local_memory_bytes"))
    local.bytes = bytes.getInt();
  if (auto spaces = target.getAs<ArrayAttr>("memory_spaces"))
    for (Attribute entry : spaces) {
      auto space = dyn_cast<DictionaryAttr>(entry);
      auto name = space ? space.getAs<StringAttr>("name") : StringAttr();
      auto id = space ? space.getAs<IntegerAttr>("id") : IntegerAttr();
      if (!name || !id || name.getValue() != "local")
        continue;
      local.space = id.getInt();
      auto size = space.getAs<IntegerAttr>("size");
      if (local.bytes == 0 && size)
        local.bytes = size.getInt();
    }
  return local;
}

/// Whether the uses of `buffer` (through subviews) are ops that take a
/// memref of any memory space and layout, so that it can be replaced.
bool replaceable(Value buffer) {
  for (Operation *user : buffer.getUsers()) {
    if (isa<memref::SubViewOp, memref::ExpandShapeOp, memref::CollapseShapeOp>(
            user)) {
      if (cast<ViewLikeOpInterface>(user).getViewSource() != buffer ||
          !replaceable(user->getResult(0)))
        return false;
      continue;
    }
    if (!isa<linalg::LinalgOp, memref::CopyOp, memref::LoadOp, memref::StoreOp>(
            user))
      return false;
  }
  return true;
}

/// Replaces `buffer` by `replacement` (another memory space or layout),
/// rebuilding the subviews of it with their new types.
void replaceBuffer(OpBuilder &b, Value buffer, Value replacement) {
  for (OpOperand &use : llvm::make_early_inc_range(buffer.getUses())) {
    Operation *user = use.getOwner();
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(user);
    Value rebuilt;
    if (auto view = dyn_cast<memref::SubViewOp>(user)) {
      // Rank-reducing subviews stay rank-reducing.
      auto type = memref::SubViewOp::inferRankReducedResultType(
          view.getType().getShape(), cast<MemRefType>(replacement.getType()),
          view.getMixedOffsets(), view.getMixedSizes(), view.getMixedStrides());
      rebuilt = memref::SubViewOp::create(
          b, view.getLoc(), cast<MemRefType>(type), replacement,
          view.getMixedOffsets(), view.getMixedSizes(), view.getMixedStrides());
    } else if (auto expand = dyn_cast<memref::ExpandShapeOp>(user)) {
      FailureOr<MemRefType> type = memref::ExpandShapeOp::computeExpandedType(
          cast<MemRefType>(replacement.getType()),
          expand.getResultType().getShape(), expand.getReassociationIndices());
      rebuilt = memref::ExpandShapeOp::create(
          b, expand.getLoc(), *type, replacement,
          expand.getReassociationIndices(), expand.getMixedOutputShape());
    } else if (auto collapse = dyn_cast<memref::CollapseShapeOp>(user)) {
      rebuilt =
          memref::CollapseShapeOp::create(b, collapse.getLoc(), replacement,
                                          collapse.getReassociationIndices());
    } else {
      use.set(replacement);
      continue;
    }
    replaceBuffer(b, user->getResult(0), rebuilt);
    user->erase();
  }
}

/// The first op after `from` in its block that reads or writes `buffer`
/// (through views; fills of the part a copy leaves out do not count), or
/// the block's terminator.
Operation *firstUse(Operation *from, Value buffer) {
  llvm::SmallPtrSet<Value, 4> views = {buffer};
  for (Operation *op = from->getNextNode(); op; op = op->getNextNode()) {
    if (auto view = dyn_cast<ViewLikeOpInterface>(op);
        view && views.contains(view.getViewSource())) {
      views.insert(op->getResult(0));
      continue;
    }
    if (auto fill = dyn_cast<linalg::FillOp>(op);
        fill && views.contains(fill.getDpsInits()[0]))
      continue;
    WalkResult uses = op->walk([&](Operation *nested) {
      return llvm::any_of(nested->getOperands(),
                          [&](Value v) { return views.contains(v); })
                 ? WalkResult::interrupt()
                 : WalkResult::advance();
    });
    if (uses.wasInterrupted() || op->hasTrait<OpTrait::IsTerminator>())
      return op;
  }
  return from->getBlock()->getTerminator();
}

Value product(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes) {
  Value total = arith::ConstantIndexOp::create(b, loc, 1);
  for (OpFoldResult size : sizes)
    total = arith::MulIOp::create(
        b, loc, total, getValueOrCreateConstantIndexOp(b, loc, size));
  return total;
}

/// Rebuilds values of a loop body as they are at another iteration: the
/// induction variable is given, and a loop-carried value that grows by a
/// loop-invariant amount each iteration (a pointer advanced by a block)
/// is its value `ahead` iterations from a given base.
class IterationCloner {
public:
  explicit IterationCloner(scf::ForOp loop) : loop(loop) {
    auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
    for (auto [arg, next] :
         llvm::zip(loop.getRegionIterArgs(), yield.getOperands())) {
      auto add = next.getDefiningOp<arith::AddIOp>();
      if (!add)
        continue;
      for (auto [x, y] : {std::pair(add.getLhs(), add.getRhs()),
                          std::pair(add.getRhs(), add.getLhs())})
        if (x == arg && invariant(y))
          deltas[arg] = y;
    }
  }

  /// Whether `value` is the same at every iteration: defined outside the
  /// loop, or by side-effect-free ops of its body from such values.
  bool invariant(Value value) const {
    return computedFrom(value, /*perIteration=*/false);
  }

  /// Whether `value` depends, inside the loop, only on side-effect-free
  /// ops of the loop's body, its induction variable and loop-carried
  /// values that grow by a fixed amount.
  bool canRebuild(Value value) const {
    return computedFrom(value, /*perIteration=*/true);
  }

  /// Maps the induction variable to `iv` and every growing loop-carried
  /// value to `bases[i] + ahead * delta`.
  void seed(OpBuilder &b, Location loc, IRMapping &at, Value iv,
            ValueRange bases, int64_t ahead) const {
    at.map(loop.getInductionVar(), iv);
    for (auto [arg, base] : llvm::zip(loop.getRegionIterArgs(), bases)) {
      auto delta = deltas.find(arg);
      if (delta == deltas.end())
        continue;
      if (ahead == 0) {
        at.map(arg, base);
        continue;
      }
      Value times = arith::ConstantOp::create(
          b, loc, b.getIntegerAttr(arg.getType(), ahead));
      Value step =
          arith::MulIOp::create(b, loc, rebuild(b, delta->second, at), times);
      at.map(arg, arith::AddIOp::create(b, loc, base, step));
    }
  }

  /// `value` rebuilt under the mapping `at` (see canRebuild).
  Value rebuild(OpBuilder &b, Value value, IRMapping &at) const {
    if (Value known = at.lookupOrNull(value))
      return known;
    if (loop.isDefinedOutsideOfLoop(value))
      return value;
    Operation *op = value.getDefiningOp();
    for (Value operand : op->getOperands())
      (void)rebuild(b, operand, at);
    b.clone(*op, at);
    return at.lookup(value);
  }

private:
  /// Whether `value` is computed, by side-effect-free ops of the loop's
  /// body, from values defined outside the loop and, with `perIteration`,
  /// also from the induction variable and the growing loop-carried values.
  bool computedFrom(Value value, bool perIteration) const {
    if (loop.isDefinedOutsideOfLoop(value))
      return true;
    if (perIteration &&
        (value == loop.getInductionVar() || deltas.count(value)))
      return true;
    Operation *op = value.getDefiningOp();
    if (!op || op->getBlock() != loop.getBody() || op->getNumRegions() != 0 ||
        !isMemoryEffectFree(op))
      return false;
    return llvm::all_of(op->getOperands(),
                        [&](Value v) { return computedFrom(v, perIteration); });
  }

  mutable scf::ForOp loop;
  llvm::DenseMap<Value, Value> deltas;
};

/// A load hinted `shared_memory` or `dma`: a copy from `view` into
/// `dest`, the tile buffer `alloc` or a leading part of it.
struct HintedLoad {
  linalg::CopyOp copy;
  memref::AllocOp alloc;
  Value view;
  Value dest;
  /// `dma` or `shared_memory`, for messages.
  StringRef hint;
  int64_t stages = 1;

  int64_t bytes() {
    MemRefType type = alloc.getType();
    return type.getNumElements() *
           llvm::divideCeil(type.getElementTypeBitWidth(), 8);
  }
};

std::optional<HintedLoad> matchHintedLoad(linalg::CopyOp copy) {
  HintedLoad load;
  load.copy = copy;
  load.hint = copy->hasAttr("ft.dma") ? "dma" : "shared_memory";
  if (auto stages = copy->getAttrOfType<IntegerAttr>("ft.num_stages"))
    load.stages = stages.getInt();
  if (!copy.hasPureBufferSemantics())
    return std::nullopt;
  load.view = copy.getDpsInputs()[0];
  load.dest = copy.getDpsInits()[0];
  load.alloc = load.dest.getDefiningOp<memref::AllocOp>();
  if (auto part = load.dest.getDefiningOp<memref::SubViewOp>())
    load.alloc = part.getSource().getDefiningOp<memref::AllocOp>();
  if (!load.alloc || !load.alloc.getType().hasStaticShape() ||
      !load.alloc.getType().getLayout().isIdentity() ||
      load.alloc->getBlock() != copy->getBlock() ||
      !replaceable(load.alloc.getResult()))
    return std::nullopt;
  return load;
}

struct LowerDSAHints
    : public flagtree::impl::FlagTreeLowerDSAHintsBase<LowerDSAHints> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp function = getOperation();
    DictionaryAttr description;
    if (!target.empty()) {
      std::string error;
      std::optional<flagtree::TargetDescription> parsed =
          flagtree::TargetDescription::parse(target, error);
      if (!parsed) {
        function.emitError() << error;
        return signalPassFailure();
      }
      description = parsed->toAttr(&getContext());
    } else if (auto module = function->getParentOfType<ModuleOp>()) {
      description = module->getAttrOfType<DictionaryAttr>("flir.target");
    }
    local = readTarget(description);
    usedBytes = 0;

    SmallVector<linalg::CopyOp> copies;
    function.walk([&](linalg::CopyOp copy) {
      if (copy->hasAttr("ft.shared_memory") || copy->hasAttr("ft.dma"))
        copies.push_back(copy);
    });
    for (linalg::CopyOp copy : copies) {
      std::optional<HintedLoad> load = matchHintedLoad(copy);
      if (!load) {
        copy->emitRemark() << "hint '"
                           << (copy->hasAttr("ft.dma") ? "dma"
                                                       : "shared_memory")
                           << "' is not applied: the tile's buffer is used "
                              "in a way this pass does not follow";
        stripHints(copy);
        continue;
      }
      if (local.space)
        lowerToLocalMemory(*load);
      else
        packOnHost(*load);
    }
    // Loops keep no hint attributes once their loads took them.
    function.walk([](scf::ForOp loop) { loop->removeAttr("ft.num_stages"); });
  }

  static void stripHints(Operation *op) {
    for (StringRef name : {"ft.shared_memory", "ft.dma", "ft.num_stages"})
      op->removeAttr(name);
  }

  /// The loop the load can be pipelined in, or null after saying why not.
  scf::ForOp pipelineLoop(HintedLoad &load, bool needsNoWrites) {
    if (load.stages < 2)
      return {};
    auto loop = dyn_cast<scf::ForOp>(load.copy->getParentOp());
    std::string why;
    IterationCloner cloner(loop);
    auto part = load.dest.getDefiningOp<memref::SubViewOp>();
    if (!loop)
      why = "the load is not directly in the loop's body";
    else if (!cloner.canRebuild(load.view) ||
             (part && !llvm::all_of(part.getSizes(), [&](Value size) {
                return cloner.canRebuild(size);
              })))
      why = "the tile's address at a later iteration cannot be computed "
            "ahead (it depends on a value the loop computes otherwise than "
            "by a fixed step)";
    else if (needsNoWrites && flagtree::writesOutsideBuffers(loop))
      why = "the loop writes memory, which a copy issued ahead could miss";
    if (why.empty())
      return loop;
    load.copy->emitRemark() << "hint 'num_stages' is not applied to this "
                               "load: "
                            << why;
    return {};
  }

  //===--------------------------------------------------------------------===//
  // Targets with local memory.
  //===--------------------------------------------------------------------===//

  void lowerToLocalMemory(HintedLoad &load) {
    scf::ForOp loop = pipelineLoop(load, /*needsNoWrites=*/true);
    int64_t bytes = load.bytes();
    int64_t left = local.bytes - usedBytes;
    if (local.bytes > 0 && bytes > left) {
      load.copy->emitWarning()
          << "hint '" << load.hint << "' is not applied: the tile needs "
          << bytes << " bytes of local memory, and " << left
          << " of the target's " << local.bytes << " are left";
      stripHints(load.copy);
      return;
    }
    if (loop && local.bytes > 0 && bytes * load.stages > left) {
      load.copy->emitWarning()
          << "hint 'num_stages' is not applied to this load: " << load.stages
          << " stages of its tile need " << bytes * load.stages
          << " bytes of local memory, and " << left << " of the target's "
          << local.bytes << " are left";
      loop = {};
    }
    usedBytes += loop ? bytes * load.stages : bytes;
    if (loop)
      pipeline(load, loop);
    else
      stageOnce(load);
  }

  MemRefType localType(ArrayRef<int64_t> shape, Type element) {
    OpBuilder b(&getContext());
    return MemRefType::get(shape, element, MemRefLayoutAttrInterface(),
                           b.getI64IntegerAttr(*local.space));
  }

  /// Starts a copy of the tile at `view` into `dest`: a DMA on `tag[slot]`,
  /// or a plain copy on a target without DMA.
  Value issueCopy(OpBuilder &b, Location loc, Value view, Value dest, Value tag,
                  Value slot) {
    SmallVector<OpFoldResult> sizes = memref::getMixedSizes(b, loc, dest);
    if (!local.dma) {
      linalg::CopyOp::create(b, loc, view, dest);
      return Value();
    }
    Value count = product(b, loc, sizes);
    auto viewType = cast<MemRefType>(view.getType());
    SmallVector<Value> zeros(viewType.getRank(),
                             arith::ConstantIndexOp::create(b, loc, 0));
    // Rows of a 2-D tile are chunks of a strided transfer.
    Value stride, perStride;
    SmallVector<int64_t> strides;
    int64_t offset;
    auto reinterpret = view.getDefiningOp<memref::ReinterpretCastOp>();
    if (viewType.getRank() == 2 && reinterpret &&
        succeeded(viewType.getStridesAndOffset(strides, offset)) &&
        strides[1] == 1) {
      stride = getValueOrCreateConstantIndexOp(
          b, loc, reinterpret.getMixedStrides()[0]);
      perStride = getValueOrCreateConstantIndexOp(b, loc, sizes[1]);
    }
    memref::DmaStartOp::create(b, loc, view, zeros, dest, zeros, count, tag,
                               ValueRange{slot}, stride, perStride);
    return count;
  }

  /// The tile of one iteration in local memory, copied right before use.
  void stageOnce(HintedLoad &load) {
    linalg::CopyOp copy = load.copy;
    Location loc = copy.getLoc();
    OpBuilder b(load.alloc);
    MemRefType type = load.alloc.getType();
    auto buffer = memref::AllocOp::create(
        b, loc, localType(type.getShape(), type.getElementType()));
    Value tag;
    if (local.dma)
      tag =
          memref::AllocOp::create(b, loc, MemRefType::get({1}, b.getI32Type()));
    replaceBuffer(b, load.alloc.getResult(), buffer.getResult());
    load.alloc.erase();
    Value dest = copy.getDpsInits()[0];
    if (!local.dma) {
      stripHints(copy);
      return;
    }
    // The transfer starts as soon as its operands exist and no earlier
    // write to memory could change what it reads.
    Operation *after = nullptr;
    for (Operation *op = copy->getPrevNode(); op; op = op->getPrevNode()) {
      bool defines = llvm::any_of(op->getResults(), [&](Value v) {
        return v == copy.getDpsInputs()[0] || v == dest || v == tag ||
               v == buffer.getResult();
      });
      if (defines || flagtree::writesOutsideBuffers(op)) {
        after = op;
        break;
      }
    }
    if (after)
      b.setInsertionPointAfter(after);
    else
      b.setInsertionPointToStart(copy->getBlock());
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value count = issueCopy(b, loc, copy.getDpsInputs()[0], dest, tag, zero);
    b.setInsertionPoint(firstUse(copy, buffer.getResult()));
    memref::DmaWaitOp::create(b, loc, tag, ValueRange{zero}, count);
    copy.erase();
  }

  /// The tile multi-buffered over the loop's stages, each iteration's copy
  /// issued `stages - 1` iterations ahead.
  void pipeline(HintedLoad &load, scf::ForOp loop) {
    linalg::CopyOp copy = load.copy;
    Location loc = copy.getLoc();
    int64_t stages = load.stages;
    MemRefType type = load.alloc.getType();
    IterationCloner cloner(loop);

    OpBuilder b(loop);
    SmallVector<int64_t> shape = {stages};
    llvm::append_range(shape, type.getShape());
    auto buffers = memref::AllocOp::create(
        b, loc, localType(shape, type.getElementType()));
    Value tags;
    if (local.dma)
      tags = memref::AllocOp::create(b, loc,
                                     MemRefType::get({stages}, b.getI32Type()));

    // Slot `slot` of the buffers, with the tile's shape.
    auto slotOf = [&](OpBuilder &ib, Value slot) -> Value {
      SmallVector<OpFoldResult> offsets(shape.size(), ib.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes,
          strides(shape.size(), ib.getIndexAttr(1));
      offsets[0] = slot;
      sizes.push_back(ib.getIndexAttr(1));
      for (int64_t size : type.getShape())
        sizes.push_back(ib.getIndexAttr(size));
      auto slotType = memref::SubViewOp::inferRankReducedResultType(
          type.getShape(), buffers.getType(), offsets, sizes, strides);
      return memref::SubViewOp::create(ib, loc, cast<MemRefType>(slotType),
                                       buffers, offsets, sizes, strides);
    };
    // Issues the copy of the iteration `at` describes into `slotBuffer`.
    auto part = load.dest.getDefiningOp<memref::SubViewOp>();
    auto issueAt = [&](OpBuilder &ib, IRMapping &at, Value slotBuffer,
                       Value slot) {
      Value view = cloner.rebuild(ib, load.view, at);
      Value dest = slotBuffer;
      if (part) {
        SmallVector<OpFoldResult> sizes;
        for (OpFoldResult size : part.getMixedSizes()) {
          if (auto value = dyn_cast<Value>(size))
            sizes.push_back(cloner.rebuild(ib, value, at));
          else
            sizes.push_back(size);
        }
        dest = memref::SubViewOp::create(ib, loc, slotBuffer,
                                         part.getMixedOffsets(), sizes,
                                         part.getMixedStrides());
      }
      (void)issueCopy(ib, loc, view, dest, tags, slot);
    };

    // Prologue: the copies of the first `stages - 1` iterations.
    for (int64_t k = 0; k < stages - 1; ++k) {
      Value ahead = arith::ConstantIndexOp::create(b, loc, k);
      Value iv = arith::AddIOp::create(
          b, loc, loop.getLowerBound(),
          arith::MulIOp::create(b, loc, loop.getStep(),
                                castIndex(b, loc, ahead, loop)));
      Value inRange = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                            iv, loop.getUpperBound());
      auto guarded = scf::IfOp::create(b, loc, inRange, false);
      OpBuilder ib = OpBuilder::atBlockBegin(guarded.thenBlock());
      IRMapping at;
      cloner.seed(ib, loc, at, iv, loop.getInitArgs(), k);
      issueAt(ib, at, slotOf(ib, ahead), ahead);
    }

    // In the body: this iteration's slot, and the copy `stages - 1` ahead.
    b.setInsertionPointToStart(loop.getBody());
    Value iv = loop.getInductionVar();
    Value index = toIndex(
        b, loc,
        arith::DivSIOp::create(
            b, loc, arith::SubIOp::create(b, loc, iv, loop.getLowerBound()),
            loop.getStep()));
    Value count = arith::ConstantIndexOp::create(b, loc, stages);
    Value slot = arith::RemSIOp::create(b, loc, index, count);
    Value slotBuffer = slotOf(b, slot);
    Value nextIv = arith::AddIOp::create(
        b, loc, iv,
        arith::MulIOp::create(
            b, loc, loop.getStep(),
            castIndex(b, loc,
                      arith::ConstantIndexOp::create(b, loc, stages - 1),
                      loop)));
    Value nextSlot = arith::RemSIOp::create(
        b, loc,
        arith::AddIOp::create(
            b, loc, slot, arith::ConstantIndexOp::create(b, loc, stages - 1)),
        count);
    Value inRange = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                          nextIv, loop.getUpperBound());
    auto guarded = scf::IfOp::create(b, loc, inRange, false);
    {
      OpBuilder ib = OpBuilder::atBlockBegin(guarded.thenBlock());
      IRMapping at;
      cloner.seed(ib, loc, at, nextIv, loop.getRegionIterArgs(), stages - 1);
      issueAt(ib, at, slotOf(ib, nextSlot), nextSlot);
    }

    // This iteration's tile is the slot, ready before its first use.
    replaceBuffer(b, load.alloc.getResult(), slotBuffer);
    load.alloc.erase();
    if (local.dma) {
      Value dest = copy.getDpsInits()[0];
      b.setInsertionPoint(firstUse(copy, slotBuffer));
      SmallVector<OpFoldResult> sizes = memref::getMixedSizes(b, loc, dest);
      memref::DmaWaitOp::create(b, loc, tags, ValueRange{slot},
                                product(b, loc, sizes));
    }
    Value dest = copy.getDpsInits()[0];
    copy.erase();
    if (auto view = dest.getDefiningOp<memref::SubViewOp>();
        view && view->use_empty())
      view.erase();
  }

  static Value castIndex(OpBuilder &b, Location loc, Value index,
                         scf::ForOp loop) {
    Type type = loop.getInductionVar().getType();
    if (type.isIndex())
      return index;
    return arith::IndexCastOp::create(b, loc, type, index);
  }

  static Value toIndex(OpBuilder &b, Location loc, Value value) {
    if (value.getType().isIndex())
      return value;
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), value);
  }

  //===--------------------------------------------------------------------===//
  // Targets without local memory (the host CPU).
  //===--------------------------------------------------------------------===//

  void packOnHost(HintedLoad &load) {
    // The tile stays packed in its own contiguous buffer.
    load.alloc->setAttr("flir.packed", UnitAttr::get(&getContext()));
    scf::ForOp loop = pipelineLoop(load, /*needsNoWrites=*/false);
    stripHints(load.copy);
    if (!loop)
      return;
    Location loc = load.copy.getLoc();
    IterationCloner cloner(loop);
    // Tiles of the next `stages - 1` iterations: the first ones before the
    // loop, then one more by each iteration.
    OpBuilder b(loop);
    for (int64_t k = 1; k < load.stages - 1; ++k) {
      Value iv = arith::AddIOp::create(
          b, loc, loop.getLowerBound(),
          arith::MulIOp::create(
              b, loc, loop.getStep(),
              castIndex(b, loc, arith::ConstantIndexOp::create(b, loc, k),
                        loop)));
      prefetchAt(b, loc, cloner, load, loop, iv, loop.getInitArgs(), k);
    }
    b.setInsertionPointToStart(loop.getBody());
    int64_t ahead = load.stages - 1;
    Value iv = arith::AddIOp::create(
        b, loc, loop.getInductionVar(),
        arith::MulIOp::create(
            b, loc, loop.getStep(),
            castIndex(b, loc, arith::ConstantIndexOp::create(b, loc, ahead),
                      loop)));
    prefetchAt(b, loc, cloner, load, loop, iv, loop.getRegionIterArgs(), ahead);
  }

  /// Prefetches, one cache line at a time, the tile of the iteration whose
  /// induction variable is `iv`, when that iteration runs.
  void prefetchAt(OpBuilder &b, Location loc, const IterationCloner &cloner,
                  HintedLoad &load, scf::ForOp loop, Value iv, ValueRange bases,
                  int64_t ahead) {
    Value inRange = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, iv,
                                          loop.getUpperBound());
    auto guarded = scf::IfOp::create(b, loc, inRange, false);
    OpBuilder ib = OpBuilder::atBlockBegin(guarded.thenBlock());
    IRMapping at;
    cloner.seed(ib, loc, at, iv, bases, ahead);
    Value view = cloner.rebuild(ib, load.view, at);
    auto type = cast<MemRefType>(view.getType());
    int64_t rank = type.getRank();
    SmallVector<int64_t> strides;
    int64_t offset;
    // The dimension along which elements are contiguous steps by cache
    // lines, innermost; the others step by one.
    int64_t lineDim = -1;
    if (succeeded(type.getStridesAndOffset(strides, offset)))
      for (int64_t d = rank - 1; d >= 0; --d)
        if (strides[d] == 1) {
          lineDim = d;
          break;
        }
    SmallVector<int64_t> order;
    for (int64_t d = 0; d < rank; ++d)
      if (d != lineDim)
        order.push_back(d);
    if (lineDim >= 0)
      order.push_back(lineDim);
    int64_t perLine = std::max<int64_t>(1, kCacheLineBytes * 8 /
                                               type.getElementTypeBitWidth());
    SmallVector<Value> lbs, ubs, steps;
    Value zero = arith::ConstantIndexOp::create(ib, loc, 0);
    for (int64_t d : order) {
      lbs.push_back(zero);
      ubs.push_back(memref::DimOp::create(ib, loc, view, d));
      steps.push_back(
          arith::ConstantIndexOp::create(ib, loc, d == lineDim ? perLine : 1));
    }
    scf::buildLoopNest(ib, loc, lbs, ubs, steps,
                       [&](OpBuilder &nb, Location l, ValueRange ivs) {
                         SmallVector<Value> indices(rank);
                         for (auto [d, i] : llvm::zip(order, ivs))
                           indices[d] = i;
                         memref::PrefetchOp::create(
                             nb, l, view, indices, nb.getBoolAttr(false),
                             nb.getI32IntegerAttr(3), nb.getBoolAttr(true));
                       });
  }

  LocalMemory local;
  int64_t usedBytes = 0;
};

} // namespace
