//===- InterfaceModels.cpp - interface models the CPU pipeline needs -----===//
//
// Buffer deallocation refuses ops whose memory effects it cannot see. The
// atomics of the FLIR lane use `llvm.cmpxchg` (MLIR's memref dialect has no
// compare-and-swap), which declares none: it reads and writes the memory
// behind its pointer operand, and nothing else.
//
//===----------------------------------------------------------------------===//

#include "flagtree/Target/CPU/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

namespace {

struct CmpXchgEffects
    : public MemoryEffectOpInterface::ExternalModel<CmpXchgEffects,
                                                    LLVM::AtomicCmpXchgOp> {
  void
  getEffects(Operation *op,
             SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
                 &effects) const {
    OpOperand &pointer = op->getOpOperand(0);
    effects.emplace_back(MemoryEffects::Read::get(), &pointer);
    effects.emplace_back(MemoryEffects::Write::get(), &pointer);
  }
};

} // namespace

void flagtree::cpu::registerCPUInterfaceModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, LLVM::LLVMDialect *) {
    LLVM::AtomicCmpXchgOp::attachInterface<CmpXchgEffects>(*context);
  });
}
