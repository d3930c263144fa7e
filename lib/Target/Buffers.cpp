//===- Buffers.cpp - what the FLIR passes ask of buffers -----------------===//

#include "flagtree/Target/Buffers.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;

Operation *flagtree::allocationRoot(Value value) {
  while (value) {
    Operation *def = value.getDefiningOp();
    if (!def)
      return nullptr;
    if (isa<memref::AllocOp, memref::AllocaOp>(def))
      return def;
    auto view = dyn_cast<ViewLikeOpInterface>(def);
    if (!view)
      return nullptr;
    value = view.getViewSource();
  }
  return nullptr;
}

bool flagtree::writesOutsideBuffers(
    Operation *op, const llvm::SmallPtrSetImpl<Operation *> *watched) {
  WalkResult result = op->walk([&](Operation *nested) {
    auto effects = dyn_cast<MemoryEffectOpInterface>(nested);
    if (!effects)
      return nested->hasTrait<OpTrait::HasRecursiveMemoryEffects>()
                 ? WalkResult::advance()
                 : WalkResult::interrupt();
    SmallVector<MemoryEffects::EffectInstance> instances;
    effects.getEffects(instances);
    for (const MemoryEffects::EffectInstance &instance : instances) {
      if (!isa<MemoryEffects::Write, MemoryEffects::Free>(instance.getEffect()))
        continue;
      Value value = instance.getValue();
      Operation *root = value ? allocationRoot(value) : nullptr;
      if (!root || (watched && watched->contains(root)))
        return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return result.wasInterrupted();
}
