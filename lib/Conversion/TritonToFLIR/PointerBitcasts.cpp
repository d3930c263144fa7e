//===- PointerBitcasts.cpp - accesses through a same-width pointer cast --===//
//
// `x_ptr.to(tl.pointer_type(tl.int32))` on a float32 argument reads and
// writes the same bytes with another type. The lowering keeps one memref
// per argument, of the argument's element type, so before it such a cast
// is undone: the pointers computed from it keep the argument's type, a load
// through them bitcasts what it read, and a store bitcasts what it writes.
// Only casts between types of one width whose pointers reach nothing but
// address arithmetic, shape ops, loads and stores are undone; atomics read
// through the cast themselves (AtomicLowering.cpp), and a cast to another
// width makes the pointer an address, accessed element by element
// (MemoryAccess.cpp).
//
//===----------------------------------------------------------------------===//

#include "KernelLowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace flagtree;

namespace {

/// `type` (a pointer or a tensor of pointers) pointing to `pointee`.
Type withPointee(Type type, Type pointee) {
  auto pointer = cast<tt::PointerType>(getElementTypeOrSelf(type));
  return flir::typeLike(
      type, tt::PointerType::get(pointee, pointer.getAddressSpace()));
}

bool isPlainScalar(Type type) {
  return type.isIntOrFloat() && !type.isInteger(1);
}

/// Undoes `cast` when it qualifies (see the file comment).
void undo(tt::BitcastOp cast) {
  if (!flir::isPointerLike(cast.getType()) ||
      !flir::isPointerLike(cast.getSrc().getType()))
    return;
  Type from = flir::pointeeOf(cast.getSrc().getType());
  Type to = flir::pointeeOf(cast.getType());
  if (from == to || !isPlainScalar(from) || !isPlainScalar(to) ||
      from.getIntOrFloatBitWidth() != to.getIntOrFloatBitWidth())
    return;

  SmallVector<Value> pointers{cast.getResult()};
  SmallVector<tt::LoadOp> loads;
  SmallVector<tt::StoreOp> stores;
  for (unsigned i = 0; i < pointers.size(); ++i) {
    Value pointer = pointers[i];
    for (OpOperand &use : pointer.getUses()) {
      Operation *user = use.getOwner();
      if (auto add = dyn_cast<tt::AddPtrOp>(user);
          add && use.getOperandNumber() == 0) {
        pointers.push_back(add.getResult());
      } else if (flir::isShapeOp(user)) {
        pointers.push_back(user->getResult(0));
      } else if (auto load = dyn_cast<tt::LoadOp>(user);
                 load && !load.getPadding() &&
                 load.getBoundaryCheck().empty()) {
        loads.push_back(load);
      } else if (auto store = dyn_cast<tt::StoreOp>(user);
                 store && use.getOperandNumber() == 0 &&
                 store.getBoundaryCheck().empty()) {
        stores.push_back(store);
      } else {
        return;
      }
    }
  }

  for (Value pointer : llvm::drop_begin(pointers))
    pointer.setType(withPointee(pointer.getType(), from));
  for (tt::LoadOp load : loads) {
    OpBuilder b(load);
    Type type = load.getType();
    if (Value other = load.getOther())
      load.getOtherMutable().assign(arith::BitcastOp::create(
          b, load.getLoc(), flir::typeLike(other.getType(), from), other));
    load.getResult().setType(flir::typeLike(type, from));
    b.setInsertionPointAfter(load);
    auto back = arith::BitcastOp::create(b, load.getLoc(), type, load);
    load.getResult().replaceAllUsesExcept(back, back);
  }
  for (tt::StoreOp store : stores) {
    OpBuilder b(store);
    Value value = store.getValue();
    store.getValueMutable().assign(arith::BitcastOp::create(
        b, store.getLoc(), flir::typeLike(value.getType(), from), value));
  }
  cast.getResult().replaceAllUsesWith(cast.getSrc());
  cast.erase();
}

} // namespace

void flagtree::flir::undoPointerBitcasts(tt::FuncOp function) {
  SmallVector<tt::BitcastOp> casts;
  function.walk([&](tt::BitcastOp cast) { casts.push_back(cast); });
  for (tt::BitcastOp cast : casts)
    undo(cast);
}
