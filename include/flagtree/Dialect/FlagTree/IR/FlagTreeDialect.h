//===- FlagTreeDialect.h - the `ft` dialect --------------------*- C++ -*-===//

#ifndef FLAGTREE_DIALECT_FLAGTREE_IR_FLAGTREEDIALECT_H
#define FLAGTREE_DIALECT_FLAGTREE_IR_FLAGTREEDIALECT_H

#include "mlir/IR/Dialect.h"
#include "mlir/IR/Operation.h"

#include "flagtree/Dialect/FlagTree/IR/FlagTreeDialect.h.inc"

namespace flagtree::ft {

/// The kind of ops a hint can apply to, as the hint registry names it
/// (`load`, `store`, `dot`, `loop`, `atomic`), or empty for other ops.
llvm::StringRef opKindOf(mlir::Operation *op);

} // namespace flagtree::ft

#endif // FLAGTREE_DIALECT_FLAGTREE_IR_FLAGTREEDIALECT_H
