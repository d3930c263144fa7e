//===- Passes.h - lowering TTIR to the structured FLIR lane -----*- C++ -*-===//

#ifndef FLAGTREE_CONVERSION_TRITONTOFLIR_PASSES_H
#define FLAGTREE_CONVERSION_TRITONTOFLIR_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Pass/Pass.h"

namespace flagtree {

/// Marks an LLVM load or store that the lowering made through a pointer
/// cast from a kernel argument's to an element type of another width: it
/// reads or writes the argument's memory by address. Its value is the
/// argument's number (an i64): the bounds-checked mode checks the access
/// against that argument's tensor.
inline constexpr llvm::StringLiteral kCastAccessAttr = "flir.cast_access";

#define GEN_PASS_DECL
#include "flagtree/Conversion/TritonToFLIR/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "flagtree/Conversion/TritonToFLIR/Passes.h.inc"

} // namespace flagtree

#endif // FLAGTREE_CONVERSION_TRITONTOFLIR_PASSES_H
