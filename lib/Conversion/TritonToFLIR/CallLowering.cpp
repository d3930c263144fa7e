//===- CallLowering.cpp - tt.call of @triton.jit helpers -----------------===//
//
// A `noinline` helper survives in TTIR as a private `tt.func` reached by
// `tt.call`. The CPU lane lowers the callee's body at each call site, in
// the caller's mapping: pointer arguments keep the memref they point into
// and the offset facts known at the call (so loads in the helper can stay
// structured), and program ids stay the kernel's. `noinline` only asks GPU
// back ends to keep code small; a host function call would instead force
// tensors across a function boundary through memory. Helpers are removed
// once every kernel is lowered.
//
//===----------------------------------------------------------------------===//

#include "KernelLowering.h"

#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace flagtree;
using namespace flagtree::flir;

LogicalResult KernelLowering::lowerCall(tt::CallOp op) {
  auto callee =
      SymbolTable::lookupNearestSymbolFrom<tt::FuncOp>(op, op.getCalleeAttr());
  if (!callee || callee.isExternal())
    return op.emitError() << "a call of an external function is not "
                             "supported by the CPU lane yet";
  if (!callee.getBody().hasOneBlock())
    return op.emitError() << "a helper function with more than one block is "
                             "not supported by the CPU lane yet";
  if (llvm::is_contained(callStack, callee.getOperation()))
    return op.emitError() << "recursive call of '" << callee.getSymName()
                          << "'";
  Block &body = callee.getBody().front();
  for (auto [arg, operand] : llvm::zip(body.getArguments(), op.getOperands())) {
    forget(arg);
    map.map(arg, map.lookup(operand));
    if (Value root = roots.lookup(operand))
      roots[arg] = root;
    auto facts = affine.find(operand);
    if (facts != affine.end()) {
      AffineOffsets copy = facts->second; // copied first: inserting may rehash
      affine[arg] = copy;
    }
    auto mask = masks.find(operand);
    if (mask != masks.end()) {
      MaskBounds copy = mask->second;
      masks[arg] = copy;
    }
  }
  callStack.push_back(callee);
  LogicalResult result = lowerBlockOps(body);
  callStack.pop_back();
  if (failed(result))
    return failure();
  loc = op.getLoc();
  Operation *ret = body.getTerminator();
  for (auto [value, returned] :
       llvm::zip(op.getResults(), ret->getOperands())) {
    map.map(value, map.lookup(returned));
    if (Value root = roots.lookup(returned))
      roots[value] = root;
  }
  return success();
}
