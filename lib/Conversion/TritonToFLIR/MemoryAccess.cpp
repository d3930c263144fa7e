//===- MemoryAccess.cpp - lowering tt.load and tt.store to FLIR ----------===//
//
// A tensor access whose offsets are affine (and whose mask, if any, is a
// set of per-dimension upper bounds) becomes a copy through a strided view
// of the argument's memref, clamped to the bounds, so masked-off memory is
// never touched. Every other access becomes a loop nest that reads or
// writes `base[offset]` element by element under its mask. A pointer made
// from an integer (`tt.int_to_ptr`), or cast to an element type of another
// width, is taken as a byte address: its accesses are element by element,
// LLVM loads and stores at that address.
//
// The access hints of a load or store (`ft.shared_memory`, `ft.dma`,
// `ft.vectorize`), and the `ft.num_stages` of the loop right around a
// hinted load, move onto the copy that the access becomes; the target's
// hint pass (`flagtree-lower-dsa-hints`) and vectorizer read them there.
//
//===----------------------------------------------------------------------===//

#include "KernelLowering.h"
#include "flagtree/Conversion/TritonToFLIR/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include <limits>

using namespace mlir;
using namespace flagtree;
using namespace flagtree::flir;

/// The hints a tile copy carries for the passes that follow.
static constexpr llvm::StringLiteral kAccessHints[] = {
    "ft.shared_memory", "ft.dma", "ft.vectorize"};

/// Whether `op` carries a hint that stages its load through local memory.
static bool stagesThroughLocalMemory(Operation *op) {
  return op->hasAttr("ft.shared_memory") || op->hasAttr("ft.dma");
}

/// Copies the access hints of `source` (a `tt.load` or `tt.store`) onto
/// `copy`; a load staged through local memory also takes the stage count
/// of the loop right around it.
static void carryAccessHints(Operation *source, Operation *copy) {
  for (StringRef name : kAccessHints)
    if (Attribute hint = source->getAttr(name))
      copy->setAttr(name, hint);
  if (!stagesThroughLocalMemory(source))
    return;
  if (auto loop = dyn_cast_or_null<scf::ForOp>(source->getParentOp()))
    if (Attribute stages = loop->getAttr("ft.num_stages"))
      copy->setAttr("ft.num_stages", stages);
}

/// Reports the access hints of `op` that its lowered form cannot carry.
static void reportUncarriedHints(Operation *op, StringRef why) {
  for (StringRef name : kAccessHints)
    if (op->hasAttr(name))
      op->emitRemark() << "hint '" << name.drop_front(3)
                       << "' is not applied: " << why;
}

void KernelLowering::carryLoopHints(scf::ForOp source, scf::ForOp loop) {
  Attribute stages = source->getAttr("ft.num_stages");
  if (!stages)
    return;
  loop->setAttr("ft.num_stages", stages);
  bool staged =
      llvm::any_of(source.getBody()->getOperations(), [](Operation &op) {
        return isa<tt::LoadOp>(op) && stagesThroughLocalMemory(&op);
      });
  if (!staged)
    source->emitRemark()
        << "hint 'num_stages' is not applied: FLIR targets pipeline the "
           "loads of the loop hinted shared_memory or dma, and this loop "
           "has none";
}

Value KernelLowering::rootOf(Operation *op, Value pointer) {
  Value root = roots.lookup(pointer);
  if (!root)
    op->emitError() << "'" << op->getName()
                    << "' on a pointer that does not derive from a kernel "
                       "argument is not supported by the CPU lane yet";
  return root;
}

/// Loads and stores read the memref's own element type. A same-width
/// pointer cast that reaches only loads and stores is undone before the
/// lowering (PointerBitcasts.cpp); otherwise a cast is only followed by
/// atomics (AtomicLowering.cpp).
static bool keepsElementType(Value pointer, Value root) {
  return pointeeOf(pointer.getType()) ==
         cast<MemRefType>(root.getType()).getElementType();
}

