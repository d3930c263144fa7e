//===- PointerSelects.cpp - choices between pointers into two tensors ----===//
//
// The lowering keeps a pointer as an offset into the memref of the kernel
// argument it derives from (its root). `tl.where(c, a_ptr + i, b_ptr + j)`
// has no single root, so before the lowering such a select is pushed past
// its users until it meets the memory accesses, which split in two:
//
//   load(select(c, p, q), m)  ->  select(c, load(p, m & c), load(q, m & !c))
//   store(select(c, p, q), v, m)  ->  store(p, v, m & c); store(q, v, m & !c)
//
// Address arithmetic and shape ops apply to both sides (and to `c` when it
// is a tensor). Each element is still read or written through exactly the
// pointer it selected, and a masked-off side touches no memory. A
// compare-and-swap, which has no mask, goes through the address chosen
// between both pointers' addresses instead. Pointers
// made from integers are plain addresses: a select between two of them
// stays a select.
//
//===----------------------------------------------------------------------===//

#include "KernelLowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace flagtree;

namespace {

/// The kernel argument (or other value) a pointer is derived from, through
/// address arithmetic, shape ops and selects between pointers of one root;
/// null when there is none.
Value rootOf(Value pointer) {
  while (true) {
    Operation *def = pointer.getDefiningOp();
    if (!def)
      return pointer;
    if (auto add = dyn_cast<tt::AddPtrOp>(def)) {
      pointer = add.getPtr();
    } else if (flir::isShapeOp(def)) {
      pointer = def->getOperand(0);
    } else if (auto select = dyn_cast<arith::SelectOp>(def)) {
      Value root = rootOf(select.getTrueValue());
      return root == rootOf(select.getFalseValue()) ? root : Value();
    } else {
      return Value();
    }
  }
}

/// Whether `pointer` is made from integers (`tt.int_to_ptr`): an address,
/// which a select chooses like any value.
bool isAddress(Value pointer) {
  while (Operation *def = pointer.getDefiningOp()) {
    if (isa<tt::IntToPtrOp>(def))
      return true;
    if (auto add = dyn_cast<tt::AddPtrOp>(def))
      pointer = add.getPtr();
    else if (flir::isShapeOp(def) || isa<tt::BitcastOp>(def))
      pointer = def->getOperand(0);
    else if (auto select = dyn_cast<arith::SelectOp>(def))
      return isAddress(select.getTrueValue()) &&
             isAddress(select.getFalseValue());
    else
      return false;
  }
  return false;
}

bool isPointerSelect(Operation *op) {
  auto select = dyn_cast<arith::SelectOp>(op);
  return select && flir::isPointerLike(select.getType()) &&
         !rootOf(select.getResult()) && !isAddress(select.getResult());
}

class SelectSplitter {
public:
  explicit SelectSplitter(arith::SelectOp select) : select(select) {}

  /// Rewrites the users of `select` that it can; returns the selects it
  /// made in their place (to be pushed further down).
  SmallVector<arith::SelectOp> run() {
    SmallVector<arith::SelectOp> made;
    for (Operation *user : llvm::make_early_inc_range(select->getUsers())) {
      OpBuilder b(user);
      Location loc = user->getLoc();
      if (auto add = dyn_cast<tt::AddPtrOp>(user)) {
        if (add.getPtr() != select.getResult())
          continue;
        made.push_back(both(b, loc, add, [&](Value side) {
          return tt::AddPtrOp::create(b, loc, add.getType(), side,
                                      add.getOffset())
              .getResult();
        }));
      } else if (flir::isShapeOp(user)) {
        made.push_back(both(b, loc, user, [&](Value side) {
          Operation *copy = b.clone(*user);
          copy->setOperand(0, side);
          return copy->getResult(0);
        }));
      } else if (auto load = dyn_cast<tt::LoadOp>(user)) {
        splitLoad(b, loc, load);
      } else if (auto store = dyn_cast<tt::StoreOp>(user)) {
        if (store.getPtr() == select.getResult())
          splitStore(b, loc, store);
      } else if (auto rmw = dyn_cast<tt::AtomicRMWOp>(user)) {
        if (rmw.getPtr() == select.getResult())
          splitAtomic(b, loc, rmw);
      } else if (auto cas = dyn_cast<tt::AtomicCASOp>(user)) {
        if (cas.getPtr() == select.getResult())
          selectAddresses(b, loc, cas);
      }
    }
    if (select->use_empty())
      select.erase();
    return made;
  }

private:
  /// The condition for a user of the select, which may have another shape
  /// (a shape op's result): a scalar condition stays scalar; a tensor one
  /// goes through the same shape op.
  Value conditionFor(OpBuilder &b, Operation *user) {
    Value cond = select.getCondition();
    if (!isa<RankedTensorType>(cond.getType()) || isa<tt::AddPtrOp>(user))
      return cond;
    Operation *copy = b.clone(*user);
    copy->setOperand(0, cond);
    auto type = cast<RankedTensorType>(user->getResult(0).getType());
    copy->getResult(0).setType(type.clone(b.getI1Type()));
    return copy->getResult(0);
  }

