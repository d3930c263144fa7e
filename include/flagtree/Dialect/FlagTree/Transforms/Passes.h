//===- Passes.h - passes of the `ft` dialect -------------------*- C++ -*-===//

#ifndef FLAGTREE_DIALECT_FLAGTREE_TRANSFORMS_PASSES_H
#define FLAGTREE_DIALECT_FLAGTREE_TRANSFORMS_PASSES_H

#include "flagtree/Dialect/FlagTree/IR/FlagTreeDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace flagtree {

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "flagtree/Dialect/FlagTree/Transforms/Passes.h.inc"

} // namespace flagtree

#endif // FLAGTREE_DIALECT_FLAGTREE_TRANSFORMS_PASSES_H