Value KernelLowering::structuredView(Location loc, Value root,
                                     const AffineOffsets &offsets,
                                     RankedTensorType shape,
                                     const MaskBounds *bounds,
                                     SmallVectorImpl<OpFoldResult> &sizes) {
  sizes.clear();
  SmallVector<int64_t> staticSizes, staticStrides;
  Value zero;
  for (int64_t d = 0, e = shape.getRank(); d < e; ++d) {
    OpFoldResult upper = bounds ? bounds->upper[d] : OpFoldResult();
    if (!upper) {
      sizes.push_back(b.getIndexAttr(shape.getDimSize(d)));
      staticSizes.push_back(shape.getDimSize(d));
      continue;
    }
    // The valid extent is clamp(upper, 0, size).
    OpFoldResult clamped = minOfr(upper, b.getIndexAttr(shape.getDimSize(d)));
    if (!zero)
      zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value valid = arith::MaxSIOp::create(b, loc, materialize(clamped), zero);
    sizes.push_back(valid);
    staticSizes.push_back(ShapedType::kDynamic);
  }
  for (OpFoldResult stride : offsets.strides)
    staticStrides.push_back(
        getConstantIntValue(stride).value_or(ShapedType::kDynamic));
  int64_t staticOffset =
      getConstantIntValue(offsets.base).value_or(ShapedType::kDynamic);
  auto elementType = cast<MemRefType>(root.getType()).getElementType();
  auto layout =
      StridedLayoutAttr::get(b.getContext(), staticOffset, staticStrides);
  auto viewType = MemRefType::get(staticSizes, elementType, layout);
  return memref::ReinterpretCastOp::create(b, loc, viewType, root, offsets.base,
                                           sizes, offsets.strides);
}

void KernelLowering::fillOutside(Location loc, Value buffer,
                                 ArrayRef<OpFoldResult> valid, Value value) {
  // The elements outside [0, valid) are, for each dimension d, those at or
  // past valid[d] along d and within [0, valid) along the dimensions
  // before it: one slab per dimension, most of them empty at run time.
  auto type = cast<MemRefType>(buffer.getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> ones(rank, b.getIndexAttr(1));
  for (int64_t d = 0; d < rank; ++d) {
    if (isConstantIntValue(valid[d], type.getDimSize(d)))
      continue;
    SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0)), sizes;
    for (int64_t e = 0; e < rank; ++e)
      sizes.push_back(e < d ? valid[e] : b.getIndexAttr(type.getDimSize(e)));
    offsets[d] = valid[d];
    sizes[d] = subOfr(b.getIndexAttr(type.getDimSize(d)), valid[d]);
    Value slab =
        memref::SubViewOp::create(b, loc, buffer, offsets, sizes, ones);
    linalg::FillOp::create(b, loc, value, slab);
  }
}

/// `other` as one scalar when it is uniform (a splat), else null.
static Value uniformValue(Value other, IRMapping &map, OpBuilder &b,
                          Location loc) {
  if (auto splat = other.getDefiningOp<tt::SplatOp>())
    return map.lookup(splat.getSrc());
  if (auto constant = other.getDefiningOp<arith::ConstantOp>())
    if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue()))
      if (dense.isSplat())
        return arith::ConstantOp::create(
            b, loc, cast<TypedAttr>(dense.getSplatValue<Attribute>()));
  return Value();
}

/// A placeholder root at the start of `function`.
static Value placeholderRoot(OpBuilder &b, Location loc,
                             func::FuncOp function) {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&function.getBody().front());
  auto type = MemRefType::get({ShapedType::kDynamic}, b.getI8Type());
  return ub::PoisonOp::create(b, loc, type);
}

Value KernelLowering::addressSpaceRoot() {
  if (!addressRoot)
    addressRoot = placeholderRoot(b, loc, target);
  return addressRoot;
}

Value KernelLowering::castAddressRoot(BlockArgument argument) {
  for (auto [root, number] : castArguments)
    if (number == argument.getArgNumber())
      return root;
  Value root = placeholderRoot(b, loc, target);
  castArguments[root] = argument.getArgNumber();
  return root;
}

IntegerAttr KernelLowering::castAccessOf(Value root) {
  auto found = castArguments.find(root);
  if (found == castArguments.end())
    return {};
  return b.getI64IntegerAttr(found->second);
}

