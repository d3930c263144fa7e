//===- InitAllDialects.h - every dialect and pass flagtree uses -*- C++ -*-===//
//
// The one place that lists what the core registers, shared by flagtree-opt
// and the C API so that both understand the same IR.
//
//===----------------------------------------------------------------------===//

#ifndef FLAGTREE_INITALLDIALECTS_H
#define FLAGTREE_INITALLDIALECTS_H

#include "mlir/IR/DialectRegistry.h"

namespace flagtree {

/// Registers flagtree's dialects and the upstream dialects that appear in
/// TTIR or in flagtree's lowerings.
void registerAllDialects(mlir::DialectRegistry &registry);

/// Registers flagtree's passes and the upstream passes it relies on, so that
/// they can be named in textual pipelines. Safe to call more than once.
void registerAllPasses();

} // namespace flagtree

#endif // FLAGTREE_INITALLDIALECTS_H