  /// Replaces `user` by select(cond', f(true side), f(false side)).
  template <typename Fn>
  arith::SelectOp both(OpBuilder &b, Location loc, Operation *user, Fn f) {
    Value cond = conditionFor(b, user);
    Value onTrue = f(select.getTrueValue());
    Value onFalse = f(select.getFalseValue());
    auto made = arith::SelectOp::create(b, loc, cond, onTrue, onFalse);
    user->getResult(0).replaceAllUsesWith(made.getResult());
    user->erase();
    return made;
  }

  /// The condition as a mask of the access's shape, and its negation,
  /// each combined with the access's own mask.
  std::pair<Value, Value> masks(OpBuilder &b, Location loc, Type pointer,
                                Value mask) {
    Value cond = select.getCondition();
    if (auto tensor = dyn_cast<RankedTensorType>(pointer))
      if (!isa<RankedTensorType>(cond.getType()))
        cond = tt::SplatOp::create(b, loc, tensor.clone(b.getI1Type()), cond);
    Value ones = flir::constantLike(b, loc, b.getIntegerAttr(b.getI1Type(), 1),
                                    cond.getType());
    Value notCond = arith::XOrIOp::create(b, loc, cond, ones);
    if (!mask)
      return {cond, notCond};
    return {arith::AndIOp::create(b, loc, mask, cond),
            arith::AndIOp::create(b, loc, mask, notCond)};
  }

  void splitLoad(OpBuilder &b, Location loc, tt::LoadOp load) {
    auto [onTrue, onFalse] =
        masks(b, loc, load.getPtr().getType(), load.getMask());
    auto side = [&](Value pointer, Value mask) {
      return tt::LoadOp::create(b, loc, load.getType(), pointer, mask,
                                load.getOther(), load.getBoundaryCheckAttr(),
                                load.getPaddingAttr(), load.getCacheAttr(),
                                load.getEvictAttr(), load.getIsVolatileAttr())
          .getResult();
    };
    Value cond = select.getCondition();
    Value a = side(select.getTrueValue(), onTrue);
    Value c = side(select.getFalseValue(), onFalse);
    load.getResult().replaceAllUsesWith(
        arith::SelectOp::create(b, loc, cond, a, c).getResult());
    load.erase();
  }

  void splitStore(OpBuilder &b, Location loc, tt::StoreOp store) {
    auto [onTrue, onFalse] =
        masks(b, loc, store.getPtr().getType(), store.getMask());
    for (auto [pointer, mask] : {std::pair{select.getTrueValue(), onTrue},
                                 std::pair{select.getFalseValue(), onFalse}})
      tt::StoreOp::create(b, loc, pointer, store.getValue(), mask,
                          store.getBoundaryCheckAttr(), store.getCacheAttr(),
                          store.getEvictAttr());
    store.erase();
  }

  void splitAtomic(OpBuilder &b, Location loc, tt::AtomicRMWOp rmw) {
    auto [onTrue, onFalse] =
        masks(b, loc, rmw.getPtr().getType(), rmw.getMask());
    auto side = [&](Value pointer, Value mask) {
      return tt::AtomicRMWOp::create(
                 b, loc, rmw.getType(), rmw.getAtomicRmwOpAttr(), pointer,
                 rmw.getVal(), mask, rmw.getSemAttr(), rmw.getScopeAttr())
          .getResult();
    };
    Value a = side(select.getTrueValue(), onTrue);
    Value c = side(select.getFalseValue(), onFalse);
    rmw.getResult().replaceAllUsesWith(
        arith::SelectOp::create(b, loc, select.getCondition(), a, c)
            .getResult());
    rmw.erase();
  }

  /// A compare-and-swap has no mask to split it with: it goes through the
  /// address chosen between both pointers' addresses (an address pointer,
  /// accessed element by element), so each lane still touches only the
  /// pointer it selected.
  void selectAddresses(OpBuilder &b, Location loc, tt::AtomicCASOp cas) {
    Type pointerType = select.getType();
    Type i64 = b.getI64Type();
    Type addressType = flir::typeLike(pointerType, i64);
    auto address = [&](Value pointer) -> Value {
      return tt::PtrToIntOp::create(b, loc, addressType, pointer);
    };
    Value chosen = arith::SelectOp::create(b, loc, select.getCondition(),
                                           address(select.getTrueValue()),
                                           address(select.getFalseValue()));
    cas.getPtrMutable().assign(
        tt::IntToPtrOp::create(b, loc, pointerType, chosen));
  }

  arith::SelectOp select;
};

} // namespace

void flagtree::flir::splitPointerSelects(tt::FuncOp function) {
  SmallVector<arith::SelectOp> worklist;
  function.walk([&](arith::SelectOp select) {
    if (isPointerSelect(select))
      worklist.push_back(select);
  });
  while (!worklist.empty()) {
    arith::SelectOp select = worklist.pop_back_val();
    llvm::append_range(worklist, SelectSplitter(select).run());
  }
}