/// Whether `pointer` is `origin` after address arithmetic and shape ops.
static bool derivesFrom(Value pointer, Value origin) {
  while (pointer != origin) {
    Operation *def = pointer.getDefiningOp();
    if (auto add = dyn_cast_or_null<tt::AddPtrOp>(def))
      pointer = add.getPtr();
    else if (def && isShapeOp(def))
      pointer = def->getOperand(0);
    else
      return false;
  }
  return true;
}

/// Whether every use of `pointer`, and of the pointers derived from it, is
/// address arithmetic, a shape op, a memory access through it, its
/// conversion to an integer, or a loop that carries it forward (advanced
/// from its own value at each iteration): no select, cast or branch, and
/// no loop, that could mix it with a pointer of another root.
static bool onlyStructuredUses(Value pointer) {
  for (OpOperand &use : pointer.getUses()) {
    Operation *user = use.getOwner();
    if (auto loop = dyn_cast<scf::ForOp>(user)) {
      if (use.getOperandNumber() < loop.getNumControlOperands())
        return false;
      unsigned i = use.getOperandNumber() - loop.getNumControlOperands();
      Value carried = loop.getRegionIterArg(i);
      if (!derivesFrom(loop.getYieldedValues()[i], carried) ||
          !onlyStructuredUses(carried) ||
          !onlyStructuredUses(loop.getResult(i)))
        return false;
      continue;
    }
    if (isa<scf::YieldOp>(user)) {
      // Only the pointer a loop carries, advanced from itself.
      auto loop = dyn_cast<scf::ForOp>(user->getParentOp());
      if (!loop || !derivesFrom(use.get(),
                                loop.getRegionIterArg(use.getOperandNumber())))
        return false;
      continue;
    }
    if (isa<tt::LoadOp, tt::StoreOp, tt::AtomicRMWOp, tt::AtomicCASOp>(user)) {
      if (use.getOperandNumber() != 0)
        return false;
      continue;
    }
    if (isa<tt::PtrToIntOp>(user))
      continue;
    if (auto add = dyn_cast<tt::AddPtrOp>(user)) {
      if (add.getPtr() != pointer || !onlyStructuredUses(add.getResult()))
        return false;
      continue;
    }
    if (!isShapeOp(user) || !onlyStructuredUses(user->getResult(0)))
      return false;
  }
  return true;
}

Value KernelLowering::addressMemRef(tt::IntToPtrOp cast) {
  auto pointer = dyn_cast<tt::PointerType>(cast.getType());
  if (!pointer)
    return Value();
  Type element = storageType(pointer.getPointeeType());
  if (!element.isIntOrFloat() || !onlyStructuredUses(cast.getResult()))
    return Value();
  // The memref's LLVM descriptor, built by hand: the address as its
  // allocated and aligned pointers, offset 0, stride 1, and a size no
  // access reaches. The conversion to LLVM folds the cast away.
  MLIRContext *context = b.getContext();
  Type i64 = b.getI64Type();
  auto pointerType = LLVM::LLVMPointerType::get(context);
  Value address = map.lookup(cast.getSrc());
  if (address.getType() != i64)
    address = arith::ExtUIOp::create(b, loc, i64, address);
  Value start = LLVM::IntToPtrOp::create(b, loc, pointerType, address);
  auto array = LLVM::LLVMArrayType::get(i64, 1);
  auto descriptorType = LLVM::LLVMStructType::getLiteral(
      context, {pointerType, pointerType, i64, array, array});
  auto constant = [&](int64_t value) -> Value {
    return LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(value));
  };
  int64_t bytes = elementBytes(element);
  Value descriptor = LLVM::PoisonOp::create(b, loc, descriptorType);
  descriptor = LLVM::InsertValueOp::create(b, loc, descriptor, start,
                                           ArrayRef<int64_t>{0});
  descriptor = LLVM::InsertValueOp::create(b, loc, descriptor, start,
                                           ArrayRef<int64_t>{1});
  descriptor = LLVM::InsertValueOp::create(b, loc, descriptor, constant(0),
                                           ArrayRef<int64_t>{2});
  descriptor = LLVM::InsertValueOp::create(
      b, loc, descriptor, constant(std::numeric_limits<int64_t>::max() / bytes),
      ArrayRef<int64_t>{3, 0});
  descriptor = LLVM::InsertValueOp::create(b, loc, descriptor, constant(1),
                                           ArrayRef<int64_t>{4, 0});
  auto type = MemRefType::get({ShapedType::kDynamic}, element);
  return UnrealizedConversionCastOp::create(b, loc, type, descriptor)
      .getResult(0);
}

