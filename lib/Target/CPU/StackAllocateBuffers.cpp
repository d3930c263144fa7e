//===- StackAllocateBuffers.cpp - small static buffers on the stack -------===//

#include "flagtree/Target/CPU/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace flagtree::cpu {
#define GEN_PASS_DEF_CPUSTACKALLOCATEBUFFERS
#include "flagtree/Target/CPU/Passes.h.inc"
} // namespace flagtree::cpu

using namespace mlir;

namespace {

/// Bytes of a static buffer, or nothing when its size is not known.
std::optional<int64_t> staticBytes(MemRefType type) {
  if (!type.hasStaticShape())
    return std::nullopt;
  Type element = type.getElementType();
  int64_t bits;
  if (element.isIntOrFloat())
    bits = element.getIntOrFloatBitWidth();
  else if (element.isIndex())
    bits = 64;
  else
    return std::nullopt;
  return type.getNumElements() * ((bits + 7) / 8);
}

/// Whether the buffer, or a view of it, leaves the region it was made in:
/// yielded by a loop or conditional, returned, or passed to a call.
bool escapes(Value buffer) {
  SmallVector<Value> worklist{buffer};
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (Operation *user : value.getUsers()) {
      if (user->hasTrait<OpTrait::IsTerminator>() || isa<CallOpInterface>(user))
        return true;
      if (auto view = dyn_cast<ViewLikeOpInterface>(user)) {
        if (view.getViewSource() == value)
          llvm::append_range(worklist, user->getResults());
        continue;
      }
      // Ops that make a new memref value out of this one without being
      // view-like (casts, for instance) are followed as well.
      for (Value result : user->getResults())
        if (isa<BaseMemRefType>(result.getType()))
          worklist.push_back(result);
    }
  }
  return false;
}

struct CPUStackAllocateBuffers
    : public flagtree::cpu::impl::CPUStackAllocateBuffersBase<
          CPUStackAllocateBuffers> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp function = getOperation();
    if (function.isExternal())
      return;
    Block &entry = function.getBody().front();
    SmallVector<memref::AllocOp> allocs;
    function.walk([&](memref::AllocOp alloc) { allocs.push_back(alloc); });
    int64_t used = 0;
    IRRewriter rewriter(&getContext());
    for (memref::AllocOp alloc : allocs) {
      MemRefType type = alloc.getType();
      std::optional<int64_t> bytes = staticBytes(type);
      if (!bytes || used + *bytes > maxStackBytes)
        continue;
      // One buffer reused by every iteration of the enclosing loops must
      // not be live across iterations.
      if (alloc->getBlock() != &entry && escapes(alloc.getResult()))
        continue;
      used += *bytes;
      rewriter.setInsertionPointToStart(&entry);
      uint64_t alignment = std::max<uint64_t>(alloc.getAlignment().value_or(0),
                                              /*one cache line=*/64);
      auto stack = memref::AllocaOp::create(
          rewriter, alloc.getLoc(), type, ValueRange(), ValueRange(),
          rewriter.getI64IntegerAttr(alignment));
      for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          rewriter.eraseOp(user);
      rewriter.replaceOp(alloc, stack.getResult());
    }
  }
};

} // namespace
