//===- Passes.h - passes and pipeline of the host-CPU target ----*- C++ -*-===//

#ifndef FLAGTREE_TARGET_CPU_PASSES_H
#define FLAGTREE_TARGET_CPU_PASSES_H

#include "flagtree/Target/TargetDescription.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace flagtree::cpu {

#define GEN_PASS_DECL
#include "flagtree/Target/CPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "flagtree/Target/CPU/Passes.h.inc"

/// Adds the whole host-CPU pipeline, from TTIR to the LLVM dialect:
/// convert-triton-to-flir, bufferization, vectorization for `target`,
/// deallocation and lowering to LLVM. `targetSpec` is what the conversion
/// pass records as the target (`host` or JSON). `boundsCheck` adds the
/// run-time checks of flagtree-cpu-bounds-check.
void buildCPUPipeline(mlir::OpPassManager &pm, const TargetDescription &target,
                      llvm::StringRef targetSpec, bool boundsCheck = false);

/// Interface models the pipeline relies on and MLIR does not provide: the
/// memory effects of `llvm.cmpxchg`, which the lowering of atomics emits
/// before buffer deallocation runs. Add to the registry of every context
/// that runs buildCPUPipeline.
void registerCPUInterfaceModels(mlir::DialectRegistry &registry);

} // namespace flagtree::cpu

#endif // FLAGTREE_TARGET_CPU_PASSES_H