Value KernelLowering::addressOf(Value root, Value offset) {
  // A pointer is an offset in elements of its root memref: its address is
  // the root's base address plus the root's own offset and that offset,
  // in bytes of the root's element type.
  auto memref = cast<MemRefType>(root.getType());
  int64_t bytes = elementBytes(memref.getElementType());
  auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, root);
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, root);
  auto splat = [&](Value scalar) -> Value {
    if (auto shaped = dyn_cast<RankedTensorType>(offset.getType()))
      return tensor::SplatOp::create(b, loc, shaped, scalar);
    return scalar;
  };
  Value elements =
      arith::AddIOp::create(b, loc, offset, splat(metadata.getOffset()));
  Value scaled = arith::MulIOp::create(
      b, loc, elements,
      constantLike(b, loc, b.getIndexAttr(bytes), offset.getType()));
  return arith::AddIOp::create(b, loc, splat(base), scaled);
}

Value flir::addressPointer(OpBuilder &b, Location loc, Value offset) {
  Value address = arith::IndexCastUIOp::create(b, loc, b.getI64Type(), offset);
  return LLVM::IntToPtrOp::create(
      b, loc, LLVM::LLVMPointerType::get(b.getContext()), address);
}

Value KernelLowering::loadElement(OpBuilder &nb, Location l, Value root,
                                  Value offset, Type type) {
  if (!isAddress(root))
    return memref::LoadOp::create(nb, l, root, offset);
  // Aligned to its size, as GPUs need too.
  auto load = LLVM::LoadOp::create(nb, l, type, addressPointer(nb, l, offset),
                                   elementBytes(type));
  if (IntegerAttr argument = castAccessOf(root))
    load->setAttr(kCastAccessAttr, argument);
  return load;
}

void KernelLowering::storeElement(OpBuilder &nb, Location l, Value value,
                                  Value root, Value offset) {
  if (!isAddress(root)) {
    memref::StoreOp::create(nb, l, value, root, offset);
    return;
  }
  auto store =
      LLVM::StoreOp::create(nb, l, value, addressPointer(nb, l, offset),
                            elementBytes(value.getType()));
  if (IntegerAttr argument = castAccessOf(root))
    store->setAttr(kCastAccessAttr, argument);
}

Value KernelLowering::gather(tt::LoadOp op, Value root) {
  auto type = cast<RankedTensorType>(op.getType());
  auto bufferType = MemRefType::get(type.getShape(), type.getElementType());
  Value buffer = memref::AllocOp::create(b, loc, bufferType);
  Value offsets = map.lookup(op.getPtr());
  Value mask = op.getMask() ? map.lookup(op.getMask()) : Value();
  Value other = op.getOther() ? map.lookup(op.getOther()) : Value();
  SmallVector<Value> lbs, ubs, steps;
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  for (int64_t size : type.getShape()) {
    lbs.push_back(zero);
    ubs.push_back(arith::ConstantIndexOp::create(b, loc, size));
    steps.push_back(one);
  }
  scf::buildLoopNest(
      b, loc, lbs, ubs, steps, [&](OpBuilder &nb, Location l, ValueRange ivs) {
        Value offset = tensor::ExtractOp::create(nb, l, offsets, ivs);
        auto read = [&](OpBuilder &ib, Location il) {
          Value v = loadElement(ib, il, root, offset, type.getElementType());
          memref::StoreOp::create(ib, il, v, buffer, ivs);
        };
        if (!mask) {
          read(nb, l);
          return;
        }
        Value m = tensor::ExtractOp::create(nb, l, mask, ivs);
        auto guarded = scf::IfOp::create(nb, l, m, /*withElseRegion=*/!!other);
        OpBuilder::InsertionGuard guard(nb);
        nb.setInsertionPointToStart(guarded.thenBlock());
        read(nb, l);
        if (other) {
          nb.setInsertionPointToStart(guarded.elseBlock());
          Value v = tensor::ExtractOp::create(nb, l, other, ivs);
          memref::StoreOp::create(nb, l, v, buffer, ivs);
        }
      });
  return bufferization::ToTensorOp::create(b, loc, type, buffer,
                                           /*restrict=*/true,
                                           /*writable=*/true);
}

