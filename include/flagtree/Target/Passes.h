//===- Passes.h - passes every FLIR target shares ---------------*- C++ -*-===//

#ifndef FLAGTREE_TARGET_PASSES_H
#define FLAGTREE_TARGET_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Pass/Pass.h"

namespace flagtree {

#define GEN_PASS_DECL
#include "flagtree/Target/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "flagtree/Target/Passes.h.inc"

} // namespace flagtree

#endif // FLAGTREE_TARGET_PASSES_H