void KernelLowering::scatter(tt::StoreOp op, Value root) {
  auto type = cast<RankedTensorType>(op.getValue().getType());
  Value offsets = map.lookup(op.getPtr());
  Value values = map.lookup(op.getValue());
  Value mask = op.getMask() ? map.lookup(op.getMask()) : Value();
  SmallVector<Value> lbs, ubs, steps;
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  for (int64_t size : type.getShape()) {
    lbs.push_back(zero);
    ubs.push_back(arith::ConstantIndexOp::create(b, loc, size));
    steps.push_back(one);
  }
  scf::buildLoopNest(
      b, loc, lbs, ubs, steps, [&](OpBuilder &nb, Location l, ValueRange ivs) {
        OpBuilder::InsertionGuard guard(nb);
        if (mask) {
          Value m = tensor::ExtractOp::create(nb, l, mask, ivs);
          auto guarded = scf::IfOp::create(nb, l, m, /*withElseRegion=*/false);
          nb.setInsertionPointToStart(guarded.thenBlock());
        }
        Value offset = tensor::ExtractOp::create(nb, l, offsets, ivs);
        Value v = tensor::ExtractOp::create(nb, l, values, ivs);
        storeElement(nb, l, v, root, offset);
      });
}

/// The memref a load or store reaches, or null after reporting why the CPU
/// lane cannot lower the access (block pointers, element-type bitcasts).
Value KernelLowering::accessRoot(Operation *op, Value ptr) {
  auto element = dyn_cast<tt::PointerType>(getElementTypeOrSelf(ptr.getType()));
  if (element && isa<RankedTensorType>(element.getPointeeType())) {
    (void)unsupported(op);
    return Value();
  }
  Value root = rootOf(op, ptr);
  if (root && !isAddress(root) && !keepsElementType(ptr, root)) {
    op->emitError() << "'" << op->getName()
                    << "' through a pointer bitcast to another element "
                       "type is not supported by the CPU lane yet";
    return Value();
  }
  return root;
}

LogicalResult KernelLowering::lowerLoad(tt::LoadOp op) {
  Value root = accessRoot(op, op.getPtr());
  if (!root)
    return failure();
  Value mask = op.getMask() ? map.lookup(op.getMask()) : Value();

  auto type = dyn_cast<RankedTensorType>(op.getType());
  if (!type) {
    reportUncarriedHints(op, "the load reads a single element");
    Value offset = map.lookup(op.getPtr());
    if (!mask) {
      map.map(op.getResult(), loadElement(b, loc, root, offset, op.getType()));
      return success();
    }
    Value other =
        op.getOther()
            ? map.lookup(op.getOther())
            : arith::ConstantOp::create(b, loc, b.getZeroAttr(op.getType()));
    auto guarded = scf::IfOp::create(b, loc, op.getType(), mask,
                                     /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(guarded.thenBlock());
    Value v = loadElement(b, loc, root, offset, op.getType());
    scf::YieldOp::create(b, loc, v);
    b.setInsertionPointToStart(guarded.elseBlock());
    scf::YieldOp::create(b, loc, other);
    map.map(op.getResult(), guarded.getResult(0));
    return success();
  }

  if (isAddress(root)) {
    reportUncarriedHints(op, "the load is through pointers taken as "
                             "addresses, read element by element");
    map.map(op.getResult(), gather(op, root));
    return success();
  }
  auto offsets = affine.find(op.getPtr());
  const MaskBounds *bounds = nullptr;
  if (op.getMask()) {
    auto found = masks.find(op.getMask());
    bounds = found == masks.end() ? nullptr : &found->second;
  }
  if (offsets == affine.end() || (op.getMask() && !bounds)) {
    reportUncarriedHints(op, "the load is not a strided tile (its offsets "
                             "or mask are not affine), so it becomes an "
                             "element-by-element gather");
    map.map(op.getResult(), gather(op, root));
    return success();
  }

  AffineOffsets facts = offsets->second;
  auto bufferType = MemRefType::get(type.getShape(), type.getElementType());
  Value buffer = memref::AllocOp::create(b, loc, bufferType);
  SmallVector<OpFoldResult> sizes;
  Value view = structuredView(loc, root, facts, type, bounds, sizes);
  bool selectOther = false;
  if (bounds && op.getOther()) {
    if (Value fill = uniformValue(op.getOther(), map, b, loc))
      fillOutside(loc, buffer, sizes, fill);
    else
      selectOther = true;
  }
  Value dest = buffer;
  if (bounds) {
    SmallVector<OpFoldResult> zeros(type.getRank(), b.getIndexAttr(0));
    SmallVector<OpFoldResult> ones(type.getRank(), b.getIndexAttr(1));
    dest = memref::SubViewOp::create(b, loc, buffer, zeros, sizes, ones);
  }
  auto copy = linalg::CopyOp::create(b, loc, view, dest);
  carryAccessHints(op, copy);
  Value loaded = bufferization::ToTensorOp::create(b, loc, type, buffer,
                                                   /*restrict=*/true,
                                                   /*writable=*/true);
  if (selectOther)
    loaded = arith::SelectOp::create(b, loc, mask, loaded,
                                     map.lookup(op.getOther()));
  map.map(op.getResult(), loaded);
  return success();
}

LogicalResult KernelLowering::lowerStore(tt::StoreOp op) {
  Value root = accessRoot(op, op.getPtr());
  if (!root)
    return failure();
  Value mask = op.getMask() ? map.lookup(op.getMask()) : Value();
  Value value = map.lookup(op.getValue());

  auto type = dyn_cast<RankedTensorType>(op.getValue().getType());
  if (!type) {
    reportUncarriedHints(op, "the store writes a single element");
    Value offset = map.lookup(op.getPtr());
    OpBuilder::InsertionGuard guard(b);
    if (mask) {
      auto guarded = scf::IfOp::create(b, loc, mask, /*withElseRegion=*/false);
      b.setInsertionPointToStart(guarded.thenBlock());
    }
    storeElement(b, loc, value, root, offset);
    return success();
  }

  if (isAddress(root)) {
    reportUncarriedHints(op, "the store is through pointers taken as "
                             "addresses, written element by element");
    scatter(op, root);
    return success();
  }
  auto offsets = affine.find(op.getPtr());
  const MaskBounds *bounds = nullptr;
  if (op.getMask()) {
    auto found = masks.find(op.getMask());
    bounds = found == masks.end() ? nullptr : &found->second;
  }
  if (offsets == affine.end() || (op.getMask() && !bounds)) {
    reportUncarriedHints(op, "the store is not a strided tile (its offsets "
                             "or mask are not affine), so it becomes an "
                             "element-by-element scatter");
    scatter(op, root);
    return success();
  }
  AffineOffsets facts = offsets->second;
  SmallVector<OpFoldResult> sizes;
  Value view = structuredView(loc, root, facts, type, bounds, sizes);
  if (bounds) {
    SmallVector<OpFoldResult> zeros(type.getRank(), b.getIndexAttr(0));
    SmallVector<OpFoldResult> ones(type.getRank(), b.getIndexAttr(1));
    auto sliceType = RankedTensorType::get(
        cast<MemRefType>(view.getType()).getShape(), type.getElementType());
    value = tensor::ExtractSliceOp::create(b, loc, sliceType, value, zeros,
                                           sizes, ones);
  }
  if (op->hasAttr("ft.vectorize")) {
    // A copy out of the tile's buffer, which can carry the hint; the buffer
    // may be a strided part of a larger one.
    auto memrefType = cast<MemRefType>(view.getType());
    SmallVector<int64_t> strides(memrefType.getRank(), ShapedType::kDynamic);
    auto layout =
        StridedLayoutAttr::get(b.getContext(), ShapedType::kDynamic, strides);
    auto bufferType =
        MemRefType::get(memrefType.getShape(), type.getElementType(), layout);
    Value buffer = bufferization::ToBufferOp::create(b, loc, bufferType, value,
                                                     b.getUnitAttr());
    auto copy = linalg::CopyOp::create(b, loc, buffer, view);
    carryAccessHints(op, copy);
    return success();
  }
  bufferization::MaterializeInDestinationOp::create(
      b, loc, TypeRange(), value, view, /*restrict=*/true, /*writable=*/true);
  return success();
}
